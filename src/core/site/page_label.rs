//! The words of a link to a page of the paper: `第02版：综合新闻`, `02版 综合`, `A6 · Local`,
//! `Page B1 | Sports`, `A01 要闻`. A bare number or `Page 2` (an article's pagination) is not
//! one: a page label carries 版, a name, or a section letter.

use std::sync::LazyLock;

use regex::Regex;

use crate::core::edition::{PageRef, page_number, read_page_header};
use crate::core::punctuation::char_len;

/// `02版：综合`, `A6 · Local`, `B1 Sports`: a page number opening the label, then its name.
static LEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z]?\d{1,3}[A-Za-z]?)\s*(版)?\s*([·•:：|\-—–]\s*)?(.*)$")
        .expect("static regex")
});

/// The page a link's words name, or `None`.
#[must_use]
pub fn read_page_label(text: &str) -> Option<PageRef> {
    let text = text.trim();
    if text.is_empty() || char_len(text) > 40 {
        return None;
    }
    let page = read_page_header(text).or_else(|| leading_number(text))?;
    let lettered = page.number.starts_with(|c: char| c.is_ascii_alphabetic());
    let marked = text.contains('版');
    (page.name.is_some() || lettered || marked).then_some(page)
}

fn leading_number(text: &str) -> Option<PageRef> {
    let caps = LEADING_NUMBER.captures(text)?;
    let number = page_number(caps.get(1)?.as_str())?;
    let marked = caps.get(2).is_some();
    let separated = caps.get(3).is_some();
    let lettered = number.starts_with(|c: char| c.is_ascii_alphabetic());
    let name = caps
        .get(4)
        .map(|m| m.as_str().trim())
        .filter(|n| !n.is_empty() && n.chars().any(char::is_alphabetic));
    // A number with neither 版 nor a name after it is a count or a date, not a page; a plain
    // number and a word (`12 comments`) is a count unless a separator stands between them.
    if !marked && (name.is_none() || !(separated || lettered)) {
        return None;
    }
    // A name must start with a letter: `2026-11-30` is a date, not page 202.
    if let Some(name) = name
        && !name.starts_with(char::is_alphabetic)
    {
        return None;
    }
    Some(PageRef {
        number,
        name: name.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_labels_in_the_forms_sites_print() {
        for (text, number, name) in [
            ("第02版：综合新闻", "2", Some("综合新闻")),
            ("02版：综合", "2", Some("综合")),
            ("第A06版", "A6", None),
            ("A6 · Local", "A6", Some("Local")),
            ("B1 Sports", "B1", Some("Sports")),
            ("Page B1 | Sports", "B1", Some("Sports")),
            ("A01 要闻", "A1", Some("要闻")),
            ("3版", "3", None),
        ] {
            let page = read_page_label(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (page.number.as_str(), page.name.as_deref()),
                (number, name),
                "{text}"
            );
        }
        for text in [
            "2",
            "Page 2",
            "2026-11-30",
            "上一版",
            "下一版",
            "12 comments",
            "返回首页",
        ] {
            assert_eq!(read_page_label(text), None, "{text}");
        }
    }
}
