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

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

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

/// A chat as tests describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRef {
    pub id: i64,
    /// `private`, `group` or `supergroup`.
    pub kind: &'static str,
    pub title: String,
}

impl ChatRef {
    /// A private chat with the user of the same id.
    pub fn private(id: i64) -> Self {
        Self {
            id,
            kind: "private",
            title: String::new(),
        }
    }

    /// A group.
    pub fn group(id: i64, title: &str) -> Self {
        Self {
            id,
            kind: "group",
            title: title.to_owned(),
        }
    }

    fn to_json(&self) -> Value {
        if self.kind == "private" {
            json!({ "id": self.id, "type": "private", "first_name": "Resident" })
        } else {
            json!({ "id": self.id, "type": self.kind, "title": self.title })
        }
    }
}

/// A user as tests describe them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

impl UserRef {
    /// A user with a Chinese client.
    pub fn zh(id: i64) -> Self {
        Self {
            id,
            first_name: "居民".to_owned(),
            language_code: Some("zh-hans".to_owned()),
        }
    }

    fn to_json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(code) = &self.language_code {
            user["language_code"] = json!(code);
        }
        user
    }
}

/// A refusal to inject into the next call of a method, or the next send to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests with `retry_after` seconds.
    RetryAfter(u32),
    /// 403 Forbidden: the user blocked the bot.
    Blocked,
    /// 400 Bad Request with this description.
    BadRequest(String),
    /// 400: the group was upgraded to a supergroup with this id.
    Migrate(i64),
    /// This HTTP 5xx status (teloxide then waits 10 s before reading it).
    ServerError(u16),
    /// The connection is closed without an answer.
    DropConnection,
}

/// Telegram's broadcast limits, as this fake enforces them when switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Messages a second from the bot to all chats together.
    pub overall_per_second: usize,
    /// Messages a second into one private chat.
    pub chat_per_second: usize,
    /// Messages a minute into one group or supergroup.
    pub group_per_minute: usize,
}

impl RateLimits {
    /// Telegram's published figures: 30/s overall, 1/s per chat, 20/min per group.
    pub const TELEGRAM: Self = Self {
        overall_per_second: 30,
        chat_per_second: 1,
        group_per_minute: 20,
    };
}

/// One call the bot made.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The method, lower-case (`sendmessage`).
    pub method: String,
    /// The JSON body.
    pub body: Value,
    /// HTTP status answered (0 when the connection was dropped).
    pub status: u16,
    /// When it arrived, since the fake started.
    pub at: Duration,
}

impl Call {
    /// The `text` field, if any.
    pub fn text(&self) -> Option<&str> {
        self.body.get("text").and_then(Value::as_str)
    }

    /// The `chat_id` field, if any.
    pub fn chat_id(&self) -> Option<i64> {
        self.body.get("chat_id").and_then(Value::as_i64)
    }
}

/// A message the bot has sent and may edit.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
    pub reply_markup: Option<Value>,
}

impl SentMessage {
    /// Every button's `(text, callback_data)`.
    pub fn buttons(&self) -> Vec<(String, String)> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array);
        rows.into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|b| {
                Some((
                    b.get("text")?.as_str()?.to_owned(),
                    b.get("callback_data")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                ))
            })
            .collect()
    }
}

#[derive(Default)]
struct State {
    next_update_id: i64,
    updates: VecDeque<Value>,
    calls: Vec<Call>,
    next_message_id: i64,
    messages: HashMap<(i64, i64), SentMessage>,
    chats: HashMap<i64, ChatRef>,
    members: HashMap<(i64, i64), String>,
    faults: HashMap<String, VecDeque<Fault>>,
    chat_faults: HashMap<i64, VecDeque<Fault>>,
    blocked_chats: std::collections::HashSet<i64>,
    migrated_chats: HashMap<i64, i64>,
    limits: Option<RateLimits>,
    recent_sends: VecDeque<Instant>,
    recent_by_chat: HashMap<i64, VecDeque<Instant>>,
    rate_limited: usize,
    next_callback: u64,
    files: HashMap<String, (String, Vec<u8>)>,
    webhook: Option<Webhook>,
    pushes: Vec<Push>,
    polls: usize,
    handouts: Vec<Handout>,
    handed_out_up_to: i64,
}

/// An update handed to the bot by `getUpdates`, the first time it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handout {
    /// The update's id.
    pub update_id: i64,
    /// The chat it came from, when it has one.
    pub chat_id: Option<i64>,
    /// When it was handed out, since the fake started.
    pub at: Duration,
}

/// A webhook the bot registered.
#[derive(Debug, Clone)]
struct Webhook {
    url: String,
    secret: Option<String>,
}

/// One attempt to POST an update to the bot's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// The update's id.
    pub update_id: i64,
    /// HTTP status the bot answered (0 when it could not be reached).
    pub status: u16,
}

/// A running fake server. Dropping it leaves the server running until the runtime ends.
#[derive(Clone)]
pub struct FakeTelegram {
    url: String,
    started: Instant,
    state: Arc<Mutex<State>>,
    updates_ready: Arc<Notify>,
    calls_made: Arc<Notify>,
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl FakeTelegram {
    /// Starts a server on `127.0.0.1:0`.
    ///
    /// # Panics
    /// If loopback cannot be bound.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let fake = Self {
            url: format!("http://{addr}"),
            started: Instant::now(),
            state: Arc::new(Mutex::new(State {
                next_update_id: 1,
                next_message_id: 1000,
                ..State::default()
            })),
            updates_ready: Arc::new(Notify::new()),
            calls_made: Arc::new(Notify::new()),
        };
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.serve_connection(socket).await });
            }
        });
        let pusher = fake.clone();
        tokio::spawn(async move { pusher.push_to_webhook().await });
        fake
    }

    /// The webhook URL the bot registered, if any.
    pub fn webhook_url(&self) -> Option<String> {
        self.lock().webhook.as_ref().map(|w| w.url.clone())
    }

    /// Every attempt to POST an update to the webhook, in order.
    pub fn pushes(&self) -> Vec<Push> {
        self.lock().pushes.clone()
    }

    /// Every update handed out by `getUpdates`, with the time it first was, in order.
    pub fn handouts(&self) -> Vec<Handout> {
        self.lock().handouts.clone()
    }

    /// How many times the bot called `getUpdates`.
    pub fn polls(&self) -> usize {
        self.lock().polls
    }

    /// While a webhook is set, POSTs queued updates to it in order; an update the bot does
    /// not take (no connection, not 2xx) is tried again after a short wait, as Telegram does.
    async fn push_to_webhook(&self) {
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
                let _ = tokio::time::timeout(Duration::from_millis(100), notified).await;
                continue;
            };
            let update_id = update["update_id"].as_i64().unwrap_or(0);
            let status = post_json(&hook.url, hook.secret.as_deref(), &update.to_string()).await;
            {
                let mut state = self.lock();
                state.pushes.push(Push { update_id, status });
                if (200..300).contains(&status)
                    && state.updates.front().and_then(|u| u["update_id"].as_i64())
                        == Some(update_id)
                {
                    state.updates.pop_front();
                }
            }
            self.calls_made.notify_waiters();
            if !(200..300).contains(&status) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    /// The Bot API base URL to give the bot.
    pub fn api_url(&self) -> &str {
        &self.url
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn push_update(&self, mut update: Value) -> i64 {
        let mut state = self.lock();
        let id = state.next_update_id;
        state.next_update_id += 1;
        update["update_id"] = json!(id);
        state.updates.push_back(update);
        drop(state);
        self.updates_ready.notify_waiters();
        id
    }

    /// Injects a text message from `from` in `chat`; returns its message id.
    pub fn send_text(&self, chat: &ChatRef, from: &UserRef, text: &str) -> i64 {
        let message_id = {
            let mut state = self.lock();
            state.chats.insert(chat.id, chat.clone());
            state.next_message_id += 1;
            state.next_message_id
        };
        let mut message = json!({
            "message_id": message_id,
            "date": now_unix(),
            "chat": chat.to_json(),
            "from": from.to_json(),
            "text": text,
        });
        if text.starts_with('/') {
            let length = text
                .split_whitespace()
                .next()
                .map_or(0, |c| c.encode_utf16().count());
            message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        self.push_update(json!({ "message": message }));
        message_id
    }

    /// Injects a document (a file) sent by `from` in `chat`; the bot can fetch it with
    /// getFile and a download. Returns the message id.
    pub fn send_document(
        &self,
        chat: &ChatRef,
        from: &UserRef,
        file_name: &str,
        bytes: &[u8],
    ) -> i64 {
        let (message_id, file_id) = {
            let mut state = self.lock();
            state.chats.insert(chat.id, chat.clone());
            state.next_message_id += 1;
            let file_id = format!("file{}", state.next_message_id);
            let path = format!("documents/{file_id}_{file_name}");
            state.files.insert(file_id.clone(), (path, bytes.to_vec()));
            (state.next_message_id, file_id)
        };
        let mime = if file_name.ends_with(".html") {
            "text/html"
        } else {
            "text/plain"
        };
        let message = json!({
            "message_id": message_id,
            "date": now_unix(),
            "chat": chat.to_json(),
            "from": from.to_json(),
            "document": {
                "file_id": file_id, "file_unique_id": format!("u{file_id}"),
                "file_name": file_name, "mime_type": mime, "file_size": bytes.len()
            },
        });
        self.push_update(json!({ "message": message }));
        message_id
    }

    /// The bytes of a file the bot may download, by download path.
    fn file_at(&self, path: &str) -> Option<Vec<u8>> {
        // teloxide sends the file path as one URL segment, its slashes as %2F.
        let path = path.replace("%2F", "/").replace("%2f", "/");
        self.lock()
            .files
            .values()
            .find(|(p, _)| path.ends_with(p.as_str()))
            .map(|(_, bytes)| bytes.clone())
    }

    /// Injects a press of a button with `data` under the bot's message `message_id`.
    pub fn press_button(
        &self,
        chat: &ChatRef,
        from: &UserRef,
        message_id: i64,
        data: &str,
    ) -> String {
        let (id, message) = {
            let mut state = self.lock();
            state.next_callback += 1;
            let text = state
                .messages
                .get(&(chat.id, message_id))
                .map(|m| m.text.clone())
                .unwrap_or_default();
            let message = json!({
                "message_id": message_id,
                "date": now_unix(),
                "chat": chat.to_json(),
                "from": bot_user(),
                "text": text,
            });
            (format!("cb{}", state.next_callback), message)
        };
        self.push_update(json!({
            "callback_query": {
                "id": id,
                "from": from.to_json(),
                "message": message,
                "chat_instance": format!("ci{}", chat.id),
                "data": data,
            }
        }));
        id
    }

    /// Injects an inline query (`@bot query` typed in any chat) from `from`; returns its id.
    pub fn send_inline_query(&self, from: &UserRef, query: &str) -> String {
        let id = {
            let mut state = self.lock();
            state.next_callback += 1;
            format!("iq{}", state.next_callback)
        };
        self.push_update(json!({
            "inline_query": {
                "id": id, "from": from.to_json(), "query": query, "offset": ""
            }
        }));
        id
    }

    /// Injects a change of the bot's own membership in `chat` (`member`, `kicked`, `left`).
    pub fn bot_membership_changed(&self, chat: &ChatRef, by: &UserRef, old: &str, new: &str) {
        self.lock().chats.insert(chat.id, chat.clone());
        let member = |status: &str| json!({ "status": status, "user": bot_user() });
        let member_with_date = |status: &str| {
            let mut m = member(status);
            if status == "kicked" {
                m["until_date"] = json!(0);
            }
            m
        };
        self.push_update(json!({
            "my_chat_member": {
                "chat": chat.to_json(),
                "from": by.to_json(),
                "date": now_unix(),
                "old_chat_member": member_with_date(old),
                "new_chat_member": member_with_date(new),
            }
        }));
    }

    /// Sets what getChatMember answers for `user` in `chat` (`creator`, `administrator`,
    /// `member`); the default is `member`.
    pub fn set_member_status(&self, chat_id: i64, user_id: i64, status: &str) {
        self.lock()
            .members
            .insert((chat_id, user_id), status.to_owned());
    }

    /// Makes the next call of `method` (e.g. `sendMessage`) fail with `fault`.
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.lock()
            .faults
            .entry(method.to_lowercase())
            .or_default()
            .push_back(fault);
    }

    /// Makes the next send (message or photo) to `chat_id` fail with `fault` (queued in
    /// order; later sends succeed again).
    pub fn fail_chat(&self, chat_id: i64, fault: Fault) {
        self.lock()
            .chat_faults
            .entry(chat_id)
            .or_default()
            .push_back(fault);
    }

    /// Every send to `chat_id` from now on gets 403 "bot was blocked by the user".
    pub fn block_chat(&self, chat_id: i64) {
        self.lock().blocked_chats.insert(chat_id);
    }

    /// The group `from` became the supergroup `to`: every send to `from` gets the migration
    /// error, as Telegram answers.
    pub fn migrate_chat(&self, from: i64, to: i64) {
        self.lock().migrated_chats.insert(from, to);
    }

    /// Enforces `limits` on sends from now on (`None` switches enforcement off).
    pub fn enforce_limits(&self, limits: Option<RateLimits>) {
        self.lock().limits = limits;
    }

    /// Sends refused with 429 by the rate limits.
    pub fn rate_limited(&self) -> usize {
        self.lock().rate_limited
    }

    /// Number of calls so far (cheaper than [`Self::calls`]).
    pub fn call_count(&self) -> usize {
        self.lock().calls.len()
    }

    /// Successful sends (messages and photos) to `chat_id`, in order.
    pub fn sends_to(&self, chat_id: i64) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| {
                c.status == 200
                    && (c.method == "sendmessage" || c.method == "sendphoto")
                    && c.chat_id() == Some(chat_id)
            })
            .cloned()
            .collect()
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Calls of one method (any case), in order.
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let method = method.to_lowercase();
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The message the bot sent (as last edited).
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<SentMessage> {
        self.lock().messages.get(&(chat_id, message_id)).cloned()
    }

    /// Messages the bot sent that still exist (not deleted) in any chat `keep` accepts, as
    /// a resident would count them on their phone.
    pub fn visible_in(&self, keep: impl Fn(i64) -> bool) -> Vec<SentMessage> {
        let mut list: Vec<SentMessage> = self
            .lock()
            .messages
            .values()
            .filter(|m| keep(m.chat_id))
            .cloned()
            .collect();
        list.sort_by_key(|m| (m.chat_id, m.message_id));
        list
    }

    /// Messages the bot sent to `chat_id` that still exist, oldest first.
    pub fn messages_to(&self, chat_id: i64) -> Vec<SentMessage> {
        let mut list: Vec<SentMessage> = self
            .lock()
            .messages
            .values()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect();
        list.sort_by_key(|m| m.message_id);
        list
    }

    /// Waits until at least `count` calls of `method` were made; returns them.
    ///
    /// # Panics
    /// When `limit` passes first: the test fails rather than going on quietly.
    pub async fn wait_for_calls(&self, method: &str, count: usize, limit: Duration) -> Vec<Call> {
        self.wait_until(limit, &format!("{count} calls of {method}"), |fake| {
            let calls = fake.calls_to(method);
            (calls.len() >= count).then_some(calls)
        })
        .await
    }

    /// Waits until `check` gives a value (checked after every call the bot makes, and every
    /// 100 ms); returns it.
    ///
    /// # Panics
    /// When `limit` passes first, naming `what` was awaited.
    pub async fn wait_until<T>(
        &self,
        limit: Duration,
        what: &str,
        check: impl Fn(&Self) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.calls_made.notified();
            if let Some(value) = check(self) {
                return value;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "fake Telegram: timed out after {limit:?} waiting for {what} ({} calls so far)",
                self.call_count()
            );
            let wake = deadline.min(tokio::time::Instant::now() + Duration::from_millis(100));
            let _ = tokio::time::timeout_at(wake, notified).await;
        }
    }

    /// Updates not yet confirmed by the bot.
    pub fn pending_updates(&self) -> usize {
        self.lock().updates.len()
    }

    async fn serve_connection(&self, mut socket: TcpStream) {
        loop {
            let Some((path, body)) = read_request(&mut socket).await else {
                return;
            };
            if path.starts_with("/file/") {
                let (status, bytes) = match self.file_at(&path) {
                    Some(bytes) => (200, bytes),
                    None => (404, b"Not Found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                    reason_phrase(status),
                    bytes.len()
                );
                if socket.write_all(head.as_bytes()).await.is_err()
                    || socket.write_all(&bytes).await.is_err()
                {
                    return;
                }
                continue;
            }
            let Some((status, answer)) = self.handle(&path, &body).await else {
                // A dropped-connection fault: close without answering.
                return;
            };
            let text = answer.to_string();
            let response = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
                reason_phrase(status),
                text.len()
            );
            if socket.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    async fn handle(&self, path: &str, body: &[u8]) -> Option<(u16, Value)> {
        let method = path.rsplit('/').next().unwrap_or("").to_lowercase();
        let body: Value = parse_body(body);
        if method == "getupdates" {
            let hooked = {
                let mut state = self.lock();
                state.polls += 1;
                state.webhook.is_some()
            };
            if hooked {
                return Some(error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ));
            }
            return Some((200, ok(self.get_updates(&body).await)));
        }
        let answer = {
            let mut state = self.lock();
            let is_send = method == "sendmessage" || method == "sendphoto";
            let chat = body.get("chat_id").and_then(Value::as_i64);
            let mut fault = state.faults.get_mut(&method).and_then(VecDeque::pop_front);
            if fault.is_none() && is_send {
                fault = chat.and_then(|c| chat_fault(&mut state, c));
            }
            let answer = match fault {
                Some(Fault::DropConnection) => None,
                Some(fault) => Some(fault_answer(&fault)),
                None if is_send => match over_limit(&mut state, chat.unwrap_or(0)) {
                    Some(retry_after) => {
                        state.rate_limited += 1;
                        Some(fault_answer(&Fault::RetryAfter(retry_after)))
                    }
                    None => Some(answer_call(&mut state, &method, &body)),
                },
                None => Some(answer_call(&mut state, &method, &body)),
            };
            state.calls.push(Call {
                method,
                body,
                status: answer.as_ref().map_or(0, |(status, _)| *status),
                at: self.started.elapsed(),
            });
            answer
        };
        self.calls_made.notify_waiters();
        answer
    }

    async fn get_updates(&self, body: &Value) -> Value {
        let offset = body.get("offset").and_then(Value::as_i64).unwrap_or(0);
        let wait = Duration::from_secs(body.get("timeout").and_then(Value::as_u64).unwrap_or(0))
            .min(MAX_POLL_WAIT);
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = self.updates_ready.notified();
            {
                let mut state = self.lock();
                while state
                    .updates
                    .front()
                    .is_some_and(|u| u["update_id"].as_i64().unwrap_or(0) < offset)
                {
                    state.updates.pop_front();
                }
                if !state.updates.is_empty() || tokio::time::Instant::now() >= deadline {
                    let at = self.started.elapsed();
                    let fresh: Vec<Handout> = state
                        .updates
                        .iter()
                        .filter_map(|u| {
                            let update_id = u["update_id"].as_i64()?;
                            (update_id > state.handed_out_up_to).then(|| Handout {
                                update_id,
                                chat_id: update_chat(u),
                                at,
                            })
                        })
                        .collect();
                    if let Some(last) = fresh.last() {
                        state.handed_out_up_to = last.update_id;
                    }
                    state.handouts.extend(fresh);
                    return Value::Array(state.updates.iter().cloned().collect());
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

/// The fault a send to `chat` meets: a queued one, else a standing block or migration.
fn chat_fault(state: &mut State, chat: i64) -> Option<Fault> {
    if let Some(fault) = state
        .chat_faults
        .get_mut(&chat)
        .and_then(VecDeque::pop_front)
    {
        return Some(fault);
    }
    if state.blocked_chats.contains(&chat) {
        return Some(Fault::Blocked);
    }
    state
        .migrated_chats
        .get(&chat)
        .map(|to| Fault::Migrate(*to))
}

/// With limits on: `Some(retry_after)` when a send to `chat` now would break one; otherwise
/// the send is counted and `None` returned.
fn over_limit(state: &mut State, chat: i64) -> Option<u32> {
    let limits = state.limits?;
    let now = Instant::now();
    let second = Duration::from_secs(1);
    let minute = Duration::from_secs(60);
    while state
        .recent_sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= second)
    {
        state.recent_sends.pop_front();
    }
    let (window, most) = if chat < 0 {
        (minute, limits.group_per_minute)
    } else {
        (second, limits.chat_per_second)
    };
    let chat_recent = state.recent_by_chat.entry(chat).or_default();
    while chat_recent
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        chat_recent.pop_front();
    }
    if chat_recent.len() >= most {
        let wait = chat_recent
            .front()
            .map_or(window, |t| window.saturating_sub(now.duration_since(*t)));
        return Some(wait.as_secs_f64().ceil().max(1.0) as u32);
    }
    if state.recent_sends.len() >= limits.overall_per_second {
        return Some(1);
    }
    chat_recent.push_back(now);
    state.recent_sends.push_back(now);
    None
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "Newsbot", "username": BOT_USERNAME })
}

fn ok(result: Value) -> Value {
    json!({ "ok": true, "result": result })
}

fn error(code: u16, description: &str) -> (u16, Value) {
    (
        code,
        json!({ "ok": false, "error_code": code, "description": description }),
    )
}

fn fault_answer(fault: &Fault) -> (u16, Value) {
    match fault {
        Fault::RetryAfter(seconds) => (
            429,
            json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {seconds}"),
                "parameters": { "retry_after": seconds }
            }),
        ),
        Fault::Blocked => error(403, "Forbidden: bot was blocked by the user"),
        Fault::BadRequest(description) => error(400, &format!("Bad Request: {description}")),
        Fault::Migrate(to) => (
            400,
            json!({
                "ok": false,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": { "migrate_to_chat_id": to }
            }),
        ),
        Fault::ServerError(code) => error(*code, reason_phrase(*code)),
        Fault::DropConnection => error(500, "connection dropped"),
    }
}

fn answer_call(state: &mut State, method: &str, body: &Value) -> (u16, Value) {
    match method {
        "getme" => (
            200,
            ok(json!({
                "id": BOT_ID, "is_bot": true, "first_name": "Newsbot", "username": BOT_USERNAME,
                "can_join_groups": true, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false
            })),
        ),
        "setwebhook" => match body.get("url").and_then(Value::as_str) {
            Some(url) if url.starts_with("http") => {
                state.webhook = Some(Webhook {
                    url: url.to_owned(),
                    secret: body
                        .get("secret_token")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
                (200, ok(json!(true)))
            }
            _ => error(
                400,
                "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
            ),
        },
        "deletewebhook" => {
            state.webhook = None;
            (200, ok(json!(true)))
        }
        "getwebhookinfo" => (
            200,
            ok(json!({
                "url": state.webhook.as_ref().map_or("", |w| w.url.as_str()),
                "has_custom_certificate": false,
                "pending_update_count": state.updates.len(),
            })),
        ),
        "setmycommands" | "answercallbackquery" => (200, ok(json!(true))),
        "deletemessage" => {
            let chat_id = body.get("chat_id").and_then(Value::as_i64).unwrap_or(0);
            let message_id = body.get("message_id").and_then(Value::as_i64).unwrap_or(0);
            match state.messages.remove(&(chat_id, message_id)) {
                Some(_) => (200, ok(json!(true))),
                None => error(400, "Bad Request: message to delete not found"),
            }
        }
        "answerinlinequery" => {
            let results = body.get("results").and_then(Value::as_array);
            match results {
                Some(r) if r.len() > 50 => error(400, "Bad Request: RESULTS_TOO_MUCH"),
                Some(r)
                    if r.iter().any(|item| {
                        let text = item["input_message_content"]["message_text"]
                            .as_str()
                            .unwrap_or("");
                        let html = item["input_message_content"]["parse_mode"]
                            .as_str()
                            .is_some_and(|m| m.eq_ignore_ascii_case("html"));
                        let visible = if html {
                            visible_text(text).ok()
                        } else {
                            Some(text.to_owned())
                        };
                        visible.is_none_or(|v| {
                            v.trim().is_empty() || v.encode_utf16().count() > MAX_TEXT_UNITS
                        })
                    }) =>
                {
                    error(400, "Bad Request: MESSAGE_TEXT_INVALID")
                }
                _ => (200, ok(json!(true))),
            }
        }
        "getfile" => {
            let id = body.get("file_id").and_then(Value::as_str).unwrap_or("");
            match state.files.get(id) {
                Some((path, bytes)) => (
                    200,
                    ok(json!({
                        "file_id": id, "file_unique_id": format!("u{id}"),
                        "file_size": bytes.len(), "file_path": path
                    })),
                ),
                None => error(400, "Bad Request: invalid file_id"),
            }
        }
        "sendmessage" | "sendphoto" => send(state, method, body),
        "editmessagetext" | "editmessagereplymarkup" => edit(state, method, body),
        "getchatmember" => {
            let chat = body.get("chat_id").and_then(Value::as_i64).unwrap_or(0);
            let user = body.get("user_id").and_then(Value::as_i64).unwrap_or(0);
            let status = state
                .members
                .get(&(chat, user))
                .cloned()
                .unwrap_or_else(|| "member".to_owned());
            let user_json = json!({ "id": user, "is_bot": false, "first_name": "Member" });
            let member = match status.as_str() {
                "creator" => {
                    json!({ "status": "creator", "user": user_json, "is_anonymous": false })
                }
                "administrator" => json!({
                    "status": "administrator", "user": user_json, "is_anonymous": false, "can_be_edited": false,
                    "can_manage_chat": true, "can_change_info": true, "can_delete_messages": true,
                    "can_manage_video_chats": true, "can_invite_users": true, "can_restrict_members": true,
                    "can_promote_members": false
                }),
                other => json!({ "status": other, "user": user_json }),
            };
            (200, ok(member))
        }
        _ => error(404, "Not Found: method not found"),
    }
}

fn check_markup(body: &Value) -> Result<(), (u16, Value)> {
    let Some(rows) = body
        .get("reply_markup")
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        if let Some(data) = button.get("callback_data").and_then(Value::as_str)
            && (data.is_empty() || data.len() > MAX_CALLBACK_BYTES)
        {
            return Err(error(400, "Bad Request: BUTTON_DATA_INVALID"));
        }
    }
    Ok(())
}

fn check_text(body: &Value, field: &str) -> Result<String, (u16, Value)> {
    let text = body
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let html = body
        .get("parse_mode")
        .and_then(Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("html"));
    let visible = if html {
        visible_text(&text)
            .map_err(|e| error(400, &format!("Bad Request: can't parse entities: {e}")))?
    } else {
        text.clone()
    };
    if field == "text" && visible.trim().is_empty() {
        return Err(error(400, "Bad Request: message text is empty"));
    }
    if visible.encode_utf16().count() > MAX_TEXT_UNITS {
        return Err(error(400, "Bad Request: message is too long"));
    }
    Ok(text)
}

fn send(state: &mut State, method: &str, body: &Value) -> (u16, Value) {
    let Some(chat_id) = body.get("chat_id").and_then(Value::as_i64) else {
        return error(400, "Bad Request: chat_id is empty");
    };
    let field = if method == "sendphoto" {
        "caption"
    } else {
        "text"
    };
    let text = match check_text(body, field).and_then(|t| check_markup(body).map(|()| t)) {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    state.next_message_id += 1;
    let message_id = state.next_message_id;
    let reply_markup = body.get("reply_markup").cloned();
    state.messages.insert(
        (chat_id, message_id),
        SentMessage {
            chat_id,
            message_id,
            text: text.clone(),
            reply_markup: reply_markup.clone(),
        },
    );
    message_answer(
        state,
        chat_id,
        message_id,
        &text,
        reply_markup.as_ref(),
        method == "sendphoto",
    )
}

fn edit(state: &mut State, method: &str, body: &Value) -> (u16, Value) {
    let chat_id = body.get("chat_id").and_then(Value::as_i64).unwrap_or(0);
    let message_id = body.get("message_id").and_then(Value::as_i64).unwrap_or(0);
    if let Err(answer) = check_markup(body) {
        return answer;
    }
    let text = if method == "editmessagetext" {
        match check_text(body, "text") {
            Ok(text) => Some(text),
            Err(answer) => return answer,
        }
    } else {
        None
    };
    let Some(message) = state.messages.get_mut(&(chat_id, message_id)) else {
        return error(400, "Bad Request: message to edit not found");
    };
    let new_markup = body.get("reply_markup").cloned();
    if text.as_deref().is_none_or(|t| t == message.text) && new_markup == message.reply_markup {
        return error(400, "Bad Request: message is not modified");
    }
    if let Some(text) = text {
        message.text = text;
    }
    message.reply_markup = new_markup;
    let (text, markup) = (message.text.clone(), message.reply_markup.clone());
    message_answer(state, chat_id, message_id, &text, markup.as_ref(), false)
}

/// A successful answer carrying the bot's message as Telegram returns it.
fn message_answer(
    state: &State,
    chat_id: i64,
    message_id: i64,
    text: &str,
    markup: Option<&Value>,
    photo: bool,
) -> (u16, Value) {
    (
        200,
        ok(message_json(
            state, chat_id, message_id, text, markup, photo,
        )),
    )
}

fn message_json(
    state: &State,
    chat_id: i64,
    message_id: i64,
    text: &str,
    markup: Option<&Value>,
    photo: bool,
) -> Value {
    let chat = state
        .chats
        .get(&chat_id)
        .cloned()
        .unwrap_or_else(|| ChatRef::private(chat_id));
    let mut message = json!({ "message_id": message_id, "date": now_unix(), "chat": chat.to_json(), "from": bot_user() });
    if photo {
        message["photo"] =
            json!([{ "file_id": "photo", "file_unique_id": "photo", "width": 1, "height": 1 }]);
        message["caption"] = json!(text);
    } else {
        message["text"] = json!(text);
    }
    if let Some(markup) = markup {
        message["reply_markup"] = markup.clone();
    }
    message
}

/// Tags Telegram's HTML parse mode accepts.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
];

/// The text Telegram would show for `html`, or why it would refuse it.
pub fn visible_text(html: &str) -> Result<String, String> {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or("unclosed start tag")?;
                let tag = &rest[1..end];
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !TAGS.contains(&name.as_str()) {
                    return Err(format!("unsupported start tag \"{name}\""));
                }
                if tag.starts_with('/') {
                    if open.pop().as_deref() != Some(name.as_str()) {
                        return Err(format!("unexpected end tag \"{name}\""));
                    }
                } else {
                    open.push(name);
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let end = rest
                    .char_indices()
                    .take(10)
                    .find(|&(_, ch)| ch == ';')
                    .map(|(i, _)| i)
                    .ok_or("unescaped &")?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    _ => entity
                        .strip_prefix('#')
                        .and_then(|n| {
                            n.strip_prefix('x')
                                .map_or_else(|| n.parse().ok(), |h| u32::from_str_radix(h, 16).ok())
                        })
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("unsupported entity \"&{entity};\""))?,
                };
                out.push(decoded);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(name) = open.pop() {
        return Err(format!(
            "can't find end tag corresponding to start tag \"{name}\""
        ));
    }
    Ok(out)
}

/// The chat an update belongs to: a message's or a button press's.
fn update_chat(update: &Value) -> Option<i64> {
    update["message"]["chat"]["id"]
        .as_i64()
        .or_else(|| update["callback_query"]["message"]["chat"]["id"].as_i64())
}

/// A request body as JSON: JSON itself, or the text fields of a `multipart/form-data` body
/// (teloxide sends `setWebhook` as multipart, for its optional certificate).
fn parse_body(body: &[u8]) -> Value {
    if let Ok(value) = serde_json::from_slice(body) {
        return value;
    }
    let text = String::from_utf8_lossy(body);
    let Some(boundary) = text.lines().next().filter(|l| l.starts_with("--")) else {
        return Value::Null;
    };
    let boundary = boundary.trim_end().to_owned();
    let mut fields = serde_json::Map::new();
    for part in text.split(boundary.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        fields.insert(name.to_owned(), Value::String(value.to_owned()));
    }
    Value::Object(fields)
}

/// POSTs `body` as JSON to `url` (`http://host:port/path`) with Telegram's secret-token
/// header; returns the status, or 0 when the bot could not be reached.
async fn post_json(url: &str, secret: Option<&str>, body: &str) -> u16 {
    let Some(rest) = url.strip_prefix("http://") else {
        return 0;
    };
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let Ok(Ok(mut socket)) =
        tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(host)).await
    else {
        return 0;
    };
    let secret = secret.map_or(String::new(), |s| {
        format!("X-Telegram-Bot-Api-Secret-Token: {s}\r\n")
    });
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{secret}Connection: close\r\n\r\n{body}",
        body.len()
    );
    if socket.write_all(request.as_bytes()).await.is_err() {
        return 0;
    }
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let read = async {
        while !head.windows(2).any(|w| w == b"\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .is_err()
    {
        return 0;
    }
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Reads one HTTP/1.1 request from `socket`: its path and body (by `Content-Length`).
/// `None` when the peer closed the connection or sent something too large. Shared with other
/// loopback test servers so there is one request reader.
pub async fn read_request(socket: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 1 << 20 {
            return None;
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    if length > 16 << 20 {
        return None;
    }
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let path = head.split_whitespace().nth(1)?.to_owned();
    Some((path, data[head_end..head_end + length].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_checked_like_telegram_does() {
        assert_eq!(
            visible_text("<b>标题</b> &lt;x&gt; &amp; <a href=\"u\">link</a>").as_deref(),
            Ok("标题 <x> & link")
        );
        assert!(visible_text("<b>open").is_err());
        assert!(visible_text("a < b").is_err());
        assert!(visible_text("<script>x</script>").is_err());
        assert!(visible_text("fish & chips").is_err());
        assert!(visible_text("<b><i>x</b></i>").is_err());
    }
}
