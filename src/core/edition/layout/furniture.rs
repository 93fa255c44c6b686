//! Page furniture: the lines a page prints about itself rather than news. Running heads and
//! feet (`A4 | The Bramblewood Examiner | Thursday, May 16, 2024`, `2025年7月10日　星期四　樟畈县报
//! 　第2版`), which a dump may drop into the middle of an article's sentence; the desk's
//! credits (`责任编辑：…　美编：…　校对：…`) and contacts (`新闻热线：…　投稿邮箱：…`,
//! `Newsroom: (555) 847-3300 | news@…`); `内部资料　免费赠阅`. They are kept apart from the
//! news, so an article's sentence re-joins across them.

use std::sync::LazyLock;

use regex::Regex;

use super::masthead::{fold_alphanumerics, is_date_part};
use super::{Owner, Page};
use crate::core::edition::SourceLine;
use crate::core::edition::lines::LineKind;
use crate::core::edition::page_number;
use crate::core::edition::phones::extract_phones;
use crate::core::punctuation::char_len;

/// The longest line read as furniture.
const MAX_FURNITURE_CHARS: usize = 90;

/// The desk's credits: `责任编辑：卢映雪`, `美编：…`, `校对：…`, `版式：…`.
static DESK_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:责任编辑|美编|美术编辑|校对|版式|编辑|组版)\s*[:：]").expect("static regex")
});

/// A label only the newsroom's own contact line carries.
static DESK_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[·•|｜]\s*)(?:\p{Han}{0,8}(?:新闻热线|报料热线|读者热线|本版热线|本版邮箱|本版投稿邮箱)|本报地址|编辑部(?:电话|地址)?|(?i:(?:[\p{L}'.-]+\s+){0,4}(?:newsroom|news desk|newsdesk|obituaries desk|sports desk|city desk)))\s*[:：]")
        .expect("static regex")
});

/// Words a line inviting news to the paper uses.
static NEWSROOM_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:news|newsroom|newsdesk|desk|editor|story|stories|tips?)\b|热线|投稿|报料")
        .expect("static regex")
});

/// `内部资料　免费赠阅`: a free paper's notice to itself.
static FREE_PAPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:内部资料|免费赠阅|免费交流|准印证[^\s]*)(?:[\s\u{3000}]*(?:内部资料|免费赠阅|免费交流|准印证\S*))*$")
        .expect("static regex")
});

/// `Page A3`, `第2版`, `A06`, `14`: a part of a running head naming the page.
fn is_page_part(part: &str) -> bool {
    static PAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:page\s+[a-z]?\d{1,3}[a-z]?)$|^第\s*[A-Z]?\d{1,3}\s*[版页]$|^[—–-]\s*\d{1,3}\s*[—–-]$")
            .expect("static regex")
    });
    PAGE.is_match(part) || page_number(part).is_some()
}

/// A running head or foot: three parts or more between separators, one naming the page
/// and one the date.
fn is_running_head(text: &str) -> bool {
    let folded = fold_alphanumerics(text);
    let parts: Vec<&str> = folded
        .split(['|', '｜', '·', '•', '\u{3000}'])
        .flat_map(|part| part.split("  "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    let names_the_paper = |p: &&str| {
        is_date_part(p)
            || CHINESE_PAPER.is_match(p)
            || p.contains('@')
            || WEB_ADDRESS.is_match(p)
            || !extract_phones(p).is_empty()
    };
    if parts.len() >= 3
        && parts.iter().any(|p| is_page_part(p))
        && parts.iter().any(names_the_paper)
    {
        return true;
    }
    // `Spindleby Mercury | 7`: the paper's name in title case and the page's number.
    let title_case_name = |p: &&str| {
        let words: Vec<&str> = p.split_whitespace().collect();
        (2..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()))
    };
    if parts.len() == 2
        && parts
            .iter()
            .any(|p| p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
        // `2　　　…　栖梧日报`: a Chinese paper's name, set apart by wide spaces.
        && (parts.iter().any(title_case_name) || parts.iter().any(|p| CHINESE_PAPER.is_match(p)))
        && text.contains(['|', '｜', '\u{3000}'])
    {
        return true;
    }
    // `mundaroostandard.com.au | Page 5`, `ashcombemercury.co.uk | Thursday 22 April 2027`:
    // the paper's web address and the page or the date.
    if parts.len() == 2
        && parts.iter().any(|p| is_page_part(p) || is_date_part(p))
        && parts.iter().any(|p| WEB_ADDRESS.is_match(p))
    {
        return true;
    }
    // `B2 THE ELDERWICK MERCURY Thursday 6 March 2025`: page, paper and date with no
    // separators but spaces.
    let words: Vec<&str> = folded.split_whitespace().collect();
    // A lettered page (`B2`, `A12`): a bare figure at a line's end may be anything.
    let lettered = |w: &&str| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.clone().next().is_some()
            && chars.all(|c| c.is_ascii_digit())
            && w.len() <= 4
    };
    // `6 KILBRANNAGH CHAMPION Wednesday, 12 May 2027`, `… 28 May 2027 23`: a bare figure
    // at an end counts beside the paper's name in capitals.
    let figure = |w: &&str| w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit());
    let caps_name = words.windows(2).any(|p| {
        p.iter()
            .all(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase()))
    });
    let page_at_an_end = words.first().is_some_and(lettered)
        || words.last().is_some_and(lettered)
        || (caps_name && (words.first().is_some_and(figure) || words.last().is_some_and(figure)));
    words.len() >= 4
        && page_at_an_end
        && is_date_part(&folded)
        && char_len(&folded) <= 70
        && !crate::core::punctuation::ends_sentence(&folded)
}

/// `A1`, `B12`: a lettered page number.
static LETTERED_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]\d{1,2}$").expect("static regex"));

/// `枫港华声报`, `稻溪日报`: a Chinese paper's name.
static CHINESE_PAPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,8}(?:报|日报|晚报|周报|时报)$").expect("static regex")
});

/// `elderwickmercury.co.uk`, `www.paper.com`: a web address.
static WEB_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|uk|ca|au|nz|info|news)(?:/\S*)?$")
        .expect("static regex")
});

/// `石漾新闻·综合　2027年5月6日　星期四`: a part naming the paper or section beside the date
/// (a sign-off's bare date names nothing else).
fn names_something_besides_the_date(text: &str) -> bool {
    let folded = fold_alphanumerics(text);
    let parts: Vec<&str> = folded
        .split(['\u{3000}', '·', '|', '｜'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().any(|p| {
            !is_date_part(p) && !p.starts_with("星期") && !p.starts_with('周') && char_len(p) >= 2
        })
}

/// The desk's credits or its contact line, or a free paper's notice.
fn is_desk_line(text: &str) -> bool {
    let credits = DESK_CREDIT.find_iter(text).count();
    let contact =
        DESK_CONTACT.is_match(text) && (!extract_phones(text).is_empty() || text.contains('@'));
    // `INSIDE: Classifieds B5 | Comics B4 | …`: the page's index of the others.
    let index = text.to_lowercase().starts_with("inside:") && text.contains('|');
    // `编辑：梅渡镇融媒体中心　电话：0579-86551234`: the desk's name and number.
    let desk_with_phone = text.starts_with("编辑") && !extract_phones(text).is_empty();
    text.starts_with("责任编辑")
        || text.starts_with("本版编辑")
        || desk_with_phone
        || index
        || credits >= 2
        || contact
        || FREE_PAPER.is_match(text)
}

impl Page {
    /// Claims every line of page furniture as such.
    pub(super) fn claim_furniture(&mut self) {
        for i in 0..self.lines.len() {
            let line = &self.lines[i];
            let fits = matches!(
                line.kind,
                LineKind::Text | LineKind::NoticeField | LineKind::NoticeTitle
            ) && char_len(&line.text) <= MAX_FURNITURE_CHARS
                && !line.text.contains('。');
            if !self.free(i) || !fits {
                continue;
            }
            // `第 3 页`, `Page 5` alone on a line: the page's number.
            // `A1` alone as the page's first or last line too.
            let first_or_last = i == 0 || i + 1 == self.lines.len();
            let page_alone = (is_page_part(line.text.trim())
                && page_number(line.text.trim()).is_none())
                || (first_or_last && LETTERED_PAGE.is_match(line.text.trim()));
            if is_running_head(&line.text) || is_desk_line(&line.text) || page_alone {
                self.claim_as_furniture(i);
            }
        }
        // `Send community news to community@…` beside the foot's other furniture.
        let n = self.lines.len();
        for i in (n.saturating_sub(3)..n).rev() {
            let line = &self.lines[i];
            let beside_furniture = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .any(|k| self.owner.get(k) == Some(&Some(Owner::Furniture)));
            // … or closing the page with the newsroom's address
            let beside = beside_furniture || (i + 1 == n && NEWSROOM_WORD.is_match(&line.text));
            // `民生热线：0570-88776655`, `石漾新闻·综合　2027年5月6日　星期四` beside the foot's
            // furniture too (a notice's `服务热线:95598` closing the page is the notice's).
            let reach = line.text.contains('@')
                || (beside_furniture
                    && ((NEWSROOM_WORD.is_match(&line.text)
                        && !extract_phones(&line.text).is_empty())
                        || (is_date_part(&fold_alphanumerics(&line.text))
                            && names_something_besides_the_date(&line.text)
                            && char_len(&line.text) <= 40)));
            let contact = reach
                && !line.text.contains('。')
                && char_len(&line.text) <= MAX_FURNITURE_CHARS
                && matches!(line.kind, LineKind::Text | LineKind::NoticeField);
            if self.free(i) && beside && contact {
                self.claim_as_furniture(i);
            }
        }
        self.edition.furniture.sort_by_key(|f| f.line);
    }

    fn claim_as_furniture(&mut self, i: usize) {
        let (no, text) = (self.lines[i].no, self.lines[i].text.clone());
        self.claim(i, Owner::Furniture);
        self.edition.furniture.push(SourceLine { line: no, text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_heads_and_feet_name_the_page_and_the_date() {
        for text in [
            "A4 | The Bramblewood Examiner | Thursday, May 16, 2024",
            "Page A3 | Kettlewell Valley Banner | Feb. 20, 2025",
            "2025年7月10日　星期四　樟畈县报　第2版",
            "KOORALIE STANDARD · 中文版 · 2025年2月6日 · 14",
            "B2 THE ELDERWICK MERCURY Thursday 6 March 2025",
            "B2 | elderwickmercury.co.uk | Newsdesk 01632 960200 | news@elderwickmercury.co.uk",
            "mundaroostandard.com.au | Page 5",
            "ashcombemercury.co.uk | Thursday 22 April 2027",
            "6 KILBRANNAGH CHAMPION Wednesday, 12 May 2027",
            "MULGARRA ADVOCATE Friday, 28 May 2027 23",
        ] {
            assert!(is_running_head(text), "{text}");
        }
        for text in [
            "Page 3 | Local News",
            "Thursday, May 16, 2024 | Vol. 88, No. 20",
            "Sept. 20 — Tuttle Creek cleanup; meet at the boat launch, 9 a.m.",
        ] {
            assert!(!is_running_head(text), "{text}");
        }
    }

    #[test]
    fn the_desks_credits_and_contacts_but_not_a_notices_contact() {
        for text in [
            "责任编辑：卢映雪　美编：葛一帆　校对：任晓冬",
            "B02　城事　责任编辑：郁小禾　美编：沙一川　校对：蒯文",
            "新闻热线：０５７６－８８２１００００　电子信箱：yxrbyw@yanxinews.cn",
            "编辑部电话：0571-64880200",
            "Newsroom: (555) 847-3300 | news@bramblewoodexaminer.com",
            "Obituaries desk: (555) 604-3122 | obits@stonecropleader.com",
            "内部资料　免费赠阅",
        ] {
            assert!(is_desk_line(text), "{text}");
        }
        for text in [
            "投稿邮箱：zxzbfk@zhexinews.cn",
            "联系电话：0571-64880217",
            "Questions: (555) 847-2210.",
        ] {
            assert!(!is_desk_line(text), "{text}");
        }
    }
}
