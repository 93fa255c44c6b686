//! JSON Feed 1.0 and 1.1: `items` with `title`, `content_html`/`content_text`, `summary`,
//! `url`/`external_url`, `authors`/`author` and `date_published`, wherever the `version`
//! key stands in the object.

use serde_json::Value;
use url::Url;

use super::{FeedDoc, FeedItem};
use crate::core::html_text::html_paragraphs;
use crate::core::markup::collapse_whitespace;
use crate::core::prose::{join_lines, web_link};

/// True when `value` is a JSON Feed: an object whose `version` names jsonfeed.org, or that
/// has an `items` array.
#[must_use]
pub(super) fn is_json_feed(value: &Value) -> bool {
    value
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org"))
        || value.get("items").is_some_and(Value::is_array)
}

/// Reads a JSON Feed document.
pub(super) fn read_json_feed(value: &Value, base: Option<&Url>) -> FeedDoc {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let home = text(value, "home_page_url").and_then(|u| Url::parse(&u).ok());
    let base = base.or(home.as_ref());
    let items = value
        .get("items")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|i| i.is_object())
                .map(|i| {
                    let paragraphs = text(i, "content_html")
                        .map(|h| html_paragraphs(&h))
                        .filter(|p| !p.is_empty())
                        .or_else(|| {
                            text(i, "content_text")
                                .map(|t| join_lines(&t.lines().collect::<Vec<_>>()))
                        })
                        .filter(|p| !p.is_empty())
                        .or_else(|| text(i, "summary").map(|s| vec![collapse_whitespace(&s)]))
                        .unwrap_or_default();
                    let mut authors: Vec<String> = i
                        .get("authors")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(|p| text(p, "name")).collect())
                        .unwrap_or_default();
                    if authors.is_empty()
                        && let Some(name) = i.get("author").and_then(|p| text(p, "name"))
                    {
                        authors.push(name);
                    }
                    FeedItem {
                        title: text(i, "title").map(|t| collapse_whitespace(&t)),
                        paragraphs,
                        link: text(i, "url")
                            .and_then(|u| web_link(&u, base))
                            .or_else(|| text(i, "external_url").and_then(|u| web_link(&u, base))),
                        authors,
                        published: text(i, "date_published")
                            .or_else(|| text(i, "date_modified"))
                            .and_then(|d| super::dates::feed_date(&d)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let version = text(value, "version").unwrap_or_default();
    FeedDoc {
        format: if version.ends_with("1.1") {
            "a JSON Feed 1.1".to_owned()
        } else {
            "a JSON Feed".to_owned()
        },
        title: text(value, "title"),
        language: text(value, "language"),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_late_and_items_read() {
        let v: Value = serde_json::from_str(
            r#"{"title":"T","items":[{"id":"1","content_html":"<p>A <b>b</b>.</p>","url":"https://example.org/1","title":"One","authors":[{"name":"Ann"}]},{"id":"2","content_text":"plain\ntext."}],"version":"https://jsonfeed.org/version/1.1"}"#,
        )
        .expect("json");
        assert!(is_json_feed(&v));
        let doc = read_json_feed(&v, None);
        assert_eq!(doc.items.len(), 2);
        assert_eq!(doc.items[0].paragraphs, vec!["A b."]);
        assert_eq!(doc.items[0].authors, vec!["Ann"]);
        assert_eq!(doc.items[1].paragraphs, vec!["plain text."]);
        assert_eq!(doc.format, "a JSON Feed 1.1");
    }
}
