//! The clock-driven job of `serve`, run by tokio-cron-scheduler: the tick every minute (in
//! UTC, so no job is fixed to a zone's offset), which starts the daily build once
//! `NEWSBOT_BUILD_AT` has passed in the paper's zone (decided by the pure schedule, across
//! daylight-saving changes), puts whoever is due in the outbox, wakes the delivery worker,
//! and starts the day's prune. The tick is one call into [`DailyJobs`], which tests can call
//! directly; the work it starts is tracked, so shutdown can wait for it.

use std::sync::Arc;

use tokio::sync::Notify;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::delivery::{DeliverySettings, PlanReport, enqueue_due};
use crate::app::digest_job::DigestBuilder;
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
    /// Builds the day's digest.
    pub builder: Arc<DigestBuilder>,
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
        builder: Arc<DigestBuilder>,
        settings: DeliverySettings,
        wake: Arc<Notify>,
        on_built: Arc<dyn Fn() + Send + Sync>,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            store,
            clock,
            builder,
            settings,
            wake,
            on_built,
            cancel,
            tasks: TaskTracker::new(),
            retention: Retention::default(),
            pruning: tokio::sync::Mutex::new(()),
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

    /// The daily build: makes sure today's digest exists (retrying while it cannot be
    /// built), then plans deliveries that were waiting for it.
    pub async fn build(self: Arc<Self>) {
        let on_built = Arc::clone(&self.on_built);
        self.builder
            .ensure_today(&self.store, self.clock.as_ref(), &self.cancel, || {
                on_built()
            })
            .await;
        self.plan().await;
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
        let tz = self.builder.timezone();
        let due = build_due(now, self.builder.build_at(), tz, |today| {
            match self.store.digest(today) {
                Ok(digest) => digest.is_some(),
                Err(e) => {
                    tracing::error!(error.message = %e, error.cause_chain = ?e, "could not read today's digest; not building over it");
                    true
                }
            }
        });
        // The builder runs one build at a time: a tick during a build's retries adds none.
        if due.is_some() {
            self.tasks.spawn(Arc::clone(&self).build());
        }
        let report = self.plan().await;
        let today = self.clock.today_in(tz);
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
        let planned =
            tokio::task::spawn_blocking(move || enqueue_due(&store, now, &settings, false)).await;
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
    tracing::info!(build_at = %jobs.builder.build_at(), tz = %jobs.builder.timezone(), tick = ?every, "scheduler started: the tick builds, plans and prunes");
    Ok(scheduler)
}
