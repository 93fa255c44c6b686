//! Use case "build the day's digest": read the edition (and feeds), summarise each article,
//! let the optional LLM refine the one-sentence summaries under the fact guard, build the
//! digest, and let the LLM translate Chinese headlines for English readers under the
//! translation guard. The digest is dated by `--date`, else the masthead's date, else today.

use chrono::NaiveDate;
use url::Url;

use crate::app::ingest::{EditionSource, IngestError, load_edition_with_feeds};
use crate::core::digest::{Digest, build_digest};
use crate::core::edition::Warning;
use crate::core::punctuation::is_mostly_cjk;
use crate::core::summary::{EN_BUDGETS, Summarizer, Summary, ZH_BUDGETS};
use crate::edge::fetch::Fetcher;
use crate::edge::llm::{RefineOutcome, Refiner};

/// What to build.
#[derive(Debug, Clone)]
pub struct DailyRequest {
    /// Where the edition is read from.
    pub source: EditionSource,
    /// Date used for placeholders in the source.
    pub fetch_date: NaiveDate,
    /// The digest's date when given; else the masthead's, else `fetch_date`.
    pub date: Option<NaiveDate>,
    /// Feeds whose items join the edition.
    pub feeds: Vec<Url>,
}

/// A built digest and what happened along the way.
#[derive(Debug, Clone)]
pub struct DailyDigest {
    /// The digest.
    pub digest: Digest,
    /// Where the edition came from.
    pub origin: String,
    /// The parser's and feeds' warnings.
    pub warnings: Vec<Warning>,
    /// One outcome per article when the LLM is on.
    pub refinements: Vec<RefineOutcome>,
    /// One outcome per Chinese headline translated for English readers when the LLM is on.
    pub translations: Vec<RefineOutcome>,
}

/// Builds the day's digest.
///
/// # Errors
/// [`IngestError`] when the edition cannot be read (a failing feed only warns).
pub async fn build_daily_digest(
    request: &DailyRequest,
    fetcher: &Fetcher,
    summarizer: &Summarizer,
    refiner: Option<&Refiner>,
) -> Result<DailyDigest, IngestError> {
    let loaded =
        load_edition_with_feeds(&request.source, &request.feeds, request.fetch_date, fetcher)
            .await?;
    let edition = &loaded.edition;
    let date = request
        .date
        .or_else(|| {
            edition
                .masthead
                .as_ref()
                .and_then(|m| m.iso_date.as_deref())
                .and_then(|d| d.parse().ok())
        })
        .unwrap_or(request.fetch_date);
    let mut summaries: Vec<Summary> = crate::edge::blocking::cpu_heavy(|| {
        edition
            .articles
            .iter()
            .map(|a| summarizer.summarize_article(a))
            .collect()
    });
    let mut refinements = Vec::new();
    if let Some(refiner) = refiner {
        for (article, summary) in edition.articles.iter().zip(summaries.iter_mut()) {
            let text = article.paragraphs.join("\n");
            let budget = if is_mostly_cjk(&text) {
                ZH_BUDGETS.one_sentence
            } else {
                EN_BUDGETS.one_sentence
            };
            let (sentence, outcome) = refiner
                .refine(date, &article.title, &text, &summary.one_sentence, budget)
                .await;
            summary.one_sentence = sentence;
            refinements.push(outcome);
        }
    }
    let name = edition
        .masthead
        .as_ref()
        .map_or(loaded.origin.as_str(), |m| m.name.as_str());
    let mut digest = build_digest(edition, date, name, &summaries);
    let mut translations = Vec::new();
    if let Some(refiner) = refiner {
        for headline in digest
            .headlines
            .iter_mut()
            .filter(|h| is_mostly_cjk(&h.title))
        {
            let (english, outcome) = refiner
                .translate(date, &headline.title, &headline.summary)
                .await;
            headline.english = english;
            translations.push(outcome);
        }
    }
    Ok(DailyDigest {
        digest,
        origin: loaded.origin.clone(),
        warnings: loaded.edition.warnings.clone(),
        refinements,
        translations,
    })
}
