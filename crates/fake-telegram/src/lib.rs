//! A fake Telegram Bot API server on loopback, for tests, benchmarks and demos.
//!
//! Point a bot at [`FakeTelegram::api_url`] (teloxide: `Bot::new(token).set_api_url(url)`).
//! The server answers `getMe`, `getUpdates` (with `offset` and a long-poll `timeout`),
//! `sendMessage`, `editMessageText`, `editMessageReplyMarkup`, `answerCallbackQuery`,
//! `setMyCommands`, `deleteMessage`, `getChatMember`, `sendPhoto`, `getWebhookInfo`,
//! `setWebhook`, `deleteWebhook`, `getFile`, file downloads (documents a test sends) and
//! `answerInlineQuery` (at most 50 results, each text valid). Once a webhook is set, updates
//! are POSTed to it (with the secret token header) instead of waiting for `getUpdates`,
//! which then answers 409 as Telegram does. It
//! checks what real Telegram checks (HTML entities parse, text at most 4096 UTF-16 units,
//! callback data at most 64 bytes), keeps the messages that exist in each chat (deleting one
//! removes it; deleting an unknown one answers 400 "message to delete not found", as
//! Telegram does), records every call with its time, lets a test inject
//! messages, button presses and membership changes, and can answer chosen calls (or every
//! send to a chosen chat) with 429, 403, 400, a group migration, a 5xx or a dropped
//! connection. With [`RateLimits`] switched on it enforces Telegram's broadcast limits the
//! way Telegram does: a send over a limit gets 429 with `retry_after`.
//!
//! Prefer 4xx faults: teloxide waits 10 s after any 5xx. The waiting helpers panic on
//! timeout, so a test never passes by waiting quietly.
//!
//! Where things live: [`FakeTelegram`] is defined here; its methods are spread over
//! `inject` (updates a test injects), `inspect` (what the bot did, and waiting for it) and
//! `limits` (faults and rate limits). The HTTP side is `server` (axum), `hangup` (dropping
//! a connection on purpose), `body` (request bodies), `dispatch` (one Bot API call),
//! `long_poll` (`getUpdates`), `methods` (the answers), `html` (text checks) and `webhook`
//! (pushing updates). `raw_http` is a request reader for other tests' raw HTTP servers.

mod body;
mod dispatch;
mod hangup;
mod html;
mod inject;
mod inspect;
mod limits;
mod long_poll;
mod methods;
mod raw_http;
mod records;
mod refs;
mod server;
mod state;
mod webhook;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

pub use html::visible_text;
pub use limits::{Fault, RateLimits};
pub use raw_http::read_request;
pub use records::{Call, Handout, Push, SentMessage};
pub use refs::{ChatRef, UserRef};

use state::State;

/// The bot's own user id.
pub const BOT_ID: i64 = 700_000_001;
/// The bot's username.
pub const BOT_USERNAME: &str = "newsbot_test_bot";

/// Longest message text, in UTF-16 units.
pub const MAX_TEXT_UNITS: usize = 4096;
/// Longest callback data, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;
/// Longest long-poll wait the fake honours, so tests stay bounded.
const MAX_POLL_WAIT: Duration = Duration::from_secs(5);

/// A running fake server. Dropping it leaves the server running until the runtime ends.
#[derive(Clone)]
pub struct FakeTelegram {
    url: String,
    started: Instant,
    state: Arc<Mutex<State>>,
    updates_ready: Arc<Notify>,
    calls_made: Arc<Notify>,
}

impl FakeTelegram {
    /// Starts a server on `127.0.0.1:0`.
    ///
    /// # Panics
    /// If loopback cannot be bound, or the webhook client cannot be built.
    pub async fn start() -> Self {
        let listener = hangup::HangupListener::bind_loopback()
            .await
            .expect("bind loopback");
        let pusher = webhook::WebhookClient::new().expect("build the webhook client");
        let fake = Self {
            url: format!("http://{}", listener.address()),
            started: Instant::now(),
            state: Arc::new(Mutex::new(State::new())),
            updates_ready: Arc::new(Notify::new()),
            calls_made: Arc::new(Notify::new()),
        };
        tokio::spawn(server::serve(listener, fake.clone()));
        let pushing = fake.clone();
        tokio::spawn(async move { pushing.push_to_webhook(&pusher).await });
        fake
    }

    /// The Bot API base URL to give the bot.
    pub fn api_url(&self) -> &str {
        &self.url
    }

    /// The shared state; a panic elsewhere while it was held does not poison it for tests.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
