//! The digest of one day: headlines with their summaries, the weather, notices and photo
//! items, built from an edition and its summaries, and rendered for Telegram (HTML pieces),
//! the archive (Markdown) and machines (JSON). Pure: no I/O, no clock.

mod full_story;
pub mod labels;
mod markdown;
mod telegram_html;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use full_story::{full_story_messages, notice_messages};
pub use labels::Lang;
pub use markdown::render_markdown;
pub use telegram_html::{
    MAX_MESSAGE_UNITS, RenderOptions, escape_html, plain_text, render_telegram_html,
    section_heading, telegram_length, weather_lines,
};

use crate::core::edition::{Edition, Language, Notice, PageRef, Photo, Weather};
use crate::core::summary::{Summarizer, Summary};

/// One headline of the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// The article's title.
    pub title: String,
    /// Its kicker or subtitle, if any.
    pub subtitle: Option<String>,
    /// One-sentence summary.
    pub summary: String,
    /// Two or three sentences.
    pub summary_short: String,
    /// Link to the article online, if any.
    pub link: Option<String>,
    /// Who wrote it.
    pub reporters: Vec<String>,
    /// The page it is printed on, in a many-page edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRef>,
    /// Its kicker (引题), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kicker: Option<String>,
    /// Its dateline (`本报讯`, `SPRINGFIELD`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The whole article as printed, paragraph by paragraph, for its "full story" button
    /// (empty in digests kept from before it was stored).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<String>,
    /// Its title and summary in English, when the optional LLM translated them and the
    /// translation passed the guard (`core::translation_guard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub english: Option<Translation>,
}

/// A headline's title and one-sentence summary in another language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// The title.
    pub title: String,
    /// The summary.
    pub summary: String,
}

/// The digest of one day's edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// The edition's name (`平湖版 JIAXING DAILY`).
    pub edition: String,
    /// The day it covers.
    pub date: NaiveDate,
    /// Headlines in page order.
    pub headlines: Vec<Headline>,
    /// The weather, if the edition had it.
    pub weather: Option<Weather>,
    /// Notices in page order.
    pub notices: Vec<Notice>,
    /// Photo items in page order.
    pub photos: Vec<Photo>,
}

/// A section of the digest a subscriber can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Headlines with summaries.
    Headlines,
    /// The weather.
    Weather,
    /// Notices and announcements.
    Notices,
    /// Photo items.
    Photos,
}

impl Section {
    /// Every section, in the order a digest shows them.
    pub const ALL: [Section; 4] = [
        Section::Headlines,
        Section::Weather,
        Section::Notices,
        Section::Photos,
    ];

    /// Parses a section name in English or Chinese (`weather`, `天气`, `notices`, `通知` …).
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "headlines" | "headline" | "news" | "要闻" | "新闻" | "头条" => {
                Ok(Self::Headlines)
            }
            "weather" | "天气" => Ok(Self::Weather),
            "notices" | "notice" | "通知" | "公告" | "通知公告" => Ok(Self::Notices),
            "photos" | "photo" | "图片" | "图片新闻" => Ok(Self::Photos),
            other => Err(format!(
                "unknown section '{other}': use headlines, weather, notices or photos"
            )),
        }
    }

    /// The section's English name, as used in settings and JSON.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Headlines => "headlines",
            Self::Weather => "weather",
            Self::Notices => "notices",
            Self::Photos => "photos",
        }
    }
}

/// Builds the digest of `edition` for `date`; `summaries[i]` belongs to article `i` (missing
/// summaries fall back to the article's first paragraph).
#[must_use]
pub fn build_digest(
    edition: &Edition,
    date: NaiveDate,
    name: &str,
    summaries: &[Summary],
) -> Digest {
    let headlines = edition
        .articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            let fallback = || article.paragraphs.first().cloned().unwrap_or_default();
            let summary = summaries.get(i).cloned().unwrap_or_default();
            let title = if article.title.trim().is_empty() {
                crate::core::prose::title_from_text(
                    &fallback(),
                    crate::core::prose::FALLBACK_TITLE_CHARS,
                )
            } else {
                article.title.clone()
            };
            Headline {
                title,
                subtitle: article.subtitle.clone(),
                summary: if summary.one_sentence.is_empty() {
                    fallback()
                } else {
                    summary.one_sentence
                },
                summary_short: if summary.short.is_empty() {
                    fallback()
                } else {
                    summary.short
                },
                link: article.link.clone(),
                reporters: article.reporters.clone(),
                page: article.page.clone(),
                kicker: article.kicker.clone(),
                dateline: article.dateline.clone(),
                paragraphs: article.paragraphs.clone(),
                english: None,
            }
        })
        // A headline with nothing to say is not rendered as an empty line or `****`.
        .filter(|h| !h.title.trim().is_empty() && !h.summary.trim().is_empty())
        .collect();
    Digest {
        edition: name.to_owned(),
        date,
        headlines,
        weather: edition.weather.clone(),
        notices: edition.notices.clone(),
        photos: edition.photos.clone(),
    }
}

/// Summarises every article of `edition` and builds its digest. The digest's name is the
/// masthead's, else `fallback_name`; its date is `date`.
#[must_use]
pub fn digest_edition(
    edition: &Edition,
    date: NaiveDate,
    fallback_name: &str,
    summarizer: &Summarizer,
) -> Digest {
    let summaries: Vec<Summary> = edition
        .articles
        .iter()
        .map(|a| summarizer.summarize_article(a))
        .collect();
    let name = edition
        .masthead
        .as_ref()
        .map_or(fallback_name, |m| m.name.as_str());
    build_digest(edition, date, name, &summaries)
}

impl Digest {
    /// The page heading to print above headline `index`, in `lang`: only when the headlines
    /// come from more than one page, and only above the first headline of each page.
    #[must_use]
    pub fn page_heading(&self, index: usize, lang: Lang) -> Option<String> {
        let page = self.headlines.get(index)?.page.as_ref()?;
        let first = self.headlines.first()?.page.as_ref();
        let many = self
            .headlines
            .iter()
            .any(|h| h.page.as_ref().map(|p| &p.number) != first.map(|p| &p.number));
        let previous = index
            .checked_sub(1)
            .and_then(|i| self.headlines[i].page.as_ref());
        let starts_page = previous.is_none_or(|p| p.number != page.number);
        let language = match lang {
            Lang::Zh => Language::Zh,
            Lang::En => Language::En,
        };
        (many && starts_page).then(|| page.label(language))
    }

    /// True when `section` has nothing to show today.
    #[must_use]
    pub fn is_empty(&self, section: Section) -> bool {
        match section {
            Section::Headlines => self.headlines.is_empty(),
            Section::Weather => self.weather.is_none(),
            Section::Notices => self.notices.is_empty(),
            Section::Photos => self.photos.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_parse_in_both_languages() {
        assert_eq!(Section::parse("天气"), Ok(Section::Weather));
        assert_eq!(Section::parse("Notices"), Ok(Section::Notices));
        assert_eq!(Section::parse("头条"), Ok(Section::Headlines));
        assert!(Section::parse("sports").is_err());
    }
}
