//! Refusals: faults a test injects (for a method, or for sends to a chat), standing blocks
//! and migrations, and Telegram's broadcast rate limits with their 429 answers.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::FakeTelegram;
use crate::methods::Answer;
use crate::state::State;

/// A refusal to inject into the next call of a method, or the next send to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests with `retry_after` seconds.
    RetryAfter(u32),
    /// 403 Forbidden: the user blocked the bot.
    Blocked,
    /// 400 Bad Request with this description.
    BadRequest(String),
    /// 400: the group was upgraded to a supergroup with this id.
    Migrate(i64),
    /// This HTTP 5xx status (teloxide then waits 10 s before reading it).
    ServerError(u16),
    /// The connection is closed without an answer.
    DropConnection,
}

impl Fault {
    /// What Telegram answers for this fault. A dropped connection has no answer; the
    /// caller hangs up instead, so the one given here is never sent.
    pub(crate) fn answer(&self) -> Answer {
        match self {
            Self::RetryAfter(seconds) => Answer {
                status: 429,
                body: json!({
                    "ok": false,
                    "error_code": 429,
                    "description": format!("Too Many Requests: retry after {seconds}"),
                    "parameters": { "retry_after": seconds }
                }),
            },
            Self::Blocked => Answer::error(403, "Forbidden: bot was blocked by the user"),
            Self::BadRequest(description) => {
                Answer::error(400, &format!("Bad Request: {description}"))
            }
            Self::Migrate(to) => Answer {
                status: 400,
                body: json!({
                    "ok": false,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": { "migrate_to_chat_id": to }
                }),
            },
            Self::ServerError(code) => Answer::error(*code, reason_phrase(*code)),
            Self::DropConnection => Answer::error(500, "connection dropped"),
        }
    }
}

/// The description a [`Fault::ServerError`] answer carries: the status's reason phrase.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Telegram's broadcast limits, as this fake enforces them when switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Messages a second from the bot to all chats together.
    pub overall_per_second: usize,
    /// Messages a second into one private chat.
    pub chat_per_second: usize,
    /// Messages a minute into one group or supergroup.
    pub group_per_minute: usize,
}

impl RateLimits {
    /// Telegram's published figures: 30/s overall, 1/s per chat, 20/min per group.
    pub const TELEGRAM: Self = Self {
        overall_per_second: 30,
        chat_per_second: 1,
        group_per_minute: 20,
    };
}

impl FakeTelegram {
    /// Makes the next call of `method` (e.g. `sendMessage`) fail with `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.lock()
            .faults
            .entry(method.to_lowercase())
            .or_default()
            .push_back(fault);
    }

    /// Makes the next send (message or photo) to `chat_id` fail with `fault` (queued in
    /// order; later sends succeed again).
    pub fn fail_chat(&self, chat_id: i64, fault: Fault) {
        self.lock()
            .chat_faults
            .entry(chat_id)
            .or_default()
            .push_back(fault);
    }

    /// Every send to `chat_id` from now on gets 403 "bot was blocked by the user".
    pub fn block_chat(&self, chat_id: i64) {
        self.lock().blocked_chats.insert(chat_id);
    }

    /// The group `from` became the supergroup `to`: every send to `from` gets the migration
    /// error, as Telegram answers.
    pub fn migrate_chat(&self, from: i64, to: i64) {
        self.lock().migrated_chats.insert(from, to);
    }

    /// Enforces `limits` on sends from now on (`None` switches enforcement off).
    pub fn enforce_limits(&self, limits: Option<RateLimits>) {
        self.lock().limits = limits;
    }

    /// Sends refused with 429 by the rate limits.
    pub fn rate_limited(&self) -> usize {
        self.lock().rate_limited
    }
}

/// The fault a send to `chat` meets: a queued one, else a standing block or migration.
pub(crate) fn chat_fault(state: &mut State, chat: i64) -> Option<Fault> {
    if let Some(fault) = state
        .chat_faults
        .get_mut(&chat)
        .and_then(VecDeque::pop_front)
    {
        return Some(fault);
    }
    if state.blocked_chats.contains(&chat) {
        return Some(Fault::Blocked);
    }
    state
        .migrated_chats
        .get(&chat)
        .map(|to| Fault::Migrate(*to))
}

/// With limits on: `Some(retry_after)` when a send to `chat` now would break one; otherwise
/// the send is counted and `None` returned.
pub(crate) fn over_limit(state: &mut State, chat: i64) -> Option<u32> {
    let limits = state.limits?;
    let now = Instant::now();
    let second = Duration::from_secs(1);
    let minute = Duration::from_secs(60);
    while state
        .recent_sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= second)
    {
        state.recent_sends.pop_front();
    }
    let (window, most) = if chat < 0 {
        (minute, limits.group_per_minute)
    } else {
        (second, limits.chat_per_second)
    };
    let chat_recent = state.recent_by_chat.entry(chat).or_default();
    while chat_recent
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        chat_recent.pop_front();
    }
    if chat_recent.len() >= most {
        let wait = chat_recent
            .front()
            .map_or(window, |t| window.saturating_sub(now.duration_since(*t)));
        return Some(wait.as_secs_f64().ceil().max(1.0) as u32);
    }
    if state.recent_sends.len() >= limits.overall_per_second {
        return Some(1);
    }
    chat_recent.push_back(now);
    state.recent_sends.push_back(now);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(limits: RateLimits) -> State {
        State {
            limits: Some(limits),
            ..State::new()
        }
    }

    #[test]
    fn without_limits_every_send_passes() {
        let mut state = State::new();
        assert!((0..100).all(|_| over_limit(&mut state, 7).is_none()));
    }

    #[test]
    fn a_private_chat_gets_one_message_a_second() {
        let mut state = limited(RateLimits::TELEGRAM);
        assert_eq!(over_limit(&mut state, 7), None);
        assert_eq!(over_limit(&mut state, 7), Some(1));
        assert_eq!(
            over_limit(&mut state, 8),
            None,
            "another chat is not held up"
        );
    }

    #[test]
    fn a_group_gets_twenty_a_minute_then_waits_out_the_minute() {
        let mut state = limited(RateLimits {
            overall_per_second: 1000,
            ..RateLimits::TELEGRAM
        });
        assert!((0..20).all(|_| over_limit(&mut state, -100).is_none()));
        let wait = over_limit(&mut state, -100).expect("the 21st is refused");
        assert!((59..=60).contains(&wait), "retry_after {wait}");
    }

    #[test]
    fn all_chats_together_get_thirty_a_second() {
        let mut state = limited(RateLimits::TELEGRAM);
        assert!((1..=30).all(|chat| over_limit(&mut state, chat).is_none()));
        assert_eq!(over_limit(&mut state, 31), Some(1));
    }

    #[test]
    fn queued_chat_faults_come_before_blocks_and_migrations() {
        let mut state = State::new();
        state.blocked_chats.insert(5);
        state.migrated_chats.insert(-6, -1006);
        state
            .chat_faults
            .entry(5)
            .or_default()
            .push_back(Fault::RetryAfter(3));
        assert_eq!(chat_fault(&mut state, 5), Some(Fault::RetryAfter(3)));
        assert_eq!(chat_fault(&mut state, 5), Some(Fault::Blocked));
        assert_eq!(chat_fault(&mut state, -6), Some(Fault::Migrate(-1006)));
        assert_eq!(chat_fault(&mut state, 9), None);
    }

    #[test]
    fn fault_answers_are_telegrams() {
        let answer = Fault::RetryAfter(4).answer();
        assert_eq!(answer.status, 429);
        assert_eq!(answer.body["parameters"]["retry_after"], 4);
        assert_eq!(
            answer.body["description"],
            "Too Many Requests: retry after 4"
        );
        let answer = Fault::ServerError(502).answer();
        assert_eq!(
            (answer.status, &answer.body["description"]),
            (502, &json!("Bad Gateway"))
        );
        let answer = Fault::Migrate(-1009).answer();
        assert_eq!(answer.body["parameters"]["migrate_to_chat_id"], -1009);
    }
}
