//! Use case "read a digital edition's site": from the day's index (already fetched), its pages
//! (`core::site::find_pages`), each page's articles (`core::site::find_articles`), each article
//! read with the web page reader and labelled with its page. Only links on the same site are
//! followed, within `SiteLimits` (pages, articles, bytes, requests in flight, a polite delay
//! between requests). A page or an article that fails is a warning and the rest is still read;
//! an index that answers for another day is "not published yet", never yesterday's paper.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use crate::core::document::{DocumentError, read_document};
use crate::core::edition::{
    Edition, Masthead, PageInput, Warning, reread_as_print, take_jump_marks,
};
use crate::core::site::{
    ArticleLink, PageLink, find_articles, find_pages, names_another_day, page_title, same_site,
    site_name,
};
use crate::edge::fetch::{FetchError, Fetched, Fetcher, SiteLimits, Source};

/// Why a digital edition, or a page or an article of it, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The index answered, but for another day: today's edition is not published yet.
    #[error("the digital edition at '{index}' has no pages for {date} yet")]
    NotPublished { index: String, date: NaiveDate },
    /// The site took more than its byte budget.
    #[error("'{url}' not read: the site's budget of {limit} bytes is spent")]
    Budget { url: String, limit: usize },
    /// A read was stopped before it finished.
    #[error("reading '{what}' was interrupted")]
    Interrupted { what: String },
    /// The site's read ran out of time before this request.
    #[error("'{url}' not read: the site's read took longer than {seconds} s")]
    OutOfTime { url: String, seconds: u64 },
    /// A page or an article ended up on another site (by a redirect).
    #[error("'{url}' leads off the site, to '{to}'; not read")]
    OffSite { url: String, to: String },
    /// A page or an article could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// An article page could not be read.
    #[error("reading '{origin}'")]
    Document {
        origin: String,
        #[source]
        source: DocumentError,
    },
}

/// The day's pages a fetched document lists, when it is a digital edition's index.
#[must_use]
pub fn pages_of_index(index: &Fetched) -> Vec<PageLink> {
    index
        .address
        .as_ref()
        .map(|address| find_pages(&index.text, address))
        .unwrap_or_default()
}

/// Requests to one site start at least `delay` apart, however many are in flight.
struct Politeness {
    delay: Duration,
    next: Mutex<Instant>,
}

impl Politeness {
    /// Waits for the next turn; `false` (at once, no turn taken) when that turn would come
    /// after `deadline`.
    async fn wait_turn(&self, deadline: Instant) -> bool {
        let start = {
            let mut next = self.next.lock().await;
            let start = (*next).max(Instant::now());
            if start >= deadline {
                return false;
            }
            *next = start + self.delay;
            start
        };
        tokio::time::sleep_until(start).await;
        true
    }
}

/// What the site reader shares between its requests.
struct Crawl {
    /// The index's address: every page and article must stay on its site.
    site: Url,
    fetcher: Fetcher,
    limits: SiteLimits,
    politeness: Politeness,
    in_flight: Semaphore,
    bytes: std::sync::atomic::AtomicUsize,
    /// Requests not started by then are not made.
    deadline: Instant,
}

impl Crawl {
    /// Fetches `url` in turn, counting its bytes against the site's budget. The caller holds
    /// a slot (see [`Crawl::read`]).
    async fn fetch(&self, url: &Url) -> Result<Fetched, SiteError> {
        use std::sync::atomic::Ordering;
        if self.bytes.load(Ordering::Acquire) >= self.limits.max_total_bytes {
            return Err(SiteError::Budget {
                url: url.to_string(),
                limit: self.limits.max_total_bytes,
            });
        }
        if !self.politeness.wait_turn(self.deadline).await {
            return Err(SiteError::OutOfTime {
                url: url.to_string(),
                seconds: self.limits.max_duration.as_secs(),
            });
        }
        let fetched = match self.fetcher.read(&Source::Url(url.clone())).await {
            Ok(fetched) => fetched,
            Err(e) => {
                // A body cut off at the size cap was downloaded that far: it counts.
                if let FetchError::TooLarge { limit, .. } = &e {
                    self.bytes.fetch_add(*limit, Ordering::AcqRel);
                }
                return Err(e.into());
            }
        };
        self.bytes.fetch_add(fetched.text.len(), Ordering::AcqRel);
        if let Some(to) = &fetched.address
            && !same_site(to, &self.site)
        {
            return Err(SiteError::OffSite {
                url: url.to_string(),
                to: to.to_string(),
            });
        }
        Ok(fetched)
    }

    /// Fetches `url` and reads it with `read`, holding one of the crawl's slots throughout:
    /// at most `concurrency` documents are fetched or parsed at once. The parse runs off the
    /// runtime's workers (`cpu_heavy`), and inside the slot, so the threads it takes stay as
    /// few as the slots (each thread keeps its own caches of the readers' expressions).
    async fn read<T>(
        &self,
        url: &Url,
        read: impl FnOnce(&Fetched, &Url) -> Result<T, SiteError>,
    ) -> Result<T, SiteError> {
        let _slot = self.in_flight.acquire().await.ok();
        let fetched = self.fetch(url).await?;
        let address = fetched.address.clone().unwrap_or_else(|| url.clone());
        crate::edge::blocking::cpu_heavy(|| read(&fetched, &address))
    }
}

/// Reads the digital edition whose day index is `index` (fetched for `date`), listing
/// `pages`: one page input per page, in the site's order.
///
/// # Errors
/// [`SiteError::NotPublished`] when the index answers for another day; otherwise pages and
/// articles that fail become warnings on the pages.
pub async fn read_site(
    index: Fetched,
    pages: Vec<PageLink>,
    date: NaiveDate,
    fetcher: &Fetcher,
) -> Result<Vec<PageInput>, SiteError> {
    let address = index
        .address
        .clone()
        .ok_or_else(|| SiteError::NotPublished {
            index: index.origin.clone(),
            date,
        })?;
    // Pages that name another day (an archive's page list) are not today's.
    let mut pages = pages;
    let listed = pages.len();
    pages.retain(|p| !names_another_day(&p.url, date));
    if names_another_day(&address, date) || pages.is_empty() {
        return Err(SiteError::NotPublished {
            index: address.to_string(),
            date,
        });
    }
    let limits = fetcher.limits().site;
    let mut warnings = Vec::new();
    if pages.len() < listed {
        warnings.push(format!(
            "{} of the {listed} pages listed belong to another day; not read",
            listed - pages.len()
        ));
    }
    if pages.len() > limits.max_pages {
        warnings.push(format!(
            "the site lists {} pages; only the first {} are read",
            pages.len(),
            limits.max_pages
        ));
        pages.truncate(limits.max_pages);
    }
    let crawl = Arc::new(Crawl {
        site: address.clone(),
        fetcher: fetcher.for_one_site()?,
        limits,
        politeness: Politeness {
            delay: limits.delay,
            // The index was just fetched: the next request waits its turn too.
            next: Mutex::new(Instant::now() + limits.delay),
        },
        in_flight: Semaphore::new(limits.concurrency.max(1)),
        bytes: std::sync::atomic::AtomicUsize::new(index.text.len()),
        deadline: Instant::now() + limits.max_duration,
    });
    let page_lists = read_page_lists(&crawl, &index, &address, &pages, date).await;
    // Each article once, on the first page that lists it, within the article budget.
    let mut seen: std::collections::HashSet<Url> = std::collections::HashSet::new();
    let mut wanted: Vec<(usize, ArticleLink)> = Vec::new();
    let mut inputs: Vec<PageInput> = Vec::with_capacity(pages.len());
    let mut titles: Vec<String> = page_title(&index.text).into_iter().collect();
    for (i, (page, listed)) in pages.iter().zip(page_lists).enumerate() {
        let mut edition = Edition::default();
        match listed {
            Ok((links, title)) => {
                titles.extend(title);
                let mut over_budget = 0usize;
                for link in links {
                    if seen.contains(&link.url) {
                        continue;
                    }
                    if wanted.len() >= limits.max_articles {
                        over_budget += 1;
                        continue;
                    }
                    seen.insert(link.url.clone());
                    wanted.push((i, link));
                }
                if over_budget > 0 {
                    edition.warnings.push(Warning {
                        line: None,
                        message: format!(
                            "article budget of {} reached; {over_budget} articles of this page not read",
                            limits.max_articles
                        ),
                    });
                }
            }
            Err(e) => edition.warnings.push(Warning {
                line: None,
                message: format!(
                    "page '{}' skipped: {}",
                    page.url,
                    crate::core::error_chain::error_chain(&e)
                ),
            }),
        }
        inputs.push(PageInput {
            edition,
            page: Some(page.page.clone()),
            origin: page.url.to_string(),
        });
    }
    for (at, result) in read_articles(&crawl, &wanted).await {
        let page = &mut inputs[wanted[at].0];
        match result {
            Ok(mut article_edition) => {
                for article in std::mem::take(&mut article_edition.articles) {
                    // A weather report or a notice published as an article page.
                    if let Some(items) = reread_as_print(&article) {
                        article_edition.notices.extend(items.notices);
                        if article_edition.weather.is_none() {
                            article_edition.weather = items.weather;
                        }
                        continue;
                    }
                    let mut article = article;
                    take_jump_marks(&mut article);
                    if article.title.trim().is_empty() {
                        article.title.clone_from(&wanted[at].1.title);
                    }
                    article_edition.articles.push(article);
                }
                page.edition.language = article_edition.language;
                if page.edition.masthead.is_none() {
                    page.edition.masthead = article_edition.masthead.take();
                }
                page.edition.articles.append(&mut article_edition.articles);
                page.edition.photos.append(&mut article_edition.photos);
                page.edition.notices.append(&mut article_edition.notices);
                if page.edition.weather.is_none() {
                    page.edition.weather = article_edition.weather.take();
                }
            }
            Err(e) => page.edition.warnings.push(Warning {
                line: None,
                message: format!(
                    "article '{}' skipped: {}",
                    wanted[at].1.url,
                    crate::core::error_chain::error_chain(&e)
                ),
            }),
        }
    }
    if let Some(first) = inputs.first_mut() {
        // The paper's name: what its pages' titles share, else the site name its articles give.
        let name =
            site_name(&titles).or_else(|| first.edition.masthead.as_ref().map(|m| m.name.clone()));
        first.edition.masthead = name.map(|name| Masthead {
            name,
            date: None,
            iso_date: None,
            details: Vec::new(),
            lines: Vec::new(),
        });
        first
            .edition
            .warnings
            .extend(warnings.into_iter().map(|message| Warning {
                line: None,
                message,
            }));
    }
    Ok(inputs)
}

/// A page's article links and its `<title>`.
type PageList = (Vec<ArticleLink>, Option<String>);

/// Each page's article links (and title), in page order; the index is not fetched again when
/// it is one of the pages.
async fn read_page_lists(
    crawl: &Arc<Crawl>,
    index: &Fetched,
    address: &Url,
    pages: &[PageLink],
    date: NaiveDate,
) -> Vec<Result<PageList, SiteError>> {
    let mut tasks = JoinSet::new();
    let mut lists: Vec<Option<Result<PageList, SiteError>>> =
        (0..pages.len()).map(|_| None).collect();
    for (i, page) in pages.iter().enumerate() {
        if page.url == *address {
            lists[i] = Some(Ok((
                find_articles(&index.text, address, pages, date),
                page_title(&index.text),
            )));
            continue;
        }
        let (crawl, url, all) = (Arc::clone(crawl), page.url.clone(), pages.to_vec());
        tasks.spawn(async move {
            let listed = crawl
                .read(&url, |fetched, at| {
                    Ok((
                        find_articles(&fetched.text, at, &all, date),
                        page_title(&fetched.text),
                    ))
                })
                .await;
            (i, listed)
        });
    }
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((i, listed)) => lists[i] = Some(listed),
            Err(e) => tracing::error!(error.message = %e, "a page's read stopped"),
        }
    }
    lists
        .into_iter()
        .zip(pages)
        .map(|(listed, page)| {
            listed.unwrap_or_else(|| {
                Err(SiteError::Interrupted {
                    what: page.url.to_string(),
                })
            })
        })
        .collect()
}

/// Reads every wanted article, at most `concurrency` at once; results by position.
async fn read_articles(
    crawl: &Arc<Crawl>,
    wanted: &[(usize, ArticleLink)],
) -> Vec<(usize, Result<Edition, SiteError>)> {
    let mut tasks = JoinSet::new();
    for (at, (_, link)) in wanted.iter().enumerate() {
        let (crawl, url) = (Arc::clone(crawl), link.url.clone());
        tasks.spawn(async move {
            let read = crawl
                .read(&url, |fetched, address| {
                    read_document(&fetched.text, Some(address)).map_err(|source| {
                        SiteError::Document {
                            origin: address.to_string(),
                            source,
                        }
                    })
                })
                .await;
            (at, read)
        });
    }
    let mut results: Vec<(usize, Result<Edition, SiteError>)> = wanted
        .iter()
        .enumerate()
        .map(|(at, (_, link))| {
            (
                at,
                Err(SiteError::Interrupted {
                    what: link.url.to_string(),
                }),
            )
        })
        .collect();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((at, result)) => results[at].1 = result,
            Err(e) => tracing::error!(error.message = %e, "an article's read stopped"),
        }
    }
    results
}
