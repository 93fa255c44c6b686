//! Delivery in-process: who gets what (in-memory notifier), Telegram's answers (the fake Bot
//! API through the teloxide notifier), resuming a half-done job, pacing under the fake's
//! enforced limits, and a 429 holding every sender back. Temporary sled, fixed clock.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use fake_telegram::{FakeTelegram, Fault, RateLimits};
use newsbot::app::daily::{DailyRequest, build_daily_digest};
use newsbot::app::delivery::{
    DeliverySettings, DeliveryWorker, Progress, deliver_once, enqueue_rerun,
};
use newsbot::core::digest::{Digest, Lang, RenderOptions, Section, render_telegram_html};
use newsbot::core::edition_routes::EditionRoutes;
use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
use newsbot::core::subscriber::{ChatKind, DeliveryTime, Status, Subscriber, SubscriberId, Topic};
use newsbot::core::summary::Summarizer;
use newsbot::edge::clock::FixedClock;
use newsbot::edge::fetch::{FetchLimits, Fetcher};
use newsbot::edge::notifier::{MemoryNotifier, SendError};
use newsbot::edge::store::{Priority, Store};
use newsbot::edge::telegram::notifier::TelegramNotifier;
use teloxide::Bot;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn day() -> NaiveDate {
    "2026-11-30".parse().expect("date")
}

/// 08:00 UTC: 07:30 London has passed, 07:30 New York has not.
const NOW: &str = "2026-11-30T08:00:00Z";

/// The embedded sample's digest, dated `date`.
async fn sample_digest(date: NaiveDate) -> Digest {
    static SUMMARIZER: OnceLock<Summarizer> = OnceLock::new();
    let request = DailyRequest {
        source: newsbot::app::ingest::EditionSource::Sample,
        fetch_date: date,
        date: Some(date),
        feeds: vec![],
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    build_daily_digest(
        &request,
        &fetcher,
        SUMMARIZER.get_or_init(Summarizer::new),
        None,
    )
    .await
    .expect("digest")
    .digest
}

/// A digest long enough to need several messages.
async fn long_digest(date: NaiveDate) -> Digest {
    let mut digest = sample_digest(date).await;
    let first = digest.headlines[0].clone();
    for i in 0..90 {
        let mut h = first.clone();
        h.title = format!("{} ({i})", h.title);
        h.summary = h.summary_short.clone();
        digest.headlines.push(h);
    }
    digest
}

fn subscriber(id: i64, time: &str, tz: &str) -> Subscriber {
    let kind = if id < 0 {
        ChatKind::Group
    } else {
        ChatKind::Private
    };
    let mut s = Subscriber::new(SubscriberId(id), kind, at("2026-11-29T12:00:00Z"));
    s.delivery = DeliveryTime::parse(time).expect("time");
    s.tz = newsbot::core::subscriber::parse_time_zone(tz)
        .expect("zone")
        .into();
    s
}

/// Fast pacing for tests that are not about pacing.
fn quick() -> DeliverySettings {
    DeliverySettings {
        rate: 1000,
        in_flight: 16,
        private_spacing: Duration::from_millis(5),
        group_spacing: Duration::from_millis(5),
        backoff: Duration::from_millis(20),
        ..DeliverySettings::default()
    }
}

async fn store_with(subscribers: &[Subscriber], digest: &Digest) -> Store {
    let store = Store::temporary().expect("store");
    for s in subscribers {
        store.save_subscriber(s).await.expect("save");
    }
    store.put_digest(digest).await.expect("digest");
    store
}

/// One delivery pass at [`NOW`]: who is due, then the outbox drained through `notifier`.
async fn deliver_now<N: newsbot::edge::notifier::Notifier>(
    store: &Store,
    notifier: N,
    settings: &DeliverySettings,
) -> (
    newsbot::app::delivery::PlanReport,
    newsbot::app::delivery::DrainReport,
) {
    deliver_once(
        store,
        &EditionRoutes::single(),
        notifier,
        Arc::new(FixedClock(at(NOW))),
        settings,
        None,
        Arc::new(Progress::default()),
    )
    .await
    .expect("deliver")
}

fn pieces(digest: &Digest, lang: Lang, sections: Vec<Section>) -> Vec<String> {
    render_telegram_html(
        digest,
        &RenderOptions {
            lang,
            sections,
            short_summaries: false,
        },
    )
}

#[tokio::test]
async fn each_due_chat_gets_its_sections_once_and_no_one_else_gets_anything() {
    let digest = sample_digest(day()).await;
    let mut london = subscriber(101, "07:30", "Europe/London");
    london.lang = Lang::En;
    london.topics = [Topic::Weather].into_iter().collect();
    let new_york = subscriber(102, "07:30", "America/New_York");
    let mut paused = subscriber(103, "07:30", "Europe/London");
    paused.paused_until = Some(at("2026-12-05T00:00:00Z"));
    let mut stopped = subscriber(104, "07:30", "Europe/London");
    stopped.status = Status::Stopped;
    let mut blocked = subscriber(105, "07:30", "Europe/London");
    blocked.status = Status::Blocked;
    let group = subscriber(-201, "15:00", "Asia/Shanghai");
    let store = store_with(
        &[
            london.clone(),
            new_york,
            paused,
            stopped,
            blocked,
            group.clone(),
        ],
        &digest,
    )
    .await;
    let notifier = MemoryNotifier::new();
    for _ in 0..2 {
        // The second pass finds everyone in the ledger and sends nothing more.
        deliver_now(&store, notifier.clone(), &quick()).await;
    }
    let to_london = notifier.delivered_to(SubscriberId(101));
    assert_eq!(
        to_london.iter().map(|d| d.text.clone()).collect::<Vec<_>>(),
        pieces(&digest, Lang::En, vec![Section::Weather])
    );
    let to_group = notifier.delivered_to(SubscriberId(-201));
    assert_eq!(
        to_group.iter().map(|d| d.text.clone()).collect::<Vec<_>>(),
        pieces(&digest, Lang::Zh, Section::ALL.to_vec())
    );
    assert_eq!(
        notifier.delivered().len(),
        to_london.len() + to_group.len(),
        "nobody else got anything"
    );
    let record = store
        .delivery(day(), SubscriberId(101))
        .expect("read")
        .expect("in the ledger");
    assert_eq!(record.state, DeliveryState::Sent);
    assert_eq!(
        record.message_ids,
        to_london.iter().map(|d| d.message_id).collect::<Vec<_>>()
    );
    assert_eq!(store.outbox_len(), 0);
}

#[tokio::test]
async fn a_restarted_job_sends_only_the_pieces_not_yet_recorded() {
    let digest = long_digest(day()).await;
    let all = pieces(&digest, Lang::Zh, Section::ALL.to_vec());
    assert!(all.len() >= 3, "the long digest has {} pieces", all.len());
    let s = subscriber(7, "07:30", "Europe/London");
    let store = store_with(&[s], &digest).await;
    // As a crash leaves it: queued, with the first piece recorded as delivered.
    let mut record = DeliveryRecord::new(
        day(),
        SubscriberId(7),
        DeliveryState::Pending,
        at("2026-11-30T07:30:00Z"),
        at(NOW),
    );
    assert!(
        store
            .enqueue_delivery(&record, Priority::Digest)
            .expect("enqueue")
    );
    record.message_ids.push(555);
    store.update_delivery(&record).expect("progress");

    let notifier = MemoryNotifier::new();
    let worker = DeliveryWorker::new(
        store.clone(),
        notifier.clone(),
        quick(),
        Arc::new(FixedClock(at(NOW))),
        Arc::new(Progress::default()),
    );
    worker.drain().await.expect("drain");
    let sent: Vec<String> = notifier.delivered().into_iter().map(|d| d.text).collect();
    assert_eq!(sent, all[1..].to_vec());
    let done = store
        .delivery(day(), SubscriberId(7))
        .expect("read")
        .expect("record");
    assert_eq!(done.state, DeliveryState::Sent);
    assert_eq!(done.message_ids.len(), all.len());
    assert_eq!(done.message_ids[0], 555);
}

#[tokio::test]
async fn memory_notifier_errors_drive_the_policy() {
    let digest = sample_digest(day()).await;
    let subs: Vec<Subscriber> = (1..=5)
        .map(|id| subscriber(id, "07:30", "Europe/London"))
        .collect();
    let store = store_with(&subs, &digest).await;
    let notifier = MemoryNotifier::new();
    notifier.fail_next(SubscriberId(1), SendError::ChatGone("blocked".into()));
    for _ in 0..10 {
        notifier.fail_next(SubscriberId(2), SendError::Transient("502".into()));
    }
    notifier.fail_next(SubscriberId(3), SendError::BadMarkup("unclosed".into()));
    notifier.fail_next(SubscriberId(4), SendError::Refused("too long".into()));
    notifier.fail_next(
        SubscriberId(5),
        SendError::RetryAfter(Duration::from_millis(50)),
    );
    let (_, drained) = deliver_now(&store, notifier.clone(), &quick()).await;
    let state = |id| {
        store
            .delivery(day(), SubscriberId(id))
            .expect("read")
            .expect("record")
            .state
    };
    assert_eq!(state(1), DeliveryState::Blocked);
    assert_eq!(
        store
            .subscriber(SubscriberId(1))
            .expect("read")
            .expect("kept")
            .status,
        Status::Blocked
    );
    assert_eq!(state(2), DeliveryState::Failed);
    assert_eq!(state(3), DeliveryState::Sent);
    let plain = notifier.delivered_to(SubscriberId(3));
    assert!(plain.iter().all(|d| !d.html && !d.text.contains("<b>")));
    assert_eq!(state(4), DeliveryState::Failed);
    assert_eq!(state(5), DeliveryState::Sent);
    assert_eq!(drained.rate_limited, 1);
    assert_eq!((drained.sent, drained.failed, drained.blocked), (2, 2, 1));

    // A re-run of the day retries the failed ones only.
    let (plan, _) =
        enqueue_rerun(&store, &EditionRoutes::single(), day(), at(NOW), false).expect("rerun");
    assert_eq!(plan.queued, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_answers_block_migrate_retry_and_fall_back_to_plain_text() {
    let fake = FakeTelegram::start().await;
    let digest = sample_digest(day()).await;
    let ids = [11, 12, 13, 14, 15, 16, -21, -22];
    let subs: Vec<Subscriber> = ids
        .iter()
        .map(|id| subscriber(*id, "07:30", "Europe/London"))
        .collect();
    let store = store_with(&subs, &digest).await;
    fake.block_chat(11);
    fake.fail_chat(12, Fault::BadRequest("chat not found".into()));
    for _ in 0..2 {
        fake.fail_chat(13, Fault::DropConnection);
    }
    fake.fail_chat(
        14,
        Fault::BadRequest("can't parse entities: unsupported start tag".into()),
    );
    for _ in 0..10 {
        fake.fail_chat(15, Fault::DropConnection);
    }
    fake.fail_chat(16, Fault::ServerError(502));
    fake.migrate_chat(-22, -1_000_000_022);
    fake.fail_chat(-21, Fault::RetryAfter(1));

    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let (_, drained) = deliver_now(&store, TelegramNotifier::new(bot, false), &quick()).await;

    let state = |id| {
        store
            .delivery(day(), SubscriberId(id))
            .expect("read")
            .map(|r| r.state)
    };
    let status = |id| {
        store
            .subscriber(SubscriberId(id))
            .expect("read")
            .map(|s| s.status)
    };
    // Blocked and gone chats: marked, tried once.
    assert_eq!(state(11), Some(DeliveryState::Blocked));
    assert_eq!(status(11), Some(Status::Blocked));
    assert_eq!(
        fake.calls_to("sendMessage")
            .iter()
            .filter(|c| c.chat_id() == Some(11))
            .count(),
        1
    );
    assert_eq!(state(12), Some(DeliveryState::Blocked));
    // Flaky: delivered once after two dropped connections.
    assert_eq!(state(13), Some(DeliveryState::Sent));
    assert_eq!(fake.sends_to(13).len(), 1);
    // Bad markup: resent as plain text.
    assert_eq!(state(14), Some(DeliveryState::Sent));
    let plain = fake.sends_to(14);
    assert_eq!(plain.len(), 1);
    assert!(plain[0].body.get("parse_mode").is_none());
    // Always failing: given up after bounded retries.
    assert_eq!(state(15), Some(DeliveryState::Failed));
    assert_eq!(
        fake.calls_to("sendMessage")
            .iter()
            .filter(|c| c.chat_id() == Some(15))
            .count(),
        quick().max_retries as usize + 1
    );
    // A 5xx is retried.
    assert_eq!(state(16), Some(DeliveryState::Sent));
    // 429: waited out, then delivered.
    assert_eq!(state(-21), Some(DeliveryState::Sent));
    assert_eq!(fake.sends_to(-21).len(), 1);
    // Migration: the subscriber moved with its settings, the digest went to the new id.
    assert_eq!(state(-22), Some(DeliveryState::Migrated));
    assert_eq!(state(-1_000_000_022), Some(DeliveryState::Sent));
    assert_eq!(status(-22), None);
    let moved = store
        .subscriber(SubscriberId(-1_000_000_022))
        .expect("read")
        .expect("moved");
    assert_eq!(
        (moved.delivery.to_string(), moved.tz.name()),
        ("07:30".to_owned(), "Europe/London")
    );
    assert_eq!(fake.sends_to(-1_000_000_022).len(), 1);
    assert_eq!(drained.migrated, 1);
    assert_eq!(drained.rate_limited, 1);
    assert_eq!(store.outbox_len(), 0);

    // The next tick sends nothing to anyone: every chat is in the ledger. A whole pass, plan
    // and drain, so anything it queued would reach the fake and be counted.
    let before = fake.calls_to("sendMessage").len();
    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let (plan, again) = deliver_now(&store, TelegramNotifier::new(bot, false), &quick()).await;
    assert_eq!((plan.queued, plan.missed), (0, 0));
    assert_eq!(again, newsbot::app::delivery::DrainReport::default());
    assert_eq!(fake.calls_to("sendMessage").len(), before);
    assert_eq!(store.outbox_len(), 0);
    assert_eq!(state(-1_000_000_022), Some(DeliveryState::Sent));
}

/// Sends in any one-second window of `calls`' arrival times.
fn busiest_second(times: &[Duration]) -> usize {
    let mut best = 0;
    for (i, start) in times.iter().enumerate() {
        let n = times[i..]
            .iter()
            .take_while(|t| t.saturating_sub(*start) < Duration::from_secs(1))
            .count();
        best = best.max(n);
    }
    best
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_stays_inside_telegram_limits_and_gets_no_429() {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(RateLimits::TELEGRAM));
    let digest = long_digest(day()).await;
    let per_chat = pieces(&digest, Lang::Zh, Section::ALL.to_vec()).len();
    // 40 private chats with one short piece each, one chat and one group with several.
    let mut subs: Vec<Subscriber> = (1..=40)
        .map(|id| {
            let mut s = subscriber(id, "07:30", "Europe/London");
            s.topics = [Topic::Weather].into_iter().collect();
            s
        })
        .collect();
    subs.push(subscriber(100, "07:30", "Europe/London"));
    subs.push(subscriber(-300, "07:30", "Europe/London"));
    let store = store_with(&subs, &digest).await;
    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let settings = DeliverySettings::default();
    let (_, drained) = deliver_now(&store, TelegramNotifier::new(bot, false), &settings).await;
    let refused: Vec<_> = fake
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.status == 429)
        .map(|c| (c.chat_id(), c.at))
        .collect();
    assert_eq!(fake.rate_limited(), 0, "the fake refused {refused:?}");
    assert_eq!(drained.sent, 42);
    assert_eq!(drained.messages, 40 + 2 * per_chat);
    let sends: Vec<Duration> = fake.calls_to("sendMessage").iter().map(|c| c.at).collect();
    assert!(busiest_second(&sends) <= 30);
    let to_one = |chat| -> Vec<Duration> { fake.sends_to(chat).iter().map(|c| c.at).collect() };
    for pair in to_one(100).windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(950), "{pair:?}");
    }
    for pair in to_one(-300).windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(2900), "{pair:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_holds_every_sender_back_for_its_retry_after() {
    let fake = FakeTelegram::start().await;
    let digest = sample_digest(day()).await;
    let subs: Vec<Subscriber> = (1..=20)
        .map(|id| subscriber(id, "07:30", "Europe/London"))
        .collect();
    let store = store_with(&subs, &digest).await;
    fake.fail_chat(1, Fault::RetryAfter(1));
    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let settings = DeliverySettings {
        rate: 10,
        ..DeliverySettings::default()
    };
    deliver_now(&store, TelegramNotifier::new(bot, false), &settings).await;
    let calls = fake.calls_to("sendMessage");
    let refused = calls.iter().find(|c| c.status == 429).expect("a 429").at;
    let next = calls
        .iter()
        .filter(|c| c.at > refused)
        .map(|c| c.at)
        .min()
        .expect("later sends");
    assert!(
        next - refused >= Duration::from_millis(950),
        "sent {:?} after a 429 asking for 1 s",
        next - refused
    );
    assert_eq!(calls.iter().filter(|c| c.status == 200).count(), 20);
}

fn edition(id: &str) -> newsbot::core::edition_id::EditionId {
    newsbot::core::edition_id::EditionId::parse(id).expect("id")
}

fn follow(id: &str, time: Option<&str>) -> newsbot::core::subscriber::Follow {
    newsbot::core::subscriber::Follow {
        edition: edition(id),
        delivery: time.map(|t| DeliveryTime::parse(t).expect("time")),
    }
}

#[tokio::test]
async fn each_followed_edition_is_delivered_once_from_its_own_ledger() {
    // Two editions: the default's records stay where a one-edition bot kept them.
    let routes = EditionRoutes::new(edition("pinghu"), vec![edition("haining")]);
    let mut pinghu = sample_digest(day()).await;
    pinghu.edition = "平湖版".to_owned();
    let mut haining = sample_digest(day()).await;
    haining.edition = "海宁版".to_owned();
    haining.headlines.truncate(1);
    let plain = subscriber(1, "07:30", "Europe/London");
    let mut other = subscriber(2, "07:30", "Europe/London");
    other.follows = vec![follow("haining", None)];
    let mut both = subscriber(3, "07:30", "Europe/London");
    both.follows = vec![follow("pinghu", None), follow("haining", Some("06:45"))];
    let mut later = subscriber(4, "07:30", "Europe/London");
    // Its own time for the second edition has not come yet at 08:00.
    later.follows = vec![follow("pinghu", None), follow("haining", Some("09:00"))];
    let store = store_with(&[plain, other, both, later], &pinghu).await;
    let haining_view = store
        .for_edition(routes.ledger_of(&edition("haining")).as_ref())
        .expect("view");
    haining_view.put_digest(&haining).await.expect("digest");
    let notifier = MemoryNotifier::new();
    for _ in 0..2 {
        let (plan, _) = deliver_once(
            &store,
            &routes,
            notifier.clone(),
            Arc::new(FixedClock(at(NOW))),
            &quick(),
            None,
            Arc::new(Progress::default()),
        )
        .await
        .expect("deliver");
        assert!(plan.queued == 5 || plan.queued == 0, "{plan:?}");
    }
    let texts = |id: i64| -> String {
        notifier
            .delivered_to(SubscriberId(id))
            .iter()
            .map(|d| d.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(texts(1).contains("平湖版") && !texts(1).contains("海宁版"));
    assert!(texts(2).contains("海宁版") && !texts(2).contains("平湖版"));
    assert!(texts(3).contains("平湖版") && texts(3).contains("海宁版"));
    assert!(texts(4).contains("平湖版") && !texts(4).contains("海宁版"));
    let chats =
        |records: Vec<DeliveryRecord>| -> Vec<i64> { records.iter().map(|r| r.chat.0).collect() };
    // One ledger entry per chat, edition and day.
    assert_eq!(
        chats(store.deliveries_on(day()).expect("read")),
        vec![1, 3, 4]
    );
    assert_eq!(
        chats(haining_view.deliveries_on(day()).expect("read")),
        vec![2, 3]
    );
    let record = haining_view
        .delivery(day(), SubscriberId(3))
        .expect("read")
        .expect("recorded");
    assert_eq!(record.state, DeliveryState::Sent);
    assert_eq!(record.edition, Some(edition("haining")));
    assert_eq!(store.outbox_len(), 0);
    // A re-run of the day finds everything sent in both ledgers.
    let (rerun, _) = enqueue_rerun(&store, &routes, day(), at(NOW), true).expect("rerun");
    assert_eq!(rerun.queued, 0);
}
