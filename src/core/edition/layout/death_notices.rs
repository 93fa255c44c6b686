//! Death notices and obituaries printed under one heading (`DEATH NOTICES`, `OBITUARIES`):
//! each person's entry is a notice of its own, titled with the name as printed.

use std::sync::LazyLock;

use regex::Regex;

use super::Page;
use crate::core::edition::lines::LineKind;
use crate::core::edition::{Language, NoticeKind};
use crate::core::punctuation::ends_sentence;

static DEATHS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:death notices|deaths|obituaries|obituary|in memoriam|funeral notices)$")
        .expect("static regex")
});

/// `BRISBOIS, Eleanor Grace (Nell) – Peacefully at …`: the surname in capitals, the given
/// names, a dash, the notice.
static ENTRY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{Lu}'’-]+(?:\s+\p{Lu}[\p{Lu}'’-]+)?,\s+[^–—]{2,60}?)\s+[–—-]\s")
        .expect("static regex")
});

/// `RUTH ANN KESSLER`: a name alone on its line in capitals, prose under it.
static CAPS_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{Lu}.'’-]*(?:\s+\p{Lu}[\p{Lu}.'’-]*){1,4}$").expect("static regex")
});

impl Page {
    /// When `region` (a titled notice's lines) is a deaths heading over entries, each entry's
    /// lines (the heading goes with the first) and the name it is printed under.
    fn death_notice_entries(&self, region: &[usize]) -> Option<Vec<(Vec<usize>, String)>> {
        let (&heading, rest) = region.split_first()?;
        if self.language != Language::En || !DEATHS_HEADING.is_match(&self.lines[heading].text) {
            return None;
        }
        let mut entries: Vec<(Vec<usize>, String)> = Vec::new();
        for (at, &k) in rest.iter().enumerate() {
            let text = &self.lines[k].text;
            let prose_follows = rest.get(at + 1).is_some_and(|&next| {
                self.lines[next].kind == LineKind::Text
                    && !CAPS_NAME.is_match(&self.lines[next].text)
            });
            let name = ENTRY_NAME
                .captures(text)
                .map(|c| c[1].trim().to_owned())
                .or_else(|| {
                    (CAPS_NAME.is_match(text) && !ends_sentence(text) && prose_follows)
                        .then(|| text.clone())
                });
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
}
