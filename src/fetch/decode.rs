//! Bytes to text: picks the character set from the byte-order mark, the server's
//! `Content-Type`, a `<meta charset>` or XML declaration, or by trying UTF-8 then GB18030
//! (common on Chinese sites), and refuses binary content.

use encoding_rs::{Encoding, GB18030, UTF_8};

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

/// True when `bytes` look like a binary file rather than text.
#[must_use]
pub fn looks_binary(bytes: &[u8]) -> bool {
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if Encoding::for_bom(head).is_some_and(|(e, _)| e != UTF_8) {
        // UTF-16 text has NUL bytes by design.
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B)
        .count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

/// Decodes `bytes`, trusting `declared` (a charset label from `Content-Type`) when it names a
/// known character set. Returns `None` for binary content.
#[must_use]
pub fn decode_text(bytes: &[u8], declared: Option<&str>) -> Option<Decoded> {
    if looks_binary(bytes) {
        return None;
    }
    let encoding = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| {
            declared.and_then(|l| Encoding::for_label(l.trim().trim_matches('"').as_bytes()))
        })
        .or_else(|| sniff_declared_charset(bytes))
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                guess_legacy(bytes)
            }
        });
    // GBK and GB2312 labels are decoded as GB18030, their superset.
    let encoding = if encoding.name() == "GBK" {
        GB18030
    } else {
        encoding
    };
    let (text, used, had_errors) = encoding.decode(bytes);
    Some(Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        had_errors,
    })
}

/// Looks for `charset=` in a `<meta>` tag or `encoding=` in an XML declaration near the top.
fn sniff_declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        if let Some(at) = head.find(key) {
            let label: String = head[at + key.len()..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if let Some(e) = Encoding::for_label(label.as_bytes()) {
                return Some(e);
            }
        }
    }
    None
}

/// Invalid UTF-8 with no declared charset: GB18030 if it decodes cleanly, else UTF-8 with
/// replacement characters (the parser warns about those).
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let (_, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors { UTF_8 } else { GB18030 }
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
    fn meta_charset_is_honoured() {
        let mut page = b"<html><head><meta charset=\"gb2312\"></head><body>".to_vec();
        let (body, _, _) = GB18030.encode("天气");
        page.extend_from_slice(&body);
        assert!(
            decode_text(&page, None)
                .expect("text")
                .text
                .ends_with("天气")
        );
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_text(b"\x89PNG\r\n\x1a\n\0\0", None).is_none());
        assert!(decode_text(&[0u8, 1, 2, 3, 4, 5, 6, 7], None).is_none());
        assert!(decode_text("平湖版".as_bytes(), None).is_some());
    }
}
