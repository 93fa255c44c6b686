//! Settings from the environment (and `.env`, loaded by `main`): every `NEWSBOT_*` variable
//! plus teloxide's `TELOXIDE_TOKEN` and `TELOXIDE_API_URL`. A wrong value fails at start with
//! a message naming the setting. `.env.example` lists them all with their defaults.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::app::delivery::DeliverySettings;
use crate::app::digest_job::BuildSettings;
use crate::core::edition::MAX_EDITION_BYTES;
use crate::core::retention::Retention;
use crate::core::secret::Secret;
use crate::core::subscriber::DeliveryTime;
use crate::edge::fetch::FetchLimits;
use crate::edge::llm::LlmConfig;

/// Every setting newsbot reads; `.env.example` and the README list each one.
pub const SETTINGS: &[&str] = &[
    "TELOXIDE_TOKEN",
    "TELOXIDE_API_URL",
    "NEWSBOT_DATA_DIR",
    "NEWSBOT_EDITION_SOURCE",
    "NEWSBOT_FEEDS",
    "NEWSBOT_TIMEZONE",
    "NEWSBOT_FETCH_TIMEOUT_SECS",
    "NEWSBOT_MAX_EDITION_BYTES",
    "NEWSBOT_MAX_REDIRECTS",
    "NEWSBOT_LOG",
    "NEWSBOT_DIGEST_DIR",
    "NEWSBOT_LLM_ENABLED",
    "NEWSBOT_LLM_URL",
    "NEWSBOT_LLM_MODEL",
    "NEWSBOT_LLM_API_KEY",
    "NEWSBOT_LLM_TIMEOUT_SECS",
    "NEWSBOT_BUILD_AT",
    "NEWSBOT_CATCH_UP_HOURS",
    "NEWSBOT_BROADCAST_RATE",
    "NEWSBOT_PAID_BROADCAST",
    "NEWSBOT_SEND_CONCURRENCY",
    "NEWSBOT_CLOCK_START",
    "NEWSBOT_EDITORS",
    "NEWSBOT_WEBHOOK_URL",
    "NEWSBOT_LISTEN",
    "NEWSBOT_WEBHOOK_SECRET",
    "NEWSBOT_METRICS_LISTEN",
    "NEWSBOT_RETENTION_DAYS",
    "NEWSBOT_AUDIT_RETENTION_DAYS",
];

/// A setting with a value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting {name}='{value}': {reason}")]
pub struct ConfigError {
    /// The variable's name.
    pub name: &'static str,
    /// The value found (never a secret's).
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Everything newsbot can be told from outside.
#[derive(Debug, Clone)]
pub struct Config {
    /// `TELOXIDE_TOKEN`: the bot token (only `serve` needs it).
    pub telegram_token: Option<Secret>,
    /// `TELOXIDE_API_URL`: the Bot API server.
    pub telegram_api_url: Url,
    /// `NEWSBOT_DATA_DIR`: where the database and state live.
    pub data_dir: PathBuf,
    /// `NEWSBOT_EDITION_SOURCE`: path or URL (with date placeholders) of the day's edition;
    /// `None` means the embedded sample.
    pub edition_source: Option<String>,
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
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let telegram_api_url = parse_or(
            get("TELOXIDE_API_URL"),
            "TELOXIDE_API_URL",
            "https://api.telegram.org",
        )?;
        let feeds = match get("NEWSBOT_FEEDS") {
            None => Vec::new(),
            Some(list) => list
                .split([',', ' ', '\n'])
                .filter(|s| !s.is_empty())
                .map(|s| parse_value::<Url>("NEWSBOT_FEEDS", s))
                .collect::<Result<_, _>>()?,
        };
        let timeout_secs: u64 = parse_or(
            get("NEWSBOT_FETCH_TIMEOUT_SECS"),
            "NEWSBOT_FETCH_TIMEOUT_SECS",
            "20",
        )?;
        if !(1..=600).contains(&timeout_secs) {
            return Err(invalid(
                "NEWSBOT_FETCH_TIMEOUT_SECS",
                &timeout_secs.to_string(),
                "must be between 1 and 600",
            ));
        }
        let max_bytes: usize = parse_or(
            get("NEWSBOT_MAX_EDITION_BYTES"),
            "NEWSBOT_MAX_EDITION_BYTES",
            &MAX_EDITION_BYTES.to_string(),
        )?;
        if !(1024..=MAX_EDITION_BYTES).contains(&max_bytes) {
            return Err(invalid(
                "NEWSBOT_MAX_EDITION_BYTES",
                &max_bytes.to_string(),
                &format!("must be between 1024 and {MAX_EDITION_BYTES}"),
            ));
        }
        let max_redirects: usize =
            parse_or(get("NEWSBOT_MAX_REDIRECTS"), "NEWSBOT_MAX_REDIRECTS", "5")?;
        if max_redirects > 20 {
            return Err(invalid(
                "NEWSBOT_MAX_REDIRECTS",
                &max_redirects.to_string(),
                "must be at most 20",
            ));
        }
        let llm_enabled: bool =
            parse_or(get("NEWSBOT_LLM_ENABLED"), "NEWSBOT_LLM_ENABLED", "false")?;
        let llm = if llm_enabled {
            let url = get("NEWSBOT_LLM_URL").ok_or_else(|| {
                invalid(
                    "NEWSBOT_LLM_URL",
                    "",
                    "must be set when NEWSBOT_LLM_ENABLED=true",
                )
            })?;
            let timeout: u64 = parse_or(
                get("NEWSBOT_LLM_TIMEOUT_SECS"),
                "NEWSBOT_LLM_TIMEOUT_SECS",
                "15",
            )?;
            if !(1..=300).contains(&timeout) {
                return Err(invalid(
                    "NEWSBOT_LLM_TIMEOUT_SECS",
                    &timeout.to_string(),
                    "must be between 1 and 300",
                ));
            }
            Some(LlmConfig {
                url: parse_value("NEWSBOT_LLM_URL", &url)?,
                model: get("NEWSBOT_LLM_MODEL").unwrap_or_else(|| "default".to_owned()),
                api_key: get("NEWSBOT_LLM_API_KEY").map(Secret::new),
                timeout: Duration::from_secs(timeout),
            })
        } else {
            None
        };
        let build_at = get("NEWSBOT_BUILD_AT").unwrap_or_else(|| "05:30".to_owned());
        let build_at = DeliveryTime::parse(&build_at)
            .map_err(|e| invalid("NEWSBOT_BUILD_AT", &build_at, &e.to_string()))?;
        let catch_up: u32 = parse_or(get("NEWSBOT_CATCH_UP_HOURS"), "NEWSBOT_CATCH_UP_HOURS", "6")?;
        if catch_up > 23 {
            return Err(invalid(
                "NEWSBOT_CATCH_UP_HOURS",
                &catch_up.to_string(),
                "must be between 0 and 23",
            ));
        }
        let paid_broadcast: bool = parse_or(
            get("NEWSBOT_PAID_BROADCAST"),
            "NEWSBOT_PAID_BROADCAST",
            "false",
        )?;
        let rate: u32 = parse_or(
            get("NEWSBOT_BROADCAST_RATE"),
            "NEWSBOT_BROADCAST_RATE",
            "29",
        )?;
        let most = if paid_broadcast { 1000 } else { 30 };
        if !(1..=most).contains(&rate) {
            return Err(invalid(
                "NEWSBOT_BROADCAST_RATE",
                &rate.to_string(),
                &format!(
                    "must be between 1 and {most} (Telegram allows about 30 messages a second, 1000 with NEWSBOT_PAID_BROADCAST=true)"
                ),
            ));
        }
        let in_flight: usize = parse_or(
            get("NEWSBOT_SEND_CONCURRENCY"),
            "NEWSBOT_SEND_CONCURRENCY",
            "8",
        )?;
        if !(1..=256).contains(&in_flight) {
            return Err(invalid(
                "NEWSBOT_SEND_CONCURRENCY",
                &in_flight.to_string(),
                "must be between 1 and 256",
            ));
        }
        let clock_start = get("NEWSBOT_CLOCK_START")
            .map(|v| {
                DateTime::parse_from_rfc3339(&v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| invalid("NEWSBOT_CLOCK_START", &v, &e.to_string()))
            })
            .transpose()?;
        let editors = match get("NEWSBOT_EDITORS") {
            None => Vec::new(),
            Some(list) => list
                .split([',', ' ', '\n'])
                .filter(|s| !s.is_empty())
                .map(|id| match id.parse::<i64>() {
                    Ok(id) if id > 0 => Ok(id),
                    _ => Err(invalid(
                        "NEWSBOT_EDITORS",
                        id,
                        "must be Telegram user ids (positive numbers), comma-separated",
                    )),
                })
                .collect::<Result<_, _>>()?,
        };
        let webhook = match get("NEWSBOT_WEBHOOK_URL") {
            None => None,
            Some(raw) => Some(webhook_config(
                &raw,
                get("NEWSBOT_LISTEN"),
                get("NEWSBOT_WEBHOOK_SECRET"),
            )?),
        };
        let retention = Retention {
            days: parse_or(
                get("NEWSBOT_RETENTION_DAYS"),
                "NEWSBOT_RETENTION_DAYS",
                "90",
            )?,
            audit_days: parse_or(
                get("NEWSBOT_AUDIT_RETENTION_DAYS"),
                "NEWSBOT_AUDIT_RETENTION_DAYS",
                "730",
            )?,
        };
        if !(2..=36_500).contains(&retention.days) {
            return Err(invalid(
                "NEWSBOT_RETENTION_DAYS",
                &retention.days.to_string(),
                "must be between 2 and 36500 (yesterday's deliveries are still caught up)",
            ));
        }
        if !(1..=36_500).contains(&retention.audit_days) {
            return Err(invalid(
                "NEWSBOT_AUDIT_RETENTION_DAYS",
                &retention.audit_days.to_string(),
                "must be between 1 and 36500",
            ));
        }
        let metrics_listen = get("NEWSBOT_METRICS_LISTEN")
            .map(|v| parse_value("NEWSBOT_METRICS_LISTEN", &v))
            .transpose()?;
        Ok(Self {
            webhook,
            metrics_listen,
            retention,
            editors,
            build_at,
            delivery: DeliverySettings {
                catch_up: chrono::Duration::hours(i64::from(catch_up)),
                rate,
                in_flight,
                ..DeliverySettings::default()
            },
            paid_broadcast,
            clock_start,
            telegram_token: get("TELOXIDE_TOKEN").map(Secret::new),
            telegram_api_url,
            data_dir: PathBuf::from(get("NEWSBOT_DATA_DIR").unwrap_or_else(|| "data".to_owned())),
            edition_source: get("NEWSBOT_EDITION_SOURCE"),
            feeds,
            timezone: parse_or(get("NEWSBOT_TIMEZONE"), "NEWSBOT_TIMEZONE", "Asia/Shanghai")?,
            fetch: FetchLimits {
                timeout: Duration::from_secs(timeout_secs),
                max_bytes,
                max_redirects,
            },
            log_filter: get("NEWSBOT_LOG").unwrap_or_else(|| "info".to_owned()),
            digest_dir: PathBuf::from(
                get("NEWSBOT_DIGEST_DIR").unwrap_or_else(|| "digests".to_owned()),
            ),
            llm,
        })
    }
}

/// Webhook settings: an https URL (plain http only on loopback, for tests), the address to
/// listen on, and a secret Telegram accepts (1–256 of `A-Z a-z 0-9 _ -`).
fn webhook_config(
    raw: &str,
    listen: Option<String>,
    secret: Option<String>,
) -> Result<WebhookConfig, ConfigError> {
    let url: Url = parse_value("NEWSBOT_WEBHOOK_URL", raw)?;
    let loopback = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(invalid(
            "NEWSBOT_WEBHOOK_URL",
            raw,
            "must be an https URL (Telegram posts updates only to https)",
        ));
    }
    let listen = parse_or(listen, "NEWSBOT_LISTEN", "127.0.0.1:8080")?;
    if let Some(s) = &secret {
        let ok = (1..=256).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            return Err(invalid(
                "NEWSBOT_WEBHOOK_SECRET",
                "[redacted]",
                "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -",
            ));
        }
    }
    Ok(WebhookConfig {
        url,
        listen,
        secret: secret.map(Secret::new),
    })
}

fn invalid(name: &'static str, value: &str, reason: &str) -> ConfigError {
    ConfigError {
        name,
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

fn parse_value<T: FromStr>(name: &'static str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|e: T::Err| invalid(name, value, &e.to_string()))
}

fn parse_or<T: FromStr>(
    value: Option<String>,
    name: &'static str,
    default: &str,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    parse_value(name, value.as_deref().unwrap_or(default))
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
        assert_eq!(c.fetch.max_bytes, MAX_EDITION_BYTES);
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

    #[test]
    fn every_setting_read_is_documented_and_every_documented_one_is_read() {
        let example = include_str!("../../.env.example");
        let readme = include_str!("../../README.md");
        let source = include_str!("config.rs");
        for name in SETTINGS {
            assert!(
                example.contains(&format!("\n{name}=")),
                "{name} missing from .env.example"
            );
            assert!(
                readme.contains(&format!("`{name}`")),
                "{name} missing from the README"
            );
            assert!(
                source.matches(&format!("\"{name}\"")).count() >= 2,
                "{name} listed but never read"
            );
        }
        for line in example
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains('='))
        {
            let name = line.split('=').next().unwrap_or("");
            assert!(
                SETTINGS.contains(&name),
                "{name} is in .env.example but newsbot does not read it"
            );
        }
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
