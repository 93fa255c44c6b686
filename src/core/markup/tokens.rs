//! A forgiving tokenizer for HTML and XML as the web writes them: start and end tags with
//! their attributes, text, CDATA, comments, doctypes and processing instructions. It never
//! fails: markup it cannot read is text. Raw-text elements (`<script>`, `<style>` …) are
//! read to their end tag in HTML mode so that their content is never taken for markup.

use std::borrow::Cow;

use super::entities::decode_entities;

/// One piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attr="v">`; `self_closing` for `<name/>`.
    Start {
        /// The tag name as written.
        name: &'a str,
        /// The attributes as written (values still hold their entities).
        attrs: Attrs<'a>,
        /// Written as `<name/>`.
        self_closing: bool,
    },
    /// `</name>`.
    End {
        /// The tag name as written.
        name: &'a str,
    },
    /// Character data between tags, entities not yet decoded.
    Text(&'a str),
    /// A `<![CDATA[…]]>` section's content, to be taken literally.
    CData(&'a str),
    /// A comment, doctype or processing instruction: nothing a reader sees.
    Other(&'a str),
}

/// The attribute part of a start tag, parsed on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attrs<'a>(&'a str);

impl<'a> Attrs<'a> {
    /// Every `(name, raw value)` pair; a bare attribute has an empty value.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        AttrIter { rest: self.0 }
    }

    /// The value of the attribute named `name` (ASCII case ignored), entities decoded.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| decode_entities(v))
    }

    /// The raw text of the attributes.
    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.0
    }
}

struct AttrIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let s = self
                .rest
                .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if s.is_empty() {
                self.rest = s;
                return None;
            }
            let name_end = s
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(s.len());
            let name = &s[..name_end];
            let after = s[name_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let Some(value_part) = after.strip_prefix('=') else {
                self.rest = after;
                if name.is_empty() {
                    // A stray character such as `"`: skip it.
                    let skip = s.chars().next().map_or(1, char::len_utf8);
                    self.rest = &s[skip..];
                    continue;
                }
                return Some((name, ""));
            };
            let v = value_part.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (value, rest) = match v.as_bytes().first() {
                Some(&q @ (b'"' | b'\'')) => {
                    let inner = &v[1..];
                    match inner.find(q as char) {
                        Some(end) => (&inner[..end], &inner[end + 1..]),
                        None => (inner, ""),
                    }
                }
                _ => {
                    let end = v.find(|c: char| c.is_ascii_whitespace()).unwrap_or(v.len());
                    (&v[..end], &v[end..])
                }
            };
            self.rest = rest;
            if name.is_empty() {
                continue;
            }
            return Some((name, value));
        }
    }
}

/// Whether names are HTML (case-insensitive, raw-text elements) or XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// HTML: `<script>`, `<style>`, `<textarea>`, `<title>` … hold raw text.
    Html,
    /// XML: only CDATA is raw.
    Xml,
}

/// Elements whose content is text up to their own end tag, in HTML.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Splits `input` into tokens.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    input: &'a str,
    pos: usize,
    mode: Mode,
    /// An element whose raw text comes next.
    raw_until: Option<&'static str>,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `input`.
    #[must_use]
    pub fn new(input: &'a str, mode: Mode) -> Self {
        Self {
            input,
            pos: 0,
            mode,
            raw_until: None,
        }
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn raw_text(&mut self, name: &'static str) -> Option<Token<'a>> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut at = 0;
        let end = loop {
            match memchr_lt(&bytes[at..]) {
                Some(i) => {
                    let j = at + i;
                    let after = &bytes[j + 1..];
                    if after.first() == Some(&b'/')
                        && after.len() > name.len()
                        && after[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
                        && after
                            .get(name.len() + 1)
                            .is_none_or(|b| !b.is_ascii_alphanumeric())
                    {
                        break j;
                    }
                    at = j + 1;
                }
                None => break bytes.len(),
            }
        };
        self.pos += end;
        (end > 0).then(|| Token::Text(&rest[..end]))
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.raw_until.take()
            && let Some(text) = self.raw_text(name)
        {
            return Some(text);
        }
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        if bytes[0] != b'<' {
            let end = memchr_lt(bytes).unwrap_or(bytes.len());
            self.pos += end;
            return Some(Token::Text(&rest[..end]));
        }
        let next = bytes.get(1).copied();
        match next {
            Some(b'!') => {
                if let Some(body) = rest.strip_prefix("<!--") {
                    let (content, used) = match body.find("-->") {
                        Some(end) => (&body[..end], 4 + end + 3),
                        None => (body, rest.len()),
                    };
                    self.pos += used;
                    return Some(Token::Other(content));
                }
                if rest
                    .as_bytes()
                    .get(..9)
                    .is_some_and(|b| b.eq_ignore_ascii_case(b"<![cdata["))
                {
                    let body = &rest[9..];
                    let (content, used) = match body.find("]]>") {
                        Some(end) => (&body[..end], 9 + end + 3),
                        None => (body, rest.len()),
                    };
                    self.pos += used;
                    return Some(Token::CData(content));
                }
                let used = declaration_len(rest);
                self.pos += used;
                Some(Token::Other(&rest[..used]))
            }
            Some(b'?') => {
                let used = rest
                    .find("?>")
                    .map_or_else(|| rest.find('>').map_or(rest.len(), |e| e + 1), |e| e + 2);
                self.pos += used;
                Some(Token::Other(&rest[..used]))
            }
            Some(b'/') => {
                let body = &rest[2..];
                let name_len = body.find(|c: char| !is_name_char(c)).unwrap_or(body.len());
                if name_len == 0 {
                    // `</ >` or `</3`: text, as browsers mostly show it.
                    let used = rest.find('>').map_or(rest.len(), |e| e + 1);
                    self.pos += used;
                    return Some(Token::Other(&rest[..used]));
                }
                let used = rest.find('>').map_or(rest.len(), |e| e + 1);
                self.pos += used;
                Some(Token::End {
                    name: &body[..name_len],
                })
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let body = &rest[1..];
                let name_len = body.find(|c: char| !is_name_char(c)).unwrap_or(body.len());
                let name = &body[..name_len];
                let (attr_len, tag_end) = tag_end(&body[name_len..]);
                let attrs_raw = &body[name_len..name_len + attr_len];
                let self_closing = attrs_raw.trim_end().ends_with('/');
                self.pos += 1 + name_len + tag_end;
                if self.mode == Mode::Html && !self_closing {
                    self.raw_until = RAW_TEXT
                        .iter()
                        .find(|r| r.eq_ignore_ascii_case(name))
                        .copied();
                }
                Some(Token::Start {
                    name,
                    attrs: Attrs(attrs_raw),
                    self_closing,
                })
            }
            _ => {
                // A `<` that starts no tag is text.
                let end = memchr_lt(&bytes[1..]).map_or(bytes.len(), |e| e + 1);
                self.pos += end;
                Some(Token::Text(&rest[..end]))
            }
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.')
}

/// Length of the attribute text and of the whole tag remainder (through `>`), honouring
/// quotes so that `title="a > b"` does not end the tag.
fn tag_end(s: &str) -> (usize, usize) {
    let bytes = s.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            // An unclosed quote must not swallow the page: a `<` after a newline ends it.
            Some(_) if b == b'\n' && bytes.get(i + 1) == Some(&b'<') => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                // Quotes only open a value right after `=`.
                let prev = s[..i].trim_end_matches(|c: char| c.is_ascii_whitespace());
                if prev.ends_with('=') {
                    quote = Some(b);
                }
            }
            None if b == b'>' => return (i, i + 1),
            None if b == b'<' => return (i, i),
            None => {}
        }
        i += 1;
    }
    (bytes.len(), bytes.len())
}

/// Length of `<!DOCTYPE …>` or another `<!…>` declaration, with an internal subset.
fn declaration_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str, mode: Mode) -> Vec<String> {
        Tokenizer::new(input, mode)
            .map(|t| match t {
                Token::Start {
                    name, self_closing, ..
                } => format!("<{name}{}>", if self_closing { "/" } else { "" }),
                Token::End { name } => format!("</{name}>"),
                Token::Text(t) => format!("T:{t}"),
                Token::CData(t) => format!("C:{t}"),
                Token::Other(_) => "O".to_owned(),
            })
            .collect()
    }

    #[test]
    fn tags_text_comments_and_raw_text() {
        assert_eq!(
            kinds(
                "<!DOCTYPE html><!-- c --><p class=\"a > b\">x<br/>y</p><script>if (a<b) {}</script>",
                Mode::Html
            ),
            vec![
                "O",
                "O",
                "<p>",
                "T:x",
                "<br/>",
                "T:y",
                "</p>",
                "<script>",
                "T:if (a<b) {}",
                "</script>"
            ]
        );
    }

    #[test]
    fn cdata_and_processing_instructions() {
        assert_eq!(
            kinds(
                "<?xml version=\"1.0\"?><title><![CDATA[a <b> c]]></title>",
                Mode::Xml
            ),
            vec!["O", "<title>", "C:a <b> c", "</title>"]
        );
    }

    #[test]
    fn attributes_are_read_with_and_without_quotes() {
        let mut t = Tokenizer::new(
            "<a href='x?a=1&amp;b=2' data-x=y hidden CLASS=\"k\">",
            Mode::Html,
        );
        let Some(Token::Start { attrs, .. }) = t.next() else {
            panic!("a start tag")
        };
        assert_eq!(attrs.get("href").as_deref(), Some("x?a=1&b=2"));
        assert_eq!(attrs.get("data-x").as_deref(), Some("y"));
        assert_eq!(attrs.get("hidden").as_deref(), Some(""));
        assert_eq!(attrs.get("class").as_deref(), Some("k"));
    }

    #[test]
    fn broken_markup_is_text_and_never_panics() {
        for input in [
            "<",
            "a < b",
            "<p",
            "</",
            "<!-",
            "<![CDATA[x",
            "<a b='",
            "中<文>",
        ] {
            let _ = kinds(input, Mode::Html).len();
            let _ = kinds(input, Mode::Xml).len();
        }
        assert_eq!(kinds("a < b", Mode::Html), vec!["T:a ", "T:< b"]);
    }
}
