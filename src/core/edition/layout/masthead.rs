//! The masthead pass of the page reader, and the dates a page prints: the paper's name,
//! taglines, volume and edition lines and the date at the top of the page; date lines such as
//! a notice's sign-off (`2026年12月1日`, `December 1, 2026`, `Tuesday 1 December 2026`).

use std::sync::LazyLock;

use regex::Regex;

use super::{Owner, Page};
use crate::core::edition::Masthead;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::{char_len, ends_sentence, fold_width};

static MASTHEAD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(版$|日报|晚报|报社|周刊|周报|^\p{Han}{1,8}报$|(?i:\b(?:daily|times|courier|herald|gazette|news|post|tribune|journal|weekly|chronicle|observer|sentinel|examiner|dispatch|register|bulletin|ledger|reporter|record|leader|star|sun|mirror|press|mercury|echo|argus|advertiser|standard|express|telegraph|guardian|citizen|recorder|advocate|beacon|messenger|enterprise|banner|globe|pilot|tide|review|voice|times-\w+)\b))")
        .expect("static regex")
});

/// An all-capitals line: the paper's name when it opens the page, but just as often a
/// section word or a kicker (`BUSINESS`, `GIVING SEASON`) further down.
static ALL_CAPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z .&'-]{2,}$").expect("static regex"));

/// Edition furniture printed with the name: volume and issue numbers, page and section
/// lines, the publisher, the lunar date.
static MASTHEAD_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:^(?:vol(?:ume)?\.?\s*\d+|no\.\s*\d+|number\s+\d+|issue\s+\d+)|\bpage\s+[a-z]?\d+\b|\bsection\s+[a-z]\b|\b(?:established|since)\s+\d{4}$)|^第\s*\d+\s*[期版]|今日\s*\d+\s*版|本期\s*\d+\s*版|共\s*\d+\s*版|\b[A-D]\d{1,2}\s*版?$|^[A-Z]\d{1,2}(?:\s|版|$)|主办$|机关报$|农历|^(?:责任编辑|本版编辑)[\s:：\u{3000}]")
        .expect("static regex")
});

/// A section's name printed alone under the masthead: `LOCAL`, `Sports`, `LOCAL NEWS`.
static SECTION_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:local|news|sports?|business|opinion|community|obituaries|classifieds|lifestyle|arts|world|nation|region(?:al)?|education|schools?|health|features?|front page|metro|city|county|farming|rural|legals?|legal notices|entertainment|courts?|politics|environment)(?: news)?$")
        .expect("static regex")
});

static MASTHEAD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|星期.|(?i:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?:([a-z]{3,9})\.?\s+(\d{1,2}),?|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?)\s+(\d{4}))")
        .expect("static regex")
});

/// A date printed on its own line, as a notice's sign-off: `2026年12月1日`,
/// `二〇二六年十二月一日`, `December 1, 2026`, `2026-12-01`.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Dated|Date|Published|Posted):\s*)?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})")
        .expect("static regex")
});

/// The parts of a masthead line printed with separators (`|`, `★`, `·`, wide spaces) that
/// name the paper, leaving out its date, page and section parts.
fn name_parts(text: &str) -> Vec<String> {
    text.split(['|', '｜', '★', '☆', '·', '•', '\u{3000}'])
        .flat_map(|part| part.split("  "))
        .map(str::trim)
        .filter(|part| {
            !part.is_empty()
                && MASTHEAD_NAME.is_match(part)
                && !MASTHEAD_DATE.is_match(part)
                && !MASTHEAD_FURNITURE.is_match(part)
        })
        .map(str::to_owned)
        .collect()
}

/// A date on its own line, as a sign-off or a masthead prints it.
pub(super) fn is_date_line(text: &str) -> bool {
    // `同志，因病医治无效，于2026年1月5日在槎`: a date inside a clause of prose is not one.
    // Nor is one after a label (`公示期：2024年4月18日至4月24日`).
    let prose = text.contains(['，', '。', '；', '、', '：']);
    char_len(text) <= 32
        && (DATE_LINE.is_match(text)
            || (char_len(text) <= 24 && !prose && MASTHEAD_DATE.is_match(text)))
}

/// `２０２５` as `2025`, `Ａ０３` as `A03`: full-width letters and digits, which some dump
/// tools print, read as ASCII ones (other full-width signs are left as printed).
pub(super) fn fold_alphanumerics(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => fold_width(c),
            _ => c,
        })
        .collect()
}

/// A part of a running head that is a date: `Thursday, May 16, 2024`, `Feb. 20, 2025`,
/// `2025年7月10日`.
pub(super) fn is_date_part(part: &str) -> bool {
    DATE_LINE.is_match(part) || MASTHEAD_DATE.is_match(part)
}

fn iso_from_captures(c: &regex::Captures<'_>) -> Option<String> {
    let number = |m: regex::Match<'_>| fold_alphanumerics(m.as_str()).parse::<u32>().ok();
    let (y, m, d) = if let (Some(y), Some(m), Some(d)) = (c.get(1), c.get(2), c.get(3)) {
        (i32::try_from(number(y)?).ok()?, number(m)?, number(d)?)
    } else {
        // `Tuesday, December 1, 2026` (month, day) or `Tuesday 1 December 2026` (day, month).
        let (month, day) = match (c.get(4), c.get(5), c.get(6), c.get(7)) {
            (Some(m), Some(d), _, _) | (_, _, Some(d), Some(m)) => (m.as_str(), d.as_str()),
            _ => return None,
        };
        let m = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .position(|p| month.to_lowercase().starts_with(p))? as u32
            + 1;
        (
            i32::try_from(number(c.get(8)?)?).ok()?,
            m,
            fold_alphanumerics(day).parse().ok()?,
        )
    };
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|date| date.format("%Y-%m-%d").to_string())
}

impl Page {
    /// True when the block of line `i` holds an article's headline: some line in it is
    /// followed by a byline or a dateline.
    fn holds_a_headline(&self, i: usize) -> bool {
        let block = self.lines[i].block;
        (i..self.lines.len())
            .take_while(|&k| self.lines[k].block == block)
            .chain((0..i).rev().take_while(|&k| self.lines[k].block == block))
            .any(|k| {
                matches!(
                    self.lines.get(k + 1).map(|l| &l.kind),
                    Some(LineKind::Byline(..) | LineKind::Dateline | LineKind::JumpFrom)
                )
            })
    }

    /// A line that could sit in a masthead: short, not a sentence, not a headline (a line with
    /// a byline or dateline under it). A section line may look like a notice title
    /// (`Legal Notices`).
    fn could_be_masthead(&self, i: usize) -> bool {
        let line = &self.lines[i];
        matches!(line.kind, LineKind::Text | LineKind::NoticeTitle)
            && char_len(&line.text) <= 80
            && !ends_sentence(&line.text)
            // `…予以公示。公示期为2025年4月9日至`: a sentence ended inside it.
            && !line.text.contains('。')
            && !matches!(
                self.lines.get(i + 1).map(|l| &l.kind),
                Some(LineKind::Byline(..) | LineKind::Dateline | LineKind::JumpFrom)
            )
    }

    /// A line only a masthead prints: the paper's name, the date, volume or edition lines;
    /// an all-capitals line only as the page's first.
    fn is_masthead_mark(&self, i: usize) -> bool {
        let text = &fold_alphanumerics(&self.lines[i].text);
        MASTHEAD_NAME.is_match(text)
            || MASTHEAD_DATE.is_match(text)
            || MASTHEAD_FURNITURE.is_match(text)
            // `RUGBY` over a headline and its byline: a kicker on a page with no masthead.
            || (i == 0 && ALL_CAPS.is_match(text) && !self.holds_a_headline(i))
    }

    /// The masthead is the top of the page down to its last name, date or edition line;
    /// taglines between those lines belong to it. It never takes a headline's block.
    pub(super) fn claim_masthead(&mut self) {
        let mut last_mark = None;
        let mut i = 0;
        while i < self.lines.len().min(12) && self.could_be_masthead(i) {
            if self.is_masthead_mark(i) {
                last_mark = Some(i);
            }
            i += 1;
        }
        let Some(mut last) = last_mark else {
            return;
        };
        // The rest of the last mark's block belongs to it (`LOCAL` under the name line),
        // unless that block also holds a headline (a page printed without blank lines).
        while last + 1 < i
            && self.lines[last + 1].block == self.lines[last].block
            // On a page with no blank lines a notice's title may follow the date at once.
            && !(self.blankless && self.lines[last + 1].kind == LineKind::NoticeTitle)
            && !self.holds_a_headline(last)
        {
            last += 1;
        }
        // `LOCAL` under the date, on a page printed without blank lines: the section's name.
        if self.lines.get(last + 1).is_some_and(|l| {
            l.kind == LineKind::Text
                && l.block == self.lines[last].block
                && SECTION_NAME.is_match(&l.text)
                && self.free(last + 1)
        }) {
            last += 1;
        }
        let mut names = Vec::new();
        let mut details = Vec::new();
        let mut date: Option<String> = None;
        let mut iso_date = None;
        let mut owned = Vec::new();
        for i in 0..=last {
            let text = self.lines[i].text.clone();
            if let Some(c) = MASTHEAD_DATE.captures(&text) {
                iso_date = iso_date.or_else(|| iso_from_captures(&c));
                // `岚山县报　2026年12月10日　星期四`, `A6 | THE KESTREL VALLEY NEWS | Wednesday, …`
                names.extend(name_parts(&text));
                if date.is_none() {
                    date = Some(text);
                } else {
                    details.push(text);
                }
            } else if i == 0
                || (MASTHEAD_NAME.is_match(&text)
                    && !MASTHEAD_FURNITURE.is_match(&fold_alphanumerics(&text)))
            {
                names.push(text);
            } else {
                details.push(text);
            }
            owned.push(self.lines[i].no);
            self.claim(i, Owner::Masthead);
        }
        self.edition.masthead = Some(Masthead {
            name: names.join(" "),
            date,
            iso_date,
            details,
            lines: owned,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn masthead_dates_are_read_in_each_style() {
        for (date, iso) in [
            ("Tuesday, December 1, 2026", "2026-12-01"),
            ("TUESDAY, DEC. 1, 2026", "2026-12-01"),
            ("Tuesday 1 December 2026", "2026-12-01"),
            ("Tuesday, 1st December, 2026", "2026-12-01"),
            ("2026年12月1日 星期二", "2026-12-01"),
        ] {
            let page = format!(
                "THE HARBOR GAZETTE\n{date}\n\nFerry terminal wins grant\n\nBy Maria Keane\n\nBAYPORT — The state awarded a grant on Monday to rebuild the terminal."
            );
            let edition = parse_edition(&page).expect("parses");
            let masthead = edition.masthead.expect("masthead");
            assert_eq!(masthead.iso_date.as_deref(), Some(iso), "{date}");
            assert_eq!(edition.articles[0].title, "Ferry terminal wins grant");
        }
    }
}
