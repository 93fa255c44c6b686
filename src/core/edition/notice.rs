//! Builds notices (announcements, adverts, reminders, slogans) from their lines and pulls out
//! the facts a reader acts on: phone numbers ([`super::phones`]), addresses, the issuer and
//! dates, all copied exactly as printed.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Line, LineKind};
use super::paragraphs::join_paragraphs;
use super::phones::extract_phones;
use super::{Notice, NoticeKind};
use crate::core::punctuation::{char_len, ends_sentence};

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:地址|联系地址|Address|ADDRESS)\s*[:：]\s*(.+)$").expect("static regex")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|\d{4}年\d{1,2}月\d{1,2}日(?:\s*[(（]星期.[)）])?|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}\s*(?:至|到|—|-|~|～)\s*\d{1,2}:\d{2}|\d{1,2}:\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm))",
    )
    .expect("static regex")
});
/// `, Inc.`, `, LLC`, `, Ltd.` closing a company's name.
static CORPORATE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Corp\.?|Co\.|P\.?C\.)$").expect("static regex")
});

/// An official signing a notice off: `Marisol Dunleavy, City Clerk`, `Kristin A. Pohlman,
/// Court Administrator`, `Sheila Montrose, Clerk of the Probate Court`.
static SIGNED_OFFICIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}.'-]*(?:\s+(?:&\s+)?\p{Lu}[\p{L}.'-]*){1,3},\s+(?:[\p{L}&-]+\s+){0,3}(?:Clerk|Administrator|Secretary|Director|Manager|Chair|Chairman|Chairwoman|Mayor|Registrar|Treasurer|Judge|Commissioner|Superintendent|Supervisor|Engineer|President|Recorder|Auditor|Assessor|Representative|Executor|Executrix|Trustee|Conservator|Guardian|Head|Attorney|Solicitors?|Counsel|Officer|Executive|Liquidator|Receiver)(?:\s+(?:of|for)\s+(?:the\s+)?[\p{L} &-]{2,40})?(?:,\s+[\p{Lu}][\p{L} &'-]{2,50})?$")
        .expect("static regex")
});

/// How the names of issuing bodies end: companies, bureaus, committees, schools, clinics.
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(公司|局|委员会|委|办公室|办事处|街道|中心|政府|管理处|所|站|院|学校|集团|协会|社|组|部|处|队|馆|会|行|厂|店|诊所|医院|物业|社区|农场|林场|药房|超市|酒店|宾馆|幼儿园|基地|园区|俱乐部|工作室|中学|小学|大学|学院|公园|银行|商会|酒家|酒楼|餐厅|饭店|商行|(?i:authority|department|council|company|utilities|office|district|board|commission|center|centre|library|association|club|committee|agency|services|works|llc|inc\.?|co\.|corporation|corp\.?|clerk|school|clinic|hospital|church|bank|trust|foundation|society|chamber|bureau|court|township|village|city|county|town))$")
        .expect("static regex")
});
static ADVERT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"招生|热线|优惠|报名|招聘|出售|出租|预约|诊所|门诊|医院|培训|课程|开业|营业|(?i:sale|enrol|hiring|clinic|classes|appointments?|open daily)").expect("static regex")
});

/// True for a line that names an issuing body: short, unpunctuated, and either ending like
/// an organisation's name or written in English title case (`Friends of the Millbrook
/// Library`).
pub fn is_issuer_line(text: &str) -> bool {
    // `Cutler Ridge Hunting Club, Inc.`: the corporate suffix after a comma is part of a name.
    if SIGNED_OFFICIAL.is_match(text) {
        return true;
    }
    let text = CORPORATE_SUFFIX.replace(text, "");
    let text = text.as_ref();
    (2..=48).contains(&char_len(text))
        && !ends_sentence(text)
        && !is_table_row(text)
        && !text.contains([',', '，', ':', '：', ';', '；'])
        && (ISSUER.is_match(text) || is_title_case(text))
}

/// `4　童卫东　男　大井巷历史街区管理所`: a row of a table flattened to text (a numbered
/// first cell, or three cells or more), never a notice's sign-off.
pub(crate) fn is_table_row(text: &str) -> bool {
    let cells: Vec<&str> = text.split_whitespace().collect();
    let numbered = cells.len() >= 2 && cells[0].chars().all(|c| c.is_numeric());
    numbered || (cells.len() >= 3 && crate::core::punctuation::is_mostly_cjk(text))
}

/// `Town of Millbrook Highway Department`: two or more words, every long word capitalised.
fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || "&.'-".contains(c)))
        && words
            .first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        && words
            .iter()
            .filter(|w| w.chars().count() > 3)
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Builds a notice of `kind` from its lines (in page order).
pub fn build_notice(kind: NoticeKind, lines: &[&Line]) -> Notice {
    let mut text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if kind == NoticeKind::Reminder {
        // One sentence a narrow column wrapped: re-joined, as an article's paragraphs are.
        let numbered: Vec<(usize, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
        let joined = join_paragraphs(&numbered);
        text = joined
            .paragraphs
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join("\n");
    }
    // Bare contact fields that offer something are an advert too.
    let kind = if kind == NoticeKind::Announcement
        && lines.iter().all(|l| l.kind == LineKind::NoticeField)
        && ADVERT_WORDS.is_match(&text)
    {
        NoticeKind::Advert
    } else {
        kind
    };
    let title = match kind {
        NoticeKind::Announcement | NoticeKind::Advert => lines
            .first()
            .filter(|l| {
                matches!(l.kind, LineKind::NoticeTitle | LineKind::Text)
                    && char_len(&l.text) <= 60
                    && !ends_sentence(&l.text)
            })
            .map(|l| l.text.clone()),
        NoticeKind::Reminder => lines
            .first()
            .and_then(|l| l.text.split([':', '：']).next())
            .map(str::to_owned),
        NoticeKind::Slogan => None,
    };
    let addresses = lines
        .iter()
        .filter_map(|l| ADDRESS.captures(&l.text).map(|c| c[1].trim().to_owned()))
        .collect();
    // An advert's first line already names who advertises; only announcements sign off.
    // The issuing body when it is printed (a clerk may sign under it), else the official.
    let signers: Vec<&&Line> = lines
        .iter()
        .skip(1)
        .rev()
        .filter(|_| kind != NoticeKind::Advert)
        .filter(|l| l.kind == LineKind::Text && is_issuer_line(&l.text))
        .collect();
    // The body stands in the sign-off beside its official (`Town of Millbrook Planning
    // Board` over `Jane Doe, Clerk`); an authority printed under the title
    // (`CITY OF OSSORY BEND PLANNING BOARD`) does not outrank the official who signs.
    let official = signers
        .iter()
        .position(|l| SIGNED_OFFICIAL.is_match(&l.text));
    let beside_official = |l: &&&Line| {
        official.is_none_or(|at| {
            let no = signers[at].no;
            l.no + 1 == no || l.no == no + 1
        })
    };
    let issuer = signers
        .iter()
        .find(|l| !SIGNED_OFFICIAL.is_match(&l.text) && beside_official(l))
        .or(official.map(|at| &signers[at]))
        .or(signers.first())
        .map(|l| l.text.clone());
    let dates = DATE
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .collect();
    Notice {
        kind,
        title,
        phones: extract_phones(&text),
        addresses,
        issuer,
        dates,
        text,
        page: None,
        lines: lines.iter().map(|l| l.no).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_end_like_organisations_or_are_title_case() {
        for t in [
            "青溪市燃气有限公司",
            "禾丰镇新桥村股份经济合作社",
            "Bayport Public Works Department",
            "Friends of the Millbrook Library",
            "Harbor Light Storage LLC",
        ] {
            assert!(is_issuer_line(t), "{t}");
        }
        for t in [
            "Water may look cloudy; run the tap.",
            "请相关用户提前做好储水准备。",
            "the library board said",
        ] {
            assert!(!is_issuer_line(t), "{t}");
        }
    }

    #[test]
    fn dates_and_amounts_are_not_phones() {
        assert!(extract_phones("2026年11月29日,投资38000000元,8:00至18:00").is_empty());
    }
}
