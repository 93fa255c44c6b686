//! The `newsbot` command line as clap reads it: the subcommands and their arguments.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::core::digest::{Lang, Section};

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
    /// Move a stopped deployment's database to another engine (sled to PostgreSQL, or back),
    /// verified by counts and a spot check of values; run again to resume a copy cut short.
    Store {
        /// What to do.
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Print every setting (environment variable, default, meaning) as the README's Markdown
    /// table.
    Settings,
    /// Check the editions file (NEWSBOT_EDITIONS_FILE, or --file) and print its editions.
    Editions {
        /// The file to check instead of NEWSBOT_EDITIONS_FILE.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Look words up in the embedded Chinese–English word list (CC-CEDICT): what a search
    /// for each word also seeks in the other language.
    Words {
        /// English or Chinese words (`bridge`, `码头`); two adjacent English words are also
        /// looked up as one phrase (`power cut`).
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Summarise articles in bulk: JSON Lines `{"id", "title"?, "article"}` in, `{"id", "summary"}` out.
    Summarize(SummarizeArgs),
}

/// Arguments of `newsbot edition`.
#[derive(Debug, Args)]
pub struct EditionArgs {
    /// The edition's pages, in order: each a path, `-` for standard input, or an http(s) URL;
    /// `{yyyy}`, `{mm}`, `{dd}` and `{date}` are replaced by the date, `{page}` (or `{pp}`) by
    /// 1, 2, 3… until a page is missing. Several pages are read as one edition. Default:
    /// NEWSBOT_EDITION_SOURCE, else the embedded sample.
    pub source: Vec<String>,
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
    /// With an editions file: the edition (its id) whose settings are used (default: the
    /// file's default edition).
    #[arg(long, value_name = "EDITION_ID")]
    pub of: Option<String>,
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
    /// With an editions file: the edition (its id) whose ledger is listed (default: the
    /// file's default edition).
    #[arg(long, value_name = "EDITION_ID")]
    pub of: Option<String>,
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

/// `newsbot store` actions.
#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Copy every record from one database to another and verify the copy.
    Copy {
        /// The database to read: `sled:PATH` (the data folder's `db`) or `postgres://…`.
        #[arg(long, value_name = "DATABASE")]
        from: String,
        /// The database to write: `postgres://…` or `sled:PATH`.
        #[arg(long, value_name = "DATABASE")]
        to: String,
        /// A PostgreSQL schema to use on either side instead of the URL's default.
        #[arg(long)]
        schema: Option<String>,
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
    /// A page of the edition (path, `-`, or URL with date placeholders and `{page}`); repeat
    /// it for each page, in order. Default: NEWSBOT_EDITION_SOURCE, else the embedded sample.
    #[arg(long, value_name = "PATH_OR_URL")]
    pub edition: Vec<String>,
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
    /// With an editions file: the edition (its id) whose settings are used (default: the
    /// file's default edition).
    #[arg(long, value_name = "EDITION_ID")]
    pub of: Option<String>,
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
