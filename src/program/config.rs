//! The program's configuration: the settings (declared in `settings.rs`, read from the
//! environment and `.env`) checked together and gathered by use (delivery, fetching, the LLM,
//! the webhook). A wrong value fails at start with a message naming the setting.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use super::settings::{Settings, SettingsError};

use crate::app::delivery::DeliverySettings;
use crate::app::digest_job::BuildSettings;
use crate::core::retention::Retention;
use crate::core::secret::Secret;
use crate::core::subscriber::DeliveryTime;
use crate::edge::fetch::{FetchLimits, SiteLimits};
use crate::edge::llm::LlmConfig;

/// A setting with a value that cannot be used, named.
pub type ConfigError = SettingsError;

/// Everything newsbot can be told from outside.
#[derive(Debug, Clone)]
pub struct Config {
    /// `TELOXIDE_TOKEN`: the bot token (only `serve` needs it).
    pub telegram_token: Option<Secret>,
    /// `TELOXIDE_API_URL`: the Bot API server.
    pub telegram_api_url: Url,
    /// `NEWSBOT_DATA_DIR`: where the database and state live.
    pub data_dir: PathBuf,
    /// `NEWSBOT_DATABASE_URL`: PostgreSQL instead of the embedded database, shared by
    /// several instances; `None`: sled under `data_dir`.
    pub database_url: Option<Secret>,
    /// `NEWSBOT_DATABASE_SCHEMA`: the PostgreSQL schema; `None`: the URL's default.
    pub database_schema: Option<String>,
    /// `NEWSBOT_LEASE_SECS`: how long the leader's lease lasts.
    pub lease: Duration,
    /// `NEWSBOT_INSTANCE`: this instance's name (default: host name and process id).
    pub instance: String,
    /// `NEWSBOT_EDITION_SOURCE`: path or URL (with date placeholders) of the day's edition;
    /// `None` means the embedded sample.
    pub edition_source: Option<String>,
    /// `NEWSBOT_EDITIONS_FILE`: the editions this deployment serves, when more than the one
    /// the settings describe.
    pub editions_file: Option<PathBuf>,
    /// `NEWSBOT_FEEDS`: extra RSS/Atom/JSON feeds.
    pub feeds: Vec<Url>,
    /// `NEWSBOT_TIMEZONE`: the paper's time zone, which decides what "today" is.
    pub timezone: chrono_tz::Tz,
    /// `NEWSBOT_FETCH_TIMEOUT_SECS`, `NEWSBOT_MAX_EDITION_BYTES`, `NEWSBOT_MAX_REDIRECTS`.
    pub fetch: FetchLimits,
    /// `NEWSBOT_LOG`: log filter (`info`, `newsbot=debug`, …).
    pub log_filter: String,
    /// `NEWSBOT_DIGEST_DIR`: where digests are archived.
    pub digest_dir: PathBuf,
    /// `NEWSBOT_LLM_*`: the optional LLM that refines summaries; `None` when switched off.
    pub llm: Option<LlmConfig>,
    /// `NEWSBOT_BUILD_AT`: when the day's digest is built, in `timezone`.
    pub build_at: DeliveryTime,
    /// `NEWSBOT_CATCH_UP_HOURS`, `NEWSBOT_BROADCAST_RATE`, `NEWSBOT_SEND_CONCURRENCY`.
    pub delivery: DeliverySettings,
    /// `NEWSBOT_PAID_BROADCAST`: send with `allow_paid_broadcast` (rates above 30/s).
    pub paid_broadcast: bool,
    /// `NEWSBOT_CLOCK_START`: run the clock from this instant (demos and tests).
    pub clock_start: Option<DateTime<Utc>>,
    /// `NEWSBOT_EDITORS`: Telegram user ids of the newsroom's editors.
    pub editors: Vec<i64>,
    /// `NEWSBOT_WEBHOOK_URL`, `NEWSBOT_LISTEN`, `NEWSBOT_WEBHOOK_SECRET`: receive updates by
    /// webhook instead of long polling; `None` means long polling.
    pub webhook: Option<WebhookConfig>,
    /// `NEWSBOT_METRICS_LISTEN`: where `/healthz` and `/metrics` are served; `None` is off.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// How long records are kept (`NEWSBOT_RETENTION_DAYS`, `NEWSBOT_AUDIT_RETENTION_DAYS`).
    pub retention: Retention,
}

/// Settings of webhook mode.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `NEWSBOT_WEBHOOK_URL`: the public https URL Telegram posts updates to.
    pub url: Url,
    /// `NEWSBOT_LISTEN`: the local address the listener binds.
    pub listen: std::net::SocketAddr,
    /// `NEWSBOT_WEBHOOK_SECRET`: the secret token Telegram sends with each update; `None`
    /// means a fresh random one at every start.
    pub secret: Option<Secret>,
}

impl Config {
    /// The daily build's share of the settings.
    #[must_use]
    pub fn build_settings(&self) -> BuildSettings {
        BuildSettings {
            feeds: self.feeds.clone(),
            fetch: self.fetch,
            digest_dir: self.digest_dir.clone(),
            timezone: self.timezone,
            build_at: self.build_at,
        }
    }

    /// Reads the process environment.
    ///
    /// # Errors
    /// [`ConfigError`] for the first setting with an unusable value.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment in production, a map in tests).
    ///
    /// # Errors
    /// [`ConfigError`] for the first setting with an unusable value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_settings(Settings::from_lookup(lookup)?)
    }

    /// Checks the rules that join several settings and gathers them by use.
    ///
    /// # Errors
    /// [`ConfigError`] naming the setting that breaks a rule.
    pub fn from_settings(s: Settings) -> Result<Self, ConfigError> {
        let most = if s.paid_broadcast { 1000 } else { 30 };
        if s.broadcast_rate > most {
            return Err(invalid(
                "NEWSBOT_BROADCAST_RATE",
                &s.broadcast_rate.to_string(),
                &format!(
                    "must be between 1 and {most} (Telegram allows about 30 messages a second, 1000 with NEWSBOT_PAID_BROADCAST=true)"
                ),
            ));
        }
        let llm = if s.llm_enabled {
            let url = s.llm_url.ok_or_else(|| {
                invalid(
                    "NEWSBOT_LLM_URL",
                    "",
                    "must be set when NEWSBOT_LLM_ENABLED=true",
                )
            })?;
            Some(LlmConfig {
                url,
                model: s.llm_model,
                api_key: s.llm_api_key,
                timeout: Duration::from_secs(s.llm_timeout_secs),
            })
        } else {
            None
        };
        let webhook = match s.webhook_url {
            None => None,
            Some(url) => Some(webhook_config(url, s.listen, s.webhook_secret)?),
        };
        Ok(Self {
            database_url: s.database_url,
            database_schema: s.database_schema,
            lease: Duration::from_secs(s.lease_secs),
            instance: s
                .instance
                .filter(|i| !i.trim().is_empty())
                .unwrap_or_else(|| {
                    let host = std::env::var("HOSTNAME")
                        .ok()
                        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
                        .map(|h| h.trim().to_owned())
                        .filter(|h| !h.is_empty())
                        .unwrap_or_else(|| "newsbot".to_owned());
                    format!("{host}-{}", std::process::id())
                }),
            webhook,
            metrics_listen: s.metrics_listen,
            retention: Retention {
                days: s.retention_days,
                audit_days: s.audit_retention_days,
            },
            editors: s.editors.map(|e| e.0).unwrap_or_default(),
            build_at: s.build_at,
            delivery: DeliverySettings {
                catch_up: chrono::Duration::hours(i64::from(s.catch_up_hours)),
                rate: s.broadcast_rate,
                in_flight: s.send_concurrency,
                ..DeliverySettings::default()
            },
            paid_broadcast: s.paid_broadcast,
            clock_start: s.clock_start,
            telegram_token: s.telegram_token,
            telegram_api_url: s.telegram_api_url,
            data_dir: s.data_dir,
            edition_source: s.edition_source,
            editions_file: s.editions_file,
            feeds: s.feeds.map(|f| f.0).unwrap_or_default(),
            timezone: s.timezone,
            fetch: FetchLimits {
                timeout: Duration::from_secs(s.fetch_timeout_secs),
                max_bytes: s.max_edition_bytes,
                max_redirects: s.max_redirects,
                site: SiteLimits {
                    max_pages: s.site_max_pages,
                    max_articles: s.site_max_articles,
                    max_total_bytes: s.site_max_bytes,
                    concurrency: s.site_concurrency,
                    delay: Duration::from_millis(s.site_delay_ms),
                    max_duration: Duration::from_secs(s.site_timeout_secs),
                },
            },
            log_filter: s.log,
            digest_dir: s.digest_dir,
            llm,
        })
    }
}

/// Webhook settings: an https URL (plain http only on loopback, for tests), the address to
/// listen on, and the secret (already checked against what Telegram accepts).
fn webhook_config(
    url: Url,
    listen: std::net::SocketAddr,
    secret: Option<Secret>,
) -> Result<WebhookConfig, ConfigError> {
    let loopback = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(invalid(
            "NEWSBOT_WEBHOOK_URL",
            url.as_str(),
            "must be an https URL (Telegram posts updates only to https)",
        ));
    }
    Ok(WebhookConfig {
        url,
        listen,
        secret,
    })
}

fn invalid(name: &str, value: &str, reason: &str) -> ConfigError {
    ConfigError {
        name: name.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_need_nothing_set() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(c.fetch.max_bytes, crate::core::edition::MAX_EDITION_BYTES);
        assert!(c.edition_source.is_none() && c.feeds.is_empty() && c.telegram_token.is_none());
        assert!(c.llm.is_none(), "the LLM is off by default");
        assert_eq!(c.build_at.to_string(), "05:30");
        assert_eq!(c.delivery.catch_up, chrono::Duration::hours(6));
        assert_eq!(c.delivery.rate, 29);
        assert!(!c.paid_broadcast && c.clock_start.is_none());
        assert!(c.editors.is_empty());
    }

    #[test]
    fn editors_are_user_ids() {
        let c = config(&[("NEWSBOT_EDITORS", "111, 222,333")]).expect("ok");
        assert_eq!(c.editors, vec![111, 222, 333]);
        for bad in ["abc", "-100123", "1,,x"] {
            let e = config(&[("NEWSBOT_EDITORS", bad)]).expect_err(bad);
            assert_eq!(e.name, "NEWSBOT_EDITORS");
        }
    }

    #[test]
    fn schedule_settings_are_checked() {
        for (name, value) in [
            ("NEWSBOT_BUILD_AT", "25:99"),
            ("NEWSBOT_CATCH_UP_HOURS", "48"),
            ("NEWSBOT_BROADCAST_RATE", "100"),
            ("NEWSBOT_BROADCAST_RATE", "0"),
            ("NEWSBOT_SEND_CONCURRENCY", "0"),
            ("NEWSBOT_CLOCK_START", "tomorrow"),
        ] {
            let e = config(&[(name, value)]).expect_err(value);
            assert_eq!(e.name, name);
        }
        let c = config(&[
            ("NEWSBOT_PAID_BROADCAST", "true"),
            ("NEWSBOT_BROADCAST_RATE", "500"),
            ("NEWSBOT_BUILD_AT", "6:00"),
        ])
        .expect("paid broadcasts may go faster");
        assert_eq!(c.delivery.rate, 500);
        assert_eq!(c.build_at.to_string(), "06:00");
    }

    #[test]
    fn llm_switch_needs_a_url_and_hides_the_key() {
        let e = config(&[("NEWSBOT_LLM_ENABLED", "true")]).expect_err("no url");
        assert_eq!(e.name, "NEWSBOT_LLM_URL");
        let e = config(&[("NEWSBOT_LLM_ENABLED", "yes")]).expect_err("not a bool");
        assert_eq!(e.name, "NEWSBOT_LLM_ENABLED");
        let c = config(&[
            ("NEWSBOT_LLM_ENABLED", "true"),
            ("NEWSBOT_LLM_URL", "http://127.0.0.1:9/v1/chat/completions"),
            ("NEWSBOT_LLM_API_KEY", "sk-SECRET"),
        ])
        .expect("ok");
        assert!(c.llm.is_some() && !format!("{c:?}").contains("sk-SECRET"));
    }

    #[test]
    fn a_wrong_value_names_its_setting() {
        let e = config(&[("NEWSBOT_TIMEZONE", "Mars/Base")]).expect_err("bad zone");
        assert_eq!(e.name, "NEWSBOT_TIMEZONE");
        let e =
            config(&[("NEWSBOT_FEEDS", "https://a.example/rss, not a url")]).expect_err("bad feed");
        assert_eq!(e.name, "NEWSBOT_FEEDS");
        let e = config(&[("NEWSBOT_FETCH_TIMEOUT_SECS", "0")]).expect_err("zero timeout");
        assert!(e.to_string().contains("NEWSBOT_FETCH_TIMEOUT_SECS"));
    }

    /// The README's table is the one the declaration prints, and `.env.example` gives every
    /// setting with its default and nothing else.
    #[test]
    fn the_readme_and_env_example_follow_the_declaration() {
        let readme = include_str!("../../README.md");
        let table = crate::program::settings::settings_table();
        assert!(
            readme.contains(&table),
            "the README's settings table differs from `newsbot settings`:\n{table}"
        );
        let example = include_str!("../../.env.example");
        let docs = crate::program::settings::setting_docs();
        for doc in &docs {
            let line = format!("\n{}={}\n", doc.name, doc.default.as_deref().unwrap_or(""));
            assert!(
                example.contains(&line),
                "{} missing from .env.example as {line:?}",
                doc.name
            );
        }
        for line in example
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains('='))
        {
            let name = line.split('=').next().unwrap_or("");
            assert!(
                docs.iter().any(|d| d.name == name),
                "{name} is in .env.example but newsbot does not read it"
            );
        }
    }

    #[test]
    fn a_secret_is_never_repeated_in_an_error() {
        let e = config(&[
            ("NEWSBOT_WEBHOOK_URL", "https://bot.example/hook"),
            ("NEWSBOT_WEBHOOK_SECRET", "has spaces hunter2"),
        ])
        .expect_err("bad secret");
        assert_eq!(e.name, "NEWSBOT_WEBHOOK_SECRET");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let e = config(&[
            ("NEWSBOT_WEBHOOK_URL", "https://bot.example/hook"),
            ("NEWSBOT_WEBHOOK_SECRET", "first\nhunter2 line"),
        ])
        .expect_err("bad secret with a new line");
        assert!(
            !e.to_string().contains("hunter2") && !e.to_string().contains("first"),
            "{e}"
        );
        let c = config(&[("TELOXIDE_TOKEN", "123:hunter2")]).expect("ok");
        assert!(!format!("{:?}", Settings::from_lookup(|n| (n == "TELOXIDE_TOKEN").then(|| "123:hunter2".to_owned())).expect("settings")).contains("hunter2"));
        assert!(c.telegram_token.is_some());
        let e = config(&[("NEWSBOT_WEBHOOK_URL", "http://bot.example/hook")]).expect_err("http");
        assert_eq!(e.name, "NEWSBOT_WEBHOOK_URL");
    }

    #[test]
    fn empty_values_are_unset_and_ranges_hold_at_their_ends() {
        let c = config(&[
            ("TELOXIDE_TOKEN", "  "),
            ("NEWSBOT_FETCH_TIMEOUT_SECS", "600"),
        ])
        .expect("ok");
        assert!(c.telegram_token.is_none());
        assert_eq!(c.fetch.timeout, Duration::from_secs(600));
        let e = config(&[("NEWSBOT_FETCH_TIMEOUT_SECS", "601")]).expect_err("over");
        assert_eq!(
            (e.name.as_str(), e.value.as_str()),
            ("NEWSBOT_FETCH_TIMEOUT_SECS", "601")
        );
        let e = config(&[("NEWSBOT_RETENTION_DAYS", "1")]).expect_err("under");
        assert_eq!(e.name, "NEWSBOT_RETENTION_DAYS");
    }

    #[test]
    fn the_token_never_prints() {
        let c = config(&[("TELOXIDE_TOKEN", "123:SECRET")]).expect("ok");
        assert!(!format!("{c:?}").contains("SECRET"));
        assert_eq!(
            c.telegram_token.map(|t| t.expose().to_owned()).as_deref(),
            Some("123:SECRET")
        );
    }
}
