//! What the `deliveries` tree and an edition's ledger hold and how they are keyed: outbox
//! priorities, job kinds and jobs, and the keys of ledger records (`L`, date, chat), outbox
//! jobs (`Q`, priority, date, chat, then the edition's id when not the default) and notice
//! copies (`N`, notice, chat). Big-endian, so sled's order is the keys' numeric order.

use super::backend::Tree;
use chrono::NaiveDate;

use super::{id_from_key, id_key};
use crate::core::edition_id::EditionId;
use crate::core::ledger::DeliveryRecord;
use crate::core::subscriber::SubscriberId;

/// Outbox order: lower first. Breaking notices will go ahead of the daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Urgent (newsroom notices).
    Urgent = 0,
    /// The daily digest.
    Digest = 1,
}

/// Outbox entry kinds (the entry's value).
pub(super) const JOB_KIND_DIGEST: u8 = 0;
pub(super) const JOB_KIND_NOTICE: u8 = 1;

/// What a job delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// The digest of this date.
    Digest(NaiveDate),
    /// Breaking notice `#N`.
    Notice(u64),
}

impl JobKind {
    /// The kind of job `record` belongs to.
    #[must_use]
    pub fn of(record: &DeliveryRecord) -> Self {
        record
            .notice
            .map_or(Self::Digest(record.date), Self::Notice)
    }
}

/// A job in the outbox: deliver `kind` to `chat`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutboxJob {
    /// The outbox key (priority, kind's slot, chat, and the edition's id when not the
    /// default), needed to finish the job.
    pub key: Vec<u8>,
    /// What it delivers.
    pub kind: JobKind,
    /// The chat.
    pub chat: SubscriberId,
    /// The edition of a digest job (`None`: the default edition, and every notice).
    pub edition: Option<EditionId>,
}

pub(super) fn date_key(date: NaiveDate) -> [u8; 4] {
    use chrono::Datelike;
    // YYYYMMDD sorts like the date and reads in a hex dump.
    let packed = date.year().max(0) as u32 * 10_000 + date.month() * 100 + date.day();
    packed.to_be_bytes()
}

/// Prefix of ledger keys in an edition's ledger tree (`deliveries` for the default edition).
pub(super) const LEDGER: u8 = b'L';
/// Prefix of outbox keys in the `deliveries` tree.
pub(super) const OUTBOX: u8 = b'Q';

/// Jobs in the outbox of `deliveries`, counted (once, at open).
pub(super) fn count_outbox(deliveries: &Tree) -> usize {
    deliveries.scan_prefix([OUTBOX]).count()
}
/// Prefix of breaking-notice copies in the `deliveries` tree.
pub(super) const NOTICE_COPY: u8 = b'N';

pub(super) fn notice_prefix(number: u64) -> [u8; 9] {
    let mut key = [NOTICE_COPY; 9];
    key[1..].copy_from_slice(&number.to_be_bytes());
    key
}

pub(super) fn notice_copy_key(number: u64, chat: SubscriberId) -> [u8; 17] {
    let mut key = [0u8; 17];
    key[..9].copy_from_slice(&notice_prefix(number));
    key[9..].copy_from_slice(&id_key(chat));
    key
}

/// The ledger key of `record`: a digest delivery or a notice copy.
pub(super) fn record_key(record: &DeliveryRecord) -> Vec<u8> {
    match JobKind::of(record) {
        JobKind::Digest(date) => delivery_key(date, record.chat).to_vec(),
        JobKind::Notice(n) => notice_copy_key(n, record.chat).to_vec(),
    }
}

pub(super) fn ledger_prefix(date: NaiveDate) -> [u8; 5] {
    let mut key = [LEDGER; 5];
    key[1..].copy_from_slice(&date_key(date));
    key
}

pub(super) fn delivery_key(date: NaiveDate, chat: SubscriberId) -> [u8; 13] {
    let mut key = [0u8; 13];
    key[..5].copy_from_slice(&ledger_prefix(date));
    key[5..].copy_from_slice(&id_key(chat));
    key
}

/// Length of an outbox key before the edition's id.
pub(super) const JOB_KEY: usize = 14;

pub(super) fn job_key(
    priority: Priority,
    kind: JobKind,
    chat: SubscriberId,
    edition: Option<&EditionId>,
) -> Vec<u8> {
    let mut key = vec![0u8; JOB_KEY];
    key[0] = OUTBOX;
    key[1] = priority as u8;
    let slot = match kind {
        JobKind::Digest(date) => date_key(date),
        JobKind::Notice(n) => u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes(),
    };
    key[2..6].copy_from_slice(&slot);
    key[6..].copy_from_slice(&id_key(chat));
    if let (JobKind::Digest(_), Some(edition)) = (kind, edition) {
        key.extend_from_slice(edition.as_str().as_bytes());
    }
    key
}

pub(super) fn job_value(kind: JobKind) -> [u8; 1] {
    match kind {
        JobKind::Digest(_) => [JOB_KIND_DIGEST],
        JobKind::Notice(_) => [JOB_KIND_NOTICE],
    }
}

pub(super) fn job_from_entry(key: &[u8], value: &[u8]) -> Option<OutboxJob> {
    if key.len() < JOB_KEY {
        return None;
    }
    let edition = match &key[JOB_KEY..] {
        [] => None,
        id => Some(EditionId::parse(std::str::from_utf8(id).ok()?).ok()?),
    };
    let slot = u32::from_be_bytes(key[2..6].try_into().ok()?);
    let kind = match value {
        [JOB_KIND_DIGEST] => JobKind::Digest(NaiveDate::from_ymd_opt(
            (slot / 10_000) as i32,
            (slot / 100) % 100,
            slot % 100,
        )?),
        [JOB_KIND_NOTICE] => JobKind::Notice(u64::from(slot)),
        _ => return None,
    };
    Some(OutboxJob {
        key: key.to_vec(),
        kind,
        chat: id_from_key(&key[6..JOB_KEY])?,
        edition,
    })
}
