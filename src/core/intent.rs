//! What a resident means by free text: a section they want (`天气`, `今天天气怎么样`,
//! `明天会下雨吗`, `停水`, `头条`, `what's the weather?`) or, failing that, words to search for.

use super::digest::Section;

/// What a message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Show this section of today's digest.
    Section(Section),
    /// Search recent digests for these words.
    Search(String),
}

/// Phrases that name each section, Chinese and English, lower-case.
const PHRASES: &[(Section, &[&str])] = &[
    (
        Section::Weather,
        &[
            "天气",
            "下雨",
            "下雪",
            "气温",
            "温度",
            "冷不冷",
            "热不热",
            "刮风",
            "带伞",
            "weather",
            "rain",
            "forecast",
            "temperature",
            "snow",
            "umbrella",
        ],
    ),
    (
        Section::Notices,
        &[
            "通知",
            "公告",
            "停水",
            "停电",
            "告示",
            "启事",
            "notice",
            "notices",
            "announcement",
            "outage",
        ],
    ),
    (
        Section::Photos,
        &["图片", "照片", "摄影", "photo", "photos", "pictures"],
    ),
    (
        Section::Headlines,
        &[
            "新闻",
            "要闻",
            "头条",
            "今日摘要",
            "摘要",
            "news",
            "headlines",
            "headline",
            "digest",
        ],
    ),
];

/// Matches `text` to an intent. Short messages that name a section ask for it; anything else
/// is a search.
#[must_use]
pub fn match_intent(text: &str) -> Intent {
    let lower = text.trim().to_lowercase();
    let short = lower.chars().count() <= 24;
    if short {
        for (section, phrases) in PHRASES {
            if phrases.iter().any(|p| lower.contains(p)) {
                return Intent::Section(*section);
            }
        }
    }
    Intent::Search(text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> Option<Section> {
        match match_intent(text) {
            Intent::Section(s) => Some(s),
            Intent::Search(_) => None,
        }
    }

    #[test]
    fn residents_questions_find_their_section() {
        for q in [
            "天气",
            "今天天气怎么样",
            "明天会下雨吗",
            "What's the weather?",
        ] {
            assert_eq!(section(q), Some(Section::Weather), "{q}");
        }
        for q in ["通知", "公告", "停水", "哪里停电了"] {
            assert_eq!(section(q), Some(Section::Notices), "{q}");
        }
        for q in ["新闻", "要闻", "头条", "news"] {
            assert_eq!(section(q), Some(Section::Headlines), "{q}");
        }
        assert_eq!(section("图片"), Some(Section::Photos));
    }

    #[test]
    fn anything_else_is_a_search() {
        assert_eq!(match_intent("码头"), Intent::Search("码头".to_owned()));
        assert_eq!(
            match_intent("  社区食堂 "),
            Intent::Search("社区食堂".to_owned())
        );
    }
}
