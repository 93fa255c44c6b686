//! Gets the day's edition as text from where it lives: a local file, standard input or an
//! http(s) URL (with an optional `{yyyy}{mm}{dd}` date template). Returns text only; what the
//! text means is `core::document`'s business.

pub mod decode;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use reqwest::header::CONTENT_TYPE;
use tokio::io::AsyncReadExt;
use url::Url;

pub use decode::{Decoded, decode_text, looks_binary};

/// Limits every fetch obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: usize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// Bounds of reading a digital edition's site.
    pub site: SiteLimits,
}

impl Default for FetchLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            max_bytes: 8 * 1024 * 1024,
            max_redirects: 5,
            site: SiteLimits::default(),
        }
    }
}

/// How much of a digital edition's site one build may read, and how politely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteLimits {
    /// Pages of the day read at most.
    pub max_pages: usize,
    /// Articles read at most, over all pages.
    pub max_articles: usize,
    /// Bytes read at most, over the index, the pages and the articles.
    pub max_total_bytes: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time between the starts of two requests to the site.
    pub delay: Duration,
    /// Longest a whole site's read may take; requests not started by then are not made.
    pub max_duration: Duration,
}

impl Default for SiteLimits {
    fn default() -> Self {
        Self {
            max_pages: 32,
            max_articles: 300,
            max_total_bytes: 64 * 1024 * 1024,
            concurrency: 4,
            delay: Duration::from_millis(250),
            max_duration: Duration::from_secs(300),
        }
    }
}

/// Where an edition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A local file.
    Path(PathBuf),
    /// An http(s) URL.
    Url(Url),
}

impl Source {
    /// Reads a source spec (`-`, a path, or a URL), expanding date placeholders for `date`.
    ///
    /// # Errors
    /// [`FetchError::InvalidSource`] for a URL with a scheme other than http or https.
    pub fn parse(spec: &str, date: NaiveDate) -> Result<Self, FetchError> {
        let spec = expand_date_template(spec.trim(), date);
        if spec == "-" {
            return Ok(Self::Stdin);
        }
        if let Some((scheme, _)) = spec.split_once("://") {
            let url = Url::parse(&spec).map_err(|e| FetchError::InvalidSource {
                input: spec.clone(),
                reason: e.to_string(),
            })?;
            return match scheme {
                "http" | "https" => Ok(Self::Url(url)),
                _ => Err(FetchError::InvalidSource {
                    input: spec,
                    reason: "only http and https URLs are fetched".to_owned(),
                }),
            };
        }
        Ok(Self::Path(PathBuf::from(spec)))
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stdin => f.write_str("standard input"),
            Self::Path(p) => write!(f, "{}", p.display()),
            Self::Url(u) => write!(f, "{u}"),
        }
    }
}

/// Replaces `{yyyy}`, `{yy}`, `{mm}`, `{dd}`, `{m}`, `{d}` and `{date}` (YYYY-MM-DD) with
/// parts of `date`, so a daily job can ask for that day's page.
///
/// ```
/// use chrono::NaiveDate;
/// use newsbot::edge::fetch::expand_date_template;
///
/// let day = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
/// assert_eq!(expand_date_template("/{yyyy}-{mm}/{dd}/node.htm", day), "/2026-11/29/node.htm");
/// ```
#[must_use]
pub fn expand_date_template(template: &str, date: NaiveDate) -> String {
    template
        .replace("{date}", &date.format("%Y-%m-%d").to_string())
        .replace("{yyyy}", &format!("{:04}", date.year()))
        .replace("{yy}", &format!("{:02}", date.year() % 100))
        .replace("{mm}", &format!("{:02}", date.month()))
        .replace("{dd}", &format!("{:02}", date.day()))
        .replace("{m}", &date.month().to_string())
        .replace("{d}", &date.day().to_string())
}

/// Text fetched from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The decoded text.
    pub text: String,
    /// Where it came from, for messages.
    pub origin: String,
    /// The character set it was decoded from.
    pub encoding: &'static str,
    /// The web address it came from (after redirects), to resolve its relative links.
    pub address: Option<Url>,
}

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The spec is not a path or an http(s) URL.
    #[error("invalid edition source '{input}': {reason}")]
    InvalidSource { input: String, reason: String },
    /// HTTP 404.
    #[error("no edition at '{url}' (HTTP 404 not found)")]
    NotFound { url: String },
    /// Any other unsuccessful HTTP status.
    #[error("fetching '{url}' failed with HTTP {status}")]
    Status { url: String, status: u16 },
    /// The server did not answer in time.
    #[error("fetching '{url}' timed out after {seconds} s")]
    Timeout { url: String, seconds: u64 },
    /// Too many redirects.
    #[error("fetching '{url}' was redirected more than {limit} times")]
    Redirects { url: String, limit: usize },
    /// Over the size cap.
    #[error("'{origin}' is larger than the {limit} byte limit")]
    TooLarge { origin: String, limit: usize },
    /// Not text.
    #[error("'{origin}' is binary ({what}), not a text page or feed")]
    Binary { origin: String, what: String },
    /// Connection or protocol failure.
    #[error("fetching '{url}' failed")]
    Http {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    /// A local file could not be read.
    #[error("reading '{path}' failed")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl FetchError {
    /// True when there is nothing at the address: HTTP 404, or no such file.
    #[must_use]
    pub fn is_missing(&self) -> bool {
        match self {
            Self::NotFound { .. } => true,
            Self::Io { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            _ => false,
        }
    }
}

/// Reads sources within [`FetchLimits`]; holds one HTTP client for all requests.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
}

impl Fetcher {
    /// Builds a fetcher with its own HTTP client.
    ///
    /// # Errors
    /// [`FetchError::Http`] if the TLS backend cannot start.
    pub fn new(limits: FetchLimits) -> Result<Self, FetchError> {
        let policy = reqwest::redirect::Policy::limited(limits.max_redirects);
        Self::with_redirects(limits, policy)
    }

    /// A fetcher whose HTTP client follows redirects by `policy`.
    fn with_redirects(
        limits: FetchLimits,
        policy: reqwest::redirect::Policy,
    ) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(limits.timeout.min(Duration::from_secs(10)))
            .redirect(policy)
            .user_agent(concat!("newsbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| FetchError::Http {
                url: String::new(),
                source,
            })?;
        Ok(Self { client, limits })
    }

    /// A fetcher for one site: redirects are followed only on the host they start from (a
    /// digital edition's pages and articles never lead the crawl elsewhere).
    ///
    /// # Errors
    /// [`FetchError::Http`] if the TLS backend cannot start.
    pub fn for_one_site(&self) -> Result<Self, FetchError> {
        let max = self.limits.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let same_host = attempt.previous().first().is_some_and(|first| {
                first.host_str() == attempt.url().host_str()
                    && first.port_or_known_default() == attempt.url().port_or_known_default()
            });
            if attempt.previous().len() > max || !same_host {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        Self::with_redirects(self.limits, policy)
    }

    /// The limits this fetcher obeys.
    #[must_use]
    pub fn limits(&self) -> FetchLimits {
        self.limits
    }

    /// Reads `source` to text.
    ///
    /// # Errors
    /// [`FetchError`] naming the source: not found, HTTP status, timeout, too large, binary,
    /// or an I/O failure.
    #[tracing::instrument(skip_all, fields(source = %source))]
    pub async fn read(&self, source: &Source) -> Result<Fetched, FetchError> {
        match source {
            Source::Url(url) => self.fetch_url(url).await,
            Source::Path(path) => self.read_path(path).await,
            Source::Stdin => self.read_stdin().await,
        }
    }

    async fn fetch_url(&self, url: &Url) -> Result<Fetched, FetchError> {
        let shown = url.to_string();
        let map = |e: reqwest::Error| self.map_http_error(&shown, e);
        let mut response = self.client.get(url.clone()).send().await.map_err(map)?;
        let status = response.status();
        let final_url = response.url().clone();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(FetchError::NotFound { url: shown });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: shown,
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if is_binary_media_type(&content_type) {
            return Err(FetchError::Binary {
                origin: shown,
                what: content_type,
            });
        }
        if response
            .content_length()
            .is_some_and(|len| len > self.limits.max_bytes as u64)
        {
            return Err(FetchError::TooLarge {
                origin: shown,
                limit: self.limits.max_bytes,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(map)? {
            if body.len() + chunk.len() > self.limits.max_bytes {
                return Err(FetchError::TooLarge {
                    origin: shown,
                    limit: self.limits.max_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let charset = content_type
            .split(';')
            .find_map(|p| p.trim().strip_prefix("charset="))
            .map(str::to_owned);
        tracing::debug!(bytes = body.len(), charset = ?charset, "fetched");
        let mut fetched = self.decode(&body, charset.as_deref(), shown)?;
        fetched.address = Some(final_url);
        Ok(fetched)
    }

    async fn read_path(&self, path: &std::path::Path) -> Result<Fetched, FetchError> {
        let shown = path.display().to_string();
        let io = |source| FetchError::Io {
            path: shown.clone(),
            source,
        };
        let meta = tokio::fs::metadata(path).await.map_err(io)?;
        if meta.len() > self.limits.max_bytes as u64 {
            return Err(FetchError::TooLarge {
                origin: shown,
                limit: self.limits.max_bytes,
            });
        }
        let bytes = tokio::fs::read(path).await.map_err(io)?;
        self.decode(&bytes, None, shown)
    }

    async fn read_stdin(&self) -> Result<Fetched, FetchError> {
        let shown = "standard input".to_owned();
        let mut bytes = Vec::new();
        tokio::io::stdin()
            .take(self.limits.max_bytes as u64 + 1)
            .read_to_end(&mut bytes)
            .await
            .map_err(|source| FetchError::Io {
                path: shown.clone(),
                source,
            })?;
        if bytes.len() > self.limits.max_bytes {
            return Err(FetchError::TooLarge {
                origin: shown,
                limit: self.limits.max_bytes,
            });
        }
        self.decode(&bytes, None, shown)
    }

    fn decode(
        &self,
        bytes: &[u8],
        charset: Option<&str>,
        origin: String,
    ) -> Result<Fetched, FetchError> {
        let decoded = decode_text(bytes, charset).ok_or_else(|| FetchError::Binary {
            origin: origin.clone(),
            what: "control bytes".to_owned(),
        })?;
        if decoded.had_errors {
            tracing::warn!(origin = %origin, encoding = decoded.encoding, "some bytes were invalid and were replaced");
        }
        Ok(Fetched {
            text: decoded.text,
            origin,
            encoding: decoded.encoding,
            address: None,
        })
    }

    fn map_http_error(&self, url: &str, source: reqwest::Error) -> FetchError {
        if source.is_timeout() {
            FetchError::Timeout {
                url: url.to_owned(),
                seconds: self.limits.timeout.as_secs().max(1),
            }
        } else if source.is_redirect() {
            FetchError::Redirects {
                url: url.to_owned(),
                limit: self.limits.max_redirects,
            }
        } else {
            FetchError::Http {
                url: url.to_owned(),
                source,
            }
        }
    }
}

fn is_binary_media_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    media.starts_with("image/")
        || media.starts_with("audio/")
        || media.starts_with("video/")
        || matches!(
            media,
            "application/pdf" | "application/zip" | "application/octet-stream" | "application/gzip"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 5).expect("valid date")
    }

    #[test]
    fn date_template_expands_every_placeholder() {
        assert_eq!(
            expand_date_template(
                "https://paper.example/{yyyy}-{mm}/{dd}/node_{m}_{d}.htm?{date}&{yy}",
                day()
            ),
            "https://paper.example/2026-01/05/node_1_5.htm?2026-01-05&26"
        );
    }

    #[test]
    fn source_specs_are_told_apart() {
        assert_eq!(Source::parse("-", day()).expect("ok"), Source::Stdin);
        assert!(
            matches!(Source::parse("editions/{date}.txt", day()), Ok(Source::Path(p)) if p == std::path::Path::new("editions/2026-01-05.txt"))
        );
        assert!(matches!(
            Source::parse("http://127.0.0.1:1/x", day()),
            Ok(Source::Url(_))
        ));
        assert!(matches!(
            Source::parse("ftp://host/x", day()),
            Err(FetchError::InvalidSource { .. })
        ));
    }
}
