//! `cargo bench --bench delivery [-- capped|uncapped|memory]`: delivery throughput and memory,
//! printed as figures (never asserted).
//!
//! - capped: 10,000 subscribers (`NEWSBOT_BENCH_SUBSCRIBERS`) through the in-process fake Bot
//!   API enforcing Telegram's 30/s, at the default rate. Prints the achieved rate (median of
//!   10-second windows and overall), its ratio to 30/s, and the 429s received.
//! - uncapped: the fake's limits off and a very high rate: the whole pipeline, outbox to fake,
//!   in messages a second; three runs, median.
//! - memory: the real `newsbot serve` with 100,000 stored subscribers, all due, broadcasting
//!   to the fake at 1000/s; prints its peak resident set (VmHWM) after 20,000 messages.
//!
//! - failover (PostgreSQL only): a leader takes the lease, plans the morning and dies without
//!   a word; a standby polling for the lease (its polls shifted by a fifth of the interval
//!   each round) takes over. Prints, for five rounds and their median, the time from the
//!   lease's expiry (by the database's clock) to the standby leading, and to its first send.
//!
//! With `NEWSBOT_BENCH_DATABASE_URL=postgres://…` capped and uncapped also run on
//! PostgreSQL (a schema of their own, dropped after) and print beside the sled figures;
//! `NEWSBOT_BENCH_UNCAPPED` sets the uncapped run's subscribers (default 10,000). Uncapped
//! prints planning (who is due, written to the outbox) and sending apart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use fake_telegram::{FakeTelegram, RateLimits};
use newsbot::app::daily::{DailyRequest, build_daily_digest};
use newsbot::app::delivery::{DeliverySettings, Progress, deliver_once};
use newsbot::core::subscriber::{ChatKind, DeliveryTime, Subscriber, SubscriberId, Topic};
use newsbot::core::summary::Summarizer;
use newsbot::edge::clock::FixedClock;
use newsbot::edge::fetch::{FetchLimits, Fetcher};
use newsbot::edge::store::Store;
use newsbot::edge::telegram::notifier::TelegramNotifier;
use teloxide::Bot;

const NOW: &str = "2026-11-30T08:00:00Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn day() -> NaiveDate {
    "2026-11-30".parse().expect("date")
}

fn subscribers(count: i64) -> Vec<Subscriber> {
    (1..=count)
        .map(|id| {
            let mut s = Subscriber::new(
                SubscriberId(1_000_000 + id),
                ChatKind::Private,
                now() - chrono::Duration::days(1),
            );
            s.delivery = DeliveryTime::parse("07:30").expect("time");
            s.tz = chrono_tz::Europe::London.into();
            // One message each: the weather.
            s.topics = [Topic::Weather].into_iter().collect();
            s
        })
        .collect()
}

async fn prepared_store(count: i64, store: Store) -> Store {
    let request = DailyRequest {
        source: newsbot::app::ingest::EditionSource::Sample,
        fetch_date: day(),
        date: Some(day()),
        feeds: vec![],
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    let daily = build_daily_digest(&request, &fetcher, &Summarizer::new(), None)
        .await
        .expect("digest");
    store.put_digest(&daily.digest).await.expect("digest");
    store
        .save_subscribers(&subscribers(count))
        .await
        .expect("subscribers");
    store
}

/// The engine a run stores in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Sled,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sled => "sled",
            Engine::Postgres => "PostgreSQL",
        }
    }

    /// The engines to measure: sled, and PostgreSQL when the variable names a server.
    fn all() -> Vec<Engine> {
        let mut engines = vec![Engine::Sled];
        if std::env::var("NEWSBOT_BENCH_DATABASE_URL").is_ok() {
            engines.push(Engine::Postgres);
        }
        engines
    }
}

/// A PostgreSQL schema of the benchmark's own, dropped when it ends.
struct BenchSchema {
    url: String,
    schema: String,
}

impl Drop for BenchSchema {
    fn drop(&mut self) {
        let (url, schema) = (self.url.clone(), self.schema.clone());
        let _ = std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
            client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        })
        .join();
    }
}

/// A fresh store on `engine` (and, for PostgreSQL, its schema to drop after).
fn fresh_store(engine: Engine) -> (Store, Option<BenchSchema>) {
    match engine {
        Engine::Sled => (Store::temporary().expect("store"), None),
        Engine::Postgres => {
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let url = std::env::var("NEWSBOT_BENCH_DATABASE_URL").expect("url");
            let schema = format!(
                "nbbench_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let store = Store::connect(&url, Some(&schema)).expect("PostgreSQL");
            (store, Some(BenchSchema { url, schema }))
        }
    }
}

/// Runs one delivery of `count` subscribers against `fake`; returns (messages, seconds), the
/// seconds from planning to the last send, and prints how they split.
async fn run(
    fake: &FakeTelegram,
    count: i64,
    settings: DeliverySettings,
    engine: Engine,
) -> (usize, f64) {
    let (store, _schema) = fresh_store(engine);
    let store = prepared_store(count, store).await;
    let bot = Bot::new("42:BENCH").set_api_url(fake.api_url().parse().expect("url"));
    let routes = newsbot::core::edition_routes::EditionRoutes::single();
    let started = Instant::now();
    let planner = store.clone();
    let (plan, _) = tokio::task::spawn_blocking(move || {
        newsbot::app::delivery::enqueue_due(&planner, &routes, now(), &settings, false)
    })
    .await
    .expect("planning thread")
    .expect("plan");
    let planned = started.elapsed().as_secs_f64();
    let (_, drained) = deliver_once(
        &store,
        &newsbot::core::edition_routes::EditionRoutes::single(),
        TelegramNotifier::new(bot, false),
        Arc::new(FixedClock(now())),
        &settings,
        None,
        Arc::new(Progress::default()),
    )
    .await
    .expect("deliver");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "  ({}) planning {} deliveries {planned:.2} s, sending {:.2} s",
        engine.name(),
        plan.queued,
        seconds - planned
    );
    (drained.messages, seconds)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

async fn capped() {
    for engine in Engine::all() {
        capped_on(engine).await;
    }
}

async fn capped_on(engine: Engine) {
    let count: i64 = std::env::var("NEWSBOT_BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(RateLimits::TELEGRAM));
    println!(
        "capped ({}): {count} subscribers, fake enforcing 30/s, rate {}/s (about {:.0} s)",
        engine.name(),
        DeliverySettings::default().rate,
        count as f64 / 29.0
    );
    let (messages, seconds) = run(&fake, count, DeliverySettings::default(), engine).await;
    let times: Vec<Duration> = fake
        .calls_to("sendMessage")
        .iter()
        .filter(|c| c.status == 200)
        .map(|c| c.at)
        .collect();
    // Rates of whole 10-second windows between the first and last send.
    let first = times.first().copied().unwrap_or_default();
    let mut windows = Vec::new();
    let mut start = first;
    while start + Duration::from_secs(10) <= times.last().copied().unwrap_or_default() {
        let end = start + Duration::from_secs(10);
        let n = times.iter().filter(|t| **t >= start && **t < end).count();
        windows.push(n as f64 / 10.0);
        start = end;
    }
    let window_median = median(windows.clone());
    let overall = messages as f64 / seconds;
    println!(
        "capped ({}): {messages} messages in {seconds:.1} s · overall {overall:.2}/s · median of {} 10-s windows {window_median:.2}/s · ratio to 30/s {:.3} · 429s {}",
        engine.name(),
        windows.len(),
        window_median / 30.0,
        fake.rate_limited()
    );
}

async fn uncapped() {
    let count: i64 = std::env::var("NEWSBOT_BENCH_UNCAPPED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let settings = DeliverySettings {
        rate: 1_000_000,
        in_flight: 64,
        ..DeliverySettings::default()
    };
    for engine in Engine::all() {
        let mut rates = Vec::new();
        for round in 1..=3 {
            let fake = FakeTelegram::start().await;
            let (messages, seconds) = run(&fake, count, settings, engine).await;
            let rate = messages as f64 / seconds;
            println!(
                "uncapped ({}) run {round}: {messages} messages in {seconds:.2} s = {rate:.0}/s",
                engine.name()
            );
            rates.push(rate);
        }
        println!(
            "uncapped ({}): median {:.0} messages/s over 3 runs of {count} subscribers",
            engine.name(),
            median(rates)
        );
    }
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn memory() {
    let count: i64 = std::env::var("NEWSBOT_BENCH_STORED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    {
        let store = Store::open(&data.path().join("db")).expect("store");
        prepared_store(count, store).await;
    }
    println!(
        "memory: {count} subscribers stored in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsbot"))
        // The embedded sample on purpose: this measures delivery, not reading a paper.
        .args(["serve", "--sample"])
        .current_dir(data.path())
        .env_clear()
        .env("TELOXIDE_TOKEN", "42:BENCH")
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("NEWSBOT_DATA_DIR", data.path())
        .env("NEWSBOT_DIGEST_DIR", data.path().join("digests"))
        .env("NEWSBOT_CLOCK_START", NOW)
        .env("NEWSBOT_PAID_BROADCAST", "true")
        .env(
            "NEWSBOT_BROADCAST_RATE",
            std::env::var("NEWSBOT_BENCH_RATE").unwrap_or_else(|_| "1000".to_owned()),
        )
        .env("NEWSBOT_SEND_CONCURRENCY", "32")
        .env("NEWSBOT_LOG", "warn")
        .envs(std::env::vars().filter(|(k, _)| k.starts_with("MALLOC_")))
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let pid = child.id();
    let started = Instant::now();
    let target = (count as usize).min(20_000);
    let mut peak = 0;
    let limit = Duration::from_secs(
        std::env::var("NEWSBOT_BENCH_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    );
    while fake.calls_to("sendMessage").len() < target && started.elapsed() < limit {
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
    let sent = fake.calls_to("sendMessage").len();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "memory: serve with {count} subscribers: peak RSS {:.1} MiB after {sent} messages in {:.1} s",
        peak as f64 / 1024.0,
        started.elapsed().as_secs_f64()
    );
}

/// Seconds left on the leader's lease, by the database's clock.
fn lease_left(url: &str, schema: &str) -> f64 {
    let (url, schema) = (url.to_owned(), schema.to_owned());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        client
            .query_one(
                &format!(
                    "SELECT extract(epoch FROM expires_at - now())::float8 \
                     FROM {schema}.newsbot_lease WHERE name = 'leader'"
                ),
                &[],
            )
            .expect("lease")
            .get::<_, f64>(0)
    })
    .join()
    .expect("lease thread")
}

async fn failover() {
    use newsbot::app::delivery::{DeliveryWorker, enqueue_due};
    use newsbot::app::leadership::Leadership;
    use tokio_util::sync::CancellationToken;
    const LEASE: Duration = Duration::from_secs(3);
    let Ok(url) = std::env::var("NEWSBOT_BENCH_DATABASE_URL") else {
        println!("failover: skipped (it needs NEWSBOT_BENCH_DATABASE_URL=postgres://…)");
        return;
    };
    let (mut to_lead, mut to_send) = (Vec::new(), Vec::new());
    for round in 1..=5 {
        let (store_a, schema) = fresh_store(Engine::Postgres);
        let schema = schema.expect("schema");
        let store_a = prepared_store(200, store_a).await;
        let store_b = Store::connect(&url, Some(&schema.schema)).expect("second instance");
        // The leader takes the lease, plans the morning's deliveries, and dies.
        let a = Leadership::new(store_a.clone(), "a".to_owned(), LEASE);
        assert!(a.acquire(&CancellationToken::new()).await, "a leads");
        let started = Instant::now();
        let left = lease_left(&url, &schema.schema);
        let planner = store_a.clone();
        let settings = DeliverySettings::default();
        tokio::task::spawn_blocking(move || {
            let routes = newsbot::core::edition_routes::EditionRoutes::single();
            enqueue_due(&planner, &routes, now(), &settings, false)
        })
        .await
        .expect("planning thread")
        .expect("plan");
        drop(a);
        // The standby polls for the lease, takes over, and starts sending.
        let fake = FakeTelegram::start().await;
        fake.enforce_limits(Some(RateLimits::TELEGRAM));
        let b = Leadership::new(store_b.clone(), "b".to_owned(), LEASE);
        // The standby's polls fall at a different point of the expiry each round (a fifth of
        // its poll interval further on), as they would between independent machines.
        tokio::time::sleep(LEASE / 10 * round / 5).await;
        assert!(b.acquire(&CancellationToken::new()).await, "b leads");
        let led = started.elapsed().as_secs_f64() - left;
        let bot = Bot::new("42:BENCH").set_api_url(fake.api_url().parse().expect("url"));
        let worker = DeliveryWorker::new(
            store_b.clone(),
            TelegramNotifier::new(bot, false),
            settings,
            Arc::new(FixedClock(now())),
            Arc::new(Progress::default()),
        );
        worker.pacer().warm_up(Duration::from_secs(5));
        let cancel = CancellationToken::new();
        let running = {
            let (worker, cancel) = (worker.clone(), cancel.clone());
            tokio::spawn(async move { worker.run(cancel).await })
        };
        fake.wait_until(Duration::from_secs(30), "the first send", |f| {
            (!f.calls_to("sendMessage").is_empty()).then_some(())
        })
        .await;
        let sent = started.elapsed().as_secs_f64() - left;
        cancel.cancel();
        let _ = running.await;
        println!(
            "failover (PostgreSQL) round {round}: lease {} s; from its expiry to the standby leading {led:.2} s, to its first send {sent:.2} s",
            LEASE.as_secs()
        );
        to_lead.push(led);
        to_send.push(sent);
    }
    println!(
        "failover (PostgreSQL): median over 5 rounds: lease expiry → new leader {:.2} s, → first send {:.2} s (the standby asks every {:.1} s)",
        median(to_lead),
        median(to_send),
        LEASE.as_secs_f64() / 10.0
    );
}

fn main() {
    let which: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wants = |part: &str| which.is_empty() || which.iter().any(|w| w == part);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if wants("uncapped") {
            uncapped().await;
        }
        if wants("memory") {
            memory().await;
        }
        if wants("capped") {
            capped().await;
        }
        if wants("failover") {
            failover().await;
        }
    });
}
