//! Every setting newsbot reads, declared once with its variable, type, default, range and
//! meaning (clap's `env` arguments). The README's table is printed from this declaration
//! (`newsbot settings`) and a test holds the README and `.env.example` to it. Values are read
//! through a lookup (the environment in production, a map in tests), never by clap itself.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::builder::RangedU64ValueParser;
use clap::error::{ContextKind, ContextValue};
use clap::{CommandFactory, FromArgMatches, Parser};
use url::Url;

use crate::core::edition::MAX_EDITION_BYTES;
use crate::core::secret::Secret;
use crate::core::subscriber::DeliveryTime;

/// The settings as read, each already of its type and inside its range. Rules that join
/// several settings (the broadcast rate's ceiling, the LLM's URL, the webhook's scheme) are
/// checked when they become a `Config`.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "newsbot-settings",
    no_binary_name = true,
    disable_help_flag = true
)]
pub struct Settings {
    /// bot token (only the bot needs it; secret, never logged)
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    pub telegram_token: Option<Secret>,
    /// Bot API server
    #[arg(
        long,
        env = "TELOXIDE_API_URL",
        default_value = "https://api.telegram.org"
    )]
    pub telegram_api_url: Url,
    /// database and state
    #[arg(long, env = "NEWSBOT_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of the embedded database: `postgres://user@host:5432/db` (secret,
    /// never logged); several instances may share it
    #[arg(long, env = "NEWSBOT_DATABASE_URL", hide_env_values = true, value_parser = parse_database_url)]
    pub database_url: Option<Secret>,
    /// PostgreSQL schema for newsbot's tables (created if absent): several deployments can
    /// share one database; unset means the URL's default (`public`)
    #[arg(long, env = "NEWSBOT_DATABASE_SCHEMA", value_parser = parse_schema)]
    pub database_schema: Option<String>,
    /// seconds a leader's lease lasts when instances share PostgreSQL: a standby takes over
    /// this long after the leader stops renewing, 3–300
    #[arg(long, env = "NEWSBOT_LEASE_SECS", default_value_t = 15,
          value_parser = RangedU64ValueParser::<u64>::new().range(3..=300))]
    pub lease_secs: u64,
    /// this instance's name in the lease, /healthz and the logs; unset means host name and
    /// process id
    #[arg(long, env = "NEWSBOT_INSTANCE")]
    pub instance: Option<String>,
    /// the day's pages, in order, comma-separated: paths or URLs, with date fields and `{page}`
    /// (`serve` needs it or `NEWSBOT_FEEDS`)
    #[arg(long, env = "NEWSBOT_EDITION_SOURCE")]
    pub edition_source: Option<String>,
    /// TOML file listing the editions one deployment serves (see `editions.example.toml`);
    /// unset means one edition, from the settings here
    #[arg(long, env = "NEWSBOT_EDITIONS_FILE")]
    pub editions_file: Option<PathBuf>,
    /// extra RSS/Atom/JSON feeds, comma-separated
    #[arg(long, env = "NEWSBOT_FEEDS", value_parser = parse_feeds)]
    pub feeds: Option<FeedList>,
    /// the paper's time zone ("today")
    #[arg(long, env = "NEWSBOT_TIMEZONE", default_value = "Asia/Shanghai", value_parser = parse_zone)]
    pub timezone: chrono_tz::Tz,
    /// fetch timeout in seconds, 1–600
    #[arg(long, env = "NEWSBOT_FETCH_TIMEOUT_SECS", default_value_t = 20,
          value_parser = RangedU64ValueParser::<u64>::new().range(1..=600))]
    pub fetch_timeout_secs: u64,
    /// size cap in bytes, 1024–8388608
    #[arg(long, env = "NEWSBOT_MAX_EDITION_BYTES", default_value_t = MAX_EDITION_BYTES,
          value_parser = RangedU64ValueParser::<usize>::new().range(1024..=MAX_EDITION_BYTES as u64))]
    pub max_edition_bytes: usize,
    /// redirects followed, 0–20
    #[arg(long, env = "NEWSBOT_MAX_REDIRECTS", default_value_t = 5,
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=20))]
    pub max_redirects: usize,
    /// pages of a digital edition's site read at most, 1–256
    #[arg(long, env = "NEWSBOT_SITE_MAX_PAGES", default_value_t = 32,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=256))]
    pub site_max_pages: usize,
    /// articles of a digital edition's site read at most, 1–5000
    #[arg(long, env = "NEWSBOT_SITE_MAX_ARTICLES", default_value_t = 300,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=5000))]
    pub site_max_articles: usize,
    /// bytes of a digital edition's site read at most, 1 MiB–1 GiB
    #[arg(long, env = "NEWSBOT_SITE_MAX_BYTES", default_value_t = 64 * 1024 * 1024,
          value_parser = RangedU64ValueParser::<usize>::new().range(1_048_576..=1_073_741_824))]
    pub site_max_bytes: usize,
    /// requests to a digital edition's site in flight at once, 1–16
    #[arg(long, env = "NEWSBOT_SITE_CONCURRENCY", default_value_t = 4,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=16))]
    pub site_concurrency: usize,
    /// longest a digital edition's site may take to read, in seconds, 1–3600
    #[arg(long, env = "NEWSBOT_SITE_TIMEOUT_SECS", default_value_t = 300,
          value_parser = RangedU64ValueParser::<u64>::new().range(1..=3600))]
    pub site_timeout_secs: u64,
    /// milliseconds between the starts of two requests to a digital edition's site, 0–10000
    #[arg(long, env = "NEWSBOT_SITE_DELAY_MS", default_value_t = 250,
          value_parser = RangedU64ValueParser::<u64>::new().range(0..=10_000))]
    pub site_delay_ms: u64,
    /// tracing filter; logs go to standard error
    #[arg(long, env = "NEWSBOT_LOG", default_value = "info")]
    pub log: String,
    /// digest archive folder
    #[arg(long, env = "NEWSBOT_DIGEST_DIR", default_value = "digests")]
    pub digest_dir: PathBuf,
    /// switch on LLM refinement of summaries and translation of headlines (`true` or `false`)
    #[arg(long, env = "NEWSBOT_LLM_ENABLED", default_value_t = false,
          action = clap::ArgAction::Set, value_parser = clap::value_parser!(bool))]
    pub llm_enabled: bool,
    /// chat-completions URL (required when the LLM is enabled)
    #[arg(long, env = "NEWSBOT_LLM_URL")]
    pub llm_url: Option<Url>,
    /// model name sent with each request
    #[arg(long, env = "NEWSBOT_LLM_MODEL", default_value = "default")]
    pub llm_model: String,
    /// bearer token for the LLM (secret, never logged)
    #[arg(long, env = "NEWSBOT_LLM_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub llm_api_key: Option<Secret>,
    /// LLM per-request timeout in seconds, 1–300
    #[arg(long, env = "NEWSBOT_LLM_TIMEOUT_SECS", default_value_t = 15,
          value_parser = RangedU64ValueParser::<u64>::new().range(1..=300))]
    pub llm_timeout_secs: u64,
    /// when the day's digest is built, in `NEWSBOT_TIMEZONE`
    #[arg(long, env = "NEWSBOT_BUILD_AT", default_value = "05:30", value_parser = parse_time)]
    pub build_at: DeliveryTime,
    /// how late a delivery is still sent, in hours, 0–23; past it, missed
    #[arg(long, env = "NEWSBOT_CATCH_UP_HOURS", default_value_t = 6,
          value_parser = RangedU64ValueParser::<u32>::new().range(0..=23))]
    pub catch_up_hours: u32,
    /// messages a second for the whole bot, 1–30 (1000 when paid)
    #[arg(long, env = "NEWSBOT_BROADCAST_RATE", default_value_t = 29,
          value_parser = RangedU64ValueParser::<u32>::new().range(1..=1000))]
    pub broadcast_rate: u32,
    /// send with `allow_paid_broadcast` to go above 30/s (`true` or `false`)
    #[arg(long, env = "NEWSBOT_PAID_BROADCAST", default_value_t = false,
          action = clap::ArgAction::Set, value_parser = clap::value_parser!(bool))]
    pub paid_broadcast: bool,
    /// requests in flight at once, 1–256; bounds what a crash repeats
    #[arg(long, env = "NEWSBOT_SEND_CONCURRENCY", default_value_t = 8,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=256))]
    pub send_concurrency: usize,
    /// start the clock at this RFC 3339 instant (demos and tests)
    #[arg(long, env = "NEWSBOT_CLOCK_START", value_parser = parse_instant)]
    pub clock_start: Option<DateTime<Utc>>,
    /// Telegram user ids of the newsroom's editors, comma-separated
    #[arg(long, env = "NEWSBOT_EDITORS", value_parser = parse_editors)]
    pub editors: Option<EditorList>,
    /// public https URL for webhook mode; unset means long polling
    #[arg(long, env = "NEWSBOT_WEBHOOK_URL")]
    pub webhook_url: Option<Url>,
    /// address the webhook listener binds
    #[arg(long, env = "NEWSBOT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// secret token checked on each webhook update; unset means a random one each start
    /// (secret, never logged)
    #[arg(long, env = "NEWSBOT_WEBHOOK_SECRET", hide_env_values = true, value_parser = parse_webhook_secret)]
    pub webhook_secret: Option<Secret>,
    /// address for `/healthz` and `/metrics`; unset means off
    #[arg(long, env = "NEWSBOT_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// days of ledger, digests, notices, previews and uploads kept, 2–36500
    #[arg(long, env = "NEWSBOT_RETENTION_DAYS", default_value_t = 90,
          value_parser = RangedU64ValueParser::<u32>::new().range(2..=36_500))]
    pub retention_days: u32,
    /// days of the newsroom's audit log kept, 1–36500
    #[arg(long, env = "NEWSBOT_AUDIT_RETENTION_DAYS", default_value_t = 730,
          value_parser = RangedU64ValueParser::<u32>::new().range(1..=36_500))]
    pub audit_retention_days: u32,
}

/// `NEWSBOT_FEEDS`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedList(pub Vec<Url>);

/// `NEWSBOT_EDITORS`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorList(pub Vec<i64>);

/// A setting with a value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting {name}='{value}': {reason}")]
pub struct SettingsError {
    /// The variable's name.
    pub name: String,
    /// The value found (never a secret's).
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One setting as the README and `.env.example` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingDoc {
    /// The environment variable.
    pub name: String,
    /// Its default, `None` when unset by default.
    pub default: Option<String>,
    /// What it does.
    pub meaning: String,
    /// A secret: its value never appears in a message.
    pub secret: bool,
}

/// Every setting, in declaration order.
#[must_use]
pub fn setting_docs() -> Vec<SettingDoc> {
    Settings::command()
        .get_arguments()
        .filter_map(|arg| {
            let name = arg.get_env()?.to_string_lossy().into_owned();
            let default = arg
                .get_default_values()
                .first()
                .map(|v| v.to_string_lossy().into_owned());
            let meaning = arg
                .get_help()
                .map(|h| h.to_string().replace('\n', " "))
                .unwrap_or_default();
            Some(SettingDoc {
                name,
                default,
                meaning,
                secret: arg.is_hide_env_values_set(),
            })
        })
        .collect()
}

/// The README's settings table, as Markdown.
#[must_use]
pub fn settings_table() -> String {
    let mut table = String::from("| setting | default | meaning |\n| --- | --- | --- |\n");
    for doc in setting_docs() {
        let default = doc
            .default
            .map_or_else(|| "unset".to_owned(), |d| format!("`{d}`"));
        table.push_str(&format!(
            "| `{}` | {default} | {} |\n",
            doc.name, doc.meaning
        ));
    }
    table
}

impl Settings {
    /// Reads every setting through `lookup`; an empty value is the same as an unset one.
    ///
    /// # Errors
    /// [`SettingsError`] for the first setting with an unusable value, naming it.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let docs = setting_docs();
        let mut args = Vec::new();
        let command = Settings::command();
        for arg in command.get_arguments() {
            let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
                continue;
            };
            let value = lookup(&env.to_string_lossy())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            if let Some(value) = value {
                args.push(format!("--{long}={value}"));
            }
        }
        // clap reads only the arguments built above, never the process environment.
        let command = command.mut_args(|arg| arg.env(None::<&'static str>));
        let matches = command
            .try_get_matches_from(args)
            .map_err(|e| settings_error(&e, &docs))?;
        Settings::from_arg_matches(&matches).map_err(|e| settings_error(&e, &docs))
    }
}

/// clap's error, told in the setting's own name; a secret's value is never repeated.
fn settings_error(error: &clap::Error, docs: &[SettingDoc]) -> SettingsError {
    let long = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg
            .trim_start_matches('-')
            .split([' ', '='])
            .next()
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    let command = Settings::command();
    let env = command
        .get_arguments()
        .find(|a| a.get_long() == Some(long.as_str()))
        .and_then(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned());
    let name = env.unwrap_or_else(|| "settings".to_owned());
    let secret = docs.iter().any(|d| d.name == name && d.secret);
    let value = match error.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(v)) if !secret => v.clone(),
        Some(_) if secret => "[redacted]".to_owned(),
        _ => String::new(),
    };
    // A secret's reason is the checker's own words, never clap's line (which quotes the
    // value, and a value may hold a new line).
    let reason = if secret {
        std::error::Error::source(error).map_or_else(
            || "the value is not accepted".to_owned(),
            ToString::to_string,
        )
    } else {
        let rendered = error.render().to_string();
        let first = rendered.lines().next().unwrap_or_default();
        first
            .rsplit_once("': ")
            .map_or(first, |(_, reason)| reason)
            .trim_start_matches("error: ")
            .to_owned()
    };
    SettingsError {
        name,
        value,
        reason,
    }
}

fn parse_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', '\n']).filter(|s| !s.is_empty())
}

fn parse_feeds(text: &str) -> Result<FeedList, String> {
    parse_list(text)
        .map(|feed| Url::parse(feed).map_err(|e| format!("{feed}: {e}")))
        .collect::<Result<_, _>>()
        .map(FeedList)
}

fn parse_editors(text: &str) -> Result<EditorList, String> {
    parse_list(text)
        .map(|id| match id.parse::<i64>() {
            Ok(id) if id > 0 => Ok(id),
            _ => Err(format!(
                "{id}: must be Telegram user ids (positive numbers), comma-separated"
            )),
        })
        .collect::<Result<_, _>>()
        .map(EditorList)
}

fn parse_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    crate::core::subscriber::parse_time_zone(text).map_err(|e| e.to_string())
}

fn parse_time(text: &str) -> Result<DeliveryTime, String> {
    DeliveryTime::parse(text).map_err(|e| e.to_string())
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| e.to_string())
}

/// A secret, kept out of `Debug` and logs.
fn parse_secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::new(text))
}

/// A schema name: lower-case letters, digits and `_`, not starting with a digit.
fn parse_schema(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 63
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(text.to_owned())
    } else {
        Err("must be lower-case letters, digits and _ (e.g. newsbot)".to_owned())
    }
}

/// A PostgreSQL URL (`postgres://` or `postgresql://`); the message never repeats it.
fn parse_database_url(text: &str) -> Result<Secret, String> {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        Ok(Secret::new(text))
    } else {
        Err("must be a PostgreSQL URL: postgres://user@host:5432/database".to_owned())
    }
}

/// A secret Telegram accepts: 1–256 of `A-Z a-z 0-9 _ -`. The message never repeats it.
fn parse_webhook_secret(text: &str) -> Result<Secret, String> {
    let ok = (1..=256).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(Secret::new(text))
    } else {
        Err("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -".to_owned())
    }
}
