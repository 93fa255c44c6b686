//! `cargo bench --bench chat`: residents asking at once. 500 chats send section questions
//! and searches (`/weather`, `天气怎么样`, `/notices`, `/search 码头`, `码头`, `/headlines`)
//! to the real handler tree and dispatcher (long polling) against the in-process fake, at
//! about 1,000 updates a second for 10 seconds. Latency is measured by the fake, from the
//! moment `getUpdates` hands an update out to the moment the reply to it arrives (each
//! question gets one reply, and a chat's updates are handled in order, so a chat's k-th reply
//! answers its k-th question). Three runs; p50, p99 and max of each, and a check that no
//! update was lost (every question answered, nothing left pending).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use fake_telegram::{ChatRef, FakeTelegram, UserRef};
use newsbot::app::daily::{DailyRequest, build_daily_digest};
use newsbot::chat::app::App;
use newsbot::chat::{Updates, run_bot};
use newsbot::core::summary::Summarizer;
use newsbot::edge::clock::FixedClock;
use newsbot::edge::fetch::{FetchLimits, Fetcher};
use newsbot::edge::store::Store;
use teloxide::Bot;

const CHATS: i64 = 500;
const RATE: u64 = 1_000;
const SECONDS: u64 = 10;
const RUNS: usize = 3;
const QUESTIONS: &[&str] = &[
    "/weather",
    "天气怎么样",
    "/notices",
    "/search 码头",
    "码头",
    "/headlines",
];
const TARGET_P99: Duration = Duration::from_millis(25);

struct Figures {
    offered: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    answered: usize,
    asked: usize,
}

async fn run_once(summarizer: Arc<Summarizer>) -> Figures {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let request = DailyRequest {
        source: newsbot::app::ingest::EditionSource::Sample,
        fetch_date: date,
        date: Some(date),
        feeds: vec![],
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    let digest = build_daily_digest(&request, &fetcher, &summarizer, None)
        .await
        .expect("digest")
        .digest;
    let fake = FakeTelegram::start().await;
    let store = Store::temporary().expect("store");
    store.put_digest(&digest).await.expect("store digest");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 29, 1, 0, 0)
        .single()
        .expect("time");
    let app = App {
        store: store.clone(),
        clock: Arc::new(FixedClock(now)),
        summarizer,
        edition_name: digest.edition.clone(),
        timezone: chrono_tz::Asia::Shanghai,
        newsroom: Arc::new(newsbot::app::newsroom::Newsroom::closed(
            store.clone(),
            Arc::new(FixedClock(now)),
        )),
        editions: Arc::new(newsbot::chat::followed::ChatEditions::single(
            store.clone(),
            chrono_tz::Asia::Shanghai,
            digest.edition.clone(),
        )),
        shown: Arc::default(),
    };
    let bot = Bot::new("42:BENCH").set_api_url(fake.api_url().parse().expect("url"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(run_bot(bot, app, Updates::LongPolling, async move {
        let _ = stopped.await;
    }));
    fake.wait_for_calls("setMyCommands", 2, Duration::from_secs(30))
        .await;

    // Offer RATE updates a second, round robin over the chats.
    let total = (RATE * SECONDS) as usize;
    let started = Instant::now();
    for i in 0..total {
        let due = started + Duration::from_micros(i as u64 * 1_000_000 / RATE);
        tokio::time::sleep_until(due.into()).await;
        let chat = 10_000 + (i as i64 % CHATS);
        let question = QUESTIONS[(i / CHATS as usize) % QUESTIONS.len()];
        fake.send_text(&ChatRef::private(chat), &UserRef::zh(chat), question);
    }
    let offered = total as f64 / started.elapsed().as_secs_f64();
    let answered = fake
        .wait_until(Duration::from_secs(60), "every question answered", |f| {
            let replies = f.calls_to("sendMessage").len();
            (replies >= total).then_some(replies)
        })
        .await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(30), running).await;

    let mut handed: HashMap<i64, Vec<Duration>> = HashMap::new();
    for h in fake.handouts() {
        if let Some(chat) = h.chat_id {
            handed.entry(chat).or_default().push(h.at);
        }
    }
    let mut replied: HashMap<i64, Vec<Duration>> = HashMap::new();
    for c in fake.calls_to("sendMessage") {
        if c.status == 200
            && let Some(chat) = c.chat_id()
        {
            replied.entry(chat).or_default().push(c.at);
        }
    }
    let mut latencies = Vec::with_capacity(total);
    for (chat, outs) in &handed {
        let ins = replied.get(chat).map_or(&[][..], Vec::as_slice);
        assert_eq!(
            outs.len(),
            ins.len(),
            "chat {chat}: {} questions handed out, {} replies",
            outs.len(),
            ins.len()
        );
        for (out, reply) in outs.iter().zip(ins) {
            latencies.push(reply.saturating_sub(*out));
        }
    }
    assert_eq!(fake.pending_updates(), 0, "updates left unconfirmed");
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures {
        offered,
        p50: pick(0.50),
        p99: pick(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        answered,
        asked: handed.values().map(Vec::len).sum(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!(
        "newsbot chat benchmark (release build): {CHATS} chats, {RATE} updates/s offered for {SECONDS} s, {RUNS} runs"
    );
    let summarizer = Arc::new(Summarizer::new());
    let mut p99s = Vec::new();
    let mut p50s = Vec::new();
    for run in 1..=RUNS {
        let f = run_once(Arc::clone(&summarizer)).await;
        println!(
            "run {run}: offered {:.0}/s · {} of {} answered, none lost · p50 {} · p99 {} · max {}",
            f.offered,
            f.answered,
            f.asked,
            ms(f.p50),
            ms(f.p99),
            ms(f.max)
        );
        p50s.push(f.p50);
        p99s.push(f.p99);
    }
    p50s.sort();
    p99s.sort();
    let p99 = p99s[RUNS / 2];
    println!(
        "median of {RUNS} runs: p50 {} · p99 {} (target p99 ≤ {}: {})",
        ms(p50s[RUNS / 2]),
        ms(p99),
        ms(TARGET_P99),
        if p99 <= TARGET_P99 { "met" } else { "NOT MET" }
    );
}
