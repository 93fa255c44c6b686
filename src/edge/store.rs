//! The database, behind our own type: the only file that mentions sled. One tree per record
//! kind: `subscribers` by chat id, `digests` by date, and `deliveries`, which holds both the
//! ledger (`L`, date, chat id) and the outbox (`Q`, priority, date, chat id, and the edition
//! when not the default): a job is keyed by (date, chat) like its ledger record, so writing
//! it twice is writing it once. Each edition other than the default has its own ledger and
//! digests trees (see `edition_space`). Records are versioned serde JSON; keys are
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
//! with [`Store::flush`] on a short timer, and docs/OPERATIONS.md states the resulting bound.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::digest::Digest;
use crate::core::subscriber::{SUBSCRIBER_RECORD_VERSION, Subscriber, SubscriberId};
use backend::{BackendError, Db, IVec, Tree};

pub mod backend;
mod build_status;
mod deliveries;
mod edition_space;
pub mod ledger_codec;
mod ledger_seal;
mod newsroom;
mod outbox_keys;
mod retention;
mod shared;

pub use build_status::BuildProblem;

pub use deliveries::OUTBOX_CLAIM_SECS;
pub use ledger_seal::SealReport;
pub use newsroom::Confirmation;
pub use outbox_keys::{JobKind, OutboxJob, Priority};
pub use retention::PruneReport;
pub use shared::POSTGRES_CONNECTIONS;

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
    /// The database engine failed (I/O, corruption, a lost connection).
    #[error("database error")]
    Db(#[from] BackendError),
    /// A task working on the store stopped before it finished.
    #[error("a store task stopped: {0}")]
    Task(String),
    /// A stored record could not be read.
    #[error("stored {what} is unreadable")]
    Corrupt {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A ledger record could not be read.
    #[error("stored delivery record is unreadable")]
    CorruptLedger(#[source] ledger_codec::LedgerCodecError),
    /// A record could not be written.
    #[error("could not encode {what}")]
    Encode {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// The export could not be written (a full disk, a closed pipe).
    #[error("could not write the export")]
    Write(#[source] std::io::Error),
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
    db: Db,
    subscribers: Tree,
    /// The outbox and the notice copies (and the default edition's ledger).
    deliveries: Tree,
    /// The edition this view reads and writes: its ledger, sealed days and digests.
    space: Arc<edition_space::EditionSpace>,
    /// The default edition's space.
    default_space: Arc<edition_space::EditionSpace>,
    /// Other editions' spaces, opened on first use.
    spaces: edition_space::Spaces,
    notices: Tree,
    drafts: Tree,
    audit: Tree,
    waiting: Tree,
    uploads: Tree,
    meta: Tree,
    /// Jobs in the outbox, kept as they come and go.
    outbox: Arc<AtomicUsize>,
}

/// Chat ids sort numerically: flip the sign bit and write big-endian.
fn id_key(id: SubscriberId) -> [u8; 8] {
    ((id.0 as u64) ^ (1 << 63)).to_be_bytes()
}

fn id_from_key(bytes: &[u8]) -> Option<SubscriberId> {
    let raw: [u8; 8] = bytes.try_into().ok()?;
    Some(SubscriberId((u64::from_be_bytes(raw) ^ (1 << 63)) as i64))
}

impl Store {
    /// Opens (or creates) the database in `dir`.
    ///
    /// # Errors
    /// [`StoreError::Db`] when sled cannot open it (locked by another process, unreadable).
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::from_db(Db::Sled(
            sled::Config::new()
                .path(dir)
                .cache_capacity(CACHE_BYTES)
                .open()?,
        ))
    }

    /// A fresh database that vanishes when dropped, for tests.
    ///
    /// # Errors
    /// [`StoreError::Db`] if sled cannot create it.
    pub fn temporary() -> Result<Self, StoreError> {
        Self::from_db(Db::Sled(
            sled::Config::new()
                .temporary(true)
                .cache_capacity(CACHE_BYTES)
                .open()?,
        ))
    }

    fn from_db(db: Db) -> Result<Self, StoreError> {
        // An index of delivery minutes older versions kept and nothing read.
        db.drop_tree("by_minute")?;
        let deliveries = db.open_tree("deliveries")?;
        let outbox = Arc::new(AtomicUsize::new(outbox_keys::count_outbox(&deliveries)));
        let meta = db.open_tree("meta")?;
        let default_space = Arc::new(edition_space::EditionSpace::open(&db, &meta, None)?);
        Ok(Self {
            space: Arc::clone(&default_space),
            default_space,
            spaces: edition_space::Spaces::default(),
            subscribers: db.open_tree("subscribers")?,
            deliveries,
            outbox,
            notices: db.open_tree("notices")?,
            drafts: db.open_tree("drafts")?,
            audit: db.open_tree("audit")?,
            waiting: db.open_tree("waiting")?,
            uploads: db.open_tree("uploads")?,
            meta,
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

    /// Every subscriber record, in chat id order, still encoded: a scan that decodes them
    /// on several threads reads them with this.
    pub fn subscriber_records(
        &self,
    ) -> impl Iterator<Item = Result<SubscriberRecord, StoreError>> + '_ {
        self.subscribers
            .iter()
            .map(|entry| Ok(SubscriberRecord(entry?.1)))
    }

    /// Saves `subscriber` and flushes.
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
        self.subscribers.insert(id_key(subscriber.id), bytes)?;
        Ok(())
    }

    /// Erases a subscriber; returns whether there was one.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be removed.
    pub async fn delete_subscriber(&self, id: SubscriberId) -> Result<bool, StoreError> {
        let existed = self.subscribers.remove(id_key(id))?.is_some();
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
        self.space
            .digests
            .insert(digest.date.format("%Y-%m-%d").to_string(), bytes)?;
        self.flush().await
    }

    /// The digest of `date`, if stored.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn digest(&self, date: NaiveDate) -> Result<Option<Digest>, StoreError> {
        self.space
            .digests
            .get(date.format("%Y-%m-%d").to_string())?
            .map(|b| decode_digest(&b))
            .transpose()
    }

    /// The newest `count` digests, newest first.
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn recent_digests(&self, count: usize) -> Result<Vec<Digest>, StoreError> {
        self.space
            .digests
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

    /// Writes every readable subscriber as one JSON object per line; returns how many were
    /// written and how many unreadable records were skipped (each logged).
    ///
    /// # Errors
    /// [`StoreError`] if a record cannot be read; I/O errors of `out` as [`StoreError::Db`].
    pub fn export_subscribers(&self, out: &mut impl Write) -> Result<(usize, usize), StoreError> {
        let (mut count, mut skipped) = (0, 0);
        for subscriber in self.subscribers_iter() {
            let subscriber = match subscriber {
                Ok(s) => s,
                Err(e @ (StoreError::Corrupt { .. } | StoreError::Version { .. })) => {
                    // One unreadable record does not stop the export.
                    tracing::warn!(error.message = %e, "unreadable subscriber skipped");
                    skipped += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let line = serde_json::to_string(&subscriber).map_err(|source| StoreError::Encode {
                what: "subscriber",
                source,
            })?;
            writeln!(out, "{line}").map_err(StoreError::Write)?;
            count += 1;
        }
        Ok((count, skipped))
    }

    /// Reads subscribers from JSON Lines (as written by [`Self::export_subscribers`]) and
    /// saves each that `accepts` (which says why it refuses one, such as an edition this
    /// deployment does not serve); bad or refused lines are reported and skipped.
    ///
    /// # Errors
    /// [`StoreError`] if a good record cannot be written.
    pub async fn import_subscribers(
        &self,
        text: &str,
        accepts: impl Fn(&Subscriber) -> Result<(), String>,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match decode_subscriber(line.as_bytes()) {
                Ok(subscriber) => match accepts(&subscriber) {
                    Ok(()) => {
                        self.write_subscriber(&subscriber)?;
                        report.imported += 1;
                    }
                    Err(why) => report.problems.push(format!("line {}: {why}", i + 1)),
                },
                Err(e) => report.problems.push(format!(
                    "line {}: {}",
                    i + 1,
                    crate::core::error_chain::error_chain(&e)
                )),
            }
        }
        self.flush().await?;
        Ok(report)
    }
}

/// A subscriber record as stored, not yet decoded.
#[derive(Debug, Clone)]
pub struct SubscriberRecord(IVec);

impl SubscriberRecord {
    /// The subscriber.
    ///
    /// # Errors
    /// [`StoreError`] when the record does not decode.
    pub fn decode(&self) -> Result<Subscriber, StoreError> {
        decode_subscriber(&self.0)
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

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Db(BackendError::Sled(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::subscriber::ChatKind;

    #[tokio::test]
    async fn a_corrupt_record_is_skipped_by_export_and_by_the_broadcast() {
        let store = Store::temporary().expect("store");
        let now = chrono::Utc::now();
        store
            .save_subscriber(&Subscriber::new(SubscriberId(1), ChatKind::Private, now))
            .await
            .expect("save");
        store
            .subscribers
            .insert(id_key(SubscriberId(2)), b"{not json".as_slice())
            .expect("garbage");
        let mut out = Vec::new();
        assert_eq!(store.export_subscribers(&mut out).expect("export"), (1, 1));
        let settings = crate::app::delivery::DeliverySettings::default();
        let (report, _) = crate::app::delivery::enqueue_due(
            &store,
            &crate::core::edition_routes::EditionRoutes::single(),
            now,
            &settings,
            true,
        )
        .expect("plan");
        assert_eq!((report.subscribers, report.unreadable), (1, 1));
    }
}
