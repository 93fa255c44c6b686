//! Running it for real, end to end with the real `newsbot serve` against the fake: webhook
//! mode (updates POSTed with the secret token, forged posts refused, the webhook removed at
//! shutdown) and the health and metrics listener.

use std::path::Path;
use std::time::Duration;

use fake_telegram::{ChatRef, FakeTelegram, UserRef};
use newsbot::core::texts::ZH;
use serde_json::{Value, json};

use crate::support::process::{BotProcess, ask};

const WAIT: Duration = Duration::from_secs(30);
/// 05:45 in Shanghai: after the 05:30 build, before the 07:00 deliveries.
const CLOCK_START: &str = "2026-11-30T21:45:00Z";

/// A reverse proxy on loopback in front of the bot's webhook listener, as a deployment puts
/// one: the fake Bot API posts to its public URL, and it forwards each post (body and secret
/// header) to the bot's own port, which `serve` reports once it has bound port 0.
struct WebhookProxy {
    /// The public URL the bot registers.
    url: String,
    target: tokio::sync::watch::Sender<Option<String>>,
}

impl WebhookProxy {
    async fn start() -> Self {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, StatusCode, Uri};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (target, watch) = tokio::sync::watch::channel(None::<String>);
        let client = reqwest::Client::new();
        let forward = move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let mut watch = watch.clone();
            let client = client.clone();
            async move {
                let to = match tokio::time::timeout(WAIT, watch.wait_for(Option::is_some)).await {
                    Ok(Ok(to)) => to.clone().unwrap_or_default(),
                    _ => return (StatusCode::BAD_GATEWAY, Vec::new()),
                };
                let mut request = client.post(format!("http://{to}{}", uri.path())).body(body);
                for name in ["content-type", "x-telegram-bot-api-secret-token"] {
                    if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) {
                        request = request.header(name, value);
                    }
                }
                match request.send().await {
                    Ok(answer) => (
                        StatusCode::from_u16(answer.status().as_u16())
                            .unwrap_or(StatusCode::BAD_GATEWAY),
                        answer.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
                    ),
                    Err(_) => (StatusCode::BAD_GATEWAY, Vec::new()),
                }
            }
        };
        let router = axum::Router::new().fallback(forward);
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://{addr}/telegram/updates"),
            target,
        }
    }

    /// Forwards from now on to the bot's listener at `addr`.
    fn forward_to(&self, addr: &str) {
        self.target.send_replace(Some(addr.to_owned()));
    }
}

/// Starts `newsbot serve` with `env` and its health and metrics listener on port 0, and
/// returns it with the address it reports.
async fn start_with_metrics(
    fake: &FakeTelegram,
    data: &Path,
    env: &[(&str, &str)],
) -> (BotProcess, String) {
    let mut all = env.to_vec();
    all.push(("NEWSBOT_METRICS_LISTEN", "127.0.0.1:0"));
    let mut bot = BotProcess::start(fake, data, &all);
    let addr = bot.listening_on("metrics").await;
    (bot, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_takes_posted_updates_with_the_secret_and_refuses_forged_ones() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let proxy = WebhookProxy::start().await;
    let mut bot = BotProcess::start(
        &fake,
        data.path(),
        &[
            ("NEWSBOT_CLOCK_START", CLOCK_START),
            ("NEWSBOT_WEBHOOK_SECRET", "s3cret_Token-1"),
            ("NEWSBOT_WEBHOOK_URL", proxy.url.as_str()),
            ("NEWSBOT_LISTEN", "127.0.0.1:0"),
        ],
    );
    proxy.forward_to(&bot.listening_on("webhook").await);
    let url = proxy.url.clone();
    let registered = fake
        .wait_until(WAIT, "the webhook registered", FakeTelegram::webhook_url)
        .await;
    assert_eq!(registered, url);
    let set = fake.calls_to("setWebhook");
    assert_eq!(set[0].body["secret_token"], "s3cret_Token-1");

    let chat = ChatRef::private(4242);
    let user = UserRef::zh(4242);
    let help = ask(&fake, &chat, &user, "/help").await;
    assert_eq!(help.text, ZH.help);
    // The update was taken with 200 (the fake records that once the bot has answered it).
    fake.wait_until(WAIT, "a push answered 200", |f| {
        f.pushes().iter().any(|p| p.status == 200).then_some(())
    })
    .await;
    assert_eq!(fake.polls(), 0, "no getUpdates in webhook mode");

    // Posts without the right secret are refused before the bot sees them.
    let forged = json!({
        "update_id": 99_999,
        "message": {
            "message_id": 1, "date": 1_790_000_000,
            "chat": {"id": 777, "type": "private", "first_name": "Mallory"},
            "from": {"id": 777, "is_bot": false, "first_name": "Mallory"},
            "text": "/start"
        }
    });
    let client = reqwest::Client::new();
    for secret in [Some("wrong"), None] {
        let mut request = client.post(&url).json(&forged);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let status = request.send().await.expect("post").status();
        assert_eq!(status.as_u16(), 401, "secret {secret:?}");
    }
    // A later real message is answered, and the forged chat never was.
    assert_eq!(ask(&fake, &chat, &user, "/help").await.text, ZH.help);
    assert!(fake.messages_to(777).is_empty());

    bot.stop().await;
    assert_eq!(
        fake.webhook_url(),
        None,
        "the webhook is removed at shutdown"
    );
}

#[test]
fn a_webhook_url_must_be_https_except_on_loopback() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::support::process::run_newsbot(
        dir.path(),
        &["serve"],
        &[("NEWSBOT_WEBHOOK_URL", "http://bot.example.org/hook")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("NEWSBOT_WEBHOOK_URL") && err.contains("https"),
        "{err}"
    );
}

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.expect("get");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_report_the_running_service() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let (bot, addr) =
        start_with_metrics(&fake, data.path(), &[("NEWSBOT_CLOCK_START", CLOCK_START)]).await;
    let chat = ChatRef::private(5151);
    let user = UserRef::zh(5151);
    // The bot answers, so its listener is up and the start-up tick has run.
    assert_eq!(ask(&fake, &chat, &user, "/help").await.text, ZH.help);
    let (status, body) = get(&format!("http://{addr}/healthz")).await;
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database_readable"], true);
    assert_eq!(health["today"], "2026-12-01");
    assert_eq!(health["todays_digest"], "2026-12-01", "{body}");
    assert_eq!(health["outbox_depth"], 0);
    assert!(health["last_tick"].as_str().is_some(), "{body}");
    // The start-up tick also starts the day's prune, which says when it finished.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (_, body) = get(&format!("http://{addr}/healthz")).await;
        let health: Value = serde_json::from_str(&body).expect("json");
        if health["last_prune"] == "2026-12-01" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no prune recorded: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // `newsbot health`, the container's health check, asks the same and exits 0.
    let checked = crate::support::process::run_newsbot(
        data.path(),
        &["health", "--url", &format!("http://{addr}/healthz")],
        &[],
    );
    assert!(checked.status.success(), "{checked:?}");
    assert!(String::from_utf8_lossy(&checked.stdout).contains("\"status\":\"ok\""));
    let refused = crate::support::process::run_newsbot(
        data.path(),
        &["health", "--url", &format!("http://{addr}/nothing")],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));

    // The handler's time is recorded as it returns, just after its reply was sent.
    let deadline = tokio::time::Instant::now() + WAIT;
    let text = loop {
        let (status, text) = get(&format!("http://{addr}/metrics")).await;
        assert_eq!(status, 200);
        if text.contains("newsbot_handler_seconds_count 1") {
            break text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no handler time in:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for name in [
        "newsbot_digest_build_seconds_count 1",
        "newsbot_handler_seconds_bucket",
        "newsbot_outbox_depth 0",
    ] {
        assert!(text.contains(name), "no {name} in:\n{text}");
    }
    let (status, _) = get(&format!("http://{addr}/nothing")).await;
    assert_eq!(status, 404);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_with_nothing_to_read_is_a_failed_build_shown_by_health_and_stats() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let empty = data.path().join("empty-feed.xml");
    std::fs::write(
        &empty,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>",
    )
    .expect("write");
    let (bot, addr) = start_with_metrics(
        &fake,
        data.path(),
        &[
            ("NEWSBOT_CLOCK_START", CLOCK_START),
            (
                "NEWSBOT_EDITION_SOURCE",
                empty.to_str().expect("utf-8 path"),
            ),
            ("NEWSBOT_EDITORS", "6161"),
        ],
    )
    .await;
    let chat = ChatRef::private(6161);
    let user = UserRef::zh(6161);
    assert_eq!(ask(&fake, &chat, &user, "/help").await.text, ZH.help);
    let deadline = tokio::time::Instant::now() + WAIT;
    let health = loop {
        let (status, body) = get(&format!("http://{addr}/healthz")).await;
        let health: Value = serde_json::from_str(&body).expect("json");
        if health["build_problem"].is_string() {
            assert_eq!(status, 503, "{body}");
            break health;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no build problem in {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(health["status"], "unhealthy");
    assert_eq!(
        health["todays_digest"],
        Value::Null,
        "nothing was pushed as a digest"
    );
    let problem = health["build_problem"].as_str().unwrap_or("");
    assert!(
        problem.contains("nothing to read in an RSS 2.0 feed: it has no items"),
        "{problem}"
    );
    let stats = ask(&fake, &chat, &user, "/stats").await;
    assert!(
        stats.text.contains("今天的摘要还没能生成") && stats.text.contains("it has no items"),
        "{}",
        stats.text
    );
    bot.stop().await;
}
