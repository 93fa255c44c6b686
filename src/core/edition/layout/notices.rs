//! The notices pass of the page reader: titled announcements with their contact lines and
//! sign-off (issuer, signer, date, in whichever order they come), adverts (a name line, what
//! it offers, contact fields) and reminders.

use std::sync::LazyLock;

use regex::Regex;

use super::boxes::is_couplet_slogan;
use super::masthead::is_date_line;
use super::{Owner, Page};
use crate::core::edition::lines::{CAPS_TITLE, Line, LineKind};
use crate::core::edition::notice::{build_notice, is_issuer_line, is_table_row};
use crate::core::edition::phones::extract_phones;
use crate::core::edition::{Language, NoticeKind};
use crate::core::punctuation::{char_len, ends_sentence, is_mostly_cjk};

/// A signer under the issuing body: `Helen Carrow, Head of Highways`, `Peter Hallam, General
/// Manager`.
static SIGNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]*){1,3},\s+\p{L}[\p{L} &-]{2,40}$")
        .expect("static regex")
});

/// The heading of a box of numbers: `便民服务热线`, `常用电话`, `服务电话一览`.
static LISTING_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{0,10}(?:热线|电话|号码|一览|通讯录)$").expect("static regex")
});

/// `USEFUL NUMBERS`, `USEFUL NUMBERS 常用电话`: a heading in capitals (Chinese words may
/// follow it), not a sentence.
pub(super) fn is_caps_heading(text: &str) -> bool {
    let capitals = text.chars().filter(char::is_ascii_uppercase).count();
    capitals >= 4
        && !text.chars().any(|c| c.is_ascii_lowercase())
        && !ends_sentence(text)
        && char_len(text) <= 60
}

/// A short line that can name an advert (a school, a shop, a company) or say what it
/// offers or where it is (`412 Dunmore Road, Willow Creek`): no sentence, no label.
pub(super) fn is_name_line(line: &Line) -> bool {
    // A Chinese line with `，` is a clause of prose (often one the layout broke), not a name.
    let prose_comma =
        line.text.contains('，') || (is_mostly_cjk(&line.text) && line.text.contains(','));
    line.kind == LineKind::Text
        && char_len(&line.text) <= 40
        && !ends_sentence(&line.text)
        && !prose_comma
        && !line.text.contains([':', '：'])
        && !line.text.ends_with([',', ';', '；', '、'])
}

/// A line of an advert above its contact fields: its name, what it offers, where it is
/// (`Walk-in vaccine clinic every Saturday, 9 to noon`). Longer than a name line may be.
fn is_offer_line(line: &Line) -> bool {
    // `Open daily 5 a.m. to 7 p.m.`, `Walk-ins welcome Mon.-Sat.` end on an abbreviation.
    let ends = ends_sentence(&line.text) && !ends_on_abbreviation(&line.text);
    // A short label is fine (`坐诊时间：每周一至周六 8:00—17:00`); a clause of prose is not.
    let labelled_prose = line
        .text
        .split_once([':', '：'])
        .is_some_and(|(label, _)| char_len(label) > 6 && label.split_whitespace().count() > 3);
    !is_date_line(&line.text)
        && (is_name_line(line)
            || (line.kind == LineKind::Text
                && char_len(&line.text) <= 60
                && !ends
                && !labelled_prose
                // `端午特惠：年卡1688元，私教课买十送二`: an offer under a short label;
                // `专业教练小班授课，保证学会，不会退款`: a short one.
                && (!line.text.contains('，') || short_label(&line.text) || line.chars() <= 20)))
}

/// `端午特惠：…`: a label of a few words before a colon.
fn short_label(text: &str) -> bool {
    text.split_once([':', '：'])
        .is_some_and(|(label, _)| (2..=6).contains(&char_len(label)))
}

/// `… 7 p.m.`, `… Mon.-Sat.`, `… Main St.`: the last word is a short abbreviation.
pub(super) fn ends_on_abbreviation(text: &str) -> bool {
    let last = text.rsplit([' ', '-']).next().unwrap_or("");
    ABBREVIATION.is_match(last)
}

static ABBREVIATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Za-z]{1,4}|[a-z]\.[a-z])\.$").expect("static regex"));

impl Page {
    pub(super) fn claim_notices(&mut self) {
        let n = self.lines.len();
        // Titled announcements run until the block that gives their contact details or date,
        // and never past their contact lines: text after those starts something else.
        for i in 0..n {
            if !self.free(i) {
                continue;
            }
            if let Some(listing) = self.caps_listing(i) {
                self.push_notice(NoticeKind::Announcement, &listing);
                // A box of entries is nobody's notice (`Week of May 17` signs nothing).
                if let Some(notice) = self.edition.notices.last_mut() {
                    notice.issuer = None;
                }
                continue;
            }
            if let Some(advert) = self.caps_advert(i) {
                self.push_notice(NoticeKind::Advert, &advert);
                continue;
            }
            let titled = self.lines[i].kind == LineKind::NoticeTitle || self.is_caps_title(i);
            if !titled {
                continue;
            }
            let owned = self.titled_notice_lines(i);
            if !self.claim_death_notices(&owned) {
                self.push_notice(NoticeKind::Announcement, &owned);
            }
        }
        // Untitled contact fields: an advert or listing is the run of field lines plus the
        // one name line just above them (`嘉兴市交通学校` over `地址:` and `招生热线:`).
        for i in 0..n {
            if self.lines[i].kind != LineKind::NoticeField || !self.free(i) {
                continue;
            }
            let same_run =
                |a: usize, b: usize| self.lines[a].block == self.lines[b].block && self.free(b);
            let mut first = i;
            while first > 0
                && same_run(i, first - 1)
                && self.lines[first - 1].kind == LineKind::NoticeField
            {
                first -= 1;
            }
            // The name over the fields; when the whole block is the advert, also the lines
            // of what it offers between them (`2027年春季招生`, `专业种植牙、正畸`).
            let fields_start = first;
            // `专治颈肩腰腿痛、失眠、妇科调理，可直接向保险公司申报` under the name: a longer
            // offer with commas, when the name line stands right above it.
            let offer_under_name = |k: usize| {
                let line = &self.lines[k];
                k > 0
                    && is_name_line(&self.lines[k - 1])
                    && line.kind == LineKind::Text
                    && line.chars() <= 40
            };
            // (`党建强基 打造新时代党建高地` over the organisation's name is a slogan of its own.)
            while first > 0
                && same_run(i, first - 1)
                && (is_offer_line(&self.lines[first - 1]) || offer_under_name(first - 1))
                && !(is_couplet_slogan(&self.lines[first - 1].text)
                    && is_issuer_line(&self.lines[first].text))
            {
                first -= 1;
            }
            let opens_block = first == 0 || {
                let above = &self.lines[first - 1];
                above.block != self.lines[first].block
                    // With no blank lines: under a finished sentence or another item.
                    || (self.blankless && (!self.free(first - 1) || ends_sentence(&above.text)))
            };
            if !opens_block && first + 1 < fields_start {
                first = fields_start - 1;
            }
            let mut last = i;
            while last + 1 < n
                && same_run(i, last + 1)
                && self.lines[last + 1].kind == LineKind::NoticeField
            {
                last += 1;
            }
            let owned: Vec<usize> = (first..=last).collect();
            // With a name over its fields it is an advert; bare fields may be anything.
            // `便民服务热线` over its numbers is a listing, not an advert.
            let listing = LISTING_HEADING.is_match(&self.lines[first].text);
            let kind = if first < fields_start && !listing {
                NoticeKind::Advert
            } else {
                NoticeKind::Announcement
            };
            self.push_notice(kind, &owned);
        }
        for i in 0..n {
            if self.lines[i].kind == LineKind::Reminder && self.free(i) {
                let owned = self.reminder_lines(i);
                self.push_notice(NoticeKind::Reminder, &owned);
            }
        }
        self.claim_untitled_boxes();
    }

    /// The lines of the notice titled at `title`: its text, its contact lines and its
    /// sign-off (落款: the issuing body, then the date), in whichever order they come. It
    /// ends at the sign-off's block, or where a new item starts: a name line opening a new
    /// block, or prose after the contact lines.
    fn titled_notice_lines(&self, title: usize) -> Vec<usize> {
        let n = self.lines.len();
        let mut owned = vec![title];
        let mut closing = false;
        let mut dated = false;
        let mut issued = false;
        let mut has_contact = false;
        let mut j = title + 1;
        while j < n && self.free(j) {
            let line = &self.lines[j];
            let first = j == title + 1;
            // With no blank lines, a heading in capitals past the title's lines opens the
            // next item (`MUNDAROO RURAL SUPPLIES` under a signed notice).
            if self.is_caps_title(j)
                || (self.blankless && j > title + 2 && is_caps_heading(&line.text))
            {
                break;
            }
            // `MULGARRA FOOTBALL NETBALL CLUB` / `NOTICE OF ANNUAL GENERAL MEETING`: the
            // body's name over what the notice is.
            // A court's caption over `In the Matter of …` and `NOTICE TO CREDITORS`, too.
            let heading =
                j <= title + 2 && !owned.iter().any(|&k| ends_sentence(&self.lines[k].text));
            let fits = matches!(line.kind, LineKind::Text | LineKind::NoticeField)
                || (first && line.kind == LineKind::Dateline)
                || (heading && line.kind == LineKind::NoticeTitle);
            if !fits {
                break;
            }
            let new_block = line.block != self.lines[j - 1].block;
            let is_date = line.kind == LineKind::Text && is_date_line(&line.text);
            // An issuer ends like an organisation, or is any short name with the date under it.
            let dated_next = self
                .lines
                .get(j + 1)
                .is_some_and(|n| n.block == line.block && is_date_line(&n.text));
            let is_issuer = line.kind == LineKind::Text
                && !is_date
                && ((is_issuer_line(&line.text) && self.closes_a_signoff(j))
                    || (dated_next && is_name_line(line)));
            // A second issuer or a second date starts something else.
            let signoff = (is_date && !dated) || (is_issuer && !issued);
            if new_block && closing && (dated || !signoff) && line.kind != LineKind::NoticeField {
                break;
            }
            // After the date only a block of contact lines may follow (`联系电话：…`).
            let first_contact = line.kind == LineKind::NoticeField && !has_contact;
            if (new_block || self.blankless) && dated && !first_contact {
                break;
            }
            let after_contact = self.lines[j - 1].kind == LineKind::NoticeField
                && line.kind != LineKind::NoticeField;
            if after_contact && !signoff {
                break;
            }
            if (new_block || self.blankless) && !first && !signoff && self.opens_an_advert(j) {
                break;
            }
            if line.kind == LineKind::NoticeField || signoff {
                closing = true;
            }
            dated |= is_date;
            issued |= is_issuer;
            has_contact |= line.kind == LineKind::NoticeField;
            owned.push(j);
            j += 1;
        }
        owned
    }

    /// The lines of the reminder at `first` (`温馨提示：…`): its sentence runs on over the
    /// lines a narrow column wrapped it onto, to the line that ends it.
    pub(super) fn reminder_lines(&self, first: usize) -> Vec<usize> {
        let mut owned = vec![first];
        let mut j = first;
        // `…from 1 to 6 a.m.` / `through April 1 …`: an abbreviation, not the sentence's end.
        let open = |text: &str, next: &str| {
            !ends_sentence(text)
                || (ends_on_abbreviation(text) && next.starts_with(|c: char| c.is_lowercase()))
        };
        while self.free(j + 1)
            && self.lines.get(j + 1).is_some_and(|next| {
                next.block == self.lines[j].block
                    && next.kind == LineKind::Text
                    && open(&self.lines[j].text, &next.text)
            })
        {
            j += 1;
            owned.push(j);
        }
        // `Reminder: Daylight saving time ends…` / `温馨提示：11月3日…`: the same reminder in
        // the page's other language, right under it.
        let translated = self.lines.get(j + 1).is_some_and(|next| {
            next.block == self.lines[j].block
                && next.kind == LineKind::Reminder
                && next.text.is_ascii() != self.lines[first].text.is_ascii()
        });
        if translated && self.free(j + 1) {
            owned.push(j + 1);
        }
        owned
    }

    /// An English all-capitals line alone in its block with prose or contact lines after it:
    /// a notice's or an obituary's title (`YOUTH BASKETBALL REGISTRATION`,
    /// `MARGARET L. HALVORSEN`). Kickers over headlines were taken with their articles.
    fn is_caps_title(&self, i: usize) -> bool {
        let line = &self.lines[i];
        // On a page with no blank lines, a title stands after a finished sentence or an item.
        let apart_above = i == 0 || {
            let prev = &self.lines[i - 1];
            prev.block != line.block
                || (self.blankless && (!self.free(i - 1) || ends_sentence(&prev.text)))
        };
        let alone = apart_above
            && self.lines.get(i + 1).is_some_and(|l| {
                l.block != line.block || self.blankless || self.block_reads_like_a_notice(i)
            });
        let prose = |k: usize| {
            self.lines.get(k).is_some_and(|next| {
                self.free(k)
                    && (next.kind == LineKind::NoticeField
                        || (next.kind == LineKind::Text
                            && (ends_sentence(&next.text) || next.chars() > 64)))
            })
        };
        // `MUNDAROO SHIRE COUNCIL` / `PUBLIC EXHIBITION – DRAFT PLAN` / prose.
        let second_caps_line = self.lines.get(i + 1).is_some_and(|next| {
            matches!(next.kind, LineKind::Text | LineKind::NoticeTitle)
                && is_caps_heading(&next.text)
        }) && prose(i + 2);
        // `HOKAWAI ENGINEERING LIMITED (IN LIQUIDATION)` over what the notice is.
        let caps = CAPS_TITLE.is_match(&line.text)
            || (is_caps_heading(&line.text)
                && (second_caps_line || self.block_reads_like_a_notice(i)));
        self.language == Language::En
            && line.kind == LineKind::Text
            && alone
            && caps
            && (prose(i + 1) || second_caps_line || self.block_reads_like_a_notice(i))
    }

    /// The rest of line `i`'s block gives a phone number, a date line or an official's
    /// sign-off (`LOST DOG` / `… Call 509-555-0164.`, `PLANNING APPLICATIONS` / … /
    /// `Dated: 22 April 2027`): what a notice under a title in capitals gives.
    fn block_reads_like_a_notice(&self, i: usize) -> bool {
        let block = self.lines[i].block;
        self.lines[i + 1..]
            .iter()
            .take_while(|l| l.block == block)
            .any(|l| {
                !extract_phones(&l.text).is_empty()
                    || is_date_line(&l.text)
                    || l.text.starts_with("Dated")
                    || (l.kind == LineKind::Text && is_issuer_line(&l.text) && l.text.contains(','))
            })
    }

    /// True when line `j` opens a block that is an advert of its own: a name line, lines of
    /// what it offers, then contact fields (a list of sale items with no contact lines is
    /// not; nor are `公示时间：` lines, which have no name over them).
    fn opens_an_advert(&self, j: usize) -> bool {
        let block = self.lines[j].block;
        // A cell of a flattened table (`部`, `4　童卫东　男　…`) names no advert.
        let cell = |line: &Line| is_table_row(&line.text) || line.chars() < 2;
        if !is_name_line(&self.lines[j]) || cell(&self.lines[j]) {
            return false;
        }
        let mut k = j + 1;
        while k < self.lines.len()
            && self.lines[k].block == block
            && is_offer_line(&self.lines[k])
            // `4　童卫东　男　…`: a numbered row of a table.
            && !self.lines[k]
                .text
                .split_whitespace()
                .next()
                .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()))
        {
            k += 1;
        }
        k > j
            && self
                .lines
                .get(k)
                .is_some_and(|l| l.block == block && l.kind == LineKind::NoticeField)
    }

    /// An issuer's name signs a notice off only when its block ends there or goes on with
    /// the date or contact lines (a signer's `Helen Carrow, Head of Highways` may stand
    /// between); followed by anything else it names a new advert.
    fn closes_a_signoff(&self, j: usize) -> bool {
        if self
            .lines
            .get(j + 1)
            .is_some_and(|next| next.block == self.lines[j].block && SIGNER.is_match(&next.text))
        {
            return self.closes_a_signoff(j + 1);
        }
        match self.lines.get(j + 1) {
            None => true,
            Some(next) if next.block != self.lines[j].block => true,
            Some(next) => {
                next.kind == LineKind::NoticeField
                    || (next.kind == LineKind::Text && is_date_line(&next.text))
            }
        }
    }

    pub(super) fn push_notice(&mut self, kind: NoticeKind, owned: &[usize]) {
        let lines: Vec<&Line> = owned.iter().map(|&k| &self.lines[k]).collect();
        let notice = build_notice(kind, &lines);
        for &k in owned {
            self.claim(k, Owner::Notice);
        }
        self.edition.notices.push(notice);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn the_official_who_signs_outranks_an_authority_printed_under_the_title() {
        let page = "The Telegram\nMarch 15, 2027\n\nNOTICE OF PUBLIC HEARING\nCITY OF OSSORY BEND PLANNING BOARD\nNOTICE IS HEREBY GIVEN that the Planning Board will hold a public hearing on April 6, 2027, at City Hall.\nDated: March 15, 2027\nCorinne Vasquez, City Clerk\n\nPUBLIC NOTICE\nThe Town Hall will be closed on April 2, 2027, for repairs to its roof and windows.\nTown of Millbrook Planning Board\nJane Doe, Clerk\n";
        let edition = parse_edition(page).expect("parses");
        let issuers: Vec<Option<&str>> = edition
            .notices
            .iter()
            .map(|n| n.issuer.as_deref())
            .collect();
        assert_eq!(
            issuers,
            [
                Some("Corinne Vasquez, City Clerk"),
                Some("Town of Millbrook Planning Board")
            ]
        );
    }

    #[test]
    fn on_an_indented_page_a_dated_notice_ends_at_its_date() {
        let page = "槐浦晚报\n2027年4月21日\n关于西山路部分路段实施交通管制的通告\n　　因西山路雨水管网改造施工需要，自2027年4月25日起对该路段实施全封闭交通管制。\n　　特此通告。\n槐浦市公安局交通警察支队\n2027年4月20日\n温馨提示\n　　近期我市进入春季雷雨多发期，市民外出请关注天气预报，远离积水路段。\n";
        let edition = parse_edition(page).expect("parses");
        let notices: Vec<&[usize]> = edition.notices.iter().map(|n| n.lines.as_slice()).collect();
        assert_eq!(notices, [&[3, 4, 5, 6, 7][..], &[8, 9][..]]);
    }

    #[test]
    fn a_notice_signed_by_a_clerk_runs_to_its_sign_off() {
        let page = "THE BRAMBLE EXAMINER\nThursday, May 16, 2024\n\nNOTICE OF PUBLIC HEARING\nNOTICE IS HEREBY GIVEN that the Planning Com-\nmission will hold a public hearing at 7 p.m. Tuesday, June 4.\nQuestions: (555) 847-2210.\nMarisol Dunleavy, City Clerk\nDated: May 14, 2024\nReminder: City offices will be closed Monday, May 27, in\nobservance of Memorial Day.\n";
        let edition = parse_edition(page).expect("parses");
        let notice = &edition.notices[0];
        assert_eq!(notice.title.as_deref(), Some("NOTICE OF PUBLIC HEARING"));
        assert_eq!(notice.lines, [4, 5, 6, 7, 8, 9]);
        assert_eq!(
            notice.issuer.as_deref(),
            Some("Marisol Dunleavy, City Clerk")
        );
        assert!(notice.dates.iter().any(|d| d == "May 14, 2024"));
        // The reminder wrapped over two lines is one notice, its sentence re-joined.
        assert_eq!(edition.notices[1].lines, [10, 11]);
        assert!(edition.notices[1].text.contains("in observance"));
    }
}
