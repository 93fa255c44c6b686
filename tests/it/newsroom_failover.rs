//! A breaking notice across a failover: two real `serve` instances on one PostgreSQL
//! database against the fake Bot API (enforcing Telegram's limits); the leader is killed
//! with `kill -9` while the notice is going out, the standby takes over and finishes it, and
//! the editor's receipt arrives once. Skipped (with a SKIPPED line) without PostgreSQL.

use std::time::Duration;

use fake_telegram::FakeTelegram;

use crate::newsroom::{
    EDITOR, confirm_notice, full_receipt, import_residents_with, resident_sends, residents_reached,
};
use crate::support::postgres::instance_vars;
use crate::support::process::BotProcess;

const WAIT: Duration = Duration::from_secs(60);
/// Copies that may be sent twice: the sends in flight when the leader died.
const IN_FLIGHT_BOUND: usize = 12;

/// The `/healthz` report of the instance whose monitoring listens on `at`.
async fn health(at: &str) -> (u16, serde_json::Value) {
    let answer = reqwest::get(format!("http://{at}/healthz"))
        .await
        .expect("healthz");
    let status = answer.status().as_u16();
    (status, answer.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_notice_in_flight_is_finished_by_the_standby_with_one_receipt() {
    const RESIDENTS: i64 = 150;
    let Some(pg) = crate::support::postgres::PgSchema::new("notice_failover") else {
        return;
    };
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(fake_telegram::RateLimits::TELEGRAM));
    let (data_a, data_b) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    let store = pg.store_vars();
    import_residents_with(data_a.path(), RESIDENTS, &store);
    let mut base = store.to_vec();
    base.extend_from_slice(&[
        ("NEWSBOT_EDITORS", "500"),
        ("NEWSBOT_CLOCK_START", "2026-11-30T01:00:00Z"),
    ]);
    let vars = |instance| instance_vars(&base, instance);
    let mut a = BotProcess::start(&fake, data_a.path(), &vars("a"));
    let a_health = a.listening_on("metrics").await;
    let mut led = false;
    for _ in 0..100 {
        if health(&a_health).await.1["role"] == "leader" {
            led = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(led, "the first instance leads");
    let mut b = BotProcess::start(&fake, data_b.path(), &vars("b"));
    let b_health = b.listening_on("metrics").await;
    let (status, report) = health(&b_health).await;
    assert_eq!(
        (status, &report["role"]),
        (503, &serde_json::json!("standby"))
    );

    let preview = confirm_notice(&fake, "紧急通知：今晚 8 点全城防空演练").await;
    fake.wait_until(WAIT, "a quarter of the broadcast", |f| {
        (resident_sends(f).len() >= 40).then_some(())
    })
    .await;
    a.kill_9();

    full_receipt(&fake, &preview, RESIDENTS, Duration::from_secs(90)).await;
    // Give a second receipt, were one coming, the time to arrive; then count.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let receipts = fake
        .calls()
        .iter()
        .filter(|c| c.status == 200 && c.chat_id() == Some(EDITOR))
        .filter(|c| {
            c.text()
                .is_some_and(|t| t.starts_with("突发消息 #1 已发送"))
        })
        .count();
    assert_eq!(receipts, 1, "the editor hears of the notice once");
    let (reached, duplicates) = residents_reached(&fake);
    assert_eq!(reached, RESIDENTS as usize, "everyone got the notice");
    eprintln!(
        "notice failover: {duplicates} duplicates; 429s: {}",
        fake.rate_limited()
    );
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates, more than the bound {IN_FLIGHT_BOUND}"
    );
    let (status, report) = health(&b_health).await;
    assert_eq!(
        (status, &report["role"]),
        (200, &serde_json::json!("leader"))
    );
    b.stop().await;
}
