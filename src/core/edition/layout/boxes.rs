//! Small boxes with no title line of their own: a reminder printed under its label on a line
//! by itself (`温馨提示` / `近期气温起伏较大，…`), and a slogan set as a couplet between
//! items (`尊师重教　立德树人`).

use super::Page;
use crate::core::edition::NoticeKind;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::{ends_sentence, is_cjk};

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
fn is_couplet_slogan(text: &str) -> bool {
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
}
