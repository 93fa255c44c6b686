//! Use case "the newsroom": who is an editor, how many residents a breaking notice reaches,
//! putting a confirmed notice's copies in the outbox ahead of the digest, counting its
//! progress, correcting and recalling delivered copies (paced, bounded retries), and the
//! numbers behind `/stats`. Telegram's side (commands, buttons, progress edits) is
//! `telegram::newsroom`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::core::digest::{Digest, Lang, digest_edition};
use crate::core::document::read_document;
use crate::core::edition::Edition;
use crate::core::edition::{Notice as EditionNotice, NoticeKind};
use crate::core::ledger::{DeliveryRecord, DeliveryState, LedgerCounts};
use crate::core::newsroom::Upload;
use crate::core::newsroom::{Notice, NoticeCounts, NoticeState, receives_breaking, render_notice};
use crate::core::subscriber::{Status, SubscriberId, Topic};
use crate::core::summary::Summarizer;
use crate::delivery::pacing::{PaceLimits, Pacer};
use crate::fetch::decode::decode_text;
use crate::notifier::{Notifier, SendError};
use crate::store::{Priority, Store, StoreError};

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
        .map_err(|e| UploadError::Unreadable(crate::ingest::error_chain(&e)))?;
    Ok((decoded.text, edition))
}

/// What `/correct` or `/recall` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// Copies edited or deleted.
    pub done: usize,
    /// Copies Telegram no longer lets us edit or delete (or whose chat is gone).
    pub gone: usize,
}

impl CopyReport {
    fn count(&mut self, done: bool) {
        if done {
            self.done += 1;
        } else {
            self.gone += 1;
        }
    }
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
            paid_broadcast,
            digest_changed: Arc::new(|| {}),
            upload_limit: crate::core::edition::MAX_EDITION_BYTES,
        }
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
        let (_, edition) = read_page(upload.text.as_bytes(), usize::MAX)?;
        let store_error = |e: StoreError| UploadError::Unreadable(e.to_string());
        let fallback = self
            .store
            .latest_digest()
            .map_err(store_error)?
            .map_or_else(|| "newsbot".to_owned(), |d| d.edition);
        let digest = digest_edition(&edition, today, &fallback, summarizer);
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
        let mut counts = NoticeCounts {
            total: notice.recipients,
            ..NoticeCounts::default()
        };
        for copy in self.store.notice_copies(notice.number)? {
            match copy.state {
                DeliveryState::Sent => counts.delivered += 1,
                DeliveryState::Blocked => counts.blocked += 1,
                DeliveryState::Failed | DeliveryState::Missed => counts.failed += 1,
                DeliveryState::Pending | DeliveryState::Migrated => {}
            }
        }
        Ok(counts)
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

    /// Replaces the text of every delivered copy of `notice` with `text`, marked as a
    /// correction; copies not yet delivered will carry it too.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn correct<N: Notifier>(
        &self,
        notifier: &N,
        mut notice: Notice,
        text: &str,
    ) -> Result<CopyReport, StoreError> {
        notice.corrected = Some(text.to_owned());
        self.store.save_notice(&notice).await?;
        let mut report = CopyReport::default();
        for copy in self.delivered_copies(&notice)? {
            let lang = self.lang_of(copy.chat)?;
            let html = render_notice(text, lang, true);
            for id in &copy.message_ids {
                let done = self
                    .with_retries(copy.chat, || notifier.edit_html(copy.chat, *id, &html))
                    .await;
                report.count(done);
            }
        }
        Ok(report)
    }

    /// Deletes every delivered copy of `notice`; copies not yet delivered are not sent.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn recall<N: Notifier>(
        &self,
        notifier: &N,
        mut notice: Notice,
    ) -> Result<CopyReport, StoreError> {
        notice.recalled = true;
        self.store.save_notice(&notice).await?;
        let mut report = CopyReport::default();
        for copy in self.delivered_copies(&notice)? {
            for id in &copy.message_ids {
                let done = self
                    .with_retries(copy.chat, || notifier.delete(copy.chat, *id))
                    .await;
                report.count(done);
            }
        }
        Ok(report)
    }

    fn delivered_copies(&self, notice: &Notice) -> Result<Vec<DeliveryRecord>, StoreError> {
        Ok(self
            .store
            .notice_copies(notice.number)?
            .into_iter()
            .filter(|c| !c.message_ids.is_empty())
            .collect())
    }

    fn lang_of(&self, chat: SubscriberId) -> Result<Lang, StoreError> {
        Ok(self.store.subscriber(chat)?.map_or(Lang::Zh, |s| s.lang))
    }

    /// Runs `op` through the pacer, waiting out 429s and retrying transient failures a
    /// bounded number of times. True when it succeeded.
    async fn with_retries<F, Fut>(&self, chat: SubscriberId, mut op: F) -> bool
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<(), SendError>>,
    {
        let mut wait = Duration::from_millis(500);
        for _ in 0..MAX_ATTEMPTS {
            let permit = self.pacer.ready(chat).await;
            let result = op().await;
            drop(permit);
            match result {
                Ok(()) => return true,
                Err(SendError::RetryAfter(after)) => self.pacer.hold_off(after),
                Err(SendError::Transient(_)) => {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(e) => {
                    tracing::debug!(subscriber = %chat, error.message = %e, "copy cannot be changed");
                    return false;
                }
            }
        }
        false
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
