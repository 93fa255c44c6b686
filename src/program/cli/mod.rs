//! The `newsbot` command line: [`args`] (clap), one runner per subcommand ([`runners`],
//! [`delivery`] for `deliver` and `deliveries`) and what they share ([`output`]).

pub mod args;
pub mod delivery;
pub mod output;
pub mod runners;

use std::sync::Arc;

use crate::edge::clock::Clock;
use crate::program::config::Config;
use crate::program::signals::shutdown_requested;
use args::{Cli, Command};
use output::refiner;
use runners::{
    run_audit, run_demo, run_digest, run_edition, run_health, run_prune, run_subscribers,
    run_summarize,
};

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
            crate::program::service::serve(
                config,
                clock,
                refiner(config)?,
                crate::program::service::ServeOptions {
                    sample: args.sample,
                    ..crate::program::service::ServeOptions::default()
                },
                shutdown_requested(),
            )
            .await
        }
        Command::Deliver(args) => delivery::run_deliver(&args, config, clock).await,
        Command::Deliveries(args) => delivery::run_deliveries(&args, config, clock.as_ref()),
        Command::Audit { last } => run_audit(last, config),
        Command::Prune => run_prune(config, clock.as_ref()).await,
        Command::Subscribers { action } => run_subscribers(action, config).await,
        Command::Summarize(args) => run_summarize(&args).await,
    }
}
