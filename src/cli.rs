//! The `newsbot` command line: argument definitions (clap) and one small runner per
//! subcommand that calls the use cases and prints their results.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::archive::{digest_json, digest_markdown, write_archive};
use crate::clock::Clock;
use crate::config::Config;
use crate::core::digest::{Lang, RenderOptions, Section, render_telegram_html, telegram_length};
use crate::core::edition::describe_edition;
use crate::core::summary::Summarizer;
use crate::core::summary::batch::{SummaryMode, summarize_jsonl};
use crate::daily::{DailyRequest, build_daily_digest};
use crate::fetch::Fetcher;
use crate::ingest::{EditionSource, load_edition_with_feeds};
use crate::llm::Refiner;
use crate::signals::shutdown_requested;

/// newsbot: turns a local newspaper's daily edition into a digest for its town.
#[derive(Debug, Parser)]
#[command(name = "newsbot", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask a running bot's /healthz (for container health checks): prints the report, exits 0
    /// when healthy and 1 otherwise.
    Health {
        /// The URL to ask (default: /healthz on NEWSBOT_METRICS_LISTEN).
        #[arg(long)]
        url: Option<String>,
    },
    /// Play one day of the bot offline: a stand-in Telegram in process, the real serve stack,
    /// the embedded sample edition; prints the conversation. Needs no token and no network.
    Demo,
    /// Read an edition (page or feed) and print the articles, photos, weather and notices found.
    Edition(EditionArgs),
    /// Build the day's digest, archive it under the digest folder and print it.
    Digest(DigestArgs),
    /// Run the Telegram bot (long polling, daily build, scheduled delivery) until SIGINT or
    /// SIGTERM. Refuses to start when no edition source is named (NEWSBOT_EDITION_SOURCE or
    /// NEWSBOT_FEEDS), unless --sample.
    Serve(ServeArgs),
    /// Deliver the digest once, while the bot is not running: whoever is due now (or, with
    /// --date, a re-run of that day for everyone not yet delivered), then drain the outbox.
    Deliver(DeliverArgs),
    /// Print a day's delivery ledger: sent, pending, failed, blocked, migrated, missed.
    Deliveries(DeliveriesArgs),
    /// Print the newsroom's audit log, newest first.
    Audit {
        /// How many entries.
        #[arg(long, default_value_t = 20)]
        last: usize,
    },
    /// Remove records older than NEWSBOT_RETENTION_DAYS (ledger, digests, notices, previews,
    /// uploads) and NEWSBOT_AUDIT_RETENTION_DAYS (audit log) now, while the bot is not
    /// running; `serve` does the same once a day by itself.
    Prune,
    /// Export or import subscribers as JSON Lines (a way out of the database format).
    Subscribers {
        /// What to do.
        #[command(subcommand)]
        action: SubscribersAction,
    },
    /// Summarise articles in bulk: JSON Lines `{"id", "title"?, "article"}` in, `{"id", "summary"}` out.
    Summarize(SummarizeArgs),
}

/// Arguments of `newsbot edition`.
#[derive(Debug, Args)]
pub struct EditionArgs {
    /// A path, `-` for standard input, or an http(s) URL; `{yyyy}`, `{mm}`, `{dd}` and `{date}`
    /// are replaced by the date. Default: NEWSBOT_EDITION_SOURCE, else the embedded sample.
    pub source: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// The edition's date, YYYY-MM-DD, for date placeholders (default: today in NEWSBOT_TIMEZONE).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Also read the feeds in NEWSBOT_FEEDS and add their items as articles.
    #[arg(long)]
    pub with_feeds: bool,
    /// Read the embedded sample edition even when NEWSBOT_EDITION_SOURCE is set.
    #[arg(long, conflicts_with = "source")]
    pub sample: bool,
}

/// Arguments of `newsbot serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Serve the embedded sample paper, re-dated to each day, on purpose (a trial bot); it
    /// replaces NEWSBOT_EDITION_SOURCE and NEWSBOT_FEEDS.
    #[arg(long)]
    pub sample: bool,
}

/// Arguments of `newsbot deliver`.
#[derive(Debug, Args)]
pub struct DeliverArgs {
    /// Re-run this day (YYYY-MM-DD): everyone whose time that day has passed and who has no
    /// delivery yet, or a failed or missed one. Default: whoever is due now.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// List who would get which sections; send nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Build today's digest, if it is missing, from the embedded sample paper on purpose.
    #[arg(long)]
    pub sample: bool,
}

/// Arguments of `newsbot deliveries`.
#[derive(Debug, Args)]
pub struct DeliveriesArgs {
    /// The day (YYYY-MM-DD). Default: today in NEWSBOT_TIMEZONE.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Print only the counts, not one line per chat.
    #[arg(long)]
    pub summary: bool,
}

/// `newsbot subscribers …`.
#[derive(Debug, Subcommand)]
pub enum SubscribersAction {
    /// Write every subscriber as one JSON object per line (to standard output, or --out).
    Export {
        /// File to write instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Read subscribers written by `export` (a file, or `-` for standard input) and save them.
    Import {
        /// The JSON Lines file.
        file: String,
    },
}

/// Output format of `newsbot digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestFormat {
    /// Markdown, as archived.
    Md,
    /// Telegram HTML messages, as sent.
    Html,
    /// JSON, as archived.
    Json,
}

/// Arguments of `newsbot digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The edition (path, `-`, or URL with date placeholders). Default: NEWSBOT_EDITION_SOURCE,
    /// else the embedded sample.
    #[arg(long, value_name = "PATH_OR_URL")]
    pub edition: Option<String>,
    /// The digest's date, YYYY-MM-DD (default: the masthead's date, else today).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Archive folder (default: NEWSBOT_DIGEST_DIR, else digests).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Label language: zh or en.
    #[arg(long, default_value = "zh", value_parser = Lang::parse)]
    pub lang: Lang,
    /// What to print.
    #[arg(long, value_enum, default_value = "md")]
    pub format: DigestFormat,
    /// Sections to print with --format html, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_parser = Section::parse)]
    pub sections: Vec<Section>,
    /// Use the two-or-three-sentence summaries with --format html.
    #[arg(long)]
    pub short: bool,
    /// Print only; do not write the archive.
    #[arg(long)]
    pub no_archive: bool,
    /// Also read the feeds in NEWSBOT_FEEDS.
    #[arg(long)]
    pub with_feeds: bool,
    /// Use the embedded sample even when NEWSBOT_EDITION_SOURCE is set.
    #[arg(long, conflicts_with = "edition")]
    pub sample: bool,
}

/// Arguments of `newsbot summarize`.
#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// Input file of JSON Lines, or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub jsonl: String,
    /// Write the short summary (two or three sentences) instead of one sentence.
    #[arg(long)]
    pub short: bool,
    /// Ignore the `title` field (summaries then do not lean on the headline).
    #[arg(long)]
    pub ignore_titles: bool,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date like 2026-11-29"))
}

/// Runs the parsed command line.
///
/// # Errors
/// Whatever the command could not do, with context for the person at the terminal.
pub async fn run(cli: Cli, config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo => run_demo().await,
        Command::Health { url } => run_health(url, config).await,
        Command::Edition(args) => run_edition(args, config, clock.as_ref()).await,
        Command::Digest(args) => run_digest(args, config, clock.as_ref()).await,
        Command::Serve(args) => {
            crate::service::serve(
                config,
                clock,
                refiner(config)?,
                crate::service::ServeOptions {
                    sample: args.sample,
                    ..crate::service::ServeOptions::default()
                },
                shutdown_requested(),
            )
            .await
        }
        Command::Deliver(args) => crate::cli_delivery::run_deliver(&args, config, clock).await,
        Command::Deliveries(args) => {
            crate::cli_delivery::run_deliveries(&args, config, clock.as_ref())
        }
        Command::Audit { last } => run_audit(last, config),
        Command::Prune => run_prune(config, clock.as_ref()).await,
        Command::Subscribers { action } => run_subscribers(action, config).await,
        Command::Summarize(args) => run_summarize(&args).await,
    }
}

async fn run_health(url: Option<String>, config: &Config) -> anyhow::Result<()> {
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

async fn run_demo() -> anyhow::Result<()> {
    let (transcript, summary) = crate::demo::run_demo().await?;
    print_out(&transcript)?;
    anyhow::ensure!(
        summary.digests_delivered == 2 && summary.notice_reached == 2 && summary.refused == 0,
        "the demo day did not go as it should: {summary:?}"
    );
    Ok(())
}

async fn run_edition(args: EditionArgs, config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let date = args.date.unwrap_or_else(|| clock.today_in(config.timezone));
    let source = if args.sample {
        EditionSource::Sample
    } else {
        EditionSource::page_or_sample(args.source.as_deref().or(config.edition_source.as_deref()))
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

async fn run_digest(args: DigestArgs, config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let request = DailyRequest {
        source: if args.sample {
            EditionSource::Sample
        } else {
            EditionSource::page_or_sample(
                args.edition.as_deref().or(config.edition_source.as_deref()),
            )
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
    let daily = build_daily_digest(&request, &fetcher, &summarizer, refiner.as_ref()).await?;
    for warning in &daily.warnings {
        tracing::debug!(line = ?warning.line, "{}", warning.message);
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

/// The LLM refiner when `NEWSBOT_LLM_ENABLED` is on.
pub(crate) fn refiner(config: &Config) -> anyhow::Result<Option<Refiner>> {
    config
        .llm
        .as_ref()
        .map(|llm| Refiner::new(llm.clone(), &config.data_dir.join("llm-cache.json")))
        .transpose()
        .context("starting the LLM client")
}

async fn run_prune(config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let store = crate::service::open_store(config)?;
    let today = clock.today_in(config.timezone);
    let cut = config.retention.cutoffs(today, clock.now());
    let outcome = crate::retention::prune_old_records(
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

fn run_audit(last: usize, config: &Config) -> anyhow::Result<()> {
    let store = crate::service::open_store(config)?;
    let entries = store.recent_audit(last).context("reading the audit log")?;
    if entries.is_empty() {
        eprintln!("the audit log is empty");
        return Ok(());
    }
    let lines: Vec<String> = entries.iter().map(|e| format!("{e}\n")).collect();
    print_out(&lines.concat())
}

async fn run_subscribers(action: SubscribersAction, config: &Config) -> anyhow::Result<()> {
    let store = crate::service::open_store(config)?;
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
            let report = store
                .import_subscribers(&text)
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

async fn run_summarize(args: &SummarizeArgs) -> anyhow::Result<()> {
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

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub(crate) fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}
