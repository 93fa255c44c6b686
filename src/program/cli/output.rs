//! What every subcommand shares: printing to standard output and the optional LLM refiner.

use std::io::Write;

use anyhow::Context;

use crate::edge::llm::Refiner;
use crate::program::config::Config;

/// The LLM refiner when `NEWSBOT_LLM_ENABLED` is on.
/// One refiner (and its cache) serves every edition.
pub fn refiner(config: &Config) -> anyhow::Result<Option<std::sync::Arc<Refiner>>> {
    config
        .llm
        .as_ref()
        .map(|llm| Refiner::new(llm.clone(), &config.data_dir.join("llm-cache.json")))
        .transpose()
        .map(|r| r.map(std::sync::Arc::new))
        .context("starting the LLM client")
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}

/// `what N of M (R refused by the guard, F failed, C from the cache)` for the LLM's outcomes.
#[must_use]
pub fn describe_outcomes(what: &str, outcomes: &[crate::edge::llm::RefineOutcome]) -> String {
    use crate::edge::llm::RefineOutcome as O;
    let count = |f: fn(&O) -> bool| outcomes.iter().filter(|o| f(o)).count();
    format!(
        "{what} {} of {} ({} refused by the guard, {} failed, {} from the cache)",
        count(|o| matches!(o, O::Refined)),
        outcomes.len(),
        count(|o| matches!(o, O::Rejected(_))),
        count(|o| matches!(o, O::Failed(_))),
        count(|o| matches!(o, O::Cached)),
    )
}
