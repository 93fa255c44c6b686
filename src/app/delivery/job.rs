//! One delivery job from start to end: reading its ledger record and subscriber, following
//! a group that moved, deciding what it sends (a digest's pieces, a notice's copy, or nothing
//! and why), sending it, and writing how it ended.

use tokio_util::sync::CancellationToken;

use super::worker::{DeliveryWorker, Hold, JobEnd, Pieces};
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::newsroom::receives_breaking;
use crate::core::subscriber::Status;
use crate::edge::notifier::Notifier;
use crate::edge::store::{JobKind, OutboxJob};

impl<N: Notifier> DeliveryWorker<N> {
    /// Delivers one job; `Ok(None)` when stopped early by `cancel`.
    #[tracing::instrument(skip_all, fields(subscriber = %job.chat, job = ?job.kind))]
    pub(super) async fn run_job(&self, mut job: OutboxJob, cancel: &CancellationToken) -> JobEnd {
        let store = &self.inner.store;
        // The job's edition's ledger (a notice's copies are shared by every view).
        let ledger = store.for_edition(job.edition.as_ref())?;
        let now = self.inner.clock.now();
        // The record and the subscriber, read together (one round trip on PostgreSQL).
        let (existing, mut subscriber) = match job.kind {
            JobKind::Digest(date) => ledger.delivery_and_subscriber(date, job.chat)?,
            JobKind::Notice(n) => (store.notice_copy(n, job.chat)?, store.subscriber(job.chat)?),
        };
        let mut record = existing.unwrap_or_else(|| {
            let mut r =
                DeliveryRecord::new(now.date_naive(), job.chat, DeliveryState::Pending, now, now);
            match job.kind {
                JobKind::Digest(date) => {
                    r.date = date;
                    r.edition.clone_from(&job.edition);
                }
                JobKind::Notice(n) => r.notice = Some(n),
            }
            r
        });
        if record.state == DeliveryState::Migrated
            && let Some(to) = record.migrated_to
        {
            let moved = match job.kind {
                JobKind::Digest(date) => ledger.delivery(date, to)?,
                JobKind::Notice(n) => store.notice_copy(n, to)?,
            };
            if let Some(moved) = moved.filter(|m| !m.state.is_final()) {
                // Interrupted after a migration: carry on in the new chat.
                job.chat = to;
                record = moved;
                subscriber = store.subscriber(to)?;
            }
        }
        if record.state.is_final() {
            // Already ended (a stale outbox entry): just remove it.
            store.finish_delivery(&job, &record)?;
            return Ok(None);
        }
        if record.in_flight > 0 {
            // A crash came between a send and its record: that copy may exist, unreachable.
            tracing::warn!(
                copies = record.in_flight,
                "a send before a crash has no recorded message id"
            );
            record.lost += record.in_flight;
            record.in_flight = 0;
            store.update_delivery(&record)?;
        }
        let pieces = match job.kind {
            JobKind::Digest(date) => {
                let Some(subscriber) = subscriber.filter(|s| s.status == Status::Active) else {
                    return self.finish(
                        &job,
                        record,
                        DeliveryState::Failed,
                        Some("unsubscribed before delivery"),
                    );
                };
                let Some(pieces) = self.pieces(&ledger, date, &subscriber)? else {
                    return self.finish(
                        &job,
                        record,
                        DeliveryState::Failed,
                        Some("no digest for that date"),
                    );
                };
                Pieces::Digest(pieces)
            }
            JobKind::Notice(n) => {
                let Some(subscriber) = subscriber.filter(receives_breaking) else {
                    return self.finish(
                        &job,
                        record,
                        DeliveryState::Failed,
                        Some("no longer takes breaking notices"),
                    );
                };
                if store.notice(n)?.is_none_or(|n| n.recalled) {
                    return self.finish(
                        &job,
                        record,
                        DeliveryState::Withdrawn,
                        Some("recalled before delivery"),
                    );
                }
                Pieces::Notice {
                    number: n,
                    lang: subscriber.lang,
                }
            }
        };
        let mut hold: Hold = None;
        let end = match self
            .send_pieces(&mut job, &mut record, &pieces, &mut hold, cancel)
            .await?
        {
            Some((state, error)) => self.finish(&job, record, state, error.as_deref()),
            None => Ok(None),
        };
        // Only now may a recall or correction look at this copy: its record is final.
        drop(hold);
        end
    }
}
