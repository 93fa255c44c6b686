//! Tells what a fetched document is by its content, not its first bytes (a byte-order mark,
//! white space, comments, doctypes and processing instructions are skipped), reads it with
//! the right reader (feed, JSON Feed, news page, page dumped from print), and refuses a
//! document that gives nothing a reader keeps, saying what it looked like and why.

use url::Url;

use super::edition::{Edition, EditionError, parse_edition};
use super::feed::{FeedError, read_json_feed, read_xml_feed};
use super::webpage::read_web_page;

/// What a fetched document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// RSS, RDF, Atom or CDF (XML).
    Feed,
    /// JSON (read as a JSON Feed).
    Json,
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
    /// The JSON could not be read as a feed.
    #[error(transparent)]
    Feed(#[from] FeedError),
    /// The document was read but holds no article, notice, weather or photo item.
    #[error("nothing to read in {what}: {why}")]
    NothingFound {
        /// What the document looked like (`an RSS 2.0 feed`, `an HTML page titled '…'`).
        what: String,
        /// Why nothing was kept.
        why: String,
    },
}

/// HTML element names that open a page (after any prolog) when `<html>` is left out.
const HTML_OPENERS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "script", "style", "div", "p", "table",
    "base", "noscript", "header", "nav", "main", "article", "section", "h1", "h2", "span", "a",
    "center", "font", "iframe", "form", "img", "br", "ul", "frameset",
];

/// Names of XML roots that are feeds.
const FEED_ROOTS: &[&str] = &["rss", "feed", "rdf", "channel"];

/// Tells the document kind from its content.
#[must_use]
pub fn detect_document(text: &str) -> DocumentKind {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let mut xml_declared = false;
    let mut doctype: Option<String> = None;
    // Skip the prolog: declarations, comments, doctypes, processing instructions.
    for _ in 0..64 {
        if let Some(after) = rest.strip_prefix("<?") {
            xml_declared |= after
                .as_bytes()
                .get(..3)
                .is_some_and(|b| b.eq_ignore_ascii_case(b"xml"));
            rest = after.find("?>").map_or("", |e| &after[e + 2..]);
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
        } else if rest
            .as_bytes()
            .get(..9)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"<!doctype"))
        {
            let end = rest.find('>').unwrap_or(rest.len());
            doctype = Some(
                rest[9..end]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase(),
            );
            rest = rest.get(end + 1..).unwrap_or("");
        } else {
            break;
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    }
    if rest.starts_with('{') {
        return DocumentKind::Json;
    }
    if let Some(after) = rest.strip_prefix('<') {
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        let local = name.rsplit(':').next().unwrap_or("");
        if FEED_ROOTS.contains(&local) {
            return DocumentKind::Feed;
        }
        if HTML_OPENERS.contains(&local) {
            return DocumentKind::Html;
        }
        if doctype.as_deref() == Some("html") {
            return DocumentKind::Html;
        }
        if xml_declared || doctype.is_some() {
            return DocumentKind::Feed;
        }
    }
    if doctype.as_deref() == Some("html") {
        return DocumentKind::Html;
    }
    let head: String = rest
        .chars()
        .take(8192)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.contains("<html") || head.contains("<body") || head.contains("<head") {
        return DocumentKind::Html;
    }
    DocumentKind::Text
}

/// Reads a document of any kind into an edition; `address` (where it was fetched from,
/// when that was the web) resolves relative links.
///
/// # Errors
/// [`DocumentError`] when the page is empty, too large or binary, the JSON is not a feed,
/// or the document gives no article, notice, weather or photo item.
pub fn read_document(text: &str, address: Option<&Url>) -> Result<Edition, DocumentError> {
    let (edition, what, why) = match detect_document(text) {
        DocumentKind::Feed => {
            let read = read_xml_feed(text, address);
            let why = if read.format.starts_with("an XML document") && read.items_found == 0 {
                "it is not a feed: it has no <item> or <entry> elements".to_owned()
            } else {
                why_no_items(read.items_found)
            };
            (read.edition, read.format, why)
        }
        DocumentKind::Json => {
            let read = read_json_feed(text, address)?;
            let why = why_no_items(read.items_found);
            (read.edition, read.format, why)
        }
        DocumentKind::Html => {
            let read = read_web_page(text, address);
            let why = read.why_empty.unwrap_or_default();
            (read.edition, read.description, why)
        }
        DocumentKind::Text => {
            let edition = parse_edition(text)?;
            let lines = edition.stats.lines;
            (
                edition,
                format!("a plain-text page of {lines} lines"),
                "no line reads as a headline with its article, a notice, a weather report or a \
                 photo caption"
                    .to_owned(),
            )
        }
    };
    if edition.has_items() {
        Ok(edition)
    } else {
        Err(DocumentError::NothingFound { what, why })
    }
}

/// Why a feed with `found` items gave no article.
fn why_no_items(found: usize) -> String {
    if found == 0 {
        "it has no items".to_owned()
    } else {
        format!("none of its {found} items has a title or any text")
    }
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
            detect_document("\u{feff}\n<!-- generated --><!DOCTYPE rss PUBLIC \"x\"><rss>"),
            DocumentKind::Feed
        );
        assert_eq!(
            detect_document("<rdf:RDF xmlns:rdf=\"x\">"),
            DocumentKind::Feed
        );
        assert_eq!(
            detect_document("\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            DocumentKind::Feed
        );
        assert_eq!(
            detect_document("{\"items\": [], \"version\": \"https://jsonfeed.org/version/1.1\"}"),
            DocumentKind::Json
        );
        assert_eq!(detect_document("<!DOCTYPE html><html>"), DocumentKind::Html);
        assert_eq!(
            detect_document("<!-- https://example.org/ --><script>var x;</script><div>"),
            DocumentKind::Html
        );
        assert_eq!(
            detect_document("<?xml version=\"1.0\"?><html xmlns=\"x\">"),
            DocumentKind::Html
        );
        assert_eq!(detect_document("平湖版\n\n本报讯"), DocumentKind::Text);
    }

    #[test]
    fn a_feed_without_items_is_nothing_found() {
        let err = read_document(
            "<rss version=\"2.0\"><channel><title>T</title></channel></rss>",
            None,
        )
        .expect_err("empty feed");
        assert_eq!(
            err.to_string(),
            "nothing to read in an RSS 2.0 feed: it has no items"
        );
    }

    #[test]
    fn a_page_of_script_is_not_an_edition() {
        let err = read_document(
            "<!-- https://example.org/ -->\n<script>function go() { alert('通知'); }</script>",
            None,
        )
        .expect_err("nothing");
        assert!(matches!(err, DocumentError::NothingFound { .. }), "{err}");
    }
}
