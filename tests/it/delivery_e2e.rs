//! Scheduled delivery end to end: the real `newsbot serve` against the fake Bot API enforcing
//! Telegram's limits, its clock started at a known instant. Subscribers in three zones,
//! paused, stopped, groups, a migrating group, a blocked user and a flaky chat each get what
//! they should exactly once; `kill -9` and SIGTERM mid-broadcast lose nobody and repeat at
//! most the stated in-flight bound (none after SIGTERM).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use fake_telegram::{FakeTelegram, Fault, RateLimits};
use serde_json::json;

use crate::support::postgres::instance_vars;
use crate::support::process::{BotProcess, run_newsbot};

/// 08:00 UTC: 07:30 in London and 15:30 in Shanghai have passed; 07:30 in New York has not.
const CLOCK_START: &str = "2026-11-30T08:00:00Z";
const WAIT: Duration = Duration::from_secs(60);
/// Requests in flight (NEWSBOT_SEND_CONCURRENCY's default) plus the messages answered within
/// one group-commit interval (100 ms at 29/s) plus one for timer slack: the README's bound.
const IN_FLIGHT_BOUND: usize = 8 + 3 + 1;

fn env() -> Vec<(&'static str, &'static str)> {
    vec![("NEWSBOT_CLOCK_START", CLOCK_START)]
}

#[allow(clippy::too_many_arguments)]
fn record(
    id: i64,
    kind: &str,
    lang: &str,
    time: &str,
    tz: &str,
    topics: &[&str],
    paused_until: Option<&str>,
    status: &str,
) -> String {
    json!({
        "version": 1, "id": id, "kind": kind, "lang": lang, "delivery": time, "tz": tz,
        "topics": topics, "paused_until": paused_until, "status": status,
        "created_at": "2026-11-29T12:00:00Z"
    })
    .to_string()
}

const ALL: &[&str] = &["headlines", "weather", "notices", "photos", "breaking"];

fn import(data: &Path, lines: &[String]) {
    import_with(data, lines, &[]);
}

fn import_with(data: &Path, lines: &[String], vars: &[(&str, &str)]) {
    let file = data.join("subscribers.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let out = run_newsbot(
        data,
        &["subscribers", "import", file.to_str().expect("utf-8 path")],
        vars,
    );
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Successful sends per chat.
fn sends_per_chat(fake: &FakeTelegram) -> HashMap<i64, usize> {
    let mut counts = HashMap::new();
    for call in fake.calls_to("sendMessage") {
        if call.status == 200
            && let Some(chat) = call.chat_id()
        {
            *counts.entry(chat).or_default() += 1;
        }
    }
    counts
}

fn attempts_to(fake: &FakeTelegram, chat: i64) -> usize {
    fake.calls_to("sendMessage")
        .iter()
        .filter(|c| c.chat_id() == Some(chat))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_delivers_each_due_chat_its_sections_once_across_a_restart() {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(RateLimits::TELEGRAM));
    let data = tempfile::tempdir().expect("tempdir");
    import(
        data.path(),
        &[
            record(
                101,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                ALL,
                None,
                "active",
            ),
            record(
                102,
                "private",
                "zh",
                "07:30",
                "America/New_York",
                ALL,
                None,
                "active",
            ),
            record(
                103,
                "private",
                "en",
                "15:30",
                "Asia/Shanghai",
                &["weather"],
                None,
                "active",
            ),
            record(
                104,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                ALL,
                Some("2026-12-05T00:00:00Z"),
                "active",
            ),
            record(
                105,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                ALL,
                None,
                "stopped",
            ),
            record(
                106,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                ALL,
                None,
                "blocked",
            ),
            record(
                107,
                "private",
                "zh",
                "07:00",
                "Europe/London",
                ALL,
                None,
                "active",
            ),
            record(
                108,
                "private",
                "zh",
                "07:00",
                "Europe/London",
                ALL,
                None,
                "active",
            ),
            record(
                -201,
                "group",
                "zh",
                "07:00",
                "Europe/London",
                ALL,
                None,
                "active",
            ),
            record(
                -202,
                "group",
                "en",
                "07:00",
                "Europe/London",
                &["headlines"],
                None,
                "active",
            ),
        ],
    );
    fake.block_chat(107);
    fake.migrate_chat(-202, -1_000_000_202);
    fake.fail_chat(108, Fault::DropConnection);
    fake.fail_chat(108, Fault::DropConnection);

    let bot = BotProcess::start(&fake, data.path(), &env());
    let due = [101, 103, 108, -201, -1_000_000_202];
    fake.wait_until(WAIT, "every due chat's digest", |f| {
        let sends = sends_per_chat(f);
        (due.iter().all(|c| sends.contains_key(c)) && attempts_to(f, 107) > 0).then_some(())
    })
    .await;
    // Stopped at once: sends in flight finish first, and the ledger then shows nothing left
    // to send, so no duplicate can come later.
    bot.stop().await;
    assert_nothing_left(data.path(), "2026-11-30");

    let sends = sends_per_chat(&fake);
    for chat in due {
        assert_eq!(sends.get(&chat), Some(&1), "chat {chat}: {sends:?}");
    }
    for chat in [102, 104, 105, 106, -202] {
        assert_eq!(sends.get(&chat), None, "chat {chat} got something");
    }
    assert_eq!(attempts_to(&fake, 107), 1, "the blocked chat is tried once");
    let english_weather = &fake.sends_to(103)[0];
    assert!(
        english_weather
            .text()
            .is_some_and(|t| t.contains("Weather") && !t.contains("Headlines")),
        "{:?}",
        english_weather.text()
    );
    assert_eq!(fake.rate_limited(), 0);
    // A digest with its headlines ends with a full-story button for each article kept whole.
    let group = fake.sends_to(-201);
    let last = group.last().expect("the group's digest");
    let labels: Vec<&str> = last.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|button| button["text"].as_str())
        .collect();
    assert!(
        labels.first().is_some_and(|l| l.starts_with("全文")),
        "{:?}",
        last.body
    );

    let ledger = run_newsbot(data.path(), &["deliveries", "--date", "2026-11-30"], &env());
    let ledger = String::from_utf8_lossy(&ledger.stdout).to_string();
    assert!(
        ledger.starts_with(
            "2026-11-30: sent: 5 · pending: 0 · failed: 0 · blocked: 1 · migrated: 1 · missed: 0"
        ),
        "{ledger}"
    );
    assert!(ledger.contains("-202\tmigrated") && ledger.contains("moved to -1000000202"));
    let mine = run_newsbot(data.path(), &["subscribers", "export"], &[]);
    let exported = String::from_utf8_lossy(&mine.stdout).to_string();
    assert!(exported.contains("\"id\":107") && exported.contains("\"status\":\"blocked\""));
    assert!(exported.contains("\"id\":-1000000202") && !exported.contains("\"id\":-202,"));

    // A restart the same day sends nothing more.
    let before = fake.calls_to("sendMessage").len();
    let menus = fake.calls_to("setMyCommands").len();
    let bot = BotProcess::start(&fake, data.path(), &env());
    fake.wait_for_calls("setMyCommands", menus + 2, WAIT).await;
    // The stop waits for the start-up tick's planning; anything it had planned would be in
    // the outbox.
    bot.stop().await;
    assert_eq!(fake.calls_to("sendMessage").len(), before);
    assert_nothing_left(data.path(), "2026-11-30");
}

/// The ledger of `date` holds no pending delivery and the outbox no job: nothing more would
/// be sent by any later run.
fn assert_nothing_left(data: &Path, date: &str) {
    assert_nothing_left_with(data, date, &[]);
}

fn assert_nothing_left_with(data: &Path, date: &str, vars: &[(&str, &str)]) {
    let mut all = env();
    all.extend_from_slice(vars);
    let out = run_newsbot(data, &["deliveries", "--date", date, "--summary"], &all);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("pending: 0") && text.contains("outbox: 0 jobs waiting"),
        "{text}"
    );
}

/// `count` residents in London, due at 07:30, weather only (one message each).
fn crowd(data: &Path, count: i64, vars: &[(&str, &str)]) {
    let lines: Vec<String> = (1..=count)
        .map(|id| {
            record(
                1000 + id,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                &["weather"],
                None,
                "active",
            )
        })
        .collect();
    import_with(data, &lines, vars);
}

/// A broadcast to 150 residents interrupted a third of the way (`kill -9`, or SIGTERM when
/// `kill` is false) and finished by a restarted bot, on the store `store_vars` name (none:
/// sled under the data folder).
async fn interrupted_broadcast(
    kill: bool,
    store_vars: &[(&str, &str)],
) -> (usize, HashMap<i64, usize>) {
    const COUNT: i64 = 150;
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(RateLimits::TELEGRAM));
    let data = tempfile::tempdir().expect("tempdir");
    crowd(data.path(), COUNT, store_vars);
    let mut vars = env();
    vars.extend_from_slice(store_vars);
    let bot = BotProcess::start(&fake, data.path(), &vars);
    fake.wait_until(WAIT, "a third of the broadcast", |f| {
        (sends_per_chat(f).len() >= 50).then_some(())
    })
    .await;
    if kill {
        bot.kill_9();
    } else {
        bot.stop().await;
    }
    let at_interruption = sends_per_chat(&fake).len();
    assert!(
        at_interruption < COUNT as usize,
        "the broadcast finished before the interruption"
    );
    let bot = BotProcess::start(&fake, data.path(), &vars);
    fake.wait_until(WAIT, "every chat's digest after the restart", |f| {
        (sends_per_chat(f).len() >= COUNT as usize).then_some(())
    })
    .await;
    bot.stop().await;
    assert_nothing_left_with(data.path(), "2026-11-30", store_vars);
    // The restarted process paces from scratch, so a 429 right after the restart is possible
    // (and waited out); it must never cost a delivery.
    let sends = sends_per_chat(&fake);
    assert_eq!(sends.len(), COUNT as usize, "every due chat got its digest");
    let duplicates = sends.values().map(|n| n - 1).sum();
    (duplicates, sends)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_broadcast_loses_nobody_and_repeats_at_most_the_in_flight_bound() {
    let (duplicates, _) = interrupted_broadcast(true, &[]).await;
    eprintln!("duplicates after kill -9: {duplicates}");
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates, more than the bound {IN_FLIGHT_BOUND}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_broadcast_exits_cleanly_and_a_restart_finishes_without_duplicates() {
    let (duplicates, _) = interrupted_broadcast(false, &[]).await;
    assert_eq!(duplicates, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_kill_9_mid_broadcast_loses_nobody_and_repeats_at_most_the_bound() {
    let Some(pg) = crate::support::postgres::PgSchema::new("broadcast_kill") else {
        return;
    };
    let (duplicates, _) = interrupted_broadcast(true, &pg.store_vars()).await;
    eprintln!("duplicates after kill -9 on PostgreSQL: {duplicates}");
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates, more than the bound {IN_FLIGHT_BOUND}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliver_runs_one_pass_without_the_bot_and_dry_run_only_lists() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    import(
        data.path(),
        &[
            record(
                301,
                "private",
                "zh",
                "07:30",
                "Europe/London",
                ALL,
                None,
                "active",
            ),
            record(
                302,
                "private",
                "en",
                "07:30",
                "America/New_York",
                &["weather"],
                None,
                "active",
            ),
            record(
                303,
                "private",
                "en",
                "07:45",
                "Europe/London",
                &["weather", "notices"],
                None,
                "active",
            ),
        ],
    );
    let deliver = |args: &[&str]| {
        let mut all = vec!["deliver", "--sample"];
        all.extend_from_slice(args);
        crate::support::process::newsbot(fake.api_url(), data.path(), &env())
            .args(&all)
            .output()
            .expect("run deliver")
    };

    let dry = deliver(&["--dry-run"]);
    let listing = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        listing.contains(
            "301\t2026-11-30\tdeliver\t07:30 Europe/London\tzh\theadlines,weather,notices,photos"
        ),
        "{listing}"
    );
    assert!(listing.contains("303\t2026-11-30\tdeliver\t07:45 Europe/London\ten\tweather,notices"));
    // New York's 07:30 today is still ahead; yesterday's is past the window (missed).
    assert!(!listing.contains("302\t2026-11-30"), "{listing}");
    assert!(listing.contains("302\t2026-11-29\tmissed"), "{listing}");
    assert!(
        listing
            .contains("would make 2 deliveries (a line per chat and edition), record 1 as missed")
    );
    assert_eq!(
        fake.calls_to("sendMessage").len(),
        0,
        "a dry run sends nothing"
    );

    let run = deliver(&[]);
    let summary = String::from_utf8_lossy(&run.stderr).to_string();
    eprintln!("{summary}");
    assert!(run.status.success(), "{summary}");
    assert!(
        summary.contains("planned: 2 queued, 1 missed, of 3 subscribers"),
        "{summary}"
    );
    assert!(
        summary.contains("this run: sent: 2 · failed: 0"),
        "{summary}"
    );
    assert_eq!(fake.sends_to(301).len(), 1);
    assert_eq!(fake.sends_to(303).len(), 1);
    assert!(fake.sends_to(302).is_empty());

    // Running it again delivers nothing twice.
    let again = deliver(&[]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("planned: 0 queued"));
    assert_eq!(fake.calls_to("sendMessage").len(), 2);

    // A re-run of a day without its digest is refused with a clear message.
    let past = deliver(&["--date", "2026-10-01"]);
    assert!(!past.status.success());
    assert!(String::from_utf8_lossy(&past.stderr).contains("no digest is stored for 2026-10-01"));
    let bad = deliver(&["--date", "2026-13-45"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date like"));
}

/// What two `serve` instances on one PostgreSQL database start from: the schema (with
/// `count` residents due at 07:30 London), a fake enforcing Telegram's limits, and a data
/// folder each.
struct Pair {
    pg: crate::support::postgres::PgSchema,
    fake: FakeTelegram,
    data_a: tempfile::TempDir,
    data_b: tempfile::TempDir,
}

/// The variables both instances of a [`Pair`] start with: the test's own and the store's.
fn pair_env(pg: &crate::support::postgres::PgSchema) -> Vec<(&'static str, &str)> {
    let mut vars = env();
    vars.extend_from_slice(&pg.store_vars());
    vars
}

impl Pair {
    /// `None` (and a SKIPPED line) without PostgreSQL.
    async fn on_postgres(test: &str, count: i64) -> Option<Self> {
        let pg = crate::support::postgres::PgSchema::new(test)?;
        let fake = FakeTelegram::start().await;
        fake.enforce_limits(Some(RateLimits::TELEGRAM));
        let (data_a, data_b) = (
            tempfile::tempdir().expect("tempdir"),
            tempfile::tempdir().expect("tempdir"),
        );
        crowd(data_a.path(), count, &pg.store_vars());
        Some(Self {
            pg,
            fake,
            data_a,
            data_b,
        })
    }
}

/// Two `serve` instances on one PostgreSQL database: the first leads, the second stands by
/// (its /healthz says so, 503). `kill -9` of the leader in the middle of a broadcast to
/// 1,000 residents: the standby takes over within the lease (3 s here) and finishes it;
/// nobody is lost, duplicates stay within the in-flight bound; the old leader, restarted,
/// stays a standby.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_standby_finishes_the_broadcast_of_a_killed_leader() {
    const COUNT: i64 = 1_000;
    let Some(Pair {
        pg,
        fake,
        data_a,
        data_b,
    }) = Pair::on_postgres("failover", COUNT).await
    else {
        return;
    };
    let mut base = pair_env(&pg);
    base.push((
        "NEWSBOT_LOG",
        "warn,newsbot::program=info,newsbot::app::leadership=info",
    ));
    let vars = |instance| instance_vars(&base, instance);
    let mut a = BotProcess::start(&fake, data_a.path(), &vars("a"));
    a.listening_on("metrics").await;
    fake.wait_until(WAIT, "the leader's first sends", |f| {
        (!sends_per_chat(f).is_empty()).then_some(())
    })
    .await;
    let mut b = BotProcess::start(&fake, data_b.path(), &vars("b"));
    let b_health = b.listening_on("metrics").await;
    let standby = reqwest::get(format!("http://{b_health}/healthz"))
        .await
        .expect("healthz");
    assert_eq!(standby.status().as_u16(), 503, "a standby is not ready");
    let report: serde_json::Value = standby.json().await.expect("json");
    assert_eq!(report["role"], "standby", "{report}");
    assert_eq!(report["instance"], "b", "{report}");

    fake.wait_until(Duration::from_secs(120), "a third of the broadcast", |f| {
        (sends_per_chat(f).len() >= 300).then_some(())
    })
    .await;
    a.kill_9();
    let killed_at = std::time::Instant::now();
    let at_kill = fake.calls_to("sendMessage").len();
    fake.wait_until(Duration::from_secs(60), "the standby's first send", |f| {
        (f.calls_to("sendMessage").len() > at_kill + IN_FLIGHT_BOUND).then_some(())
    })
    .await;
    let takeover = killed_at.elapsed();
    eprintln!("failover: first sends by the new leader {takeover:?} after kill -9 (lease 3 s)");
    assert!(
        takeover < Duration::from_secs(10),
        "took over after {takeover:?}"
    );
    fake.wait_until(Duration::from_secs(120), "every resident's digest", |f| {
        (sends_per_chat(f).len() >= COUNT as usize).then_some(())
    })
    .await;
    // The old leader comes back and stands by: the lease is the new leader's.
    let mut again = BotProcess::start(&fake, data_a.path(), &vars("a"));
    let again_health = again.listening_on("metrics").await;
    let report: serde_json::Value = reqwest::get(format!("http://{again_health}/healthz"))
        .await
        .expect("healthz")
        .json()
        .await
        .expect("json");
    assert_eq!(report["role"], "standby", "{report}");
    b.stop().await;
    again.stop().await;
    assert_nothing_left_with(data_b.path(), "2026-11-30", &pg.store_vars());
    let sends = sends_per_chat(&fake);
    assert_eq!(sends.len(), COUNT as usize, "every resident got the digest");
    let duplicates: usize = sends.values().map(|n| n - 1).sum();
    eprintln!(
        "duplicates across the failover: {duplicates}; 429s: {}",
        fake.rate_limited()
    );
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates, more than the bound {IN_FLIGHT_BOUND}"
    );
}

/// A leader frozen (SIGSTOP) longer than its lease, in the middle of a broadcast: the standby
/// takes over and finishes it; the frozen one, woken, sends nothing more than what it had in
/// flight (its lease ran out by its own clock) and exits when it learns it lost the lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_frozen_leader_sends_nothing_when_it_wakes() {
    const COUNT: i64 = 600;
    let Some(Pair {
        pg,
        fake,
        data_a,
        data_b,
    }) = Pair::on_postgres("frozen_leader", COUNT).await
    else {
        return;
    };
    let base = pair_env(&pg);
    let vars = |instance| instance_vars(&base, instance);
    let mut a = BotProcess::start(&fake, data_a.path(), &vars("a"));
    a.listening_on("metrics").await;
    fake.wait_until(WAIT, "the leader's first sends", |f| {
        (!sends_per_chat(f).is_empty()).then_some(())
    })
    .await;
    let mut b = BotProcess::start(&fake, data_b.path(), &vars("b"));
    b.listening_on("metrics").await;
    fake.wait_until(
        Duration::from_secs(120),
        "a quarter of the broadcast",
        |f| (sends_per_chat(f).len() >= 150).then_some(()),
    )
    .await;
    a.freeze();
    let at_freeze = fake.calls_to("sendMessage").len();
    fake.wait_until(Duration::from_secs(60), "the standby's sends", |f| {
        (f.calls_to("sendMessage").len() > at_freeze + 2 * IN_FLIGHT_BOUND).then_some(())
    })
    .await;
    a.thaw();
    let mut exited = None;
    for _ in 0..200 {
        exited = a.exit_status();
        if exited.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exited = exited.expect("the woken leader stops within ten seconds");
    assert_eq!(exited.code(), Some(1), "it lost the lease: {exited:?}");
    fake.wait_until(Duration::from_secs(120), "every resident's digest", |f| {
        (sends_per_chat(f).len() >= COUNT as usize).then_some(())
    })
    .await;
    b.stop().await;
    let sends = sends_per_chat(&fake);
    assert_eq!(sends.len(), COUNT as usize, "every resident got the digest");
    let duplicates: usize = sends.values().map(|n| n - 1).sum();
    eprintln!("frozen leader: {duplicates} duplicates");
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates, more than the bound {IN_FLIGHT_BOUND}"
    );
}
