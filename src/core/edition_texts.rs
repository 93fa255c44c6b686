//! What the bot says about editions, once per language: the question `/start` asks when a
//! deployment serves several, `/edition`'s list and answers. Values are function arguments,
//! as in `texts`.

use super::digest::Lang;

/// The sentences about editions in one language.
#[derive(Debug, Clone, Copy)]
pub struct EditionTexts {
    /// `/start` with several editions: which one?
    pub question: &'static str,
    /// `/edition`: the editions followed (joined), then how to change them.
    pub list: fn(&str) -> String,
    /// Saved: the editions now followed (joined).
    pub saved: fn(&str) -> String,
    /// No edition called that; the editions served (joined).
    pub unknown: fn(&str, &str) -> String,
    /// Dropping the only one.
    pub last_one: &'static str,
    /// Dropping or timing one not followed.
    pub not_followed: fn(&str) -> String,
    /// `/edition` with words it does not read.
    pub usage: &'static str,
    /// One edition only: its name.
    pub only_one: fn(&str) -> String,
    /// An edition's own time: (edition, time).
    pub time_saved: fn(&str, &str) -> String,
    /// An edition back at the chat's time.
    pub time_default: fn(&str) -> String,
    /// The heading over one edition's part of an answer.
    pub heading: fn(&str) -> String,
    /// A notice preview's recipients: (count, the editions it goes to).
    pub notice_to: fn(&str, &str) -> String,
    /// The preview button sending to every edition of the editor.
    pub all_editions: &'static str,
}

/// Chinese.
pub const ZH: EditionTexts = EditionTexts {
    question: "本机器人有多个版，请选择您要订阅的版（之后可用 /edition 添加或更换）：",
    list: |followed| {
        format!(
            "您关注的版：{followed}\n按下按钮添加（＋）或取消（✓）；也可发送 /edition 名称 更换，/edition 名称 06:30 为该版单设送达时间。"
        )
    },
    saved: |followed| format!("已保存。您现在关注：{followed}"),
    unknown: |name, served| format!("没有叫「{name}」的版。可选：{served}"),
    last_one: "至少要保留一个版；如不想再收，请发送 /stop。",
    not_followed: |name| format!("您没有关注「{name}」。"),
    usage: "用法：/edition 名称（更换）· /edition add 名称 · /edition drop 名称 · /edition 名称 06:30（该版单设时间）",
    only_one: |name| format!("本机器人只出一个版：{name}。"),
    time_saved: |edition, time| format!("已保存：{edition} 每天 {time} 送达。"),
    time_default: |edition| format!("已保存：{edition} 随您的送达时间送达。"),
    heading: |name| format!("📰 {name}"),
    notice_to: |count, editions| format!("{count}（{editions}）"),
    all_editions: "全部",
};

/// English.
pub const EN: EditionTexts = EditionTexts {
    question: "This bot serves several editions. Which one would you like? (You can add or change editions later with /edition.)",
    list: |followed| {
        format!(
            "You follow: {followed}\nPress a button to add (＋) or drop (✓) an edition; or send /edition NAME to change, /edition NAME 06:30 to give one its own time."
        )
    },
    saved: |followed| format!("Saved. You now follow: {followed}"),
    unknown: |name, served| format!("There is no edition called “{name}”. Editions: {served}"),
    last_one: "You need to keep one edition; to stop receiving the digest, send /stop.",
    not_followed: |name| format!("You do not follow “{name}”."),
    usage: "Usage: /edition NAME (change) · /edition add NAME · /edition drop NAME · /edition NAME 06:30 (its own time)",
    only_one: |name| format!("This bot serves one edition: {name}."),
    time_saved: |edition, time| format!("Saved: {edition} comes every day at {time}."),
    time_default: |edition| format!("Saved: {edition} comes at your delivery time."),
    heading: |name| format!("📰 {name}"),
    notice_to: |count, editions| format!("{count} ({editions})"),
    all_editions: "All",
};

/// The sentences about editions in `lang`.
#[must_use]
pub fn edition_texts(lang: Lang) -> &'static EditionTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_every_hole() {
        for t in [&ZH, &EN] {
            assert!((t.list)("平湖版").contains("平湖版"));
            assert!((t.unknown)("上海", "平湖版、海宁版").contains("上海"));
            assert!((t.time_saved)("海宁版", "06:30").contains("06:30"));
            assert!(!t.question.is_empty() && !t.usage.is_empty());
        }
    }
}
