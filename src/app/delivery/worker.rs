//! The delivery worker: drains the outbox, many jobs at once, each sending one chat's pieces
//! in order through the [`Pacer`] and a [`Notifier`], recording every piece's message id in
//! the ledger, and acting on Telegram's answers: 429 holds everyone back and retries, a gone
//! chat marks the subscriber blocked, a migrated group moves with its settings, bad markup is
//! resent as plain text, transient failures retry with exponential backoff a bounded number
//! of times. Progress is group-committed to disk every `commit_every`.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::DeliverySettings;
use super::notice_gate::NoticeGate;
use crate::core::digest::{Digest, Lang, RenderOptions, Section, plain_text, render_telegram_html};
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::newsroom::{receives_breaking, render_notice};
use crate::core::subscriber::{Status, Subscriber};
use crate::edge::clock::Clock;
use crate::edge::notifier::{Notifier, SendError};
use crate::edge::store::{JobKind, OutboxJob, Store, StoreError};
use crate::edge::telegram::pacing::{PaceLimits, Pacer};

/// 429 answers tolerated for one job before it is recorded failed (each one already waited
/// out its `retry_after`).
const MAX_RATE_LIMITED: u32 = 50;
/// How long a stopping worker waits for jobs to finish the piece they are sending.
const DRAIN_GRACE: Duration = Duration::from_secs(20);

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

    fn count(&self, state: DeliveryState) {
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

type RenderKey = (NaiveDate, Lang, Vec<Section>);

/// What a job sends: a digest's pieces, or one copy of a notice (read under the
/// [`NoticeGate`] just before it is sent, so a recall or correction is never missed).
enum Pieces {
    Digest(Arc<Vec<String>>),
    Notice { number: u64, lang: Lang },
}

impl Pieces {
    fn len(&self) -> usize {
        match self {
            Self::Digest(pieces) => pieces.len(),
            Self::Notice { .. } => 1,
        }
    }
}

/// The gate's hold for the copy being sent, kept until its record is written.
type Hold = Option<tokio::sync::OwnedRwLockReadGuard<()>>;

struct Inner<N> {
    store: Store,
    notifier: N,
    settings: DeliverySettings,
    clock: Arc<dyn Clock>,
    pacer: Arc<Pacer>,
    gate: NoticeGate,
    progress: Arc<Progress>,
    wake: Arc<Notify>,
    digests: Mutex<HashMap<NaiveDate, Option<Arc<Digest>>>>,
    renders: Mutex<HashMap<RenderKey, Arc<Vec<String>>>>,
}

/// Drains the outbox. Cheap to clone; clones share pacing and counters.
pub struct DeliveryWorker<N> {
    inner: Arc<Inner<N>>,
}

impl<N> Clone for DeliveryWorker<N> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// How a job ended, or `None` when it stopped early (shutdown) and stays in the outbox.
type JobEnd = Result<Option<DeliveryState>, StoreError>;

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
        loop {
            match self.pump(&cancel, false).await {
                Err(e) if !cancel.is_cancelled() => {
                    // The database failed under us; deliveries wait, they are not dropped.
                    tracing::error!(error.message = %e, "delivery worker failed; restarting it in 5 s");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(5)) => {}
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
        while !cancel.is_cancelled() {
            if running.len() <= capacity / 2 || (woken && running.len() < capacity) {
                woken = false;
                let fresh = match inner
                    .store
                    .outbox_jobs(capacity - running.len(), |k| running.contains(k))
                {
                    Ok(fresh) => fresh,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                };
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
                }
                return;
            }
        };
        if let Some(key) = by_task.remove(&id) {
            running.remove(&key);
        }
        match end {
            Ok(Some(state)) => self.inner.progress.count(state),
            Ok(None) => {}
            // The job stays in the outbox and is tried again at the next refill.
            Err(e) => {
                tracing::error!(error.message = %e, "delivery job could not record its progress")
            }
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

    /// Delivers one job; `Ok(None)` when stopped early by `cancel`.
    #[tracing::instrument(skip_all, fields(subscriber = %job.chat, job = ?job.kind))]
    async fn run_job(&self, mut job: OutboxJob, cancel: &CancellationToken) -> JobEnd {
        let store = &self.inner.store;
        let now = self.inner.clock.now();
        let existing = match job.kind {
            JobKind::Digest(date) => store.delivery(date, job.chat)?,
            JobKind::Notice(n) => store.notice_copy(n, job.chat)?,
        };
        let mut record = existing.unwrap_or_else(|| {
            let mut r =
                DeliveryRecord::new(now.date_naive(), job.chat, DeliveryState::Pending, now, now);
            match job.kind {
                JobKind::Digest(date) => r.date = date,
                JobKind::Notice(n) => r.notice = Some(n),
            }
            r
        });
        if record.state == DeliveryState::Migrated
            && let Some(to) = record.migrated_to
        {
            let moved = match job.kind {
                JobKind::Digest(date) => store.delivery(date, to)?,
                JobKind::Notice(n) => store.notice_copy(n, to)?,
            };
            if let Some(moved) = moved.filter(|m| !m.state.is_final()) {
                // Interrupted after a migration: carry on in the new chat.
                job.chat = to;
                record = moved;
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
        let subscriber = store.subscriber(job.chat)?;
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
                let Some(pieces) = self.pieces(date, &subscriber)? else {
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

    /// Sends the pieces not yet recorded, in order, acting on Telegram's answers. Returns the
    /// job's final state (with the reason for a failure), or `None` when stopped by `cancel`.
    async fn send_pieces(
        &self,
        job: &mut OutboxJob,
        record: &mut DeliveryRecord,
        pieces: &Pieces,
        hold: &mut Hold,
        cancel: &CancellationToken,
    ) -> Result<Option<(DeliveryState, Option<String>)>, StoreError> {
        let inner = &self.inner;
        let mut plain = false;
        let mut rate_limited = 0;
        // This job's own spacing, measured from the answer to its previous request, so a long
        // wait for an overall slot can never squeeze two pieces into one chat's second.
        let mut last_answer: Option<tokio::time::Instant> = None;
        while record.message_ids.len() < pieces.len() {
            *hold = None;
            if let Some(last) = last_answer {
                let spacing = if job.chat.0 < 0 {
                    inner.settings.group_spacing
                } else {
                    inner.settings.private_spacing
                };
                tokio::select! {
                    () = tokio::time::sleep_until(last + spacing) => {}
                    () = cancel.cancelled() => return Ok(None),
                }
            }
            let permit = tokio::select! {
                permit = inner.pacer.ready(job.chat) => permit,
                () = cancel.cancelled() => return Ok(None),
            };
            let piece = match pieces {
                Pieces::Digest(all) => all[record.message_ids.len()].clone(),
                Pieces::Notice { number, lang } => {
                    *hold = Some(inner.gate.sending().await);
                    let Some(notice) = inner.store.notice(*number)?.filter(|n| !n.recalled) else {
                        return Ok(Some((
                            DeliveryState::Withdrawn,
                            Some("recalled before delivery".to_owned()),
                        )));
                    };
                    // On disk before the send: after a crash, this copy is known to be lost.
                    record.in_flight = 1;
                    record.handled = notice.actions;
                    inner.store.update_delivery(record)?;
                    inner.store.flush().await?;
                    render_notice(notice.current_text(), *lang, notice.corrected.is_some())
                }
            };
            let sent = if plain {
                inner
                    .notifier
                    .send_plain(job.chat, &plain_text(&piece))
                    .await
            } else {
                inner.notifier.send_html(job.chat, &piece).await
            };
            drop(permit);
            if record.in_flight > 0 {
                record.in_flight = 0;
                if sent.is_err() {
                    inner.store.update_delivery(record)?;
                }
            }
            last_answer = Some(tokio::time::Instant::now());
            record_send_metrics(job, &sent);
            match sent {
                Ok(message_id) => {
                    record.message_ids.push(message_id);
                    record.updated_at = inner.clock.now();
                    plain = false;
                    inner.progress.messages.fetch_add(1, Ordering::Relaxed);
                    if record.message_ids.len() < pieces.len() {
                        inner.store.update_delivery(record)?;
                    }
                }
                Err(SendError::RetryAfter(wait)) => {
                    inner.pacer.hold_off(wait);
                    inner.progress.rate_limited.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(retry_after = ?wait, "rate limited by Telegram; holding every send back");
                    rate_limited += 1;
                    if rate_limited > MAX_RATE_LIMITED {
                        return Ok(Some((
                            DeliveryState::Failed,
                            Some("rate limited too often".to_owned()),
                        )));
                    }
                }
                Err(SendError::Migrated(to)) => {
                    let mut old = record.clone();
                    old.state = DeliveryState::Migrated;
                    old.migrated_to = Some(to);
                    old.updated_at = inner.clock.now();
                    *job = inner.store.migrate_delivery(job, &old, to, record)?;
                    record.chat = to;
                    inner.progress.migrated.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(to = %to, "group became a supergroup; delivering there");
                }
                Err(SendError::ChatGone(why)) => {
                    tracing::info!(reason = %why, "chat gone; subscriber marked blocked");
                    return Ok(Some((DeliveryState::Blocked, Some(why))));
                }
                Err(SendError::BadMarkup(why)) if !plain => {
                    tracing::warn!(reason = %why, piece = record.message_ids.len(), "Telegram refused the HTML; resending as plain text");
                    inner
                        .progress
                        .plain_fallbacks
                        .fetch_add(1, Ordering::Relaxed);
                    plain = true;
                }
                Err(SendError::Transient(why)) => {
                    record.attempts += 1;
                    if record.attempts > inner.settings.max_retries {
                        tracing::warn!(reason = %why, attempts = record.attempts, "giving up after transient failures");
                        return Ok(Some((DeliveryState::Failed, Some(why))));
                    }
                    let wait = inner.settings.backoff * 2u32.saturating_pow(record.attempts - 1);
                    tracing::debug!(reason = %why, ?wait, "transient failure; retrying");
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = cancel.cancelled() => {
                            inner.store.update_delivery(record)?;
                            return Ok(None);
                        }
                    }
                }
                Err(
                    e @ (SendError::BadMarkup(_)
                    | SendError::Refused(_)
                    | SendError::MessageGone(_)
                    | SendError::MessageMissing(_)),
                ) => {
                    tracing::warn!(error.message = %e, "message refused; delivery failed");
                    return Ok(Some((DeliveryState::Failed, Some(e.to_string()))));
                }
            }
        }
        Ok(Some((DeliveryState::Sent, None)))
    }

    fn finish(
        &self,
        job: &OutboxJob,
        mut record: DeliveryRecord,
        state: DeliveryState,
        error: Option<&str>,
    ) -> JobEnd {
        if state == DeliveryState::Sent {
            let lag = (self.inner.clock.now() - record.due_at)
                .num_milliseconds()
                .max(0);
            metrics::histogram!(crate::edge::metrics::DELIVERY_LAG).record(lag as f64 / 1000.0);
        }
        record.state = state;
        record.error = error.map(str::to_owned);
        record.updated_at = self.inner.clock.now();
        self.inner.store.finish_delivery(job, &record)?;
        Ok(Some(state))
    }

    /// The subscriber's pieces of `date`'s digest, rendered once per (date, language,
    /// sections) and shared.
    fn pieces(
        &self,
        date: NaiveDate,
        subscriber: &Subscriber,
    ) -> Result<Option<Arc<Vec<String>>>, StoreError> {
        let key: RenderKey = (date, subscriber.lang, subscriber.sections());
        if let Some(pieces) = lock(&self.inner.renders).get(&key) {
            return Ok(Some(Arc::clone(pieces)));
        }
        let cached = lock(&self.inner.digests).get(&date).cloned();
        let digest = match cached {
            Some(digest) => digest,
            None => {
                let digest = self.inner.store.digest(date)?.map(Arc::new);
                if let Some(digest) = &digest {
                    lock(&self.inner.digests).insert(date, Some(Arc::clone(digest)));
                }
                digest
            }
        };
        let Some(digest) = digest else {
            return Ok(None);
        };
        let options = RenderOptions {
            lang: key.1,
            sections: key.2.clone(),
            short_summaries: false,
        };
        let pieces = Arc::new(render_telegram_html(&digest, &options));
        lock(&self.inner.renders).insert(key, Arc::clone(&pieces));
        Ok(Some(pieces))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Group commit: flushes delivery progress to disk every `every` until aborted.
fn spawn_committer(store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = store.flush().await {
                tracing::error!(error.message = %e, "could not flush delivery progress");
            }
        }
    })
}

/// Counts a send's outcome for `/metrics`.
fn record_send_metrics(job: &OutboxJob, sent: &Result<i32, SendError>) {
    match sent {
        Ok(_) => {
            let kind = match job.kind {
                JobKind::Digest(_) => "digest",
                JobKind::Notice(_) => "notice",
            };
            metrics::counter!(crate::edge::metrics::MESSAGES_SENT, "kind" => kind).increment(1);
        }
        Err(e) => {
            metrics::counter!(crate::edge::metrics::SEND_ERRORS, "reason" => e.reason())
                .increment(1);
            if matches!(e, SendError::RetryAfter(_)) {
                metrics::counter!(crate::edge::metrics::RATE_LIMITED).increment(1);
            }
        }
    }
}
