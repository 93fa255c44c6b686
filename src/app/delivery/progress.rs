//! A delivery worker's live counters (for progress bars and `/stats`) and the report of a
//! drain.

use crate::core::ledger::DeliveryState;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Live counters of a worker, for progress bars and reports.
#[derive(Debug, Default)]
pub struct Progress {
    /// Messages (pieces) delivered.
    pub messages: AtomicUsize,
    /// Jobs ended, by state: sent, failed, blocked.
    pub sent: AtomicUsize,
    /// Jobs that failed.
    pub failed: AtomicUsize,
    /// Chats found gone.
    pub blocked: AtomicUsize,
    /// Groups that migrated (their job continued under the new id).
    pub migrated: AtomicUsize,
    /// 429 answers received.
    pub rate_limited: AtomicUsize,
    /// Pieces resent as plain text after Telegram refused the HTML.
    pub plain_fallbacks: AtomicUsize,
    /// Notice copies not sent because the notice was recalled.
    pub withdrawn: AtomicUsize,
}

impl Progress {
    /// Jobs ended so far.
    #[must_use]
    pub fn jobs_done(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
            + self.failed.load(Ordering::Relaxed)
            + self.blocked.load(Ordering::Relaxed)
            + self.withdrawn.load(Ordering::Relaxed)
    }

    pub(super) fn count(&self, state: DeliveryState) {
        let counter = match state {
            DeliveryState::Sent => &self.sent,
            DeliveryState::Blocked => &self.blocked,
            DeliveryState::Withdrawn => &self.withdrawn,
            _ => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// What a drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Jobs delivered completely.
    pub sent: usize,
    /// Jobs given up.
    pub failed: usize,
    /// Chats found gone.
    pub blocked: usize,
    /// Groups moved to a supergroup.
    pub migrated: usize,
    /// Messages delivered.
    pub messages: usize,
    /// 429 answers.
    pub rate_limited: usize,
    /// Jobs still in the outbox (stopped early).
    pub pending: usize,
}

impl std::fmt::Display for DrainReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sent: {} · failed: {} · blocked: {} · migrated: {} · pending: {} · messages: {} · 429s: {}",
            self.sent,
            self.failed,
            self.blocked,
            self.migrated,
            self.pending,
            self.messages,
            self.rate_limited
        )
    }
}
