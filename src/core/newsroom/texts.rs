//! The newsroom's sentences, once per language, each hole typed: a message with values is a
//! function of them.

use super::super::digest::Lang;
use super::super::ledger::{DeliveryState, LedgerCounts};
use super::{Notice, NoticeCounts};

/// The figures behind `/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Active and not paused.
    pub active: usize,
    /// Active but paused.
    pub paused: usize,
    /// Stopped.
    pub stopped: usize,
    /// Blocked.
    pub blocked: usize,
    /// By language: Chinese.
    pub zh: usize,
    /// English.
    pub en: usize,
    /// Subscribers with each topic on, in `Topic::ALL` order.
    pub topics: [usize; 5],
    /// Today's ledger.
    pub today: LedgerCounts,
    /// The latest notice.
    pub last_notice: Option<Notice>,
}

/// The newsroom's sentences in one language. A sentence with values is a function of them, so
/// the compiler checks every hole.
#[derive(Debug, Clone, Copy)]
pub struct NewsroomTexts {
    pub editors_only: &'static str,
    pub breaking_prompt: &'static str,
    /// HTML: the notice comes already rendered; the frame around it holds no markup characters.
    pub preview: fn(&str, &str) -> String,
    pub button_confirm: &'static str,
    pub button_cancel: &'static str,
    pub sending: fn(&str, &str) -> String,
    /// The receipt: the notice's number, its counts and the seconds it took.
    pub receipt: fn(u64, &NoticeCounts, i64) -> String,
    pub cancelled: &'static str,
    pub expired: &'static str,
    pub already_sent: fn(&str) -> String,
    pub not_editor_button: &'static str,
    pub stale_button: &'static str,
    pub no_notice: &'static str,
    pub correct_usage: &'static str,
    pub corrected: fn(&str, &str, &str) -> String,
    pub recalled: fn(&str, &str, &str, &str) -> String,
    pub recalling: fn(&str) -> String,
    pub correcting: fn(&str) -> String,
    /// `/stats`' line about the latest notice: its number and counts.
    pub last_notice: fn(u64, &NoticeCounts) -> String,
    pub empty_notice: &'static str,
    pub too_long: fn(&str) -> String,
    /// `/stats`: the figures and the line about the latest notice.
    pub stats: fn(&Stats, &str) -> String,
    pub build_problem: fn(&str, &str, &str) -> String,
    pub audit_empty: &'static str,
    pub notice_usage: &'static str,
    pub notice_added: fn(&str) -> String,
    pub notice_removed: fn(&str) -> String,
    pub notice_missing: fn(&str) -> String,
    pub notice_list_empty: &'static str,
    pub no_digest_today: &'static str,
    pub upload_report: fn(&str) -> String,
    pub button_publish: &'static str,
    pub button_discard: &'static str,
    pub button_publish_update: &'static str,
    pub published: fn(&str, &str, &str) -> String,
    pub published_update: fn(&str, &str, &str) -> String,
    pub discarded: &'static str,
    pub upload_unreadable: fn(&str) -> String,
    pub upload_too_big: fn(&str, &str) -> String,
    pub upload_wrong_type: &'static str,
    pub commands: &'static [(&'static str, &'static str)],
}

/// Chinese.
pub const NEWSROOM_ZH: NewsroomTexts = NewsroomTexts {
    editors_only: "这个命令只供编辑使用。",
    breaking_prompt: "请发送突发消息的内容（15 分钟内有效）。",
    preview: |notice, subscribers| {
        format!(
            "预览（居民将看到下面的内容）：\n\n{notice}\n\n将发送给 {subscribers} 位订阅者。确认发送？预览 15 分钟内有效。"
        )
    },
    button_confirm: "✅ 确认发送",
    button_cancel: "✖ 取消",
    sending: |number, progress| format!("正在发送突发消息 #{number}：{progress}"),
    receipt: |number, c, seconds| {
        format!(
            "突发消息 #{number} 已发送：送达 {}，已屏蔽 {}，失败 {}，撤回 {}，用时 {seconds} 秒。",
            c.delivered, c.blocked, c.failed, c.withdrawn
        )
    },
    cancelled: "已取消，没有发送任何消息。",
    expired: "预览已过期（超过 15 分钟），没有发送。请重新发送 /breaking。",
    already_sent: |number| format!("这条消息已经确认过了（#{number}），不会重复发送。"),
    not_editor_button: "只有编辑可以操作。",
    stale_button: "这个按钮已失效。",
    no_notice: "没有找到这条突发消息。",
    correct_usage: "用法：/correct [#编号] 更正后的内容",
    corrected: |number, edited, unreachable| {
        format!("突发消息 #{number} 已更正：{edited} 条已修改，{unreachable} 条无法修改。")
    },
    recalled: |number, deleted, never_sent, unreachable| {
        format!(
            "突发消息 #{number} 已撤回：{deleted} 条已删除，{never_sent} 条未送出，{unreachable} 条无法删除。"
        )
    },
    recalling: |number| {
        format!("正在撤回突发消息 #{number}：不会再发出任何一条，已送出的正在删除。")
    },
    correcting: |number| {
        format!("正在更正突发消息 #{number}：之后发出的都是新内容，已送出的正在修改。")
    },
    last_notice: |number, c| {
        format!(
            "#{number} · 送达 {}，屏蔽 {}，失败 {}，撤回 {}",
            c.delivered, c.blocked, c.failed, c.withdrawn
        )
    },
    empty_notice: "消息内容是空的。",
    too_long: |chars| format!("消息太长（{chars} 字），请控制在 3500 字以内。"),
    stats: |s, last| {
        let [headlines, weather, notices, photos, breaking] = s.topics;
        let today = |state| s.today.get(state);
        format!(
            "订阅者：活跃 {}，暂停 {}，已退订 {}，已屏蔽 {}\n语言：中文 {}，English {}\n栏目：要闻 {headlines}，天气 {weather}，通知 {notices}，图片 {photos}，突发 {breaking}\n今日送达：已送 {}，待送 {}，失败 {}，屏蔽 {}，错过 {}\n最近的突发消息：{last}",
            s.active,
            s.paused,
            s.stopped,
            s.blocked,
            s.zh,
            s.en,
            today(DeliveryState::Sent),
            today(DeliveryState::Pending),
            today(DeliveryState::Failed),
            today(DeliveryState::Blocked),
            today(DeliveryState::Missed),
        )
    },
    build_problem: |attempts, at, message| {
        format!("\n⚠️ 今天的摘要还没能生成（已尝试 {attempts} 次，最近一次 {at}）：{message}")
    },
    audit_empty: "还没有编辑操作记录。",
    notice_usage: "用法：/notice 通知内容 · /notice list · /notice remove 编号",
    notice_added: |number| {
        format!("已加入今天的摘要：第 {number} 条通知。尚未送达的居民会在摘要里看到它。")
    },
    notice_removed: |number| format!("已从今天的摘要中删除第 {number} 条通知。"),
    notice_missing: |number| format!("今天的摘要里没有第 {number} 条通知。"),
    notice_list_empty: "今天的摘要里还没有通知。",
    no_digest_today: "今天的摘要还没有生成，请稍后再试。",
    upload_report: |report| format!("版面解析结果：\n{report}\n发布为今天的版面吗？"),
    button_publish: "📰 发布为今天的版面",
    button_discard: "✖ 丢弃",
    button_publish_update: "📰 发布并补发给今天已送达的居民",
    published: |date, articles, already_delivered| {
        format!(
            "已发布为 {date} 的摘要：{articles} 篇文章。/today 和搜索已使用新版面，今天尚未送达的居民会收到它；已送达的 {already_delivered} 位不会重复收到。"
        )
    },
    published_update: |date, articles, already_delivered| {
        format!(
            "已发布为 {date} 的摘要：{articles} 篇文章，并已安排向今天已送达的 {already_delivered} 位居民补发新版。"
        )
    },
    discarded: "已丢弃，没有任何改动。",
    upload_unreadable: |reason| format!("无法读取这个版面：{reason}"),
    upload_too_big: |size, limit| format!("文件太大（{size} 字节），上限是 {limit} 字节。"),
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
    preview: |notice, subscribers| {
        format!(
            "Preview (residents will see what follows):\n\n{notice}\n\nIt will go to {subscribers} subscribers. Send it? The preview expires in 15 minutes."
        )
    },
    button_confirm: "✅ Send",
    button_cancel: "✖ Cancel",
    sending: |number, progress| format!("Sending breaking notice #{number}: {progress}"),
    receipt: |number, c, seconds| {
        format!(
            "Breaking notice #{number} sent: delivered {}, blocked {}, failed {}, withdrawn {}, in {seconds} s.",
            c.delivered, c.blocked, c.failed, c.withdrawn
        )
    },
    cancelled: "Cancelled; nothing was sent.",
    expired: "The preview expired (over 15 minutes); nothing was sent. Send /breaking again.",
    already_sent: |number| {
        format!("This notice was already confirmed (#{number}); it will not be sent twice.")
    },
    not_editor_button: "Only editors can do that.",
    stale_button: "This button is no longer valid.",
    no_notice: "No such breaking notice.",
    correct_usage: "Usage: /correct [#N] corrected text",
    corrected: |number, edited, unreachable| {
        format!(
            "Breaking notice #{number} corrected: {edited} copies edited, {unreachable} could not be."
        )
    },
    recalled: |number, deleted, never_sent, unreachable| {
        format!(
            "Breaking notice #{number} recalled: {deleted} copies deleted, {never_sent} never sent, {unreachable} could not be reached."
        )
    },
    recalling: |number| {
        format!(
            "Recalling breaking notice #{number}: no more copies go out; those sent are being deleted."
        )
    },
    correcting: |number| {
        format!(
            "Correcting breaking notice #{number}: copies sent from now carry the new text; those sent are being edited."
        )
    },
    last_notice: |number, c| {
        format!(
            "#{number} · delivered {}, blocked {}, failed {}, withdrawn {}",
            c.delivered, c.blocked, c.failed, c.withdrawn
        )
    },
    empty_notice: "The notice is empty.",
    too_long: |chars| format!("The notice is too long ({chars} characters); keep it under 3500."),
    stats: |s, last| {
        let [headlines, weather, notices, photos, breaking] = s.topics;
        let today = |state| s.today.get(state);
        format!(
            "Subscribers: active {}, paused {}, stopped {}, blocked {}\nLanguages: Chinese {}, English {}\nSections: headlines {headlines}, weather {weather}, notices {notices}, photos {photos}, breaking {breaking}\nToday's deliveries: sent {}, pending {}, failed {}, blocked {}, missed {}\nLast breaking notice: {last}",
            s.active,
            s.paused,
            s.stopped,
            s.blocked,
            s.zh,
            s.en,
            today(DeliveryState::Sent),
            today(DeliveryState::Pending),
            today(DeliveryState::Failed),
            today(DeliveryState::Blocked),
            today(DeliveryState::Missed),
        )
    },
    build_problem: |attempts, at, message| {
        format!(
            "\n⚠️ Today's digest could not be built yet ({attempts} attempts, last at {at}): {message}"
        )
    },
    audit_empty: "No newsroom actions yet.",
    notice_usage: "Usage: /notice TEXT · /notice list · /notice remove N",
    notice_added: |number| {
        format!(
            "Added to today's digest as notice {number}. Residents not yet delivered will see it."
        )
    },
    notice_removed: |number| format!("Removed notice {number} from today's digest."),
    notice_missing: |number| format!("Today's digest has no notice {number}."),
    notice_list_empty: "Today's digest has no notices yet.",
    no_digest_today: "Today's digest is not built yet; please try again later.",
    upload_report: |report| format!("The page reads as:\n{report}\nPublish it as today's edition?"),
    button_publish: "📰 Publish as today's edition",
    button_discard: "✖ Discard",
    button_publish_update: "📰 Publish and resend to those already delivered",
    published: |date, articles, already_delivered| {
        format!(
            "Published as the digest of {date}: {articles} articles. /today and search use it now, and residents not yet delivered today will get it; the {already_delivered} already delivered will not get it again."
        )
    },
    published_update: |date, articles, already_delivered| {
        format!(
            "Published as the digest of {date}: {articles} articles, and the new edition is queued for the {already_delivered} residents already delivered today."
        )
    },
    discarded: "Discarded; nothing changed.",
    upload_unreadable: |reason| format!("This page cannot be read: {reason}"),
    upload_too_big: |size, limit| {
        format!("The file is too large ({size} bytes); the limit is {limit} bytes.")
    },
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
