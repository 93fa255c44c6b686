//! Use case "read the day's edition": resolve the sources (pages given as paths, `-`, URLs
//! or templates with the date and `{page}`, or the embedded sample), fetch each page, read it
//! with the right parser, join the pages into one edition (`core::edition::assemble_pages`)
//! and add the configured feeds' items. A failing feed or page becomes a warning while the
//! rest still reads; an edition none of whose pages can be read is an error, and so is one
//! whose sources together give no article, notice, weather or photo item.

use chrono::NaiveDate;
use url::Url;

use crate::app::site_reader::{SiteError, pages_of_index, read_site};
use crate::core::document::{DocumentError, DocumentKind, detect_document, read_document};
use crate::core::edition::{
    Edition, MAX_PAGES, PageInput, SAMPLE_EDITION, Warning, assemble_pages, find_page_header,
    is_page_template, list_repeats_once, page_spec, page_specs, take_jump_marks,
};
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
    /// A digital edition's site could not be read.
    #[error(transparent)]
    Site(#[from] SiteError),
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
    /// The edition's pages, in the paper's order: each a path, `-`, a URL or a template with
    /// date fields and `{page}` (`NEWSBOT_EDITION_SOURCE`, or the command line).
    Pages(Vec<String>),
    /// No page: the edition is what the configured feeds give.
    FeedsOnly,
}

impl EditionSource {
    /// The pages `list` names (separated by commas, spaces or new lines) when it names any,
    /// else the sample.
    #[must_use]
    pub fn pages_or_sample(list: Option<&str>) -> Self {
        let pages = list.map(page_specs).unwrap_or_default();
        if pages.is_empty() {
            Self::Sample
        } else {
            Self::Pages(pages)
        }
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
    let fetched = match spec {
        None => crate::edge::fetch::Fetched {
            text: SAMPLE_EDITION.to_owned(),
            origin: "embedded sample".to_owned(),
            encoding: "UTF-8",
            address: None,
        },
        Some(spec) => fetcher.read(&Source::parse(spec, date)?).await?,
    };
    let origin = fetched.origin.clone();
    let edition = read_fetched(fetched)?;
    Ok(LoadedEdition { edition, origin })
}

/// Reads fetched text with the reader its content calls for.
fn read_fetched(fetched: crate::edge::fetch::Fetched) -> Result<Edition, IngestError> {
    let crate::edge::fetch::Fetched {
        text,
        origin,
        address,
        ..
    } = fetched;
    let mut edition = crate::edge::blocking::cpu_heavy(|| read_document(&text, address.as_ref()))
        .map_err(|source| IngestError::Document {
        origin: origin.clone(),
        source,
    })?;
    // A web page's jump marks (`（下转第3版）`) become its jumps, as printed pages' do.
    if detect_document(&text) == DocumentKind::Html {
        for article in &mut edition.articles {
            take_jump_marks(article);
        }
    }
    tracing::debug!(origin = %origin, articles = edition.articles.len(), warnings = edition.warnings.len(), "edition read");
    Ok(edition)
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
    let pages = match source {
        EditionSource::Sample => None,
        EditionSource::Pages(pages) => Some(pages.as_slice()),
        EditionSource::FeedsOnly => {
            let mut loaded = LoadedEdition {
                edition: Edition::default(),
                origin: "the feeds".to_owned(),
            };
            add_feeds(&mut loaded.edition, feeds, date, fetcher).await;
            // A story in two feeds is listed once.
            list_repeats_once(&mut loaded.edition);
            return found_something(loaded, feeds.len());
        }
    };
    let loaded = match pages {
        None => load_edition(None, date, fetcher).await,
        Some(pages) => load_pages(pages, date, fetcher).await,
    };
    let mut loaded = match loaded {
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
    // A story in the paper and in a feed is listed once (a source read alone is shown as it
    // is, repeats and all).
    if !feeds.is_empty() {
        list_repeats_once(&mut loaded.edition);
    }
    found_something(loaded, feeds.len())
}

/// Reads an edition's pages, in order, and joins them into one edition. A `{page}` template
/// is read page by page from 1 until a page is missing (at most [`MAX_PAGES`]). A page that
/// cannot be read is a warning while the others still read.
///
/// # Errors
/// [`IngestError`] when no page can be read (the first page's error).
pub async fn load_pages(
    specs: &[String],
    date: NaiveDate,
    fetcher: &Fetcher,
) -> Result<LoadedEdition, IngestError> {
    let mut pages: Vec<PageInput> = Vec::new();
    let mut problems: Vec<(String, IngestError)> = Vec::new();
    // The pages a digital edition's site gave: a spec naming one of them is read already.
    let mut crawled: std::collections::HashSet<String> = std::collections::HashSet::new();
    let record = |read: PageRead,
                  pages: &mut Vec<PageInput>,
                  crawled: &mut std::collections::HashSet<String>|
     -> bool {
        match read {
            PageRead::Page(page) => {
                pages.push(*page);
                false
            }
            PageRead::Site(site) => {
                crawled.extend(site.iter().map(|p| p.origin.clone()));
                pages.extend(site);
                true
            }
        }
    };
    for spec in specs {
        if !is_page_template(spec) {
            if Source::parse(spec, date).is_ok_and(|s| crawled.contains(&s.to_string())) {
                continue;
            }
            match load_page(spec, date, fetcher).await {
                Ok(read) => {
                    record(read, &mut pages, &mut crawled);
                }
                Err(e) => problems.push((spec.clone(), e)),
            }
            continue;
        }
        // A server that fails page after page (down, or slow) is not asked for every number.
        let mut failures_in_a_row = 0;
        for number in 1..=MAX_PAGES {
            if failures_in_a_row >= 2 {
                break;
            }
            let spec = page_spec(spec, number);
            let read = load_page(&spec, date, fetcher).await;
            failures_in_a_row = if read.is_err() {
                failures_in_a_row + 1
            } else {
                0
            };
            match read {
                // A template whose first page is a site's index: the site gave every page.
                Ok(read) => {
                    if record(read, &mut pages, &mut crawled) {
                        break;
                    }
                }
                // The page after the last one.
                Err(IngestError::Fetch(e)) if e.is_missing() && number > 1 => break,
                Err(e) => problems.push((spec, e)),
            }
            if pages.len() + problems.len() >= MAX_PAGES {
                break;
            }
        }
    }
    if pages.is_empty() {
        let first = problems.into_iter().next().map(|(_, e)| e);
        return Err(first.unwrap_or_else(|| IngestError::NothingFound {
            origin: specs.join(", "),
            feeds: 0,
            why: "no page was named".to_owned(),
        }));
    }
    let origin = if pages.len() == 1 {
        pages[0].origin.clone()
    } else {
        format!("{} pages ({} …)", pages.len(), pages[0].origin)
    };
    // One page named is read as it is; pages named are joined (even when only one of them
    // could be read, so its jumps to the missing ones are reported).
    let named_many =
        specs.len() > 1 || specs.iter().any(|s| is_page_template(s)) || pages.len() > 1;
    let mut edition = if named_many {
        crate::edge::blocking::cpu_heavy(move || assemble_pages(pages))
    } else {
        pages.remove(0).edition
    };
    for (spec, e) in problems {
        tracing::warn!(page = %spec, error.message = %e, error.cause_chain = ?e, "page skipped");
        edition.warnings.push(Warning {
            line: None,
            message: format!(
                "page '{spec}' skipped: {}",
                crate::core::error_chain::error_chain(&e)
            ),
        });
    }
    Ok(LoadedEdition { edition, origin })
}

/// What one page spec gave.
enum PageRead {
    /// A page, read on its own.
    Page(Box<PageInput>),
    /// The address was a digital edition's day index: every page of the site.
    Site(Vec<PageInput>),
}

/// One page, read on its own, with the page its text says it is; or, when the address is a
/// digital edition's day index, every page of the site.
async fn load_page(
    spec: &str,
    date: NaiveDate,
    fetcher: &Fetcher,
) -> Result<PageRead, IngestError> {
    let fetched = match crate::core::edition::embedded_sample(spec) {
        Some(text) => crate::edge::fetch::Fetched {
            text: text.to_owned(),
            origin: format!("embedded {spec}"),
            encoding: "UTF-8",
            address: None,
        },
        None => fetcher.read(&Source::parse(spec, date)?).await?,
    };
    let site_pages = if detect_document(&fetched.text) == DocumentKind::Html {
        crate::edge::blocking::cpu_heavy(|| pages_of_index(&fetched))
    } else {
        Vec::new()
    };
    if !site_pages.is_empty() {
        tracing::info!(index = %fetched.origin, pages = site_pages.len(), "reading a digital edition");
        return Ok(PageRead::Site(
            read_site(fetched, site_pages, date, fetcher).await?,
        ));
    }
    let page = find_page_header(&fetched.text);
    let origin = fetched.origin.clone();
    let edition = read_fetched(fetched)?;
    Ok(PageRead::Page(Box::new(PageInput {
        edition,
        page,
        origin,
    })))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_list_names_pages_and_an_empty_one_the_sample() {
        assert_eq!(
            EditionSource::pages_or_sample(Some("p1.txt, p2.txt\np3.txt")),
            EditionSource::Pages(vec!["p1.txt".into(), "p2.txt".into(), "p3.txt".into()])
        );
        assert_eq!(
            EditionSource::pages_or_sample(Some(" , ")),
            EditionSource::Sample
        );
        assert_eq!(EditionSource::pages_or_sample(None), EditionSource::Sample);
    }
}
