//! The Bot API methods the fake answers, given the state and the call's body: what each
//! changes (the messages that exist, the webhook) and the JSON it answers.

use serde_json::{Value, json};

use crate::html::{TextRefusal, check_text, inline_result_invalid};
use crate::records::SentMessage;
use crate::refs::{ChatRef, bot_user, now_unix};
use crate::state::{State, Webhook};
use crate::{BOT_ID, BOT_USERNAME, MAX_CALLBACK_BYTES};

/// An HTTP status and the JSON body Telegram answers with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Answer {
    /// 200 with `{"ok": true, "result": result}`.
    pub(crate) fn ok(result: Value) -> Self {
        Self {
            status: 200,
            body: json!({ "ok": true, "result": result }),
        }
    }

    /// `code` with `{"ok": false, "error_code": code, "description": description}`.
    pub(crate) fn error(code: u16, description: &str) -> Self {
        Self {
            status: code,
            body: json!({ "ok": false, "error_code": code, "description": description }),
        }
    }

    /// 400 for a refused text.
    fn refused(why: &TextRefusal) -> Self {
        Self::error(400, &format!("Bad Request: {why}"))
    }
}

/// An integer field, 0 when missing (Telegram would refuse; the fake finds nothing).
fn int(body: &Value, field: &str) -> i64 {
    body.get(field).and_then(Value::as_i64).unwrap_or(0)
}

/// Answers `method` (lower-case) called with `body`, which was neither faulted nor
/// rate-limited.
pub(crate) fn answer_call(state: &mut State, method: &str, body: &Value) -> Answer {
    match method {
        "getme" => Answer::ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Newsbot", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false
        })),
        "setwebhook" => match body.get("url").and_then(Value::as_str) {
            Some(url) if url.starts_with("http") => {
                state.webhook = Some(Webhook {
                    url: url.to_owned(),
                    secret: body
                        .get("secret_token")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
                Answer::ok(json!(true))
            }
            _ => Answer::error(
                400,
                "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
            ),
        },
        "deletewebhook" => {
            state.webhook = None;
            Answer::ok(json!(true))
        }
        "getwebhookinfo" => Answer::ok(json!({
            "url": state.webhook.as_ref().map_or("", |w| w.url.as_str()),
            "has_custom_certificate": false,
            "pending_update_count": state.updates.len(),
        })),
        "setmycommands" | "answercallbackquery" => Answer::ok(json!(true)),
        "deletemessage" => {
            match state
                .messages
                .remove(&(int(body, "chat_id"), int(body, "message_id")))
            {
                Some(_) => Answer::ok(json!(true)),
                None => Answer::error(400, "Bad Request: message to delete not found"),
            }
        }
        "answerinlinequery" => match body.get("results").and_then(Value::as_array) {
            Some(r) if r.len() > 50 => Answer::error(400, "Bad Request: RESULTS_TOO_MUCH"),
            Some(r) if r.iter().any(inline_result_invalid) => {
                Answer::error(400, "Bad Request: MESSAGE_TEXT_INVALID")
            }
            _ => Answer::ok(json!(true)),
        },
        "getfile" => {
            let id = body.get("file_id").and_then(Value::as_str).unwrap_or("");
            match state.files.get(id) {
                Some((path, bytes)) => Answer::ok(json!({
                    "file_id": id, "file_unique_id": format!("u{id}"),
                    "file_size": bytes.len(), "file_path": path
                })),
                None => Answer::error(400, "Bad Request: invalid file_id"),
            }
        }
        "sendmessage" | "sendphoto" => send(state, method, body),
        "editmessagetext" | "editmessagereplymarkup" => edit(state, method, body),
        "getchatmember" => chat_member(state, int(body, "chat_id"), int(body, "user_id")),
        _ => Answer::error(404, "Not Found: method not found"),
    }
}

/// getChatMember: the status a test set for `user` in `chat`, `member` by default.
fn chat_member(state: &State, chat: i64, user: i64) -> Answer {
    let status = state
        .members
        .get(&(chat, user))
        .map_or("member", String::as_str);
    let user_json = json!({ "id": user, "is_bot": false, "first_name": "Member" });
    let member = match status {
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
    Answer::ok(member)
}

/// Refuses callback data that is empty or longer than [`MAX_CALLBACK_BYTES`].
fn check_markup(body: &Value) -> Result<(), Answer> {
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
            return Err(Answer::error(400, "Bad Request: BUTTON_DATA_INVALID"));
        }
    }
    Ok(())
}

/// sendMessage and sendPhoto: checks the text (or caption) and buttons, keeps the message.
fn send(state: &mut State, method: &str, body: &Value) -> Answer {
    let Some(chat_id) = body.get("chat_id").and_then(Value::as_i64) else {
        return Answer::error(400, "Bad Request: chat_id is empty");
    };
    let photo = method == "sendphoto";
    let field = if photo { "caption" } else { "text" };
    let text = match check_text(body, field) {
        Ok(text) => text,
        Err(why) => return Answer::refused(&why),
    };
    if let Err(answer) = check_markup(body) {
        return answer;
    }
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
    Answer::ok(message_json(
        state,
        chat_id,
        message_id,
        &text,
        reply_markup.as_ref(),
        photo,
    ))
}

/// editMessageText and editMessageReplyMarkup on a message that exists; an edit that
/// changes nothing is refused, as Telegram does.
fn edit(state: &mut State, method: &str, body: &Value) -> Answer {
    let key = (int(body, "chat_id"), int(body, "message_id"));
    if let Err(answer) = check_markup(body) {
        return answer;
    }
    let text = if method == "editmessagetext" {
        match check_text(body, "text") {
            Ok(text) => Some(text),
            Err(why) => return Answer::refused(&why),
        }
    } else {
        None
    };
    let Some(message) = state.messages.get_mut(&key) else {
        return Answer::error(400, "Bad Request: message to edit not found");
    };
    let new_markup = body.get("reply_markup").cloned();
    if text.as_deref().is_none_or(|t| t == message.text) && new_markup == message.reply_markup {
        return Answer::error(400, "Bad Request: message is not modified");
    }
    if let Some(text) = text {
        message.text = text;
    }
    message.reply_markup = new_markup;
    let (text, markup) = (message.text.clone(), message.reply_markup.clone());
    Answer::ok(message_json(
        state,
        key.0,
        key.1,
        &text,
        markup.as_ref(),
        false,
    ))
}

/// The bot's message as Telegram returns it; a photo carries `text` as its caption.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(state: &mut State, body: Value) -> i64 {
        let answer = answer_call(state, "sendmessage", &body);
        assert_eq!(answer.status, 200, "{answer:?}");
        answer.body["result"]["message_id"].as_i64().unwrap_or(0)
    }

    #[test]
    fn sends_keep_messages_and_deletes_remove_them() {
        let mut state = State::new();
        let id = sent(&mut state, json!({ "chat_id": 5, "text": "a" }));
        assert_eq!(id, 1001);
        let delete = json!({ "chat_id": 5, "message_id": id });
        assert_eq!(
            answer_call(&mut state, "deletemessage", &delete),
            Answer::ok(json!(true))
        );
        assert_eq!(
            answer_call(&mut state, "deletemessage", &delete),
            Answer::error(400, "Bad Request: message to delete not found")
        );
    }

    #[test]
    fn edits_must_change_something() {
        let mut state = State::new();
        let id = sent(&mut state, json!({ "chat_id": 5, "text": "a" }));
        let edit = |text: &str| json!({ "chat_id": 5, "message_id": id, "text": text });
        let answer = answer_call(&mut state, "editmessagetext", &edit("a"));
        assert_eq!(
            answer,
            Answer::error(400, "Bad Request: message is not modified")
        );
        let answer = answer_call(&mut state, "editmessagetext", &edit("b"));
        assert_eq!(
            (answer.status, &answer.body["result"]["text"]),
            (200, &json!("b"))
        );
        let markup = json!({ "chat_id": 5, "message_id": id,
            "reply_markup": { "inline_keyboard": [[{ "text": "x", "callback_data": "y" }]] } });
        assert_eq!(
            answer_call(&mut state, "editmessagereplymarkup", &markup).status,
            200
        );
        let buttons = state.messages[&(5, id)].buttons();
        assert_eq!(buttons, vec![("x".to_owned(), "y".to_owned())]);
        let missing = json!({ "chat_id": 5, "message_id": 1, "text": "c" });
        assert_eq!(
            answer_call(&mut state, "editmessagetext", &missing),
            Answer::error(400, "Bad Request: message to edit not found")
        );
    }

    #[test]
    fn sends_are_checked_like_telegram_does() {
        let mut state = State::new();
        let refused = |state: &mut State, body: Value| {
            answer_call(state, "sendmessage", &body).body["description"].clone()
        };
        assert_eq!(
            refused(&mut state, json!({ "text": "a" })),
            "Bad Request: chat_id is empty"
        );
        assert_eq!(
            refused(&mut state, json!({ "chat_id": 1, "text": " " })),
            "Bad Request: message text is empty"
        );
        let long_data = "d".repeat(MAX_CALLBACK_BYTES + 1);
        let body = json!({ "chat_id": 1, "text": "a",
            "reply_markup": { "inline_keyboard": [[{ "text": "x", "callback_data": long_data }]] } });
        assert_eq!(
            refused(&mut state, body),
            "Bad Request: BUTTON_DATA_INVALID"
        );
        let photo = answer_call(&mut state, "sendphoto", &json!({ "chat_id": 1 }));
        assert_eq!(photo.body["result"]["caption"], "");
        assert!(state.messages.len() == 1);
    }

    #[test]
    fn webhooks_need_an_http_url() {
        let mut state = State::new();
        let answer = answer_call(&mut state, "setwebhook", &json!({ "url": "ftp://x" }));
        assert_eq!(answer.status, 400);
        let body = json!({ "url": "http://127.0.0.1:1/h", "secret_token": "s" });
        assert_eq!(
            answer_call(&mut state, "setwebhook", &body),
            Answer::ok(json!(true))
        );
        assert_eq!(
            state.webhook.as_ref().and_then(|w| w.secret.as_deref()),
            Some("s")
        );
        let info = answer_call(&mut state, "getwebhookinfo", &Value::Null);
        assert_eq!(info.body["result"]["url"], "http://127.0.0.1:1/h");
    }

    #[test]
    fn chat_members_default_to_member() {
        let mut state = State::new();
        state.members.insert((-1, 2), "administrator".to_owned());
        let status = |state: &mut State, user: i64| {
            let body = json!({ "chat_id": -1, "user_id": user });
            answer_call(state, "getchatmember", &body).body["result"]["status"].clone()
        };
        assert_eq!(status(&mut state, 2), "administrator");
        assert_eq!(status(&mut state, 3), "member");
    }
}
