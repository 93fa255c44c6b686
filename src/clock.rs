//! The one place that reads the wall clock. Everything else takes `now` as an argument, so
//! tests pass a [`FixedClock`].

use chrono::{DateTime, NaiveDate, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in `tz`.
    fn today_in(&self, tz: chrono_tz::Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests and replays.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A clock that starts at a chosen instant and runs at real speed from there: demos, and
/// end-to-end tests of the real program at a known time of day (`NEWSBOT_CLOCK_START`).
#[derive(Debug, Clone, Copy)]
pub struct StartedClock {
    start: DateTime<Utc>,
    since: std::time::Instant,
}

impl StartedClock {
    /// A clock reading `start` now.
    #[must_use]
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            start,
            since: std::time::Instant::now(),
        }
    }
}

impl Clock for StartedClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = chrono::Duration::from_std(self.since.elapsed()).unwrap_or_default();
        self.start + elapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_follows_the_time_zone() {
        let late_utc = DateTime::parse_from_rfc3339("2026-11-28T20:30:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let clock = FixedClock(late_utc);
        assert_eq!(
            clock.today_in(chrono_tz::Asia::Shanghai).to_string(),
            "2026-11-29"
        );
        assert_eq!(clock.today_in(chrono_tz::UTC).to_string(), "2026-11-28");
    }
}
