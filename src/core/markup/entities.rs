//! Character references: every HTML5 named entity (`&eacute;`, `&hellip;`, `&NotEqualTilde;`)
//! and numeric ones (`&#233;`, `&#xE9;`), decoded to the characters they stand for. An
//! unknown or broken reference stays as it was written.

use std::borrow::Cow;

/// Decodes the character references in `text`; text without `&` is returned as it is.
///
/// ```
/// use newsbot::core::markup::decode_entities;
///
/// assert_eq!(decode_entities("caf&eacute; &amp; cr&#232;me &unknown;"), "café & crème &unknown;");
/// ```
#[must_use]
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let decoded = html_escape::decode_html_entities(text);
    // NUL and the other C0 controls are not text; a reference to one is dropped.
    if decoded
        .chars()
        .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Cow::Owned(
            decoded
                .chars()
                .filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        );
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_numeric_and_unknown_references() {
        assert_eq!(decode_entities("&eacute;&Eacute;&hellip;"), "éÉ…");
        assert_eq!(decode_entities("&#x4E2D;&#25991;"), "中文");
        assert_eq!(
            decode_entities("a &amp b &zzz; c & d"),
            "a &amp b &zzz; c & d"
        );
        assert_eq!(decode_entities("&#0;x"), "&#0;x");
        assert_eq!(decode_entities("plain"), "plain");
    }
}
