//! The daily build job: makes sure the day's digest exists. It fetches and builds the
//! edition ([`crate::app::daily`]), refuses a page that is not the day's yet (its masthead carries
//! another date), stores the digest and archives it under the digest folder, and while the
//! page is not published it retries with backoff until the day is over.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio_util::sync::CancellationToken;

use crate::app::daily::{DailyRequest, build_daily_digest};
use crate::app::ingest::{EditionSource, IngestError};
use crate::core::digest::{Digest, Lang};
use crate::core::retry::Backoff;
use crate::core::schedule::due_instant;
use crate::core::subscriber::DeliveryTime;
use crate::core::summary::Summarizer;
use crate::edge::archive::write_archive;
use crate::edge::clock::Clock;
use crate::edge::fetch::{FetchLimits, Fetcher};
use crate::edge::llm::Refiner;
use crate::edge::store::{Store, StoreError};

/// Waits between build attempts: a minute, doubling to half an hour, until the day is over.
const BUILD_RETRY: Backoff =
    Backoff::unbounded(Duration::from_secs(60), Duration::from_secs(30 * 60));

/// Why the day's digest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The edition could not be fetched or read.
    #[error("could not read the edition")]
    Ingest(#[from] IngestError),
    /// The page is still an earlier day's (its masthead's date).
    #[error("the edition at the source is dated {found}, not {wanted}: not published yet")]
    NotPublished {
        /// The day wanted.
        wanted: NaiveDate,
        /// The masthead's date.
        found: NaiveDate,
    },
    /// The HTTP client could not start.
    #[error("could not start the HTTP client")]
    Client(#[source] crate::edge::fetch::FetchError),
    /// The digest could not be stored.
    #[error("could not store the digest")]
    Store(#[from] StoreError),
}

/// The settings the daily build reads (from the program's configuration).
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Feeds read beside the edition source.
    pub feeds: Vec<url::Url>,
    /// Size and time limits for every fetch.
    pub fetch: FetchLimits,
    /// Where digests are archived.
    pub digest_dir: PathBuf,
    /// The paper's time zone.
    pub timezone: chrono_tz::Tz,
    /// The day's build time in that zone.
    pub build_at: DeliveryTime,
}

/// Everything the build needs.
pub struct DigestBuilder {
    source: EditionSource,
    feeds: Vec<url::Url>,
    fetch: FetchLimits,
    refiner: Option<Arc<Refiner>>,
    digest_dir: PathBuf,
    timezone: chrono_tz::Tz,
    build_at: DeliveryTime,
    summarizer: Arc<Summarizer>,
    building: AtomicBool,
}

impl DigestBuilder {
    /// A builder reading `source` (and the settings' feeds), sharing `summarizer`.
    #[must_use]
    pub fn new(
        settings: BuildSettings,
        source: EditionSource,
        refiner: Option<Arc<Refiner>>,
        summarizer: Arc<Summarizer>,
    ) -> Self {
        Self {
            source,
            feeds: settings.feeds,
            fetch: settings.fetch,
            refiner,
            digest_dir: settings.digest_dir,
            timezone: settings.timezone,
            build_at: settings.build_at,
            summarizer,
            building: AtomicBool::new(false),
        }
    }

    /// The paper's time zone.
    #[must_use]
    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone
    }

    /// The day's build time, as cron fields `(minute, hour)`.
    #[must_use]
    pub fn build_at(&self) -> DeliveryTime {
        self.build_at
    }

    /// True when `date`'s build time has passed at `now`.
    #[must_use]
    pub fn build_time_passed(&self, date: NaiveDate, now: DateTime<Utc>) -> bool {
        due_instant(date, self.build_at, self.timezone).is_some_and(|at| at <= now)
    }

    /// Builds, stores and archives `date`'s digest once.
    ///
    /// # Errors
    /// [`BuildError`] when the page cannot be read, is not `date`'s yet, or cannot be stored.
    /// A failure to archive only warns.
    pub async fn build(&self, date: NaiveDate, store: &Store) -> Result<Digest, BuildError> {
        let request = DailyRequest {
            source: self.source.clone(),
            fetch_date: date,
            // The embedded sample is a fixed page: it stands in for every day.
            date: (self.source == EditionSource::Sample).then_some(date),
            feeds: self.feeds.clone(),
        };
        let fetcher = Fetcher::new(self.fetch).map_err(BuildError::Client)?;
        let started = std::time::Instant::now();
        let daily = build_daily_digest(
            &request,
            &fetcher,
            &self.summarizer,
            self.refiner.as_deref(),
        )
        .await?;
        metrics::histogram!(crate::edge::metrics::DIGEST_BUILD)
            .record(started.elapsed().as_secs_f64());
        if daily.digest.date != date {
            return Err(BuildError::NotPublished {
                wanted: date,
                found: daily.digest.date,
            });
        }
        store.put_digest(&daily.digest).await?;
        match write_archive(&self.digest_dir, &daily.digest, Lang::Zh) {
            Ok(archived) => {
                tracing::info!(path = %archived.markdown.display(), "digest archived");
            }
            Err(e) => tracing::warn!(error.message = %e, "could not archive the digest"),
        }
        tracing::info!(%date, origin = %daily.origin, headlines = daily.digest.headlines.len(), "digest ready");
        Ok(daily.digest)
    }

    /// Makes sure the digest of today (in the paper's zone) exists: builds it, retrying with
    /// backoff while the page is not published, until it is built, the day is over or
    /// `cancel` fires. Returns at once when another call is already building. `on_built`
    /// runs after a successful build.
    pub async fn ensure_today(
        &self,
        store: &Store,
        clock: &dyn Clock,
        cancel: &CancellationToken,
        on_built: impl Fn(),
    ) {
        if self.building.swap(true, Ordering::SeqCst) {
            return;
        }
        let date = clock.today_in(self.timezone);
        let mut failures = 0u32;
        loop {
            match store.digest(date) {
                Ok(Some(_)) => break,
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error.message = %e, error.cause_chain = ?e, "could not read today's digest; building it");
                }
            }
            match self.build(date, store).await {
                Ok(_) => {
                    if let Err(e) = store.clear_build_problem() {
                        tracing::warn!(error.message = %e, "could not clear the build problem");
                    }
                    on_built();
                    break;
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let message = crate::core::error_chain::error_chain(&e);
                    tracing::warn!(
                        %date,
                        error.message = %message,
                        retry_in = ?BUILD_RETRY.wait_after(failures),
                        "could not build the day's digest"
                    );
                    // Kept for /healthz and the editors' /stats until a build succeeds.
                    if let Err(e) =
                        store.record_build_problem(date, &message, &clock.now().to_rfc3339())
                    {
                        tracing::warn!(error.message = %e, "could not record the build problem");
                    }
                }
            }
            let wait = BUILD_RETRY.wait_after(failures).unwrap_or(Duration::ZERO);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = cancel.cancelled() => break,
            }
            if clock.today_in(self.timezone) != date {
                tracing::warn!(%date, "the day ended before its digest could be built");
                break;
            }
        }
        self.building.store(false, Ordering::SeqCst);
    }
}
