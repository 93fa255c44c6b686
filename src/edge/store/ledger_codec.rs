//! The ledger's on-disk encoding: a compact binary record (about 20 bytes for a delivered
//! digest, against about 250 as JSON), because a year of daily deliveries to 100,000 chats
//! is tens of millions of them. Records written as JSON by earlier versions are still read.
//!
//! Layout: tag `0xD2`, state, flags, then LEB128 varints (signed ones zigzagged): date (days
//! from the common era), chat, the due instant in seconds from the date's midnight (UTC), the
//! updated instant in seconds from the due one, their nanoseconds when the flags say so,
//! attempts, in-flight, lost and handled counts, the message ids (count, then each), then the
//! optional notice number, migrated-to chat and error text (length, bytes) as the flags say.

use chrono::{DateTime, Datelike, NaiveDate};

use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::subscriber::SubscriberId;

/// First byte of a binary record (JSON records start with `{`).
const TAG: u8 = 0xD2;

const HAS_NOTICE: u8 = 1;
const HAS_MIGRATED: u8 = 1 << 1;
const HAS_ERROR: u8 = 1 << 2;
const UNREACHABLE: u8 = 1 << 3;
const HAS_NANOS: u8 = 1 << 4;

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

fn put_u64(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_i64(out: &mut Vec<u8>, n: i64) {
    put_u64(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn midnight_seconds(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// Encodes `record` compactly.
#[must_use]
pub fn encode(record: &DeliveryRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + 5 * record.message_ids.len());
    let nanos = [record.due_at, record.updated_at].map(|t| t.timestamp_subsec_nanos());
    let mut flags = 0;
    for (set, flag) in [
        (record.notice.is_some(), HAS_NOTICE),
        (record.migrated_to.is_some(), HAS_MIGRATED),
        (record.error.is_some(), HAS_ERROR),
        (record.unreachable, UNREACHABLE),
        (nanos != [0, 0], HAS_NANOS),
    ] {
        if set {
            flags |= flag;
        }
    }
    out.push(TAG);
    out.push(state_code(record.state));
    out.push(flags);
    put_i64(&mut out, i64::from(record.date.num_days_from_ce()));
    put_i64(&mut out, record.chat.0);
    let due = record.due_at.timestamp();
    put_i64(&mut out, due.wrapping_sub(midnight_seconds(record.date)));
    put_i64(&mut out, record.updated_at.timestamp().wrapping_sub(due));
    if flags & HAS_NANOS != 0 {
        for n in nanos {
            put_u64(&mut out, u64::from(n));
        }
    }
    for n in [
        record.attempts,
        record.in_flight,
        record.lost,
        record.handled,
    ] {
        put_u64(&mut out, u64::from(n));
    }
    put_u64(&mut out, record.message_ids.len() as u64);
    for id in &record.message_ids {
        put_i64(&mut out, i64::from(*id));
    }
    if let Some(n) = record.notice {
        put_u64(&mut out, n);
    }
    if let Some(to) = record.migrated_to {
        put_i64(&mut out, to.0);
    }
    if let Some(error) = &record.error {
        put_u64(&mut out, error.len() as u64);
        out.extend_from_slice(error.as_bytes());
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
    let date = i32::try_from(r.i64()?)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or(LedgerCodecError::Malformed("date"))?;
    let chat = SubscriberId(r.i64()?);
    let due = midnight_seconds(date).wrapping_add(r.i64()?);
    let updated = due.wrapping_add(r.i64()?);
    let [due_nanos, updated_nanos] = if flags & HAS_NANOS != 0 {
        [r.u32()?, r.u32()?]
    } else {
        [0, 0]
    };
    let instant = |seconds, nanos| {
        DateTime::from_timestamp(seconds, nanos).ok_or(LedgerCodecError::Malformed("instant"))
    };
    let due_at = instant(due, due_nanos)?;
    let updated_at = instant(updated, updated_nanos)?;
    let attempts = r.u32()?;
    let in_flight = r.u32()?;
    let lost = r.u32()?;
    let handled = r.u32()?;
    let count = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
    if count > bytes.len() {
        return Err(LedgerCodecError::Malformed("message id count"));
    }
    let mut message_ids = Vec::with_capacity(count);
    for _ in 0..count {
        message_ids
            .push(i32::try_from(r.i64()?).map_err(|_| LedgerCodecError::Malformed("message id"))?);
    }
    let notice = (flags & HAS_NOTICE != 0).then(|| r.u64()).transpose()?;
    let migrated_to = (flags & HAS_MIGRATED != 0)
        .then(|| r.i64().map(SubscriberId))
        .transpose()?;
    let error = if flags & HAS_ERROR != 0 {
        let len = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
        let text = r.take(len)?;
        Some(String::from_utf8_lossy(text).into_owned())
    } else {
        None
    };
    if r.at != bytes.len() {
        return Err(LedgerCodecError::Malformed("trailing bytes"));
    }
    Ok(DeliveryRecord {
        date,
        chat,
        edition: None,
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

    fn u8(&mut self) -> Result<u8, LedgerCodecError> {
        Ok(self.take(1)?[0])
    }

    fn u64(&mut self) -> Result<u64, LedgerCodecError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(LedgerCodecError::Malformed("varint too long"))
    }

    fn i64(&mut self) -> Result<i64, LedgerCodecError> {
        let raw = self.u64()?;
        Ok(((raw >> 1) as i64) ^ -((raw & 1) as i64))
    }

    fn u32(&mut self) -> Result<u32, LedgerCodecError> {
        u32::try_from(self.u64()?).map_err(|_| LedgerCodecError::Malformed("count"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

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
        assert!(encode(&sent).len() <= 32, "{} bytes", encode(&sent).len());
    }

    #[test]
    fn a_delivered_digest_on_whole_seconds_takes_about_twenty_bytes() {
        let at = DateTime::parse_from_rfc3339("2026-11-29T23:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let mut r = DeliveryRecord::new(
            "2026-11-30".parse().expect("date"),
            SubscriberId(5_123_456_789),
            DeliveryState::Sent,
            at,
            at + chrono::Duration::seconds(3),
        );
        r.message_ids = vec![1_234_567];
        let bytes = encode(&r);
        assert!(bytes.len() <= 24, "{} bytes", bytes.len());
        assert_eq!(decode(&bytes).expect("decode"), r);
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
