//! The day's edition as data (`Edition` and its items) and the parser that reads a page
//! dumped from print into it. Pure: text in, `Edition` out; fetching lives in `crate::edge::fetch`.
//!
//! The parser never drops text: every non-empty input line is owned by exactly one item
//! (an article, a photo, a notice, the weather, the masthead) or listed as `unclassified`,
//! and each item records the 1-based line numbers it owns in `lines`.

mod byline;
mod headline;
mod layout;
mod lines;
mod notice;
mod pages;
mod paragraphs;
pub mod phones;
mod report;
mod weather;

use serde::{Deserialize, Serialize};

pub use layout::parse_edition;
pub use pages::{
    MAX_PAGES, PageInput, PageJump, PageRef, assemble_pages, find_page_header, is_page_template,
    list_repeats_once, page_number, page_spec, page_specs, read_jump, read_page_header,
    reread_as_print, take_jump_marks,
};

/// The people a byline line credits and the affiliations printed with them (`■记者 韩东`,
/// `By Ann Lee, Staff Writer`), or `None` when `text` is not a byline. Used by readers of
/// other documents (web pages) that meet a byline inside the body.
#[must_use]
pub fn read_byline(text: &str, language: Language) -> Option<(Vec<Credit>, Vec<String>)> {
    match lines::classify(text, language) {
        lines::LineKind::Byline(credits, affiliations) => Some((credits, affiliations)),
        _ => None,
    }
}
pub use report::describe_edition;

/// Largest edition the parser accepts, in bytes; a day's page is a few dozen KiB.
pub const MAX_EDITION_BYTES: usize = 8 * 1024 * 1024;

/// Longest line the parser will classify, in characters; longer lines are kept as
/// `unclassified` with a warning instead of being read as prose.
pub const MAX_LINE_CHARS: usize = 20_000;

/// The embedded sample edition: one fictional day in the fictional town of Qingxi, laid
/// out and damaged like a real page dumped from print.
pub const SAMPLE_EDITION: &str = include_str!("sample-qingxi.txt");

/// A second embedded sample: the same fictional paper's Dongtang county edition of the same
/// day, so that the demo (and anyone trying an editions file) can serve two editions.
pub const SAMPLE_DONGTANG: &str = include_str!("sample-dongtang.txt");

/// The embedded sample a page spec `sample:NAME` names (`sample:qingxi`,
/// `sample:dongtang`), for an editions file that serves the samples.
#[must_use]
pub fn embedded_sample(spec: &str) -> Option<&'static str> {
    match spec.trim().strip_prefix("sample:")? {
        "qingxi" => Some(SAMPLE_EDITION),
        "dongtang" => Some(SAMPLE_DONGTANG),
        _ => None,
    }
}

/// Why a text could not be read as an edition at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionError {
    /// Nothing but white space.
    #[error("the edition is empty")]
    Empty,
    /// Over [`MAX_EDITION_BYTES`].
    #[error("the edition is {bytes} bytes, over the {limit} byte limit")]
    TooLarge { bytes: usize, limit: usize },
    /// Control characters where text should be.
    #[error(
        "the edition looks like binary data, not text ({bad} control characters in the first {checked})"
    )]
    Binary { bad: usize, checked: usize },
}

/// Main language of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

/// A parsed edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Edition {
    /// Main language of the page.
    pub language: Language,
    /// The paper's name and date lines at the top of the page, if any.
    pub masthead: Option<Masthead>,
    /// News articles in page order.
    pub articles: Vec<Article>,
    /// Photo items (a picture's title, caption and credit).
    pub photos: Vec<Photo>,
    /// The weather block, when the page has one.
    pub weather: Option<Weather>,
    /// Announcements, adverts, reminders and slogans.
    pub notices: Vec<Notice>,
    /// Page furniture: running heads and feet (page, paper, date), the desk's credits and
    /// contacts; lines about the page, not news.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<SourceLine>,
    /// Lines the parser could not place; each also has a warning.
    pub unclassified: Vec<SourceLine>,
    /// Things the parser was unsure about.
    pub warnings: Vec<Warning>,
    /// Counts that describe the parse.
    pub stats: EditionStats,
}

/// Counts that describe a parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EditionStats {
    /// Non-empty input lines.
    pub lines: usize,
    /// Paragraphs the print layout broke that were joined back together.
    pub rejoined_breaks: usize,
}

/// The paper's name and date as printed at the top of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Masthead {
    /// Name lines joined by a space, e.g. `平湖版 JIAXING DAILY`.
    pub name: String,
    /// The printed date line, if any.
    pub date: Option<String>,
    /// The date as `YYYY-MM-DD` when the printed date could be read.
    pub iso_date: Option<String>,
    /// Taglines, volume, issue and section lines printed with the name, in print order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Source lines owned.
    pub lines: Vec<usize>,
}

/// One person credited in a byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// The role as printed: `记者`, `通讯员`, `实习生`, `摄影`, `By` …
    pub role: String,
    /// The name with layout spaces removed (`王 强` → `王强`).
    pub name: String,
}

/// A news article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The main headline.
    pub title: String,
    /// The headline's other parts (kicker above and/or subtitle below), in print order.
    pub subtitle: Option<String>,
    /// The part printed above the main headline (引题), when there is one.
    pub kicker: Option<String>,
    /// Everybody credited, reporters first, as names.
    pub reporters: Vec<String>,
    /// Everybody credited, with the role each was credited under.
    pub credits: Vec<Credit>,
    /// Employers or jobs printed with the byline (`Associated Press`, `Staff Writer`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<String>,
    /// The dateline that opened the body (`本报讯`, `RIVERTON`), without its punctuation.
    pub dateline: Option<String>,
    /// Body paragraphs, re-joined where the layout broke them.
    pub paragraphs: Vec<String>,
    /// Link to the article online (feeds), if any.
    pub link: Option<String>,
    /// Publication time as RFC 3339 (feeds, web pages), if known.
    pub published: Option<String>,
    /// The article's lead image (web pages), an absolute http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// How many layout breaks were joined in this article.
    pub rejoined_breaks: usize,
    /// The page it is printed on (its first page, when continued), in a many-page edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRef>,
    /// `（下转第3版）`: where the article goes on, until the pages are joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jump_to: Option<PageJump>,
    /// `（上接第1版）`: where the article comes from, on a page that continues it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jump_from: Option<PageJump>,
    /// Source lines owned.
    pub lines: Vec<usize>,
}

/// A photo item: a picture's title, caption and credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The title printed above the caption, if any.
    pub title: Option<String>,
    /// The caption.
    pub caption: String,
    /// Photographers' names.
    pub photographers: Vec<String>,
    /// The page it is printed on, in a many-page edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRef>,
    /// Source lines owned.
    pub lines: Vec<usize>,
}

/// Which day a forecast figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ForecastDay {
    /// Today (daytime).
    Today,
    /// Tonight.
    Tonight,
    /// Tomorrow.
    Tomorrow,
}

/// Temperature scale a page printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TemperatureUnit {
    /// Degrees Celsius.
    #[default]
    #[serde(rename = "C")]
    Celsius,
    /// Degrees Fahrenheit (converted to Celsius in `high_c`/`low_c`).
    #[serde(rename = "F")]
    Fahrenheit,
}

/// One temperature figure of the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Temperature {
    /// Degrees Celsius (converted and rounded to 0.1 when the page printed °F).
    pub celsius: f64,
    /// The day it belongs to.
    pub day: ForecastDay,
    /// The time phrase as printed (`明天早晨`, `Tonight`).
    pub when: String,
    /// The figure as printed (`6℃`, `41°F`).
    pub printed: String,
}

/// The weather block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Weather {
    /// Today's conditions.
    pub today: Option<String>,
    /// Tonight's conditions, when given separately.
    pub tonight: Option<String>,
    /// Tomorrow's conditions.
    pub tomorrow: Option<String>,
    /// Wind, as printed (`偏东风3级`).
    pub wind: Option<String>,
    /// Highest temperature in °C.
    pub high_c: Option<f64>,
    /// Lowest temperature in °C.
    pub low_c: Option<f64>,
    /// The day the highest temperature belongs to.
    pub high_day: Option<ForecastDay>,
    /// The day the lowest temperature belongs to.
    pub low_day: Option<ForecastDay>,
    /// The highest temperature in full (when and as printed).
    pub high: Option<Temperature>,
    /// The lowest temperature in full.
    pub low: Option<Temperature>,
    /// Scale the page printed.
    pub unit: TemperatureUnit,
    /// The block's text as printed.
    pub text: String,
    /// Source lines owned.
    pub lines: Vec<usize>,
}

/// What sort of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An official announcement with a title (停水通知, PUBLIC NOTICE).
    Announcement,
    /// An advertisement or listing with contact details.
    Advert,
    /// A reminder line (友情提醒, 温馨提示).
    Reminder,
    /// A slogan or public-service line standing on its own.
    Slogan,
}

/// An announcement, advert, reminder or slogan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// What sort of notice.
    pub kind: NoticeKind,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Its full text as printed, lines joined by newlines.
    pub text: String,
    /// Phone numbers, exactly as printed.
    pub phones: Vec<String>,
    /// Addresses given in `地址:`/`Address:` fields.
    pub addresses: Vec<String>,
    /// The body that issued it (a company, a bureau), when printed.
    pub issuer: Option<String>,
    /// Dates and times, exactly as printed.
    pub dates: Vec<String>,
    /// The page it is printed on, in a many-page edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRef>,
    /// Source lines owned.
    pub lines: Vec<usize>,
}

/// A line with its 1-based number in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    /// 1-based line number.
    pub line: usize,
    /// The line, trimmed.
    pub text: String,
}

/// Something the parser was unsure about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The 1-based input line it concerns, when there is one.
    pub line: Option<usize>,
    /// What happened.
    pub message: String,
}

impl Notice {
    /// The title a reader sees it by: its title, or its first line when it has none.
    #[must_use]
    pub fn shown_title(&self) -> &str {
        self.title
            .as_deref()
            .unwrap_or_else(|| self.text.lines().next().unwrap_or_default())
    }

    /// The notice's text without its title (and the colon after a reminder's label).
    #[must_use]
    pub fn body(&self) -> &str {
        let text = self.text.as_str();
        match &self.title {
            Some(title) => text
                .strip_prefix(title.as_str())
                .map_or(text, |rest| rest.trim_start_matches([':', '：', '\n', ' '])),
            None => text,
        }
    }
}

impl Edition {
    /// True when the edition holds something a reader keeps: an article, a photo item, a
    /// notice or the weather.
    #[must_use]
    pub fn has_items(&self) -> bool {
        !self.articles.is_empty()
            || !self.photos.is_empty()
            || !self.notices.is_empty()
            || self.weather.is_some()
    }

    /// Every source line number owned by some item, in no particular order; used to
    /// check that nothing was dropped or placed twice.
    #[must_use]
    pub fn owned_lines(&self) -> Vec<usize> {
        let mut all = Vec::new();
        if let Some(m) = &self.masthead {
            all.extend(&m.lines);
        }
        for a in &self.articles {
            all.extend(&a.lines);
        }
        for p in &self.photos {
            all.extend(&p.lines);
        }
        if let Some(w) = &self.weather {
            all.extend(&w.lines);
        }
        for n in &self.notices {
            all.extend(&n.lines);
        }
        all.extend(self.furniture.iter().map(|f| f.line));
        all.extend(self.unclassified.iter().map(|u| u.line));
        all
    }

    /// Appends another edition's articles, photos and notices (a feed joining the
    /// day's page), keeping this edition's masthead and weather.
    pub fn absorb(&mut self, other: Edition, source: &str) {
        self.articles.extend(other.articles);
        self.photos.extend(other.photos);
        self.notices.extend(other.notices);
        if self.weather.is_none() {
            self.weather = other.weather;
        }
        self.warnings
            .extend(other.warnings.into_iter().map(|w| Warning {
                line: w.line,
                message: format!("{source}: {}", w.message),
            }));
        self.furniture.extend(other.furniture);
        self.unclassified.extend(other.unclassified);
    }
}
