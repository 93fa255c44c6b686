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

/// A clock that runs at real speed from an instant that can be moved forward: the demo
/// jumps it to the next delivery time instead of waiting an hour.
#[derive(Debug)]
pub struct SteppedClock {
    base: std::sync::Mutex<(DateTime<Utc>, std::time::Instant)>,
}

impl SteppedClock {
    /// A clock reading `start` now.
    #[must_use]
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            base: std::sync::Mutex::new((start, std::time::Instant::now())),
        }
    }

    /// Makes the clock read `at` now (and run on from there).
    pub fn jump_to(&self, at: DateTime<Utc>) {
        let mut base = self
            .base
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *base = (at, std::time::Instant::now());
    }
}

impl Clock for SteppedClock {
    fn now(&self) -> DateTime<Utc> {
        let (start, since) = *self
            .base
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        start + chrono::Duration::from_std(since.elapsed()).unwrap_or_default()
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

    #[test]
    fn a_stepped_clock_jumps_forward_and_runs_on() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("valid")
                .with_timezone(&Utc)
        };
        let clock = SteppedClock::new(at("2026-11-28T22:30:00Z"));
        assert!(clock.now() >= at("2026-11-28T22:30:00Z"));
        clock.jump_to(at("2026-11-29T00:00:00Z"));
        let now = clock.now();
        assert!(now >= at("2026-11-29T00:00:00Z") && now < at("2026-11-29T00:01:00Z"));
    }
}
