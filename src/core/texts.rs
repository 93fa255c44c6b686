//! Every sentence the bot says to residents, once per language. Handlers and tests use these
//! constants; nothing user-facing is written anywhere else. A sentence with values is a
//! function of them (`(t.time_saved)("07:30")`), so the compiler checks every hole: a hole with
//! no value, or a value with no hole, does not build.

use super::digest::Lang;
use super::intent::Fact;
use super::subscriber::Topic;

/// The bot's sentences in one language.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub welcome: fn(&str, &str, &str) -> String,
    pub welcome_back: fn(&str, &str) -> String,
    pub stopped: &'static str,
    pub not_subscribed: &'static str,
    pub time_saved: fn(&str) -> String,
    pub tz_saved: fn(&str) -> String,
    pub lang_saved: &'static str,
    pub paused: fn(&str) -> String,
    pub resumed: &'static str,
    pub bad_time: fn(&str) -> String,
    pub bad_zone: fn(&str) -> String,
    pub bad_days: fn(&str) -> String,
    pub bad_lang: &'static str,
    pub unknown_command: fn(&str) -> String,
    pub help: &'static str,
    pub search_usage: &'static str,
    pub search_results: fn(&str) -> String,
    pub nothing_found: fn(&str) -> String,
    pub no_digest: &'static str,
    /// Today's digest is not built yet; the date is that of the one shown instead.
    pub older_digest: fn(&str) -> String,
    pub settings: fn(&str, &str, &str, &str) -> String,
    pub other_time_prompt: &'static str,
    pub button_other_time: &'static str,
    pub button_other_lang: &'static str,
    pub button_pause: &'static str,
    pub button_resume: &'static str,
    pub stale_button: &'static str,
    pub saved_toast: &'static str,
    pub admins_only: &'static str,
    pub group_hello: &'static str,
    pub mydata: fn(&MyData<'_>) -> String,
    pub deleted: &'static str,
    pub nothing_to_delete: &'static str,
    pub status_active: &'static str,
    pub status_paused: &'static str,
    pub status_stopped: &'static str,
    pub language_name: &'static str,
    pub topic_headlines: &'static str,
    pub topic_weather: &'static str,
    pub topic_notices: &'static str,
    pub topic_photos: &'static str,
    pub topic_breaking: &'static str,
    pub confirm_time: fn(&str) -> String,
    pub confirm_drop: fn(&str) -> String,
    pub confirm_add: fn(&str) -> String,
    pub confirm_pause: fn(&str) -> String,
    pub confirm_resume: &'static str,
    pub already_off: fn(&str) -> String,
    pub already_on: fn(&str) -> String,
    pub button_yes: &'static str,
    pub button_no: &'static str,
    pub request_dismissed: &'static str,
    pub no_weather_answer: fn(&str) -> String,
    pub no_notice_answer: fn(&str) -> String,
    /// What a fact is called in an answer (`电话`, `Phone`).
    pub fact_label: fn(Fact) -> &'static str,
    /// The item `(title)` does not print the fact asked for.
    pub fact_missing: fn(&str, Fact) -> String,
    /// A fact was asked for without naming the item.
    pub fact_which_item: &'static str,
    /// The label of a headline's full-story button.
    pub story_button: &'static str,
    /// A full-story button of a digest no longer kept (or not made by the bot).
    pub story_gone: &'static str,
    /// The button under a full story that shows the digest's headlines again.
    pub back_to_digest: &'static str,
    /// Said above news printed in the other language (true: the news is Chinese), shown as
    /// printed; `None` when it is the resident's own.
    pub printed_in_other_language: fn(bool) -> Option<&'static str>,
    /// `(command, description)` for setMyCommands.
    pub commands: &'static [(&'static str, &'static str)],
}

/// What `/mydata` shows about a chat, each value written out.
#[derive(Debug, Clone, Copy)]
pub struct MyData<'a> {
    pub chat: &'a str,
    pub kind: &'a str,
    pub language: &'a str,
    pub time: &'a str,
    pub zone: &'a str,
    pub sections: &'a str,
    pub editions: &'a str,
    pub paused_until: &'a str,
    pub status: &'a str,
    pub since: &'a str,
}

/// Chinese, the default.
pub const ZH: Texts = Texts {
    welcome: |paper, time, zone| {
        format!(
            "欢迎订阅《{paper}》每日摘要！每天 {time}（{zone}）送达。\n用下面的按钮选择栏目，或随时问我，比如“今天天气怎么样”。发送 /help 查看全部命令。"
        )
    },
    welcome_back: |time, zone| format!("欢迎回来！已恢复订阅，每天 {time}（{zone}）送达。"),
    stopped: "已退订，不会再收到每日摘要。你的设置已保留，发送 /start 可重新订阅；发送 /deleteme 可删除全部数据。",
    not_subscribed: "你还没有订阅。发送 /start 开始。",
    time_saved: |time| format!("已保存：每天 {time} 送达。"),
    tz_saved: |zone| format!("已保存：时区 {zone}。"),
    lang_saved: "已保存：以后用中文和你交流。",
    paused: |until| format!("已保存：暂停推送到 {until}。发送 /resume 可随时恢复。"),
    resumed: "已保存：恢复每日推送。",
    bad_time: |typed| format!("时间格式不对：“{typed}”。请用 24 小时制，例如 /time 07:30"),
    bad_zone: |typed| format!("不认识这个时区：“{typed}”。请用“地区/城市”，例如 /tz Asia/Shanghai"),
    bad_days: |typed| format!("天数不对：“{typed}”。请写 1 到 365 之间的数字，例如 /pause 7"),
    bad_lang: "请发送 /lang zh（中文）或 /lang en（English）。",
    unknown_command: |command| format!("没有这个命令：{command}。发送 /help 查看全部命令。"),
    help: "我每天把本地报纸整理成一份摘要发给你。\n\n/today 今天的摘要\n/headlines 要闻　/weather 天气\n/notices 通知公告　/photos 图片新闻\n/search 关键词 搜索近一周的新闻\n/settings 设置　/time 07:30 送达时间\n/tz Asia/Shanghai 时区　/lang en 语言\n/pause 7 暂停　/resume 恢复\n/mydata 我的数据　/deleteme 删除数据\n/stop 退订\n\n也可以直接问：天气、停水、头条……",
    search_usage: "请在 /search 后面写要找的词，例如 /search 停水",
    search_results: |query| format!("与“{query}”相关的新闻："),
    nothing_found: |query| format!("没有找到与“{query}”相关的新闻。可以看看这些栏目："),
    no_digest: "今天的摘要还没有准备好，请稍后再试。",
    older_digest: |date| format!("今天的摘要还没有准备好，以下是 {date} 的摘要。"),
    settings: |time, zone, language, status| {
        format!(
            "⚙️ 设置\n送达时间：{time}（{zone}）\n语言：{language}\n状态：{status}\n\n点按钮修改，✅ 表示已订阅的栏目。"
        )
    },
    other_time_prompt: "请发送 /time 加时间，例如 /time 06:45",
    button_other_time: "其他时间…",
    button_other_lang: "English",
    button_pause: "暂停 7 天",
    button_resume: "恢复推送",
    stale_button: "这个按钮已失效，请发送 /settings 重新打开设置。",
    saved_toast: "✅ 已保存",
    admins_only: "只有群管理员可以更改本群的订阅设置。",
    group_hello: "大家好！我会把本地报纸整理成每日摘要。群管理员发送 /start 即可为本群订阅；发送 /help 查看全部命令。",
    mydata: |d| {
        format!(
            "我们保存的关于本对话的信息：\n对话编号：{}\n类型：{}\n语言：{}\n送达时间：{}（{}）\n栏目：{}\n报纸版本：{}\n暂停到：{}\n状态：{}\n订阅时间：{}\n\n发送 /deleteme 可全部删除。",
            d.chat,
            d.kind,
            d.language,
            d.time,
            d.zone,
            d.sections,
            d.editions,
            d.paused_until,
            d.status,
            d.since
        )
    },
    deleted: "已删除本对话的全部数据。如需再次订阅，发送 /start。",
    nothing_to_delete: "我们没有保存本对话的任何数据。",
    status_active: "正常推送",
    status_paused: "暂停中",
    status_stopped: "已退订",
    language_name: "中文",
    topic_headlines: "要闻",
    topic_weather: "天气",
    topic_notices: "通知公告",
    topic_photos: "图片新闻",
    topic_breaking: "突发通知",
    confirm_time: |time| format!("改为每天 {time} 送达？"),
    confirm_drop: |section| format!("不再接收“{section}”？"),
    confirm_add: |section| format!("开始接收“{section}”？"),
    confirm_pause: |days| format!("暂停推送 {days} 天？"),
    confirm_resume: "恢复推送？",
    already_off: |section| format!("你没有订阅“{section}”。"),
    already_on: |section| format!("你已经订阅了“{section}”。"),
    button_yes: "✅ 确认",
    button_no: "✖ 取消",
    request_dismissed: "好的，设置没有改变。",
    no_weather_answer: |place| {
        format!("今天的摘要里没有{place}的天气。可以看看天气栏目，或者搜索。")
    },
    no_notice_answer: |subject| {
        format!("今天的摘要里没有关于“{subject}”的通知。可以看看全部通知，或者搜索。")
    },
    fact_label: |fact| match fact {
        Fact::Phone => "电话",
        Fact::Place => "地点",
        Fact::Time => "时间",
        Fact::Contact => "联系人",
        Fact::Price => "费用",
        Fact::Reporter => "记者",
    },
    fact_missing: |title, fact| {
        let what = match fact {
            Fact::Phone => "电话号码",
            Fact::Place => "地址或地点",
            Fact::Time => "时间",
            Fact::Contact => "联系人",
            Fact::Price => "价格或费用",
            Fact::Reporter => "记者的名字",
        };
        format!("“{title}”里没有写{what}。")
    },
    fact_which_item: "您问的是哪一条？请带上它的名字，比如“职业学校的电话是多少”。",
    story_button: "全文",
    story_gone: "这篇文章已不在保存期内，或按钮已失效。",
    back_to_digest: "↩ 回到摘要",
    printed_in_other_language: |chinese| (!chinese).then_some("以下内容原文为英文，按原文显示。"),
    commands: &[
        ("start", "订阅每日摘要"),
        ("today", "今天的摘要"),
        ("headlines", "要闻"),
        ("weather", "天气"),
        ("notices", "通知公告"),
        ("photos", "图片新闻"),
        ("search", "搜索近一周的新闻"),
        ("settings", "设置"),
        ("time", "送达时间，例如 /time 07:30"),
        ("tz", "时区，例如 /tz Asia/Shanghai"),
        ("lang", "语言：zh 或 en"),
        ("pause", "暂停推送，例如 /pause 7"),
        ("resume", "恢复推送"),
        ("mydata", "我的数据"),
        ("deleteme", "删除我的数据"),
        ("stop", "退订"),
        ("help", "帮助"),
    ],
};

/// English.
pub const EN: Texts = Texts {
    welcome: |paper, time, zone| {
        format!(
            "Welcome to the daily digest of {paper}! It arrives every day at {time} ({zone}).\nPick your sections with the buttons below, or just ask me, e.g. \"what's the weather?\". Send /help for every command."
        )
    },
    welcome_back: |time, zone| {
        format!(
            "Welcome back! Your subscription is on again; the digest arrives every day at {time} ({zone})."
        )
    },
    stopped: "Unsubscribed: no more daily digests. Your settings are kept; send /start to subscribe again, or /deleteme to erase everything.",
    not_subscribed: "You are not subscribed yet. Send /start to begin.",
    time_saved: |time| format!("Saved: the digest arrives every day at {time}."),
    tz_saved: |zone| format!("Saved: time zone {zone}."),
    lang_saved: "Saved: I will speak English from now on.",
    paused: |until| format!("Saved: deliveries paused until {until}. Send /resume any time."),
    resumed: "Saved: daily deliveries are back on.",
    bad_time: |typed| {
        format!("\"{typed}\" is not a time I understand. Use the 24-hour clock, e.g. /time 07:30")
    },
    bad_zone: |typed| {
        format!("I don't know the time zone \"{typed}\". Use Area/City, e.g. /tz Europe/London")
    },
    bad_days: |typed| format!("\"{typed}\" is not a number of days. Use 1 to 365, e.g. /pause 7"),
    bad_lang: "Send /lang en (English) or /lang zh (中文).",
    unknown_command: |command| format!("There is no command {command}. Send /help for the list."),
    help: "Every day I turn the local paper into one digest for you.\n\n/today today's digest\n/headlines /weather /notices /photos one section\n/search WORDS search the last week\n/settings settings  /time 07:30 delivery time\n/tz Europe/London time zone  /lang zh language\n/pause 7 pause  /resume resume\n/mydata your data  /deleteme erase it\n/stop unsubscribe\n\nOr just ask: weather, notices, headlines…",
    search_usage: "Write what to look for after /search, e.g. /search water",
    search_results: |query| format!("News about \"{query}\":"),
    nothing_found: |query| {
        format!("Nothing found about \"{query}\". Perhaps one of these sections:")
    },
    no_digest: "Today's digest is not ready yet; please try again later.",
    older_digest: |date| format!("Today's digest is not ready yet; here is the one of {date}."),
    settings: |time, zone, language, status| {
        format!(
            "⚙️ Settings\nDelivery: {time} ({zone})\nLanguage: {language}\nStatus: {status}\n\nTap to change; ✅ marks the sections you get."
        )
    },
    other_time_prompt: "Send /time with a time, e.g. /time 06:45",
    button_other_time: "Other time…",
    button_other_lang: "中文",
    button_pause: "Pause 7 days",
    button_resume: "Resume",
    stale_button: "This button has expired; send /settings to open your settings again.",
    saved_toast: "✅ Saved",
    admins_only: "Only the group's administrators can change its subscription.",
    group_hello: "Hello everyone! I turn the local paper into a daily digest. A group administrator can send /start to subscribe this group; /help lists every command.",
    mydata: |d| {
        format!(
            "What we store about this chat:\nChat id: {}\nKind: {}\nLanguage: {}\nDelivery: {} ({})\nSections: {}\nEditions: {}\nPaused until: {}\nStatus: {}\nSubscribed: {}\n\nSend /deleteme to erase it all.",
            d.chat,
            d.kind,
            d.language,
            d.time,
            d.zone,
            d.sections,
            d.editions,
            d.paused_until,
            d.status,
            d.since
        )
    },
    deleted: "Everything we stored about this chat is erased. Send /start to subscribe again.",
    nothing_to_delete: "We store nothing about this chat.",
    status_active: "active",
    status_paused: "paused",
    status_stopped: "unsubscribed",
    language_name: "English",
    topic_headlines: "Headlines",
    topic_weather: "Weather",
    topic_notices: "Notices",
    topic_photos: "Photos",
    topic_breaking: "Breaking news",
    confirm_time: |time| format!("Deliver every day at {time}?"),
    confirm_drop: |section| format!("Stop receiving “{section}”?"),
    confirm_add: |section| format!("Start receiving “{section}”?"),
    confirm_pause: |days| format!("Pause deliveries for {days} days?"),
    confirm_resume: "Resume deliveries?",
    already_off: |section| format!("You don't receive “{section}”."),
    already_on: |section| format!("You already receive “{section}”."),
    button_yes: "✅ Yes",
    button_no: "✖ No",
    request_dismissed: "OK, nothing changed.",
    no_weather_answer: |place| {
        format!("Today's digest has no weather for {place}. Try the weather section, or search.")
    },
    no_notice_answer: |subject| {
        format!("Today's digest has no notice about “{subject}”. Try all the notices, or search.")
    },
    fact_label: |fact| match fact {
        Fact::Phone => "Phone",
        Fact::Place => "Where",
        Fact::Time => "When",
        Fact::Contact => "Contact",
        Fact::Price => "Cost",
        Fact::Reporter => "Reported by",
    },
    fact_missing: |title, fact| {
        let what = match fact {
            Fact::Phone => "a phone number",
            Fact::Place => "an address or a place",
            Fact::Time => "a date or a time",
            Fact::Contact => "who to contact",
            Fact::Price => "a price",
            Fact::Reporter => "who reported it",
        };
        format!("“{title}” does not print {what}.")
    },
    fact_which_item: "Which item do you mean? Name it, for example “phone number of the school notice”.",
    story_button: "Full story",
    story_gone: "This story is no longer kept, or the button is out of date.",
    back_to_digest: "↩ Back to the digest",
    printed_in_other_language: |chinese| {
        chinese.then_some("The paper prints this in Chinese; here it is as printed.")
    },
    commands: &[
        ("start", "Subscribe to the daily digest"),
        ("today", "Today's digest"),
        ("headlines", "Headlines"),
        ("weather", "Weather"),
        ("notices", "Notices"),
        ("photos", "Photos"),
        ("search", "Search the last week"),
        ("settings", "Settings"),
        ("time", "Delivery time, e.g. /time 07:30"),
        ("tz", "Time zone, e.g. /tz Europe/London"),
        ("lang", "Language: zh or en"),
        ("pause", "Pause deliveries, e.g. /pause 7"),
        ("resume", "Resume deliveries"),
        ("mydata", "Your data"),
        ("deleteme", "Erase your data"),
        ("stop", "Unsubscribe"),
        ("help", "Help"),
    ],
};

/// The texts of `lang`.
#[must_use]
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

impl Texts {
    /// The name of a topic.
    #[must_use]
    pub fn topic(&self, topic: Topic) -> &'static str {
        match topic {
            Topic::Headlines => self.topic_headlines,
            Topic::Weather => self.topic_weather,
            Topic::Notices => self.topic_notices,
            Topic::Photos => self.topic_photos,
            Topic::Breaking => self.topic_breaking,
        }
    }
}

/// Longest piece of a user's own text a reply quotes back, in characters.
pub const MAX_ECHO_CHARS: usize = 64;

/// What a user typed, trimmed and cut to [`MAX_ECHO_CHARS`] (with `…`), for quoting it back:
/// a reply stays far inside Telegram's 4096 characters whatever was typed.
#[must_use]
pub fn echo(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_ECHO_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_ECHO_CHARS).collect();
    cut.push('…');
    cut
}

/// True for a link we may put in an `href`: http or https only.
#[must_use]
pub fn is_web_link(link: &str) -> bool {
    let lower = link.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain sentence holds no hole: a `{}` left in one would reach people literally.
    #[test]
    fn no_plain_sentence_holds_a_hole() {
        let holes = regex::Regex::new(r"\{[0-9A-Za-z_]*\}").expect("regex");
        let escapes = regex::Regex::new(r"\\u\{[0-9a-f]+\}").expect("regex");
        let tables = [
            format!("{ZH:?}"),
            format!("{EN:?}"),
            format!("{:?}", crate::core::newsroom::NEWSROOM_ZH),
            format!("{:?}", crate::core::newsroom::NEWSROOM_EN),
        ];
        for table in &tables {
            let table = escapes.replace_all(table, "");
            let found: Vec<&str> = holes.find_iter(&table).map(|m| m.as_str()).collect();
            assert!(found.is_empty(), "holes in plain sentences: {found:?}");
        }
    }

    #[test]
    fn sentences_with_values_put_each_value_in_its_place() {
        assert_eq!(
            (ZH.older_digest)("2026-11-29"),
            "今天的摘要还没有准备好，以下是 2026-11-29 的摘要。"
        );
        assert_eq!((ZH.time_saved)("07:30"), "已保存：每天 07:30 送达。");
        let counts = crate::core::newsroom::NoticeCounts {
            total: 10,
            delivered: 6,
            blocked: 2,
            failed: 1,
            withdrawn: 1,
        };
        assert_eq!(
            (crate::core::newsroom::NEWSROOM_EN.receipt)(3, &counts, 42),
            "Breaking notice #3 sent: delivered 6, blocked 2, failed 1, withdrawn 1, in 42 s."
        );
        assert_eq!(
            (crate::core::newsroom::NEWSROOM_ZH.last_notice)(3, &counts),
            "#3 · 送达 6，屏蔽 2，失败 1，撤回 1"
        );
        assert_eq!(
            (EN.welcome)("Pinghu", "07:00", "Asia/Shanghai"),
            "Welcome to the daily digest of Pinghu! It arrives every day at 07:00 (Asia/Shanghai).\nPick your sections with the buttons below, or just ask me, e.g. \"what's the weather?\". Send /help for every command."
        );
    }

    #[test]
    fn my_data_shows_every_value_in_both_languages() {
        let data = MyData {
            chat: "c-1",
            kind: "k-2",
            language: "l-3",
            time: "t-4",
            zone: "z-5",
            sections: "s-6",
            editions: "e-10",
            paused_until: "p-7",
            status: "st-8",
            since: "si-9",
        };
        for t in [&ZH, &EN] {
            let text = (t.mydata)(&data);
            for value in [
                "c-1", "k-2", "l-3", "t-4", "z-5", "s-6", "p-7", "st-8", "si-9", "e-10",
            ] {
                assert_eq!(text.matches(value).count(), 1, "{value} in {text}");
            }
        }
    }

    #[test]
    fn echoes_are_short_and_links_are_web_links() {
        assert_eq!(echo("  25:99 "), "25:99");
        let long = "字".repeat(5000);
        let quoted = echo(&long);
        assert_eq!(quoted.chars().count(), MAX_ECHO_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert!(is_web_link("https://example.org/a") && is_web_link("HTTP://x"));
        assert!(!is_web_link("javascript:alert(1)") && !is_web_link("tg://resolve"));
    }

    #[test]
    fn both_languages_list_the_same_commands() {
        let zh: Vec<&str> = ZH.commands.iter().map(|c| c.0).collect();
        let en: Vec<&str> = EN.commands.iter().map(|c| c.0).collect();
        assert_eq!(zh, en);
    }
}
