//! The runners of the subcommands other than `serve`, `deliver` and `deliveries`: each
//! calls the use cases and prints their results.

use anyhow::Context;

use super::args::{DigestArgs, DigestFormat, EditionArgs, SubscribersAction, SummarizeArgs};
use super::output::{describe_outcomes, print_out, refiner};
use crate::app::daily::{DailyRequest, build_daily_digest};
use crate::app::ingest::{EditionSource, load_edition_with_feeds};
use crate::core::digest::{RenderOptions, Section, render_telegram_html, telegram_length};
use crate::core::edition::describe_edition;
use crate::core::editions::EditionId;
use crate::core::summary::Summarizer;
use crate::core::summary::batch::{SummaryMode, summarize_jsonl};
use crate::edge::archive::{digest_json, digest_markdown, write_archive};
use crate::edge::clock::Clock;
use crate::edge::fetch::Fetcher;
use crate::program::config::Config;
use crate::program::editions_file::read_editions_file;

pub async fn run_health(url: Option<String>, config: &Config) -> anyhow::Result<()> {
    let url = match (url, config.metrics_listen) {
        (Some(url), _) => url,
        (None, Some(addr)) => format!("http://{addr}/healthz"),
        (None, None) => anyhow::bail!("give --url or set NEWSBOT_METRICS_LISTEN"),
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .context("building the HTTP client")?;
    let response = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("asking {url}"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    print_out(&format!("{body}\n"))?;
    anyhow::ensure!(status.is_success(), "{url} answered {status}");
    Ok(())
}

pub async fn run_demo() -> anyhow::Result<()> {
    let (transcript, summary) = crate::program::demo::run_demo().await?;
    print_out(&transcript)?;
    anyhow::ensure!(
        summary.digests_delivered == 2 && summary.notice_reached == 2 && summary.refused == 0,
        "the demo day did not go as it should: {summary:?}"
    );
    Ok(())
}

/// The pages named on the command line, else those of `NEWSBOT_EDITION_SOURCE`, else the
/// embedded sample.
fn pages_named(given: &[String], config: &Config) -> EditionSource {
    if given.is_empty() {
        EditionSource::pages_or_sample(config.edition_source.as_deref())
    } else {
        EditionSource::Pages(given.to_vec())
    }
}

pub async fn run_edition(
    args: EditionArgs,
    config: &Config,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let date = args.date.unwrap_or_else(|| clock.today_in(config.timezone));
    let source = if args.sample {
        EditionSource::Sample
    } else {
        pages_named(&args.source, config)
    };
    let fetcher = Fetcher::new(config.fetch).context("starting the HTTP client")?;
    let feeds: &[url::Url] = if args.with_feeds { &config.feeds } else { &[] };
    let loaded = load_edition_with_feeds(&source, feeds, date, &fetcher).await?;
    let output = if args.json {
        let mut json =
            serde_json::to_string_pretty(&loaded.edition).context("serialising the edition")?;
        json.push('\n');
        json
    } else {
        format!(
            "source: {}\n{}",
            loaded.origin,
            describe_edition(&loaded.edition)
        )
    };
    print_out(&output)
}

pub async fn run_digest(
    args: DigestArgs,
    config: &Config,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let request = DailyRequest {
        source: if args.sample {
            EditionSource::Sample
        } else {
            pages_named(&args.edition, config)
        },
        fetch_date: args.date.unwrap_or_else(|| clock.today_in(config.timezone)),
        date: args.date,
        feeds: if args.with_feeds {
            config.feeds.clone()
        } else {
            Vec::new()
        },
    };
    let fetcher = Fetcher::new(config.fetch).context("starting the HTTP client")?;
    let refiner = refiner(config)?;
    let summarizer = Summarizer::new();
    let daily = build_daily_digest(&request, &fetcher, &summarizer, refiner.as_deref()).await?;
    for warning in &daily.warnings {
        tracing::debug!(line = ?warning.line, "{}", warning.message);
    }
    if refiner.is_some() {
        eprintln!(
            "LLM: {}; {}",
            describe_outcomes("summaries refined", &daily.refinements),
            describe_outcomes("headlines translated", &daily.translations)
        );
    }
    if !args.no_archive {
        let dir = args
            .out
            .clone()
            .unwrap_or_else(|| config.digest_dir.clone());
        let archived =
            write_archive(&dir, &daily.digest, args.lang).context("archiving the digest")?;
        eprintln!(
            "archived {} and {}",
            archived.markdown.display(),
            archived.json.display()
        );
    }
    let output = match args.format {
        DigestFormat::Md => digest_markdown(&daily.digest, args.lang),
        DigestFormat::Json => digest_json(&daily.digest)?,
        DigestFormat::Html => {
            let sections = if args.sections.is_empty() {
                Section::ALL.to_vec()
            } else {
                args.sections.clone()
            };
            let options = RenderOptions {
                lang: args.lang,
                sections,
                short_summaries: args.short,
            };
            let messages = render_telegram_html(&daily.digest, &options);
            let count = messages.len();
            messages
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    format!(
                        "── message {}/{count} · {} characters ──\n{m}\n",
                        i + 1,
                        telegram_length(m)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    print_out(&output)
}

pub async fn run_prune(config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let store = crate::program::service::open_store(config)?;
    let today = clock.today_in(config.timezone);
    let cut = config.retention.cutoffs(today, clock.now());
    let outcome = crate::app::retention::prune_old_records(
        &store,
        config.retention,
        today,
        clock.now(),
        &tokio_util::sync::CancellationToken::new(),
    )
    .await
    .context("pruning old records")?;
    store.flush().await.context("flushing the database")?;
    print_out(&format!(
        "kept from {} (audit from {}); removed {} records and sealed {} ledger records of finished days in {} batches, {} ms\n{}\n",
        cut.keep_from,
        cut.audit_from.format("%Y-%m-%d %H:%M UTC"),
        outcome.removed.total(),
        outcome.sealed,
        outcome.batches,
        outcome.took.as_millis(),
        outcome.removed
    ))
}

pub fn run_audit(last: usize, config: &Config) -> anyhow::Result<()> {
    let store = crate::program::service::open_store(config)?;
    let entries = store.recent_audit(last).context("reading the audit log")?;
    if entries.is_empty() {
        eprintln!("the audit log is empty");
        return Ok(());
    }
    let lines: Vec<String> = entries.iter().map(|e| format!("{e}\n")).collect();
    print_out(&lines.concat())
}

pub async fn run_subscribers(action: SubscribersAction, config: &Config) -> anyhow::Result<()> {
    let store = crate::program::service::open_store(config)?;
    match action {
        SubscribersAction::Export { out } => {
            let mut buffer = Vec::new();
            let (count, skipped) = store
                .export_subscribers(&mut buffer)
                .context("exporting subscribers")?;
            if skipped > 0 {
                eprintln!("newsbot: skipped {skipped} unreadable subscriber records (see the log)");
            }
            match out {
                Some(path) => std::fs::write(&path, &buffer)
                    .with_context(|| format!("writing '{}'", path.display()))?,
                None => print_out(&String::from_utf8_lossy(&buffer))?,
            }
            eprintln!("exported {count} subscribers");
        }
        SubscribersAction::Import { file } => {
            let text = read_input(&file).await?;
            // The editions this deployment serves: a record following another is refused (one
            // that names none follows the default edition, whichever it is).
            let (served, default): (Vec<EditionId>, EditionId) = match &config.editions_file {
                Some(path) => {
                    let editions = read_editions_file(path, config)?;
                    let default = editions.default_edition().id.clone();
                    (
                        editions.iter().map(|plan| plan.id.clone()).collect(),
                        default,
                    )
                }
                None => (vec![EditionId::default_id()], EditionId::default_id()),
            };
            let report = store
                .import_subscribers(&text, |subscriber| {
                    let followed = subscriber.editions(&default);
                    match followed.into_iter().find(|e| !served.contains(e)) {
                        Some(unknown) => Err(format!(
                            "subscriber {} follows edition '{unknown}', which this deployment does not serve",
                            subscriber.id
                        )),
                        None => Ok(()),
                    }
                })
                .await
                .context("importing subscribers")?;
            for problem in &report.problems {
                eprintln!("newsbot: {file}: {problem}");
            }
            eprintln!("imported {} subscribers", report.imported);
            if !report.problems.is_empty() {
                anyhow::bail!("{} lines could not be imported", report.problems.len());
            }
        }
    }
    Ok(())
}

pub async fn run_summarize(args: &SummarizeArgs) -> anyhow::Result<()> {
    let input = read_input(&args.jsonl).await?;
    let mode = if args.short {
        SummaryMode::Short
    } else {
        SummaryMode::OneSentence
    };
    let summarizer = Summarizer::new();
    let batch = summarize_jsonl(&summarizer, &input, mode, !args.ignore_titles);
    for problem in &batch.problems {
        eprintln!("newsbot: {}: {problem}", args.jsonl);
    }
    print_out(&batch.output)?;
    if batch.problems.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "{} of the input lines could not be summarised",
            batch.problems.len()
        )
    }
}

/// Reads a whole input file, or standard input for `-`.
async fn read_input(path: &str) -> anyhow::Result<String> {
    if path == "-" {
        let mut text = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut tokio::io::stdin(), &mut text)
            .await
            .context("reading standard input")?;
        Ok(text)
    } else {
        tokio::fs::read_to_string(path)
            .await
            .with_context(|| format!("reading '{path}'"))
    }
}
