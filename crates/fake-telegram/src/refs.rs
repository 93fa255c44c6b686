//! Chats, users and the bot itself as tests describe them, and as Bot API JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::{BOT_ID, BOT_USERNAME};

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

    pub(crate) fn to_json(&self) -> Value {
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

    pub(crate) fn to_json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(code) = &self.language_code {
            user["language_code"] = json!(code);
        }
        user
    }
}

/// The bot as a `User`.
pub(crate) fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "Newsbot", "username": BOT_USERNAME })
}

/// Seconds since the Unix epoch, for message dates.
pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
