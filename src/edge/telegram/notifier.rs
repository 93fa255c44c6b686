//! The Telegram side of the [`Notifier`] seam: sends through teloxide's `Bot` and maps every
//! `RequestError` to our [`SendError`], so delivery policy never sees a teloxide type.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode};
use teloxide::{ApiError, RequestError};

use crate::core::subscriber::SubscriberId;
use crate::edge::notifier::{Notifier, SendError};

/// Sends with a teloxide [`Bot`].
#[derive(Clone)]
pub struct TelegramNotifier {
    bot: Bot,
    paid_broadcast: bool,
}

impl TelegramNotifier {
    /// A notifier sending through `bot`; with `paid_broadcast`, every message carries
    /// `allow_paid_broadcast` (up to 1000 messages a second, paid per message).
    #[must_use]
    pub fn new(bot: Bot, paid_broadcast: bool) -> Self {
        Self {
            bot,
            paid_broadcast,
        }
    }

    async fn send(&self, to: SubscriberId, text: &str, html: bool) -> Result<i32, SendError> {
        self.send_with(to, text, html, None).await
    }

    async fn send_with(
        &self,
        to: SubscriberId,
        text: &str,
        html: bool,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<i32, SendError> {
        let mut request = self.bot.send_message(ChatId(to.0), text);
        if html {
            request = request.parse_mode(ParseMode::Html);
        }
        if let Some(keyboard) = keyboard {
            request = request.reply_markup(keyboard);
        }
        if self.paid_broadcast {
            request = request.allow_paid_broadcast(true);
        }
        request.await.map(|m| m.id.0).map_err(|e| send_error(&e))
    }
}

impl Notifier for TelegramNotifier {
    async fn send_html(&self, to: SubscriberId, html: &str) -> Result<i32, SendError> {
        self.send(to, html, true).await
    }

    async fn send_html_with_buttons(
        &self,
        to: SubscriberId,
        html: &str,
        buttons: &[(String, String)],
        per_row: usize,
    ) -> Result<i32, SendError> {
        let rows: Vec<Vec<InlineKeyboardButton>> = buttons
            .chunks(per_row.max(1))
            .map(|row| {
                row.iter()
                    .map(|(label, data)| {
                        InlineKeyboardButton::callback(label.clone(), data.clone())
                    })
                    .collect()
            })
            .collect();
        let keyboard = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
        self.send_with(to, html, true, keyboard).await
    }

    async fn send_plain(&self, to: SubscriberId, text: &str) -> Result<i32, SendError> {
        self.send(to, text, false).await
    }

    async fn edit_html(
        &self,
        to: SubscriberId,
        message_id: i32,
        html: &str,
    ) -> Result<(), SendError> {
        let edited = self
            .bot
            .edit_message_text(ChatId(to.0), MessageId(message_id), html)
            .parse_mode(ParseMode::Html)
            .await;
        match edited {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
            Err(e) => Err(send_error(&e)),
        }
    }

    async fn delete(&self, to: SubscriberId, message_id: i32) -> Result<(), SendError> {
        self.bot
            .delete_message(ChatId(to.0), MessageId(message_id))
            .await
            .map(drop)
            .map_err(|e| send_error(&e))
    }
}

/// Our reading of a teloxide error.
#[must_use]
pub fn send_error(error: &RequestError) -> SendError {
    match error {
        RequestError::RetryAfter(seconds) => SendError::RetryAfter(seconds.duration()),
        RequestError::MigrateToChatId(chat) => SendError::Migrated(SubscriberId(chat.0)),
        RequestError::Network(e) => SendError::Transient(format!("network: {e}")),
        RequestError::Io(e) => SendError::Transient(format!("i/o: {e}")),
        // A body that is not Telegram's JSON comes from a proxy or a server error page.
        RequestError::InvalidJson { .. } => SendError::Transient("unreadable answer".to_owned()),
        RequestError::Api(api) => api_error(api),
    }
}

fn api_error(api: &ApiError) -> SendError {
    match api {
        ApiError::BotBlocked
        | ApiError::UserDeactivated
        | ApiError::BotKicked
        | ApiError::BotKickedFromSupergroup
        | ApiError::BotKickedFromChannel
        | ApiError::ChatNotFound
        | ApiError::GroupDeactivated
        | ApiError::CantInitiateConversation
        | ApiError::CantTalkWithBots => SendError::ChatGone(api.to_string()),
        ApiError::CantParseEntities(description) => SendError::BadMarkup(description.clone()),
        ApiError::MessageToEditNotFound | ApiError::MessageToDeleteNotFound => {
            SendError::MessageMissing(api.to_string())
        }
        ApiError::MessageCantBeDeleted
        | ApiError::MessageCantBeEdited
        | ApiError::MessageIdInvalid => SendError::MessageGone(api.to_string()),
        ApiError::Unknown(description) => describe(description),
        other => SendError::Refused(other.to_string()),
    }
}

/// Errors teloxide does not name, read from Telegram's description.
fn describe(description: &str) -> SendError {
    let lower = description.to_lowercase();
    if lower.starts_with("forbidden") {
        SendError::ChatGone(description.to_owned())
    } else if lower.contains("can't parse entities")
        || lower.contains("can\u{2019}t parse entities")
    {
        SendError::BadMarkup(description.to_owned())
    } else if lower.contains("message to edit not found")
        || lower.contains("message to delete not found")
    {
        SendError::MessageMissing(description.to_owned())
    } else if lower.contains("message can't be") {
        SendError::MessageGone(description.to_owned())
    } else if lower.contains("chat not found") {
        SendError::ChatGone(description.to_owned())
    } else if lower.starts_with("internal server error")
        || lower.starts_with("bad gateway")
        || lower.starts_with("service unavailable")
        || lower.starts_with("gateway")
        || lower.contains("timeout")
        || lower.contains("too many requests")
    {
        SendError::Transient(description.to_owned())
    } else {
        SendError::Refused(description.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_descriptions_map_to_what_delivery_does() {
        let table = [
            ("Forbidden: bot was kicked from the group chat", "gone"),
            ("Forbidden: user is deactivated", "gone"),
            ("Bad Request: can't parse entities: unclosed tag", "markup"),
            ("Internal Server Error", "transient"),
            ("Bad Gateway", "transient"),
            ("Bad Request: message is too long", "refused"),
        ];
        for (description, expected) in table {
            let got = match describe(description) {
                SendError::ChatGone(_) => "gone",
                SendError::BadMarkup(_) => "markup",
                SendError::Transient(_) => "transient",
                SendError::Refused(_) => "refused",
                _ => "other",
            };
            assert_eq!(got, expected, "{description}");
        }
        assert!(matches!(
            api_error(&ApiError::BotBlocked),
            SendError::ChatGone(_)
        ));
    }
}
