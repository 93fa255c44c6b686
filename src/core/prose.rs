//! Text from the web made to read right: lines re-joined inside a sentence (a source newline
//! or a single `<br>` is not a paragraph), titles made from a text's first words cut at a
//! clause or word boundary, and links kept only when they are http(s), resolved against the
//! document's base.

use url::Url;

use super::punctuation::{ends_sentence, is_cjk, is_clause_mark, is_wide_text, trim_all};

/// Joins `lines` into paragraphs: a line that does not end a sentence continues on the next
/// line; a line that ends one closes its paragraph. CJK text joins without a space.
///
/// ```
/// use newsbot::core::prose::join_lines;
///
/// assert_eq!(
///     join_lines(&["supplies and experiments to", "the school lab.", "Next one."]),
///     vec!["supplies and experiments to the school lab.", "Next one."]
/// );
/// ```
#[must_use]
pub fn join_lines<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let line = trim_all(line.as_ref());
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if open => push_joined(last, line),
            _ => out.push(line.to_owned()),
        }
        open = !ends_sentence(line) && !looks_like_heading(line);
    }
    out
}

/// A short line without sentence punctuation that starts with a capital and is followed by
/// more text is often a heading; headings are not joined onto what follows them only when
/// they look like one (all words capitalised, or a CJK line ending in no clause mark).
fn looks_like_heading(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || line.ends_with([',', '，', '、', ':', '：']) {
        return false;
    }
    let latin = words
        .iter()
        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
        && line.chars().any(char::is_alphabetic)
        && !line.chars().any(is_cjk);
    latin && words.len() >= 2
}

/// Appends `next` to `text` with a space, or without one between CJK characters.
pub fn push_joined(text: &mut String, next: &str) {
    let tight = matches!(
        (text.chars().next_back(), next.chars().next()),
        (Some(a), Some(b)) if is_wide_text(a) && is_wide_text(b)
    );
    if !tight && !text.is_empty() {
        text.push(' ');
    }
    text.push_str(next);
}

/// Repairs text that was UTF-8 read as Latin-1 or windows-1252 and encoded again
/// (`cafÃ©` → `café`, `â€¦` → `…`): a run of such characters whose bytes form valid UTF-8
/// is read again. A lone accented letter (`Förderung`) is never valid UTF-8 this way and
/// stays.
///
/// ```
/// use newsbot::core::prose::repair_double_encoding;
///
/// assert_eq!(repair_double_encoding("cafÃ© â€¦"), "café …");
/// assert_eq!(repair_double_encoding("Glasfaserförderung für Köln"), "Glasfaserförderung für Köln");
/// ```
#[must_use]
pub fn repair_double_encoding(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let byte_of = |c: char| -> Option<u8> {
        if ('\u{80}'..='\u{FF}').contains(&c) {
            return u8::try_from(u32::from(c)).ok();
        }
        let mut buf = [0u8; 4];
        let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        (!bad && bytes.len() == 1 && bytes[0] >= 0x80).then(|| bytes[0])
    };
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<u8> = Vec::new();
    let mut run_text = String::new();
    let flush = |out: &mut String, run: &mut Vec<u8>, run_text: &mut String| {
        match std::str::from_utf8(run) {
            Ok(fixed) if run.len() >= 2 => out.push_str(fixed),
            _ => out.push_str(run_text),
        }
        run.clear();
        run_text.clear();
    };
    for c in text.chars() {
        match byte_of(c) {
            Some(b) => {
                run.push(b);
                run_text.push(c);
            }
            None => {
                flush(&mut out, &mut run, &mut run_text);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut run, &mut run_text);
    std::borrow::Cow::Owned(out)
}

/// Longest fallback title, in characters.
pub const FALLBACK_TITLE_CHARS: usize = 48;

/// A title made from the first words of `text`: its first sentence when short enough, else
/// cut at the last clause mark or word boundary before `max` characters, with `…`.
///
/// ```
/// use newsbot::core::prose::title_from_text;
///
/// assert_eq!(title_from_text("Council approves budget. It passed 5-2.", 48), "Council approves budget");
/// assert_eq!(
///     title_from_text("The council approved the new river bridge budget after a long debate on Tuesday night", 40),
///     "The council approved the new river…"
/// );
/// ```
#[must_use]
pub fn title_from_text(text: &str, max: usize) -> String {
    let text = trim_all(text);
    let first_sentence_end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '。' | '！' | '？' | '!' | '?')
                || (c == '.' && text[i + 1..].starts_with([' ', '\n']))
        })
        .map(|(i, _)| i);
    if let Some(end) = first_sentence_end {
        let sentence = trim_all(&text[..end]);
        if !sentence.is_empty() && sentence.chars().count() <= max {
            return sentence.to_owned();
        }
    }
    if text.chars().count() <= max {
        return text.trim_end_matches(['.', '。']).to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_clause = cut
        .char_indices()
        .filter(|&(_, c)| is_clause_mark(c) || c == '、')
        .map(|(i, _)| i)
        .next_back()
        .filter(|&i| cut[..i].chars().count() >= max / 2);
    let at_word = cut
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .next_back()
        .filter(|&i| cut[..i].chars().count() >= max / 2);
    let end = at_clause.or(at_word).unwrap_or(cut.len());
    let mut title = trim_all(&cut[..end]).to_owned();
    title.push('…');
    title
}

/// `link` as an absolute http(s) URL: resolved against `base` when relative, `None` for any
/// other scheme (`javascript:`, `mailto:`, `data:`) or a relative link with no base.
///
/// ```
/// use newsbot::core::prose::web_link;
/// use url::Url;
///
/// let base = Url::parse("https://paper.example/news/").ok();
/// assert_eq!(web_link("a.html", base.as_ref()).as_deref(), Some("https://paper.example/news/a.html"));
/// assert_eq!(web_link("javascript:void(0)", base.as_ref()), None);
/// assert_eq!(web_link("/x", None), None);
/// ```
#[must_use]
pub fn web_link(link: &str, base: Option<&Url>) -> Option<String> {
    let link = trim_all(link);
    if link.is_empty() {
        return None;
    }
    let url = match Url::parse(link) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(link).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https")
        .then(|| url.host_str().is_some_and(|h| !h.is_empty()))
        .filter(|&ok| ok)
        .map(|_| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_inside_a_sentence_only() {
        assert_eq!(
            join_lines(&[
                "本报讯 昨天上午，青溪港",
                "三期码头投入试运行。",
                "",
                "第二段。"
            ]),
            vec!["本报讯 昨天上午，青溪港三期码头投入试运行。", "第二段。"]
        );
        assert_eq!(
            join_lines(&["One sentence.", "Another one"]),
            vec!["One sentence.", "Another one"]
        );
    }

    #[test]
    fn fallback_titles_cut_at_a_boundary() {
        let t = title_from_text(
            "青溪港三期码头昨天投入试运行，预计明年全面运营，年吞吐量将达到一百万标箱以上",
            20,
        );
        assert_eq!(t, "青溪港三期码头昨天投入试运行…");
        assert_eq!(title_from_text("Short one", 48), "Short one");
    }

    #[test]
    fn only_web_links_survive() {
        assert_eq!(web_link("mailto:a@b.c", None), None);
        assert_eq!(web_link("data:text/html,x", None), None);
        assert_eq!(
            web_link(" http://example.org/a ", None).as_deref(),
            Some("http://example.org/a")
        );
        assert_eq!(web_link("http://", None), None);
    }
}
