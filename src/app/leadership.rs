//! Use case "one leader at a time": with a shared (PostgreSQL) store, several `serve`
//! instances run and one holds the leader's lease; only it talks to Telegram (scheduler,
//! delivery worker, chat), so one pacer still holds the bot's limits. The leader renews the
//! lease every third of its length; a standby tries for it every tenth, so it takes over at
//! most `NEWSBOT_LEASE_SECS` and a tenth after the leader's last renewal. A leader that cannot renew within its lease stops at once and
//! sends nothing more. With sled there is one process, and it leads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::edge::store::Store;

/// What the health probe and the metrics say about leadership.
#[derive(Debug, Default)]
pub struct LeaderState {
    /// This instance's name.
    pub instance: String,
    /// True when a shared store makes leadership a question.
    pub shared: bool,
    leading: AtomicBool,
    token: AtomicU64,
    /// Seconds the lease has been held by this instance, in milliseconds, at the last
    /// renewal.
    held_ms: AtomicU64,
    /// When the lease last taken or renewed runs out at the latest, by this machine's
    /// monotonic clock (counted from before the request, so never later than the
    /// database's expiry).
    valid_until: std::sync::Mutex<Option<std::time::Instant>>,
}

impl LeaderState {
    /// True while this instance leads.
    #[must_use]
    pub fn leading(&self) -> bool {
        self.leading.load(Ordering::SeqCst)
    }

    /// The fencing token of this instance's lease (0 with sled).
    #[must_use]
    pub fn token(&self) -> u64 {
        self.token.load(Ordering::SeqCst)
    }

    /// How long this instance has held the lease, at its last renewal.
    #[must_use]
    pub fn lease_age(&self) -> Duration {
        Duration::from_millis(self.held_ms.load(Ordering::SeqCst))
    }

    /// True while this instance may talk to Telegram: always with sled; on a shared store
    /// only until its lease runs out, so a leader that was frozen (not killed) longer than
    /// the lease sends nothing more when it wakes, even before it learns it lost the lease.
    #[must_use]
    pub fn may_send(&self) -> bool {
        !self.shared
            || self
                .valid_until
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .is_some_and(|until| until > std::time::Instant::now())
    }

    /// `leader`, `standby`, or `single` (sled: no other instance).
    #[must_use]
    pub fn role(&self) -> &'static str {
        match (self.shared, self.leading()) {
            (false, _) => "single",
            (true, true) => "leader",
            (true, false) => "standby",
        }
    }
}

/// How holding the lease ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseEnd {
    /// The service is stopping.
    Stopped,
    /// Another instance holds it now, or it could not be renewed in time.
    Lost,
}

/// Takes, keeps and gives up the leader's lease.
#[derive(Debug, Clone)]
pub struct Leadership {
    store: Store,
    lease: Duration,
    state: Arc<LeaderState>,
}

impl Leadership {
    /// Leadership of `instance` over `store` with leases of `lease`.
    #[must_use]
    pub fn new(store: Store, instance: String, lease: Duration) -> Self {
        let state = Arc::new(LeaderState {
            instance,
            shared: store.is_shared(),
            ..LeaderState::default()
        });
        Self {
            store,
            lease,
            state,
        }
    }

    /// What the probes say.
    #[must_use]
    pub fn state(&self) -> Arc<LeaderState> {
        Arc::clone(&self.state)
    }

    /// How often the leader renews the lease: a third of its length.
    fn beat(&self) -> Duration {
        (self.lease / 3).max(Duration::from_millis(200))
    }

    /// How often a standby tries for the lease: a tenth of its length, so it takes over at
    /// most that long after the lease runs out.
    fn poll(&self) -> Duration {
        (self.lease / 10).max(Duration::from_millis(100))
    }

    /// One try for the lease, off the async threads.
    async fn try_lead(&self) -> Result<bool, String> {
        let (store, instance) = (self.store.clone(), self.state.instance.clone());
        let secs = self.lease.as_secs().max(1);
        let asked = std::time::Instant::now();
        let held = tokio::task::spawn_blocking(move || store.try_lead(&instance, secs))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| crate::core::error_chain::error_chain(&e))?;
        match held {
            Some((token, age)) => {
                self.state.token.store(token, Ordering::SeqCst);
                self.state
                    .held_ms
                    .store((age.max(0.0) * 1000.0) as u64, Ordering::SeqCst);
                *self
                    .state
                    .valid_until
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(asked + Duration::from_secs(secs));
                self.state.leading.store(true, Ordering::SeqCst);
                Ok(true)
            }
            None => {
                self.state.leading.store(false, Ordering::SeqCst);
                Ok(false)
            }
        }
    }

    /// Frees the outbox jobs a former leader had claimed (it sends nothing more once its
    /// lease is gone), so this one resumes them at once.
    async fn take_over_outbox(&self) {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || store.take_over_outbox()).await {
            Ok(Ok(0)) => {}
            Ok(Ok(freed)) => {
                tracing::info!(
                    jobs = freed,
                    "delivery jobs of the former leader taken over"
                );
            }
            Ok(Err(e)) => {
                tracing::warn!(error.message = %e, "could not take over the former leader's delivery jobs; they are resumed when their claims run out")
            }
            Err(e) => tracing::warn!(error.message = %e, "taking over the delivery jobs stopped"),
        }
    }

    /// Waits as a standby until this instance holds the lease; false when `cancel` fired
    /// first.
    pub async fn acquire(&self, cancel: &CancellationToken) -> bool {
        let mut said = false;
        loop {
            match self.try_lead().await {
                Ok(true) => {
                    if self.state.shared {
                        tracing::info!(instance = %self.state.instance, token = self.state.token(), "leader lease acquired: this instance talks to Telegram");
                        self.take_over_outbox().await;
                    }
                    return true;
                }
                Ok(false) if !said => {
                    tracing::info!(instance = %self.state.instance, "standby: another instance holds the leader lease");
                    said = true;
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error.message = %e, "could not ask for the leader lease"),
            }
            tokio::select! {
                () = tokio::time::sleep(self.poll()) => {}
                () = cancel.cancelled() => return false,
            }
        }
    }

    /// Renews the lease until `cancel` fires ([`LeaseEnd::Stopped`]) or it is lost: another
    /// instance holds it, or no renewal succeeded for a whole lease. Then fires `cancel`, so
    /// everything that talks to Telegram stops.
    pub async fn keep(&self, cancel: CancellationToken) -> LeaseEnd {
        if !self.state.shared {
            cancel.cancelled().await;
            return LeaseEnd::Stopped;
        }
        let mut last_renewal = tokio::time::Instant::now();
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.beat()) => {}
                () = cancel.cancelled() => return LeaseEnd::Stopped,
            }
            match self.try_lead().await {
                Ok(true) => last_renewal = tokio::time::Instant::now(),
                Ok(false) => {
                    tracing::error!(instance = %self.state.instance, "lost the leader lease to another instance: stopping");
                    cancel.cancel();
                    return LeaseEnd::Lost;
                }
                Err(e) => {
                    // The lease may run out before the database answers again: stop
                    // before it does, so two instances never send at once.
                    if last_renewal.elapsed() + self.beat() >= self.lease {
                        tracing::error!(error.message = %e, "could not renew the leader lease in time: stopping");
                        self.state.leading.store(false, Ordering::SeqCst);
                        cancel.cancel();
                        return LeaseEnd::Lost;
                    }
                    tracing::warn!(error.message = %e, "could not renew the leader lease; retrying");
                }
            }
        }
    }

    /// Gives the lease up at a clean stop.
    pub async fn step_down(&self) {
        if !self.state.shared || !self.state.leading() {
            return;
        }
        let (store, instance) = (self.store.clone(), self.state.instance.clone());
        match tokio::task::spawn_blocking(move || store.step_down(&instance)).await {
            Ok(Ok(())) => tracing::info!("leader lease given up"),
            Ok(Err(e)) => {
                tracing::warn!(error.message = %e, "could not give the leader lease up; it runs out by itself")
            }
            Err(e) => tracing::warn!(error.message = %e, "could not give the leader lease up"),
        }
        self.state.leading.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn state(shared: bool, valid_until: Option<Instant>) -> LeaderState {
        LeaderState {
            shared,
            valid_until: std::sync::Mutex::new(valid_until),
            ..LeaderState::default()
        }
    }

    #[test]
    fn a_leader_sends_only_while_its_lease_runs() {
        let now = Instant::now();
        assert!(state(false, None).may_send(), "sled: one instance, always");
        assert!(!state(true, None).may_send(), "a standby never");
        assert!(state(true, Some(now + Duration::from_secs(10))).may_send());
        let expired = now.checked_sub(Duration::from_secs(1)).map(Some);
        if let Some(expired) = expired {
            assert!(!state(true, expired).may_send(), "a lease run out");
        }
    }
}
