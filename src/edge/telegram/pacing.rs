//! The one pacing policy inside Telegram's limits: a `governor` rate limiter for the bot as a
//! whole (`NEWSBOT_BROADCAST_RATE` messages a second), and each chat's turn (about one a second
//! into a private chat, twenty a minute into a group) measured from the answer to the chat's
//! previous message, so a long wait for an overall slot can never squeeze two messages into
//! one chat's second. A 429 answer holds every sender back for its
//! `retry_after`, and a semaphore bounds the requests in flight (which also bounds what a
//! crash can leave half-recorded). Chat replies take their slot from the same overall limiter,
//! ahead of broadcast copies: a broadcast sender waits while a reply is waiting.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

use crate::core::subscriber::SubscriberId;

/// Spacing of messages into one private chat: Telegram allows about one a second; a little
/// more keeps timer jitter from ever putting two into one second.
pub const PRIVATE_CHAT_SPACING: Duration = Duration::from_millis(1_050);
/// Spacing of messages into one group: Telegram allows twenty a minute.
pub const GROUP_CHAT_SPACING: Duration = Duration::from_millis(3_050);

/// The limits to pace by.
#[derive(Debug, Clone, Copy)]
pub struct PaceLimits {
    /// Messages a second for the whole bot.
    pub messages_per_second: u32,
    /// Requests in flight at once.
    pub in_flight: usize,
    /// Spacing per private chat.
    pub private_spacing: Duration,
    /// Spacing per group.
    pub group_spacing: Duration,
}

impl PaceLimits {
    /// Telegram's limits at `messages_per_second` for the whole bot.
    #[must_use]
    pub fn telegram(messages_per_second: u32, in_flight: usize) -> Self {
        Self {
            messages_per_second,
            in_flight,
            private_spacing: PRIVATE_CHAT_SPACING,
            group_spacing: GROUP_CHAT_SPACING,
        }
    }
}

/// Shared by every sender of a broadcast.
pub struct Pacer {
    overall: DefaultDirectRateLimiter,
    private_spacing: Duration,
    group_spacing: Duration,
    /// When each chat may next receive a message.
    chat_turns: Mutex<HashMap<i64, Instant>>,
    held_until: Mutex<Option<Instant>>,
    in_flight: Semaphore,
    replies_waiting: std::sync::atomic::AtomicUsize,
    reply_sent: tokio::sync::Notify,
    broadcast_turn: tokio::sync::Mutex<()>,
    /// Half the overall rate, for broadcasts while warming up (see [`Pacer::warm_up`]).
    warm_up_rate: DefaultDirectRateLimiter,
    warm_until: Mutex<Option<Instant>>,
}

fn spacing_quota(spacing: Duration) -> Quota {
    Quota::with_period(spacing.max(Duration::from_micros(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
}

impl Pacer {
    /// A pacer for `limits`. The overall limiter has a burst of one: messages leave evenly
    /// spaced, so no one-second window ever holds more than the rate.
    #[must_use]
    pub fn new(limits: PaceLimits) -> Self {
        let rate = limits.messages_per_second.max(1);
        let period = Duration::from_secs_f64(1.0 / f64::from(rate));
        Self {
            overall: RateLimiter::direct(spacing_quota(period)),
            private_spacing: limits.private_spacing,
            group_spacing: limits.group_spacing,
            chat_turns: Mutex::new(HashMap::new()),
            held_until: Mutex::new(None),
            in_flight: Semaphore::new(limits.in_flight.max(1)),
            replies_waiting: std::sync::atomic::AtomicUsize::new(0),
            reply_sent: tokio::sync::Notify::new(),
            broadcast_turn: tokio::sync::Mutex::new(()),
            warm_up_rate: RateLimiter::direct(spacing_quota(period * 2)),
            warm_until: Mutex::new(None),
        }
    }

    /// Sends broadcasts at half the rate for `length` (replies keep theirs): a new leader
    /// starts so after taking over, since the messages of the one before it may still count
    /// against the bot's limits, and a burst at full rate would meet them as 429s.
    pub fn warm_up(&self, length: Duration) {
        *self
            .warm_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now() + length);
    }

    fn warming(&self) -> bool {
        self.warm_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|until| until > Instant::now())
    }

    /// Waits until a message may go to `chat`, and returns the turn to hold while the request
    /// is in flight; dropping it (when the answer is in) starts the chat's spacing.
    pub async fn ready(&self, chat: SubscriberId) -> SendTurn<'_> {
        // The chat's own pace first, so a chat waiting its turn holds no overall slot.
        self.wait_for_chat(chat).await;
        // Only a closed semaphore fails to give a permit, and this one is never closed.
        let permit = self.in_flight.acquire().await.ok();
        let permit = SendTurn {
            pacer: self,
            chat,
            _in_flight: permit,
        };
        // A 429 may arrive while this sender waits for its overall slot: check again after.
        loop {
            self.wait_out_hold().await;
            // One broadcast sender at a time waits inside the limiter, so a reply that comes
            // along competes with that one only, never with the whole queue.
            let turn = self.broadcast_turn.lock().await;
            self.give_way_to_replies().await;
            self.overall.until_ready().await;
            if self.warming() {
                self.warm_up_rate.until_ready().await;
            }
            drop(turn);
            if !self.is_held() {
                return permit;
            }
        }
    }

    /// Waits for a chat reply's slot: after any 429 hold, from the overall limiter, ahead of
    /// every broadcast copy still waiting for one. Replies take no in-flight permit and no
    /// per-chat turn (a reply answers the message just received).
    pub async fn reply_slot(&self) {
        /// Counts a waiting reply, and stops counting it however the wait ends (a reply
        /// dropped mid-wait must not hold broadcasts back for good).
        struct Waiting<'a>(&'a Pacer);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                use std::sync::atomic::Ordering;
                self.0.replies_waiting.fetch_sub(1, Ordering::AcqRel);
                self.0.reply_sent.notify_waiters();
            }
        }
        self.replies_waiting
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        let _waiting = Waiting(self);
        loop {
            self.wait_out_hold().await;
            self.overall.until_ready().await;
            if !self.is_held() {
                break;
            }
        }
    }

    /// Broadcast senders wait while replies wait (replies are few and short).
    async fn give_way_to_replies(&self) {
        use std::sync::atomic::Ordering;
        loop {
            let sent = self.reply_sent.notified();
            if self.replies_waiting.load(Ordering::Acquire) == 0 {
                return;
            }
            sent.await;
        }
    }

    /// Holds every sender back for `wait` (a 429's `retry_after`).
    pub fn hold_off(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut held = self
            .held_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.is_none_or(|h| h < until) {
            *held = Some(until);
        }
    }

    fn is_held(&self) -> bool {
        self.held_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|until| until > Instant::now())
    }

    async fn wait_out_hold(&self) {
        loop {
            let until = *self
                .held_until
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    fn spacing(&self, chat: SubscriberId) -> Duration {
        if chat.is_group_chat() {
            self.group_spacing
        } else {
            self.private_spacing
        }
    }

    fn turns(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Instant>> {
        self.chat_turns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for `chat`'s turn and takes it: the next message to the chat waits at least the
    /// chat's spacing from now, and from the answer once it is in.
    async fn wait_for_chat(&self, chat: SubscriberId) {
        loop {
            let now = Instant::now();
            let next = {
                let mut turns = self.turns();
                match turns.get(&chat.0) {
                    Some(&at) if at > now => Some(at),
                    _ => {
                        turns.insert(chat.0, now + self.spacing(chat));
                        None
                    }
                }
            };
            match next {
                Some(at) => tokio::time::sleep_until(at).await,
                None => return,
            }
        }
    }

    /// The answer to a message to `chat` is in: its next message waits the spacing from now.
    fn answered(&self, chat: SubscriberId) {
        let next = Instant::now() + self.spacing(chat);
        let mut turns = self.turns();
        let at = turns.entry(chat.0).or_insert(next);
        if *at < next {
            *at = next;
        }
    }

    /// Forgets the turns of chats whose spacing is over, to bound memory.
    pub fn forget_idle_chats(&self) {
        let now = Instant::now();
        self.turns().retain(|_, at| *at > now);
    }
}

/// A message's turn: an in-flight slot, and the chat's spacing started when it is dropped.
pub struct SendTurn<'a> {
    pacer: &'a Pacer,
    chat: SubscriberId,
    _in_flight: Option<SemaphorePermit<'a>>,
}

impl Drop for SendTurn<'_> {
    fn drop(&mut self) {
        self.pacer.answered(self.chat);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reply_goes_ahead_of_the_broadcast_queue() {
        let pacer = Arc::new(Pacer::new(PaceLimits::telegram(20, 64)));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut copies = Vec::new();
        for chat in 1..=12 {
            let (pacer, order) = (Arc::clone(&pacer), Arc::clone(&order));
            copies.push(tokio::spawn(async move {
                let _permit = pacer.ready(SubscriberId(chat)).await;
                order.lock().expect("order").push(format!("copy {chat}"));
            }));
        }
        // Let the copies queue up (the first takes the first slot), then a resident asks.
        tokio::time::sleep(Duration::from_millis(20)).await;
        pacer.reply_slot().await;
        order.lock().expect("order").push("reply".to_owned());
        for copy in copies {
            copy.await.expect("copy");
        }
        let order = order.lock().expect("order").clone();
        let at = order.iter().position(|o| o == "reply").expect("reply sent");
        assert!(at <= 2, "the reply waited behind {at} copies: {order:?}");
        assert_eq!(order.len(), 13, "every copy still goes");
    }

    /// While warming up, broadcasts leave at half the rate: no two closer than two periods
    /// (the limiter's spacing is a floor, so load can only widen the gaps).
    #[tokio::test]
    async fn a_warming_pacer_sends_at_half_the_rate() {
        let rate = 200;
        let period = Duration::from_secs_f64(1.0 / f64::from(rate));
        let pacer = Pacer::new(PaceLimits {
            messages_per_second: rate,
            in_flight: 8,
            private_spacing: Duration::ZERO,
            group_spacing: Duration::ZERO,
        });
        pacer.warm_up(Duration::from_secs(60));
        let mut times = Vec::new();
        for chat in 1..=12 {
            drop(pacer.ready(SubscriberId(chat)).await);
            times.push(Instant::now());
        }
        let closest = times.windows(2).map(|w| w[1] - w[0]).min().expect("gaps");
        assert!(
            closest >= period * 19 / 10,
            "closest gap {closest:?}, period {period:?}"
        );
        *pacer.warm_until.lock().expect("lock") = None;
        assert!(!pacer.warming(), "warm-up ends");
    }

    /// A chat's spacing runs from the answer, not from when its turn began: a slow answer
    /// cannot put the next message into the same second.
    #[tokio::test]
    async fn a_chats_spacing_runs_from_the_answer_to_its_last_message() {
        let spacing = Duration::from_millis(60);
        let pacer = Pacer::new(PaceLimits {
            messages_per_second: 1000,
            in_flight: 8,
            private_spacing: spacing,
            group_spacing: spacing * 3,
        });
        let chat = SubscriberId(42);
        let start = Instant::now();
        let turn = pacer.ready(chat).await;
        let slow_answer = Duration::from_millis(50);
        tokio::time::sleep(slow_answer).await;
        drop(turn);
        drop(pacer.ready(chat).await);
        let waited = Instant::now() - start;
        assert!(
            waited >= slow_answer + spacing,
            "second message after {waited:?}"
        );
        // Groups wait longer.
        let group = SubscriberId(-1_001);
        drop(pacer.ready(group).await);
        let before = Instant::now();
        drop(pacer.ready(group).await);
        assert!(Instant::now() - before >= spacing * 3);
        // Turns whose spacing is over are forgotten.
        tokio::time::sleep(spacing * 4).await;
        pacer.forget_idle_chats();
        assert!(pacer.turns().is_empty());
    }
}
