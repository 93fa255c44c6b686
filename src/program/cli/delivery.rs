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
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::ledger::LedgerCounts;
use crate::core::summary::Summarizer;
use crate::edge::clock::Clock;
use crate::edge::store::Store;
use crate::edge::telegram::build_bot;
use crate::edge::telegram::notifier::TelegramNotifier;
use crate::program::config::Config;
use crate::program::served_editions::{NO_SOURCE, edition_source, served_editions};
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
    let (routes, editions) = deliverable_editions(config, args.sample, &store)?;
    for edition in &editions {
        let today = clock.today_in(edition.zone);
        let date = args.date.unwrap_or(today);
        if edition.store.digest(date)?.is_some() {
            continue;
        }
        let name = &edition.id;
        if date != today {
            anyhow::bail!(
                "edition {name}: no digest is stored for {date}; deliveries of a past day need that day's digest"
            );
        }
        let built = match &edition.builder {
            Err(why) => Err(why.clone()),
            Ok(builder) => builder
                .build(date, &edition.store)
                .await
                .map(|_| ())
                .map_err(|e| crate::core::error_chain::error_chain(&e)),
        };
        if let Err(why) = built {
            if args.date.is_some() {
                anyhow::bail!("edition {name}: no digest for {date}: {why}");
            }
            eprintln!(
                "newsbot: edition {name}: today's digest is not ready ({why}); only other days can be delivered"
            );
        }
    }
    let now = clock.now();
    if args.dry_run {
        let (_, planned) = match args.date {
            Some(date) => enqueue_rerun(&store, &routes, date, now, true)?,
            None => enqueue_due(&store, &routes, now, &config.delivery, true)?,
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
        &routes,
        notifier,
        Arc::clone(&clock),
        &config.delivery,
        args.date,
        progress,
    )
    .await
    .context("delivering")?;
    bar.abort();
    eprintln!(
        "planned: {} queued, {} missed, of {} subscribers",
        plan.queued, plan.missed, plan.subscribers
    );
    eprintln!("this run: {drained}");
    for edition in &editions {
        // Each edition's day in its own zone.
        let date = args.date.unwrap_or_else(|| clock.today_in(edition.zone));
        let ledger = LedgerCounts::of(&edition.store.deliveries_on(date)?);
        if editions.len() == 1 {
            eprintln!("ledger {date}: {ledger}");
        } else {
            eprintln!("ledger {date} ({}): {ledger}", edition.id);
        }
    }
    Ok(())
}

/// One edition `deliver` serves: its view of the store, its zone, and its daily build (or
/// why it has none).
struct Deliverable {
    id: EditionId,
    store: Store,
    zone: chrono_tz::Tz,
    builder: Result<Arc<DigestBuilder>, String>,
}

/// The editions `deliver` serves: every edition of the editions file, or the one edition of
/// the settings (which may have no source: only days already built are delivered then).
fn deliverable_editions(
    config: &Config,
    sample: bool,
    store: &Store,
) -> anyhow::Result<(EditionRoutes, Vec<Deliverable>)> {
    let summarizer = Arc::new(Summarizer::new());
    let refiner = refiner(config)?;
    if config.editions_file.is_some() {
        let served = served_editions(config, sample, store, &summarizer, refiner.as_ref())?;
        let editions = served
            .editions
            .list
            .iter()
            .map(|e| Deliverable {
                id: e.id.clone(),
                store: e.store.clone(),
                zone: e.builder.timezone(),
                builder: Ok(Arc::clone(&e.builder)),
            })
            .collect();
        return Ok((served.editions.routes, editions));
    }
    let builder = match edition_source(config, sample) {
        None => Err(NO_SOURCE.to_owned()),
        Some(source) => Ok(Arc::new(DigestBuilder::new(
            config.build_settings(),
            source,
            refiner,
            summarizer,
        ))),
    };
    let one = Deliverable {
        id: EditionId::default_id(),
        store: store.clone(),
        zone: config.timezone,
        builder,
    };
    Ok((EditionRoutes::single(), vec![one]))
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
        // With several editions, which one (a line per chat and edition).
        if p.edition.as_str() != EditionId::DEFAULT {
            out.pop();
            let _ = writeln!(out, "\t{}", p.edition);
        }
        if !p.missed {
            deliver += 1;
        }
    }
    let _ = writeln!(
        out,
        "would make {deliver} deliveries (a line per chat and edition), record {} as missed; {pending} jobs already in the outbox",
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
    (config, ledger): (&Config, Option<&EditionId>),
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let store = open_store(config)?.for_edition(ledger)?;
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
