//! The `newsbot` command line: [`args`] (clap), one runner per subcommand ([`runners`],
//! [`delivery`] for `deliver` and `deliveries`) and what they share ([`output`]).

pub mod args;
pub mod delivery;
pub mod output;
pub mod runners;
pub mod store_copy;

use std::sync::Arc;

use anyhow::Context;

use crate::core::edition_id::EditionId;
use crate::edge::clock::Clock;
use crate::program::config::Config;
use crate::program::editions_file::{config_for_edition, describe_editions, read_editions_file};
use crate::program::service::{ServeOptions, Service};
use crate::program::signals::shutdown_requested;
use args::{Cli, Command};
use output::{print_out, refiner};
use runners::{
    run_audit, run_demo, run_digest, run_edition, run_health, run_prune, run_subscribers,
    run_summarize,
};

/// `config`, or, with an editions file, `config` with the settings of the edition `of` names
/// (the file's default when `None`), and that edition's ledger (`None`: the default's).
fn one_edition_config(
    config: &Config,
    of: Option<&str>,
) -> anyhow::Result<(Config, Option<EditionId>)> {
    let Some(path) = &config.editions_file else {
        if let Some(id) = of.filter(|id| *id != EditionId::DEFAULT) {
            anyhow::bail!(
                "--of {id}: no editions file names editions (set NEWSBOT_EDITIONS_FILE); this deployment serves one edition, 'default'"
            );
        }
        return Ok((config.clone(), None));
    };
    let editions = read_editions_file(path, config)?;
    let plan = match of {
        None => editions.default_edition(),
        Some(id) => EditionId::parse(id)
            .ok()
            .and_then(|id| editions.get(&id))
            .with_context(|| {
                let ids: Vec<String> = editions.iter().map(|p| p.id.to_string()).collect();
                format!(
                    "--of {id}: the editions file '{}' lists no such edition (it lists {})",
                    path.display(),
                    ids.join(", ")
                )
            })?,
    };
    let ledger = (plan.id != editions.default_edition().id).then(|| plan.id.clone());
    let mut one = config_for_edition(config, plan);
    if let Some(id) = &ledger {
        // Each edition archives beside the others, as `serve` does.
        one.digest_dir = config.digest_dir.join(id.as_str());
    }
    Ok((one, ledger))
}

/// `newsbot editions`: the file checked, its editions printed.
fn run_editions(file: Option<&std::path::Path>, config: &Config) -> anyhow::Result<()> {
    let Some(path) = file.or(config.editions_file.as_deref()) else {
        anyhow::bail!(
            "no editions file: set NEWSBOT_EDITIONS_FILE or give --file (see editions.example.toml)"
        );
    };
    let editions = read_editions_file(path, config)?;
    print_out(&describe_editions(&editions))
}

/// Runs the parsed command line.
///
/// # Errors
/// Whatever the command could not do, with context for the person at the terminal.
pub async fn run(cli: Cli, config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    if let Command::Editions { file } = &cli.command {
        return run_editions(file.as_deref(), config);
    }
    if let Command::Store { action } = &cli.command {
        return store_copy::run_store(action);
    }
    if let Command::Words { words } = &cli.command {
        let words: Vec<String> = words.iter().map(|w| w.trim().to_lowercase()).collect();
        let terms = crate::core::query_terms::query_terms(
            &words,
            crate::core::dictionary::Dictionary::embedded(),
        );
        return print_out(&crate::core::query_terms::describe_terms(&terms));
    }
    // `serve` serves every edition of the editions file; for the other commands a file of
    // one edition stands in for the single edition's settings.
    let of = match &cli.command {
        Command::Edition(args) => args.of.as_deref(),
        Command::Digest(args) => args.of.as_deref(),
        Command::Deliveries(args) => args.of.as_deref(),
        _ => None,
    };
    // `serve` and `deliver` serve every edition of the file; the others one edition.
    let (edition_config, ledger) = match cli.command {
        Command::Serve(_) => (config.clone(), None),
        _ => one_edition_config(config, of)?,
    };
    let config = &edition_config;
    match cli.command {
        Command::Demo => run_demo().await,
        Command::Health { url } => run_health(url, config).await,
        Command::Edition(args) => run_edition(args, config, clock.as_ref()).await,
        Command::Digest(args) => run_digest(args, config, clock.as_ref()).await,
        Command::Serve(args) => {
            // Listening for SIGINT and SIGTERM before anything else starts: a signal that
            // comes while the service is still being built is kept, and stops it at once.
            let shutdown = shutdown_requested();
            let service = Service::build(
                config,
                clock,
                refiner(config)?,
                ServeOptions {
                    sample: args.sample,
                    ..ServeOptions::default()
                },
            )
            .await?;
            // One line per bound listener on standard output, so whoever started `serve`
            // with port 0 learns the port.
            if let Some(addr) = service.metrics_addr() {
                print_out(&format!("metrics listening on {addr}\n"))?;
            }
            if let Some(addr) = service.webhook_addr() {
                print_out(&format!("webhook listening on {addr}\n"))?;
            }
            service.run_until_stopped(shutdown).await
        }
        Command::Deliver(args) => delivery::run_deliver(&args, config, clock).await,
        Command::Deliveries(args) => {
            delivery::run_deliveries(&args, (config, ledger.as_ref()), clock.as_ref())
        }
        Command::Audit { last } => run_audit(last, config),
        Command::Prune => run_prune(config, clock.as_ref()).await,
        Command::Subscribers { action } => run_subscribers(action, config).await,
        Command::Summarize(args) => run_summarize(&args).await,
        Command::Settings => print_out(&crate::program::settings::settings_table()),
        Command::Editions { .. } | Command::Words { .. } | Command::Store { .. } => Ok(()),
    }
}
