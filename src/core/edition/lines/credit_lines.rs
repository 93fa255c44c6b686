//! Lines that credit people: bylines (`■记者 …`, `By …`, `文/X 图/Y`), photo credits
//! (`本报记者 柏青 摄`, `Photo by …`, `Submitted photo`) and English closing credits
//! (`Report by X`, `— Marisol Ventura`), read from one line on its own.

use std::sync::LazyLock;

use regex::Regex;

use super::LineKind;
use crate::core::edition::Credit;
use crate::core::edition::byline::{parse_credits, split_role_prefix};
use crate::core::punctuation::{ends_sentence, is_cjk};

static BYLINE_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[■□▲●◆▇█]\s*(.+)$").expect("static regex"));
static ENGLISH_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By|BY|(?:Story|Text|Words) and (?:photos?|pictures?) by)\s+(\p{Lu}[\p{L}.'\- ]+(?:(?:,\s*|\s*/\s*|\s+(?:and|AND|&)\s+)\p{Lu}[\p{L}.'\- ]+)*)$")
        .expect("static regex")
});
/// A byline that names no person: `From staff reports`, `By The Associated Press`.
static STAFF_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:from )?(?:staff|wire|news service) reports|(?:by |from )?the associated press)$",
    )
    .expect("static regex")
});
static COMMENTARY_BYLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[■□▲●◆]?\s*(?:本报|特约|本刊)?评论员$").expect("static regex"));
static NAMELESS_PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:submitted|contributed|file|staff|courtesy|handout)\s+(?:photo|photograph|image|picture)s?)\.?$")
        .expect("static regex")
});
static CLOSING_CREDIT_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Report|Reporting|Story|Words|Compiled)\s+by\s+(\p{Lu}[\p{L}.'\- ]+(?:\s+and\s+\p{Lu}[\p{L}.'\- ]+)?)|[—–-]\s*(?:[\p{Lu}][\p{L}'.]*\s+){0,3}(?i:staff|wire) reports?|[—–]\s*(\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){1,3}))\.?$")
        .expect("static regex")
});
static PHOTO_CREDIT_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{L}]+\s+)?(?:[Pp]hotos?\s+(?:by|courtesy\s+of)|PHOTOS?\s+(?:BY|COURTESY\s+OF)|Photo:|PHOTO:|Photo\s*/|Pictures?:|PICTURE:|Pic:|Image:)\s+(\p{Lu}[\p{L}.'\- ]+(?:(?:,\s*|\s*/\s*|\s+(?:and|AND|&)\s+)[\p{L}][\p{L}.'\- ]+)*)$")
        .expect("static regex")
});

/// `Natalie Brandt / Argus photo`, `Jo Reyes | Staff photo`: the photographer, then the
/// paper or the kind of photo after a slash or a bar.
static PAPER_PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){1,3})\s*[/|]\s*(?:(?:\p{Lu}[\p{L}'’-]*\s+){0,3}(?i:photo|photograph|picture)s?\.?|\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2})$")
        .expect("static regex")
});

/// The photographer a `Name / Paper photo` credit line names.
fn paper_photo_credit(text: &str) -> Option<String> {
    // `By Priya Hollander | Staff Writer` is a byline; `Tessa Okafor / Sentinel` names the
    // paper after a slash only.
    let lower = text.trim_end_matches('.').to_lowercase();
    let said_photo = ["photo", "photos", "photograph", "picture"]
        .iter()
        .any(|word| lower.ends_with(word));
    if text.starts_with("By ") || (!said_photo && !text.contains('/')) {
        return None;
    }
    PAPER_PHOTO_CREDIT.captures(text).map(|c| c[1].to_owned())
}

/// A photo credit printed after the name: `本报记者 柏青 摄`, `(记者 王强 摄)`.
static PHOTO_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[(（]?(.{1,40}?)\s*摄[)）]?$").expect("static regex"));
static ROLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:(?:文/图|文/|图/|文图/|图文/|文·图/)\s*)?(?:\p{Han}{1,6}?(?:社|台|报|网)(?:特约|首席|见习)?记者|本报记者|本报通讯员|特约通讯员|本报实习生|见习记者|特约记者|首席记者|摄影记者|记者|通讯员|实习生)[\s:：]*[^\s:：]|(?:文|图|文图|图文)\s*[/／]\s*\p{Han}(?:\u{3000}?\p{Han}){1,3}(?:[\s\u{3000}]+(?:文|图|摄影)\s*[/／]\s*\p{Han}(?:\u{3000}?\p{Han}){1,3})*$)",
    )
    .expect("static regex")
});

pub(in crate::core::edition) fn classify_credit(text: &str, chars: usize) -> Option<LineKind> {
    // `■本报评论员`: a comment piece's byline, naming nobody.
    if COMMENTARY_BYLINE.is_match(text) {
        let role = text.trim_start_matches(['■', '□', '▲', '●', '◆', ' ', '\u{3000}']);
        return Some(LineKind::Byline(Vec::new(), vec![role.to_owned()]));
    }
    // `图/通讯员　严晓峰` alone credits a photo, not an article.
    if let Some(rest) = text
        .strip_prefix("图/")
        .or_else(|| text.strip_prefix("图／"))
        && chars <= 30
        && !rest.contains(['/', '／'])
    {
        let names: Vec<String> = parse_credits(rest).into_iter().map(|c| c.name).collect();
        if !names.is_empty() {
            return Some(LineKind::PhotoCredit(names));
        }
    }
    if chars > 60 {
        return None;
    }
    if let Some(c) = PHOTO_TAIL.captures(text) {
        let who = c.get(1).map_or("", |m| m.as_str());
        let who = who.trim_start_matches(['■', '□', '▲', '●', '◆', ' ']);
        if split_role_prefix(who).0.is_some() && !who.contains(['，', ',', '。']) {
            let names: Vec<String> = parse_credits(who).into_iter().map(|c| c.name).collect();
            if !names.is_empty() {
                return Some(LineKind::PhotoCredit(names));
            }
        }
        // `（庄晓岚 摄）`: a name alone in brackets before 摄.
        let name: String = who.chars().filter(|c| !c.is_whitespace()).collect();
        if text.starts_with(['（', '('])
            && (2..=4).contains(&name.chars().count())
            && name.chars().all(is_cjk)
        {
            return Some(LineKind::PhotoCredit(vec![name]));
        }
    }
    if let Some(c) = BYLINE_MARK.captures(text) {
        let rest = c.get(1).map_or("", |m| m.as_str());
        let (role, _) = split_role_prefix(rest);
        role?;
        let credits = parse_credits(rest);
        if credits.is_empty() {
            return None;
        }
        return Some(credit_kind(credits));
    }
    // `记者：今年有哪些新变化？` is an interview's question, not a byline.
    if ROLE_LINE.is_match(text)
        && chars <= 30
        && !ends_sentence(text)
        && !text.contains(['，', ',', '。', '？', '?'])
    {
        let credits = parse_credits(text);
        if !credits.is_empty() {
            return Some(credit_kind(credits));
        }
    }
    if let Some(c) = PHOTO_CREDIT_EN.captures(text) {
        let (names, _) =
            crate::core::edition::byline::split_english_names(c.get(1).map_or("", |m| m.as_str()));
        return Some(LineKind::PhotoCredit(names));
    }
    if let Some(name) = paper_photo_credit(text) {
        return Some(LineKind::PhotoCredit(vec![name]));
    }
    if STAFF_BYLINE.is_match(text) {
        return Some(LineKind::Byline(Vec::new(), vec![text.to_owned()]));
    }
    // `Submitted photo`, `File photo`: a photo credit that names nobody.
    if NAMELESS_PHOTO_CREDIT.is_match(text) {
        return Some(LineKind::PhotoCredit(Vec::new()));
    }
    // `Report by Priya Lomax`, `— Tribune staff report`: an English credit closing an article.
    if let Some(c) = CLOSING_CREDIT_EN.captures(text) {
        let credits = c.get(1).or(c.get(2)).map_or_else(Vec::new, |names| {
            let (names, _) = crate::core::edition::byline::split_english_names(names.as_str());
            names
                .into_iter()
                .map(|name| Credit {
                    role: "By".to_owned(),
                    name,
                })
                .collect()
        });
        return Some(LineKind::ClosingCredit(credits));
    }
    // `By Ann Lee | Staff Writer`: the byline, then the jobs and papers after the bars.
    if let Some((people, jobs)) = text.split_once('|')
        && (people.starts_with("By ") || people.starts_with("BY "))
        && let Some(LineKind::Byline(credits, mut affiliations)) =
            classify_credit(people.trim(), people.trim().chars().count())
    {
        affiliations.extend(
            jobs.split('|')
                .map(str::trim)
                .filter(|j| !j.is_empty())
                .map(str::to_owned),
        );
        return Some(LineKind::Byline(credits, affiliations));
    }
    if let Some(c) = ENGLISH_BYLINE.captures(text) {
        let (names, affiliations) =
            crate::core::edition::byline::split_english_names(c.get(1).map_or("", |m| m.as_str()));
        if names.is_empty() && affiliations.is_empty() {
            return None;
        }
        let credits = names
            .into_iter()
            .map(|name| Credit {
                role: "By".to_owned(),
                name,
            })
            .collect();
        return Some(LineKind::Byline(credits, affiliations));
    }
    None
}

fn credit_kind(credits: Vec<Credit>) -> LineKind {
    if credits.iter().any(|c| c.role.starts_with("摄影")) {
        LineKind::PhotoCredit(credits.into_iter().map(|c| c.name).collect())
    } else {
        LineKind::Byline(credits, Vec::new())
    }
}
