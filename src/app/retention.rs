//! The daily prune: removes what the retention settings no longer keep, then seals the ledger
//! days that are three days old into compact chunks, in small batches on a blocking thread so
//! that deliveries and chat go on between them, and records the day it finished so that it
//! runs once a day (from the delivery tick, or `newsbot prune`).

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use tokio_util::sync::CancellationToken;

use crate::core::retention::Retention;
use crate::edge::store::{PruneReport, Store, StoreError};

/// Records removed per batch: small enough that one batch holds the database for milliseconds.
pub const PRUNE_BATCH: usize = 2_000;

/// Why a prune stopped.
#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    /// The database failed or a record could not be read.
    #[error("pruning the database")]
    Store(#[from] StoreError),
    /// A batch's blocking task panicked or was cancelled.
    #[error("a prune batch did not finish")]
    Crashed(#[from] tokio::task::JoinError),
}

/// What a prune did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneOutcome {
    /// What was removed.
    pub removed: PruneReport,
    /// Ledger records packed into sealed chunks.
    pub sealed: usize,
    /// Batches run.
    pub batches: usize,
    /// Wall time.
    pub took: Duration,
    /// False when cancelled before it finished (the next day's, or the next start's, prune
    /// goes on where it stopped).
    pub finished: bool,
}

/// Removes everything older than `retention` keeps on `today` (the paper's date) at `now`,
/// batch by batch until nothing older is left or `cancel` fires, then records `today` as
/// pruned.
///
/// # Errors
/// [`PruneError`] when the database fails, a record cannot be read or a batch crashes.
pub async fn prune_old_records(
    store: &Store,
    retention: Retention,
    today: NaiveDate,
    now: DateTime<Utc>,
    cancel: &CancellationToken,
) -> Result<PruneOutcome, PruneError> {
    let cut = retention.cutoffs(today, now);
    let started = Instant::now();
    let mut outcome = PruneOutcome {
        removed: PruneReport::default(),
        sealed: 0,
        batches: 0,
        took: Duration::ZERO,
        finished: false,
    };
    while !cancel.is_cancelled() {
        let removed = on_blocking_thread(store, move |store| {
            store.prune_batch(cut.keep_from, cut.audit_from, PRUNE_BATCH)
        })
        .await?;
        outcome.batches += 1;
        outcome.removed.add(&removed);
        if removed.total() == 0 {
            break;
        }
        // Let the worker and the chat have the database between batches.
        tokio::task::yield_now().await;
    }
    // Days the planner and the worker no longer touch (today and yesterday in any zone).
    let seal_before = today - chrono::Duration::days(2);
    while !cancel.is_cancelled() {
        let sealed = on_blocking_thread(store, move |store| {
            store.seal_batch(cut.keep_from, seal_before, PRUNE_BATCH)
        })
        .await?;
        outcome.batches += 1;
        outcome.sealed += sealed.sealed;
        if sealed.sealed == 0 {
            store.record_prune(today)?;
            outcome.finished = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    outcome.took = started.elapsed();
    // The batches freed far more than the day holds: give those pages back.
    crate::edge::heap::release_free_pages();
    Ok(outcome)
}

/// Runs one batch on a blocking thread.
async fn on_blocking_thread<T: Send + 'static>(
    store: &Store,
    batch: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, PruneError> {
    let store = store.clone();
    Ok(tokio::task::spawn_blocking(move || batch(&store)).await??)
}

/// The prune run from the delivery tick: once a day, logged, errors logged with their cause.
pub async fn prune_if_due(
    store: &Store,
    retention: Retention,
    today: NaiveDate,
    now: DateTime<Utc>,
    cancel: &CancellationToken,
) {
    match store.last_prune() {
        Ok(last) if !Retention::prune_due(last, today) => return,
        Ok(_) => {}
        Err(e) => {
            tracing::error!(error.message = %e, error.cause_chain = ?e, "could not read the last prune day; pruning anyway");
        }
    }
    match prune_old_records(store, retention, today, now, cancel).await {
        Ok(outcome) if outcome.finished => tracing::info!(
            removed = %outcome.removed,
            sealed = outcome.sealed,
            batches = outcome.batches,
            took_ms = outcome.took.as_millis(),
            "pruned records older than the retention"
        ),
        Ok(outcome) => tracing::info!(
            removed = %outcome.removed,
            "prune stopped at shutdown; it goes on at the next tick"
        ),
        Err(e) => {
            tracing::error!(error.message = %e, error.cause_chain = ?e, "prune failed; retried at the next tick");
        }
    }
}
