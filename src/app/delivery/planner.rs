//! Planning a pass of deliveries: who is due at `now` for each edition they follow (the pure
//! [`crate::core::schedule::decide_at`]), put in the outbox and the ledger of that edition.
//! Every subscriber is read on each pass (every minute), so decoding the records is spread
//! over the machine's cores: one thread reads them, the others decode and decide, sharing
//! one scan of each (edition, day)'s recorded chats.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};

use super::{DeliverySettings, PlanReport, PlannedDelivery};
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::schedule::{Decision, ScheduleRules, decide_at};
use crate::core::subscriber::Subscriber;
use crate::edge::store::{Priority, Store, StoreError, SubscriberRecord};

/// Subscriber records handed to a deciding thread at a time.
const CHUNK: usize = 512;
/// Most deciding threads.
const MAX_THREADS: usize = 4;
/// Deliveries written in one batch (one round trip on PostgreSQL).
const WRITE_BATCH: usize = 512;

/// A view of the store for each edition's ledger, opened once per pass.
pub(super) struct LedgerViews<'a> {
    store: &'a Store,
    views: HashMap<Option<EditionId>, Store>,
}

impl<'a> LedgerViews<'a> {
    pub(super) fn new(store: &'a Store) -> Self {
        Self {
            store,
            views: HashMap::new(),
        }
    }

    pub(super) fn of(&mut self, ledger: Option<&EditionId>) -> Result<&Store, StoreError> {
        let key = ledger.cloned();
        if !self.views.contains_key(&key) {
            let view = self.store.for_edition(ledger)?;
            self.views.insert(key.clone(), view);
        }
        Ok(&self.views[&key])
    }
}

type DayKey = (Option<EditionId>, NaiveDate);

/// What the deciding threads share: each (edition, day)'s recorded chats (`None`: a sealed
/// day, asked record by record) and whether its digest is ready, read once.
#[derive(Default)]
struct DayFacts {
    recorded: Mutex<HashMap<DayKey, Arc<Option<Vec<i64>>>>>,
    ready: Mutex<HashMap<DayKey, bool>>,
}

impl DayFacts {
    fn recorded(&self, view: &Store, key: &DayKey) -> Result<Arc<Option<Vec<i64>>>, StoreError> {
        let mut map = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = map.get(key) {
            return Ok(Arc::clone(found));
        }
        let chats = Arc::new(view.recorded_chats(key.1)?);
        map.insert(key.clone(), Arc::clone(&chats));
        Ok(chats)
    }

    fn ready(&self, view: &Store, key: &DayKey) -> Result<bool, StoreError> {
        let mut map = self.ready.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&ready) = map.get(key) {
            return Ok(ready);
        }
        let ready = view.digest(key.1)?.is_some();
        map.insert(key.clone(), ready);
        Ok(ready)
    }
}

/// One deciding thread's pass over the records it is given.
struct Pass<'a> {
    views: LedgerViews<'a>,
    facts: &'a DayFacts,
    routes: &'a EditionRoutes,
    rules: ScheduleRules,
    now: DateTime<Utc>,
    dry_run: bool,
    report: PlanReport,
    planned: Vec<PlannedDelivery>,
    /// Deliveries decided and not yet written, by ledger.
    pending: HashMap<Option<EditionId>, Vec<DeliveryRecord>>,
}

impl Pass<'_> {
    fn plan(&mut self, subscriber: &Subscriber) -> Result<(), StoreError> {
        self.report.subscribers += 1;
        let id = subscriber.id;
        for followed in self.routes.followed(subscriber) {
            let view = self.views.of(followed.ledger.as_ref())?;
            // The decision's questions cannot fail inside `decide_at`; a read that fails stops
            // the pass with its cause (the next tick tries again), never guesses an answer.
            let failure = std::cell::RefCell::new(None);
            let keep = |e: StoreError| {
                failure.borrow_mut().get_or_insert(e);
            };
            let decisions = decide_at(
                subscriber,
                followed.delivery,
                self.now,
                &self.rules,
                |date| {
                    let key = (followed.ledger.clone(), date);
                    match self.facts.recorded(view, &key) {
                        Ok(chats) => match chats.as_ref() {
                            Some(chats) => chats.binary_search(&id.0).is_ok(),
                            // A sealed day: asked record by record.
                            None => view.has_delivery(date, id).unwrap_or_else(|e| {
                                keep(e);
                                true
                            }),
                        },
                        Err(e) => {
                            keep(e);
                            true
                        }
                    }
                },
                |date| {
                    self.facts
                        .ready(view, &(followed.ledger.clone(), date))
                        .unwrap_or_else(|e| {
                            keep(e);
                            false
                        })
                },
            );
            if let Some(e) = failure.into_inner() {
                return Err(e);
            }
            for decision in decisions {
                let (date, due_at, state) = match decision {
                    Decision::Deliver { date, due_at } => (date, due_at, DeliveryState::Pending),
                    Decision::Missed { date, due_at } => (date, due_at, DeliveryState::Missed),
                };
                if self.dry_run {
                    self.planned.push(PlannedDelivery {
                        subscriber: subscriber.clone(),
                        edition: followed.edition.clone(),
                        date,
                        missed: state == DeliveryState::Missed,
                    });
                    continue;
                }
                let mut record = DeliveryRecord::new(date, id, state, due_at, self.now);
                record.edition.clone_from(&followed.ledger);
                let pending = self.pending.entry(followed.ledger.clone()).or_default();
                pending.push(record);
                if pending.len() >= WRITE_BATCH {
                    self.write_pending()?;
                }
            }
        }
        Ok(())
    }

    /// Writes the decided deliveries, each edition's in one batch: each only if still absent
    /// (seen absent by the scan), with its job.
    fn write_pending(&mut self) -> Result<(), StoreError> {
        for (ledger, records) in std::mem::take(&mut self.pending) {
            let view = self.views.of(ledger.as_ref())?;
            let added = view.enqueue_unrecorded_deliveries(&records, Priority::Digest)?;
            for (record, added) in records.iter().zip(added) {
                if !added {
                    continue;
                }
                if record.state == DeliveryState::Missed {
                    self.report.missed += 1;
                    tracing::debug!(subscriber = %record.chat, date = %record.date, due_at = %record.due_at, "delivery missed: past the catch-up window");
                } else {
                    self.report.queued += 1;
                }
            }
        }
        Ok(())
    }

    fn plan_records(&mut self, records: &[SubscriberRecord]) -> Result<(), StoreError> {
        for record in records {
            match record.decode() {
                Ok(subscriber) => self.plan(&subscriber)?,
                Err(e) => {
                    self.report.unreadable += 1;
                    tracing::warn!(error.message = %e, "unreadable subscriber skipped");
                }
            }
        }
        self.write_pending()
    }
}

/// Decides who is due at `now`, for each edition each subscriber follows among `routes`,
/// and, unless `dry_run`, puts each due delivery in the outbox (and each missed one in the
/// ledger of its edition). Returns what it did and, for a dry run, the list (in chat order).
///
/// # Errors
/// [`StoreError`] when the database fails; unreadable subscriber records are skipped.
#[tracing::instrument(skip_all, fields(now = %now))]
pub fn enqueue_due(
    store: &Store,
    routes: &EditionRoutes,
    now: DateTime<Utc>,
    settings: &DeliverySettings,
    dry_run: bool,
) -> Result<(PlanReport, Vec<PlannedDelivery>), StoreError> {
    let facts = DayFacts::default();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, MAX_THREADS);
    let new_pass = || Pass {
        views: LedgerViews::new(store),
        facts: &facts,
        routes,
        rules: settings.rules(),
        now,
        dry_run,
        report: PlanReport::default(),
        planned: Vec::new(),
        pending: HashMap::new(),
    };
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<SubscriberRecord>>(threads * 2);
    // Only the deciding threads hold the receiver: when every one of them has stopped (on an
    // error), it is dropped and the reader's next send fails instead of waiting for good.
    let receiver = Arc::new(Mutex::new(receiver));
    let passes: Vec<Result<Pass<'_>, StoreError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                let mut pass = new_pass();
                scope.spawn(move || {
                    loop {
                        let chunk = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        let Ok(chunk) = chunk else { break };
                        pass.plan_records(&chunk)?;
                    }
                    Ok(pass)
                })
            })
            .collect();
        drop(receiver);
        let mut read = Ok(());
        let mut chunk = Vec::with_capacity(CHUNK);
        for record in store.subscriber_records() {
            match record {
                Ok(record) => chunk.push(record),
                Err(e) => {
                    read = Err(e);
                    break;
                }
            }
            if chunk.len() == CHUNK
                && sender
                    .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                    .is_err()
            {
                // Every deciding thread stopped (on an error it returns below).
                break;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send(chunk);
        }
        drop(sender);
        let mut passes: Vec<Result<Pass<'_>, StoreError>> = workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(StoreError::Task("a planning thread panicked".to_owned()))
                })
            })
            .collect();
        if let Err(e) = read {
            passes.push(Err(e));
        }
        passes
    });
    let mut report = PlanReport::default();
    let mut planned = Vec::new();
    for pass in passes {
        let pass = pass?;
        report.queued += pass.report.queued;
        report.missed += pass.report.missed;
        report.subscribers += pass.report.subscribers;
        report.unreadable += pass.report.unreadable;
        planned.extend(pass.planned);
    }
    planned.sort_by_key(|p| p.subscriber.id.0);
    if report.missed > 0 {
        // One line for all of them: a first start after a long stop may miss many.
        tracing::warn!(
            missed = report.missed,
            "deliveries recorded as missed: their time is more than the catch-up window ago (newsbot deliveries lists them)"
        );
    }
    if report.queued > 0 {
        tracing::info!(queued = report.queued, "deliveries planned");
    }
    Ok((report, planned))
}
