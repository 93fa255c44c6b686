//! The store: one contract run against sled (a temporary database and one on disk) and
//! PostgreSQL (a schema of the test's own, when `NEWSBOT_TEST_DATABASE_URL` is set), plus
//! restart durability, the outbox's kept count, the newsroom's transaction, digests by date
//! and the JSON Lines way out and back in.

use chrono::{NaiveDate, TimeZone, Utc};
use newsbot::core::digest::Digest;
use newsbot::core::subscriber::{ChatKind, DeliveryTime, Status, Subscriber, SubscriberId, Topic};
use newsbot::edge::store::Store;

use crate::support::postgres::PgSchema;

fn subscriber(id: i64) -> Subscriber {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 29, 0, 0, 0)
        .single()
        .expect("time");
    Subscriber::new(SubscriberId(id), ChatKind::Private, now)
}

fn digest(day: u32) -> Digest {
    Digest {
        edition: format!("edition {day}"),
        date: NaiveDate::from_ymd_opt(2026, 11, day).expect("date"),
        headlines: vec![],
        weather: None,
        notices: vec![],
        photos: vec![],
    }
}

async fn store_contract(store: &Store) {
    assert_eq!(store.subscriber(SubscriberId(1)).expect("read"), None);
    let mut alice = subscriber(1);
    let group = Subscriber {
        kind: ChatKind::Supergroup,
        ..subscriber(-1_001_234)
    };
    store.save_subscriber(&alice).await.expect("save");
    store.save_subscriber(&group).await.expect("save group");
    assert_eq!(
        store.subscriber(SubscriberId(1)).expect("read"),
        Some(alice.clone())
    );
    let ids: Vec<i64> = store
        .subscribers()
        .expect("all")
        .iter()
        .map(|s| s.id.0)
        .collect();
    assert_eq!(
        ids,
        vec![-1_001_234, 1],
        "chat ids in numeric order, negative first"
    );

    let eight = DeliveryTime::parse("08:15").expect("time");
    alice.delivery = eight;
    alice.toggle(Topic::Weather);
    store.save_subscriber(&alice).await.expect("update");
    assert_eq!(
        store
            .subscriber(SubscriberId(1))
            .expect("read")
            .map(|s| s.delivery),
        Some(eight)
    );

    assert!(
        store
            .delete_subscriber(SubscriberId(1))
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_subscriber(SubscriberId(1))
            .await
            .expect("delete twice")
    );
    assert!(store.subscriber(SubscriberId(1)).expect("read").is_none());

    for day in [28, 29, 27] {
        store.put_digest(&digest(day)).await.expect("digest");
    }
    let recent: Vec<u32> = store
        .recent_digests(2)
        .expect("recent")
        .iter()
        .map(|d| d.date.format("%d").to_string().parse().unwrap_or(0))
        .collect();
    assert_eq!(recent, vec![29, 28]);
    assert_eq!(
        store.latest_digest().expect("latest").map(|d| d.edition),
        Some("edition 29".to_owned())
    );
    assert_eq!(
        store
            .digest(NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"))
            .expect("by date"),
        Some(digest(27))
    );
}

/// The contract, then a stopped subscriber: what a restart must still hold.
async fn write_before_a_restart(store: &Store) {
    store_contract(store).await;
    let mut bob = subscriber(2);
    bob.status = Status::Stopped;
    store.save_subscriber(&bob).await.expect("save");
}

/// What [`write_before_a_restart`] left, read by a restarted store.
fn holds_what_was_written_before_the_restart(reopened: &Store) {
    assert_eq!(
        reopened
            .subscriber(SubscriberId(2))
            .expect("read")
            .map(|s| s.status),
        Some(Status::Stopped)
    );
    assert_eq!(
        reopened
            .latest_digest()
            .expect("latest")
            .map(|d| d.date.to_string()),
        Some("2026-11-29".to_owned())
    );
}

#[tokio::test]
async fn temporary_store_keeps_the_contract() {
    store_contract(&Store::temporary().expect("store")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_keeps_the_contract_and_survives_a_restart() {
    let Some(pg) = PgSchema::new("store_contract") else {
        return;
    };
    {
        let store = pg.store();
        assert!(store.is_shared());
        write_before_a_restart(&store).await;
    }
    // Another pool, as a restarted process: the migrations are not applied twice.
    let reopened = pg.store();
    holds_what_was_written_before_the_restart(&reopened);
}

#[tokio::test]
async fn store_on_disk_keeps_the_contract_and_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).expect("open");
        write_before_a_restart(&store).await;
    }
    // sled's background flusher may hold the file lock for a moment after the last handle
    // is dropped; a restarted process never sees this, an in-process reopen can.
    let mut reopened = Store::open(&path);
    for _ in 0..100 {
        if reopened.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        reopened = Store::open(&path);
    }
    let reopened = reopened.expect("reopen");
    holds_what_was_written_before_the_restart(&reopened);
}

#[tokio::test]
async fn export_and_import_round_trip_and_report_bad_lines() {
    let source = Store::temporary().expect("store");
    for id in [3, 1, 2] {
        source.save_subscriber(&subscriber(id)).await.expect("save");
    }
    let mut lines = Vec::new();
    assert_eq!(
        source.export_subscribers(&mut lines).expect("export"),
        (3, 0)
    );
    let mut text = String::from_utf8(lines).expect("utf-8");
    text.push_str("not json\n{\"version\": 99}\n");
    let target = Store::temporary().expect("store");
    let report = target
        .import_subscribers(&text, |_| Ok(()))
        .await
        .expect("import");
    assert_eq!(report.imported, 3);
    assert_eq!(report.problems.len(), 2);
    assert!(report.problems[0].starts_with("line 4:"));
    assert_eq!(
        target.subscribers().expect("all"),
        source.subscribers().expect("all")
    );
}

#[tokio::test]
async fn a_record_from_a_newer_program_is_refused_not_misread() {
    let store = Store::temporary().expect("store");
    let mut future = serde_json::to_value(subscriber(9)).expect("json");
    future["version"] = serde_json::json!(99);
    let report = store
        .import_subscribers(&future.to_string(), |_| Ok(()))
        .await
        .expect("import");
    assert_eq!(report.imported, 0);
    assert!(
        report.problems[0].contains("version 99"),
        "{:?}",
        report.problems
    );
}

/// A version-1 record exactly as `newsbot subscribers export` wrote it before deliveries
/// existed: imports keep reading it.
const VERSION_1_EXPORT: &str = r#"{"version":1,"id":4242,"kind":"private","lang":"zh","delivery":"08:15","tz":"Europe/London","topics":["headlines","notices","photos","breaking"],"paused_until":null,"status":"active","created_at":"2026-11-29T01:00:00Z"}
{"version":1,"id":-1001,"kind":"supergroup","lang":"en","delivery":"07:00","tz":"Asia/Shanghai","topics":["weather"],"paused_until":"2026-12-05T00:00:00Z","status":"active","created_at":"2026-11-28T09:30:00Z"}
"#;

#[tokio::test]
async fn version_one_exports_still_import() {
    let store = Store::temporary().expect("store");
    let report = store
        .import_subscribers(VERSION_1_EXPORT, |_| Ok(()))
        .await
        .expect("import");
    assert_eq!(report.imported, 2, "{:?}", report.problems);
    let resident = store
        .subscriber(newsbot::core::subscriber::SubscriberId(4242))
        .expect("read")
        .expect("imported");
    assert_eq!(resident.delivery.to_string(), "08:15");
    assert_eq!(resident.tz.name(), "Europe/London");
    let mut out = Vec::new();
    store.export_subscribers(&mut out).expect("export");
    let exported = String::from_utf8(out).expect("utf-8");
    let mut lines: Vec<&str> = VERSION_1_EXPORT.lines().collect();
    lines.sort_unstable();
    let mut again: Vec<&str> = exported.lines().collect();
    again.sort_unstable();
    assert_eq!(again, lines, "export writes version 1 byte for byte");
}

/// The outbox's length is a count kept as jobs come and go, not a scan: it matches the jobs
/// through enqueues (twice is once), finishes and a reopening.
#[tokio::test]
async fn the_outbox_count_follows_its_jobs_and_survives_a_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    outbox_contract(|| Store::open(dir.path()).expect("open")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outbox_count_follows_its_jobs_and_survives_a_reopening() {
    let Some(pg) = PgSchema::new("outbox_contract") else {
        return;
    };
    outbox_contract(|| pg.store()).await;
}

/// Jobs enqueued once each, finished once, counted across a reopening of `open`'s store.
async fn outbox_contract(open: impl Fn() -> Store) {
    use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
    use newsbot::edge::store::Priority;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("time");
    let date = now.date_naive();
    {
        let store = open();
        for id in 1..=3 {
            let record =
                DeliveryRecord::new(date, SubscriberId(id), DeliveryState::Pending, now, now);
            assert!(
                store
                    .enqueue_delivery(&record, Priority::Digest)
                    .expect("enqueue")
            );
            assert!(
                !store
                    .enqueue_delivery(&record, Priority::Digest)
                    .expect("again")
            );
        }
        let missed = DeliveryRecord::new(date, SubscriberId(4), DeliveryState::Missed, now, now);
        store
            .enqueue_delivery(&missed, Priority::Digest)
            .expect("missed");
        assert_eq!(store.outbox_len(), 3, "a missed delivery has no job");
        let jobs = store.outbox_jobs(10, |_| false).expect("jobs");
        assert_eq!(jobs.len(), 3);
        let mut done = DeliveryRecord::new(date, jobs[0].chat, DeliveryState::Sent, now, now);
        done.message_ids = vec![1];
        store.finish_delivery(&jobs[0], &done).expect("finish");
        store
            .finish_delivery(&jobs[0], &done)
            .expect("finish twice");
        assert_eq!(store.outbox_len(), 2);
        // The planner's batch: each record written only where absent, with its job; a missed
        // one without; one already recorded left as it is (and no second job for it).
        let batch: Vec<DeliveryRecord> = [
            (5, DeliveryState::Pending),
            (6, DeliveryState::Pending),
            (7, DeliveryState::Missed),
            (2, DeliveryState::Pending),
        ]
        .into_iter()
        .map(|(id, state)| DeliveryRecord::new(date, SubscriberId(id), state, now, now))
        .collect();
        let added = store
            .enqueue_unrecorded_deliveries(&batch, Priority::Digest)
            .expect("batch");
        assert_eq!(added, vec![true, true, true, false]);
        assert_eq!(
            store.outbox_len(),
            4,
            "two new jobs, none for the missed one"
        );
        let again = store
            .enqueue_unrecorded_deliveries(&batch, Priority::Digest)
            .expect("batch again");
        assert_eq!(again, vec![false; 4], "twice is once");
        assert_eq!(store.outbox_len(), 4);
        // The worker's first read: the record and the subscriber together.
        store.save_subscriber(&subscriber(5)).await.expect("save");
        let (record, reader) = store
            .delivery_and_subscriber(date, SubscriberId(5))
            .expect("read both");
        assert_eq!(record.map(|r| r.state), Some(DeliveryState::Pending));
        assert_eq!(reader.map(|s| s.id), Some(SubscriberId(5)));
        let (record, reader) = store
            .delivery_and_subscriber(date, SubscriberId(7))
            .expect("read both");
        assert_eq!(record.map(|r| r.state), Some(DeliveryState::Missed));
        assert!(reader.is_none());
        let jobs = store.outbox_jobs(10, |_| false).expect("jobs");
        let five = jobs
            .iter()
            .find(|j| j.chat == SubscriberId(5))
            .expect("job of 5");
        let mut done = DeliveryRecord::new(date, five.chat, DeliveryState::Sent, now, now);
        done.message_ids = vec![5];
        store.finish_delivery(five, &done).expect("finish 5");
        assert_eq!(store.outbox_len(), 3);
        assert_eq!(
            store
                .delivery(date, SubscriberId(5))
                .expect("read")
                .map(|r| (r.state, r.message_ids)),
            Some((DeliveryState::Sent, vec![5]))
        );
        store.flush().await.expect("flush");
    }
    let store = open();
    assert_eq!(store.outbox_len(), 3);
    // As a restarted leader does: the jobs the stopped one had claimed are this one's now.
    store.take_over_outbox().expect("take over");
    assert_eq!(store.outbox_jobs(10, |_| false).expect("jobs").len(), 3);
}

/// Two workers on one PostgreSQL database never take the same job: each job is claimed by
/// one (`FOR UPDATE SKIP LOCKED`), a claim given up is taken again, a new leader takes over
/// a dead one's claims, and two workers racing job by job share the outbox without overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outbox_jobs_are_claimed_by_one_worker_at_a_time() {
    use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
    use newsbot::edge::store::Priority;
    use std::collections::BTreeSet;
    let Some(pg) = PgSchema::new("outbox_claims") else {
        return;
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("time");
    let (a, b) = (pg.store(), pg.store());
    let records: Vec<DeliveryRecord> = (1..=5)
        .map(|id| {
            DeliveryRecord::new(
                now.date_naive(),
                SubscriberId(id),
                DeliveryState::Pending,
                now,
                now,
            )
        })
        .collect();
    a.enqueue_unrecorded_deliveries(&records, Priority::Digest)
        .expect("enqueue");
    let chats = |jobs: &[newsbot::edge::store::OutboxJob]| -> BTreeSet<i64> {
        jobs.iter().map(|j| j.chat.0).collect()
    };
    let first = a.outbox_jobs(3, |_| false).expect("a claims");
    let second = b.outbox_jobs(10, |_| false).expect("b claims");
    assert_eq!(chats(&first), BTreeSet::from([1, 2, 3]), "in outbox order");
    assert_eq!(
        chats(&second),
        BTreeSet::from([4, 5]),
        "only what a did not take"
    );
    assert!(b.outbox_jobs(10, |_| false).expect("b again").is_empty());
    assert!(a.outbox_jobs(10, |_| false).expect("a again").is_empty());
    a.release_job(&first[0].key).expect("release");
    assert_eq!(
        chats(&b.outbox_jobs(10, |_| false).expect("b after release")),
        BTreeSet::from([1])
    );
    // a stops; b leads now and takes over a's two claims.
    assert_eq!(b.take_over_outbox().expect("take over"), 2);
    assert_eq!(
        chats(&b.outbox_jobs(10, |_| false).expect("b after take-over")),
        BTreeSet::from([2, 3])
    );
    assert_eq!(
        b.renew_outbox_claims().expect("renew"),
        5,
        "b holds all five"
    );
    // Two fresh workers race, one job at a time, after a third leader freed b's claims.
    let (c, d) = (pg.store(), pg.store());
    assert_eq!(c.take_over_outbox().expect("c takes over"), 5);
    let race = |store: Store| {
        std::thread::spawn(move || {
            let mut mine = Vec::new();
            for _ in 0..10 {
                let jobs = store.outbox_jobs(1, |_| false).expect("claim");
                mine.extend(jobs.iter().map(|j| j.chat.0));
            }
            mine
        })
    };
    let (from_c, from_d) = (race(c), race(d));
    let (from_c, from_d) = (from_c.join().expect("c"), from_d.join().expect("d"));
    let mut all: Vec<i64> = from_c.iter().chain(&from_d).copied().collect();
    all.sort_unstable();
    assert_eq!(
        all,
        vec![1, 2, 3, 4, 5],
        "each job taken once: {from_c:?} {from_d:?}"
    );
}

/// A preview confirmed twice (a double tap, two editors) makes one notice, on either engine.
async fn newsroom_contract(store: &Store) {
    use newsbot::core::digest::Lang;
    use newsbot::edge::store::Confirmation;
    let at = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("time");
    let draft = store
        .create_draft(7, "停水通知", Lang::Zh, (&[], at))
        .await
        .expect("draft");
    let first = store
        .confirm_draft(draft.id, (7, 1), at)
        .await
        .expect("confirm");
    let Confirmation::Confirmed(notice) = first else {
        panic!("confirmed: {first:?}");
    };
    assert_eq!(notice.number, 1);
    let again = store
        .confirm_draft(draft.id, (7, 1), at)
        .await
        .expect("confirm again");
    assert!(
        matches!(again, Confirmation::AlreadyConfirmed(1)),
        "{again:?}"
    );
    let second = store
        .create_draft(7, "停电通知", Lang::Zh, (&[], at))
        .await
        .expect("draft");
    assert!(second.id > draft.id, "ids increase");
    let Confirmation::Confirmed(next) = store
        .confirm_draft(second.id, (7, 2), at)
        .await
        .expect("confirm")
    else {
        panic!("the second preview is confirmed");
    };
    assert_eq!(next.number, 2);
    assert_eq!(
        store.latest_notice().expect("latest").map(|n| n.number),
        Some(2)
    );
}

#[tokio::test]
async fn the_newsroom_transaction_holds_on_sled() {
    newsroom_contract(&Store::temporary().expect("store")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newsroom_transaction_holds_on_postgres() {
    let Some(pg) = PgSchema::new("newsroom_contract") else {
        return;
    };
    newsroom_contract(&pg.store()).await;
}

/// A record whose time zone is not a zone would be accepted and then never delivered: import
/// names its line and rejects it, and keeps the others.
#[tokio::test]
async fn an_imported_record_with_an_unknown_time_zone_is_rejected_by_line() {
    let store = Store::temporary().expect("store");
    let mut good = serde_json::to_value(subscriber(5)).expect("json");
    good["tz"] = serde_json::json!("Europe/London");
    let mut bad = serde_json::to_value(subscriber(6)).expect("json");
    bad["tz"] = serde_json::json!("Mars/Base");
    let report = store
        .import_subscribers(&format!("{good}\n{bad}\n"), |_| Ok(()))
        .await
        .expect("import");
    assert_eq!(report.imported, 1);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0].starts_with("line 2:") && report.problems[0].contains("Mars/Base"),
        "{:?}",
        report.problems
    );
    assert!(store.subscriber(SubscriberId(6)).expect("read").is_none());
}

/// An export that cannot be written (a full disk, a closed pipe) says so, and is not
/// reported as a database failure.
#[tokio::test]
async fn an_export_that_cannot_be_written_is_a_write_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let store = Store::temporary().expect("store");
    store.save_subscriber(&subscriber(1)).await.expect("save");
    let err = store
        .export_subscribers(&mut Full)
        .expect_err("cannot write");
    assert!(
        matches!(err, newsbot::edge::store::StoreError::Write(_)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "could not write the export");
}

/// `newsbot store copy` moves a stopped sled deployment to PostgreSQL: every record there
/// and verified, the same answers read back, and a second run (a resumed one) still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_copy_moves_a_sled_deployment_to_postgres() {
    use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
    use newsbot::edge::store::Priority;
    let Some(pg) = PgSchema::new("store_copy") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("time");
    {
        let store = Store::open(&path).expect("open");
        let many: Vec<Subscriber> = (1..=1_500).map(subscriber).collect();
        store.save_subscribers(&many).await.expect("save");
        for day in [28, 29] {
            store.put_digest(&digest(day)).await.expect("digest");
        }
        for id in 1..=40 {
            let record = DeliveryRecord::new(
                now.date_naive(),
                SubscriberId(id),
                DeliveryState::Pending,
                now,
                now,
            );
            store
                .enqueue_delivery(&record, Priority::Digest)
                .expect("enqueue");
        }
        newsroom_contract(&store).await;
        store.flush().await.expect("flush");
    }
    // sled may hold its lock a moment after the last handle goes.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let copy = |extra: &[&str]| {
        let mut args = vec![
            "store".to_owned(),
            "copy".to_owned(),
            "--from".to_owned(),
            format!("sled:{}", path.display()),
            "--to".to_owned(),
            pg.url.clone(),
            "--schema".to_owned(),
            pg.schema.clone(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        std::process::Command::new(env!("CARGO_BIN_EXE_newsbot"))
            .args(&args)
            .env_clear()
            .output()
            .expect("newsbot ran")
    };
    let first = copy(&[]);
    let said = String::from_utf8_lossy(&first.stdout).into_owned();
    let log = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(first.status.success(), "{said}\n{log}");
    assert!(said.starts_with("copied and verified: "), "{said}");
    assert!(log.contains("subscribers: 1500 records"), "{log}");
    // The URL is never printed (it may hold a password).
    assert!(!log.contains(&pg.url) && !said.contains(&pg.url));

    let moved = pg.store();
    assert_eq!(moved.subscribers().expect("all").len(), 1_500);
    assert_eq!(
        moved.latest_digest().expect("latest").map(|d| d.edition),
        Some("edition 29".to_owned())
    );
    assert_eq!(moved.outbox_len(), 40);
    assert_eq!(
        moved.latest_notice().expect("notice").map(|n| n.number),
        Some(2)
    );
    // Again, as after an interrupted run: verified, nothing lost.
    let again = copy(&[]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // The id counter moved past sled's: a new preview gets a fresh id.
    let draft = moved
        .create_draft(7, "新通知", newsbot::core::digest::Lang::Zh, (&[], now))
        .await
        .expect("draft");
    assert!(moved.draft(draft.id).expect("read").is_some());
    // A target holding more than the source is not called a copy.
    let grown = copy(&[]);
    assert!(!grown.status.success());
    assert!(
        String::from_utf8_lossy(&grown.stderr)
            .contains("tree drafts: 2 entries in the source, 3 in the target"),
        "{}",
        String::from_utf8_lossy(&grown.stderr)
    );
    drop(moved);
    // A target that is not a database is refused with a clear message.
    let wrong = std::process::Command::new(env!("CARGO_BIN_EXE_newsbot"))
        .args([
            "store",
            "copy",
            "--from",
            "sled:/nonexistent/db",
            "--to",
            "mysql://x",
        ])
        .env_clear()
        .output()
        .expect("newsbot ran");
    assert!(!wrong.status.success());
}
