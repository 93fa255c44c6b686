//! Runners of `newsbot deliver` and `newsbot deliveries`: one delivery pass while the bot is
//! not running (with a progress bar on a terminal and a summary), and the day's ledger.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{DeliverArgs, DeliveriesArgs};
use super::output::{print_out, refiner};
use crate::app::delivery::{PlannedDelivery, Progress, deliver_once, enqueue_due, enqueue_rerun};
use crate::app::digest_job::DigestBuilder;
use crate::core::digest::Section;
use crate::core::edition_routes::EditionRoutes;
use crate::core::ledger::LedgerCounts;
use crate::core::summary::Summarizer;
use crate::edge::clock::Clock;
use crate::edge::store::Store;
use crate::edge::telegram::build_bot;
use crate::edge::telegram::notifier::TelegramNotifier;
use crate::program::config::Config;
use crate::program::service::open_store;

/// `newsbot deliver [--date] [--dry-run]`.
///
/// # Errors
/// No token (unless a dry run), a database that cannot be opened, no digest for `--date`.
pub async fn run_deliver(
    args: &DeliverArgs,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let today = clock.today_in(config.timezone);
    let date = args.date.unwrap_or(today);
    if store.digest(date)?.is_none() {
        if date == today {
            let built = match crate::program::served_editions::edition_source(config, args.sample) {
                None => Err(crate::program::served_editions::NO_SOURCE.to_owned()),
                Some(source) => {
                    let builder = DigestBuilder::new(
                        config.build_settings(),
                        source,
                        refiner(config)?,
                        Arc::new(Summarizer::new()),
                    );
                    builder
                        .build(date, &store)
                        .await
                        .map(|_| ())
                        .map_err(|e| crate::core::error_chain::error_chain(&e))
                }
            };
            if let Err(why) = built {
                if args.date.is_some() {
                    anyhow::bail!("no digest for {date}: {why}");
                }
                eprintln!(
                    "newsbot: today's digest is not ready ({why}); only other days can be delivered"
                );
            }
        } else {
            anyhow::bail!(
                "no digest is stored for {date}; deliveries of a past day need that day's digest"
            );
        }
    }
    let now = clock.now();
    if args.dry_run {
        let (_, planned) = match args.date {
            Some(date) => enqueue_rerun(&store, &EditionRoutes::single(), date, now, true)?,
            None => enqueue_due(
                &store,
                &EditionRoutes::single(),
                now,
                &config.delivery,
                true,
            )?,
        };
        return print_out(&describe_plan(&planned, store.outbox_len()));
    }
    let token = config
        .telegram_token
        .clone()
        .context("TELOXIDE_TOKEN is not set: deliver needs the bot's token (or use --dry-run)")?;
    let bot = build_bot(&token, config.telegram_api_url.clone());
    let notifier = TelegramNotifier::new(bot, config.paid_broadcast);
    let progress = Arc::new(Progress::default());
    let bar = progress_bar(&store, Arc::clone(&progress));
    let (plan, drained) = deliver_once(
        &store,
        &EditionRoutes::single(),
        notifier,
        Arc::clone(&clock),
        &config.delivery,
        args.date,
        progress,
    )
    .await
    .context("delivering")?;
    bar.abort();
    let ledger = LedgerCounts::of(&store.deliveries_on(date)?);
    eprintln!(
        "planned: {} queued, {} missed, of {} subscribers",
        plan.queued, plan.missed, plan.subscribers
    );
    eprintln!("this run: {drained}");
    eprintln!("ledger {date}: {ledger}");
    Ok(())
}

/// A progress bar on standard error (hidden when it is not a terminal), fed from `progress`.
fn progress_bar(store: &Store, progress: Arc<Progress>) -> tokio::task::JoinHandle<()> {
    let store = store.clone();
    tokio::spawn(async move {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} chats · {msg} · {elapsed_precise}")
        {
            bar.set_style(style);
        }
        loop {
            let done = progress.jobs_done();
            bar.set_length((done + store.outbox_len()) as u64);
            bar.set_position(done as u64);
            bar.set_message(format!(
                "{} messages, {} blocked, {} failed, {} 429s",
                progress.messages.load(Ordering::Relaxed),
                progress.blocked.load(Ordering::Relaxed),
                progress.failed.load(Ordering::Relaxed),
                progress.rate_limited.load(Ordering::Relaxed)
            ));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
}

/// The `--dry-run` listing.
fn describe_plan(planned: &[PlannedDelivery], pending: usize) -> String {
    let mut out = String::new();
    let mut deliver = 0;
    for p in planned {
        let s = &p.subscriber;
        let sections: Vec<&str> = s.sections().into_iter().map(Section::name).collect();
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{} {}\t{}\t{}",
            s.id,
            p.date,
            if p.missed { "missed" } else { "deliver" },
            s.delivery,
            s.tz,
            s.lang.code(),
            if sections.is_empty() {
                "-".to_owned()
            } else {
                sections.join(",")
            }
        );
        if !p.missed {
            deliver += 1;
        }
    }
    let _ = writeln!(
        out,
        "would deliver to {deliver} chats, record {} as missed; {pending} jobs already in the outbox",
        planned.len() - deliver
    );
    out
}

/// `newsbot deliveries [--date] [--summary]`.
///
/// # Errors
/// A database that cannot be opened or read.
pub fn run_deliveries(
    args: &DeliveriesArgs,
    config: &Config,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let date = args.date.unwrap_or_else(|| clock.today_in(config.timezone));
    let records = store.deliveries_on(date)?;
    let mut out = format!("{date}: {}\n", LedgerCounts::of(&records));
    if !args.summary {
        for r in &records {
            let ids: Vec<String> = r.message_ids.iter().map(i32::to_string).collect();
            let _ = write!(
                out,
                "{}\t{}\tmessages {}\tdue {}\tupdated {}",
                r.chat,
                r.state.name(),
                if ids.is_empty() {
                    "-".to_owned()
                } else {
                    ids.join(",")
                },
                r.due_at.format("%Y-%m-%d %H:%M UTC"),
                r.updated_at.format("%H:%M:%S")
            );
            if let Some(to) = r.migrated_to {
                let _ = write!(out, "\tmoved to {to}");
            }
            if let Some(e) = &r.error {
                let _ = write!(out, "\t{e}");
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "outbox: {} jobs waiting", store.outbox_len());
    print_out(&out)
}
