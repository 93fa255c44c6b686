//! Small boxes with no title line of their own: a reminder printed under its label on a line
//! by itself (`温馨提示` / `近期气温起伏较大，…`), and a slogan set as a couplet between
//! items (`尊师重教　立德树人`), and a house slogan closing the page (`Shop local – keep
//! Mundaroo Flats strong.`).

use super::{Owner, Page};
use crate::core::edition::NoticeKind;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::{char_len, ends_sentence, is_cjk};

/// A reminder's label alone on its line.
fn is_reminder_label(text: &str) -> bool {
    let label = text.trim_end_matches([':', '：']);
    matches!(
        label,
        "温馨提示" | "温馨提醒" | "友情提醒" | "友情提示" | "特别提醒" | "提醒"
    ) || matches!(
        label.to_lowercase().as_str(),
        "reminder" | "please note" | "a reminder"
    )
}

/// `尊师重教　立德树人`: two short phrases of Chinese, no punctuation, set apart by a space.
pub(super) fn is_couplet_slogan(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split(['\u{3000}', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() == 2
        && parts
            .iter()
            .all(|p| (3..=10).contains(&p.chars().count()) && p.chars().all(is_cjk))
}

impl Page {
    /// Claims reminders under a label line and couplet slogans nothing else took.
    pub(super) fn claim_untitled_boxes(&mut self) {
        for i in 0..self.lines.len() {
            let line = &self.lines[i];
            if !self.free(i) || line.kind != LineKind::Text {
                continue;
            }
            let next_is_text = self
                .lines
                .get(i + 1)
                .is_some_and(|l| l.kind == LineKind::Text && l.block == line.block)
                && self.free(i + 1);
            if is_reminder_label(&line.text) && next_is_text {
                let owned = self.reminder_lines(i);
                self.push_notice(NoticeKind::Reminder, &owned);
                continue;
            }
            let apart = i == 0 || {
                let prev = &self.lines[i - 1];
                prev.block != line.block || ends_sentence(&prev.text) || !self.free(i - 1)
            };
            if apart && is_couplet_slogan(&line.text) {
                self.push_notice(NoticeKind::Slogan, &[i]);
            }
        }
    }

    /// The page's last line, when nothing took it and it stands apart from the item above
    /// (its own block, or under a notice): a short line is the page's closing slogan
    /// (`Attendance matters — every day counts!`), whatever its punctuation.
    pub(super) fn claim_closing_slogan(&mut self) {
        let Some(last) = (0..self.lines.len())
            .rev()
            .find(|&i| self.owner[i] != Some(Owner::Furniture))
        else {
            return;
        };
        let line = &self.lines[last];
        let short = match self.language {
            crate::core::edition::Language::Zh => char_len(&line.text) <= 24,
            _ => char_len(&line.text) <= 50,
        };
        let apart = last > 0
            && (self.lines[last - 1].block != line.block
                || self.owner[last - 1] == Some(Owner::Notice));
        if self.free(last) && line.kind == LineKind::Text && short && apart {
            self.push_notice(NoticeKind::Slogan, &[last]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_couplet_slogan, is_reminder_label};

    #[test]
    fn labels_and_couplets() {
        assert!(is_reminder_label("温馨提示"));
        assert!(is_reminder_label("Reminder:"));
        assert!(!is_reminder_label("温馨提示：请注意"));
        assert!(is_couplet_slogan("尊师重教　立德树人"));
        assert!(is_couplet_slogan("垃圾分类一小步　文明城市一大步"));
        assert!(!is_couplet_slogan("春运首周 岚埔站发送旅客逾四十万人次。"));
        assert!(!is_couplet_slogan("B02　城事"));
    }

    #[test]
    fn the_page_closes_with_a_slogan_under_its_last_notice() {
        let page = "The Bugle\n\nREMINDER: Kindergarten registration is open. Call (555) 642-1100.\nAttendance matters — every day counts!\n";
        let edition = crate::core::edition::parse_edition(page).expect("parses");
        let kinds: Vec<_> = edition
            .notices
            .iter()
            .map(|n| (n.kind, n.lines.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (crate::core::edition::NoticeKind::Reminder, vec![3]),
                (crate::core::edition::NoticeKind::Slogan, vec![4])
            ]
        );
    }
}
