//! The ledger's on-disk encoding: a compact binary record (about 60 bytes for a delivered
//! digest, against about 250 as JSON), because a year of daily deliveries to 100,000 chats
//! is tens of millions of them. Records written as JSON by earlier versions are still read.
//!
//! Layout (little-endian): tag `0xD1`, state, flags, date (days from the common era),
//! chat, due and updated instants (seconds and nanoseconds each), attempts, in-flight, lost
//! and handled counts, the message ids (count, then each), then the optional notice number,
//! migrated-to chat and error text as the flags say.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::subscriber::SubscriberId;

/// First byte of a binary record (JSON records start with `{`).
const TAG: u8 = 0xD1;

const HAS_NOTICE: u8 = 1;
const HAS_MIGRATED: u8 = 1 << 1;
const HAS_ERROR: u8 = 1 << 2;
const UNREACHABLE: u8 = 1 << 3;

/// Why bytes are not a ledger record.
#[derive(Debug, thiserror::Error)]
pub enum LedgerCodecError {
    /// A JSON record (an earlier version's) that does not parse.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A binary record cut short or with a value out of range.
    #[error("binary ledger record is malformed: {0}")]
    Malformed(&'static str),
}

fn state_code(state: DeliveryState) -> u8 {
    match state {
        DeliveryState::Pending => 0,
        DeliveryState::Sent => 1,
        DeliveryState::Failed => 2,
        DeliveryState::Blocked => 3,
        DeliveryState::Migrated => 4,
        DeliveryState::Missed => 5,
        DeliveryState::Withdrawn => 6,
    }
}

fn state_of(code: u8) -> Option<DeliveryState> {
    Some(match code {
        0 => DeliveryState::Pending,
        1 => DeliveryState::Sent,
        2 => DeliveryState::Failed,
        3 => DeliveryState::Blocked,
        4 => DeliveryState::Migrated,
        5 => DeliveryState::Missed,
        6 => DeliveryState::Withdrawn,
        _ => return None,
    })
}

/// Encodes `record` compactly.
#[must_use]
pub fn encode(record: &DeliveryRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 4 * record.message_ids.len());
    let mut flags = 0;
    if record.notice.is_some() {
        flags |= HAS_NOTICE;
    }
    if record.migrated_to.is_some() {
        flags |= HAS_MIGRATED;
    }
    if record.error.is_some() {
        flags |= HAS_ERROR;
    }
    if record.unreachable {
        flags |= UNREACHABLE;
    }
    out.push(TAG);
    out.push(state_code(record.state));
    out.push(flags);
    out.extend_from_slice(&record.date.num_days_from_ce().to_le_bytes());
    out.extend_from_slice(&record.chat.0.to_le_bytes());
    for at in [record.due_at, record.updated_at] {
        out.extend_from_slice(&at.timestamp().to_le_bytes());
        out.extend_from_slice(&at.timestamp_subsec_nanos().to_le_bytes());
    }
    for n in [
        record.attempts,
        record.in_flight,
        record.lost,
        record.handled,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    let ids = u32::try_from(record.message_ids.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&ids.to_le_bytes());
    for id in record.message_ids.iter().take(ids as usize) {
        out.extend_from_slice(&id.to_le_bytes());
    }
    if let Some(n) = record.notice {
        out.extend_from_slice(&n.to_le_bytes());
    }
    if let Some(to) = record.migrated_to {
        out.extend_from_slice(&to.0.to_le_bytes());
    }
    if let Some(error) = &record.error {
        let len = u32::try_from(error.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&error.as_bytes()[..len as usize]);
    }
    out
}

/// Decodes a record written by [`encode`], or as JSON by an earlier version.
///
/// # Errors
/// [`LedgerCodecError`] when the bytes are neither.
pub fn decode(bytes: &[u8]) -> Result<DeliveryRecord, LedgerCodecError> {
    if bytes.first() != Some(&TAG) {
        return Ok(serde_json::from_slice(bytes)?);
    }
    let mut r = Reader { bytes, at: 1 };
    let state = state_of(r.u8()?).ok_or(LedgerCodecError::Malformed("state"))?;
    let flags = r.u8()?;
    let date = NaiveDate::from_num_days_from_ce_opt(r.i32()?)
        .ok_or(LedgerCodecError::Malformed("date"))?;
    let chat = SubscriberId(r.i64()?);
    let due_at = r.instant()?;
    let updated_at = r.instant()?;
    let attempts = r.u32()?;
    let in_flight = r.u32()?;
    let lost = r.u32()?;
    let handled = r.u32()?;
    let count = r.u32()? as usize;
    if count > bytes.len() / 4 {
        return Err(LedgerCodecError::Malformed("message id count"));
    }
    let mut message_ids = Vec::with_capacity(count);
    for _ in 0..count {
        message_ids.push(r.i32()?);
    }
    let notice = (flags & HAS_NOTICE != 0).then(|| r.u64()).transpose()?;
    let migrated_to = (flags & HAS_MIGRATED != 0)
        .then(|| r.i64().map(SubscriberId))
        .transpose()?;
    let error = if flags & HAS_ERROR != 0 {
        let len = r.u32()? as usize;
        let text = r.take(len)?;
        Some(String::from_utf8_lossy(text).into_owned())
    } else {
        None
    };
    Ok(DeliveryRecord {
        date,
        chat,
        notice,
        state,
        message_ids,
        attempts,
        migrated_to,
        error,
        in_flight,
        lost,
        handled,
        unreachable: flags & UNREACHABLE != 0,
        due_at,
        updated_at,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LedgerCodecError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(LedgerCodecError::Malformed("cut short"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], LedgerCodecError> {
        self.take(N)?
            .try_into()
            .map_err(|_| LedgerCodecError::Malformed("cut short"))
    }

    fn u8(&mut self) -> Result<u8, LedgerCodecError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, LedgerCodecError> {
        self.array().map(u32::from_le_bytes)
    }

    fn i32(&mut self) -> Result<i32, LedgerCodecError> {
        self.array().map(i32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, LedgerCodecError> {
        self.array().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Result<i64, LedgerCodecError> {
        self.array().map(i64::from_le_bytes)
    }

    fn instant(&mut self) -> Result<DateTime<Utc>, LedgerCodecError> {
        let seconds = self.i64()?;
        let nanos = self.u32()?;
        DateTime::from_timestamp(seconds, nanos).ok_or(LedgerCodecError::Malformed("instant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> DeliveryRecord {
        let now = DateTime::parse_from_rfc3339("2026-11-30T07:00:01.123456789Z")
            .expect("time")
            .with_timezone(&Utc);
        DeliveryRecord::new(
            now.date_naive(),
            SubscriberId(-100_123),
            DeliveryState::Sent,
            now,
            now,
        )
    }

    #[test]
    fn every_field_survives_the_round_trip() {
        let mut full = record();
        full.message_ids = vec![1, -2, i32::MAX];
        full.notice = Some(7);
        full.migrated_to = Some(SubscriberId(-100_999));
        full.error = Some("Forbidden: bot was blocked by the user · 已屏蔽".to_owned());
        full.attempts = 3;
        full.in_flight = 1;
        full.lost = 2;
        full.handled = 4;
        full.unreachable = true;
        full.state = DeliveryState::Withdrawn;
        for r in [record(), full] {
            let bytes = encode(&r);
            assert_eq!(decode(&bytes).expect("decode"), r);
        }
        let mut sent = record();
        sent.message_ids = vec![101, 102];
        assert!(encode(&sent).len() <= 72, "{} bytes", encode(&sent).len());
    }

    #[test]
    fn earlier_json_records_still_read_and_garbage_is_an_error() {
        let r = record();
        let json = serde_json::to_vec(&r).expect("json");
        assert_eq!(decode(&json).expect("json record"), r);
        let bytes = encode(&r);
        for cut in [1, 5, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = bytes.clone();
        bad[1] = 99;
        assert!(decode(&bad).is_err());
        assert!(decode(b"").is_err());
    }
}
