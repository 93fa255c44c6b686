//! Text checks as Telegram makes them: what HTML parse mode shows (and what it refuses),
//! and whether a message text or caption is acceptable.

use std::fmt;

use serde_json::Value;

use crate::MAX_TEXT_UNITS;

/// Tags Telegram's HTML parse mode accepts.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
];

/// The text Telegram would show for `html`, or why it would refuse it.
pub fn visible_text(html: &str) -> Result<String, String> {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or("unclosed start tag")?;
                let tag = &rest[1..end];
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !TAGS.contains(&name.as_str()) {
                    return Err(format!("unsupported start tag \"{name}\""));
                }
                if tag.starts_with('/') {
                    if open.pop().as_deref() != Some(name.as_str()) {
                        return Err(format!("unexpected end tag \"{name}\""));
                    }
                } else {
                    open.push(name);
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let end = rest
                    .char_indices()
                    .take(10)
                    .find(|&(_, ch)| ch == ';')
                    .map(|(i, _)| i)
                    .ok_or("unescaped &")?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    _ => entity
                        .strip_prefix('#')
                        .and_then(|n| {
                            n.strip_prefix('x')
                                .map_or_else(|| n.parse().ok(), |h| u32::from_str_radix(h, 16).ok())
                        })
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("unsupported entity \"&{entity};\""))?,
                };
                out.push(decoded);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(name) = open.pop() {
        return Err(format!(
            "can't find end tag corresponding to start tag \"{name}\""
        ));
    }
    Ok(out)
}

/// Why Telegram refuses a message text or caption; shown after "Bad Request: ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextRefusal {
    /// HTML parse mode, and the HTML does not parse.
    Entities(String),
    /// A message text with nothing visible.
    Empty,
    /// More than [`MAX_TEXT_UNITS`] visible UTF-16 units.
    TooLong,
}

impl fmt::Display for TextRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Entities(why) => write!(f, "can't parse entities: {why}"),
            Self::Empty => f.write_str("message text is empty"),
            Self::TooLong => f.write_str("message is too long"),
        }
    }
}

/// Whether `body` asks for HTML parse mode.
fn is_html(body: &Value) -> bool {
    body.get("parse_mode")
        .and_then(Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("html"))
}

/// Checks the text in `body[field]` (`text` or `caption`, missing counts as empty) as
/// Telegram would; returns it as sent. Only a `text` may not be empty.
pub(crate) fn check_text(body: &Value, field: &str) -> Result<String, TextRefusal> {
    let text = body
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let visible = if is_html(body) {
        visible_text(&text).map_err(TextRefusal::Entities)?
    } else {
        text.clone()
    };
    if field == "text" && visible.trim().is_empty() {
        return Err(TextRefusal::Empty);
    }
    if visible.encode_utf16().count() > MAX_TEXT_UNITS {
        return Err(TextRefusal::TooLong);
    }
    Ok(text)
}

/// Whether Telegram refuses the message an inline-query result would send: its HTML does
/// not parse, or nothing is visible, or too much is.
pub(crate) fn inline_result_invalid(item: &Value) -> bool {
    let content = &item["input_message_content"];
    let text = content["message_text"].as_str().unwrap_or("");
    let visible = if is_html(content) {
        visible_text(text).ok()
    } else {
        Some(text.to_owned())
    };
    visible.is_none_or(|v| v.trim().is_empty() || v.encode_utf16().count() > MAX_TEXT_UNITS)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn html_is_checked_like_telegram_does() {
        assert_eq!(
            visible_text("<b>标题</b> &lt;x&gt; &amp; <a href=\"u\">link</a>").as_deref(),
            Ok("标题 <x> & link")
        );
        assert!(visible_text("<b>open").is_err());
        assert!(visible_text("a < b").is_err());
        assert!(visible_text("<script>x</script>").is_err());
        assert!(visible_text("fish & chips").is_err());
        assert!(visible_text("<b><i>x</b></i>").is_err());
    }

    #[test]
    fn texts_are_refused_for_telegrams_reasons() {
        let html = |text: &str| json!({ "text": text, "parse_mode": "HTML" });
        assert_eq!(
            check_text(&html("<b>hi</b>"), "text").as_deref(),
            Ok("<b>hi</b>")
        );
        assert_eq!(
            check_text(&html("<b>hi"), "text"),
            Err(TextRefusal::Entities(
                "can't find end tag corresponding to start tag \"b\"".into()
            ))
        );
        assert_eq!(
            check_text(&html("<b> </b>"), "text"),
            Err(TextRefusal::Empty)
        );
        assert_eq!(check_text(&json!({}), "caption").as_deref(), Ok(""));
        let long = "x".repeat(MAX_TEXT_UNITS + 1);
        assert_eq!(
            check_text(&json!({ "text": long }), "text"),
            Err(TextRefusal::TooLong)
        );
        assert_eq!(
            TextRefusal::Entities("unescaped &".into()).to_string(),
            "can't parse entities: unescaped &"
        );
    }

    #[test]
    fn inline_results_need_visible_text() {
        let item = |text: &str, mode: &str| {
            let content = json!({ "message_text": text, "parse_mode": mode });
            json!({ "input_message_content": content })
        };
        assert!(!inline_result_invalid(&item("<b>ok</b>", "html")));
        assert!(inline_result_invalid(&item("<b>ok", "HTML")));
        assert!(!inline_result_invalid(&item("<b>ok", "")));
        assert!(inline_result_invalid(&item("  ", "")));
        assert!(inline_result_invalid(&json!({})));
    }
}
