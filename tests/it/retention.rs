//! Retention: the prune removes exactly what is older than the kept windows (ledger records,
//! digests, finished notices with their copies, previews, uploads, audit entries), keeps
//! everything younger and anything a recall or correction still needs, works in batches, runs
//! once a day, and `newsbot prune` does the same from the command line.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use newsbot::app::retention::{PruneOutcome, prune_old_records};
use newsbot::core::digest::{Digest, Lang};
use newsbot::core::ledger::{DeliveryRecord, DeliveryState};
use newsbot::core::newsroom::{AuditEntry, NoticeState};
use newsbot::core::retention::Retention;
use newsbot::core::subscriber::SubscriberId;
use newsbot::edge::store::{Confirmation, Priority, Store};
use tokio_util::sync::CancellationToken;

use crate::support::process::run_newsbot;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(4, 0, 0).expect("time"))
}

fn digest(date: NaiveDate) -> Digest {
    Digest {
        edition: format!("edition {date}"),
        date,
        headlines: vec![],
        weather: None,
        notices: vec![],
        photos: vec![],
    }
}

/// Today, with 90 days kept: 2026-09-07 is the first day kept, 2026-09-06 the last pruned.
const TODAY: &str = "2026-12-05";
const FIRST_KEPT: &str = "2026-09-07";
const LAST_PRUNED: &str = "2026-09-06";

async fn deliver(store: &Store, date: NaiveDate, chats: i64) {
    for chat in 1..=chats {
        let record = DeliveryRecord::new(
            date,
            SubscriberId(chat),
            DeliveryState::Sent,
            noon(date),
            noon(date),
        );
        assert!(
            store
                .enqueue_delivery(&record, Priority::Digest)
                .expect("ledger")
        );
    }
}

/// A notice confirmed at `at`, sent to `chats` chats, finished unless `open`.
async fn notice(store: &Store, at: DateTime<Utc>, chats: i64, finished: bool) -> u64 {
    let draft = store
        .create_draft(7, "停水通知", Lang::Zh, (&[], at))
        .await
        .expect("draft");
    let Confirmation::Confirmed(notice) = store
        .confirm_draft(draft.id, (7, 1), at)
        .await
        .expect("confirm")
    else {
        panic!("not confirmed");
    };
    for chat in 1..=chats {
        let mut copy = DeliveryRecord::new(
            at.date_naive(),
            SubscriberId(chat),
            DeliveryState::Sent,
            at,
            at,
        );
        copy.notice = Some(notice.number);
        copy.message_ids = vec![100 + i32::try_from(chat).expect("small")];
        store
            .enqueue_delivery(&copy, Priority::Urgent)
            .expect("copy");
    }
    if finished {
        store
            .update_notice(notice.number, |n| n.state = NoticeState::Sent)
            .await
            .expect("finish");
    }
    notice.number
}

/// The default retention's prune on `today` at `now`, run to the end.
async fn prune_on(store: &Store, today: NaiveDate, now: DateTime<Utc>) -> PruneOutcome {
    prune_old_records(
        store,
        Retention::default(),
        today,
        now,
        &CancellationToken::new(),
    )
    .await
    .expect("prune")
}

async fn audit(store: &Store, at: DateTime<Utc>, action: &str) {
    store
        .audit(&AuditEntry {
            editions: Vec::new(),
            at,
            editor: 7,
            action: action.to_owned(),
            notice: None,
            detail: String::new(),
        })
        .await
        .expect("audit");
}

#[tokio::test]
async fn the_prune_removes_what_is_older_than_the_windows_and_keeps_the_rest() {
    let store = Store::temporary().expect("store");
    let (old, kept) = (day(LAST_PRUNED), day(FIRST_KEPT));
    deliver(&store, old, 30).await;
    deliver(&store, old.pred_opt().expect("day"), 30).await;
    deliver(&store, kept, 20).await;
    store.put_digest(&digest(old)).await.expect("digest");
    store.put_digest(&digest(kept)).await.expect("digest");
    let old_notice = notice(&store, noon(old), 5, true).await;
    let unfinished_old_notice = notice(&store, noon(old), 3, false).await;
    let kept_notice = notice(&store, noon(kept), 4, true).await;
    let old_upload = store
        .create_upload(7, "旧版面", noon(old))
        .await
        .expect("upload");
    let kept_upload = store
        .create_upload(7, "新版面", noon(kept))
        .await
        .expect("upload");
    let now = noon(day(TODAY));
    audit(&store, now - Duration::days(731), "preview").await;
    audit(&store, now - Duration::days(729), "confirm").await;

    let outcome = prune_on(&store, day(TODAY), now).await;
    assert!(outcome.finished);
    let removed = outcome.removed;
    assert_eq!(removed.ledger, 60, "two old days of 30 chats");
    assert_eq!(removed.digests, 1);
    assert_eq!((removed.notices, removed.copies), (1, 5));
    // The old notice's and the unfinished one's previews, and the old upload.
    assert_eq!((removed.drafts, removed.uploads), (2, 1));
    assert_eq!(removed.audit, 1);

    assert!(store.deliveries_on(old).expect("read").is_empty());
    assert_eq!(store.deliveries_on(kept).expect("read").len(), 20);
    assert!(store.digest(old).expect("read").is_none());
    assert!(store.digest(kept).expect("read").is_some());
    assert!(store.notice(old_notice).expect("read").is_none());
    assert!(store.notice_copies(old_notice).expect("read").is_empty());
    // A notice whose broadcast has not finished is never pruned: its copies may still be
    // recalled.
    assert!(store.notice(unfinished_old_notice).expect("read").is_some());
    assert_eq!(
        store
            .notice_copies(unfinished_old_notice)
            .expect("read")
            .len(),
        3
    );
    assert_eq!(store.notice_copies(kept_notice).expect("read").len(), 4);
    assert!(store.upload(old_upload.id).expect("read").is_none());
    assert!(store.upload(kept_upload.id).expect("read").is_some());
    let audit: Vec<String> = store
        .recent_audit(10)
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audit, ["confirm"]);
    assert_eq!(store.last_prune().expect("meta"), Some(day(TODAY)));

    // A second prune the same day finds nothing.
    let again = prune_on(&store, day(TODAY), now).await;
    assert_eq!(again.removed.total(), 0);
    assert_eq!(
        (again.sealed, again.batches),
        (0, 2),
        "one pass to prune, one to seal"
    );
}

#[tokio::test]
async fn a_sealed_day_reads_the_same_and_a_later_change_wins() {
    let store = Store::temporary().expect("store");
    let date = day("2026-11-20");
    let chats: Vec<i64> = (1..=2_500).chain([-1_001_234_567, -42]).collect();
    for (n, &chat) in chats.iter().enumerate() {
        let state = match n % 50 {
            0 => DeliveryState::Pending,
            1 => DeliveryState::Blocked,
            2 => DeliveryState::Missed,
            _ => DeliveryState::Sent,
        };
        let mut record =
            DeliveryRecord::new(date, SubscriberId(chat), state, noon(date), noon(date));
        record.message_ids = vec![i32::try_from(n).expect("small")];
        store
            .enqueue_delivery(&record, Priority::Digest)
            .expect("ledger");
    }
    let before = store.deliveries_on(date).expect("read");
    assert_eq!(before.len(), chats.len());
    let outcome = prune_on(&store, day(TODAY), noon(day(TODAY))).await;
    let pending = chats.len().div_ceil(50);
    assert_eq!(
        outcome.sealed,
        chats.len() - pending,
        "pending records stay loose"
    );
    assert_eq!(
        store.deliveries_on(date).expect("read"),
        before,
        "same records, same order"
    );
    for record in &before {
        assert_eq!(
            store.delivery(date, record.chat).expect("read").as_ref(),
            Some(record)
        );
        assert!(store.has_delivery(date, record.chat).expect("read"));
    }
    assert!(
        !store
            .has_delivery(date, SubscriberId(999_999))
            .expect("read")
    );
    // Planning the sealed day again adds nothing: the ledger still holds every chat.
    let again = DeliveryRecord::new(
        date,
        SubscriberId(7),
        DeliveryState::Pending,
        noon(date),
        noon(date),
    );
    assert!(
        !store
            .enqueue_delivery(&again, Priority::Digest)
            .expect("enqueue")
    );
    // A re-run writes a record loose; it is read instead of the sealed one, and the next seal
    // folds it in.
    let mut rerun = store
        .delivery(date, SubscriberId(7))
        .expect("read")
        .expect("record");
    rerun.state = DeliveryState::Failed;
    rerun.error = Some("re-run".to_owned());
    store.update_delivery(&rerun).expect("update");
    assert_eq!(
        store.delivery(date, SubscriberId(7)).expect("read"),
        Some(rerun.clone())
    );
    let tomorrow = day(TODAY).succ_opt().expect("day");
    let outcome = prune_on(&store, tomorrow, noon(tomorrow)).await;
    assert_eq!(outcome.sealed, 1);
    assert_eq!(
        store.delivery(date, SubscriberId(7)).expect("read"),
        Some(rerun)
    );
    assert_eq!(store.deliveries_on(date).expect("read").len(), chats.len());
    // Past the retention, the sealed day goes as a whole, counted by record.
    let late = date + Duration::days(90);
    let outcome = prune_on(&store, late, noon(late)).await;
    assert_eq!(outcome.removed.ledger, chats.len());
    assert!(store.deliveries_on(date).expect("read").is_empty());
}

#[tokio::test]
async fn a_big_backlog_is_pruned_in_several_batches_and_a_cancelled_prune_resumes() {
    let store = Store::temporary().expect("store");
    let first = day("2026-01-01");
    for offset in 0..3 {
        deliver(&store, first + Duration::days(offset), 1_500).await;
    }
    let now = noon(day(TODAY));
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let stopped = prune_old_records(&store, Retention::default(), day(TODAY), now, &cancelled)
        .await
        .expect("prune");
    assert!(!stopped.finished);
    assert_eq!(stopped.removed.total(), 0);
    assert_eq!(
        store.last_prune().expect("meta"),
        None,
        "not recorded as done"
    );

    let done = prune_on(&store, day(TODAY), now).await;
    assert_eq!(done.removed.ledger, 4_500);
    assert!(
        done.batches > 4_500 / newsbot::app::retention::PRUNE_BATCH,
        "{} batches",
        done.batches
    );
    for offset in 0..3 {
        assert!(
            store
                .deliveries_on(first + Duration::days(offset))
                .expect("read")
                .is_empty()
        );
    }
}

#[test]
fn newsbot_prune_prunes_the_database_named_by_the_settings() {
    let data = tempfile::tempdir().expect("tmp");
    {
        let store = Store::open(&data.path().join("db")).expect("store");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            deliver(&store, day("2026-11-01"), 3).await;
            deliver(&store, day("2026-12-01"), 2).await;
            store.flush().await.expect("flush");
        });
    }
    let out = run_newsbot(
        data.path(),
        &["prune"],
        &[
            ("NEWSBOT_CLOCK_START", "2026-12-05T04:00:00Z"),
            ("NEWSBOT_RETENTION_DAYS", "10"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("kept from 2026-11-26"), "{stdout}");
    assert!(stdout.contains("ledger: 3 "), "{stdout}");
    let store = Store::open(&data.path().join("db")).expect("reopen");
    assert!(
        store
            .deliveries_on(day("2026-11-01"))
            .expect("read")
            .is_empty()
    );
    assert_eq!(
        store.deliveries_on(day("2026-12-01")).expect("read").len(),
        2
    );

    let wrong = run_newsbot(data.path(), &["prune"], &[("NEWSBOT_RETENTION_DAYS", "0")]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("NEWSBOT_RETENTION_DAYS"),
        "a wrong window names its setting"
    );
}

#[tokio::test]
async fn each_editions_ledger_and_digests_are_sealed_and_pruned_apart() {
    let store = Store::temporary().expect("store");
    let haining = newsbot::core::edition_id::EditionId::parse("haining").expect("id");
    let other = store.for_edition(Some(&haining)).expect("view");
    let date = day("2026-11-20");
    // The same chats in both editions' ledgers, on the same day.
    for chat in 1..=300 {
        for (view, edition) in [(&store, None), (&other, Some(haining.clone()))] {
            let mut record = DeliveryRecord::new(
                date,
                SubscriberId(chat),
                DeliveryState::Sent,
                noon(date),
                noon(date),
            );
            record.edition = edition;
            record.message_ids = vec![i32::try_from(chat).expect("small")];
            assert!(
                view.enqueue_delivery(&record, Priority::Digest)
                    .expect("ledger")
            );
        }
    }
    store.put_digest(&digest(date)).await.expect("digest");
    let mut theirs = digest(date);
    theirs.edition = "海宁版".to_owned();
    other.put_digest(&theirs).await.expect("digest");
    let (mine_before, theirs_before) = (
        store.deliveries_on(date).expect("read"),
        other.deliveries_on(date).expect("read"),
    );
    assert_eq!((mine_before.len(), theirs_before.len()), (300, 300));
    let outcome = prune_on(&store, day(TODAY), noon(day(TODAY))).await;
    assert_eq!(outcome.sealed, 600, "both ledgers sealed");
    assert_eq!(store.deliveries_on(date).expect("read"), mine_before);
    assert_eq!(other.deliveries_on(date).expect("read"), theirs_before);
    assert_eq!(
        other
            .delivery(date, SubscriberId(7))
            .expect("read")
            .map(|r| (r.edition, r.message_ids)),
        Some((Some(haining.clone()), vec![7]))
    );
    assert_eq!(
        other.digest(date).expect("read").map(|d| d.edition),
        Some("海宁版".to_owned())
    );
    // Past the retention, both go, digests too.
    let late = date + Duration::days(90);
    let outcome = prune_on(&store, late, noon(late)).await;
    assert_eq!(outcome.removed.ledger, 600);
    assert_eq!(outcome.removed.digests, 2);
    assert!(other.deliveries_on(date).expect("read").is_empty());
    assert!(other.digest(date).expect("read").is_none());
}
