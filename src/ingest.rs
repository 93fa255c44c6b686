//! Use case "read the day's edition": resolve the source (a path, `-`, a URL template, or
//! the embedded sample), fetch it, read it with the right parser, and add the configured
//! feeds' items. A failing feed becomes a warning; a failing edition is an error.

use chrono::NaiveDate;
use url::Url;

use crate::core::document::{DocumentError, read_document};
use crate::core::edition::{Edition, SAMPLE_EDITION, Warning};
use crate::fetch::{FetchError, Fetcher, Source};

/// Why the day's edition could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The source could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The source was fetched but is not an edition or feed.
    #[error("'{origin}' could not be read as an edition")]
    Document {
        origin: String,
        #[source]
        source: DocumentError,
    },
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
    let (text, origin) = match spec {
        None => (SAMPLE_EDITION.to_owned(), "embedded sample".to_owned()),
        Some(spec) => {
            let source = Source::parse(spec, date)?;
            let fetched = fetcher.read(&source).await?;
            (fetched.text, fetched.origin)
        }
    };
    let edition = read_document(&text).map_err(|source| IngestError::Document {
        origin: origin.clone(),
        source,
    })?;
    tracing::debug!(origin = %origin, articles = edition.articles.len(), warnings = edition.warnings.len(), "edition read");
    Ok(LoadedEdition { edition, origin })
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
                    message: format!("feed '{feed}' skipped: {}", error_chain(&e)),
                });
            }
        }
    }
}

/// Formats an error with its causes, `outer: inner: innermost`.
#[must_use]
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
