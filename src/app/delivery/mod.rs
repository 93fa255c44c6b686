//! Use case "deliver the day's digest": decide who is due (the pure
//! [`crate::core::schedule::decide`]), put them in the outbox and ledger, and drain the outbox
//! through a [`Notifier`] with pacing and Telegram's answers handled ([`worker`]). `serve`
//! calls [`enqueue_due`] every minute and runs the worker; `newsbot deliver` does both once.

mod job;
pub mod notice_gate;
pub mod planner;
pub mod progress;
pub mod send_pieces;
pub mod worker;

use crate::core::retry::Backoff;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::schedule::{ScheduleRules, due_instant};
use crate::core::subscriber::{DeliveryTime, Status, Subscriber};
use crate::edge::clock::Clock;
use crate::edge::notifier::Notifier;
use crate::edge::store::{Priority, Store, StoreError};

use planner::LedgerViews;
pub use planner::enqueue_due;
pub use progress::{DrainReport, Progress};
pub use worker::DeliveryWorker;

/// How deliveries are made.
#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// `NEWSBOT_CATCH_UP_HOURS`: how late a delivery may still be made.
    pub catch_up: chrono::Duration,
    /// `NEWSBOT_BROADCAST_RATE`: messages a second for the whole bot.
    pub rate: u32,
    /// `NEWSBOT_SEND_CONCURRENCY`: requests in flight at once.
    pub in_flight: usize,
    /// Transient failures (5xx, timeouts, network) retried per message before the job fails.
    pub max_retries: u32,
    /// First backoff after a transient failure; doubles each time.
    pub backoff: Duration,
    /// How often delivery progress is flushed to disk (group commit).
    pub commit_every: Duration,
    /// Spacing of messages into one private chat.
    pub private_spacing: Duration,
    /// Spacing of messages into one group.
    pub group_spacing: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            catch_up: chrono::Duration::hours(6),
            rate: 29,
            in_flight: 8,
            max_retries: 4,
            backoff: Duration::from_millis(500),
            commit_every: Duration::from_millis(100),
            private_spacing: crate::edge::telegram::pacing::PRIVATE_CHAT_SPACING,
            group_spacing: crate::edge::telegram::pacing::GROUP_CHAT_SPACING,
        }
    }
}

impl DeliverySettings {
    /// How transient failures of one message are retried: from `backoff`, doubling (at most
    /// five minutes apart), `max_retries` times.
    #[must_use]
    pub fn retry_policy(&self) -> Backoff {
        Backoff::bounded(self.backoff, Duration::from_secs(5 * 60), self.max_retries)
    }

    /// The schedule rules these settings imply.
    #[must_use]
    pub fn rules(&self) -> ScheduleRules {
        ScheduleRules {
            catch_up: self.catch_up,
        }
    }
}

/// What one planning pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanReport {
    /// Deliveries put in the outbox.
    pub queued: usize,
    /// Deliveries recorded as missed (past the catch-up window).
    pub missed: usize,
    /// Subscribers looked at.
    pub subscribers: usize,
    /// Subscribers whose record could not be read (skipped, logged).
    pub unreadable: usize,
}

/// One delivery a plan would make, for `--dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDelivery {
    /// The subscriber as stored.
    pub subscriber: Subscriber,
    /// The edition whose digest it is.
    pub edition: EditionId,
    /// The digest's date.
    pub date: NaiveDate,
    /// Deliver, or record as missed.
    pub missed: bool,
}

/// Plans a re-run of `date`: for every edition each active subscriber follows among
/// `routes`, whose time on `date` has passed by `now` (and who was subscribed and not
/// paused then) and whose delivery is not in the ledger, failed or missed gets a job. Sent,
/// blocked, migrated and pending ones are left alone. Returns the planned deliveries;
/// writes nothing when `dry_run`.
///
/// # Errors
/// [`StoreError`] when the database fails.
pub fn enqueue_rerun(
    store: &Store,
    routes: &EditionRoutes,
    date: NaiveDate,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<(PlanReport, Vec<PlannedDelivery>), StoreError> {
    let mut report = PlanReport::default();
    let mut planned = Vec::new();
    let mut views = LedgerViews::new(store);
    for subscriber in store.subscribers_iter() {
        let Ok(subscriber) = subscriber else {
            report.unreadable += 1;
            continue;
        };
        report.subscribers += 1;
        for followed in routes.followed(&subscriber) {
            let Some(due_at) = rerun_due_at(&subscriber, followed.delivery, date, now) else {
                continue;
            };
            let view = views.of(followed.ledger.as_ref())?;
            let existing = view.delivery(date, subscriber.id)?;
            let rerun = match &existing {
                None => true,
                Some(r) => matches!(r.state, DeliveryState::Failed | DeliveryState::Missed),
            };
            if !rerun {
                continue;
            }
            if !dry_run {
                let mut record =
                    DeliveryRecord::new(date, subscriber.id, DeliveryState::Pending, due_at, now);
                record.edition.clone_from(&followed.ledger);
                if let Some(old) = existing {
                    // Pieces a failed job already delivered are not sent again.
                    record.message_ids = old.message_ids;
                }
                view.requeue_delivery(&record, Priority::Digest)?;
                report.queued += 1;
            }
            planned.push(PlannedDelivery {
                subscriber: subscriber.clone(),
                edition: followed.edition,
                date,
                missed: false,
            });
        }
    }
    Ok((report, planned))
}

fn rerun_due_at(
    s: &Subscriber,
    delivery: DeliveryTime,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if s.status != Status::Active {
        return None;
    }
    let due_at = due_instant(date, delivery, s.tz.tz())?;
    (due_at <= now && due_at >= s.created_at && !s.is_paused(due_at)).then_some(due_at)
}

/// Runs one delivery pass to the end: plans (`date` given: a re-run of that date; else who is
/// due now) and drains the outbox through `notifier`. Used by `newsbot deliver` and tests.
///
/// # Errors
/// [`StoreError`] when the database fails.
pub async fn deliver_once<N: Notifier>(
    store: &Store,
    routes: &EditionRoutes,
    notifier: N,
    clock: std::sync::Arc<dyn Clock>,
    settings: &DeliverySettings,
    date: Option<NaiveDate>,
    progress: std::sync::Arc<Progress>,
) -> Result<(PlanReport, DrainReport), StoreError> {
    let now = clock.now();
    let (plan, _) = match date {
        Some(date) => enqueue_rerun(store, routes, date, now, false)?,
        None => enqueue_due(store, routes, now, settings, false)?,
    };
    let worker = DeliveryWorker::new(store.clone(), notifier, *settings, clock, progress);
    let drained = worker.drain().await?;
    Ok((plan, drained))
}
