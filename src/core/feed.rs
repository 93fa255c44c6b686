//! Reads an RSS 2.0, Atom or JSON Feed document into an [`Edition`] whose articles are the
//! feed's items: title, link, published time and text (content, else summary) without HTML.

use super::edition::{Article, Credit, Edition, EditionStats, Language, Masthead, Warning};
use super::html_text::html_to_text;
use super::punctuation::is_mostly_cjk;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
#[error("error parsing feed: {0}")]
pub struct FeedError(String);

/// Parses feed bytes into an edition of articles.
///
/// # Errors
/// [`FeedError`] when the bytes are not a feed feed-rs can read.
pub fn parse_feed(bytes: &[u8]) -> Result<Edition, FeedError> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| FeedError(e.to_string()))?;
    let mut edition = Edition::default();
    let feed_title = feed.title.as_ref().map(|t| html_to_text(&t.content));
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let title = entry
            .title
            .map(|t| html_to_text(&t.content))
            .unwrap_or_default();
        let body = entry
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.map(|s| s.content))
            .map(|html| html_to_text(&html))
            .unwrap_or_default();
        let paragraphs: Vec<String> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        if title.is_empty() && paragraphs.is_empty() {
            edition.warnings.push(Warning {
                line: None,
                message: format!("feed item {} has neither title nor text; skipped", i + 1),
            });
            continue;
        }
        if paragraphs.is_empty() {
            edition.warnings.push(Warning {
                line: None,
                message: format!("feed item '{title}' has no text"),
            });
        }
        let credits: Vec<Credit> = entry
            .authors
            .into_iter()
            .map(|p| Credit {
                role: "By".to_owned(),
                name: p.name,
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
            paragraphs,
            link: entry.links.first().map(|l| l.href.clone()),
            published: entry.published.or(entry.updated).map(|t| t.to_rfc3339()),
            rejoined_breaks: 0,
            lines: Vec::new(),
        });
    }
    let sample: String = edition
        .articles
        .iter()
        .take(5)
        .map(|a| a.title.as_str())
        .collect();
    edition.language = match feed.language.as_deref() {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => Language::Zh,
        Some(l) if l.to_ascii_lowercase().starts_with("en") => Language::En,
        _ if is_mostly_cjk(&sample) => Language::Zh,
        _ => Language::En,
    };
    edition.masthead = feed_title.map(|name| Masthead {
        name,
        date: None,
        iso_date: None,
        details: Vec::new(),
        lines: Vec::new(),
    });
    edition.stats = EditionStats {
        lines: 0,
        rejoined_breaks: 0,
    };
    Ok(edition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_become_articles_with_links_and_plain_text() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>青溪新闻</title>
            <item><title>滨河街区明年开放</title><link>https://example.org/a</link>
            <pubDate>Sun, 29 Nov 2026 08:00:00 +0800</pubDate>
            <description>&lt;p&gt;本报讯 昨天上午&lt;/p&gt;&lt;p&gt;第二段。&lt;/p&gt;</description></item>
            </channel></rss>"#;
        let e = parse_feed(rss.as_bytes()).expect("rss parses");
        assert_eq!(e.articles.len(), 1);
        let a = &e.articles[0];
        assert_eq!(a.title, "滨河街区明年开放");
        assert_eq!(a.link.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.paragraphs, vec!["本报讯 昨天上午", "第二段。"]);
        assert_eq!(a.published.as_deref(), Some("2026-11-29T00:00:00+00:00"));
        assert_eq!(e.language, Language::Zh);
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(parse_feed(b"just text").is_err());
    }
}
