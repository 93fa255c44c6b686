//! Pruning old records in small batches: ledger records and stored digests of days before a
//! cutoff, breaking notices (with their copies) confirmed before it and finished, drafts and
//! uploads created before it, and audit entries older than the audit's own cutoff. Each call
//! removes at most a batch, so a day's prune never holds the database for long.

use super::backend::Tree;
use chrono::{DateTime, NaiveDate, Utc};

use super::outbox_keys::{LEDGER, date_key, notice_prefix};
use super::{Store, StoreError};
use crate::core::newsroom::{AuditEntry, Draft, Notice, NoticeState, Upload};

/// What a prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// Ledger records (a chat's delivery of a day).
    pub ledger: usize,
    /// Breaking notices, with their copies.
    pub notices: usize,
    /// Copies of those notices.
    pub copies: usize,
    /// Previews.
    pub drafts: usize,
    /// Uploaded pages.
    pub uploads: usize,
    /// Stored digests.
    pub digests: usize,
    /// Audit entries.
    pub audit: usize,
}

impl PruneReport {
    /// Records removed in all.
    #[must_use]
    pub fn total(&self) -> usize {
        self.ledger
            + self.notices
            + self.copies
            + self.drafts
            + self.uploads
            + self.digests
            + self.audit
    }

    /// Adds `other` to this report.
    pub fn add(&mut self, other: &Self) {
        self.ledger += other.ledger;
        self.notices += other.notices;
        self.copies += other.copies;
        self.drafts += other.drafts;
        self.uploads += other.uploads;
        self.digests += other.digests;
        self.audit += other.audit;
    }
}

impl std::fmt::Display for PruneReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ledger: {} · notices: {} ({} copies) · drafts: {} · uploads: {} · digests: {} · audit: {}",
            self.ledger,
            self.notices,
            self.copies,
            self.drafts,
            self.uploads,
            self.digests,
            self.audit
        )
    }
}

/// Key of the day of the last finished prune in the `meta` tree.
const PRUNED_ON: &[u8] = b"pruned_on";

impl Store {
    /// The day (in the paper's zone) of the last prune that finished.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the record is unreadable.
    pub fn last_prune(&self) -> Result<Option<NaiveDate>, StoreError> {
        self.meta
            .get(PRUNED_ON)?
            .map(|bytes| decode("last prune day", &bytes))
            .transpose()
    }

    /// Records that the prune of `day` finished.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub fn record_prune(&self, day: NaiveDate) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(&day).map_err(|source| StoreError::Encode {
            what: "last prune day",
            source,
        })?;
        self.meta.insert(PRUNED_ON, bytes)?;
        Ok(())
    }

    /// Removes at most `batch` records older than the cutoffs: days before `keep_from` (and
    /// things created before its start), audit entries before `audit_from`. Returns what it
    /// removed; an empty report means nothing older is left.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails or a record cannot be read.
    pub fn prune_batch(
        &self,
        keep_from: NaiveDate,
        audit_from: DateTime<Utc>,
        batch: usize,
    ) -> Result<PruneReport, StoreError> {
        let mut report = PruneReport::default();
        let mut left = batch;
        let views = self.edition_views()?;
        for view in &views {
            if left == 0 {
                break;
            }
            left -= view.prune_ledger_of_this_edition(keep_from, left, &mut report)?;
        }
        let keep_from_instant = keep_from
            .and_hms_opt(0, 0, 0)
            .map_or(audit_from, |t| t.and_utc());
        if left > 0 {
            for entry in &self.notices {
                let (key, bytes) = entry?;
                let notice: Notice = decode("notice", &bytes)?;
                if notice.confirmed_at >= keep_from_instant {
                    break;
                }
                if notice.state != NoticeState::Sent || notice.action.is_some() {
                    continue;
                }
                for copy in self
                    .deliveries
                    .scan_prefix(notice_prefix(notice.number))
                    .keys()
                    .take(left)
                {
                    self.deliveries.remove(copy?)?;
                    report.copies += 1;
                    left -= 1;
                }
                if left == 0 {
                    break;
                }
                self.notices.remove(key)?;
                report.notices += 1;
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        if left > 0 {
            report.drafts = self.prune_tree::<Draft>(&self.drafts, "draft", left, |d| {
                d.created_at < keep_from_instant
            })?;
            left -= report.drafts;
        }
        if left > 0 {
            report.uploads = self.prune_tree::<Upload>(&self.uploads, "upload", left, |u| {
                u.created_at < keep_from_instant
            })?;
            left -= report.uploads;
        }
        let end = keep_from.format("%Y-%m-%d").to_string();
        for view in &views {
            if left == 0 {
                break;
            }
            let digests = &view.space.digests;
            for key in digests.range(..end.as_bytes()).keys().take(left) {
                digests.remove(key?)?;
                report.digests += 1;
                left -= 1;
            }
        }
        if left > 0 {
            // Audit keys grow with time: stop at the first entry young enough to keep.
            for entry in self.audit.iter().take(left) {
                let (key, bytes) = entry?;
                let entry: AuditEntry = decode("audit entry", &bytes)?;
                if entry.at >= audit_from {
                    break;
                }
                self.audit.remove(key)?;
                report.audit += 1;
            }
        }
        Ok(report)
    }

    /// Removes at most `most` of this edition's ledger records of days before `keep_from`
    /// (a sealed day, dropped whole, counts as one); returns how many of `most` it used.
    fn prune_ledger_of_this_edition(
        &self,
        keep_from: NaiveDate,
        most: usize,
        report: &mut PruneReport,
    ) -> Result<usize, StoreError> {
        let mut used = 0;
        let mut end = vec![LEDGER];
        end.extend_from_slice(&date_key(keep_from));
        let ledger = &self.space.ledger;
        for key in ledger.range(vec![LEDGER]..end).keys().take(most) {
            ledger.remove(key?)?;
            report.ledger += 1;
            used += 1;
        }
        if used < most {
            let (days, records) = self.drop_sealed_before(keep_from, most - used)?;
            report.ledger += records;
            used += days;
        }
        Ok(used)
    }

    fn prune_tree<T: serde::de::DeserializeOwned>(
        &self,
        tree: &Tree,
        what: &'static str,
        most: usize,
        old: impl Fn(&T) -> bool,
    ) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in tree {
            let (key, bytes) = entry?;
            if old(&decode::<T>(what, &bytes)?) {
                tree.remove(key)?;
                removed += 1;
                if removed == most {
                    break;
                }
            }
        }
        Ok(removed)
    }
}

fn decode<T: serde::de::DeserializeOwned>(
    what: &'static str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt { what, source })
}
