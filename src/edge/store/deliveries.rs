//! The delivery ledger and the outbox: ledger records keyed `L`, date, chat in the viewed
//! edition's ledger tree (`deliveries` for the default edition; see `edition_space`), and,
//! for days three days old, packed into chunks (see `ledger_seal`); outbox jobs in the
//! `deliveries` tree keyed `Q`, priority, date, chat, then the edition's id when it is not
//! the default. See the parent module's note on why these are single-key writes in a
//! crash-safe order; where the worker and the planner write several keys at once
//! (`backend::paired`), PostgreSQL does it in one statement and sled in that same order.

use super::backend::{Absent, Tree};
use chrono::NaiveDate;

use std::sync::atomic::Ordering;

use super::outbox_keys::{
    JobKind, OUTBOX, OutboxJob, Priority, delivery_key, job_from_entry, job_key, job_value,
    ledger_prefix, notice_copy_key, notice_prefix, record_key,
};
use super::{Store, StoreError, decode_subscriber, id_from_key, id_key};
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::subscriber::{Status, Subscriber, SubscriberId};

/// How long a worker's claim on an outbox job lasts without renewal (PostgreSQL).
pub const OUTBOX_CLAIM_SECS: u32 = 120;

impl Store {
    /// The ledger record of `date`'s delivery to `chat`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn delivery(
        &self,
        date: NaiveDate,
        chat: SubscriberId,
    ) -> Result<Option<DeliveryRecord>, StoreError> {
        let record = match self.space.ledger.get(delivery_key(date, chat))? {
            Some(bytes) => Some(decode_delivery(&bytes)?),
            None => self.sealed_delivery(date, chat)?,
        };
        Ok(record.map(|r| self.of_this_edition(r)))
    }

    /// [`Store::delivery`] and [`Store::subscriber`] of `chat` read together (one round trip
    /// on PostgreSQL): what the delivery worker reads first for each job.
    ///
    /// # Errors
    /// [`StoreError`] if either cannot be read.
    pub fn delivery_and_subscriber(
        &self,
        date: NaiveDate,
        chat: SubscriberId,
    ) -> Result<(Option<DeliveryRecord>, Option<Subscriber>), StoreError> {
        let (record, subscriber) = self.space.ledger.get_both(
            &delivery_key(date, chat),
            &self.subscribers,
            &id_key(chat),
        )?;
        let record = match record {
            Some(bytes) => Some(decode_delivery(&bytes)?),
            None => self.sealed_delivery(date, chat)?,
        };
        let subscriber = subscriber
            .map(|bytes| decode_subscriber(&bytes))
            .transpose()?;
        Ok((record.map(|r| self.of_this_edition(r)), subscriber))
    }

    /// True when the ledger holds `date`'s delivery to `chat`, in any state.
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn has_delivery(&self, date: NaiveDate, chat: SubscriberId) -> Result<bool, StoreError> {
        Ok(self.space.ledger.contains_key(delivery_key(date, chat))?
            || self.sealed_delivery(date, chat)?.is_some())
    }

    /// Every ledger record of `date`, in chat id order: loose ones, and a sealed day's
    /// (a loose record wins over a sealed one of the same chat).
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn deliveries_on(&self, date: NaiveDate) -> Result<Vec<DeliveryRecord>, StoreError> {
        let loose: Vec<DeliveryRecord> = self
            .space
            .ledger
            .scan_prefix(ledger_prefix(date))
            .map(|entry| decode_delivery(&entry?.1))
            .collect::<Result<_, _>>()?;
        let sealed = self.sealed_deliveries(date)?;
        let mut all: Vec<DeliveryRecord> = sealed
            .into_iter()
            .filter(|s| loose.binary_search_by_key(&s.chat.0, |l| l.chat.0).is_err())
            .collect();
        all.extend(loose);
        all.sort_by_key(|r| r.chat.0);
        Ok(all.into_iter().map(|r| self.of_this_edition(r)).collect())
    }

    /// `record`, read from this view's ledger, marked with its edition.
    fn of_this_edition(&self, mut record: DeliveryRecord) -> DeliveryRecord {
        record.edition = self.space.edition.clone();
        record
    }

    /// Puts a delivery's job in the outbox and its record in the ledger, unless the ledger
    /// already holds that (date, chat). Returns whether it was added. A `Missed` (or other
    /// final) record is written to the ledger only, with no job. See the module note on the
    /// order of the writes.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn enqueue_delivery(
        &self,
        record: &DeliveryRecord,
        priority: Priority,
    ) -> Result<bool, StoreError> {
        if record.notice.is_none() && record.edition.as_ref() != self.edition() {
            return self
                .for_edition(record.edition.as_ref())?
                .enqueue_delivery(record, priority);
        }
        let key = record_key(record);
        let tree = self.record_tree(record)?;
        if tree.contains_key(&key)?
            || (record.notice.is_none()
                && self.sealed_delivery(record.date, record.chat)?.is_some())
        {
            return Ok(false);
        }
        self.write_new_delivery(record, priority, (&tree, &key))
    }

    /// As [`Store::enqueue_delivery`] for a record the caller has just seen absent, loose and
    /// sealed (the planner, from [`Store::recorded_chats`], or [`Store::has_delivery`] for a
    /// sealed day): the record is still written only if no loose one is there, but neither
    /// is looked up first. One planning pass at a time.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn enqueue_unrecorded_delivery(
        &self,
        record: &DeliveryRecord,
        priority: Priority,
    ) -> Result<bool, StoreError> {
        let tree = self.record_tree(record)?;
        self.write_new_delivery(record, priority, (&tree, &record_key(record)))
    }

    /// [`Store::enqueue_unrecorded_delivery`] for many records of this view's ledger at once
    /// (one round trip on PostgreSQL, each record written with its job, all or nothing):
    /// returns, for each record, whether it was added.
    ///
    /// # Errors
    /// [`StoreError`] if they cannot be written.
    pub fn enqueue_unrecorded_deliveries(
        &self,
        records: &[DeliveryRecord],
        priority: Priority,
    ) -> Result<Vec<bool>, StoreError> {
        let of_this_ledger =
            |r: &DeliveryRecord| r.notice.is_none() && r.edition.as_ref() == self.edition();
        if !records.iter().all(of_this_ledger) {
            return records
                .iter()
                .map(|r| self.enqueue_unrecorded_delivery(r, priority))
                .collect();
        }
        let entries = records
            .iter()
            .map(|record| {
                let kind = JobKind::of(record);
                let job = job_key(priority, kind, record.chat, record.edition.as_ref());
                Ok(Absent {
                    key: record_key(record),
                    value: encode_delivery(record)?,
                    companion: (!record.state.is_final()).then(|| (job, job_value(kind).to_vec())),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let inserted = self
            .space
            .ledger
            .insert_absent_with(&entries, &self.deliveries)?;
        self.outbox
            .fetch_add(inserted.new_companions, Ordering::Relaxed);
        Ok(inserted.added)
    }

    /// The chats with a loose ledger record of `date` in this edition's ledger, in id order,
    /// read in one scan; `None` when the day is sealed (ask [`Store::has_delivery`]).
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn recorded_chats(&self, date: NaiveDate) -> Result<Option<Vec<i64>>, StoreError> {
        if self.is_sealed(date) {
            return Ok(None);
        }
        let mut chats = Vec::new();
        for key in self.space.ledger.scan_prefix(ledger_prefix(date)).keys() {
            if let Some(chat) = id_from_key(&key?[5..]) {
                chats.push(chat.0);
            }
        }
        Ok(Some(chats))
    }

    fn write_new_delivery(
        &self,
        record: &DeliveryRecord,
        priority: Priority,
        (tree, key): (&Tree, &[u8]),
    ) -> Result<bool, StoreError> {
        let kind = JobKind::of(record);
        let job = job_key(priority, kind, record.chat, record.edition.as_ref());
        let with_job = !record.state.is_final();
        let new_job = with_job && self.put_job(&job, kind)?;
        let added = tree
            .compare_and_swap(key, None as Option<&[u8]>, Some(encode_delivery(record)?))?
            .is_ok();
        if !added && with_job {
            let existing = match tree.get(key)? {
                Some(bytes) => Some(decode_delivery(&bytes)?),
                None => None,
            };
            // The record was there already. It is over (no job wanted), or it is under way
            // with its job under another key (a group that moved to a new chat id keeps its
            // job's old key): a job this call added is one too many. (A pending record's own
            // job has this key and was there before: `new_job` is false then. Planning passes
            // run one at a time, so no other pass added it meanwhile.)
            if new_job || existing.is_none_or(|r| r.state.is_final()) {
                self.remove_job(&job)?;
            }
        }
        Ok(added)
    }

    /// Puts a job back in the outbox for a delivery the ledger holds but that is final (a
    /// re-run of failed or missed deliveries), setting the record to `record`.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn requeue_delivery(
        &self,
        record: &DeliveryRecord,
        priority: Priority,
    ) -> Result<(), StoreError> {
        let kind = JobKind::of(record);
        let job = job_key(priority, kind, record.chat, record.edition.as_ref());
        self.put_job(&job, kind)?;
        self.update_delivery(record)
    }

    /// Up to `limit` outbox jobs in outbox order (priority, then age), skipping those for
    /// which `running` is true. On PostgreSQL each job returned is claimed for this store's
    /// pool for [`OUTBOX_CLAIM_SECS`] (renew with [`Store::renew_outbox_claims`]): another
    /// instance's worker skips it meanwhile, and once the claim runs out (a dead worker) it
    /// is anyone's again.
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn outbox_jobs(
        &self,
        limit: usize,
        running: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<OutboxJob>, StoreError> {
        let mut jobs = Vec::new();
        let claimed = self
            .deliveries
            .claim_prefix(&[OUTBOX], limit, running, OUTBOX_CLAIM_SECS)?;
        for (key, value) in claimed {
            match job_from_entry(&key, &value) {
                Some(job) => jobs.push(job),
                None => {
                    tracing::warn!(key = ?key, "unreadable outbox entry dropped");
                    self.remove_job(&key)?;
                }
            }
        }
        Ok(jobs)
    }

    /// Gives up the claim on a job that stopped before it finished (a shutdown, a failed
    /// write), so it is taken again at once rather than when the claim runs out.
    ///
    /// # Errors
    /// [`StoreError::Db`] when the database fails.
    pub fn release_job(&self, key: &[u8]) -> Result<(), StoreError> {
        Ok(self.deliveries.release_claim(key)?)
    }

    /// Moves the claims of this store's running jobs [`OUTBOX_CLAIM_SECS`] on (the worker
    /// does it every quarter of that); returns how many (0 with sled, where nothing is
    /// claimed).
    ///
    /// # Errors
    /// [`StoreError::Db`] when the database fails.
    pub fn renew_outbox_claims(&self) -> Result<u64, StoreError> {
        Ok(self.deliveries.renew_claims(OUTBOX_CLAIM_SECS)?)
    }

    /// Frees the outbox jobs other instances claimed: a new leader takes over from one that
    /// stopped leading (and sends nothing more), so its jobs need not wait for their claims
    /// to run out. Returns how many were freed.
    ///
    /// # Errors
    /// [`StoreError::Db`] when the database fails.
    pub fn take_over_outbox(&self) -> Result<u64, StoreError> {
        Ok(self.deliveries.void_other_claims()?)
    }

    /// Jobs waiting in the outbox: a count kept as jobs come and go (counted once at open),
    /// cheap enough for progress bars, health probes and metrics scrapes.
    #[must_use]
    pub fn outbox_len(&self) -> usize {
        self.outbox.load(Ordering::Relaxed)
    }

    /// Puts a job in the outbox; true when it was not there before.
    fn put_job(&self, key: &[u8], kind: JobKind) -> Result<bool, StoreError> {
        let new = self.deliveries.insert(key, &job_value(kind))?.is_none();
        if new {
            self.outbox.fetch_add(1, Ordering::Relaxed);
        }
        Ok(new)
    }

    fn remove_job(&self, key: &[u8]) -> Result<(), StoreError> {
        if self.deliveries.remove(key)?.is_some() {
            self.outbox.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Records progress of a job still running (a piece delivered). Not flushed: see the
    /// module note on group commit.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn update_delivery(&self, record: &DeliveryRecord) -> Result<(), StoreError> {
        self.record_tree(record)?
            .insert(record_key(record), encode_delivery(record)?)?;
        Ok(())
    }

    /// The tree `record` lives in: a notice's copy in the shared `deliveries` tree, a
    /// digest's delivery in its edition's ledger (whichever edition this view is of).
    fn record_tree(&self, record: &DeliveryRecord) -> Result<Tree, StoreError> {
        Ok(match JobKind::of(record) {
            JobKind::Notice(_) => self.deliveries.clone(),
            JobKind::Digest(_) if record.edition.as_ref() == self.edition() => {
                self.space.ledger.clone()
            }
            JobKind::Digest(_) => self
                .for_edition(record.edition.as_ref())?
                .space
                .ledger
                .clone(),
        })
    }

    /// Ends a job: writes its final record, then removes the job from the outbox. When the
    /// record says `Blocked`, the subscriber is then marked blocked too.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn finish_delivery(
        &self,
        job: &OutboxJob,
        record: &DeliveryRecord,
    ) -> Result<(), StoreError> {
        // One round trip on PostgreSQL; on sled the record first, then the job.
        let removed = self.record_tree(record)?.insert_then_remove(
            &record_key(record),
            &encode_delivery(record)?,
            &self.deliveries,
            &job.key,
        )?;
        if removed {
            self.outbox.fetch_sub(1, Ordering::Relaxed);
        }
        if record.state == DeliveryState::Blocked
            && let Some(mut s) = self.subscriber(record.chat)?
        {
            s.status = Status::Blocked;
            self.write_subscriber(&s)?;
        }
        Ok(())
    }

    /// A group became a supergroup: moves the subscriber (settings kept) to `to`, closes the
    /// old chat's record as `Migrated` and opens the new chat's as `progress` (pieces already
    /// delivered), in one transaction (rare, so its cost does not matter). The job keeps its
    /// key; the worker follows `migrated_to` when it resumes one. Returns the job, now for the
    /// new chat.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn migrate_delivery(
        &self,
        job: &OutboxJob,
        old: &DeliveryRecord,
        to: SubscriberId,
        progress: &DeliveryRecord,
    ) -> Result<OutboxJob, StoreError> {
        let old_key = record_key(old);
        let mut moved_record = progress.clone();
        moved_record.chat = to;
        let new_key = record_key(&moved_record);
        let old_bytes = encode_delivery(old)?;
        let new_bytes = encode_delivery(&moved_record)?;
        let (old_sub, new_sub) = (id_key(old.chat), id_key(to));
        // Decoded before the move: a subscriber record that does not decode is an error to
        // report, never a record to drop on the way.
        let moved = match self.subscriber(old.chat)? {
            Some(mut s) => {
                s.id = to;
                s.kind = crate::core::subscriber::ChatKind::Supergroup;
                Some(serde_json::to_vec(&s).map_err(|source| StoreError::Encode {
                    what: "subscriber",
                    source,
                })?)
            }
            None => None,
        };
        let ledger = self.record_tree(old)?;
        self.db.transaction(
            &[&ledger, &self.subscribers],
            Box::new(move |trees| {
                let (ledger, subs) = (&trees[0], &trees[1]);
                ledger.insert(&old_key, &old_bytes)?;
                ledger.insert(&new_key, &new_bytes)?;
                if let Some(bytes) = &moved {
                    subs.remove(&old_sub)?;
                    subs.insert(&new_sub, bytes)?;
                }
                Ok(())
            }),
        )?;
        Ok(OutboxJob {
            key: job.key.clone(),
            kind: job.kind,
            chat: to,
            edition: job.edition.clone(),
        })
    }
}

#[allow(clippy::unnecessary_wraps)] // one signature for every encoder of the store
fn encode_delivery(record: &DeliveryRecord) -> Result<Vec<u8>, StoreError> {
    Ok(super::ledger_codec::encode(record))
}

fn decode_delivery(bytes: &[u8]) -> Result<DeliveryRecord, StoreError> {
    super::ledger_codec::decode(bytes).map_err(StoreError::CorruptLedger)
}

impl Store {
    /// The copy of notice `number` for `chat`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn notice_copy(
        &self,
        number: u64,
        chat: SubscriberId,
    ) -> Result<Option<DeliveryRecord>, StoreError> {
        self.deliveries
            .get(notice_copy_key(number, chat))?
            .map(|b| decode_delivery(&b))
            .transpose()
    }

    /// Every copy of notice `number`, in chat id order.
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn notice_copies(&self, number: u64) -> Result<Vec<DeliveryRecord>, StoreError> {
        self.deliveries
            .scan_prefix(notice_prefix(number))
            .map(|entry| decode_delivery(&entry?.1))
            .collect()
    }
}
