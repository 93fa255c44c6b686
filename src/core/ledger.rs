//! The delivery ledger's records: one per (date, chat), saying how far that day's digest got
//! to that chat (pending, sent, failed, blocked, migrated, missed, withdrawn) and the Telegram message id
//! of every piece delivered, so a restart resumes where it stopped and the newsroom can later
//! edit or delete what was sent. Plain data; the store persists it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::edition_id::EditionId;
use super::subscriber::SubscriberId;

/// Where one day's delivery to one chat stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// In the outbox, not finished.
    Pending,
    /// Every piece delivered.
    Sent,
    /// Given up after bounded retries, or refused for good.
    Failed,
    /// The chat is gone (blocked, deactivated, kicked, not found); the subscriber is marked.
    Blocked,
    /// The group became a supergroup; the delivery moved to the new chat id.
    Migrated,
    /// Past the catch-up window before it could be sent.
    Missed,
    /// A breaking notice's copy taken back by `/recall`: never sent, or deleted.
    Withdrawn,
}

impl DeliveryState {
    /// Every state, in report order.
    pub const ALL: [DeliveryState; 7] = [
        Self::Sent,
        Self::Pending,
        Self::Failed,
        Self::Blocked,
        Self::Migrated,
        Self::Missed,
        Self::Withdrawn,
    ];

    /// Lower-case name, as printed.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Blocked => "blocked",
            Self::Migrated => "migrated",
            Self::Missed => "missed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// True once nothing more will be attempted.
    #[must_use]
    pub fn is_final(self) -> bool {
        self != Self::Pending
    }
}

/// One day's delivery to one chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// The digest's date.
    pub date: NaiveDate,
    /// The chat.
    pub chat: SubscriberId,
    /// The edition whose digest it is (`None`: the default edition, and every notice's
    /// copy). Not written in the record: its edition's ledger holds it (see the store).
    #[serde(default, skip)]
    pub edition: Option<EditionId>,
    /// For a breaking notice's copy: the notice's number (`date` is then the day it was
    /// confirmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<u64>,
    /// Where it stands.
    pub state: DeliveryState,
    /// Telegram message ids of the pieces delivered so far, in order.
    #[serde(default)]
    pub message_ids: Vec<i32>,
    /// Failed attempts so far (transient errors).
    #[serde(default)]
    pub attempts: u32,
    /// The new chat id, when the group migrated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_to: Option<SubscriberId>,
    /// Why it failed, for the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Sends started whose answer is not recorded yet. Written to disk before a notice's
    /// copy is sent, so after a crash it says how many copies may exist with no id.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub in_flight: u32,
    /// Copies a crash left without a recorded id: they may be on the resident's phone, and
    /// no recall can reach them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lost: u32,
    /// The newsroom action (recall or correction, numbered per notice) this copy has been
    /// through, or was sent under: an action resumed after a restart skips it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub handled: u32,
    /// The last recall or correction could not change this copy (too old, chat gone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
    /// When it was due.
    pub due_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl DeliveryRecord {
    /// A new record in `state`.
    #[must_use]
    pub fn new(
        date: NaiveDate,
        chat: SubscriberId,
        state: DeliveryState,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            date,
            chat,
            edition: None,
            notice: None,
            state,
            message_ids: Vec::new(),
            attempts: 0,
            migrated_to: None,
            error: None,
            in_flight: 0,
            lost: 0,
            handled: 0,
            unreachable: false,
            due_at,
            updated_at: now,
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Counts of a day's records by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerCounts {
    counts: [usize; 7],
    /// Messages (pieces) delivered.
    pub messages: usize,
}

impl LedgerCounts {
    /// Counts `records`.
    #[must_use]
    pub fn of<'a>(records: impl IntoIterator<Item = &'a DeliveryRecord>) -> Self {
        let mut counts = Self::default();
        for record in records {
            counts.add(record);
        }
        counts
    }

    /// Adds one record.
    pub fn add(&mut self, record: &DeliveryRecord) {
        self.counts[Self::slot(record.state)] += 1;
        self.messages += record.message_ids.len();
    }

    /// How many records are in `state`.
    #[must_use]
    pub fn get(&self, state: DeliveryState) -> usize {
        self.counts[Self::slot(state)]
    }

    /// Every record counted.
    #[must_use]
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    fn slot(state: DeliveryState) -> usize {
        DeliveryState::ALL
            .iter()
            .position(|s| *s == state)
            .unwrap_or(0)
    }
}

impl std::fmt::Display for LedgerCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = DeliveryState::ALL
            .iter()
            .map(|s| format!("{}: {}", s.name(), self.get(*s)))
            .collect();
        write!(f, "{} · messages: {}", parts.join(" · "), self.messages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_the_ledger() {
        let now = Utc::now();
        let date: NaiveDate = "2026-11-30".parse().expect("date");
        let mut sent = DeliveryRecord::new(date, SubscriberId(1), DeliveryState::Sent, now, now);
        sent.message_ids = vec![10, 11];
        let blocked = DeliveryRecord::new(date, SubscriberId(2), DeliveryState::Blocked, now, now);
        let counts = LedgerCounts::of([&sent, &blocked]);
        assert_eq!(counts.get(DeliveryState::Sent), 1);
        assert_eq!(counts.total(), 2);
        assert_eq!(
            counts.to_string(),
            "sent: 1 · pending: 0 · failed: 0 · blocked: 1 · migrated: 0 · missed: 0 · withdrawn: 0 · messages: 2"
        );
        assert!(!DeliveryState::Pending.is_final() && DeliveryState::Missed.is_final());
    }
}
