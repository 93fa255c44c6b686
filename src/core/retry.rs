//! The one retry policy: how long to wait after a failure, doubling from a first wait up to a
//! ceiling, and when to give up. Pure: callers do the waiting (with their own cancellation),
//! this only says for how long.

use std::time::Duration;

/// Exponential backoff with an optional bound on retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait after the first failure.
    pub first: Duration,
    /// No wait is longer than this.
    pub ceiling: Duration,
    /// Retries allowed after the first try; `None` retries until the caller stops.
    pub retries: Option<u32>,
}

impl Backoff {
    /// Doubling from `first` to `ceiling`, `retries` times at most.
    #[must_use]
    pub const fn bounded(first: Duration, ceiling: Duration, retries: u32) -> Self {
        Self {
            first,
            ceiling,
            retries: Some(retries),
        }
    }

    /// Doubling from `first` to `ceiling` for as long as the caller keeps trying.
    #[must_use]
    pub const fn unbounded(first: Duration, ceiling: Duration) -> Self {
        Self {
            first,
            ceiling,
            retries: None,
        }
    }

    /// The wait before the next try after `failures` failed tries (1 for the first failure),
    /// or `None` when the retries are used up.
    #[must_use]
    pub fn wait_after(&self, failures: u32) -> Option<Duration> {
        if failures == 0 {
            return Some(Duration::ZERO);
        }
        if self.retries.is_some_and(|retries| failures > retries) {
            return None;
        }
        let doublings = failures - 1;
        let factor = 2u32.checked_pow(doublings).unwrap_or(u32::MAX);
        Some(self.first.saturating_mul(factor).min(self.ceiling))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn waits_double_up_to_the_ceiling_then_stop_when_retries_run_out() {
        let policy = Backoff::bounded(500 * MS, 3_000 * MS, 4);
        let waits: Vec<Option<Duration>> = (1..=5).map(|n| policy.wait_after(n)).collect();
        assert_eq!(
            waits,
            vec![
                Some(500 * MS),
                Some(1_000 * MS),
                Some(2_000 * MS),
                Some(3_000 * MS),
                None
            ]
        );
    }

    #[test]
    fn an_unbounded_policy_never_gives_up_and_never_overflows() {
        let policy = Backoff::unbounded(Duration::from_secs(60), Duration::from_secs(1800));
        assert_eq!(policy.wait_after(1), Some(Duration::from_secs(60)));
        assert_eq!(policy.wait_after(3), Some(Duration::from_secs(240)));
        assert_eq!(policy.wait_after(40), Some(Duration::from_secs(1800)));
        assert_eq!(policy.wait_after(u32::MAX), Some(Duration::from_secs(1800)));
        assert_eq!(policy.wait_after(0), Some(Duration::ZERO));
    }
}
