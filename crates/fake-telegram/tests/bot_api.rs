//! The fake over HTTP, as a bot sees it: status codes and JSON answers, faults (a dropped
//! connection included), rate limits, long polling, multipart bodies, file downloads and
//! webhook pushes. Everything stays on loopback; every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use fake_telegram::{ChatRef, FakeTelegram, Fault, Push, RateLimits, UserRef};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: Duration = Duration::from_secs(10);

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(LIMIT)
        .build()
        .expect("client")
}

/// Calls `method` with a JSON body as teloxide does; returns the status and the answer.
async fn call(fake: &FakeTelegram, method: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/botTOKEN/{method}", fake.api_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").cloned();
    let bytes = response.bytes().await.expect("a body");
    let answer: Value = serde_json::from_slice(&bytes).expect("JSON answer");
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    (status, answer)
}

/// Sends raw bytes on a fresh connection and reads until the fake closes it (bounded).
async fn raw_exchange(fake: &FakeTelegram, request: &str) -> Vec<u8> {
    let address = fake.api_url().trim_start_matches("http://");
    let mut socket = TcpStream::connect(address).await.expect("connect");
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut got = Vec::new();
    tokio::time::timeout(LIMIT, socket.read_to_end(&mut got))
        .await
        .expect("the fake closed the connection in time")
        .ok();
    got
}

#[tokio::test]
async fn messages_are_sent_edited_and_deleted_like_telegram() {
    let fake = FakeTelegram::start().await;
    let (status, answer) = call(&fake, "getMe", json!({})).await;
    assert_eq!(
        (status, &answer["result"]["username"]),
        (200, &json!("newsbot_test_bot"))
    );

    let (status, answer) = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 42, "text": "<b>hi</b>", "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(status, 200);
    let id = answer["result"]["message_id"].as_i64().expect("message id");
    assert_eq!(answer["result"]["chat"]["type"], "private");
    assert_eq!(
        fake.message(42, id).map(|m| m.text).as_deref(),
        Some("<b>hi</b>")
    );

    let edit =
        json!({ "chat_id": 42, "message_id": id, "text": "<b>hi</b>", "parse_mode": "HTML" });
    let (status, answer) = call(&fake, "editMessageText", edit).await;
    assert_eq!(
        (status, &answer["description"]),
        (400, &json!("Bad Request: message is not modified"))
    );

    let delete = json!({ "chat_id": 42, "message_id": id });
    assert_eq!(
        call(&fake, "deleteMessage", delete.clone()).await,
        (200, json!({ "ok": true, "result": true }))
    );
    assert_eq!(
        call(&fake, "deleteMessage", delete).await,
        (
            400,
            json!({ "ok": false, "error_code": 400, "description": "Bad Request: message to delete not found" })
        )
    );
    assert!(fake.messages_to(42).is_empty());

    let (status, answer) = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 42, "text": "<b>x" , "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        answer["description"],
        "Bad Request: can't parse entities: can't find end tag corresponding to start tag \"b\""
    );
    let (status, answer) = call(&fake, "noSuchMethod", json!({})).await;
    assert_eq!(
        (status, &answer["description"]),
        (404, &json!("Not Found: method not found"))
    );
    let methods: Vec<(String, u16)> = fake
        .calls()
        .into_iter()
        .map(|c| (c.method, c.status))
        .collect();
    assert_eq!(methods.len(), 7, "{methods:?}");
    assert_eq!(methods[1], ("sendmessage".to_owned(), 200));
}

#[tokio::test]
async fn any_http_method_and_keep_alive_work() {
    let fake = FakeTelegram::start().await;
    let address = fake.api_url().trim_start_matches("http://");
    let mut socket = TcpStream::connect(address).await.expect("connect");
    for _ in 0..2 {
        socket
            .write_all(b"GET /botTOKEN/getMe HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&got).contains("newsbot_test_bot") {
            let n = tokio::time::timeout(LIMIT, socket.read(&mut buf))
                .await
                .expect("answered in time")
                .expect("read");
            assert_ne!(n, 0, "the connection stays open");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(got.starts_with(b"HTTP/1.1 200 OK\r\n"));
    }
}

#[tokio::test]
async fn faults_answer_as_injected() {
    let fake = FakeTelegram::start().await;
    fake.fail_next("sendMessage", Fault::BadRequest("chat not found".into()));
    fake.fail_chat(7, Fault::ServerError(502));
    fake.block_chat(8);
    fake.migrate_chat(-9, -1009);
    let send = |chat: i64| json!({ "chat_id": chat, "text": "x" });
    let (status, answer) = call(&fake, "sendMessage", send(7)).await;
    assert_eq!(
        (status, &answer["description"]),
        (400, &json!("Bad Request: chat not found"))
    );
    let (status, answer) = call(&fake, "sendMessage", send(7)).await;
    assert_eq!(
        (status, answer),
        (
            502,
            json!({ "ok": false, "error_code": 502, "description": "Bad Gateway" })
        )
    );
    assert_eq!(call(&fake, "sendMessage", send(7)).await.0, 200);
    let (status, answer) = call(&fake, "sendMessage", send(8)).await;
    assert_eq!(
        (status, &answer["description"]),
        (403, &json!("Forbidden: bot was blocked by the user"))
    );
    let (status, answer) = call(&fake, "sendMessage", send(-9)).await;
    assert_eq!(
        (status, &answer["parameters"]["migrate_to_chat_id"]),
        (400, &json!(-1009))
    );
    assert_eq!(fake.sends_to(7).len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_closes_without_a_byte() {
    let fake = FakeTelegram::start().await;
    fake.fail_chat(5, Fault::DropConnection);
    let body = r#"{"chat_id":5,"text":"x"}"#;
    let request = format!(
        "POST /botTOKEN/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(raw_exchange(&fake, &request).await, b"");
    let calls = fake.calls_to("sendMessage");
    assert_eq!(calls.len(), 1);
    assert_eq!((calls[0].status, calls[0].chat_id()), (0, Some(5)));
    // The next send to that chat is answered again.
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 5, "text": "x" }))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(RateLimits::TELEGRAM));
    let send = json!({ "chat_id": 11, "text": "x" });
    assert_eq!(call(&fake, "sendMessage", send.clone()).await.0, 200);
    let (status, answer) = call(&fake, "sendMessage", send).await;
    assert_eq!(
        (status, answer),
        (
            429,
            json!({
                "ok": false, "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": { "retry_after": 1 }
            })
        )
    );
    assert_eq!(fake.rate_limited(), 1);
}

#[tokio::test]
async fn get_updates_long_polls_and_confirms_by_offset() {
    let fake = FakeTelegram::start().await;
    let started = Instant::now();
    let (status, answer) = call(&fake, "getUpdates", json!({ "timeout": 1 })).await;
    assert_eq!((status, answer), (200, json!({ "ok": true, "result": [] })));
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    let injector = fake.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        injector.send_text(&ChatRef::private(3), &UserRef::zh(3), "/start");
    });
    let started = Instant::now();
    let (_, answer) = call(&fake, "getUpdates", json!({ "timeout": 4 })).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "woken by the update"
    );
    let updates = answer["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["message"]["entities"][0]["type"], "bot_command");
    let next = updates[0]["update_id"].as_i64().unwrap_or(0) + 1;
    let (_, answer) = call(&fake, "getUpdates", json!({ "offset": next })).await;
    assert_eq!(answer["result"], json!([]));
    assert_eq!(fake.pending_updates(), 0);
    assert_eq!(fake.polls(), 3);
    assert_eq!(fake.handouts().len(), 1);
    assert_eq!(fake.handouts()[0].chat_id, Some(3));
    assert!(
        fake.calls().is_empty(),
        "getUpdates is not recorded as a call"
    );
}

#[tokio::test]
async fn a_long_poll_waits_at_most_five_seconds() {
    let fake = FakeTelegram::start().await;
    let started = Instant::now();
    let (_, answer) = call(&fake, "getUpdates", json!({ "timeout": 50 })).await;
    let waited = started.elapsed();
    assert_eq!(answer["result"], json!([]));
    assert!(
        (Duration::from_millis(4900)..Duration::from_secs(8)).contains(&waited),
        "{waited:?}"
    );
}

#[tokio::test]
async fn documents_are_downloaded_by_their_file_path() {
    let fake = FakeTelegram::start().await;
    fake.send_document(
        &ChatRef::private(4),
        &UserRef::zh(4),
        "page.html",
        b"<p>x</p>",
    );
    let (_, answer) = call(&fake, "getUpdates", json!({})).await;
    let file_id = answer["result"][0]["message"]["document"]["file_id"].clone();
    let (status, answer) = call(&fake, "getFile", json!({ "file_id": file_id })).await;
    assert_eq!(status, 200);
    let path = answer["result"]["file_path"]
        .as_str()
        .expect("file path")
        .to_owned();
    let url = format!(
        "{}/file/botTOKEN/{}",
        fake.api_url(),
        path.replace('/', "%2F")
    );
    let response = client().get(url).send().await.expect("download");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), b"<p>x</p>");
    for missing in ["/file/botTOKEN/documents%2Fnope", "/file/"] {
        let response = client()
            .get(format!("{}{missing}", fake.api_url()))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status().as_u16(), 404);
        assert_eq!(
            response.bytes().await.expect("bytes").as_ref(),
            b"Not Found"
        );
    }
    let (status, _) = call(&fake, "getFile", json!({ "file_id": "nope" })).await;
    assert_eq!(status, 400);
}

/// A webhook receiver on loopback that answers 500 to the first push and 200 after;
/// returns its URL and what it received (secret header, body).
async fn flaky_receiver() -> (String, Arc<Mutex<Vec<(Option<String>, Value)>>>) {
    type Got = Arc<Mutex<Vec<(Option<String>, Value)>>>;
    let got = Got::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(got): State<Got>, headers: HeaderMap, body: String| async move {
                    let secret = headers
                        .get("x-telegram-bot-api-secret-token")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let mut got = got.lock().expect("record");
                    got.push((secret, serde_json::from_str(&body).unwrap_or(Value::Null)));
                    if got.len() == 1 {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hook"), got)
}

#[tokio::test]
async fn a_webhook_set_by_multipart_gets_updates_pushed_until_taken() {
    let fake = FakeTelegram::start().await;
    let (hook, got) = flaky_receiver().await;
    // teloxide sends setWebhook as multipart/form-data.
    let form = reqwest::multipart::Form::new()
        .text("url", hook.clone())
        .text("secret_token", "s3cret");
    let response = client()
        .post(format!("{}/botTOKEN/SetWebhook", fake.api_url()))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(fake.webhook_url(), Some(hook));
    let (status, answer) = call(&fake, "getUpdates", json!({})).await;
    assert_eq!(status, 409);
    assert!(
        answer["description"]
            .as_str()
            .unwrap_or("")
            .starts_with("Conflict: ")
    );

    fake.send_text(&ChatRef::group(-5, "town"), &UserRef::zh(6), "hello");
    let update_id = 1; // the first update a fake queues
    let pushes = fake
        .wait_until(LIMIT, "the update to be taken", |f| {
            let pushes = f.pushes();
            (pushes.len() >= 2).then_some(pushes)
        })
        .await;
    assert_eq!(
        pushes,
        vec![
            Push {
                update_id,
                status: 500
            },
            Push {
                update_id,
                status: 200
            }
        ]
    );
    assert_eq!(fake.pending_updates(), 0);
    let got = got.lock().expect("record").clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].0.as_deref(), Some("s3cret"));
    assert_eq!(got[1].1["message"]["text"], "hello");
    assert_eq!(got[1].1["update_id"], update_id);

    assert_eq!(call(&fake, "deleteWebhook", json!({})).await.0, 200);
    assert_eq!(fake.webhook_url(), None);
    assert_eq!(call(&fake, "getUpdates", json!({})).await.0, 200);
}

#[tokio::test]
async fn a_multipart_send_photo_reads_fields_as_text() {
    let fake = FakeTelegram::start().await;
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "12")
        .text("caption", "c")
        .part(
            "photo",
            reqwest::multipart::Part::bytes(b"PNG".to_vec()).file_name("p.png"),
        );
    let response = client()
        .post(format!("{}/botTOKEN/sendPhoto", fake.api_url()))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    // As before the port: multipart fields are strings, and the fake reads `chat_id` only
    // as a number.
    assert_eq!(response.status().as_u16(), 400);
    let calls = fake.calls_to("sendPhoto");
    assert_eq!(
        calls[0].body,
        json!({ "chat_id": "12", "caption": "c", "photo": "PNG" })
    );
}
