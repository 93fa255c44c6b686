//! How long records are kept, and whether today's prune is due: the cutoffs that follow from
//! `NEWSBOT_RETENTION_DAYS` (ledger, digests, notices, drafts, uploads) and
//! `NEWSBOT_AUDIT_RETENTION_DAYS` (the newsroom's audit log). No I/O, no clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The kept windows, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days of ledger records, stored digests, breaking notices (with their copies), drafts
    /// and uploads kept, today included.
    pub days: u32,
    /// Days of audit entries kept.
    pub audit_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            days: 90,
            audit_days: 730,
        }
    }
}

/// What a prune on a given day removes: everything dated before `keep_from` (a day in the
/// paper's zone) and audit entries before `audit_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// The first day kept.
    pub keep_from: NaiveDate,
    /// The first audit instant kept.
    pub audit_from: DateTime<Utc>,
}

impl Retention {
    /// The cutoffs on `today` (the paper's date) at `now`. With 90 days kept, today and the
    /// 89 days before it stay; the audit keeps `audit_days` × 24 hours back from `now`.
    #[must_use]
    pub fn cutoffs(&self, today: NaiveDate, now: DateTime<Utc>) -> Cutoffs {
        let kept_back = i64::from(self.days.max(1)) - 1;
        Cutoffs {
            keep_from: today
                .checked_sub_signed(Duration::days(kept_back))
                .unwrap_or(NaiveDate::MIN),
            audit_from: now
                .checked_sub_signed(Duration::days(i64::from(self.audit_days.max(1))))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }

    /// True when no prune has finished on `today` yet.
    #[must_use]
    pub fn prune_due(last_pruned: Option<NaiveDate>, today: NaiveDate) -> bool {
        last_pruned.is_none_or(|last| last < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn ninety_days_keep_today_and_the_eighty_nine_before() {
        let now = DateTime::parse_from_rfc3339("2026-12-05T06:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let cut = Retention::default().cutoffs(day("2026-12-05"), now);
        assert_eq!(cut.keep_from, day("2026-09-07"));
        assert_eq!((day("2026-12-05") - cut.keep_from).num_days() + 1, 90);
        assert_eq!(cut.audit_from, now - Duration::days(730));
    }

    #[test]
    fn a_window_of_zero_days_still_keeps_today() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let keep = Retention {
            days: 0,
            audit_days: 0,
        };
        let cut = keep.cutoffs(day("2026-12-05"), now);
        assert_eq!(cut.keep_from, day("2026-12-05"));
        assert_eq!(cut.audit_from, now - Duration::days(1));
    }

    #[test]
    fn the_prune_runs_once_a_day() {
        assert!(Retention::prune_due(None, day("2026-12-05")));
        assert!(Retention::prune_due(
            Some(day("2026-12-04")),
            day("2026-12-05")
        ));
        assert!(!Retention::prune_due(
            Some(day("2026-12-05")),
            day("2026-12-05")
        ));
        // A clock set back does not prune twice.
        assert!(!Retention::prune_due(
            Some(day("2026-12-06")),
            day("2026-12-05")
        ));
    }
}
