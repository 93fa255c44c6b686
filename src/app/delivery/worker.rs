//! The delivery worker: drains the outbox, many jobs at once, each sending one chat's pieces
//! in order through the [`Pacer`] and a [`Notifier`], recording every piece's message id in
//! the ledger, and acting on Telegram's answers: 429 holds everyone back and retries, a gone
//! chat marks the subscriber blocked, a migrated group moves with its settings, bad markup is
//! resent as plain text, transient failures retry with exponential backoff a bounded number
//! of times. Progress is group-committed to disk every `commit_every`.

use crate::core::retry::Backoff;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::DeliverySettings;
use super::notice_gate::NoticeGate;
use super::progress::{DrainReport, Progress};
use crate::app::leadership::LeaderState;
use crate::core::digest::{Digest, Lang, Section};
use crate::core::edition_id::EditionId;
use crate::core::ledger::DeliveryState;
use crate::edge::clock::Clock;
use crate::edge::notifier::Notifier;
use crate::edge::store::{OUTBOX_CLAIM_SECS, Store, StoreError};
use crate::edge::telegram::pacing::{PaceLimits, Pacer};

/// How long a stopping worker waits for jobs to finish the piece they are sending.
const DRAIN_GRACE: Duration = Duration::from_secs(20);

/// A rendering of one edition's digest of one day, for one language and set of sections.
pub(super) type RenderKey = (Option<EditionId>, NaiveDate, Lang, Vec<Section>);
/// One edition's digest of one day.
pub(super) type DigestKey = (Option<EditionId>, NaiveDate);

/// What a job sends: a digest's pieces, or one copy of a notice (read under the
/// [`NoticeGate`] just before it is sent, so a recall or correction is never missed).
/// A digest rendered for one (edition, day, language, sections): its messages, and the
/// full-story buttons that go under the last one.
pub(super) struct RenderedDigest {
    pub(super) pieces: Vec<String>,
    pub(super) buttons: Vec<(String, String)>,
}

pub(super) enum Pieces {
    Digest(Arc<RenderedDigest>),
    Notice { number: u64, lang: Lang },
}

impl Pieces {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Digest(rendered) => rendered.pieces.len(),
            Self::Notice { .. } => 1,
        }
    }
}

/// The gate's hold for the copy being sent, kept until its record is written.
pub(super) type Hold = Option<tokio::sync::OwnedRwLockReadGuard<()>>;

pub(super) struct Inner<N> {
    pub(super) store: Store,
    pub(super) notifier: N,
    pub(super) settings: DeliverySettings,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) pacer: Arc<Pacer>,
    pub(super) gate: NoticeGate,
    pub(super) progress: Arc<Progress>,
    pub(super) wake: Arc<Notify>,
    pub(super) digests: Mutex<HashMap<DigestKey, Option<Arc<Digest>>>>,
    pub(super) renders: Mutex<HashMap<RenderKey, Arc<RenderedDigest>>>,
    /// The leader's lease this worker sends under, on a shared store (see
    /// [`DeliveryWorker::send_under`]).
    pub(super) lease: std::sync::OnceLock<Arc<LeaderState>>,
}

/// Drains the outbox. Cheap to clone; clones share pacing and counters.
pub struct DeliveryWorker<N> {
    pub(super) inner: Arc<Inner<N>>,
}

impl<N> Clone for DeliveryWorker<N> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// How a job ended, or `None` when it stopped early (shutdown) and stays in the outbox.
pub(super) type JobEnd = Result<Option<DeliveryState>, StoreError>;

impl<N: Notifier> DeliveryWorker<N> {
    /// A worker sending through `notifier`.
    pub fn new(
        store: Store,
        notifier: N,
        settings: DeliverySettings,
        clock: Arc<dyn Clock>,
        progress: Arc<Progress>,
    ) -> Self {
        let limits = PaceLimits {
            messages_per_second: settings.rate,
            in_flight: settings.in_flight,
            private_spacing: settings.private_spacing,
            group_spacing: settings.group_spacing,
        };
        Self {
            inner: Arc::new(Inner {
                store,
                notifier,
                settings,
                clock,
                pacer: Arc::new(Pacer::new(limits)),
                gate: NoticeGate::new(),
                progress,
                wake: Arc::new(Notify::new()),
                digests: Mutex::new(HashMap::new()),
                renders: Mutex::new(HashMap::new()),
                lease: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Wakes the worker when new jobs are in the outbox.
    #[must_use]
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.inner.wake)
    }

    /// The pacing every send shares (the newsroom's edits and deletes use it too).
    #[must_use]
    pub fn pacer(&self) -> Arc<Pacer> {
        Arc::clone(&self.inner.pacer)
    }

    /// The gate notice copies are sent through (the newsroom changes notices through it).
    #[must_use]
    pub fn notice_gate(&self) -> NoticeGate {
        self.inner.gate.clone()
    }

    /// The live counters.
    #[must_use]
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.inner.progress)
    }

    /// Sends only while `lease` allows it ([`LeaderState::may_send`]): a job stops before a
    /// piece when the lease has run out, and stays in the outbox for the next leader. Set
    /// once; later calls are ignored.
    pub fn send_under(&self, lease: Arc<LeaderState>) {
        let _ = self.inner.lease.set(lease);
    }

    /// True unless the lease this worker sends under has run out.
    pub(super) fn may_send(&self) -> bool {
        self.inner.lease.get().is_none_or(|lease| lease.may_send())
    }

    /// Forgets cached digests and renderings (after a digest was rebuilt).
    pub fn forget_digests(&self) {
        lock(&self.inner.digests).clear();
        lock(&self.inner.renders).clear();
    }

    /// Runs until `cancel`: jobs then finish the piece in flight and stay in the outbox for
    /// the next start, and progress is flushed.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn run(&self, cancel: CancellationToken) -> Result<DrainReport, StoreError> {
        // A database that keeps failing is tried less and less often, at most a minute apart.
        const RESTART: Backoff =
            Backoff::unbounded(Duration::from_secs(5), Duration::from_secs(60));
        let mut failures = 0u32;
        loop {
            match self.pump(&cancel, false).await {
                Err(e) if !cancel.is_cancelled() => {
                    // The database failed under us; deliveries wait, they are not dropped.
                    failures = failures.saturating_add(1);
                    let wait = RESTART
                        .wait_after(failures)
                        .unwrap_or(Duration::from_secs(60));
                    tracing::error!(error.message = %e, retry_in = ?wait, "delivery worker failed; restarting it");
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = cancel.cancelled() => {}
                    }
                }
                other => return other,
            }
        }
    }

    /// Runs until the outbox is empty.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn drain(&self) -> Result<DrainReport, StoreError> {
        self.pump(&CancellationToken::new(), true).await
    }

    /// Jobs run at once: enough that per-chat spacing never starves the overall rate. A job
    /// with several pieces sends about one a second (the per-chat spacing), so reaching `rate`
    /// messages a second takes about `rate` jobs at once, plus headroom for single-piece jobs.
    fn capacity(&self) -> usize {
        let rate = self.inner.settings.rate as usize;
        (rate + rate / 8 + 64).min(20_000)
    }

    async fn pump(
        &self,
        cancel: &CancellationToken,
        stop_when_empty: bool,
    ) -> Result<DrainReport, StoreError> {
        let inner = &self.inner;
        let committer = spawn_committer(inner.store.clone(), inner.settings.commit_every);
        let capacity = self.capacity();
        let mut running: HashSet<Vec<u8>> = HashSet::new();
        let mut by_task: HashMap<tokio::task::Id, Vec<u8>> = HashMap::new();
        let mut jobs: JoinSet<JobEnd> = JoinSet::new();
        let mut result = Ok(());
        let mut last_forget = tokio::time::Instant::now();
        // Woken for new work (a breaking notice goes ahead of the digest): fill up at once.
        let mut woken = true;
        // When the last look found fewer jobs than it asked for: every job is running, so
        // looking again before something is added (a wake) or a second has passed would only
        // read the running jobs again (with many running, once per job that ends).
        let mut exhausted: Option<tokio::time::Instant> = None;
        while !cancel.is_cancelled() {
            if !self.may_send() {
                // The lease ran out: take no job until it is renewed or the service stops.
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(200)) => {}
                    () = cancel.cancelled() => {}
                }
                continue;
            }
            let may_look = woken
                || jobs.is_empty()
                || exhausted.is_none_or(|at| at.elapsed() >= Duration::from_secs(1));
            if may_look && (running.len() <= capacity / 2 || (woken && running.len() < capacity)) {
                woken = false;
                let wanted = capacity - running.len();
                let fresh = match inner.store.outbox_jobs(wanted, |k| running.contains(k)) {
                    Ok(fresh) => fresh,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                };
                exhausted = (fresh.len() < wanted).then(tokio::time::Instant::now);
                for job in fresh {
                    running.insert(job.key.clone());
                    let key = job.key.clone();
                    let worker = self.clone();
                    let cancel = cancel.clone();
                    let handle = jobs.spawn(async move { worker.run_job(job, &cancel).await });
                    by_task.insert(handle.id(), key);
                }
            }
            if last_forget.elapsed() > Duration::from_secs(60) {
                inner.pacer.forget_idle_chats();
                last_forget = tokio::time::Instant::now();
            }
            if jobs.is_empty() {
                if stop_when_empty {
                    break;
                }
                tokio::select! {
                    () = inner.wake.notified() => woken = true,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    () = cancel.cancelled() => {}
                }
                continue;
            }
            tokio::select! {
                Some(done) = jobs.join_next_with_id() => {
                    self.job_ended(done, &mut running, &mut by_task);
                }
                () = inner.wake.notified() => woken = true,
                () = cancel.cancelled() => {}
            }
        }
        // Let jobs finish the piece they are sending (they stop at the next one), bounded.
        let deadline = tokio::time::Instant::now() + DRAIN_GRACE;
        while !jobs.is_empty() {
            match tokio::time::timeout_at(deadline, jobs.join_next_with_id()).await {
                Ok(Some(done)) => self.job_ended(done, &mut running, &mut by_task),
                Ok(None) => break,
                Err(_) => {
                    tracing::warn!(
                        jobs = jobs.len(),
                        "delivery jobs still sending at shutdown; stopping them"
                    );
                    jobs.abort_all();
                    break;
                }
            }
        }
        committer.abort();
        inner.store.flush().await?;
        result?;
        Ok(self.report())
    }

    fn job_ended(
        &self,
        done: Result<(tokio::task::Id, JobEnd), tokio::task::JoinError>,
        running: &mut HashSet<Vec<u8>>,
        by_task: &mut HashMap<tokio::task::Id, Vec<u8>>,
    ) {
        let (id, end) = match done {
            Ok((id, end)) => (id, end),
            Err(e) => {
                tracing::error!(error.message = %e, "delivery job crashed; it stays in the outbox");
                if let Some(key) = by_task.remove(&e.id()) {
                    running.remove(&key);
                    self.release(&key);
                }
                return;
            }
        };
        let key = by_task.remove(&id);
        if let Some(key) = &key {
            running.remove(key);
        }
        let unfinished = match end {
            Ok(Some(state)) => {
                self.inner.progress.count(state);
                false
            }
            Ok(None) => true,
            // The job stays in the outbox and is tried again at the next refill.
            Err(e) => {
                tracing::error!(error.message = %e, "delivery job could not record its progress");
                true
            }
        };
        if unfinished && let Some(key) = key {
            self.release(&key);
        }
    }

    /// Frees the claim on a job left in the outbox, so it is taken again at once (a claim
    /// that cannot be freed runs out by itself).
    fn release(&self, key: &[u8]) {
        if let Err(e) = self.inner.store.release_job(key) {
            tracing::warn!(error.message = %e, "could not free a delivery job's claim; it runs out by itself");
        }
    }

    fn report(&self) -> DrainReport {
        let p = &self.inner.progress;
        DrainReport {
            sent: p.sent.load(Ordering::Relaxed),
            failed: p.failed.load(Ordering::Relaxed),
            blocked: p.blocked.load(Ordering::Relaxed),
            migrated: p.migrated.load(Ordering::Relaxed),
            messages: p.messages.load(Ordering::Relaxed),
            rate_limited: p.rate_limited.load(Ordering::Relaxed),
            pending: self.inner.store.outbox_len(),
        }
    }
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Group commit: flushes delivery progress to disk every `every` until aborted; and, on
/// PostgreSQL, renews the claims on the running jobs every quarter of their length.
fn spawn_committer(store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let renew_every = Duration::from_secs(u64::from(OUTBOX_CLAIM_SECS / 4));
        let mut renewed = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = store.flush().await {
                tracing::error!(error.message = %e, "could not flush delivery progress");
            }
            if renewed.elapsed() >= renew_every {
                renewed = tokio::time::Instant::now();
                if let Err(e) = store.renew_outbox_claims() {
                    tracing::error!(error.message = %e, "could not renew the claims on running delivery jobs");
                }
            }
        }
    })
}
