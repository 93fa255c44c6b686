//! A recall or correction of a breaking notice as a resumable job: what it is, whom it
//! reports to, how far it got, and the pure rules of starting one and of which copies it
//! still has to handle. The newsroom (`crate::app::newsroom`) runs it; the store keeps it inside
//! the notice, so a restart picks it up where it stopped.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::digest::Lang;
use super::ledger::{DeliveryRecord, DeliveryState};
use super::newsroom::Notice;

/// What an editor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// `/recall`: send no more copies, delete those sent.
    Recall,
    /// `/correct`: send the new text from now on, edit those sent.
    Correct,
}

impl ActionKind {
    /// The audit log's word for it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Recall => "recall",
            Self::Correct => "correct",
        }
    }
}

/// A recall or correction under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeAction {
    /// Recall or correction.
    pub kind: ActionKind,
    /// Its number among the notice's actions (copies record the last one they went through).
    pub generation: u32,
    /// The editor who asked.
    pub editor: i64,
    /// The chat the report goes to.
    pub chat: i64,
    /// The editor's language.
    pub lang: Lang,
    /// When it was asked for.
    pub started_at: DateTime<Utc>,
    /// Copies deleted or edited so far.
    pub done: usize,
    /// Copies Telegram would not let us delete or edit (too old, chat gone).
    pub unreachable: usize,
}

/// What a finished recall or correction did, for the editor's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionReport {
    /// Copies deleted (recall) or edited (correction).
    pub done: usize,
    /// Copies that were never sent because of the recall.
    pub never_sent: usize,
    /// Copies it could not reach: Telegram refused, or a crash lost their message id.
    pub unreachable: usize,
}

/// Starts `kind` on `notice`: from this moment no copy goes out with the old text (or at
/// all, for a recall). Returns the new action's number.
pub fn start_action(
    notice: &mut Notice,
    kind: ActionKind,
    corrected_text: Option<&str>,
    (editor, chat, lang): (i64, i64, Lang),
    now: DateTime<Utc>,
) -> u32 {
    notice.actions += 1;
    match kind {
        ActionKind::Recall => notice.recalled = true,
        ActionKind::Correct => {
            if let Some(text) = corrected_text {
                notice.corrected = Some(text.to_owned());
            }
        }
    }
    notice.action = Some(NoticeAction {
        kind,
        generation: notice.actions,
        editor,
        chat,
        lang,
        started_at: now,
        done: 0,
        unreachable: 0,
    });
    notice.actions
}

/// True when action `generation` still has to delete or edit `copy`: it was sent (it has a
/// message id), it has not been through this action (nor been sent under it, already
/// carrying the new text), and it was not withdrawn.
#[must_use]
pub fn needs_action(copy: &DeliveryRecord, generation: u32) -> bool {
    !copy.message_ids.is_empty()
        && copy.handled < generation
        && copy.state != DeliveryState::Withdrawn
}

/// The report of a finished action over `copies`.
#[must_use]
pub fn action_report(action: &NoticeAction, copies: &[DeliveryRecord]) -> ActionReport {
    let lost: usize = copies.iter().map(|c| c.lost as usize).sum();
    let never_sent = match action.kind {
        ActionKind::Recall => copies
            .iter()
            .filter(|c| c.state == DeliveryState::Withdrawn && c.message_ids.is_empty())
            .count(),
        ActionKind::Correct => 0,
    };
    ActionReport {
        done: action.done,
        never_sent,
        unreachable: action.unreachable + lost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::subscriber::SubscriberId;

    fn copy(state: DeliveryState, ids: &[i32], handled: u32) -> DeliveryRecord {
        let now = Utc::now();
        let mut c = DeliveryRecord::new(now.date_naive(), SubscriberId(1), state, now, now);
        c.notice = Some(1);
        c.message_ids = ids.to_vec();
        c.handled = handled;
        c
    }

    fn notice() -> Notice {
        Notice {
            editions: Vec::new(),
            number: 1,
            text: "停水".to_owned(),
            corrected: None,
            recalled: false,
            editor: 5,
            preview: (5, 9),
            lang: Lang::Zh,
            state: crate::core::newsroom::NoticeState::Sending,
            recipients: 3,
            confirmed_at: Utc::now(),
            receipt: None,
            finished_at: None,
            actions: 0,
            action: None,
        }
    }

    #[test]
    fn an_action_handles_each_sent_copy_once() {
        assert!(needs_action(&copy(DeliveryState::Sent, &[7], 0), 1));
        assert!(
            !needs_action(&copy(DeliveryState::Sent, &[7], 1), 1),
            "already handled, or sent under this action"
        );
        assert!(
            needs_action(&copy(DeliveryState::Sent, &[7], 1), 2),
            "a second correction edits it again"
        );
        assert!(
            !needs_action(&copy(DeliveryState::Pending, &[], 0), 1),
            "nothing to reach"
        );
        assert!(!needs_action(&copy(DeliveryState::Withdrawn, &[7], 0), 1));
    }

    #[test]
    fn starting_an_action_changes_what_residents_get_from_now_on() {
        let mut n = notice();
        let first = start_action(
            &mut n,
            ActionKind::Correct,
            Some("停水改到明天"),
            (5, 5, Lang::Zh),
            Utc::now(),
        );
        assert_eq!(
            (first, n.current_text(), n.recalled),
            (1, "停水改到明天", false)
        );
        let second = start_action(
            &mut n,
            ActionKind::Recall,
            None,
            (5, 5, Lang::Zh),
            Utc::now(),
        );
        assert_eq!(second, 2);
        assert!(n.recalled);
        let action = n.action.expect("under way");
        assert_eq!((action.kind, action.generation), (ActionKind::Recall, 2));
    }

    #[test]
    fn the_report_counts_copies_never_sent_and_those_a_crash_lost() {
        let mut lost = copy(DeliveryState::Sent, &[9], 0);
        lost.lost = 1;
        let copies = [
            copy(DeliveryState::Withdrawn, &[], 0),
            copy(DeliveryState::Withdrawn, &[], 0),
            copy(DeliveryState::Withdrawn, &[4], 1),
            lost,
        ];
        let mut n = notice();
        start_action(
            &mut n,
            ActionKind::Recall,
            None,
            (5, 5, Lang::Zh),
            Utc::now(),
        );
        let mut action = n.action.expect("under way");
        action.done = 2;
        action.unreachable = 1;
        assert_eq!(
            action_report(&action, &copies),
            ActionReport {
                done: 2,
                never_sent: 2,
                unreachable: 2
            }
        );
    }
}
