//! The newsroom's rules, without I/O: who receives a breaking notice, how long a preview
//! lives, what the notice, the progress bar and the receipt look like, how `/correct` and
//! `/recall` name a notice, and the data of the preview's buttons (checked strictly: anyone
//! can send any callback data).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::digest::{Lang, escape_html};
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

/// The newsroom's sentences in one language. `{}` marks where `fill` puts a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewsroomTexts {
    pub editors_only: &'static str,
    pub breaking_prompt: &'static str,
    pub preview: &'static str,
    pub button_confirm: &'static str,
    pub button_cancel: &'static str,
    pub sending: &'static str,
    pub receipt: &'static str,
    pub cancelled: &'static str,
    pub expired: &'static str,
    pub already_sent: &'static str,
    pub not_editor_button: &'static str,
    pub stale_button: &'static str,
    pub no_notice: &'static str,
    pub correct_usage: &'static str,
    pub corrected: &'static str,
    pub recalled: &'static str,
    pub recalling: &'static str,
    pub correcting: &'static str,
    pub last_notice: &'static str,
    pub empty_notice: &'static str,
    pub too_long: &'static str,
    pub stats: &'static str,
    pub build_problem: &'static str,
    pub audit_empty: &'static str,
    pub notice_usage: &'static str,
    pub notice_added: &'static str,
    pub notice_removed: &'static str,
    pub notice_missing: &'static str,
    pub notice_list_empty: &'static str,
    pub no_digest_today: &'static str,
    pub upload_report: &'static str,
    pub button_publish: &'static str,
    pub button_discard: &'static str,
    pub button_publish_update: &'static str,
    pub published: &'static str,
    pub published_update: &'static str,
    pub discarded: &'static str,
    pub upload_unreadable: &'static str,
    pub upload_too_big: &'static str,
    pub upload_wrong_type: &'static str,
    pub commands: &'static [(&'static str, &'static str)],
}

/// Chinese.
pub const NEWSROOM_ZH: NewsroomTexts = NewsroomTexts {
    editors_only: "这个命令只供编辑使用。",
    breaking_prompt: "请发送突发消息的内容（15 分钟内有效）。",
    preview: "预览（居民将看到下面的内容）：\n\n{}\n\n将发送给 {} 位订阅者。确认发送？预览 15 分钟内有效。",
    button_confirm: "✅ 确认发送",
    button_cancel: "✖ 取消",
    sending: "正在发送突发消息 #{}：{}",
    receipt: "突发消息 #{} 已发送：送达 {}，已屏蔽 {}，失败 {}，撤回 {}，用时 {} 秒。",
    cancelled: "已取消，没有发送任何消息。",
    expired: "预览已过期（超过 15 分钟），没有发送。请重新发送 /breaking。",
    already_sent: "这条消息已经确认过了（#{}），不会重复发送。",
    not_editor_button: "只有编辑可以操作。",
    stale_button: "这个按钮已失效。",
    no_notice: "没有找到这条突发消息。",
    correct_usage: "用法：/correct [#编号] 更正后的内容",
    corrected: "突发消息 #{} 已更正：{} 条已修改，{} 条无法修改。",
    recalled: "突发消息 #{} 已撤回：{} 条已删除，{} 条未送出，{} 条无法删除。",
    recalling: "正在撤回突发消息 #{}：不会再发出任何一条，已送出的正在删除。",
    correcting: "正在更正突发消息 #{}：之后发出的都是新内容，已送出的正在修改。",
    last_notice: "#{} · 送达 {}，屏蔽 {}，失败 {}，撤回 {}",
    empty_notice: "消息内容是空的。",
    too_long: "消息太长（{} 字），请控制在 3500 字以内。",
    stats: "订阅者：活跃 {}，暂停 {}，已退订 {}，已屏蔽 {}\n语言：中文 {}，English {}\n栏目：要闻 {}，天气 {}，通知 {}，图片 {}，突发 {}\n今日送达：已送 {}，待送 {}，失败 {}，屏蔽 {}，错过 {}\n最近的突发消息：{}",
    build_problem: "\n⚠️ 今天的摘要还没能生成（已尝试 {} 次，最近一次 {}）：{}",
    audit_empty: "还没有编辑操作记录。",
    notice_usage: "用法：/notice 通知内容 · /notice list · /notice remove 编号",
    notice_added: "已加入今天的摘要：第 {} 条通知。尚未送达的居民会在摘要里看到它。",
    notice_removed: "已从今天的摘要中删除第 {} 条通知。",
    notice_missing: "今天的摘要里没有第 {} 条通知。",
    notice_list_empty: "今天的摘要里还没有通知。",
    no_digest_today: "今天的摘要还没有生成，请稍后再试。",
    upload_report: "版面解析结果：\n{}\n发布为今天的版面吗？",
    button_publish: "📰 发布为今天的版面",
    button_discard: "✖ 丢弃",
    button_publish_update: "📰 发布并补发给今天已送达的居民",
    published: "已发布为 {} 的摘要：{} 篇文章。/today 和搜索已使用新版面，今天尚未送达的居民会收到它；已送达的 {} 位不会重复收到。",
    published_update: "已发布为 {} 的摘要：{} 篇文章，并已安排向今天已送达的 {} 位居民补发新版。",
    discarded: "已丢弃，没有任何改动。",
    upload_unreadable: "无法读取这个版面：{}",
    upload_too_big: "文件太大（{} 字节），上限是 {} 字节。",
    upload_wrong_type: "请发送 .txt 或 .html 文件。",
    commands: &[
        ("breaking", "发送突发消息"),
        ("correct", "更正突发消息"),
        ("recall", "撤回突发消息"),
        ("notice", "给今天的摘要加通知"),
        ("stats", "订阅与送达统计"),
        ("audit", "最近 20 条编辑操作"),
    ],
};

/// English.
pub const NEWSROOM_EN: NewsroomTexts = NewsroomTexts {
    editors_only: "This command is for editors only.",
    breaking_prompt: "Send the text of the breaking notice (within 15 minutes).",
    preview: "Preview (residents will see what follows):\n\n{}\n\nIt will go to {} subscribers. Send it? The preview expires in 15 minutes.",
    button_confirm: "✅ Send",
    button_cancel: "✖ Cancel",
    sending: "Sending breaking notice #{}: {}",
    receipt: "Breaking notice #{} sent: delivered {}, blocked {}, failed {}, withdrawn {}, in {} s.",
    cancelled: "Cancelled; nothing was sent.",
    expired: "The preview expired (over 15 minutes); nothing was sent. Send /breaking again.",
    already_sent: "This notice was already confirmed (#{}); it will not be sent twice.",
    not_editor_button: "Only editors can do that.",
    stale_button: "This button is no longer valid.",
    no_notice: "No such breaking notice.",
    correct_usage: "Usage: /correct [#N] corrected text",
    corrected: "Breaking notice #{} corrected: {} copies edited, {} could not be.",
    recalled: "Breaking notice #{} recalled: {} copies deleted, {} never sent, {} could not be reached.",
    recalling: "Recalling breaking notice #{}: no more copies go out; those sent are being deleted.",
    correcting: "Correcting breaking notice #{}: copies sent from now carry the new text; those sent are being edited.",
    last_notice: "#{} · delivered {}, blocked {}, failed {}, withdrawn {}",
    empty_notice: "The notice is empty.",
    too_long: "The notice is too long ({} characters); keep it under 3500.",
    stats: "Subscribers: active {}, paused {}, stopped {}, blocked {}\nLanguages: Chinese {}, English {}\nSections: headlines {}, weather {}, notices {}, photos {}, breaking {}\nToday's deliveries: sent {}, pending {}, failed {}, blocked {}, missed {}\nLast breaking notice: {}",
    build_problem: "\n⚠️ Today's digest could not be built yet ({} attempts, last at {}): {}",
    audit_empty: "No newsroom actions yet.",
    notice_usage: "Usage: /notice TEXT · /notice list · /notice remove N",
    notice_added: "Added to today's digest as notice {}. Residents not yet delivered will see it.",
    notice_removed: "Removed notice {} from today's digest.",
    notice_missing: "Today's digest has no notice {}.",
    notice_list_empty: "Today's digest has no notices yet.",
    no_digest_today: "Today's digest is not built yet; please try again later.",
    upload_report: "The page reads as:\n{}\nPublish it as today's edition?",
    button_publish: "📰 Publish as today's edition",
    button_discard: "✖ Discard",
    button_publish_update: "📰 Publish and resend to those already delivered",
    published: "Published as the digest of {}: {} articles. /today and search use it now, and residents not yet delivered today will get it; the {} already delivered will not get it again.",
    published_update: "Published as the digest of {}: {} articles, and the new edition is queued for the {} residents already delivered today.",
    discarded: "Discarded; nothing changed.",
    upload_unreadable: "This page cannot be read: {}",
    upload_too_big: "The file is too large ({} bytes); the limit is {} bytes.",
    upload_wrong_type: "Please send a .txt or .html file.",
    commands: &[
        ("breaking", "send a breaking notice"),
        ("correct", "correct a breaking notice"),
        ("recall", "recall a breaking notice"),
        ("notice", "add a notice to today's digest"),
        ("stats", "subscribers and deliveries"),
        ("audit", "the last 20 newsroom actions"),
    ],
};

/// The newsroom's texts in `lang`.
#[must_use]
pub fn newsroom_texts(lang: Lang) -> &'static NewsroomTexts {
    match lang {
        Lang::Zh => &NEWSROOM_ZH,
        Lang::En => &NEWSROOM_EN,
    }
}

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

/// Where a breaking notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeState {
    /// Confirmed; recipients are being put in the outbox.
    Enqueuing,
    /// In the outbox.
    Sending,
    /// Every copy has an outcome; the receipt is written.
    Sent,
}

/// A confirmed breaking notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// `#N`.
    pub number: u64,
    /// The text as confirmed.
    pub text: String,
    /// The text after `/correct`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// True after `/recall`.
    #[serde(default)]
    pub recalled: bool,
    /// The editor who confirmed it.
    pub editor: i64,
    /// The editor's chat and the preview message that shows progress and the receipt.
    pub preview: (i64, i32),
    /// The editor's language.
    pub lang: Lang,
    /// Where it stands.
    pub state: NoticeState,
    /// Recipients put in the outbox.
    pub recipients: usize,
    /// When it was confirmed.
    pub confirmed_at: DateTime<Utc>,
    /// The receipt, once every copy has an outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<NoticeCounts>,
    /// When the last copy got its outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Recalls and corrections started so far (each copy records the last one it went
    /// through).
    #[serde(default)]
    pub actions: u32,
    /// The recall or correction under way, until it has handled every copy (a restart
    /// resumes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<super::notice_action::NoticeAction>,
}

impl Notice {
    /// The text residents should see now.
    #[must_use]
    pub fn current_text(&self) -> &str {
        self.corrected.as_deref().unwrap_or(&self.text)
    }
}

/// Where a preview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "state", content = "notice")]
pub enum DraftState {
    /// Waiting for confirm or cancel.
    Open,
    /// Confirmed as notice `#N`.
    Confirmed(u64),
    /// Cancelled.
    Cancelled,
}

/// A preview waiting for an editor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Its id (in the buttons).
    pub id: u64,
    /// Who wrote it.
    pub editor: i64,
    /// The text.
    pub text: String,
    /// The editor's language.
    pub lang: Lang,
    /// When the preview was made.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: DraftState,
}

/// Where an uploaded page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadState {
    /// Waiting for publish or discard.
    Open,
    /// Published as the day's edition.
    Published,
    /// Discarded.
    Discarded,
}

/// A page an editor uploaded or pasted, waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// Its id (in the buttons).
    pub id: u64,
    /// Who sent it.
    pub editor: i64,
    /// The page's text, decoded.
    pub text: String,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: UploadState,
}

/// One line of the newsroom's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Which editor (or outsider, for refusals).
    pub editor: i64,
    /// What: `preview`, `confirm`, `cancel`, `sent`, `correct`, `recall`.
    pub action: String,
    /// The notice, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<u64>,
    /// Counts or a short detail.
    #[serde(default)]
    pub detail: String,
}

impl std::fmt::Display for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} · {} · {}",
            self.at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.editor,
            self.action
        )?;
        if let Some(n) = self.notice {
            write!(f, " #{n}")?;
        }
        if !self.detail.is_empty() {
            write!(f, " · {}", self.detail)?;
        }
        Ok(())
    }
}
