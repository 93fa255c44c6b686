//! Use case "read the day's edition": resolve the source (a path, `-`, a URL template, or
//! the embedded sample), fetch it, read it with the right parser, and add the configured
//! feeds' items. A failing feed becomes a warning; a failing edition is an error, and so is
//! an edition whose sources together give no article, notice, weather or photo item.

use chrono::NaiveDate;
use url::Url;

use crate::core::document::{DocumentError, read_document};
use crate::core::edition::{Edition, SAMPLE_EDITION, Warning};
use crate::edge::fetch::{FetchError, Fetcher, Source};

/// Why the day's edition could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The source could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The source was fetched but is not an edition or feed, or gave nothing to read.
    #[error("reading '{origin}'")]
    Document {
        origin: String,
        #[source]
        source: DocumentError,
    },
    /// The edition gave nothing and neither did any feed.
    #[error("nothing to read in '{origin}' or its {feeds} feeds: {why}")]
    NothingFound {
        origin: String,
        feeds: usize,
        why: String,
    },
}

impl IngestError {
    /// True when the sources were read but gave nothing a reader keeps.
    #[must_use]
    pub fn is_nothing_found(&self) -> bool {
        matches!(
            self,
            Self::NothingFound { .. }
                | Self::Document {
                    source: DocumentError::NothingFound { .. },
                    ..
                }
        )
    }
}

/// Where a day's edition is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionSource {
    /// The embedded sample paper, chosen on purpose (`demo`, `serve --sample`, the CLI's
    /// default).
    Sample,
    /// A path, `-`, a URL or a URL template (`NEWSBOT_EDITION_SOURCE`).
    Page(String),
    /// No page: the edition is what the configured feeds give.
    FeedsOnly,
}

impl EditionSource {
    /// `Page(spec)` when `spec` is given, else the sample.
    #[must_use]
    pub fn page_or_sample(spec: Option<&str>) -> Self {
        spec.map_or(Self::Sample, |s| Self::Page(s.to_owned()))
    }
}

/// An edition and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedEdition {
    /// The parsed edition.
    pub edition: Edition,
    /// The source, for messages (`embedded sample`, a path, a URL).
    pub origin: String,
}

/// Reads the edition at `spec` for `date`, or the embedded sample when `spec` is `None`.
///
/// # Errors
/// [`IngestError`] when the source cannot be fetched or is not an edition.
pub async fn load_edition(
    spec: Option<&str>,
    date: NaiveDate,
    fetcher: &Fetcher,
) -> Result<LoadedEdition, IngestError> {
    let (text, origin, address) = match spec {
        None => (
            SAMPLE_EDITION.to_owned(),
            "embedded sample".to_owned(),
            None,
        ),
        Some(spec) => {
            let source = Source::parse(spec, date)?;
            let fetched = fetcher.read(&source).await?;
            (fetched.text, fetched.origin, fetched.address)
        }
    };
    let edition = crate::edge::blocking::cpu_heavy(|| read_document(&text, address.as_ref()))
        .map_err(|source| IngestError::Document {
            origin: origin.clone(),
            source,
        })?;
    tracing::debug!(origin = %origin, articles = edition.articles.len(), warnings = edition.warnings.len(), "edition read");
    Ok(LoadedEdition { edition, origin })
}

/// Reads the edition at `spec` and adds the items of `feeds`: the edition may be empty when
/// the feeds give something, but not all of them together.
///
/// # Errors
/// [`IngestError`] when the edition cannot be read, or when the edition and the feeds
/// together give no article, notice, weather or photo item.
pub async fn load_edition_with_feeds(
    source: &EditionSource,
    feeds: &[Url],
    date: NaiveDate,
    fetcher: &Fetcher,
) -> Result<LoadedEdition, IngestError> {
    let spec = match source {
        EditionSource::Sample => None,
        EditionSource::Page(spec) => Some(spec.as_str()),
        EditionSource::FeedsOnly => {
            let mut loaded = LoadedEdition {
                edition: Edition::default(),
                origin: "the feeds".to_owned(),
            };
            add_feeds(&mut loaded.edition, feeds, date, fetcher).await;
            return found_something(loaded, feeds.len());
        }
    };
    let mut loaded = match load_edition(spec, date, fetcher).await {
        Ok(loaded) => loaded,
        Err(IngestError::Document {
            origin,
            source: DocumentError::NothingFound { what, why },
        }) if !feeds.is_empty() => {
            let mut edition = Edition::default();
            edition.warnings.push(Warning {
                line: None,
                message: format!("nothing to read in {what}: {why}"),
            });
            LoadedEdition { edition, origin }
        }
        Err(e) => return Err(e),
    };
    add_feeds(&mut loaded.edition, feeds, date, fetcher).await;
    found_something(loaded, feeds.len())
}

/// `loaded` when it holds something to read, else [`IngestError::NothingFound`] with the
/// sources' warnings as the reason.
fn found_something(loaded: LoadedEdition, feeds: usize) -> Result<LoadedEdition, IngestError> {
    if !loaded.edition.has_items() {
        let why = loaded
            .edition
            .warnings
            .iter()
            .map(|w| w.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(IngestError::NothingFound {
            origin: loaded.origin,
            feeds,
            why,
        });
    }
    Ok(loaded)
}

/// Adds each feed's items to `edition`; a feed that fails adds a warning instead.
pub async fn add_feeds(edition: &mut Edition, feeds: &[Url], date: NaiveDate, fetcher: &Fetcher) {
    for feed in feeds {
        match load_edition(Some(feed.as_str()), date, fetcher).await {
            Ok(loaded) => edition.absorb(loaded.edition, feed.as_str()),
            Err(e) => {
                tracing::warn!(feed = %feed, error.message = %e, error.cause_chain = ?e, "feed skipped");
                edition.warnings.push(Warning {
                    line: None,
                    message: format!(
                        "feed '{feed}' skipped: {}",
                        crate::core::error_chain::error_chain(&e)
                    ),
                });
            }
        }
    }
}
