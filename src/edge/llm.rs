//! The optional LLM refinement of one-sentence summaries, and translation of Chinese
//! headlines for English readers, through an OpenAI-compatible chat-completions endpoint.
//! Never required and never trusted with numbers: a refinement with any figure the article
//! lacks, or too long, or empty, is rejected; a translation must pass
//! `core::translation_guard` (figures and units as the source's, Chinese only the source's);
//! any failure falls back to the extractive summary or the wording as printed. Each article
//! is asked about once per day and language; outcomes are cached in a JSON file so a restart
//! does not ask again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::core::digest::Translation;
use crate::core::punctuation::char_len;
use crate::core::summary::facts::unsupported_facts;
use crate::core::translation_guard::check_translation;
use std::time::Duration;

use url::Url;

use crate::core::secret::Secret;

/// Settings of the optional OpenAI-compatible chat-completions endpoint.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// `NEWSBOT_LLM_URL`: the chat-completions URL.
    pub url: Url,
    /// `NEWSBOT_LLM_MODEL`: the model name sent with each request.
    pub model: String,
    /// `NEWSBOT_LLM_API_KEY`: bearer token, if the endpoint wants one.
    pub api_key: Option<Secret>,
    /// `NEWSBOT_LLM_TIMEOUT_SECS`: per-request timeout.
    pub timeout: Duration,
}

/// What happened to one refinement request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefineOutcome {
    /// The endpoint's sentence passed the guard and is used.
    Refined,
    /// The endpoint answered, but the guard refused it; the extractive summary is used.
    Rejected(String),
    /// The endpoint could not be asked or did not answer well; the extractive summary is used.
    Failed(String),
    /// Asked earlier today; the cached answer (or fallback) is used without a request.
    Cached,
}

/// Why the refiner could not start.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The HTTP client could not be built.
    #[error("starting the LLM client failed")]
    Client(#[source] reqwest::Error),
}

/// One cached answer: the accepted sentence, or `None` when it was rejected or failed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    summary: Option<String>,
}

/// Refines summaries through the configured endpoint.
#[derive(Debug)]
pub struct Refiner {
    client: reqwest::Client,
    config: LlmConfig,
    cache_path: PathBuf,
    cache: Mutex<BTreeMap<String, CacheEntry>>,
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: [ChatMessage<'a>; 2],
    temperature: f32,
    max_tokens: u32,
}

#[derive(Serialize)]
struct ChatMessage<'a> {
    role: &'a str,
    content: String,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<ChatChoice>,
}

#[derive(Deserialize)]
struct ChatChoice {
    message: ChatReply,
}

#[derive(Deserialize)]
struct ChatReply {
    content: String,
}

/// Days of answers kept in the cache file.
const CACHE_DAYS: i64 = 7;

impl Refiner {
    /// Builds a refiner whose cache lives at `cache_path` (read now if it exists).
    ///
    /// # Errors
    /// [`LlmError::Client`] if the HTTP client cannot be built.
    pub fn new(config: LlmConfig, cache_path: &Path) -> Result<Self, LlmError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(LlmError::Client)?;
        let cache = std::fs::read_to_string(cache_path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Ok(Self {
            client,
            config,
            cache_path: cache_path.to_owned(),
            cache: Mutex::new(cache),
        })
    }

    /// Returns the sentence to use for an article and what happened: the refined one when the
    /// endpoint's answer passes the guard, else `extractive`.
    #[tracing::instrument(skip_all, fields(date = %date))]
    pub async fn refine(
        &self,
        date: NaiveDate,
        title: &str,
        article: &str,
        extractive: &str,
        budget: usize,
    ) -> (String, RefineOutcome) {
        let key = format!("{date}:{:016x}", fnv1a(&format!("{title}\n{article}")));
        // The cache is not held across the HTTP call: other articles go on meanwhile (two
        // asks for the same article at once both ask, and the later answer is kept).
        if let Some(entry) = self.cache.lock().await.get(&key) {
            return (
                entry
                    .summary
                    .clone()
                    .unwrap_or_else(|| extractive.to_owned()),
                RefineOutcome::Cached,
            );
        }
        let (summary, outcome) = match self.ask(title, article, extractive, budget).await {
            Ok(candidate) => match check_refinement(&candidate, title, article, budget) {
                Ok(()) => (Some(candidate), RefineOutcome::Refined),
                Err(reason) => (None, RefineOutcome::Rejected(reason)),
            },
            Err(reason) => (None, RefineOutcome::Failed(reason)),
        };
        warn_if_unused(&outcome, "LLM summary rejected", "LLM refinement failed");
        self.remember(key, summary.clone(), date).await;
        (summary.unwrap_or_else(|| extractive.to_owned()), outcome)
    }

    async fn ask(
        &self,
        title: &str,
        article: &str,
        extractive: &str,
        budget: usize,
    ) -> Result<String, String> {
        let system = format!(
            "You summarise local news for residents. Write one sentence in the article's language, at most {budget} characters. \
             Use only facts in the article and copy every number, date, name and phone number exactly. Reply with the sentence only."
        );
        let user =
            format!("Headline: {title}\n\nArticle:\n{article}\n\nDraft summary: {extractive}");
        self.complete(system, user, 200).await
    }

    /// Returns the English of a Chinese headline's title and summary, and what happened:
    /// `Some` only when the endpoint's answer passes the translation guard against the
    /// title and summary as printed.
    #[tracing::instrument(skip_all, fields(date = %date))]
    pub async fn translate(
        &self,
        date: NaiveDate,
        title: &str,
        summary: &str,
    ) -> (Option<Translation>, RefineOutcome) {
        let source = format!("{title}\n{summary}");
        let key = format!("{date}:en:{:016x}", fnv1a(&source));
        if let Some(entry) = self.cache.lock().await.get(&key) {
            let cached = entry.summary.as_deref().and_then(|text| {
                let (title, summary) = text.split_once('\n')?;
                Some(Translation {
                    title: title.to_owned(),
                    summary: summary.to_owned(),
                })
            });
            return (cached, RefineOutcome::Cached);
        }
        let system = "You translate a Chinese local newspaper's headline and summary into plain English for residents. \
             Write every figure in digits exactly as the source gives it (三百 is 300, 60万 is 600,000) and keep its unit (亩 is mu). \
             After each person's or place's name, give the Chinese name in brackets, as in Pinghu (平湖). \
             Add nothing the source does not say. Reply with exactly two lines: `TITLE: …` and `SUMMARY: …`."
            .to_owned();
        let user = format!("Title: {title}\nSummary: {summary}");
        let (translation, outcome) = match self.complete(system, user, 400).await {
            Ok(answer) => match read_translation(&answer) {
                Some(t) => match check_translation(&t.title, &source)
                    .and_then(|()| check_translation(&t.summary, &source))
                {
                    Ok(()) => (Some(t), RefineOutcome::Refined),
                    Err(reason) => (None, RefineOutcome::Rejected(reason)),
                },
                None => (
                    None,
                    RefineOutcome::Rejected("no TITLE and SUMMARY lines".to_owned()),
                ),
            },
            Err(reason) => (None, RefineOutcome::Failed(reason)),
        };
        warn_if_unused(
            &outcome,
            "LLM translation refused by the guard",
            "LLM translation failed",
        );
        self.remember(
            key,
            translation
                .as_ref()
                .map(|t| format!("{}\n{}", t.title, t.summary)),
            date,
        )
        .await;
        (translation, outcome)
    }

    /// Keeps an answer (or its absence) in the cache and saves the cache.
    async fn remember(&self, key: String, answer: Option<String>, today: NaiveDate) {
        let mut cache = self.cache.lock().await;
        cache.insert(key, CacheEntry { summary: answer });
        prune(&mut cache, today);
        if let Err(e) = save_cache(&self.cache_path, &cache) {
            tracing::warn!(error.message = %e, path = %self.cache_path.display(), "could not save the LLM cache");
        }
    }

    /// One chat completion: the endpoint's reply to `system` and `user`, trimmed.
    async fn complete(
        &self,
        system: String,
        user: String,
        max_tokens: u32,
    ) -> Result<String, String> {
        let request = ChatRequest {
            model: &self.config.model,
            messages: [
                ChatMessage {
                    role: "system",
                    content: system,
                },
                ChatMessage {
                    role: "user",
                    content: user,
                },
            ],
            temperature: 0.2,
            max_tokens,
        };
        let mut call = self.client.post(self.config.url.clone()).json(&request);
        if let Some(key) = &self.config.api_key {
            call = call.bearer_auth(key.expose());
        }
        let response = call.send().await.map_err(|e| {
            if e.is_timeout() {
                "timed out".to_owned()
            } else {
                format!("request failed: {e}")
            }
        })?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status().as_u16()));
        }
        // Read at most MAX_ANSWER_BYTES: a runaway endpoint cannot fill the memory.
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("unreadable answer: {e}"))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_ANSWER_BYTES {
                return Err(format!("answer larger than {MAX_ANSWER_BYTES} bytes"));
            }
        }
        let body: ChatResponse =
            serde_json::from_slice(&bytes).map_err(|e| format!("unreadable answer: {e}"))?;
        let content = body
            .choices
            .into_iter()
            .next()
            .map(|c| c.message.content)
            .ok_or("answer has no choices")?;
        Ok(content.trim().trim_matches('"').trim().to_owned())
    }
}

/// The guard: a refinement must be non-empty, within `budget`, and hold no figure that the
/// headline and article do not.
///
/// # Errors
/// Why the refinement is refused.
pub fn check_refinement(
    candidate: &str,
    title: &str,
    article: &str,
    budget: usize,
) -> Result<(), String> {
    if candidate.is_empty() {
        return Err("empty answer".to_owned());
    }
    if char_len(candidate) > budget {
        return Err(format!(
            "{} characters, over the {budget} budget",
            char_len(candidate)
        ));
    }
    let invented = unsupported_facts(candidate, &format!("{title}\n{article}"));
    if !invented.is_empty() {
        return Err(format!(
            "figures not in the article: {}",
            invented.join(", ")
        ));
    }
    Ok(())
}

/// The title and summary of a translation answer (`TITLE: …` and `SUMMARY: …` lines).
fn read_translation(answer: &str) -> Option<Translation> {
    let field = |name: &str| {
        answer.lines().find_map(|line| {
            let line = line.trim().trim_start_matches(['*', '-', ' ']);
            let (label, value) = line.split_once(':')?;
            let value = value.trim().trim_matches('*').trim();
            (label.trim().trim_matches('*').eq_ignore_ascii_case(name) && !value.is_empty())
                .then(|| value.to_owned())
        })
    };
    Some(Translation {
        title: field("title")?,
        summary: field("summary")?,
    })
}

fn prune(cache: &mut BTreeMap<String, CacheEntry>, today: NaiveDate) {
    cache.retain(|key, _| {
        key.split(':')
            .next()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| (today - d).num_days() < CACHE_DAYS)
    });
}

fn save_cache(path: &Path, cache: &BTreeMap<String, CacheEntry>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes = serde_json::to_vec_pretty(cache).map_err(std::io::Error::other)?;
    crate::edge::atomic_file::write_atomically(path, &bytes)
}

/// FNV-1a, a hash that stays the same across builds (the cache outlives the binary).
/// Largest answer read from the LLM endpoint (a one-sentence answer is a few hundred bytes).
const MAX_ANSWER_BYTES: usize = 256 * 1024;

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Logs why an answer of the LLM is not used: refused by a check (`rejected`) or not had at
/// all (`failed`).
fn warn_if_unused(outcome: &RefineOutcome, rejected: &str, failed: &str) {
    match outcome {
        RefineOutcome::Rejected(reason) => tracing::warn!(reason = %reason, "{rejected}"),
        RefineOutcome::Failed(reason) => tracing::warn!(reason = %reason, "{failed}"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_refuses_invented_figures_and_long_answers() {
        let article = "青溪港三期码头新建泊位2个,年设计吞吐能力为60万标箱。";
        assert!(
            check_refinement(
                "青溪港三期码头新建2个泊位,年吞吐能力60万标箱。",
                "三期码头试运行",
                article,
                60
            )
            .is_ok()
        );
        let e = check_refinement("青溪港三期码头新建3个泊位。", "三期码头试运行", article, 60)
            .expect_err("invented");
        assert!(e.contains('3'));
        assert!(check_refinement(&"长".repeat(61), "", article, 60).is_err());
        assert!(check_refinement("", "", article, 60).is_err());
    }

    #[test]
    fn fnv_is_stable() {
        // Published FNV-1a 64-bit test vectors.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }
}
