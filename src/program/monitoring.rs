//! For operators, on `NEWSBOT_METRICS_LISTEN` (off by default): `/healthz` (JSON: the
//! database readable, today's digest, outbox depth, last scheduler tick, which instance
//! leads; 503 when unhealthy or a standby)
//! and `/metrics` (Prometheus text from the `metrics` recorder). The names recorded are the
//! constants in [`crate::edge::metrics`].

use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::app::leadership::LeaderState;
use crate::app::scheduler::DailyJobs;
use crate::edge::clock::Clock;
use crate::edge::store::Store;

/// A scheduler that has not ticked for this long is stalled.
const TICK_STALE: chrono::Duration = chrono::Duration::minutes(3);

/// Installs the Prometheus recorder once per process and returns its handle.
///
/// # Errors
/// When another recorder was installed first.
pub fn recorder() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let seconds = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
        300.0, 900.0,
    ];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &seconds)?
        .install_recorder()?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// What `/healthz` reports.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HealthReport {
    /// `ok` or `unhealthy`.
    pub status: &'static str,
    /// Whether the database answered a read.
    pub database_readable: bool,
    /// Today's date in the paper's time zone.
    pub today: String,
    /// The date of today's digest when built, else null.
    pub todays_digest: Option<String>,
    /// The newest digest's date.
    pub latest_digest: Option<String>,
    /// Jobs waiting in the outbox.
    pub outbox_depth: usize,
    /// When the scheduler last ran its delivery tick (RFC 3339).
    pub last_tick: Option<String>,
    /// Why today's digest could not be built yet, when a build failed.
    pub build_problem: Option<String>,
    /// The day of the last finished prune of records older than the retention.
    pub last_prune: Option<String>,
    /// `single` (one process, sled), `leader` or `standby` (instances sharing PostgreSQL).
    pub role: &'static str,
    /// This instance's name (`NEWSBOT_INSTANCE`).
    pub instance: String,
    /// Seconds this instance has held the leader's lease, at its last renewal.
    pub lease_age_secs: Option<u64>,
    /// Why it is unhealthy; empty when healthy.
    pub problems: Vec<String>,
}

/// What the health check reads.
pub struct Health {
    store: Store,
    clock: Arc<dyn Clock>,
    timezone: chrono_tz::Tz,
    jobs: Arc<DailyJobs>,
    started: DateTime<Utc>,
    leader: Arc<LeaderState>,
}

impl Health {
    /// A problem of another edition's build of about `today` (its own zone's day may differ
    /// by one) whose digest is still missing.
    fn other_editions_problem(&self, today: chrono::NaiveDate) -> Option<String> {
        let views = self.store.edition_views().ok()?;
        views.iter().skip(1).find_map(|view| {
            let p = view.build_problem().ok()??;
            let recent = (p.date - today).num_days().abs() <= 1;
            if !recent || view.digest(p.date).ok()?.is_some() {
                return None;
            }
            Some(format!(
                "edition {}: the digest of {} could not be built ({} attempts, last at {}): {}",
                view.edition()?,
                p.date,
                p.attempts,
                p.at,
                p.message
            ))
        })
    }

    /// A health check over the running service's parts.
    #[must_use]
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        timezone: chrono_tz::Tz,
        jobs: Arc<DailyJobs>,
    ) -> Self {
        let started = clock.now();
        Self {
            store,
            clock,
            timezone,
            jobs,
            started,
            leader: Arc::default(),
        }
    }

    /// The same check, saying which instance leads (a standby is not ready: its scheduler
    /// waits for the lease).
    #[must_use]
    pub fn with_leadership(mut self, leader: Arc<LeaderState>) -> Self {
        self.leader = leader;
        self
    }

    /// Checks the database and the scheduler.
    #[must_use]
    pub fn check(&self) -> HealthReport {
        let now = self.clock.now();
        let today = self.clock.today_in(self.timezone);
        let mut problems = Vec::new();
        let (readable, latest) = match self.store.latest_digest() {
            Ok(latest) => (true, latest.map(|d| d.date)),
            Err(e) => {
                problems.push(format!("database not readable: {e}"));
                (false, None)
            }
        };
        let last_tick = self.jobs.last_tick();
        let waited_since = last_tick.unwrap_or(self.started);
        let standby = self.leader.role() == "standby";
        if !standby && now - waited_since > TICK_STALE {
            problems.push(format!(
                "the scheduler has not ticked since {}",
                waited_since.to_rfc3339()
            ));
        }
        let todays = latest.filter(|d| *d == today);
        let mut build_problem = match self.store.build_problem() {
            Ok(Some(p)) if todays.is_none() && p.date == today => Some(format!(
                "today's digest could not be built ({} attempts, last at {}): {}",
                p.attempts, p.at, p.message
            )),
            _ => None,
        };
        // Another edition's failing build (kept until that edition's next success).
        if build_problem.is_none() {
            build_problem = self.other_editions_problem(today);
        }
        if let Some(p) = &build_problem {
            problems.push(p.clone());
        }
        HealthReport {
            build_problem,
            status: if !problems.is_empty() {
                "unhealthy"
            } else if standby {
                "standby"
            } else {
                "ok"
            },
            role: self.leader.role(),
            instance: self.leader.instance.clone(),
            lease_age_secs: (self.leader.role() == "leader")
                .then(|| self.leader.lease_age().as_secs()),
            database_readable: readable,
            today: today.to_string(),
            todays_digest: latest.filter(|d| *d == today).map(|d| d.to_string()),
            latest_digest: latest.map(|d| d.to_string()),
            outbox_depth: self.store.outbox_len(),
            last_tick: last_tick.map(|t| t.to_rfc3339()),
            last_prune: match self.store.last_prune() {
                Ok(day) => day.map(|d| d.to_string()),
                Err(e) => {
                    tracing::warn!(error.message = %e, "could not read the last prune day");
                    None
                }
            },
            problems,
        }
    }
}

#[derive(Clone)]
struct Shared {
    health: Arc<Health>,
    handle: PrometheusHandle,
}

async fn healthz(State(shared): State<Shared>) -> impl IntoResponse {
    let report = shared.health.check();
    // A standby is alive but not ready: a load balancer sends updates to the leader.
    let status = if report.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}

async fn metrics_text(State(shared): State<Shared>) -> impl IntoResponse {
    metrics::gauge!(crate::edge::metrics::OUTBOX_DEPTH)
        .set(shared.health.store.outbox_len() as f64);
    let leader = &shared.health.leader;
    metrics::gauge!(crate::edge::metrics::LEADER).set(if leader.role() == "standby" {
        0.0
    } else {
        1.0
    });
    metrics::gauge!(crate::edge::metrics::LEASE_AGE).set(leader.lease_age().as_secs_f64());
    (
        [("content-type", "text/plain; version=0.0.4")],
        shared.handle.render(),
    )
}

/// Serves `/healthz` and `/metrics` on `listener` (bound by [`crate::program::service`])
/// until `cancel` fires.
pub fn serve_monitoring(
    listener: tokio::net::TcpListener,
    handle: PrometheusHandle,
    health: Arc<Health>,
    cancel: CancellationToken,
) {
    match listener.local_addr() {
        Ok(addr) => tracing::info!(%addr, "health and metrics listening"),
        Err(e) => tracing::warn!(error.message = %e, "health and metrics listening"),
    }
    let router = axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(Shared { health, handle });
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(cancel.cancelled_owned())
            .await
        {
            tracing::error!(error.message = %e, "health and metrics listener failed");
        }
    });
}
