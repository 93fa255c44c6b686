//! Pushing updates to the bot's webhook, once it has set one: each queued update is POSTed
//! as JSON with Telegram's secret-token header, in order, and retried until the bot takes
//! it with a 2xx, as Telegram does.

use std::fmt;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;

use crate::FakeTelegram;
use crate::records::Push;

/// The header carrying the secret the bot gave `setWebhook`.
const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";
/// How long to wait for the bot's webhook to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long to wait for the bot's answer once connected.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait before trying an update again, and between looks at an idle queue.
const RETRY_AFTER: Duration = Duration::from_millis(100);

/// Why a push got no HTTP status.
#[derive(Debug)]
pub(crate) enum PushError {
    /// Not an `http://` URL: the fake pushes only to plain HTTP (the bot on loopback).
    NotPlainHttp,
    /// No connection, or no answer in time.
    Unreachable(reqwest::Error),
}

impl fmt::Display for PushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPlainHttp => f.write_str("webhook URL is not http://"),
            Self::Unreachable(e) => write!(f, "webhook unreachable: {e}"),
        }
    }
}

impl std::error::Error for PushError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::NotPlainHttp => None,
            Self::Unreachable(e) => Some(e),
        }
    }
}

/// The HTTP client that posts updates to webhooks.
pub(crate) struct WebhookClient {
    http: reqwest::Client,
}

impl WebhookClient {
    /// A client that ignores proxy settings (webhooks are on loopback) and opens a fresh
    /// connection for every push.
    pub(crate) fn new() -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(CONNECT_TIMEOUT + ANSWER_TIMEOUT)
            .pool_max_idle_per_host(0)
            .build()?;
        Ok(Self { http })
    }

    /// POSTs `body` as JSON to `url` with the secret-token header when there is a
    /// `secret`; returns the status the bot answered (its body is not read).
    pub(crate) async fn post_json(
        &self,
        url: &str,
        secret: Option<&str>,
        body: String,
    ) -> Result<u16, PushError> {
        if !url.starts_with("http://") {
            return Err(PushError::NotPlainHttp);
        }
        let mut request = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header(SECRET_HEADER, secret);
        }
        let response = request.send().await.map_err(PushError::Unreachable)?;
        Ok(response.status().as_u16())
    }
}

impl FakeTelegram {
    /// While a webhook is set, POSTs queued updates to it in order; an update the bot does
    /// not take (no connection, not 2xx) is tried again after a short wait, as Telegram does.
    /// Every attempt is recorded as a [`Push`] (status 0 when the bot was not reached).
    pub(crate) async fn push_to_webhook(&self, client: &WebhookClient) {
        loop {
            let notified = self.updates_ready.notified();
            let next = {
                let state = self.lock();
                match (&state.webhook, state.updates.front()) {
                    (Some(hook), Some(update)) => Some((hook.clone(), update.clone())),
                    _ => None,
                }
            };
            let Some((hook, update)) = next else {
                let _ = tokio::time::timeout(RETRY_AFTER, notified).await;
                continue;
            };
            let update_id = update["update_id"].as_i64().unwrap_or(0);
            let status = client
                .post_json(&hook.url, hook.secret.as_deref(), update.to_string())
                .await
                .unwrap_or(0);
            let taken = (200..300).contains(&status);
            {
                let mut state = self.lock();
                state.pushes.push(Push { update_id, status });
                if taken
                    && state.updates.front().and_then(|u| u["update_id"].as_i64())
                        == Some(update_id)
                {
                    state.updates.pop_front();
                }
            }
            self.calls_made.notify_waiters();
            if !taken {
                tokio::time::sleep(RETRY_AFTER).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;

    use super::*;

    /// What the receiver got: the secret header and the body.
    type Received = Arc<Mutex<Vec<(Option<String>, String)>>>;

    /// A webhook receiver on loopback answering `status`; returns its URL and its record.
    async fn receiver(status: StatusCode) -> (String, Received) {
        let received = Received::default();
        let app = Router::new()
            .route(
                "/hook",
                post(
                    move |State(got): State<Received>, headers: HeaderMap, body: String| async move {
                        let secret = headers
                            .get(SECRET_HEADER)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        got.lock().expect("record").push((secret, body));
                        status
                    },
                ),
            )
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{address}/hook"), received)
    }

    #[tokio::test]
    async fn posts_json_with_the_secret_and_returns_the_status() {
        let client = WebhookClient::new().expect("client");
        let (url, received) = receiver(StatusCode::OK).await;
        let status = client
            .post_json(&url, Some("s3cret"), r#"{"update_id":1}"#.to_owned())
            .await
            .expect("posted");
        assert_eq!(status, 200);
        let (url, _) = receiver(StatusCode::SERVICE_UNAVAILABLE).await;
        let status = client.post_json(&url, None, "{}".to_owned()).await;
        assert_eq!(status.ok(), Some(503));
        let got = received.lock().expect("record").clone();
        assert_eq!(
            got,
            vec![(Some("s3cret".to_owned()), r#"{"update_id":1}"#.to_owned())]
        );
    }

    #[tokio::test]
    async fn no_secret_no_header() {
        let client = WebhookClient::new().expect("client");
        let (url, received) = receiver(StatusCode::OK).await;
        let status = client.post_json(&url, None, "{}".to_owned()).await;
        assert_eq!(status.ok(), Some(200));
        assert_eq!(
            received.lock().expect("record").clone(),
            vec![(None, "{}".to_owned())]
        );
    }

    #[tokio::test]
    async fn an_unreachable_or_https_webhook_has_no_status() {
        let client = WebhookClient::new().expect("client");
        let closed = {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            listener.local_addr().expect("address")
        };
        let unreachable = client
            .post_json(&format!("http://{closed}/hook"), None, "{}".to_owned())
            .await;
        assert!(
            matches!(unreachable, Err(PushError::Unreachable(_))),
            "{unreachable:?}"
        );
        let https = client
            .post_json("https://127.0.0.1:1/hook", None, "{}".to_owned())
            .await;
        assert!(matches!(https, Err(PushError::NotPlainHttp)), "{https:?}");
    }
}
