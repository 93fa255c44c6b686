//! The editions file (`NEWSBOT_EDITIONS_FILE`, TOML): each edition's id, name, language, time
//! zone, pages, feeds, build time and editors, read into `core::editions::Editions` with the
//! global settings as defaults for what an edition leaves out. A file that cannot be used
//! fails with its path and, for TOML errors, the line and column. See
//! `editions.example.toml` beside `.env.example`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use super::config::Config;
use crate::core::digest::Lang;
use crate::core::editions::{EditionId, EditionPlan, Editions, EditionsError};
use crate::core::subscriber::{DeliveryTime, parse_time_zone};

/// Why the editions file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EditionsFileError {
    /// The file could not be read.
    #[error("reading the editions file '{path}'")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not TOML, or not the shape of an editions file.
    #[error("the editions file '{path}' is not valid: {message}")]
    Syntax { path: PathBuf, message: String },
    /// A value of one edition cannot be used.
    #[error("the editions file '{path}', edition '{edition}': {message}")]
    Value {
        path: PathBuf,
        edition: String,
        message: String,
    },
    /// The editions together cannot be served.
    #[error("the editions file '{path}': {source}")]
    Editions {
        path: PathBuf,
        #[source]
        source: EditionsError,
    },
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionsFile {
    /// The default edition's id (the first listed when left out).
    default: Option<String>,
    /// The editions, `[[edition]]` tables.
    #[serde(default)]
    edition: Vec<EditionEntry>,
}

/// One `[[edition]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionEntry {
    id: String,
    name: String,
    language: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    pages: Vec<String>,
    #[serde(default)]
    feeds: Vec<String>,
    build_at: Option<String>,
    #[serde(default)]
    editors: Vec<i64>,
}

/// Reads the editions in `text` (the file at `path`), with `config` giving the defaults.
///
/// # Errors
/// [`EditionsFileError`] naming the file, the edition and the value.
pub fn parse_editions(
    text: &str,
    path: &Path,
    config: &Config,
) -> Result<Editions, EditionsFileError> {
    let file: EditionsFile = toml::from_str(text).map_err(|e| EditionsFileError::Syntax {
        path: path.to_owned(),
        message: e.to_string().trim().replace('\n', " "),
    })?;
    let value_error = |edition: &str, message: String| EditionsFileError::Value {
        path: path.to_owned(),
        edition: edition.to_owned(),
        message,
    };
    let mut plans = Vec::with_capacity(file.edition.len());
    for entry in file.edition {
        let id = EditionId::parse(&entry.id).map_err(|m| value_error(&entry.id, m))?;
        let language = match entry.language.as_deref() {
            None => Lang::Zh,
            Some(code) => Lang::parse(code).map_err(|m| value_error(&entry.id, m))?,
        };
        let timezone = match entry.timezone.as_deref() {
            None => config.timezone,
            Some(zone) => {
                parse_time_zone(zone).map_err(|e| value_error(&entry.id, e.to_string()))?
            }
        };
        let build_at = match entry.build_at.as_deref() {
            None => config.build_at,
            Some(time) => DeliveryTime::parse(time)
                .map_err(|e| value_error(&entry.id, format!("build_at: {e}")))?,
        };
        let feeds = entry
            .feeds
            .iter()
            .map(|feed| {
                Url::parse(feed).map_err(|e| value_error(&entry.id, format!("feed '{feed}': {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        plans.push(EditionPlan {
            id,
            name: entry.name,
            language,
            timezone,
            pages: entry.pages,
            feeds,
            build_at,
            editors: entry.editors,
        });
    }
    let default = file
        .default
        .as_deref()
        .map(EditionId::parse)
        .transpose()
        .map_err(|m| value_error("default", m))?;
    Editions::new(plans, default.as_ref()).map_err(|source| EditionsFileError::Editions {
        path: path.to_owned(),
        source,
    })
}

/// Reads the editions file at `path`.
///
/// # Errors
/// [`EditionsFileError`] when it cannot be read or used.
pub fn read_editions_file(path: &Path, config: &Config) -> Result<Editions, EditionsFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| EditionsFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_editions(&text, path, config)
}

/// `config` with `plan`'s sources, time zone, build time and editors in place of the single
/// edition's settings.
#[must_use]
pub fn config_for_edition(config: &Config, plan: &EditionPlan) -> Config {
    let mut one = config.clone();
    // New lines separate the pages: a spec holds none (it may hold a comma or a space).
    one.edition_source = (!plan.pages.is_empty()).then(|| plan.pages.join("\n"));
    one.feeds.clone_from(&plan.feeds);
    one.timezone = plan.timezone;
    one.build_at = plan.build_at;
    one.editors.clone_from(&plan.editors);
    one
}

/// The editions as `newsbot editions` prints them.
#[must_use]
pub fn describe_editions(editions: &Editions) -> String {
    let mut out = String::new();
    let default = &editions.default_edition().id;
    for plan in editions.iter() {
        let marker = if plan.id == *default {
            " (default)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{}{marker}: {}\n    language {} · time zone {} · built at {}\n",
            plan.id,
            plan.name,
            plan.language.code(),
            plan.timezone.name(),
            plan.build_at
        ));
        for page in &plan.pages {
            out.push_str(&format!("    page: {page}\n"));
        }
        for feed in &plan.feeds {
            out.push_str(&format!("    feed: {feed}\n"));
        }
        out.push_str(&format!("    editors: {}\n", plan.editors.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::from_lookup(|_| None).expect("defaults")
    }

    #[test]
    fn the_example_file_reads() {
        let text = include_str!("../../editions.example.toml");
        let editions =
            parse_editions(text, Path::new("editions.example.toml"), &config()).expect("reads");
        assert!(editions.len() >= 2);
        assert_eq!(editions.default_edition().id.as_str(), "pinghu");
        let described = describe_editions(&editions);
        assert!(described.contains("pinghu (default)"), "{described}");
    }

    #[test]
    fn defaults_come_from_the_settings_and_mistakes_name_their_place() {
        let path = Path::new("e.toml");
        let text = "[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"a.txt\"]\n";
        let editions = parse_editions(text, path, &config()).expect("reads");
        let a = editions.default_edition();
        assert_eq!(a.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(a.build_at.to_string(), "05:30");
        assert_eq!(a.language, Lang::Zh);
        for (bad, says) in [
            (
                "[[edition]]\nid = \"A\"\nname = \"A\"\npages = [\"a\"]\n",
                "not an edition id",
            ),
            (
                "[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"a\"]\ntimezone = \"Mars/Base\"\n",
                "Mars/Base",
            ),
            (
                "[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"a\"]\nbuild_at = \"25:99\"\n",
                "build_at",
            ),
            (
                "[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"a\"]\ncolour = \"red\"\n",
                "colour",
            ),
            ("[[edition]]\nid = \"a\"\nname = \"A\"\n", "has no source"),
            (
                "default = \"b\"\n[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"a\"]\n",
                "'b' is not listed",
            ),
            ("[[edition]\n", "not valid"),
        ] {
            let error = parse_editions(bad, path, &config())
                .expect_err(bad)
                .to_string();
            assert!(error.contains(says), "{bad}: {error}");
            assert!(error.contains("e.toml"), "{error}");
        }
    }

    #[test]
    fn one_edition_stands_in_for_the_single_settings() {
        let text = "[[edition]]\nid = \"a\"\nname = \"A\"\npages = [\"p1.txt\", \"p2.txt\"]\ntimezone = \"Europe/London\"\nbuild_at = \"06:15\"\neditors = [42]\n";
        let editions = parse_editions(text, Path::new("e.toml"), &config()).expect("reads");
        let one = config_for_edition(&config(), editions.default_edition());
        assert_eq!(one.edition_source.as_deref(), Some("p1.txt\np2.txt"));
        assert_eq!(one.timezone, chrono_tz::Europe::London);
        assert_eq!(one.build_at.to_string(), "06:15");
        assert_eq!(one.editors, vec![42]);
    }
}
