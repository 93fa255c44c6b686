//! What every endpoint of the chat shares: the application state the handler tree carries,
//! the handler result, and sending a reply paced with the broadcast.

use crate::edge::telegram::pacing::Pacer;
use crate::edge::telegram::patient::SendPaced;
use std::sync::Arc;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{Chat, ParseMode};

use crate::core::subscriber::{ChatKind, SubscriberId};
use crate::core::summary::Summarizer;
use crate::edge::clock::Clock;
use crate::edge::store::Store;

/// Errors an endpoint can return; the dispatcher logs them.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// What endpoints return.
pub type HandlerResult = Result<(), HandlerError>;

/// What every endpoint shares, injected once into the dispatcher.
#[derive(Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
    /// The summariser's word segmenter serves search.
    pub summarizer: Arc<Summarizer>,
    /// The paper's name for the welcome message.
    pub edition_name: String,
    /// The paper's time zone, which decides which day's digest is "today's".
    pub timezone: chrono_tz::Tz,
    /// The newsroom: editors, breaking notices.
    pub newsroom: Arc<crate::app::newsroom::Newsroom>,
    /// The editions served, the default first (its store is `store`).
    pub editions: Arc<super::followed::ChatEditions>,
    /// The item each chat was last shown, for follow-up questions.
    pub shown: Arc<super::shown::ShownItems>,
}

pub(super) fn subscriber_id(chat: &Chat) -> SubscriberId {
    SubscriberId(chat.id.0)
}

pub(super) fn chat_kind(chat: &Chat) -> ChatKind {
    if chat.is_group() {
        ChatKind::Group
    } else if chat.is_supergroup() {
        ChatKind::Supergroup
    } else if chat.is_channel() {
        ChatKind::Channel
    } else {
        ChatKind::Private
    }
}

/// The outcome of editing a message in place: an edit that changes nothing (the same text
/// and buttons, after a double press) is not an error.
pub(super) fn edited(result: Result<Message, RequestError>) -> HandlerResult {
    match result {
        Ok(_) | Err(RequestError::Api(teloxide::ApiError::MessageNotModified)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn say(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    text: impl Into<String>,
) -> Result<Message, RequestError> {
    bot.send_message(chat, text).send_paced(pacer).await
}

pub(super) async fn say_html(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    html: String,
) -> Result<Message, RequestError> {
    bot.send_message(chat, html)
        .parse_mode(ParseMode::Html)
        .send_paced(pacer)
        .await
}
