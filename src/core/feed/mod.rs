//! Reads a feed (every RSS dialect, Atom 0.3/1.0, JSON Feed 1.0/1.1) from decoded text into
//! an [`Edition`] whose articles are the feed's items: title (plain text stays plain), link
//! (http(s) only, resolved against `xml:base` or the document's address), published time,
//! authors and paragraphs (content, else summary) re-joined inside sentences.
//!
//! The text has already been decoded once (see `crate::edge::fetch::decode`); any `encoding=`
//! the document declares is history and is not looked at again.

mod dates;
mod json;
mod xml;

use url::Url;

pub use dates::feed_date;

use super::edition::{Article, Credit, Edition, Language, Masthead, Warning};
use super::prose::{FALLBACK_TITLE_CHARS, repair_double_encoding, title_from_text};
use super::punctuation::is_mostly_cjk;

/// Why a document could not be read as a feed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// JSON, but not a JSON Feed.
    #[error("a JSON document that is not a JSON Feed (no jsonfeed.org version and no items)")]
    NotJsonFeed,
    /// Starts like JSON but does not parse.
    #[error("a JSON document that does not parse: {0}")]
    BadJson(String),
}

/// A feed as read, before it becomes an edition.
#[derive(Debug, Clone, Default)]
pub struct FeedDoc {
    /// What it is, for messages: `an RSS 2.0 feed`, `an Atom feed`, `a JSON Feed`.
    pub format: String,
    /// The feed's own title.
    pub title: Option<String>,
    /// The declared language, if any.
    pub language: Option<String>,
    /// Every item or entry found.
    pub items: Vec<FeedItem>,
}

/// One item of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedItem {
    /// The title as plain text.
    pub title: Option<String>,
    /// Content (else summary) as paragraphs.
    pub paragraphs: Vec<String>,
    /// The item's web link.
    pub link: Option<String>,
    /// Authors' names.
    pub authors: Vec<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
}

/// A feed read into an edition, with what the document looked like.
#[derive(Debug, Clone)]
pub struct ReadFeed {
    /// The items that hold a title or text, as articles.
    pub edition: Edition,
    /// What the document is (`an RSS 2.0 feed`).
    pub format: String,
    /// Items found, kept or not.
    pub items_found: usize,
}

/// Reads XML feed text.
#[must_use]
pub fn read_xml_feed(text: &str, base: Option<&Url>) -> ReadFeed {
    into_edition(xml::read_xml_feed(text, base))
}

/// Reads JSON Feed text.
///
/// # Errors
/// [`FeedError`] when the text is not JSON or not a JSON Feed.
pub fn read_json_feed(text: &str, base: Option<&Url>) -> Result<ReadFeed, FeedError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| FeedError::BadJson(e.to_string()))?;
    if !json::is_json_feed(&value) {
        return Err(FeedError::NotJsonFeed);
    }
    Ok(into_edition(json::read_json_feed(&value, base)))
}

fn into_edition(doc: FeedDoc) -> ReadFeed {
    let mut edition = Edition::default();
    let items_found = doc.items.len();
    for (i, mut item) in doc.items.into_iter().enumerate() {
        let title = item
            .title
            .as_deref()
            .map(|t| repair_double_encoding(t).into_owned())
            .unwrap_or_default();
        for p in &mut item.paragraphs {
            if let std::borrow::Cow::Owned(fixed) = repair_double_encoding(p) {
                *p = fixed;
            }
        }
        if title.is_empty() && item.paragraphs.is_empty() {
            edition.warnings.push(Warning {
                line: None,
                message: format!("feed item {} has neither title nor text; skipped", i + 1),
            });
            continue;
        }
        let title = if title.is_empty() {
            edition.warnings.push(Warning {
                line: None,
                message: format!("feed item {} has no title; titled from its text", i + 1),
            });
            title_from_text(
                &item.paragraphs[0].replace('\u{FFFD}', ""),
                FALLBACK_TITLE_CHARS,
            )
        } else {
            title
        };
        let credits: Vec<Credit> = item
            .authors
            .into_iter()
            .map(|name| Credit {
                role: "By".to_owned(),
                name,
            })
            .collect();
        edition.articles.push(Article {
            title,
            subtitle: None,
            kicker: None,
            reporters: credits.iter().map(|c| c.name.clone()).collect(),
            credits,
            affiliations: Vec::new(),
            dateline: None,
            paragraphs: item.paragraphs,
            link: item.link,
            published: item.published,
            image: None,
            rejoined_breaks: 0,
            page: None,
            jump_to: None,
            jump_from: None,
            lines: Vec::new(),
        });
    }
    let sample: String = edition
        .articles
        .iter()
        .take(5)
        .map(|a| a.title.as_str())
        .collect();
    let declared = doc.language.as_deref().map(str::to_ascii_lowercase);
    edition.language = match declared.as_deref() {
        Some(l) if l.starts_with("zh") => Language::Zh,
        Some(l) if l.starts_with("en") => Language::En,
        _ if is_mostly_cjk(&sample) => Language::Zh,
        _ => Language::En,
    };
    edition.masthead = doc.title.map(|name| Masthead {
        name,
        date: None,
        iso_date: None,
        details: Vec::new(),
        lines: Vec::new(),
    });
    ReadFeed {
        edition,
        format: doc.format,
        items_found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_become_articles_with_links_and_plain_text() {
        let rss = r#"<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>青溪新闻</title>
            <item><title>滨河街区明年开放</title><link>https://example.org/a</link>
            <pubDate>Sun, 29 Nov 2026 08:00:00 +0800</pubDate>
            <description>&lt;p&gt;本报讯 昨天上午&lt;/p&gt;&lt;p&gt;第二段。&lt;/p&gt;</description></item>
            </channel></rss>"#;
        let read = read_xml_feed(rss, None);
        let e = &read.edition;
        assert_eq!(e.articles.len(), 1);
        let a = &e.articles[0];
        assert_eq!(a.title, "滨河街区明年开放");
        assert_eq!(a.link.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.paragraphs, vec!["本报讯 昨天上午", "第二段。"]);
        assert_eq!(a.published.as_deref(), Some("2026-11-29T08:00:00+08:00"));
        assert_eq!(e.language, Language::Zh);
        assert_eq!(read.format, "an RSS 2.0 feed");
    }

    #[test]
    fn an_item_without_title_is_titled_from_its_text() {
        let read = read_xml_feed(
            "<rss><channel><item><description>The council met on Tuesday to approve the budget for the new river bridge and the school.</description></item></channel></rss>",
            None,
        );
        let title = &read.edition.articles[0].title;
        assert!(title.starts_with("The council met"), "{title}");
        assert!(title.ends_with('…'), "{title}");
    }

    #[test]
    fn not_a_json_feed_is_an_error() {
        assert_eq!(
            read_json_feed("{\"a\": 1}", None).err(),
            Some(FeedError::NotJsonFeed)
        );
        assert!(matches!(
            read_json_feed("{", None),
            Err(FeedError::BadJson(_))
        ));
    }
}
