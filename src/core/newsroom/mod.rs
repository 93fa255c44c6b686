//! The newsroom's rules, without I/O: who receives a breaking notice, how long a preview
//! lives, what the notice, the progress bar and the receipt look like, how `/correct` and
//! `/recall` name a notice, and the data of the preview's buttons (checked strictly: anyone
//! can send any callback data).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::digest::{Lang, escape_html};
use super::edition_id::EditionId;
use super::edition_routes::EditionRoutes;
use super::subscriber::{Status, Subscriber, Topic};

/// How long a preview can be confirmed.
pub const PREVIEW_TTL: Duration = Duration::minutes(15);
/// Longest notice text, in characters (well inside Telegram's 4096 with the heading).
pub const MAX_NOTICE_CHARS: usize = 3500;
/// Cells of the progress bar.
const BAR_CELLS: usize = 8;

/// True when `subscriber` receives breaking notices: active with the breaking topic on.
/// A pause stops the digest, not breaking news.
#[must_use]
pub fn receives_breaking(subscriber: &Subscriber) -> bool {
    subscriber.status == Status::Active && subscriber.topics.contains(&Topic::Breaking)
}

/// True when `subscriber` receives a breaking notice for `editions`: they take breaking
/// notices and follow one of them (`editions` empty: every subscriber).
#[must_use]
pub fn reaches(subscriber: &Subscriber, editions: &[EditionId], routes: &EditionRoutes) -> bool {
    receives_breaking(subscriber)
        && (editions.is_empty()
            || routes
                .followed(subscriber)
                .iter()
                .any(|f| editions.contains(&f.edition)))
}

/// True when a preview made at `created` can no longer be confirmed at `now`.
#[must_use]
pub fn preview_expired(created: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - created > PREVIEW_TTL
}

/// Why a notice text cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeTextError {
    /// Nothing to send.
    #[error("the notice is empty")]
    Empty,
    /// Too long for one message.
    #[error("the notice has {0} characters, more than {MAX_NOTICE_CHARS}")]
    TooLong(usize),
}

/// Checks an editor's notice text and trims it.
///
/// # Errors
/// [`NoticeTextError`] when it is empty or too long.
pub fn notice_text(text: &str) -> Result<String, NoticeTextError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        Err(NoticeTextError::Empty)
    } else if chars > MAX_NOTICE_CHARS {
        Err(NoticeTextError::TooLong(chars))
    } else {
        Ok(text.to_owned())
    }
}

/// The notice as residents see it (Telegram HTML).
#[must_use]
pub fn render_notice(text: &str, lang: Lang, corrected: bool) -> String {
    let heading = match (lang, corrected) {
        (Lang::Zh, false) => "🔴 突发消息",
        (Lang::Zh, true) => "🔴 突发消息（更正）",
        (Lang::En, false) => "🔴 Breaking",
        (Lang::En, true) => "🔴 Breaking (corrected)",
    };
    format!("<b>{heading}</b>\n{}", escape_html(text))
}

/// `1,200`.
#[must_use]
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `▓▓▓▓░░░░ 1,200/3,000`.
#[must_use]
pub fn progress_bar(done: usize, total: usize) -> String {
    let filled = (done.min(total) * BAR_CELLS)
        .checked_div(total)
        .unwrap_or(BAR_CELLS);
    format!(
        "{}{} {}/{}",
        "▓".repeat(filled),
        "░".repeat(BAR_CELLS - filled),
        thousands(done),
        thousands(total)
    )
}

/// A notice named in `/correct` or `/recall`: `#N` or nothing (the latest), then the text.
#[must_use]
pub fn parse_notice_ref(args: &str) -> (Option<u64>, &str) {
    let args = args.trim();
    let Some(rest) = args.strip_prefix('#').or_else(|| args.strip_prefix('＃')) else {
        return (None, args);
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    match rest[..end].parse() {
        Ok(n) => (Some(n), rest[end..].trim()),
        Err(_) => (None, args),
    }
}

/// What `/notice` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeRequest {
    /// Add this text as a notice.
    Add(String),
    /// List today's notices.
    List,
    /// Remove notice `N` (1-based, as listed).
    Remove(usize),
    /// Nothing usable.
    Usage,
}

/// Reads `/notice`'s arguments.
#[must_use]
pub fn parse_notice_request(args: &str) -> NoticeRequest {
    let args = args.trim();
    let mut words = args.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (None, _, _) => NoticeRequest::Usage,
        (Some("list"), None, _) => NoticeRequest::List,
        (Some("remove"), Some(n), None) => match n.trim_start_matches('#').parse() {
            Ok(n) if n > 0 => NoticeRequest::Remove(n),
            _ => NoticeRequest::Usage,
        },
        _ => NoticeRequest::Add(args.to_owned()),
    }
}

/// What a preview button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeButton {
    /// Send the draft.
    Confirm(u64),
    /// Drop the draft.
    Cancel(u64),
    /// Publish an uploaded page as today's edition.
    Publish(u64),
    /// Discard an uploaded page.
    Discard(u64),
    /// Publish an uploaded page and send it again to those already delivered today.
    PublishAndUpdate(u64),
    /// Send the draft to these of the editor's editions: 0 all of them, N the Nth (from 1,
    /// in the editions file's order).
    Target(u64, u8),
}

/// A notice's counts, for the progress bar and the receipt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeCounts {
    /// Recipients.
    pub total: usize,
    /// Delivered.
    pub delivered: usize,
    /// Chats gone.
    pub blocked: usize,
    /// Given up.
    pub failed: usize,
    /// Taken back by `/recall`: never sent, or deleted.
    #[serde(default)]
    pub withdrawn: usize,
}

impl NoticeCounts {
    /// Recipients with an outcome.
    #[must_use]
    pub fn done(&self) -> usize {
        self.delivered + self.blocked + self.failed + self.withdrawn
    }
}

mod records;
mod texts;

pub use records::{AuditEntry, Draft, DraftState, Notice, NoticeState, Upload, UploadState};
pub use texts::{NEWSROOM_EN, NEWSROOM_ZH, NewsroomTexts, Stats, newsroom_texts};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::subscriber::{ChatKind, SubscriberId};

    #[test]
    fn breaking_goes_to_active_subscribers_with_the_topic_paused_or_not() {
        let now = Utc::now();
        let mut s = Subscriber::new(SubscriberId(1), ChatKind::Private, now);
        assert!(receives_breaking(&s));
        s.pause(7, now);
        assert!(
            receives_breaking(&s),
            "a pause stops the digest, not breaking news"
        );
        s.toggle(Topic::Breaking);
        assert!(!receives_breaking(&s));
        s.toggle(Topic::Breaking);
        for status in [Status::Stopped, Status::Blocked] {
            s.status = status;
            assert!(!receives_breaking(&s));
        }
    }

    #[test]
    fn previews_expire_after_fifteen_minutes() {
        let made = Utc::now();
        assert!(!preview_expired(made, made + Duration::minutes(15)));
        assert!(preview_expired(
            made,
            made + Duration::minutes(15) + Duration::seconds(1)
        ));
    }

    #[test]
    fn progress_bars_and_numbers_read_well() {
        assert_eq!(progress_bar(1200, 3000), "▓▓▓░░░░░ 1,200/3,000");
        assert_eq!(progress_bar(1500, 3000), "▓▓▓▓░░░░ 1,500/3,000");
        assert_eq!(progress_bar(0, 0), "▓▓▓▓▓▓▓▓ 0/0");
        assert_eq!(progress_bar(3000, 3000), "▓▓▓▓▓▓▓▓ 3,000/3,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn notice_references_and_texts_parse() {
        assert_eq!(parse_notice_ref("#12 新的内容"), (Some(12), "新的内容"));
        assert_eq!(parse_notice_ref("＃3"), (Some(3), ""));
        assert_eq!(parse_notice_ref("只有内容"), (None, "只有内容"));
        assert_eq!(parse_notice_ref("#abc text"), (None, "#abc text"));
        assert_eq!(notice_text("  停水通知  "), Ok("停水通知".to_owned()));
        assert_eq!(notice_text(" \n"), Err(NoticeTextError::Empty));
        assert!(matches!(
            notice_text(&"字".repeat(3501)),
            Err(NoticeTextError::TooLong(3501))
        ));
        assert_eq!(
            render_notice("a < b & c", Lang::En, false),
            "<b>🔴 Breaking</b>\na &lt; b &amp; c"
        );
    }

    #[test]
    fn notice_requests_parse() {
        assert_eq!(parse_notice_request("list"), NoticeRequest::List);
        assert_eq!(parse_notice_request("remove 2"), NoticeRequest::Remove(2));
        assert_eq!(parse_notice_request("remove #3"), NoticeRequest::Remove(3));
        assert_eq!(parse_notice_request("remove 0"), NoticeRequest::Usage);
        assert_eq!(parse_notice_request("  "), NoticeRequest::Usage);
        assert_eq!(
            parse_notice_request("明天停电 8:00-12:00"),
            NoticeRequest::Add("明天停电 8:00-12:00".to_owned())
        );
    }
}
