//! The `newsbot` binary: loads `.env` and the configuration, sets up logging, and hands the
//! command line to [`newsbot::cli::run`].

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use newsbot::cli::{Cli, run};
use newsbot::clock::{Clock, StartedClock, SystemClock};
use newsbot::config::Config;
use newsbot::telemetry::init_tracing;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env is normal; settings may come from the real environment. A .env that
    // cannot be read is not: say so, and stop rather than run on half the settings.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("newsbot: reading .env: {e}");
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("newsbot: {e}");
            return ExitCode::from(2);
        }
    };
    // The demo prints a transcript; its bot logs only what goes wrong.
    let log_filter = match cli.command {
        newsbot::cli::Command::Demo => "warn",
        _ => config.log_filter.as_str(),
    };
    init_tracing(log_filter);
    let clock: Arc<dyn Clock> = match config.clock_start {
        Some(start) => Arc::new(StartedClock::new(start)),
        None => Arc::new(SystemClock),
    };
    match run(cli, &config, clock).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsbot: {e:#}");
            ExitCode::FAILURE
        }
    }
}
