//! What the fake records for tests to inspect: calls, the bot's messages, updates handed
//! out by `getUpdates` and webhook pushes.

use std::time::Duration;

use serde_json::Value;

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

/// One attempt to POST an update to the bot's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// The update's id.
    pub update_id: i64,
    /// HTTP status the bot answered (0 when it could not be reached).
    pub status: u16,
}
