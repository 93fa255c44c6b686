//! The clock-driven job of `serve`, run by tokio-cron-scheduler: the tick every minute (in
//! UTC, so no job is fixed to a zone's offset), which starts each edition's daily build once
//! its build time has passed in its zone (decided by the pure schedule, across
//! daylight-saving changes), puts whoever is due in the outbox (every edition they follow),
//! wakes the delivery worker, and starts the day's prune. The tick is one call into [`DailyJobs`], which tests can call
//! directly; the work it starts is tracked, so shutdown can wait for it.

use std::sync::Arc;

use tokio::sync::Notify;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::delivery::{DeliverySettings, PlanReport, enqueue_due};
use crate::app::served_edition::ServedEditions;
use crate::core::retention::Retention;
use crate::core::schedule::build_due;
use crate::edge::clock::Clock;
use crate::edge::store::Store;

/// What the scheduled jobs share.
pub struct DailyJobs {
    /// The database.
    pub store: Store,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
    /// The editions served, the default first, each with its daily build, and which
    /// edition a subscriber's follows name.
    pub editions: ServedEditions,
    /// Delivery settings (catch-up window).
    pub settings: DeliverySettings,
    /// Wakes the delivery worker.
    pub wake: Arc<Notify>,
    /// Runs after a digest was built (the worker forgets cached renderings).
    pub on_built: Arc<dyn Fn() + Send + Sync>,
    /// Stops build retries and the prune at shutdown.
    pub cancel: CancellationToken,
    /// The builds and prunes the tick started; shutdown closes and waits for them.
    pub tasks: TaskTracker,
    /// How long records are kept (the tick prunes once a day).
    pub retention: Retention,
    pruning: tokio::sync::Mutex<()>,
    /// One planning pass at a time (the tick's and a finished build's).
    planning: Arc<std::sync::Mutex<()>>,
    ticking: tokio::sync::Mutex<()>,
    /// When the last tick started (Unix seconds; 0 before the first).
    last_tick: std::sync::atomic::AtomicI64,
}

impl DailyJobs {
    /// The jobs' shared state.
    #[must_use]
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        editions: ServedEditions,
        settings: DeliverySettings,
        wake: Arc<Notify>,
        on_built: Arc<dyn Fn() + Send + Sync>,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            store,
            clock,
            editions,
            settings,
            wake,
            on_built,
            cancel,
            tasks: TaskTracker::new(),
            retention: Retention::default(),
            pruning: tokio::sync::Mutex::new(()),
            planning: Arc::new(std::sync::Mutex::new(())),
            ticking: tokio::sync::Mutex::new(()),
            last_tick: std::sync::atomic::AtomicI64::new(0),
        }
    }

    /// Keeps records for `retention` (default: [`Retention::default`]).
    #[must_use]
    pub fn with_retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// When the delivery tick last ran, by the service's clock.
    #[must_use]
    pub fn last_tick(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let at = self.last_tick.load(std::sync::atomic::Ordering::Relaxed);
        (at != 0)
            .then(|| chrono::DateTime::from_timestamp(at, 0))
            .flatten()
    }

    /// The daily build of edition `at` (its place in [`Self::editions`]): makes sure its
    /// digest of today exists (retrying while it cannot be built), then plans deliveries
    /// that were waiting for it.
    pub async fn build(self: Arc<Self>, at: usize) {
        let Some(edition) = self.editions.list.get(at) else {
            return;
        };
        let on_built = Arc::clone(&self.on_built);
        edition
            .builder
            .ensure_today(&edition.store, self.clock.as_ref(), &self.cancel, || {
                on_built()
            })
            .await;
        self.plan().await;
    }

    /// The zone of the default edition, which decides the day of the prune.
    fn home_zone(&self) -> chrono_tz::Tz {
        self.editions
            .default_edition()
            .map_or(chrono_tz::Tz::UTC, |e| e.builder.timezone())
    }

    /// The delivery tick: starts the build if today's digest is missing and its time has
    /// passed (at its time, at start, or after a failed day), puts everyone due in the outbox
    /// and wakes the worker, then starts the day's prune if it has not run. A tick that finds
    /// the previous one still running does nothing.
    pub async fn tick(self: Arc<Self>) -> Option<PlanReport> {
        let Ok(_guard) = self.ticking.try_lock() else {
            tracing::debug!("previous delivery tick still running");
            return None;
        };
        let now = self.clock.now();
        self.last_tick
            .store(now.timestamp(), std::sync::atomic::Ordering::Relaxed);
        for (at, edition) in self.editions.list.iter().enumerate() {
            let builder = &edition.builder;
            let due = build_due(
                now,
                builder.build_at(),
                builder.timezone(),
                |today| match edition.store.digest(today) {
                    Ok(digest) => digest.is_some(),
                    Err(e) => {
                        tracing::error!(edition = %edition.id, error.message = %e, error.cause_chain = ?e, "could not read today's digest; not building over it");
                        true
                    }
                },
            );
            // A builder runs one build at a time: a tick during a build's retries adds none.
            if due.is_some() {
                self.tasks.spawn(Arc::clone(&self).build(at));
            }
        }
        let report = self.plan().await;
        let today = self.clock.today_in(self.home_zone());
        // An unreadable last-prune day prunes anyway; the prune logs why.
        let prune_due = self
            .store
            .last_prune()
            .map_or(true, |last| Retention::prune_due(last, today));
        if prune_due && !self.cancel.is_cancelled() {
            let jobs = Arc::clone(&self);
            self.tasks.spawn(async move {
                let Ok(_pruning) = jobs.pruning.try_lock() else {
                    return;
                };
                crate::app::retention::prune_if_due(
                    &jobs.store,
                    jobs.retention,
                    today,
                    now,
                    &jobs.cancel,
                )
                .await;
            });
        }
        report
    }

    /// Puts everyone due in the outbox (on a blocking thread: it reads every subscriber) and
    /// wakes the worker.
    async fn plan(&self) -> Option<PlanReport> {
        let now = self.clock.now();
        let store = self.store.clone();
        let settings = self.settings;
        let routes = self.editions.routes.clone();
        let planning = Arc::clone(&self.planning);
        let planned = tokio::task::spawn_blocking(move || {
            let _one_at_a_time = planning
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            enqueue_due(&store, &routes, now, &settings, false)
        })
        .await;
        match planned {
            Ok(Ok((report, _))) => {
                if report.queued > 0 {
                    self.wake.notify_one();
                }
                Some(report)
            }
            Ok(Err(e)) => {
                tracing::error!(error.message = %e, "delivery tick failed");
                None
            }
            Err(e) => {
                tracing::error!(error.message = %e, "delivery tick crashed");
                None
            }
        }
    }
}

/// How often the delivery tick runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TickEvery {
    /// At second 0 of every minute: production.
    #[default]
    Minute,
    /// Every second: the demo, whose clock jumps forward.
    Second,
}

impl TickEvery {
    fn cron(self) -> &'static str {
        match self {
            Self::Minute => "0 * * * * *",
            Self::Second => "* * * * * *",
        }
    }
}

/// Starts the scheduler with the tick (which starts the daily build at its time).
///
/// # Errors
/// [`JobSchedulerError`] if the scheduler cannot start.
pub async fn start_scheduler(
    jobs: Arc<DailyJobs>,
    every: TickEvery,
) -> Result<JobScheduler, JobSchedulerError> {
    let scheduler = JobScheduler::new().await?;
    let for_tick = Arc::clone(&jobs);
    scheduler
        .add(Job::new_async(every.cron(), move |_, _| {
            let jobs = Arc::clone(&for_tick);
            Box::pin(async move {
                jobs.tick().await;
            })
        })?)
        .await?;
    scheduler.start().await?;
    for edition in &jobs.editions.list {
        tracing::info!(edition = %edition.id, build_at = %edition.builder.build_at(), tz = %edition.builder.timezone(), "daily build scheduled");
    }
    tracing::info!(tick = ?every, editions = jobs.editions.list.len(), "scheduler started: the tick builds, plans and prunes");
    Ok(scheduler)
}
