//! What a test makes happen on Telegram's side: messages and documents from users, button
//! presses, inline queries, changes of the bot's membership, and member statuses. Each
//! becomes an update queued for the bot.

use serde_json::{Value, json};

use crate::FakeTelegram;
use crate::refs::{ChatRef, UserRef, bot_user, now_unix};

impl FakeTelegram {
    /// Queues `update` with the next update id; returns the id.
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
}
