//! The database, behind our own type: the only file that mentions sled. One tree per record
//! kind: `subscribers` by chat id, `by_minute` (delivery minute of day, then chat id),
//! `digests` by date, and `deliveries`, which holds both the ledger (`L`, date, chat id) and
//! the outbox (`Q`, priority, date, chat id): a job is keyed by (date, chat) like its ledger
//! record, so writing it twice is writing it once. Records are versioned serde JSON; keys are
//! big-endian so sled's order is numeric order.
//!
//! Delivery writes are single-key operations in a crash-safe order, not sled transactions or
//! batches: those keep about 1.6 KiB per call that the process never gets back (measured:
//! 160 MiB for a 100,000-chat broadcast). Enqueue writes the job, then puts the ledger record
//! only if absent (compare-and-swap); finishing writes the final record, then removes the job.
//! sled recovers a prefix of its writes, so a crash between two steps leaves either a job
//! whose record is missing (delivered normally) or a job whose record is final (dropped).
//!
//! Settings changes are flushed to disk before they return, so a reply that says "saved" is
//! true. Delivery progress is not flushed per message: the delivery worker group-commits
//! with [`Store::flush`] on a short timer, and the README states the resulting bound.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::core::digest::Digest;
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::subscriber::{
    DeliveryTime, SUBSCRIBER_RECORD_VERSION, Status, Subscriber, SubscriberId,
};

/// sled's page cache. Its default (1 GiB) lets a broadcast to 100,000 subscribers grow the
/// process past 150 MiB. Records are small and mostly read once a day, and the operating
/// system caches the file anyway: 1 MiB keeps `serve` under 100 MB there (measured: 88 MiB
/// with 1 MiB, 99 MiB with 4 MiB, 125 MiB with 16 MiB).
const CACHE_BYTES: u64 = 1 << 20;

/// Version of the stored digest record.
const DIGEST_RECORD_VERSION: u32 = 1;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// sled failed (I/O, corruption).
    #[error("database error")]
    Db(#[from] sled::Error),
    /// A stored record could not be read.
    #[error("stored {what} is unreadable")]
    Corrupt {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A record could not be written.
    #[error("could not encode {what}")]
    Encode {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A record of a newer version than this program knows.
    #[error("stored {what} has version {found}, newer than this program's {known}")]
    Version {
        what: &'static str,
        found: u32,
        known: u32,
    },
}

#[derive(Serialize, Deserialize)]
struct StoredDigest {
    version: u32,
    digest: Digest,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records written.
    pub imported: usize,
    /// `line N: why` for lines that were skipped.
    pub problems: Vec<String>,
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    db: sled::Db,
    subscribers: sled::Tree,
    by_minute: sled::Tree,
    digests: sled::Tree,
    deliveries: sled::Tree,
}

/// Outbox order: lower first. Breaking notices will go ahead of the daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Urgent (newsroom notices).
    Urgent = 0,
    /// The daily digest.
    Digest = 1,
}

/// What an outbox entry delivers.
const JOB_KIND_DIGEST: u8 = 0;

/// A job in the outbox: deliver `date`'s digest to `chat`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutboxJob {
    /// The outbox key (priority, then sequence), needed to finish the job.
    pub key: Vec<u8>,
    /// The digest's date.
    pub date: NaiveDate,
    /// The chat.
    pub chat: SubscriberId,
}

fn date_key(date: NaiveDate) -> [u8; 4] {
    use chrono::Datelike;
    // YYYYMMDD sorts like the date and reads in a hex dump.
    let packed = date.year().max(0) as u32 * 10_000 + date.month() * 100 + date.day();
    packed.to_be_bytes()
}

/// Prefix of ledger keys in the `deliveries` tree.
const LEDGER: u8 = b'L';
/// Prefix of outbox keys in the `deliveries` tree.
const OUTBOX: u8 = b'Q';

fn ledger_prefix(date: NaiveDate) -> [u8; 5] {
    let mut key = [LEDGER; 5];
    key[1..].copy_from_slice(&date_key(date));
    key
}

fn delivery_key(date: NaiveDate, chat: SubscriberId) -> [u8; 13] {
    let mut key = [0u8; 13];
    key[..5].copy_from_slice(&ledger_prefix(date));
    key[5..].copy_from_slice(&id_key(chat));
    key
}

fn job_key(priority: Priority, date: NaiveDate, chat: SubscriberId) -> [u8; 14] {
    let mut key = [0u8; 14];
    key[0] = OUTBOX;
    key[1] = priority as u8;
    key[2..6].copy_from_slice(&date_key(date));
    key[6..].copy_from_slice(&id_key(chat));
    key
}

fn job_from_entry(key: &[u8], value: &[u8]) -> Option<OutboxJob> {
    if key.len() != 14 || value != [JOB_KIND_DIGEST] {
        return None;
    }
    let packed = u32::from_be_bytes(key[2..6].try_into().ok()?);
    let date =
        NaiveDate::from_ymd_opt((packed / 10_000) as i32, (packed / 100) % 100, packed % 100)?;
    Some(OutboxJob {
        key: key.to_vec(),
        date,
        chat: id_from_key(&key[6..])?,
    })
}

/// Chat ids sort numerically: flip the sign bit and write big-endian.
fn id_key(id: SubscriberId) -> [u8; 8] {
    ((id.0 as u64) ^ (1 << 63)).to_be_bytes()
}

fn id_from_key(bytes: &[u8]) -> Option<SubscriberId> {
    let raw: [u8; 8] = bytes.try_into().ok()?;
    Some(SubscriberId((u64::from_be_bytes(raw) ^ (1 << 63)) as i64))
}

fn minute_key(minute: u16, id: SubscriberId) -> [u8; 10] {
    let mut key = [0u8; 10];
    key[..2].copy_from_slice(&minute.to_be_bytes());
    key[2..].copy_from_slice(&id_key(id));
    key
}

impl Store {
    /// Opens (or creates) the database in `dir`.
    ///
    /// # Errors
    /// [`StoreError::Db`] when sled cannot open it (locked by another process, unreadable).
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::from_db(
            sled::Config::new()
                .path(dir)
                .cache_capacity(CACHE_BYTES)
                .open()?,
        )
    }

    /// A fresh database that vanishes when dropped, for tests.
    ///
    /// # Errors
    /// [`StoreError::Db`] if sled cannot create it.
    pub fn temporary() -> Result<Self, StoreError> {
        Self::from_db(
            sled::Config::new()
                .temporary(true)
                .cache_capacity(CACHE_BYTES)
                .open()?,
        )
    }

    fn from_db(db: sled::Db) -> Result<Self, StoreError> {
        Ok(Self {
            subscribers: db.open_tree("subscribers")?,
            by_minute: db.open_tree("by_minute")?,
            digests: db.open_tree("digests")?,
            deliveries: db.open_tree("deliveries")?,
            db,
        })
    }

    /// Waits until every change so far is on disk.
    ///
    /// # Errors
    /// [`StoreError::Db`] on an I/O failure.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }

    /// The subscriber with this chat id, if any.
    ///
    /// # Errors
    /// [`StoreError`] if the record cannot be read.
    pub fn subscriber(&self, id: SubscriberId) -> Result<Option<Subscriber>, StoreError> {
        self.subscribers
            .get(id_key(id))?
            .map(|bytes| decode_subscriber(&bytes))
            .transpose()
    }

    /// Every subscriber, in chat id order.
    ///
    /// # Errors
    /// [`StoreError`] if a record cannot be read.
    pub fn subscribers(&self) -> Result<Vec<Subscriber>, StoreError> {
        self.subscribers
            .iter()
            .map(|entry| decode_subscriber(&entry?.1))
            .collect()
    }

    /// Every subscriber, in chat id order, read one at a time (for scans of large lists).
    pub fn subscribers_iter(&self) -> impl Iterator<Item = Result<Subscriber, StoreError>> + '_ {
        self.subscribers
            .iter()
            .map(|entry| decode_subscriber(&entry?.1))
    }

    /// Chat ids whose delivery time is `time` (in their own time zone).
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn subscribers_at(&self, time: DeliveryTime) -> Result<Vec<SubscriberId>, StoreError> {
        let prefix = time.minute_of_day().to_be_bytes();
        self.by_minute
            .scan_prefix(prefix)
            .keys()
            .map(|k| Ok(k?.get(2..).and_then(id_from_key)))
            .filter_map(Result::transpose)
            .collect()
    }

    /// Saves `subscriber` (and its delivery-minute index entry) and flushes.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn save_subscriber(&self, subscriber: &Subscriber) -> Result<(), StoreError> {
        self.write_subscriber(subscriber)?;
        self.flush().await
    }

    /// Saves many subscribers with one flush at the end (imports, benchmarks).
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be written; those before it are kept.
    pub async fn save_subscribers(&self, subscribers: &[Subscriber]) -> Result<(), StoreError> {
        for subscriber in subscribers {
            self.write_subscriber(subscriber)?;
        }
        self.flush().await
    }

    fn write_subscriber(&self, subscriber: &Subscriber) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(subscriber).map_err(|source| StoreError::Encode {
            what: "subscriber",
            source,
        })?;
        let key = id_key(subscriber.id);
        let minute = minute_key(subscriber.delivery.minute_of_day(), subscriber.id);
        (&self.subscribers, &self.by_minute)
            .transaction(|(subs, index)| {
                if let Some(old) = subs.insert(&key, bytes.as_slice())?
                    && let Ok(old) = serde_json::from_slice::<Subscriber>(&old)
                {
                    index.remove(&minute_key(old.delivery.minute_of_day(), old.id))?;
                }
                index.insert(&minute, &[])?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(transaction_error)
    }

    /// Erases a subscriber; returns whether there was one.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be removed.
    pub async fn delete_subscriber(&self, id: SubscriberId) -> Result<bool, StoreError> {
        let key = id_key(id);
        let existed = (&self.subscribers, &self.by_minute)
            .transaction(|(subs, index)| {
                let Some(old) = subs.remove(&key)? else {
                    return Ok(false);
                };
                if let Ok(old) = serde_json::from_slice::<Subscriber>(&old) {
                    index.remove(&minute_key(old.delivery.minute_of_day(), old.id))?;
                }
                Ok::<_, ConflictableTransactionError<()>>(true)
            })
            .map_err(transaction_error)?;
        self.flush().await?;
        Ok(existed)
    }

    /// Stores the digest of its date (replacing an older one) and flushes.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn put_digest(&self, digest: &Digest) -> Result<(), StoreError> {
        let record = StoredDigest {
            version: DIGEST_RECORD_VERSION,
            digest: digest.clone(),
        };
        let bytes = serde_json::to_vec(&record).map_err(|source| StoreError::Encode {
            what: "digest",
            source,
        })?;
        self.digests
            .insert(digest.date.format("%Y-%m-%d").to_string(), bytes)?;
        self.flush().await
    }

    /// The digest of `date`, if stored.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn digest(&self, date: NaiveDate) -> Result<Option<Digest>, StoreError> {
        self.digests
            .get(date.format("%Y-%m-%d").to_string())?
            .map(|b| decode_digest(&b))
            .transpose()
    }

    /// The newest `count` digests, newest first.
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn recent_digests(&self, count: usize) -> Result<Vec<Digest>, StoreError> {
        self.digests
            .iter()
            .rev()
            .take(count)
            .map(|entry| decode_digest(&entry?.1))
            .collect()
    }

    /// The newest digest, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn latest_digest(&self) -> Result<Option<Digest>, StoreError> {
        Ok(self.recent_digests(1)?.into_iter().next())
    }

    /// The ledger record of `date`'s delivery to `chat`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn delivery(
        &self,
        date: NaiveDate,
        chat: SubscriberId,
    ) -> Result<Option<DeliveryRecord>, StoreError> {
        self.deliveries
            .get(delivery_key(date, chat))?
            .map(|b| decode_delivery(&b))
            .transpose()
    }

    /// True when the ledger holds `date`'s delivery to `chat`, in any state.
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn has_delivery(&self, date: NaiveDate, chat: SubscriberId) -> Result<bool, StoreError> {
        Ok(self.deliveries.contains_key(delivery_key(date, chat))?)
    }

    /// Every ledger record of `date`, in chat id order.
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn deliveries_on(&self, date: NaiveDate) -> Result<Vec<DeliveryRecord>, StoreError> {
        self.deliveries
            .scan_prefix(ledger_prefix(date))
            .map(|entry| decode_delivery(&entry?.1))
            .collect()
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
        let key = delivery_key(record.date, record.chat);
        if self.deliveries.contains_key(key)? {
            return Ok(false);
        }
        let job = job_key(priority, record.date, record.chat);
        let with_job = !record.state.is_final();
        if with_job {
            self.deliveries.insert(job, &[JOB_KIND_DIGEST])?;
        }
        let added = self
            .deliveries
            .compare_and_swap(key, None as Option<&[u8]>, Some(encode_delivery(record)?))?
            .is_ok();
        if !added
            && with_job
            && self
                .delivery(record.date, record.chat)?
                .is_none_or(|r| r.state.is_final())
        {
            // Someone else recorded it meanwhile and it is already over: no job.
            self.deliveries.remove(job)?;
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
        self.deliveries.insert(
            job_key(priority, record.date, record.chat),
            &[JOB_KIND_DIGEST],
        )?;
        self.update_delivery(record)
    }

    /// Up to `limit` outbox jobs in outbox order (priority, then age), skipping those for
    /// which `running` is true.
    ///
    /// # Errors
    /// [`StoreError::Db`] on a read failure.
    pub fn outbox_jobs(
        &self,
        limit: usize,
        running: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<OutboxJob>, StoreError> {
        let mut jobs = Vec::new();
        for entry in self.deliveries.scan_prefix([OUTBOX]) {
            let (key, value) = entry?;
            if running(&key) {
                continue;
            }
            match job_from_entry(&key, &value) {
                Some(job) => jobs.push(job),
                None => {
                    tracing::warn!(key = ?key, "unreadable outbox entry dropped");
                    self.deliveries.remove(&key)?;
                }
            }
            if jobs.len() >= limit {
                break;
            }
        }
        Ok(jobs)
    }

    /// Jobs waiting in the outbox (counts them: not for hot loops).
    #[must_use]
    pub fn outbox_len(&self) -> usize {
        self.deliveries.scan_prefix([OUTBOX]).count()
    }

    /// Records progress of a job still running (a piece delivered). Not flushed: see the
    /// module note on group commit.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn update_delivery(&self, record: &DeliveryRecord) -> Result<(), StoreError> {
        self.deliveries.insert(
            delivery_key(record.date, record.chat),
            encode_delivery(record)?,
        )?;
        Ok(())
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
        self.update_delivery(record)?;
        self.deliveries.remove(job.key.as_slice())?;
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
        let old_key = delivery_key(old.date, old.chat);
        let new_key = delivery_key(progress.date, to);
        let mut moved_record = progress.clone();
        moved_record.chat = to;
        let old_bytes = encode_delivery(old)?;
        let new_bytes = encode_delivery(&moved_record)?;
        let (old_sub, new_sub) = (id_key(old.chat), id_key(to));
        (&self.deliveries, &self.subscribers, &self.by_minute)
            .transaction(|(ledger, subs, index)| {
                ledger.insert(&old_key, old_bytes.as_slice())?;
                ledger.insert(&new_key, new_bytes.as_slice())?;
                if let Some(bytes) = subs.remove(&old_sub)?
                    && let Ok(mut s) = serde_json::from_slice::<Subscriber>(&bytes)
                {
                    index.remove(&minute_key(s.delivery.minute_of_day(), s.id))?;
                    s.id = to;
                    s.kind = crate::core::subscriber::ChatKind::Supergroup;
                    if let Ok(bytes) = serde_json::to_vec(&s) {
                        subs.insert(&new_sub, bytes)?;
                        index.insert(&minute_key(s.delivery.minute_of_day(), to), &[])?;
                    }
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(transaction_error)?;
        Ok(OutboxJob {
            key: job.key.clone(),
            date: progress.date,
            chat: to,
        })
    }

    /// Writes every subscriber as one JSON object per line; returns how many.
    ///
    /// # Errors
    /// [`StoreError`] if a record cannot be read; I/O errors of `out` as [`StoreError::Db`].
    pub fn export_subscribers(&self, out: &mut impl Write) -> Result<usize, StoreError> {
        let mut count = 0;
        for subscriber in self.subscribers()? {
            let line = serde_json::to_string(&subscriber).map_err(|source| StoreError::Encode {
                what: "subscriber",
                source,
            })?;
            writeln!(out, "{line}").map_err(|e| StoreError::Db(sled::Error::Io(e)))?;
            count += 1;
        }
        Ok(count)
    }

    /// Reads subscribers from JSON Lines (as written by [`Self::export_subscribers`]) and
    /// saves each; bad lines are reported and skipped.
    ///
    /// # Errors
    /// [`StoreError`] if a good record cannot be written.
    pub async fn import_subscribers(&self, text: &str) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match decode_subscriber(line.as_bytes()) {
                Ok(subscriber) => {
                    self.write_subscriber(&subscriber)?;
                    report.imported += 1;
                }
                Err(e) => report.problems.push(format!(
                    "line {}: {}",
                    i + 1,
                    crate::ingest::error_chain(&e)
                )),
            }
        }
        self.flush().await?;
        Ok(report)
    }
}

fn decode_subscriber(bytes: &[u8]) -> Result<Subscriber, StoreError> {
    let subscriber: Subscriber =
        serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
            what: "subscriber",
            source,
        })?;
    if subscriber.version > SUBSCRIBER_RECORD_VERSION {
        return Err(StoreError::Version {
            what: "subscriber",
            found: subscriber.version,
            known: SUBSCRIBER_RECORD_VERSION,
        });
    }
    Ok(subscriber)
}

fn decode_digest(bytes: &[u8]) -> Result<Digest, StoreError> {
    let record: StoredDigest =
        serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
            what: "digest",
            source,
        })?;
    if record.version > DIGEST_RECORD_VERSION {
        return Err(StoreError::Version {
            what: "digest",
            found: record.version,
            known: DIGEST_RECORD_VERSION,
        });
    }
    Ok(record.digest)
}

fn encode_delivery(record: &DeliveryRecord) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(record).map_err(|source| StoreError::Encode {
        what: "delivery record",
        source,
    })
}

fn decode_delivery(bytes: &[u8]) -> Result<DeliveryRecord, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        what: "delivery record",
        source,
    })
}

fn transaction_error(e: TransactionError<()>) -> StoreError {
    match e {
        TransactionError::Storage(e) => StoreError::Db(e),
        TransactionError::Abort(()) => {
            StoreError::Db(sled::Error::ReportableBug("transaction aborted".to_owned()))
        }
    }
}
