//! Bytes to text, decoded once: the character set comes from the byte-order mark, then the
//! server's `Content-Type`, then the document's own declaration (the XML declaration for XML,
//! a `<meta charset>` or `http-equiv` for HTML, found the way browsers pre-scan, never from
//! `<link charset>` or `<script charset>`), then a statistical guess. Binary content is
//! refused. The text handed on carries no stale declaration that matters: readers work on
//! the decoded text and never decode again.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::core::markup::{Mode, Token, Tokenizer};

/// Text decoded from bytes, with the character set used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Name of the character set it was decoded from.
    pub encoding: &'static str,
    /// True when some bytes were invalid in that character set and were replaced.
    pub had_errors: bool,
}

/// Signatures of common binary formats.
const MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xFF\xD8\xFF",
    b"PK\x03\x04",
    b"\x1F\x8B",
    b"\x7FELF",
];

/// How far into a document its declared charset is looked for.
const PRESCAN_BYTES: usize = 4096;

/// True when `bytes` look like a binary file rather than text.
#[must_use]
pub fn looks_binary(bytes: &[u8]) -> bool {
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if Encoding::for_bom(head).is_some_and(|(e, _)| e != UTF_8) || utf16_without_bom(head).is_some()
    {
        // UTF-16 text has NUL bytes by design.
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B)
        .count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

/// UTF-16 without a byte-order mark, told by a `<` or `{` next to a NUL.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    match head {
        [b'<' | b'{', 0, b, 0, ..] if *b != 0 => Some(UTF_16LE),
        [0, b'<' | b'{', 0, b, ..] if *b != 0 => Some(UTF_16BE),
        _ => None,
    }
}

/// Decodes `bytes`, with `declared` a charset label from the HTTP `Content-Type` if any.
/// Returns `None` for binary content.
#[must_use]
pub fn decode_text(bytes: &[u8], declared: Option<&str>) -> Option<Decoded> {
    if looks_binary(bytes) {
        return None;
    }
    let from_bom = Encoding::for_bom(bytes).map(|(e, _)| e);
    let from_header = declared.and_then(label_encoding);
    let from_document = || sniff_declared_charset(bytes);
    let encoding = from_bom
        .or_else(|| utf16_without_bom(bytes))
        .or(from_header)
        .or_else(from_document)
        .map(|e| {
            // A document that says it is in a legacy charset but is valid UTF-8 with
            // non-ASCII bytes is UTF-8: the other reading would be mojibake.
            if from_bom.is_none()
                && e != UTF_8
                && e != UTF_16LE
                && e != UTF_16BE
                && !bytes.is_ascii()
                && std::str::from_utf8(bytes).is_ok()
            {
                UTF_8
            } else {
                e
            }
        })
        .unwrap_or_else(|| guess(bytes));
    // GBK and GB2312 labels are decoded as GB18030, their superset.
    let encoding = if encoding.name() == "GBK" {
        GB18030
    } else {
        encoding
    };
    let (text, used, had_errors) = encoding.decode(bytes);
    let text = text.trim_start_matches('\u{FEFF}').to_owned();
    Some(Decoded {
        text,
        encoding: used.name(),
        had_errors,
    })
}

/// The encoding a label names, as browsers map labels (`gb2312` → GBK, `latin1` →
/// windows-1252, `x-user-defined` → windows-1252).
fn label_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    if label.eq_ignore_ascii_case("x-user-defined") {
        return Some(WINDOWS_1252);
    }
    Encoding::for_label(label.as_bytes())
}

/// The charset a document declares near its top: the XML declaration's `encoding=` when it
/// opens with one, else the first `<meta charset>` or `<meta http-equiv="Content-Type">`
/// outside comments.
fn sniff_declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    // Windows-1252 keeps every ASCII byte where it was, which is all the pre-scan needs.
    let (head, _, _) = WINDOWS_1252.decode(head);
    let trimmed = head.trim_start();
    if let Some(decl) = trimmed.strip_prefix("<?xml") {
        let decl = &decl[..decl.find("?>").unwrap_or(decl.len())];
        if let Some(at) = decl.find("encoding") {
            let value = decl[at + "encoding".len()..]
                .trim_start()
                .trim_start_matches('=')
                .trim_start();
            let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''));
            let value = quote.map_or(value, |q| {
                let inner = &value[1..];
                &inner[..inner.find(q).unwrap_or(inner.len())]
            });
            let label: String = value
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\''))
                .collect();
            if let Some(e) = label_encoding(&label) {
                // A UTF-16 label on bytes that decoded as ASCII here is wrong: they are not
                // UTF-16 (that was caught by the BOM or NUL checks).
                return Some(if e == UTF_16LE || e == UTF_16BE {
                    UTF_8
                } else {
                    e
                });
            }
        }
    }
    for token in Tokenizer::new(&head, Mode::Html) {
        let Token::Start { name, attrs, .. } = token else {
            continue;
        };
        if !name.eq_ignore_ascii_case("meta") {
            continue;
        }
        let label = attrs.get("charset").map(|c| c.into_owned()).or_else(|| {
            let equiv = attrs.get("http-equiv")?;
            if !equiv.eq_ignore_ascii_case("content-type") {
                return None;
            }
            let content = attrs.get("content")?.to_ascii_lowercase();
            let at = content.find("charset")?;
            let value = content[at + "charset".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start()
                .trim_start_matches(['"', '\'']);
            Some(
                value
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '"' | '\''))
                    .collect(),
            )
        });
        if let Some(e) = label.as_deref().and_then(label_encoding) {
            // HTML: a meta naming UTF-16 means UTF-8 (the bytes were ASCII-readable).
            return Some(if e == UTF_16LE || e == UTF_16BE {
                UTF_8
            } else {
                e
            });
        }
    }
    None
}

/// No declaration: UTF-8 when the bytes are valid UTF-8, else the most likely legacy
/// charset for the bytes (GB18030, Big5, Shift_JIS, EUC-KR, windows-1252 …).
fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(None, false);
    if guessed == encoding_rs::GBK {
        GB18030
    } else {
        guessed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_decode_with_a_declared_charset_or_without() {
        let (bytes, _, _) = GB18030.encode("本报讯 昨天上午,青溪港三期码头投入试运行。");
        let declared = decode_text(&bytes, Some("gbk")).expect("text");
        assert_eq!(declared.text, "本报讯 昨天上午,青溪港三期码头投入试运行。");
        assert_eq!(declared.encoding, "gb18030");
        let sniffed = decode_text(&bytes, None).expect("text");
        assert_eq!(sniffed.text, declared.text);
    }

    #[test]
    fn meta_charset_is_honoured_and_link_charset_is_not() {
        let mut page = b"<html><head><link rel=stylesheet charset=\"utf-8\" href=a.css><!-- <meta charset=big5> --><meta charset=\"gb2312\"></head><body>".to_vec();
        let (body, _, _) = GB18030.encode("天气晴朗，气温回升。");
        page.extend_from_slice(&body);
        let decoded = decode_text(&page, None).expect("text");
        assert!(
            decoded.text.ends_with("天气晴朗，气温回升。"),
            "{}",
            decoded.text
        );
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn xml_declaration_names_the_charset() {
        let mut feed = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>".to_vec();
        feed.extend_from_slice(&WINDOWS_1252.encode("Glasfaserförderung").0);
        let decoded = decode_text(&feed, None).expect("text");
        assert!(decoded.text.contains("Glasfaserförderung"));
    }

    #[test]
    fn utf16_with_and_without_a_bom() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss><title>青溪</title></rss>";
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&le, None).expect("text").text, text);
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_text(&bare, None).expect("text").text, text);
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_legacy_declaration() {
        let page = "<meta charset=\"iso-8859-1\"><p>Förderung</p>".as_bytes();
        assert!(
            decode_text(page, None)
                .expect("text")
                .text
                .contains("Förderung")
        );
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_text(b"\x89PNG\r\n\x1a\n\0\0", None).is_none());
        assert!(decode_text(&[0u8, 1, 2, 3, 4, 5, 6, 7], None).is_none());
        assert!(decode_text("平湖版".as_bytes(), None).is_some());
    }
}
