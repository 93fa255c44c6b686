//! Death notices and obituaries printed under one heading (`DEATH NOTICES`, `OBITUARIES`):
//! each person's entry is a notice of its own, titled with the name as printed.

use std::sync::LazyLock;

use regex::Regex;

use super::Page;
use crate::core::edition::lines::LineKind;
use crate::core::edition::{Language, NoticeKind};
use crate::core::punctuation::ends_sentence;

static DEATHS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:death notices|deaths|obituaries|obituary|in memoriam|funeral notices|讣\s*[告闻])$",
    )
    .expect("static regex")
});

/// `BRISBOIS, Eleanor Grace (Nell) – Peacefully at …`: the surname in capitals, the given
/// names, a dash, the notice.
static ENTRY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{Lu}'’-]+(?:\s+\p{Lu}[\p{Lu}'’-]+)?,\s+[^–—]{2,60}?)\s+[–—-]\s")
        .expect("static regex")
});

/// `Pearl M. Gaskins, 88, of Dorrance, died …`: a name in title case (a nickname in quotes
/// may sit inside it), a comma, the age.
static RUN_IN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^((?:\p{Lu}[\p{L}.'’-]*|"[^"]{1,20}"|“[^”]{1,20}”)(?:\s+(?:\p{Lu}[\p{L}.'’-]*|"[^"]{1,20}"|“[^”]{1,20}”)){1,5}),\s+\d{1,3},\s"#)
        .expect("static regex")
});

/// `RUTH ANN KESSLER`: a name alone on its line in capitals, prose under it.
static CAPS_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\p{Lu}[\p{Lu}.'’-]*(?:\s+(?:\p{Lu}[\p{Lu}.'’-]*|"\p{Lu}+"|“\p{Lu}+”)){1,4}$"#)
        .expect("static regex")
});

/// `CARDEW Margaret Ann (née Rowe)`: a British entry, the surname in capitals before the
/// given names, alone on its line.
static SURNAME_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\p{Lu}[\p{Lu}'’-]+(?:\s+\p{Lu}[\p{Lu}'’-]+)?(?:\s+\p{Lu}[\p{Ll}'’-]+){1,4}(?:\s+\([^)]{1,30}\))?$",
    )
    .expect("static regex")
});

/// `GAUTHIER, Yvette (née Boucher)`, `MacLEAN, Ronald “Ronnie” James`: the surname in
/// capitals, a comma, the given names, alone on the line.
static SURNAME_COMMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Mac|Mc|O['’]|De|Van)?\p{Lu}[\p{Lu}'’-]+(?:\s+\p{Lu}[\p{Lu}'’-]+)?,\s+\p{Lu}[^.;:!?]{1,60}$")
        .expect("static regex")
});

/// `陈国梁先生`: a Chinese entry's name alone on its line.
static ZH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{2,4}(?:先生|女士|同志|老先生|老人)$").expect("static regex")
});

impl Page {
    /// The name an entry of a deaths list opens with on line `k`: a run-in name, or a name
    /// alone on its line with the entry's prose under it.
    fn death_entry_name(&self, k: usize) -> Option<String> {
        let text = self.lines[k].text.trim();
        // `PUBLIC NOTICE` after the list opens a notice of its own.
        if self.lines[k].kind != LineKind::Text {
            return None;
        }
        if let Some(c) = ENTRY_NAME
            .captures(text)
            .or_else(|| RUN_IN_NAME.captures(text))
        {
            return Some(c[1].trim().to_owned());
        }
        let prose_follows = self.lines.get(k + 1).is_some_and(|next| {
            next.kind == LineKind::Text
                && !CAPS_NAME.is_match(&next.text)
                && !ZH_NAME.is_match(&next.text)
        });
        let alone = match self.language {
            Language::Zh => ZH_NAME.is_match(text),
            _ => {
                CAPS_NAME.is_match(text)
                    || SURNAME_FIRST.is_match(text)
                    || SURNAME_COMMA.is_match(text)
            }
        };
        (alone && !ends_sentence(text) && prose_follows).then(|| text.to_owned())
    }

    /// When `region` (a titled notice's lines) is a deaths heading over entries, each entry's
    /// lines (the heading goes with the first) and the name it is printed under.
    fn death_notice_entries(&self, region: &[usize]) -> Option<Vec<(Vec<usize>, String)>> {
        let (&heading, rest) = region.split_first()?;
        if !DEATHS_HEADING.is_match(self.lines[heading].text.trim()) {
            return None;
        }
        let mut entries: Vec<(Vec<usize>, String)> = Vec::new();
        for &k in rest {
            // `RUTH ANN KESSLER` / `Ruth Ann Kessler, 88, of …`: the prose under a name line
            // names the person again.
            let under_its_name = entries.last().is_some_and(|(lines, name)| {
                lines.len() == 1 && self.lines[lines[0]].text.trim() == name
            });
            let name = self.death_entry_name(k).filter(|_| !under_its_name);
            match (name, entries.last_mut()) {
                (Some(name), _) => entries.push((vec![k], name)),
                (None, Some(entry)) => entry.0.push(k),
                // Prose before any name: not a list of entries.
                (None, None) => return None,
            }
        }
        let first = entries.first_mut()?;
        first.0.insert(0, heading);
        Some(entries)
    }

    /// Claims `region` as one death notice per entry when it is a list of them; false when it
    /// is not one.
    pub(super) fn claim_death_notices(&mut self, region: &[usize]) -> bool {
        let Some(entries) = self.death_notice_entries(region) else {
            return false;
        };
        for (lines, name) in entries {
            self.push_notice(NoticeKind::Announcement, &lines);
            if let Some(notice) = self.edition.notices.last_mut() {
                notice.title = Some(name);
                // The family or funeral home named in the text does not issue it.
                notice.issuer = None;
            }
        }
        true
    }

    /// Before headlines are looked for: a deaths heading over entries that each open with
    /// the name (`DEATHS` / `CARDEW Margaret Ann` / prose, `讣告` / `陈国梁先生` / prose) is
    /// a list of death notices, so no name line is read as a headline. The list runs over
    /// the heading's block and every following block that opens with a name.
    pub(super) fn claim_death_lists(&mut self) {
        for heading in 0..self.lines.len() {
            if !self.free(heading) || !DEATHS_HEADING.is_match(self.lines[heading].text.trim()) {
                continue;
            }
            let mut region = vec![heading];
            let mut k = heading + 1;
            while k < self.lines.len() && self.free(k) {
                let new_block = self.lines[k].block != self.lines[k - 1].block;
                if new_block && self.death_entry_name(k).is_none() {
                    break;
                }
                region.push(k);
                k += 1;
            }
            if region.len() > 2 && self.death_entry_name(region[1]).is_some() {
                self.claim_death_notices(&region);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn each_death_notice_under_the_heading_is_its_own_notice() {
        let page = "THE STONE VALLEY LEADER\nWednesday, November 12, 2025\n\nDEATH NOTICES\nBRISBOIS, Eleanor Grace (Nell) – Peacefully at Valley View Lodge on Saturday,\nNovember 8, 2025, at the age of 93. Arrangements by Pelletier Funeral Chapel, (555) 604-2277.\n\nADEYEMI-ROSS, Thomas Edward (Tom) – Peacefully at home on Sunday, November 9,\n2025, aged 71. A private family service will be held.\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<Option<&str>> =
            edition.notices.iter().map(|n| n.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("BRISBOIS, Eleanor Grace (Nell)"),
                Some("ADEYEMI-ROSS, Thomas Edward (Tom)")
            ]
        );
        assert_eq!(edition.notices[0].lines, [4, 5, 6]);
        assert_eq!(edition.notices[0].phones, ["(555) 604-2277"]);
        assert!(edition.notices.iter().all(|n| n.issuer.is_none()));
    }

    #[test]
    fn entries_named_in_the_run_of_the_text_or_surname_first_are_notices_of_their_own() {
        let page = "The Leader\n\nDEATH NOTICES\nPearl M. Gaskins, 88, of Dorrance, died March 22, 2027. Arrangements by Whitford Funeral Home, (555) 419-2030.\nHarold \"Hal\" Vance, 74, of Lyle Crossing, died March 23, 2027.\n\nDEATHS\nCARDEW Margaret Ann (née Rowe)\nPassed away peacefully on 2 March 2027, aged 91.\nHOSKING Derek John\nDied suddenly at home on 4 March 2027, aged 68.\n\nDEATH NOTICES\nGAUTHIER, Yvette (née Boucher)\nPeacefully on May 28, 2027, in her 92nd year.\nMacLEAN, Ronald “Ronnie” James\nSuddenly at home on May 30, 2027, aged 67.\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<Option<&str>> =
            edition.notices.iter().map(|n| n.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("Pearl M. Gaskins"),
                Some("Harold \"Hal\" Vance"),
                Some("CARDEW Margaret Ann (née Rowe)"),
                Some("HOSKING Derek John"),
                Some("GAUTHIER, Yvette (née Boucher)"),
                Some("MacLEAN, Ronald “Ronnie” James")
            ]
        );
        assert!(edition.articles.is_empty());
        assert_eq!(edition.notices[0].phones, ["(555) 419-2030"]);
    }

    #[test]
    fn a_chinese_list_of_obituaries_is_a_notice_per_person() {
        let page = "讣　闻\n陈国梁先生\n广东台山人，于2027年4月30日安详辞世，享年八十九岁。\n家属　泣告\n黄丽珍女士\n原籍福建福州，于2027年5月2日辞世，享年七十六岁。\n家属敬告　联系电话：0491 570 226\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<Option<&str>> =
            edition.notices.iter().map(|n| n.title.as_deref()).collect();
        assert_eq!(titles, [Some("陈国梁先生"), Some("黄丽珍女士")]);
        assert_eq!(edition.notices[0].lines, [1, 2, 3, 4]);
        assert!(edition.notices[0].phones.is_empty());
        assert_eq!(edition.notices[1].phones, ["0491 570 226"]);
    }
}
