//! Jump lines: where an article goes on (`（下转第3版）`, `See BUDGET, Page A6`) or comes from
//! (`（上接第1版）`, `BUDGET, from Page A1`), read from a print line or taken out of a web
//! article's paragraphs.

use std::sync::LazyLock;

use regex::Regex;

use super::PageJump;
use super::headers::page_number;
use crate::core::edition::Article;
use crate::core::punctuation::char_len;

/// The jump a jump line prints (`（下转第3版）`, `See BUDGET, Page A6`, `Continued from Page
/// A1`), or `None`.
#[must_use]
pub fn read_jump(line: &str) -> Option<PageJump> {
    static KEYED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\(?\s*see\s+([\p{L} ]{1,30}),\s*page\s+([A-Z]?\d{1,3}[A-Z]?)\s*\)?\.?$")
            .expect("static regex")
    });
    static KEY_FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\(?\s*([\p{L} ]{1,30}),?\s+from\s+page\s+([A-Z]?\d{1,3}[A-Z]?)\s*\)?\.?$")
            .expect("static regex")
    });
    static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:(?:下转|上接|转|接)\s*第?\s*([A-Z]?\s*\d{1,3})\s*版|continued\s+(?:on|from)\s+page\s+([A-Z]?\d{1,3}[A-Z]?))")
            .expect("static regex")
    });
    let line = line.trim();
    if let Some(caps) = KEYED.captures(line).or_else(|| KEY_FROM.captures(line)) {
        let key = caps.get(1)?.as_str().trim();
        let key = (!key.eq_ignore_ascii_case("continued")).then(|| key.to_owned());
        return Some(PageJump {
            page: page_number(caps.get(2)?.as_str())?,
            key,
        });
    }
    let caps = PLAIN.captures(line)?;
    let number = caps.get(1).or(caps.get(2))?.as_str().replace(' ', "");
    Some(PageJump {
        page: page_number(&number)?,
        key: None,
    })
}

/// Takes the jump marks out of an article read from a web page, where they stand as
/// paragraphs or open and close them (`（上接第1版）市民可在…`, `…（下转第3版）`,
/// `Continued on Page A6`), and records them as the article's jumps.
pub fn take_jump_marks(article: &mut Article) {
    static LEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*[（(]\s*(?:上接|接)\s*第?\s*[A-Za-z]?\s*\d{1,3}\s*版\s*[)）]\s*")
            .expect("static regex")
    });
    static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*[（(]\s*(?:下转|转)\s*第?\s*[A-Za-z]?\s*\d{1,3}\s*版\s*[)）]\s*$")
            .expect("static regex")
    });
    if let Some(first) = article.paragraphs.first_mut() {
        if let Some(found) = LEADING.find(first) {
            article.jump_from = read_jump(found.as_str());
            first.replace_range(..found.end(), "");
        } else if char_len(first) <= 40
            && let Some(jump) = read_jump(first).filter(|_| is_jump_from(first))
        {
            article.jump_from = Some(jump);
            first.clear();
        }
    }
    if let Some(last) = article.paragraphs.last_mut() {
        if let Some(found) = TRAILING.find(last) {
            article.jump_to = read_jump(found.as_str());
            let start = found.start();
            last.truncate(start);
        } else if char_len(last) <= 40
            && let Some(jump) = read_jump(last).filter(|_| !is_jump_from(last))
        {
            article.jump_to = Some(jump);
            last.clear();
        }
    }
    article.paragraphs.retain(|p| !p.trim().is_empty());
}

/// True for a jump line that says where an article comes from.
fn is_jump_from(line: &str) -> bool {
    let lower = line.to_lowercase();
    line.contains("上接") || line.contains("（接") || lower.contains("from page")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::edition::parse_edition;

    #[test]
    fn jump_lines_name_the_page_and_the_key() {
        let jump = |page: &str, key: Option<&str>| PageJump {
            page: page.to_owned(),
            key: key.map(str::to_owned),
        };
        assert_eq!(read_jump("（下转第3版）"), Some(jump("3", None)));
        assert_eq!(read_jump("(转A4版)"), Some(jump("A4", None)));
        assert_eq!(read_jump("（上接第1版）"), Some(jump("1", None)));
        assert_eq!(
            read_jump("See BUDGET, Page A6"),
            Some(jump("A6", Some("BUDGET")))
        );
        assert_eq!(read_jump("Continued on Page 3"), Some(jump("3", None)));
        assert_eq!(read_jump("Continued from Page A1"), Some(jump("A1", None)));
        assert_eq!(
            read_jump("BUDGET, from Page A1"),
            Some(jump("A1", Some("BUDGET")))
        );
        assert_eq!(read_jump("第2版　综合新闻"), None);
    }

    #[test]
    fn jump_marks_leave_a_web_article_and_become_its_jumps() {
        let mut article = parse_edition(
            "城南大桥明日通车\n\n■记者 王强\n\n本报讯 大桥全长1.2公里，连接城南新区与老城区。\n",
        )
        .expect("reads")
        .articles
        .remove(0);
        article.paragraphs = vec![
            "（上接第1版）市民可在上午九点后通行。".to_owned(),
            "交通部门提醒市民错峰出行。（下转第5版）".to_owned(),
        ];
        take_jump_marks(&mut article);
        assert_eq!(
            article.paragraphs,
            ["市民可在上午九点后通行。", "交通部门提醒市民错峰出行。"]
        );
        assert_eq!(article.jump_from.map(|j| j.page), Some("1".to_owned()));
        assert_eq!(article.jump_to.map(|j| j.page), Some("5".to_owned()));
        let mut english = parse_edition("Council passes budget\n\nBy Ann Lee\n\nThe council met on Tuesday and passed the budget.\n")
            .expect("reads")
            .articles
            .remove(0);
        english.paragraphs.push("See BUDGET, Page A6".to_owned());
        take_jump_marks(&mut english);
        assert_eq!(english.paragraphs.len(), 1);
        assert_eq!(
            english.jump_to.and_then(|j| j.key),
            Some("BUDGET".to_owned())
        );
    }
}
