//! Settings requests in free text: a delivery time (`每天早上八点发给我`, `send it at 8`), a
//! section switched on or off (`不要图片`), a pause with its length (`暂停一周`) or a resume,
//! with numbers and times read in Chinese and Latin script.

use super::{HEADLINES, NOTICES, PHOTOS, SettingsRequest, WEATHER, any, any_phrase};
use crate::core::subscriber::{DeliveryTime, Topic};
/// Words that make a time expression a delivery request.
const DELIVER: &[&str] = &[
    "发", "发给", "送", "送达", "推送", "发送", "收到", "改", "改成", "改为", "每天", "时间",
    "send", "deliver", "delivery", "get", "receive", "change", "time", "every", "daily",
];
const NEGATIONS: &[&str] = &[
    "不要",
    "不看",
    "别",
    "别发",
    "不用",
    "取消",
    "关掉",
    "关闭",
    "去掉",
    "不想",
    "不需要",
    "stop",
    "no",
    "don't",
    "dont",
    "without",
    "remove",
    "disable",
    "off",
    "unsubscribe",
    "hide",
];
const PAUSE: &[&str] = &["暂停", "pause", "停一下"];
const RESUME: &[&str] = &["恢复", "继续", "resume", "restart"];

/// A settings request, when `text` is one.
pub(super) fn settings_request(norm: &str, words: &[String]) -> Option<SettingsRequest> {
    let negated = any(words, NEGATIONS) || any_phrase(norm, NEGATIONS);
    if any(words, PAUSE) && !negated {
        return Some(SettingsRequest::Pause(pause_days(norm, words).unwrap_or(7)));
    }
    if any(words, RESUME) && (norm.contains("推送") || norm.contains("deliver") || words.len() <= 3)
    {
        return Some(SettingsRequest::Resume);
    }
    if any(words, DELIVER)
        && let Some(time) = time_of_day(norm)
    {
        return Some(SettingsRequest::Time(time));
    }
    let breaking = norm.contains("突发") || any(words, &["breaking", "alerts"]);
    let topic = if breaking {
        Topic::Breaking
    } else {
        [
            (PHOTOS, Topic::Photos),
            (WEATHER, Topic::Weather),
            (NOTICES, Topic::Notices),
            (HEADLINES, Topic::Headlines),
        ]
        .into_iter()
        .find(|(list, _)| any(words, list))
        .map(|(_, t)| t)?
    };
    if negated {
        return Some(SettingsRequest::Drop(topic));
    }
    let add = any(
        words,
        &[
            "也要",
            "打开",
            "开启",
            "订阅",
            "加上",
            "turn",
            "enable",
            "add",
            "subscribe",
        ],
    ) && !any(words, &["什么", "what"]);
    add.then_some(SettingsRequest::Add(topic))
}

const CHINESE_DIGITS: [(char, u32); 11] = [
    ('零', 0),
    ('一', 1),
    ('二', 2),
    ('两', 2),
    ('三', 3),
    ('四', 4),
    ('五', 5),
    ('六', 6),
    ('七', 7),
    ('八', 8),
    ('九', 9),
];

/// A number written in digits or Chinese numerals up to 99 (`十二`, `二十`, `7`).
fn number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok().filter(|n| *n < 1000);
    }
    let digit = |c: char| {
        CHINESE_DIGITS
            .iter()
            .find(|(d, _)| *d == c)
            .map(|(_, v)| *v)
    };
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// The time of day `norm` names: `8:30`, `8点半`, `八点一刻`, `晚上7点`, `8am`, `at 8`.
fn time_of_day(norm: &str) -> Option<DeliveryTime> {
    let evening = ["下午", "晚上", "傍晚", "pm", "evening", "tonight"]
        .iter()
        .any(|w| norm.contains(w));
    let numeral =
        |c: char| c.is_ascii_digit() || CHINESE_DIGITS.iter().any(|(d, _)| *d == c) || c == '十';
    // HH:MM
    let chars: Vec<char> = norm.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ':' && i > 0 {
            let h: String = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let m: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>()) {
                return adjust(h, m, evening);
            }
        }
    }
    // N点[半|一刻|M分]
    if let Some(at) = chars.iter().position(|c| *c == '点' || *c == '时') {
        let h: String = chars[..at]
            .iter()
            .rev()
            .take_while(|c| numeral(**c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let hour = number(&h)?;
        let after: String = chars[at + 1..].iter().collect();
        let minute = if after.starts_with('半') {
            30
        } else if after.starts_with("一刻") {
            15
        } else if after.starts_with("三刻") {
            45
        } else {
            let m: String = after.chars().take_while(|c| numeral(*c)).collect();
            number(&m).filter(|m| *m < 60).unwrap_or(0)
        };
        return adjust(
            u8::try_from(hour).ok()?,
            u8::try_from(minute).ok()?,
            evening,
        );
    }
    // English: "at 8", "8am", "8 pm", "7.30"
    let tokens: Vec<&str> = norm
        .split(|c: char| c.is_whitespace() || c == ',' || c == '?' || c == '!')
        .filter(|t| !t.is_empty())
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        let bare = token
            .trim_end_matches("am")
            .trim_end_matches("pm")
            .trim_end_matches("o'clock");
        let (h, m) = bare.split_once('.').unwrap_or((bare, "0"));
        let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>()) else {
            continue;
        };
        let marked = token.ends_with("am") || token.ends_with("pm");
        let after_at = i > 0 && tokens[i - 1] == "at";
        let followed = tokens
            .get(i + 1)
            .is_some_and(|n| ["am", "pm", "o'clock", "oclock"].contains(n));
        if marked || after_at || followed {
            return adjust(h, m, evening || token.ends_with("pm"));
        }
    }
    None
}

fn adjust(hour: u8, minute: u8, evening: bool) -> Option<DeliveryTime> {
    let hour = if evening && hour < 12 {
        hour + 12
    } else {
        hour
    };
    DeliveryTime::new(hour, minute)
}

/// Days in `暂停一周`, `暂停3天`, `pause for 2 weeks`, `pause 5 days`.
fn pause_days(norm: &str, words: &[String]) -> Option<u32> {
    let week = ["周", "星期", "礼拜", "week", "weeks"];
    let count = words
        .iter()
        .find_map(|w| number(w.trim_end_matches(['天', '周', '个'])))
        .or_else(|| {
            // jieba may keep "一周" together.
            norm.chars().find_map(|c| {
                CHINESE_DIGITS
                    .iter()
                    .find(|(d, _)| *d == c)
                    .map(|(_, v)| *v)
            })
        });
    let weeks = week.iter().any(|w| norm.contains(w));
    let n = count.unwrap_or(1);
    let days = if weeks { n * 7 } else { count? };
    (1..=365).contains(&days).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_times_read_in_both_scripts() {
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("二十"), Some(20));
        assert_eq!(number("两"), Some(2));
        assert_eq!(number("7"), Some(7));
        assert_eq!(time_of_day("八点一刻"), DeliveryTime::new(8, 15));
        assert_eq!(time_of_day("下午三点"), DeliveryTime::new(15, 0));
        assert_eq!(time_of_day("25:99"), None);
    }
}
