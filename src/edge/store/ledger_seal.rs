//! Sealed days of the ledger: once a day is three days old, its final records (sent, failed,
//! blocked, migrated, missed, withdrawn) are packed into chunks of a hundred chats under one
//! key each (`S`, date, first chat), because sled spends about 260 bytes on disk per key and a
//! year of daily deliveries to 100,000 chats is tens of millions of records. A hundred keeps a
//! chunk near 3 KB: sled holds up to 16 values in a leaf and writes a leaf over 128 KB as a
//! separate blob file on every change, which bigger chunks (a thousand: 33 KB) made it do.
//!
//! A loose record (`L`, date, chat) always wins over a sealed one: a record changed after its
//! day was sealed (a re-run with `newsbot deliver --date`) is written loose and read first.
//! Sealing writes the chunk, then removes each loose record only if it is unchanged
//! (compare-and-swap), with no transaction: a crash between the two leaves a record both
//! loose and sealed, which reads the same and is folded in by the next seal. Pending records
//! are never sealed.
//!
//! A chunk covers the chats from its key's chat up to the next chunk's. Its layout: tag
//! `0xC1`, record count (u32), then per record its chat (i64) and offset (u32) in chat order,
//! then the records in the ledger's compact encoding, each ending where the next begins.

use super::backend::{IVec, Tree};
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::ledger_codec;
use super::outbox_keys::{LEDGER, date_key};
use super::{Store, StoreError, id_key};
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::subscriber::SubscriberId;

/// The sealed days recorded in `meta` under `key` (one key per edition's ledger).
pub(super) fn read_sealed_days(meta: &Tree, key: &[u8]) -> Result<BTreeSet<NaiveDate>, StoreError> {
    meta.get(key)?
        .map(|bytes| {
            serde_json::from_slice(&bytes).map_err(|source| StoreError::Corrupt {
                what: "sealed days",
                source,
            })
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Records per new chunk (see the module note on the size).
const CHUNK: usize = 100;
const TAG: u8 = 0xC1;
const INDEX_ENTRY: usize = 12;

// A day's sealed chunks live in a tree of their own, keyed by each chunk's first chat
// (named by `EditionSpace::sealed_tree_name`), so that pruning a day drops its tree:
// removing its keys one by one made sled's memory grow with every day pruned (measured:
// +17 MB over 20 days at 10,000 chats a day).

fn malformed(why: &'static str) -> StoreError {
    StoreError::CorruptLedger(ledger_codec::LedgerCodecError::Malformed(why))
}

/// Packs `records` (sorted by chat, one per chat) into a chunk.
fn pack(records: &[DeliveryRecord]) -> Vec<u8> {
    let bodies: Vec<Vec<u8>> = records.iter().map(ledger_codec::encode).collect();
    let index_len = 5 + INDEX_ENTRY * records.len();
    let mut out = Vec::with_capacity(index_len + bodies.iter().map(Vec::len).sum::<usize>());
    out.push(TAG);
    out.extend_from_slice(
        &u32::try_from(records.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    let mut offset = index_len;
    for (record, body) in records.iter().zip(&bodies) {
        out.extend_from_slice(&record.chat.0.to_le_bytes());
        out.extend_from_slice(&u32::try_from(offset).unwrap_or(u32::MAX).to_le_bytes());
        offset += body.len();
    }
    for body in bodies {
        out.extend_from_slice(&body);
    }
    out
}

/// A chunk's index: (chat, offset, length) per record.
struct Chunk<'a> {
    bytes: &'a [u8],
    count: usize,
}

impl<'a> Chunk<'a> {
    fn read(bytes: &'a [u8]) -> Result<Self, StoreError> {
        if bytes.first() != Some(&TAG) || bytes.len() < 5 {
            return Err(malformed("not a sealed chunk"));
        }
        let count =
            u32::from_le_bytes(bytes[1..5].try_into().map_err(|_| malformed("count"))?) as usize;
        if bytes.len() < 5 + count.saturating_mul(INDEX_ENTRY) {
            return Err(malformed("sealed chunk cut short"));
        }
        Ok(Self { bytes, count })
    }

    /// Record `at`'s chat and where its bytes start.
    fn entry(&self, at: usize) -> (i64, usize) {
        let start = 5 + at * INDEX_ENTRY;
        let field = |from: usize, len: usize| &self.bytes[start + from..start + from + len];
        let chat = i64::from_le_bytes(field(0, 8).try_into().unwrap_or([0; 8]));
        let offset = u32::from_le_bytes(field(8, 4).try_into().unwrap_or([0; 4])) as usize;
        (chat, offset)
    }

    fn record(&self, at: usize) -> Result<DeliveryRecord, StoreError> {
        let (_, offset) = self.entry(at);
        let end = if at + 1 < self.count {
            self.entry(at + 1).1
        } else {
            self.bytes.len()
        };
        let body = self
            .bytes
            .get(offset..end)
            .ok_or_else(|| malformed("sealed record out of bounds"))?;
        ledger_codec::decode(body).map_err(StoreError::CorruptLedger)
    }

    fn find(&self, chat: SubscriberId) -> Result<Option<DeliveryRecord>, StoreError> {
        let (mut low, mut high) = (0, self.count);
        while low < high {
            let mid = low + (high - low) / 2;
            match self.entry(mid).0.cmp(&chat.0) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return self.record(mid).map(Some),
            }
        }
        Ok(None)
    }

    fn all(&self) -> Result<Vec<DeliveryRecord>, StoreError> {
        (0..self.count).map(|at| self.record(at)).collect()
    }
}

/// What one seal call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SealReport {
    /// Loose records packed into chunks.
    pub sealed: usize,
}

impl Store {
    pub(super) fn is_sealed(&self, date: NaiveDate) -> bool {
        self.space
            .sealed_days
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(&date)
    }

    /// Changes the set of sealed days and writes it to `meta`.
    fn change_sealed_days(
        &self,
        change: impl FnOnce(&mut BTreeSet<NaiveDate>) -> bool,
    ) -> Result<(), StoreError> {
        let mut days = self
            .space
            .sealed_days
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if change(&mut days) {
            let bytes = serde_json::to_vec(&*days).map_err(|source| StoreError::Encode {
                what: "sealed days",
                source,
            })?;
            self.meta.insert(self.space.sealed_days_key(), bytes)?;
        }
        Ok(())
    }

    /// `chat`'s sealed record of `date`, if its day was sealed with one.
    pub(super) fn sealed_delivery(
        &self,
        date: NaiveDate,
        chat: SubscriberId,
    ) -> Result<Option<DeliveryRecord>, StoreError> {
        if !self.is_sealed(date) {
            return Ok(None);
        }
        let tree = self.db.open_tree(self.space.sealed_tree_name(date))?;
        let Some(entry) = tree.range(..=id_key(chat)).next_back() else {
            return Ok(None);
        };
        let (_, bytes) = entry?;
        Chunk::read(&bytes)?.find(chat)
    }

    /// Every sealed record of `date`, in chat order.
    pub(super) fn sealed_deliveries(
        &self,
        date: NaiveDate,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let mut records = Vec::new();
        if !self.is_sealed(date) {
            return Ok(records);
        }
        for entry in &self.db.open_tree(self.space.sealed_tree_name(date))? {
            let (_, bytes) = entry?;
            records.extend(Chunk::read(&bytes)?.all()?);
        }
        Ok(records)
    }

    /// Drops the sealed trees of at most `most` days before `before`, oldest first; returns
    /// the days dropped and the records they held.
    pub(super) fn drop_sealed_before(
        &self,
        before: NaiveDate,
        most: usize,
    ) -> Result<(usize, usize), StoreError> {
        let days: Vec<NaiveDate> = self
            .space
            .sealed_days
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .range(..before)
            .take(most)
            .copied()
            .collect();
        let mut records = 0;
        for &date in &days {
            let name = self.space.sealed_tree_name(date);
            for entry in &self.db.open_tree(&name)? {
                let (_, bytes) = entry?;
                records += Chunk::read(&bytes)?.count;
            }
            self.db.drop_tree(name)?;
            self.change_sealed_days(|sealed| sealed.remove(&date))?;
        }
        Ok((days.len(), records))
    }

    /// Seals up to `batch` final loose records of the oldest day in `from..before` that has
    /// any, in the first edition's ledger that has one. Call it until it seals nothing.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or a record cannot be read.
    pub fn seal_batch(
        &self,
        from: NaiveDate,
        before: NaiveDate,
        batch: usize,
    ) -> Result<SealReport, StoreError> {
        for view in self.edition_views()? {
            let report = view.seal_batch_in_this_edition(from, before, batch)?;
            if report.sealed > 0 {
                return Ok(report);
            }
        }
        Ok(SealReport::default())
    }

    fn seal_batch_in_this_edition(
        &self,
        from: NaiveDate,
        before: NaiveDate,
        batch: usize,
    ) -> Result<SealReport, StoreError> {
        let mut start = vec![LEDGER];
        start.extend_from_slice(&date_key(from));
        let mut end = vec![LEDGER];
        end.extend_from_slice(&date_key(before));
        let mut day = None;
        let mut loose: Vec<(IVec, IVec, DeliveryRecord)> = Vec::new();
        for entry in self.space.ledger.range(start..end) {
            let (key, bytes) = entry?;
            let record = ledger_codec::decode(&bytes).map_err(StoreError::CorruptLedger)?;
            if record.state == DeliveryState::Pending {
                continue;
            }
            match day {
                None => day = Some(record.date),
                Some(d) if d != record.date => break,
                Some(_) => {}
            }
            loose.push((key, bytes, record));
            if loose.len() >= batch {
                break;
            }
        }
        let Some(date) = day else {
            return Ok(SealReport::default());
        };
        // Recorded before the chunks: a crash in between leaves a day marked with nothing
        // sealed yet, which reads as loose.
        self.change_sealed_days(|days| days.insert(date))?;
        self.write_chunks(date, loose.iter().map(|(_, _, r)| r.clone()).collect())?;
        for (key, bytes, _) in &loose {
            // Changed meanwhile: it stays loose and is read first.
            let _ = self
                .space
                .ledger
                .compare_and_swap(key, Some(bytes), None as Option<&[u8]>)?;
        }
        Ok(SealReport {
            sealed: loose.len(),
        })
    }

    /// Folds `records` (one day's, in chat order) into that day's chunks: into the chunk that
    /// covers each chat, or new chunks of [`CHUNK`] for chats before the first chunk or after
    /// the last chunk's last chat.
    fn write_chunks(
        &self,
        date: NaiveDate,
        records: Vec<DeliveryRecord>,
    ) -> Result<(), StoreError> {
        // The common case, a day sealed batch by batch in chat order: every record comes after
        // the last chunk's last chat, so new chunks are written and no old one is read.
        let tree = self.db.open_tree(self.space.sealed_tree_name(date))?;
        let last = match tree.iter().next_back() {
            Some(entry) => {
                let (_, bytes) = entry?;
                let chunk = Chunk::read(&bytes)?;
                chunk.count.checked_sub(1).map(|at| chunk.entry(at).0)
            }
            None => None,
        };
        let after_all = records
            .first()
            .is_some_and(|first| last.is_none_or(|last| first.chat.0 > last));
        if after_all {
            for piece in records.chunks(CHUNK) {
                if let Some(first) = piece.first() {
                    tree.insert(id_key(first.chat), pack(piece))?;
                }
            }
            return Ok(());
        }
        let mut existing: Vec<(SubscriberId, Vec<DeliveryRecord>)> = Vec::new();
        for entry in &tree {
            let (key, bytes) = entry?;
            let first = super::id_from_key(&key).ok_or_else(|| malformed("chunk key"))?;
            existing.push((first, Chunk::read(&bytes)?.all()?));
        }
        let last_chat = existing
            .last()
            .and_then(|(_, records)| records.last().map(|r| r.chat.0));
        let mut fresh_before = Vec::new();
        let mut fresh_after = Vec::new();
        let mut touched = vec![false; existing.len()];
        for record in records {
            let covering = existing
                .iter()
                .rposition(|(first, _)| first.0 <= record.chat.0);
            match covering {
                None => fresh_before.push(record),
                Some(at)
                    if at + 1 == existing.len() && last_chat.is_some_and(|l| record.chat.0 > l) =>
                {
                    fresh_after.push(record);
                }
                Some(at) => {
                    let chunk = &mut existing[at].1;
                    match chunk.binary_search_by_key(&record.chat.0, |r| r.chat.0) {
                        Ok(i) => chunk[i] = record,
                        Err(i) => chunk.insert(i, record),
                    }
                    touched[at] = true;
                }
            }
        }
        for ((first, chunk), touched) in existing.iter().zip(touched) {
            if touched {
                tree.insert(id_key(*first), pack(chunk))?;
            }
        }
        for fresh in [fresh_before, fresh_after] {
            for piece in fresh.chunks(CHUNK) {
                if let Some(first) = piece.first() {
                    tree.insert(id_key(first.chat), pack(piece))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn record(chat: i64, state: DeliveryState) -> DeliveryRecord {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let mut r = DeliveryRecord::new(
            "2026-11-01".parse().expect("date"),
            SubscriberId(chat),
            state,
            at,
            at,
        );
        r.message_ids = vec![i32::try_from(chat.rem_euclid(1000)).expect("small")];
        r
    }

    #[test]
    fn a_chunk_finds_each_record_and_nothing_else() {
        let records: Vec<_> = [-1_001_234_i64, -5, 3, 77, 1_000_000]
            .iter()
            .map(|&c| record(c, DeliveryState::Sent))
            .collect();
        let bytes = pack(&records);
        let chunk = Chunk::read(&bytes).expect("chunk");
        for r in &records {
            assert_eq!(chunk.find(r.chat).expect("read").as_ref(), Some(r));
        }
        assert_eq!(chunk.find(SubscriberId(4)).expect("read"), None);
        assert_eq!(chunk.all().expect("all"), records);
        assert!(Chunk::read(&bytes[..10]).is_err(), "cut short");
        assert!(Chunk::read(b"{\"json\":1}").is_err());
    }
}
