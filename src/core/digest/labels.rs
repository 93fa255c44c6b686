//! Every word a digest prints that is not news: section names, weather labels, date formats,
//! in Chinese and English. One place per language, so renderers and tests share them.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Language of a digest's labels (the news itself stays in the paper's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Parses `zh` or `en` (also `中文`, `english`, any case).
    ///
    /// # Errors
    /// A message for the user naming the accepted values.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "chinese" | "中文" => Ok(Self::Zh),
            "en" | "english" | "英文" => Ok(Self::En),
            other => Err(format!("unknown language '{other}': use zh or en")),
        }
    }

    /// The language's code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
        }
    }
}

/// The fixed words of a digest in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    pub digest: &'static str,
    pub headlines: &'static str,
    pub weather: &'static str,
    pub notices: &'static str,
    pub photos: &'static str,
    pub today: &'static str,
    pub tonight: &'static str,
    pub tomorrow: &'static str,
    pub wind: &'static str,
    pub high: &'static str,
    pub low: &'static str,
    pub phones: &'static str,
    pub address: &'static str,
    pub photo_by: &'static str,
    pub reporters: &'static str,
    pub read_more: &'static str,
    pub continued: &'static str,
    pub colon: &'static str,
    pub empty_section: &'static str,
    /// Said above news printed in the other language and not translated: for an English
    /// reader of a Chinese paper.
    pub printed_in_other_language: Option<&'static str>,
}

/// Chinese labels.
pub const ZH: Labels = Labels {
    digest: "今日摘要",
    headlines: "要闻",
    weather: "天气",
    notices: "通知公告",
    photos: "图片新闻",
    today: "今天",
    tonight: "今晚",
    tomorrow: "明天",
    wind: "风力",
    high: "最高气温",
    low: "最低气温",
    phones: "电话",
    address: "地址",
    photo_by: "摄影",
    reporters: "作者",
    read_more: "原文",
    continued: "（续）",
    colon: "：",
    empty_section: "今天没有这一栏的内容。",
    printed_in_other_language: None,
};

/// English labels.
pub const EN: Labels = Labels {
    digest: "Today's digest",
    headlines: "Headlines",
    weather: "Weather",
    notices: "Notices",
    photos: "Photos",
    today: "Today",
    tonight: "Tonight",
    tomorrow: "Tomorrow",
    wind: "Wind",
    high: "High",
    low: "Low",
    phones: "Phone",
    address: "Address",
    photo_by: "Photo",
    reporters: "By",
    read_more: "Read more",
    continued: " (continued)",
    colon: ": ",
    empty_section: "Nothing in this section today.",
    printed_in_other_language: Some(
        "The paper prints these in Chinese; shown as printed where no checked translation is available.",
    ),
};

/// The labels of `lang`.
#[must_use]
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// Formats a date the way readers of `lang` write it: `2026年11月29日 星期日`,
/// `Sunday, 29 November 2026`.
#[must_use]
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let weekday = ["一", "二", "三", "四", "五", "六", "日"]
                [date.weekday().num_days_from_monday() as usize];
            format!(
                "{}年{}月{}日 星期{weekday}",
                date.year(),
                date.month(),
                date.day()
            )
        }
        Lang::En => {
            let weekday = match date.weekday() {
                Weekday::Mon => "Monday",
                Weekday::Tue => "Tuesday",
                Weekday::Wed => "Wednesday",
                Weekday::Thu => "Thursday",
                Weekday::Fri => "Friday",
                Weekday::Sat => "Saturday",
                Weekday::Sun => "Sunday",
            };
            let month = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ][date.month0() as usize];
            format!("{weekday}, {} {month} {}", date.day(), date.year())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        assert_eq!(format_date(d, Lang::Zh), "2026年11月29日 星期日");
        assert_eq!(format_date(d, Lang::En), "Sunday, 29 November 2026");
    }

    #[test]
    fn language_names_parse() {
        assert_eq!(Lang::parse("EN"), Ok(Lang::En));
        assert_eq!(Lang::parse("中文"), Ok(Lang::Zh));
        assert!(Lang::parse("fr").is_err());
    }
}
