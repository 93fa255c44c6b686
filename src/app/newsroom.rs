//! Use case "the newsroom": who is an editor, how many residents a breaking notice reaches,
//! putting a confirmed notice's copies in the outbox ahead of the digest, counting its
//! progress, correcting and recalling delivered copies (paced, bounded retries), and the
//! numbers behind `/stats`. Telegram's side (commands, buttons, progress edits) is
//! `crate::chat::newsroom`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::delivery::notice_gate::NoticeGate;
use crate::core::digest::{Digest, Lang, digest_edition};
use crate::core::document::read_document;
use crate::core::edition::Edition;
use crate::core::edition::{Notice as EditionNotice, NoticeKind};
use crate::core::ledger::{DeliveryRecord, DeliveryState, LedgerCounts};
use crate::core::newsroom::Upload;
use crate::core::newsroom::{Notice, NoticeCounts, NoticeState, receives_breaking, render_notice};
use crate::core::notice_action::{
    ActionKind, ActionReport, NoticeAction, action_report, needs_action, start_action,
};
use crate::core::subscriber::{Status, SubscriberId, Topic};
use crate::core::summary::Summarizer;
use crate::edge::clock::Clock;
use crate::edge::fetch::decode::decode_text;
use crate::edge::notifier::{Notifier, SendError};
use crate::edge::store::{Priority, Store, StoreError};
use crate::edge::telegram::pacing::{PaceLimits, Pacer};

/// Attempts per copy for `/correct` and `/recall` (429s and transient failures).
const MAX_ATTEMPTS: u32 = 6;

/// The newsroom's shared state, injected into the handler tree once.
pub struct Newsroom {
    editors: HashSet<i64>,
    /// The database.
    pub store: Store,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
    /// Wakes the delivery worker when copies are in the outbox.
    pub wake: Arc<Notify>,
    /// The pacing every send shares.
    pub pacer: Arc<Pacer>,
    /// The gate notice copies are sent through.
    gate: NoticeGate,
    /// The newsroom's background work (broadcast followers, recalls, corrections): the
    /// service waits for it at shutdown.
    pub tasks: TaskTracker,
    /// Fires at shutdown: background work stops at its next step (and resumes at start).
    pub stopping: CancellationToken,
    /// Send with `allow_paid_broadcast`.
    pub paid_broadcast: bool,
    /// Runs after the newsroom changed a stored digest (the worker forgets its renderings).
    digest_changed: Arc<dyn Fn() + Send + Sync>,
    /// Largest page an editor may upload, in bytes (`NEWSBOT_MAX_EDITION_BYTES`).
    pub upload_limit: usize,
}

/// Why an uploaded page was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// Larger than the cap.
    #[error("the file has {size} bytes, more than {limit}")]
    TooBig {
        /// Its size.
        size: usize,
        /// The cap.
        limit: usize,
    },
    /// Binary, or not an edition.
    #[error("{0}")]
    Unreadable(String),
}

/// Decodes and parses a page an editor sent (a `.txt` or `.html` file, or pasted text).
///
/// # Errors
/// [`UploadError`] when it is too large, binary or not an edition.
pub fn read_page(bytes: &[u8], limit: usize) -> Result<(String, Edition), UploadError> {
    if bytes.len() > limit {
        return Err(UploadError::TooBig {
            size: bytes.len(),
            limit,
        });
    }
    let decoded = decode_text(bytes, None)
        .ok_or_else(|| UploadError::Unreadable("binary content, not text".to_owned()))?;
    let edition = read_document(&decoded.text, None)
        .map_err(|e| UploadError::Unreadable(crate::core::error_chain::error_chain(&e)))?;
    Ok((decoded.text, edition))
}

/// The figures behind `/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Active and not paused.
    pub active: usize,
    /// Active but paused.
    pub paused: usize,
    /// Stopped.
    pub stopped: usize,
    /// Blocked.
    pub blocked: usize,
    /// By language: Chinese, English.
    pub zh: usize,
    /// English.
    pub en: usize,
    /// Subscribers with each topic on, in [`Topic::ALL`] order.
    pub topics: [usize; 5],
    /// Today's ledger.
    pub today: LedgerCounts,
    /// The latest notice.
    pub last_notice: Option<Notice>,
}

impl Newsroom {
    /// The newsroom for `editors` (Telegram user ids).
    #[must_use]
    pub fn new(
        editors: impl IntoIterator<Item = i64>,
        store: Store,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
        pacer: Arc<Pacer>,
        paid_broadcast: bool,
    ) -> Self {
        Self {
            editors: editors.into_iter().collect(),
            store,
            clock,
            wake,
            pacer,
            gate: NoticeGate::new(),
            tasks: TaskTracker::new(),
            stopping: CancellationToken::new(),
            paid_broadcast,
            digest_changed: Arc::new(|| {}),
            upload_limit: crate::core::edition::MAX_EDITION_BYTES,
        }
    }

    /// Changes notices through `gate`, the one the delivery worker sends their copies through.
    #[must_use]
    pub fn with_notice_gate(mut self, gate: NoticeGate) -> Self {
        self.gate = gate;
        self
    }

    /// Sets the largest page an editor may upload.
    #[must_use]
    pub fn with_upload_limit(mut self, bytes: usize) -> Self {
        self.upload_limit = bytes;
        self
    }

    /// Calls `hook` whenever the newsroom changes a stored digest.
    #[must_use]
    pub fn on_digest_changed(mut self, hook: Arc<dyn Fn() + Send + Sync>) -> Self {
        self.digest_changed = hook;
        self
    }

    /// Publishes an uploaded page as `today`'s edition: builds its digest (summaries
    /// included), stores it in place of today's, and returns it with the number of residents
    /// already delivered today (they are not sent it again).
    ///
    /// # Errors
    /// [`UploadError::Unreadable`] if the page no longer parses; a database failure as text.
    pub async fn publish(
        &self,
        upload: &Upload,
        today: NaiveDate,
        summarizer: &Summarizer,
    ) -> Result<(Digest, usize), UploadError> {
        let (_, edition) =
            crate::edge::blocking::cpu_heavy(|| read_page(upload.text.as_bytes(), usize::MAX))?;
        let store_error = |e: StoreError| UploadError::Unreadable(e.to_string());
        let fallback = self
            .store
            .latest_digest()
            .map_err(store_error)?
            .map_or_else(|| "newsbot".to_owned(), |d| d.edition);
        let digest = crate::edge::blocking::cpu_heavy(|| {
            digest_edition(&edition, today, &fallback, summarizer)
        });
        self.store.put_digest(&digest).await.map_err(store_error)?;
        (self.digest_changed)();
        let delivered = self
            .store
            .deliveries_on(today)
            .map_err(store_error)?
            .iter()
            .filter(|r| r.state == DeliveryState::Sent)
            .count();
        Ok((digest, delivered))
    }

    /// Queues `today`'s digest again for everyone it was already delivered to (after a new
    /// edition was published); returns how many.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn resend_today(&self, today: NaiveDate) -> Result<usize, StoreError> {
        let now = self.clock.now();
        let mut count = 0;
        for record in self.store.deliveries_on(today)? {
            if record.state != DeliveryState::Sent {
                continue;
            }
            let mut again = DeliveryRecord::new(
                today,
                record.chat,
                DeliveryState::Pending,
                record.due_at,
                now,
            );
            again.notice = None;
            self.store.requeue_delivery(&again, Priority::Digest)?;
            count += 1;
        }
        if count > 0 {
            self.wake.notify_one();
        }
        Ok(count)
    }

    /// Adds an editor's notice to `today`'s digest; returns its number in the list, or
    /// `None` when today's digest is not built yet.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read or written.
    pub async fn add_notice(
        &self,
        today: NaiveDate,
        text: &str,
    ) -> Result<Option<usize>, StoreError> {
        let Some(mut digest) = self.store.digest(today)? else {
            return Ok(None);
        };
        digest.notices.push(EditionNotice {
            kind: NoticeKind::Announcement,
            title: None,
            text: text.trim().to_owned(),
            phones: Vec::new(),
            addresses: Vec::new(),
            issuer: None,
            dates: Vec::new(),
            lines: Vec::new(),
        });
        let count = digest.notices.len();
        self.store.put_digest(&digest).await?;
        (self.digest_changed)();
        Ok(Some(count))
    }

    /// Today's notices, one line each, or `None` when today's digest is not built yet.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read.
    pub fn list_notices(&self, today: NaiveDate) -> Result<Option<Vec<String>>, StoreError> {
        Ok(self.store.digest(today)?.map(|d| {
            d.notices
                .iter()
                .map(|n| {
                    let text = n.title.clone().unwrap_or_else(|| n.text.clone());
                    text.lines().next().unwrap_or_default().to_owned()
                })
                .collect()
        }))
    }

    /// Removes notice `number` (1-based) from `today`'s digest: `None` when there is no
    /// digest, `Some(false)` when there is no such notice.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read or written.
    pub async fn remove_notice(
        &self,
        today: NaiveDate,
        number: usize,
    ) -> Result<Option<bool>, StoreError> {
        let Some(mut digest) = self.store.digest(today)? else {
            return Ok(None);
        };
        if number == 0 || number > digest.notices.len() {
            return Ok(Some(false));
        }
        digest.notices.remove(number - 1);
        self.store.put_digest(&digest).await?;
        (self.digest_changed)();
        Ok(Some(true))
    }

    /// A newsroom with no editors (and its own pacer): every newsroom command is refused.
    #[must_use]
    pub fn closed(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self::new(
            [],
            store,
            clock,
            Arc::new(Notify::new()),
            Arc::new(Pacer::new(PaceLimits::telegram(29, 8))),
            false,
        )
    }

    /// True when `user` is an editor.
    #[must_use]
    pub fn is_editor(&self, user: i64) -> bool {
        self.editors.contains(&user)
    }

    /// The editors' ids.
    pub fn editors(&self) -> impl Iterator<Item = i64> + '_ {
        self.editors.iter().copied()
    }

    /// How many subscribers a breaking notice reaches now.
    ///
    /// # Errors
    /// [`StoreError`] if the subscribers cannot be read.
    pub fn recipients(&self) -> Result<usize, StoreError> {
        let mut count = 0;
        for s in self.store.subscribers_iter() {
            if receives_breaking(&s?) {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Puts a copy of `notice` in the outbox for every recipient (urgent, ahead of the
    /// digest; idempotent, so a restart mid-way just finishes it), marks it `Sending` and
    /// wakes the worker. Returns the notice as saved.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn enqueue(&self, mut notice: Notice) -> Result<Notice, StoreError> {
        let store = self.store.clone();
        let now = self.clock.now();
        let number = notice.number;
        let recipients = tokio::task::spawn_blocking(move || {
            let mut recipients = 0;
            for s in store.subscribers_iter() {
                let s = s?;
                if !receives_breaking(&s) {
                    continue;
                }
                let mut record =
                    DeliveryRecord::new(now.date_naive(), s.id, DeliveryState::Pending, now, now);
                record.notice = Some(number);
                store.enqueue_delivery(&record, Priority::Urgent)?;
                recipients += 1;
            }
            Ok::<_, StoreError>(recipients)
        })
        .await
        .map_err(|e| StoreError::Db(sled::Error::ReportableBug(e.to_string())))??;
        notice.recipients = recipients;
        notice.state = NoticeState::Sending;
        self.store.save_notice(&notice).await?;
        self.wake.notify_one();
        tracing::info!(notice = number, recipients, "breaking notice queued");
        Ok(notice)
    }

    /// Counts of notice `number`'s copies.
    ///
    /// # Errors
    /// [`StoreError`] if the copies cannot be read.
    pub fn counts(&self, notice: &Notice) -> Result<NoticeCounts, StoreError> {
        let copies = self.store.notice_copies(notice.number)?;
        Ok(count_copies(notice.recipients, &copies))
    }

    /// The notice `#number`, or the latest when `None`.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn find(&self, number: Option<u64>) -> Result<Option<Notice>, StoreError> {
        match number {
            Some(n) => self.store.notice(n),
            None => self.store.latest_notice(),
        }
    }

    /// Starts a recall or correction of notice `#number` asked by `editor` in `chat`: under
    /// the [`NoticeGate`], so from the moment this returns no copy goes out (recall) or goes
    /// out with the old text (correction), and every copy already sent has its message id
    /// recorded. The action is saved in the notice; [`Newsroom::run_action`] carries it out
    /// and a restart resumes it. Returns the notice as saved, or `None` if there is none.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn start_action(
        &self,
        number: u64,
        kind: ActionKind,
        corrected_text: Option<&str>,
        (editor, chat, lang): (i64, i64, Lang),
    ) -> Result<Option<Notice>, StoreError> {
        let now = self.clock.now();
        let _changing = self.gate.changing().await;
        let notice = self
            .store
            .update_notice(number, |n| {
                start_action(n, kind, corrected_text, (editor, chat, lang), now);
            })
            .await?;
        if let Some(n) = &notice {
            tracing::info!(
                notice = n.number,
                action = kind.name(),
                "newsroom action started"
            );
        }
        Ok(notice)
    }

    /// Carries out notice `#number`'s action under way: deletes (recall) or edits
    /// (correction) every sent copy it has not handled yet, paced with every other send and
    /// retried a bounded number of times, recording each copy as it goes; stops between
    /// copies when `cancel` fires (the action stays saved for the next start). Returns the
    /// report once every copy is handled, `None` if there was nothing under way or it was
    /// stopped.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn run_action<N: Notifier>(
        &self,
        notifier: &N,
        number: u64,
        cancel: &CancellationToken,
    ) -> Result<Option<(Notice, NoticeAction, ActionReport)>, StoreError> {
        let Some(notice) = self.store.notice(number)? else {
            return Ok(None);
        };
        let Some(action) = notice.action.clone() else {
            return Ok(None);
        };
        let generation = action.generation;
        let html = (action.kind == ActionKind::Correct)
            .then(|| (notice.current_text().to_owned(), notice.corrected.is_some()));
        for mut copy in self.store.notice_copies(number)? {
            if !needs_action(&copy, generation) {
                continue;
            }
            if cancel.is_cancelled() {
                tracing::info!(
                    notice = number,
                    "newsroom action stopped; it resumes at the next start"
                );
                return Ok(None);
            }
            let mut reached = true;
            match &html {
                None => {
                    for id in &copy.message_ids {
                        let deleted = self
                            .with_retries(copy.chat, || notifier.delete(copy.chat, *id))
                            .await;
                        // Already gone (the resident deleted it) is as good as deleted.
                        reached &= matches!(deleted, Ok(()) | Err(SendError::MessageMissing(_)));
                    }
                    if reached {
                        copy.state = DeliveryState::Withdrawn;
                    }
                }
                Some((text, corrected)) => {
                    let lang = self.lang_of(copy.chat)?;
                    let html = render_notice(text, lang, *corrected);
                    for id in &copy.message_ids {
                        let edited = self
                            .with_retries(copy.chat, || notifier.edit_html(copy.chat, *id, &html))
                            .await;
                        reached &= edited.is_ok();
                    }
                }
            }
            copy.handled = generation;
            copy.unreachable = !reached;
            copy.updated_at = self.clock.now();
            self.store.update_delivery(&copy)?;
            self.store
                .update_notice(number, |n| {
                    if let Some(a) = n.action.as_mut().filter(|a| a.generation == generation) {
                        if reached {
                            a.done += 1;
                        } else {
                            a.unreachable += 1;
                        }
                    }
                })
                .await?;
        }
        let copies = self.store.notice_copies(number)?;
        let counts = count_copies(notice.recipients, &copies);
        let mut finished = None;
        let saved = self
            .store
            .update_notice(number, |n| {
                if n.action
                    .as_ref()
                    .is_some_and(|a| a.generation == generation)
                {
                    finished = n.action.take();
                    if n.receipt.is_some() {
                        n.receipt = Some(counts);
                    }
                }
            })
            .await?;
        let (Some(saved), Some(action)) = (saved, finished) else {
            // A newer action took over; it reports.
            return Ok(None);
        };
        let report = action_report(&action, &copies);
        tracing::info!(
            notice = number,
            action = action.kind.name(),
            done = report.done,
            unreachable = report.unreachable,
            "newsroom action finished"
        );
        Ok(Some((saved, action, report)))
    }

    fn lang_of(&self, chat: SubscriberId) -> Result<Lang, StoreError> {
        Ok(self.store.subscriber(chat)?.map_or(Lang::Zh, |s| s.lang))
    }

    /// Runs `op` through the pacer, waiting out 429s and retrying transient failures a
    /// bounded number of times; the last answer.
    async fn with_retries<F, Fut>(&self, chat: SubscriberId, mut op: F) -> Result<(), SendError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<(), SendError>>,
    {
        let mut wait = Duration::from_millis(500);
        let mut last = Err(SendError::Transient("not tried".to_owned()));
        for _ in 0..MAX_ATTEMPTS {
            let permit = self.pacer.ready(chat).await;
            last = op().await;
            drop(permit);
            match &last {
                Ok(()) => return last,
                Err(SendError::RetryAfter(after)) => self.pacer.hold_off(*after),
                Err(SendError::Transient(_)) => {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(e) => {
                    tracing::debug!(subscriber = %chat, error.message = %e, "copy cannot be changed");
                    return last;
                }
            }
        }
        last
    }

    /// The figures behind `/stats` for `today`.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn stats(&self, today: NaiveDate) -> Result<Stats, StoreError> {
        let now = self.clock.now();
        let mut stats = Stats::default();
        for s in self.store.subscribers_iter() {
            let s = s?;
            match s.status {
                Status::Active if s.is_paused(now) => stats.paused += 1,
                Status::Active => stats.active += 1,
                Status::Stopped => stats.stopped += 1,
                Status::Blocked => stats.blocked += 1,
            }
            match s.lang {
                Lang::Zh => stats.zh += 1,
                Lang::En => stats.en += 1,
            }
            for (i, topic) in Topic::ALL.iter().enumerate() {
                if s.topics.contains(topic) {
                    stats.topics[i] += 1;
                }
            }
        }
        stats.today = LedgerCounts::of(&self.store.deliveries_on(today)?);
        stats.last_notice = self.store.latest_notice()?;
        Ok(stats)
    }
}

/// A notice's counts from its copies.
fn count_copies(recipients: usize, copies: &[DeliveryRecord]) -> NoticeCounts {
    let mut counts = NoticeCounts {
        total: recipients,
        ..NoticeCounts::default()
    };
    for copy in copies {
        match copy.state {
            DeliveryState::Sent => counts.delivered += 1,
            DeliveryState::Blocked => counts.blocked += 1,
            DeliveryState::Failed | DeliveryState::Missed => counts.failed += 1,
            DeliveryState::Withdrawn => counts.withdrawn += 1,
            DeliveryState::Pending | DeliveryState::Migrated => {}
        }
    }
    counts
}
