//! What a resident means by free text, of any length, in Chinese or English: a section
//! (`停水了吗` is a notices question), a weather question with its day and aspect (`明天会下雨吗`,
//! `will it rain tomorrow`), a settings request to confirm (`每天早上八点发给我`, `不要图片`,
//! `暂停一周`, `send it at 8`), or words to search for. Words come from segmentation (jieba for
//! Chinese, word boundaries for English), never substrings, so "train" is not "rain".

use super::digest::Section;
use super::punctuation::fold_width;
use super::subscriber::{DeliveryTime, Topic};
use super::summary::Segmenter;

mod fact;
mod notice_subject;
mod settings_request;

pub use fact::{Fact, FactQuestion, fact_question};
pub use notice_subject::notice_subject;
use settings_request::settings_request;

/// Which day a weather question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    /// Today (daytime).
    Today,
    /// Tonight.
    Tonight,
    /// Tomorrow.
    Tomorrow,
}

/// What a weather question asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// The weather in general.
    General,
    /// Rain or snow.
    Rain,
    /// Temperatures.
    Temperature,
    /// Wind.
    Wind,
}

/// A change of settings a resident asked for in words (confirmed before it is applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsRequest {
    /// Deliver at this time.
    Time(DeliveryTime),
    /// Stop receiving this topic.
    Drop(Topic),
    /// Receive this topic again.
    Add(Topic),
    /// Pause for this many days.
    Pause(u32),
    /// Resume deliveries.
    Resume,
}

/// What a message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Show this section of today's digest.
    Section(Section),
    /// Answer a weather question.
    Weather {
        /// The day asked about; `None` when not said (today's).
        day: Option<Day>,
        /// What about the weather.
        aspect: Aspect,
    },
    /// Change a setting, after confirmation.
    Settings(SettingsRequest),
    /// Quote one fact of a notice or an article (`交通学校的电话是多少`).
    Fact(FactQuestion),
    /// Search recent digests for these words.
    Search(String),
}

const RAIN: &[&str] = &[
    "雨", "下雨", "降雨", "小雨", "大雨", "中雨", "雷雨", "阵雨", "雪", "下雪", "带伞", "伞",
    "rain", "raining", "rainy", "showers", "snow", "snowing", "umbrella", "wet",
];
const TEMPERATURE: &[&str] = &[
    "冷",
    "热",
    "冷不冷",
    "热不热",
    "气温",
    "温度",
    "几度",
    "多少度",
    "最高",
    "最低",
    "降温",
    "升温",
    "cold",
    "hot",
    "warm",
    "chilly",
    "temperature",
    "temperatures",
    "degrees",
    "freezing",
];
const WIND: &[&str] = &["风", "刮风", "大风", "风力", "wind", "windy", "breezy"];
const WEATHER: &[&str] = &[
    "天气",
    "天气预报",
    "预报",
    "晴",
    "阴",
    "多云",
    "weather",
    "forecast",
    "sunny",
    "cloudy",
    "wheather",
    "weahter",
    "wether",
];
const NOTICES: &[&str] = &[
    "通知",
    "公告",
    "停水",
    "停电",
    "停气",
    "断水",
    "断电",
    "告示",
    "启事",
    "提醒",
    "notice",
    "notices",
    "announcement",
    "announcements",
    "outage",
    "outages",
];
const PHOTOS: &[&str] = &[
    "图片", "照片", "摄影", "photo", "photos", "picture", "pictures", "pics",
];
const HEADLINES: &[&str] = &[
    "新闻",
    "要闻",
    "头条",
    "摘要",
    "今日摘要",
    "消息",
    "news",
    "headline",
    "headlines",
    "digest",
    "stories",
];
const TOMORROW: &[&str] = &["明天", "明日", "明早", "明晚", "明儿", "tomorrow"];
const TONIGHT: &[&str] = &["今晚", "今夜", "晚上", "夜里", "tonight", "overnight"];
const TODAY: &[&str] = &["今天", "今日", "白天", "today"];

/// True when a word is in `list`; a Chinese entry of two or more characters also matches
/// inside a longer word (jieba keeps `今天天气` together), a Latin one only as a whole word.
fn any(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|w| {
        list.iter().any(|entry| {
            w == entry || (entry.chars().count() >= 2 && !entry.is_ascii() && w.contains(entry))
        })
    })
}

/// True when `norm` holds one of `list`'s Chinese phrases of two or more characters, however
/// jieba cut it.
fn any_phrase(norm: &str, list: &[&str]) -> bool {
    list.iter()
        .any(|p| p.chars().count() >= 2 && !p.is_ascii() && norm.contains(p))
}

/// Normalises `text` for matching: full-width folded, lower-cased, trimmed.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(fold_width)
        .collect::<String>()
        .to_lowercase()
}

/// Splits `text` into words: jieba for Chinese, word boundaries for the rest.
fn words_of(text: &str, segmenter: &Segmenter) -> Vec<String> {
    segmenter.words(text)
}

/// Matches `text` to an intent.
#[must_use]
pub fn match_intent(text: &str, segmenter: &Segmenter) -> Intent {
    match_intent_with(text, segmenter, true)
}

/// Matches `text` to an intent other than a fact question: what to do when the digests hold
/// no item the fact question names (`哪里停气了` is then a notices question).
#[must_use]
pub fn match_intent_without_facts(text: &str, segmenter: &Segmenter) -> Intent {
    match_intent_with(text, segmenter, false)
}

fn match_intent_with(text: &str, segmenter: &Segmenter, facts: bool) -> Intent {
    let norm = normalise(text);
    if norm.is_empty() {
        return Intent::Search(String::new());
    }
    let words = words_of(&norm, segmenter);
    if let Some(request) = settings_request(&norm, &words) {
        return Intent::Settings(request);
    }
    let rain = any(&words, RAIN);
    let temperature = any(&words, TEMPERATURE);
    let wind = any(&words, WIND);
    if rain || temperature || wind || any(&words, WEATHER) {
        let day = if any(&words, TOMORROW) {
            Some(Day::Tomorrow)
        } else if any(&words, TONIGHT) {
            Some(Day::Tonight)
        } else if any(&words, TODAY) {
            Some(Day::Today)
        } else {
            None
        };
        let aspect = if rain {
            Aspect::Rain
        } else if temperature {
            Aspect::Temperature
        } else if wind {
            Aspect::Wind
        } else {
            Aspect::General
        };
        return Intent::Weather { day, aspect };
    }
    if let Some(question) = fact_question(text, segmenter).filter(|_| facts) {
        return Intent::Fact(question);
    }
    if any(&words, NOTICES) || any_phrase(&norm, NOTICES) {
        return Intent::Section(Section::Notices);
    }
    for (list, section) in [(PHOTOS, Section::Photos), (HEADLINES, Section::Headlines)] {
        if any(&words, list) {
            // "码头有什么新闻" is a search for 码头; "今天有什么新闻" asks for the section.
            let rest: Vec<String> = segmenter
                .content_words(&norm)
                .into_iter()
                .filter(|w| !is_vocabulary(w))
                .collect();
            if rest.is_empty() {
                return Intent::Section(section);
            }
            return Intent::Search(rest.join(" "));
        }
    }
    Intent::Search(text.trim().to_owned())
}

/// True for words that only steer the intent (sections, days, question words).
fn is_vocabulary(word: &str) -> bool {
    const QUESTION: &[&str] = &[
        "什么",
        "有",
        "有没有",
        "哪些",
        "哪里",
        "今天",
        "今日",
        "最新",
        "看看",
        "看",
        "给",
        "我",
        "一下",
        "的",
        "吗",
        "呢",
        "吧",
        "了",
        "what",
        "whats",
        "what's",
        "any",
        "show",
        "me",
        "the",
        "latest",
        "today",
        "today's",
        "is",
        "are",
        "there",
        "please",
        "new",
        "some",
        "list",
        "send",
        "get",
    ];
    [PHOTOS, HEADLINES, QUESTION]
        .iter()
        .any(|l| l.contains(&word))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn segmenter() -> &'static Segmenter {
        static SHARED: OnceLock<Segmenter> = OnceLock::new();
        SHARED.get_or_init(Segmenter::new)
    }

    fn time(t: &str) -> SettingsRequest {
        SettingsRequest::Time(DeliveryTime::parse(t).expect("time"))
    }

    fn weather(day: Option<Day>, aspect: Aspect) -> Intent {
        Intent::Weather { day, aspect }
    }

    #[test]
    fn sixty_phrasings_give_their_intents() {
        use Aspect as A;
        use Day as D;
        let table: Vec<(&str, Intent)> = vec![
            // Weather, Chinese.
            ("天气", weather(None, A::General)),
            ("今天天气怎么样", weather(Some(D::Today), A::General)),
            ("今天天气怎么样？", weather(Some(D::Today), A::General)),
            ("明天会下雨吗", weather(Some(D::Tomorrow), A::Rain)),
            ("明天冷不冷", weather(Some(D::Tomorrow), A::Temperature)),
            ("明天要不要带伞", weather(Some(D::Tomorrow), A::Rain)),
            ("今晚会下雪吗", weather(Some(D::Tonight), A::Rain)),
            ("今天多少度", weather(Some(D::Today), A::Temperature)),
            (
                "明天最低气温几度啊",
                weather(Some(D::Tomorrow), A::Temperature),
            ),
            ("外面风大不大", weather(None, A::Wind)),
            (
                "请问一下明天的天气预报是什么样的呢，我想出门",
                weather(Some(D::Tomorrow), A::General),
            ),
            ("wheather tomorrow?", weather(Some(D::Tomorrow), A::General)),
            ("ｗｅａｔｈｅｒ", weather(None, A::General)),
            // Weather, English.
            ("weather", weather(None, A::General)),
            (
                "What's the weather like tomorrow?",
                weather(Some(D::Tomorrow), A::General),
            ),
            ("will it rain tomorrow", weather(Some(D::Tomorrow), A::Rain)),
            (
                "Is it going to be cold tonight?",
                weather(Some(D::Tonight), A::Temperature),
            ),
            (
                "do I need an umbrella today",
                weather(Some(D::Today), A::Rain),
            ),
            ("how windy is it", weather(None, A::Wind)),
            ("forecast please", weather(None, A::General)),
            ("WEATHER TODAY", weather(Some(D::Today), A::General)),
            // Notices.
            ("停水了吗", Intent::Section(Section::Notices)),
            ("哪里停电了", Intent::Section(Section::Notices)),
            ("通知", Intent::Section(Section::Notices)),
            ("最近有什么公告", Intent::Section(Section::Notices)),
            ("城东今天会停水吗？", Intent::Section(Section::Notices)),
            ("any notices today?", Intent::Section(Section::Notices)),
            ("is there a power outage", Intent::Section(Section::Notices)),
            ("ｎｏｔｉｃｅｓ", Intent::Section(Section::Notices)),
            // Headlines and photos.
            ("新闻", Intent::Section(Section::Headlines)),
            ("今天有什么新闻", Intent::Section(Section::Headlines)),
            ("头条", Intent::Section(Section::Headlines)),
            ("news", Intent::Section(Section::Headlines)),
            (
                "show me the latest headlines",
                Intent::Section(Section::Headlines),
            ),
            ("图片", Intent::Section(Section::Photos)),
            ("有什么照片", Intent::Section(Section::Photos)),
            ("photos", Intent::Section(Section::Photos)),
            ("码头有什么新闻", Intent::Search("码头".to_owned())),
            // Settings.
            ("每天早上八点发给我", Intent::Settings(time("08:00"))),
            ("改成7点半送", Intent::Settings(time("07:30"))),
            ("晚上7点推送", Intent::Settings(time("19:00"))),
            ("每天 6:45 发", Intent::Settings(time("06:45"))),
            ("send it at 8", Intent::Settings(time("08:00"))),
            ("deliver at 7:30 please", Intent::Settings(time("07:30"))),
            ("send me the digest at 6pm", Intent::Settings(time("18:00"))),
            (
                "不要图片",
                Intent::Settings(SettingsRequest::Drop(Topic::Photos)),
            ),
            (
                "不看天气了",
                Intent::Settings(SettingsRequest::Drop(Topic::Weather)),
            ),
            (
                "stop the photos",
                Intent::Settings(SettingsRequest::Drop(Topic::Photos)),
            ),
            (
                "no more weather",
                Intent::Settings(SettingsRequest::Drop(Topic::Weather)),
            ),
            (
                "取消突发消息",
                Intent::Settings(SettingsRequest::Drop(Topic::Breaking)),
            ),
            (
                "打开图片",
                Intent::Settings(SettingsRequest::Add(Topic::Photos)),
            ),
            ("暂停一周", Intent::Settings(SettingsRequest::Pause(7))),
            ("暂停3天", Intent::Settings(SettingsRequest::Pause(3))),
            ("暂停", Intent::Settings(SettingsRequest::Pause(7))),
            (
                "pause for 2 weeks",
                Intent::Settings(SettingsRequest::Pause(14)),
            ),
            ("pause 5 days", Intent::Settings(SettingsRequest::Pause(5))),
            ("恢复推送", Intent::Settings(SettingsRequest::Resume)),
            ("resume", Intent::Settings(SettingsRequest::Resume)),
            // Searches.
            ("码头", Intent::Search("码头".to_owned())),
            ("社区食堂", Intent::Search("社区食堂".to_owned())),
            (
                "train schedule",
                Intent::Search("train schedule".to_owned()),
            ),
            // A question for one fact of an item (searched when no item holds its words).
            (
                "青溪港三期码头什么时候正式运营",
                Intent::Fact(FactQuestion {
                    fact: Fact::Time,
                    subject: ["青溪", "港", "三期", "码头", "正式", "运营"]
                        .map(str::to_owned)
                        .to_vec(),
                }),
            ),
            ("brain", Intent::Search("brain".to_owned())),
            // More everyday ways of asking.
            ("明天下不下雨", weather(Some(D::Tomorrow), A::Rain)),
            ("今天温度怎么样", weather(Some(D::Today), A::Temperature)),
            (
                "How cold will it be tomorrow?",
                weather(Some(D::Tomorrow), A::Temperature),
            ),
            ("is it raining", weather(None, A::Rain)),
            ("any news?", Intent::Section(Section::Headlines)),
            ("show me photos", Intent::Section(Section::Photos)),
            ("今天的通知有哪些", Intent::Section(Section::Notices)),
            ("明早6点半发给我", Intent::Settings(time("06:30"))),
        ];
        assert!(table.len() >= 60, "{} phrasings", table.len());
        let mut wrong = Vec::new();
        for (text, expected) in &table {
            let got = match_intent(text, segmenter());
            if &got != expected {
                wrong.push(format!("{text:?}: got {got:?}, want {expected:?}"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn notice_questions_name_their_subject() {
        assert_eq!(
            notice_subject("停水了吗", segmenter()),
            vec!["停水".to_owned()]
        );
        assert!(notice_subject("城东今天会停水吗？", segmenter()).contains(&"停水".to_owned()));
        assert!(notice_subject("最近有什么公告", segmenter()).is_empty());
        assert!(notice_subject("any notices today?", segmenter()).is_empty());
    }
}
