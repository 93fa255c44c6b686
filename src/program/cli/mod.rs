//! The `newsbot` command line: [`args`] (clap), one runner per subcommand ([`runners`],
//! [`delivery`] for `deliver` and `deliveries`) and what they share ([`output`]).

pub mod args;
pub mod delivery;
pub mod output;
pub mod runners;

use std::sync::Arc;

use crate::edge::clock::Clock;
use crate::program::config::Config;
use crate::program::service::{ServeOptions, Service};
use crate::program::signals::shutdown_requested;
use args::{Cli, Command};
use output::{print_out, refiner};
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
            service.run_until_stopped(shutdown_requested()).await
        }
        Command::Deliver(args) => delivery::run_deliver(&args, config, clock).await,
        Command::Deliveries(args) => delivery::run_deliveries(&args, config, clock.as_ref()),
        Command::Audit { last } => run_audit(last, config),
        Command::Prune => run_prune(config, clock.as_ref()).await,
        Command::Subscribers { action } => run_subscribers(action, config).await,
        Command::Summarize(args) => run_summarize(&args).await,
        Command::Settings => print_out(&crate::program::settings::settings_table()),
    }
}
