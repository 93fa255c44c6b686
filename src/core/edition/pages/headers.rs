//! The page a page says it is: its header line (`第2版　综合新闻　责任编辑：…`, `要闻 第2版`,
//! `Page 3 | Local News`) read into a number and a name, numbers normalised (`A06` → `A6`).

use std::sync::LazyLock;

use regex::Regex;

use super::PageRef;
use crate::core::punctuation::{char_len, ends_sentence};

/// `A06` → `A6`, `1b` → `B1`, `03` → `3`; `None` when `text` is not a page number.
#[must_use]
pub fn page_number(text: &str) -> Option<String> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:([A-Z])?\s*0*(\d{1,3})\s*([A-Z])?)$").expect("static regex")
    });
    let caps = NUMBER.captures(text.trim())?;
    let digits = caps.get(2)?.as_str();
    let digits = if digits.is_empty() { "0" } else { digits };
    let letter = caps
        .get(1)
        .or(caps.get(3))
        .map(|m| m.as_str().to_ascii_uppercase());
    if caps.get(1).is_some() && caps.get(3).is_some() {
        return None;
    }
    Some(format!("{}{digits}", letter.unwrap_or_default()))
}

/// `第2版`, `第A06版` (with the name around it) in a Chinese page header.
static ZH_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"第\s*([A-Za-z]?\s*\d{1,3})\s*版").expect("static regex"));

/// `Page 3`, `Page A7`, `Page 1B` in an English page header.
static EN_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bpage\s+([A-Z]?\d{1,3}[A-Z]?)\b").expect("static regex"));

/// Words of a jump line, never a page header.
static JUMP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(下转|上接|转第|接第|转\s*[A-Z]?\d+\s*版|\bcontinued\b|\bsee\b|\bfrom page\b)")
        .expect("static regex")
});

/// Desk furniture printed with the page's name: editors, designers, proof-readers, phones,
/// mail, prices.
static DESK_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(责任编辑|编辑|美编|版式|校对|组版|制作|电话|邮箱|热线|@|\$|￥|\bprice\b|\beditor\b)",
    )
    .expect("static regex")
});

/// The page a header line names (`第2版　综合新闻　责任编辑：邵蓓`, `要闻 第2版`,
/// `Page 3 | Local News`, `Schools & Youth · Page A7`), or `None` when `line` is not one.
#[must_use]
pub fn read_page_header(line: &str) -> Option<PageRef> {
    let line = line.trim();
    if line.is_empty()
        || char_len(line) > 60
        || JUMP_WORDS.is_match(line)
        || ends_sentence(line)
        || line.contains(['，', '。', '；', '！', '？'])
    {
        return None;
    }
    let (found, number) = if let Some(caps) = ZH_PAGE.captures(line) {
        (caps.get(0)?, caps.get(1)?)
    } else {
        let caps = EN_PAGE.captures(line)?;
        (caps.get(0)?, caps.get(1)?)
    };
    let number = page_number(&number.as_str().replace(' ', ""))?;
    let rest = format!("{} {}", &line[..found.start()], &line[found.end()..]);
    // `·` between words with spaces separates parts (`Schools & Youth · Page A7`); inside a
    // name it joins (`城事·民生`).
    let rest = rest.replace(" · ", "|").replace(" • ", "|");
    let name = rest
        .split(['|', '｜', ',', '，', '\u{3000}', '/', '／'])
        .flat_map(|part| part.split("  "))
        .map(|part| part.trim().trim_matches(['-', '—', ':', '：']).trim())
        .filter(|part| {
            !part.is_empty()
                && part.chars().any(char::is_alphabetic)
                && !DESK_FURNITURE.is_match(part)
                && !part.eq_ignore_ascii_case("section")
        })
        .find(|part| char_len(part) <= 20)
        .map(str::to_owned);
    Some(PageRef { number, name })
}

/// The page `text` says it is, from a header line among its first or last lines.
#[must_use]
pub fn find_page_header(text: &str) -> Option<PageRef> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let head = lines.iter().take(12);
    let tail = lines.iter().rev().take(6);
    head.chain(tail).find_map(|line| read_page_header(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_headers_in_chinese_and_english() {
        let cases = [
            (
                "第2版　综合新闻　责任编辑：邵蓓　版式：金一",
                "2",
                Some("综合新闻"),
            ),
            ("要闻 第2版", "2", Some("要闻")),
            ("第A06版　教育周刊", "A6", Some("教育周刊")),
            ("财经·产业 第6版", "6", Some("财经·产业")),
            ("Page 3 | Local News", "3", Some("Local News")),
            ("Schools & Youth · Page A7", "A7", Some("Schools & Youth")),
            ("Page A1 | $1.00", "A1", None),
            ("Page 1B", "B1", None),
            (
                "Legals & Classifieds, Page B7",
                "B7",
                Some("Legals & Classifieds"),
            ),
        ];
        for (line, number, name) in cases {
            let page = read_page_header(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(page.number, number, "{line}");
            assert_eq!(page.name.as_deref(), name, "{line}");
        }
        for not_header in [
            "（下转第3版）",
            "See BUDGET, Page A6",
            "Continued from Page A1",
            "市民可拨打热线电话咨询，相关报道见今日第3版的详细内容与图片说明以及更多信息。",
            "The council met on Tuesday.",
        ] {
            assert_eq!(read_page_header(not_header), None, "{not_header}");
        }
    }

    #[test]
    fn page_numbers_normalise() {
        assert_eq!(page_number("A06").as_deref(), Some("A6"));
        assert_eq!(page_number("1b").as_deref(), Some("B1"));
        assert_eq!(page_number("03").as_deref(), Some("3"));
        assert_eq!(page_number("A1B"), None);
        assert_eq!(page_number("x"), None);
    }
}
