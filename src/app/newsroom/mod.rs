//! Use case "the newsroom": who is an editor and of which editions, how many residents a
//! breaking notice for some editions reaches,
//! putting a confirmed notice's copies in the outbox ahead of the digest, counting its
//! progress, correcting and recalling delivered copies (paced, bounded retries), and the
//! numbers behind `/stats`. Telegram's side (commands, buttons, progress edits) is
//! `crate::chat::newsroom`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::delivery::notice_gate::NoticeGate;
use crate::core::digest::Lang;
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::ledger::{DeliveryRecord, DeliveryState, LedgerCounts};
use crate::core::newsroom::{Notice, NoticeCounts, NoticeState, Stats, reaches};
use crate::core::subscriber::{Status, Topic};
use crate::edge::clock::Clock;
use crate::edge::store::{Priority, Store, StoreError};
use crate::edge::telegram::pacing::{PaceLimits, Pacer};

/// Notices looked at, newest first, for an editor's latest.
const NOTICES_LOOKED_AT: usize = 1_000;

mod actions;
mod today_notices;
mod uploads;

pub use uploads::{UploadError, read_page};

/// The newsroom's shared state, injected into the handler tree once.
pub struct Newsroom {
    /// Each editor's editions, in the editions file's order.
    desks: HashMap<i64, Vec<EditionId>>,
    /// The editions served.
    pub routes: EditionRoutes,
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

impl Newsroom {
    /// The newsroom of one edition for `editors` (Telegram user ids).
    #[must_use]
    pub fn new(
        editors: impl IntoIterator<Item = i64>,
        store: Store,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
        pacer: Arc<Pacer>,
        paid_broadcast: bool,
    ) -> Self {
        let routes = EditionRoutes::single();
        let desk = vec![routes.default_edition().clone()];
        Self {
            desks: editors.into_iter().map(|e| (e, desk.clone())).collect(),
            routes,
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

    /// The newsroom of several editions: `editors` lists each edition's editors.
    #[must_use]
    pub fn with_editions(
        mut self,
        routes: EditionRoutes,
        editors: &[(EditionId, Vec<i64>)],
    ) -> Self {
        let mut desks: HashMap<i64, Vec<EditionId>> = HashMap::new();
        for (edition, ids) in editors {
            for id in ids {
                let desk = desks.entry(*id).or_default();
                if !desk.contains(edition) {
                    desk.push(edition.clone());
                }
            }
        }
        self.desks = desks;
        self.routes = routes;
        self
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
        self.desks.contains_key(&user)
    }

    /// The editors' ids.
    pub fn editors(&self) -> impl Iterator<Item = i64> + '_ {
        self.desks.keys().copied()
    }

    /// The editions `editor` edits, in the editions file's order (none for anyone else).
    #[must_use]
    pub fn editions_of(&self, editor: i64) -> &[EditionId] {
        self.desks.get(&editor).map_or(&[], Vec::as_slice)
    }

    /// The store viewed for `edition`'s digests and ledger.
    ///
    /// # Errors
    /// [`StoreError`] if its trees cannot be opened.
    pub fn view(&self, edition: &EditionId) -> Result<Store, StoreError> {
        self.store
            .for_edition(self.routes.ledger_of(edition).as_ref())
    }

    /// How many subscribers a breaking notice for `editions` reaches now.
    ///
    /// # Errors
    /// [`StoreError`] if the subscribers cannot be read.
    pub fn recipients(&self, editions: &[EditionId]) -> Result<usize, StoreError> {
        let mut count = 0;
        for s in self.store.subscribers_iter() {
            if reaches(&s?, editions, &self.routes) {
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
        let (editions, routes) = (notice.editions.clone(), self.routes.clone());
        let recipients = tokio::task::spawn_blocking(move || {
            let mut recipients = 0;
            for s in store.subscribers_iter() {
                let s = s?;
                if !reaches(&s, &editions, &routes) {
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
        .map_err(|e| StoreError::Task(e.to_string()))??;
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

    /// True when `notice` is `editor`'s to correct, recall or count: it went to one of their
    /// editions (or, from before editions, to everyone).
    #[must_use]
    pub fn concerns(&self, editor: i64, notice: &Notice) -> bool {
        let mine = self.editions_of(editor);
        notice.editions.is_empty() || notice.editions.iter().any(|e| mine.contains(e))
    }

    /// The notice `#number` if it is `editor`'s, or their latest when `None`.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn find_for(&self, editor: i64, number: Option<u64>) -> Result<Option<Notice>, StoreError> {
        match number {
            Some(n) => Ok(self.store.notice(n)?.filter(|n| self.concerns(editor, n))),
            None => self
                .store
                .latest_notice_where(NOTICES_LOOKED_AT, |n| self.concerns(editor, n)),
        }
    }

    /// The figures behind `/stats`, over the subscribers of `editions`, each edition's
    /// ledger of its own today, and their latest notice.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn stats(&self, editions: &[(EditionId, NaiveDate)]) -> Result<Stats, StoreError> {
        let now = self.clock.now();
        let mut stats = Stats::default();
        for s in self.store.subscribers_iter() {
            let s = s?;
            let follows_one = self
                .routes
                .followed(&s)
                .iter()
                .any(|f| editions.iter().any(|(e, _)| *e == f.edition));
            if !follows_one {
                continue;
            }
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
        let mut today_records = Vec::new();
        for (edition, today) in editions {
            today_records.extend(self.view(edition)?.deliveries_on(*today)?);
        }
        stats.today = LedgerCounts::of(&today_records);
        stats.last_notice = self.store.latest_notice_where(NOTICES_LOOKED_AT, |n| {
            n.editions.is_empty()
                || n.editions
                    .iter()
                    .any(|e| editions.iter().any(|(x, _)| x == e))
        })?;
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
