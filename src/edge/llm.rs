//! The optional LLM refinement of one-sentence summaries, through an OpenAI-compatible
//! chat-completions endpoint. Never required and never trusted with numbers: a refinement
//! with any figure the article lacks, or too long, or empty, is rejected, and any failure
//! falls back to the extractive summary. Each article is asked about once per day; outcomes
//! are cached in a JSON file so a restart does not ask again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::core::punctuation::char_len;
use crate::core::summary::facts::unsupported_facts;
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
        match &outcome {
            RefineOutcome::Rejected(reason) => {
                tracing::warn!(reason = %reason, "LLM summary rejected")
            }
            RefineOutcome::Failed(reason) => {
                tracing::warn!(reason = %reason, "LLM refinement failed")
            }
            _ => {}
        }
        let mut cache = self.cache.lock().await;
        cache.insert(
            key,
            CacheEntry {
                summary: summary.clone(),
            },
        );
        prune(&mut cache, date);
        if let Err(e) = save_cache(&self.cache_path, &cache) {
            tracing::warn!(error.message = %e, path = %self.cache_path.display(), "could not save the LLM cache");
        }
        (summary.unwrap_or_else(|| extractive.to_owned()), outcome)
    }

    async fn ask(
        &self,
        title: &str,
        article: &str,
        extractive: &str,
        budget: usize,
    ) -> Result<String, String> {
        let request = ChatRequest {
            model: &self.config.model,
            messages: [
                ChatMessage {
                    role: "system",
                    content: format!(
                        "You summarise local news for residents. Write one sentence in the article's language, at most {budget} characters. \
                         Use only facts in the article and copy every number, date, name and phone number exactly. Reply with the sentence only."
                    ),
                },
                ChatMessage {
                    role: "user",
                    content: format!(
                        "Headline: {title}\n\nArticle:\n{article}\n\nDraft summary: {extractive}"
                    ),
                },
            ],
            temperature: 0.2,
            max_tokens: 200,
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
