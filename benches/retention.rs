//! `cargo bench --bench retention`: a year of operation through the store's own API, printed
//! as figures (never asserted). Each simulated day puts every subscriber's digest delivery in
//! the outbox, finishes it as the worker does (sent, one message id, a flush every 1,000 jobs
//! as its group commit does), stores the day's digest,
//! logs an audit entry, and runs the day's prune with the default retention (90 days; audit
//! 730). Prints the database's size on disk, the process's peak resident set (VmHWM) and the
//! daily prune's time (median and worst over the days that removed a full day).
//!
//! Scale with `NEWSBOT_BENCH_SUBSCRIBERS` (default 100,000) and `NEWSBOT_BENCH_DAYS` (365);
//! `NEWSBOT_BENCH_EVERY_DAY=1` prints a line every day instead of every 30.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use newsbot::app::retention::prune_old_records;
use newsbot::core::digest::Digest;
use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
use newsbot::core::newsroom::AuditEntry;
use newsbot::core::retention::Retention;
use newsbot::core::subscriber::SubscriberId;
use newsbot::edge::store::{Priority, Store};
use tokio_util::sync::CancellationToken;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn due(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(23, 0, 0).expect("time")) - chrono::Duration::days(1)
}

/// One day of deliveries, as the planner and the worker write them.
fn deliver_day(
    store: &Store,
    runtime: &tokio::runtime::Runtime,
    date: NaiveDate,
    subscribers: i64,
) {
    let at = due(date);
    for chat in 1..=subscribers {
        let record = DeliveryRecord::new(
            date,
            SubscriberId(1_000_000 + chat),
            DeliveryState::Pending,
            at,
            at,
        );
        store
            .enqueue_delivery(&record, Priority::Digest)
            .expect("enqueue");
    }
    let mut message = 1;
    loop {
        let jobs = store.outbox_jobs(1_000, |_| false).expect("outbox");
        if jobs.is_empty() {
            break;
        }
        for job in jobs {
            let mut record = DeliveryRecord::new(
                date,
                job.chat,
                DeliveryState::Sent,
                at,
                at + chrono::Duration::seconds(2),
            );
            record.message_ids = vec![message];
            message += 1;
            store.finish_delivery(&job, &record).expect("finish");
        }
        // The worker's group commit flushes every 100 ms while it delivers.
        runtime.block_on(store.flush()).expect("flush");
    }
}

fn disk_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                // Blocks actually allocated, not the apparent length.
                total += meta.blocks() * 512;
            }
        }
    }
    total
}

fn disk_bytes_of(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    if path.is_dir() {
        disk_bytes(path)
    } else {
        std::fs::metadata(path).map_or(0, |m| m.blocks() * 512)
    }
}

fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn main() {
    // As the newsbot binary does, before sled starts its threads.
    newsbot::edge::heap::use_one_malloc_arena();
    let subscribers = i64::try_from(setting("NEWSBOT_BENCH_SUBSCRIBERS", 100_000)).expect("count");
    let days = setting("NEWSBOT_BENCH_DAYS", 365);
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("db");
    let store = Store::open(&path).expect("store");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let retention = Retention::default();
    let first: NaiveDate = "2026-01-01".parse().expect("date");
    let started = Instant::now();
    let mut prunes = Vec::new();
    let mut removed_per_full_day = 0;
    let mut last_sealed = 0;
    println!(
        "retention: {subscribers} subscribers, {days} days, keeping {} days (audit {})",
        retention.days, retention.audit_days
    );
    for offset in 0..days {
        let date = first + chrono::Duration::days(i64::try_from(offset).expect("days"));
        deliver_day(&store, &runtime, date, subscribers);
        runtime.block_on(async {
            store
                .put_digest(&Digest {
                    edition: "青溪版".to_owned(),
                    date,
                    headlines: vec![],
                    weather: None,
                    notices: vec![],
                    photos: vec![],
                })
                .await
                .expect("digest");
            store
                .audit(&AuditEntry {
                    editions: Vec::new(),
                    at: due(date),
                    editor: 7,
                    action: "preview".to_owned(),
                    notice: None,
                    detail: "停水通知".to_owned(),
                })
                .await
                .expect("audit");
            let now = due(date) + chrono::Duration::hours(2);
            let outcome =
                prune_old_records(&store, retention, date, now, &CancellationToken::new())
                    .await
                    .expect("prune");
            if outcome.removed.ledger >= usize::try_from(subscribers).expect("count") {
                prunes.push(outcome.took);
                last_sealed = outcome.sealed;
                removed_per_full_day = outcome.removed.total();
            }
            store.flush().await.expect("flush");
        });
        if (offset + 1) % 30 == 0
            || offset + 1 == days
            || std::env::var_os("NEWSBOT_BENCH_EVERY_DAY").is_some()
        {
            println!(
                "  day {:>3}: {:>7.1} MB on disk, RSS {:>6.1} MB (peak {:>6.1} MB), {:>5.0} s so far",
                offset + 1,
                disk_bytes(&path) as f64 / 1e6,
                rss_mb(),
                peak_rss_mb(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    // Read before the check below, which holds a whole day's records in memory at once.
    let peak = peak_rss_mb();
    let kept = store
        .deliveries_on(first + chrono::Duration::days(i64::try_from(days).expect("days") - 1))
        .expect("read")
        .len();
    println!(
        "database on disk: {:.1} MB ({} ledger records a day kept for {} days; last day holds {kept})",
        disk_bytes(&path) as f64 / 1e6,
        subscribers,
        retention.days
    );
    for entry in std::fs::read_dir(&path).expect("db dir").flatten() {
        println!(
            "  {}: {:.1} MB",
            entry.file_name().to_string_lossy(),
            disk_bytes_of(&entry.path()) as f64 / 1e6
        );
    }
    println!("peak RSS: {peak:.1} MB");
    println!("sealed ledger records (last day): {last_sealed}");
    if prunes.is_empty() {
        println!(
            "daily prune: no day old enough to prune yet (run more than {} days)",
            retention.days
        );
    } else {
        println!(
            "daily prune ({} days, {} records each): median {:.2} s, worst {:.2} s",
            prunes.len(),
            removed_per_full_day,
            median(prunes.clone()).as_secs_f64(),
            prunes
                .iter()
                .max()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
        );
    }
    println!("whole year: {:.0} s", started.elapsed().as_secs_f64());
}
