//! Boxes under a heading in capitals: a listing of entries (`USEFUL NUMBERS`, a lunch menu,
//! a calendar, fixtures, an honour roll) and an advert under a business's name (`QUILLBY'S
//! HARDWARE & GARDEN`, `Hollowmere Grain Co-op`) down to its phone's line.

use std::sync::LazyLock;

use regex::Regex;

use super::Page;
use super::notices::{ends_on_abbreviation, is_caps_heading};
use crate::core::edition::Language;
use crate::core::edition::lines::LineKind;
use crate::core::edition::notice::is_issuer_line;
use crate::core::edition::phones::extract_phones;
use crate::core::punctuation::{char_len, ends_sentence};

/// An entry of a listing box: `Town Office ....... 555-408-2100` (dot leaders),
/// `Monday: Chicken noodle soup` (a day and a colon), `Sept. 18 — Grange potluck` (a date
/// and a dash).
pub(super) static LISTING_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.{4,}|…{2,})\s*\S|^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day:\s|^(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?:\s|^[●•·■◆▲]?\s*\d{1,2}月\d{1,2}日|^(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:-\d{1,2})?\s*(?:[—–-]\s|:\s)|^(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*(?:[—–-]\s|:\s)")
        .expect("static regex")
});

/// `Grade 6: Noah Abernathy, …`, `High Honors — Grade 12: …`: a labelled entry, counted as
/// one only under a box's heading in capitals; so is a day heading in a fixtures list
/// (`Saturday 25 September`).
static LABELLED_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Lu}\d][\p{L}\d .'’()—–-]{0,30}:\s+\S|^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)$")
        .expect("static regex")
});

/// What a listing box under a heading in sentence case is called.
static LISTING_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:honou?r roll|menu|calendar|fixtures|results|useful numbers|directory|what's on)$")
        .expect("static regex")
});

impl Page {
    /// A box of entries under an all-capitals heading opening its block (`USEFUL NUMBERS` over
    /// `Town Office ...... 555-408-2100` lines, a `LUNCH MENU` over `Monday: …` lines, a
    /// `COMMUNITY CALENDAR` over `Sept. 18 — …` lines): the heading and the whole block, when
    /// most of the block's lines are such entries.
    pub(super) fn caps_listing(&self, i: usize) -> Option<Vec<usize>> {
        let heading = &self.lines[i];
        // On a page with no blank lines, a box opens after a finished sentence or an item.
        let opens_block = i == 0
            || self.lines[i - 1].block != heading.block
            || (self.blankless && (ends_sentence(&self.lines[i - 1].text) || !self.free(i - 1)));
        // A Chinese page's box has a heading of its own words (`社区活动 Community Calendar`).
        // An English one may be in sentence case when it names a listing
        // (`Ketchley Ferry Middle School first-quarter honor roll`).
        let heading_fits = match self.language {
            Language::En => {
                is_caps_heading(&heading.text)
                    || (heading.is_title_like() && LISTING_NAME.is_match(&heading.text))
            }
            Language::Zh => heading.is_title_like() && heading.chars() <= 30,
        };
        if heading.kind != LineKind::Text || !opens_block || !heading_fits {
            return None;
        }
        let fits = |k: &usize| {
            self.free(*k) && matches!(self.lines[*k].kind, LineKind::Text | LineKind::NoticeField)
        };
        let mut block: Vec<usize> = (i + 1..self.lines.len())
            .take_while(|&k| self.lines[k].block == heading.block)
            .take_while(|&k| !self.blankless || (!is_caps_heading(&self.lines[k].text) && fits(&k)))
            .collect();
        if self.blankless {
            // The box ends after its last entry and one closing line (`Milk is served with
            // every meal.`); what follows is the page's next item.
            let last_entry = block.iter().rposition(|&k| {
                let text = &self.lines[k].text;
                LISTING_ENTRY.is_match(text) || LABELLED_ENTRY.is_match(text)
            });
            let closing = |at: usize| {
                block
                    .get(at + 1)
                    .is_some_and(|&k| ends_sentence(&self.lines[k].text))
            };
            let keep = last_entry.map_or(0, |at| at + 1 + usize::from(closing(at)));
            block.truncate(keep);
        }
        // An entry wrapped onto the next line (`Grade 6: Noah Abernathy, …,` / `Hana Fujita, …`)
        // counts with it.
        let mut entries = 0;
        let mut in_entry = false;
        for &k in &block {
            let text = &self.lines[k].text;
            let entry = LISTING_ENTRY.is_match(text) || LABELLED_ENTRY.is_match(text);
            if entry || in_entry {
                entries += 1;
            }
            in_entry = (entry || in_entry) && !ends_sentence(text);
        }
        let is_listing = block.len() >= 2 && block.iter().all(fits) && entries * 2 > block.len();
        is_listing.then(|| std::iter::once(i).chain(block).collect())
    }

    /// An advert under a business's name in capitals (`QUILLBY'S HARDWARE & GARDEN`, `JADE
    /// LANTERN BAKERY 玉灯饼家`): the name, up to three lines of what it offers, and the line
    /// with its phone number, none a finished sentence.
    pub(super) fn caps_advert(&self, i: usize) -> Option<Vec<usize>> {
        let name = &self.lines[i];
        let opens = i == 0
            || self.lines[i - 1].block != name.block
            || ends_sentence(&self.lines[i - 1].text)
            || !self.free(i - 1);
        // `Hollowmere Grain Co-op`, `Bayline Insurance Agency`: a business named in title
        // case; its advert must then end with the phone's line.
        let title_case = !is_caps_heading(&name.text)
            && is_issuer_line(&name.text)
            && name.text.split_whitespace().count() <= 6;
        if self.language != Language::En
            || name.kind != LineKind::Text
            || !opens
            || !(is_caps_heading(&name.text) || title_case)
        {
            return None;
        }
        for k in i + 1..(i + 5).min(self.lines.len()) {
            let line = &self.lines[k];
            let fits = self.free(k)
                && line.block == name.block
                && matches!(line.kind, LineKind::Text | LineKind::NoticeField)
                // `Seed potatoes, onion sets and garden tools are in!`: an advert exclaims.
                && (!ends_sentence(&line.text)
                    || ends_on_abbreviation(&line.text)
                    || line.text.ends_with('!')
                    // `Now hiring seasonal truck drivers for harvest. CDL required, …`
                    || char_len(&line.text) <= 100);
            if !fits {
                return None;
            }
            if !extract_phones(&line.text).is_empty() {
                // `Open Mon-Sat 7-6, Sun 9-3` under the phone's line is the advert's too.
                let mut last = k;
                while self.lines.get(last + 1).is_some_and(|next| {
                    next.block == line.block
                        && self.free(last + 1)
                        && next.kind == LineKind::Text
                        // `Equal opportunity employer.`
                        && (!ends_sentence(&next.text) || next.chars() <= 40)
                        && next.chars() <= 60
                }) {
                    last += 1;
                }
                let ends_there = self
                    .lines
                    .get(last + 1)
                    .is_none_or(|next| next.block != line.block || !self.free(last + 1));
                return (!title_case || ends_there).then(|| (i..=last).collect());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn listing_boxes_on_a_page_with_no_blank_lines_end_after_their_entries() {
        let page = "The Bugle\nPTO carnival raises $6,200\nThe PTO spring carnival raised $6,200 on May 1 for new books.\nSCHOOL LUNCH MENU\nWeek of May 17\nMon: Chicken tenders, green beans\nTue: Beef tacos, corn\nWed: Cheese pizza, salad\nMilk is served with every meal.\nSCHOOL CALENDAR\nMay 14: Spring band concert, 7 p.m.\nMay 21: Senior awards night, 6:30 p.m.\nBus drivers wanted\nThe district is hiring bus drivers for the fall, the superintendent said Monday, and will train them.\n";
        let edition = parse_edition(page).expect("parses");
        let notices: Vec<(Option<&str>, &[usize])> = edition
            .notices
            .iter()
            .map(|n| (n.title.as_deref(), n.lines.as_slice()))
            .collect();
        assert_eq!(
            notices,
            [
                (Some("SCHOOL LUNCH MENU"), &[4, 5, 6, 7, 8, 9][..]),
                (Some("SCHOOL CALENDAR"), &[10, 11, 12][..])
            ]
        );
    }

    #[test]
    fn a_listing_box_under_a_capitals_heading_is_one_notice() {
        let page = "Library waives fees\nThe library will forgive replacement fees for lost books returned by Sept. 30.\n\nUSEFUL NUMBERS\nTown Office ................ 555-408-2100\nPolice (non-emergency) ..... 555-408-2191\n\nLUNCH MENU\nMonday: Chicken noodle soup, grilled cheese\nTuesday: Beef tacos, Spanish rice\nMilk is served with every meal.\n";
        let edition = parse_edition(page).expect("parses");
        let notices: Vec<(Option<&str>, &[usize])> = edition
            .notices
            .iter()
            .map(|n| (n.title.as_deref(), n.lines.as_slice()))
            .collect();
        assert_eq!(
            notices,
            [
                (Some("USEFUL NUMBERS"), &[4, 5, 6][..]),
                (Some("LUNCH MENU"), &[8, 9, 10, 11][..])
            ]
        );
        assert_eq!(edition.notices[0].phones, ["555-408-2100", "555-408-2191"]);
    }
}
