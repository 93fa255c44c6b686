//! Tells what kind of document a source returned (a feed, an HTML page, a plain-text page)
//! and reads it into an [`Edition`] with the right parser.

use super::edition::{EditionError, parse_edition};
use super::feed::{FeedError, parse_feed};
use super::html_text::html_to_text;
use crate::core::edition::Edition;

/// What a fetched document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// RSS, Atom or JSON Feed.
    Feed,
    /// An HTML page.
    Html,
    /// Plain text dumped from print.
    Text,
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The page could not be read as an edition.
    #[error(transparent)]
    Edition(#[from] EditionError),
    /// The feed could not be parsed.
    #[error(transparent)]
    Feed(#[from] FeedError),
}

/// Sniffs the document kind from its first bytes.
#[must_use]
pub fn detect_document(text: &str) -> DocumentKind {
    let head: String = text
        .trim_start_matches(['\u{FEFF}', ' ', '\n', '\r', '\t'])
        .chars()
        .take(512)
        .collect();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<rss") || lower.starts_with("<feed") || lower.starts_with("<rdf:rdf") {
        return DocumentKind::Feed;
    }
    if lower.starts_with("<?xml") {
        return if lower.contains("<html") {
            DocumentKind::Html
        } else {
            DocumentKind::Feed
        };
    }
    if lower.starts_with('{') && lower.contains("jsonfeed.org") {
        return DocumentKind::Feed;
    }
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<head")
        || lower.starts_with("<body")
    {
        return DocumentKind::Html;
    }
    DocumentKind::Text
}

/// Reads a document of any kind into an edition.
///
/// # Errors
/// [`DocumentError`] when the page is empty, too large or binary, or the feed is malformed.
pub fn read_document(text: &str) -> Result<Edition, DocumentError> {
    Ok(match detect_document(text) {
        DocumentKind::Feed => parse_feed(text.as_bytes())?,
        DocumentKind::Html => parse_edition(&html_to_text(text))?,
        DocumentKind::Text => parse_edition(text)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_by_content() {
        assert_eq!(
            detect_document("<?xml version=\"1.0\"?><rss>"),
            DocumentKind::Feed
        );
        assert_eq!(
            detect_document("\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            DocumentKind::Feed
        );
        assert_eq!(
            detect_document("{\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            DocumentKind::Feed
        );
        assert_eq!(detect_document("<!DOCTYPE html><html>"), DocumentKind::Html);
        assert_eq!(detect_document("平湖版\n\n本报讯"), DocumentKind::Text);
    }

    #[test]
    fn html_page_of_an_edition_is_read_as_an_edition() {
        let html = "<html><body><p>青溪港三期码头投入试运行</p><p>■记者 韩东</p><p>本报讯 11月28日,青溪港三期码头投入试运行。</p></body></html>";
        let e = read_document(html).expect("reads");
        assert_eq!(e.articles.len(), 1);
        assert_eq!(e.articles[0].title, "青溪港三期码头投入试运行");
    }
}
