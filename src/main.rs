//! The `newsbot` binary: loads `.env` and the configuration, sets up logging, and hands the
//! command line to [`newsbot::program::cli::run`].

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use newsbot::edge::clock::{Clock, StartedClock, SystemClock};
use newsbot::program::cli::args::{Cli, Command};
use newsbot::program::cli::run;
use newsbot::program::config::Config;
use newsbot::program::telemetry::init_tracing;

fn main() -> ExitCode {
    // Before the runtime's threads exist (see `newsbot::edge::heap`).
    newsbot::edge::heap::use_one_malloc_arena();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run_command()),
        Err(e) => {
            eprintln!("newsbot: starting the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_command() -> ExitCode {
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
        Command::Demo => "warn",
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
