//! The seam between delivery and whoever carries messages: the [`Notifier`] trait, our own
//! [`SendError`] (what delivery policy branches on), and [`MemoryNotifier`], an in-memory
//! carrier for tests of the policy. The Telegram implementation, which maps teloxide's
//! errors to [`SendError`], is `telegram::notifier`.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::core::subscriber::SubscriberId;

/// Why a message was not delivered, as delivery policy needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The chat is gone for good: blocked the bot, deactivated, kicked, not found.
    #[error("chat is gone: {0}")]
    ChatGone(String),
    /// Over a rate limit: wait this long, then send again.
    #[error("rate limited: retry after {0:?}")]
    RetryAfter(Duration),
    /// The group became a supergroup with this id.
    #[error("chat migrated to {0}")]
    Migrated(SubscriberId),
    /// Telegram could not parse the HTML.
    #[error("bad markup: {0}")]
    BadMarkup(String),
    /// Worth retrying: a server error, a timeout, a dropped connection.
    #[error("transient failure: {0}")]
    Transient(String),
    /// Refused for a reason that retrying will not fix.
    #[error("refused: {0}")]
    Refused(String),
    /// The message to edit or delete can no longer be changed (too old, no rights).
    #[error("message gone: {0}")]
    MessageGone(String),
    /// The message to edit or delete does not exist (any more).
    #[error("message not found: {0}")]
    MessageMissing(String),
}

impl SendError {
    /// A short label for metrics: `chat_gone`, `retry_after`, …
    #[must_use]
    pub fn reason(&self) -> &'static str {
        match self {
            Self::ChatGone(_) => "chat_gone",
            Self::RetryAfter(_) => "retry_after",
            Self::Migrated(_) => "migrated",
            Self::BadMarkup(_) => "bad_markup",
            Self::Transient(_) => "transient",
            Self::Refused(_) => "refused",
            Self::MessageGone(_) => "message_gone",
            Self::MessageMissing(_) => "message_missing",
        }
    }
}

/// Carries messages to chats.
pub trait Notifier: Send + Sync + 'static {
    /// Sends `html` (Telegram HTML) to `to`; returns the message id.
    fn send_html(
        &self,
        to: SubscriberId,
        html: &str,
    ) -> impl Future<Output = Result<i32, SendError>> + Send;

    /// Sends `html` to `to` with buttons under it, `(label, callback data)`, so many to a row;
    /// returns the message id. A notifier that shows no buttons sends the text alone.
    fn send_html_with_buttons(
        &self,
        to: SubscriberId,
        html: &str,
        buttons: &[(String, String)],
        per_row: usize,
    ) -> impl Future<Output = Result<i32, SendError>> + Send {
        let _ = (buttons, per_row);
        self.send_html(to, html)
    }

    /// Sends `text` as plain text to `to`; returns the message id.
    fn send_plain(
        &self,
        to: SubscriberId,
        text: &str,
    ) -> impl Future<Output = Result<i32, SendError>> + Send;

    /// Replaces the text of message `message_id` in `to` with `html`. An edit that changes
    /// nothing is a success.
    fn edit_html(
        &self,
        to: SubscriberId,
        message_id: i32,
        html: &str,
    ) -> impl Future<Output = Result<(), SendError>> + Send;

    /// Deletes message `message_id` in `to`.
    fn delete(
        &self,
        to: SubscriberId,
        message_id: i32,
    ) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// A message [`MemoryNotifier`] delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The chat.
    pub to: SubscriberId,
    /// The text as sent.
    pub text: String,
    /// True when sent as HTML.
    pub html: bool,
    /// The id it got.
    pub message_id: i32,
}

#[derive(Default)]
struct Memory {
    delivered: Vec<Delivered>,
    deleted: Vec<(SubscriberId, i32)>,
    faults: HashMap<SubscriberId, VecDeque<SendError>>,
    next_id: i32,
}

/// Keeps what it is given, and answers with the errors a test queued for a chat.
#[derive(Clone, Default)]
pub struct MemoryNotifier {
    memory: Arc<Mutex<Memory>>,
}

impl MemoryNotifier {
    /// An empty notifier.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the next send to `to` fail with `error` (queued in order).
    pub fn fail_next(&self, to: SubscriberId, error: SendError) {
        self.lock().faults.entry(to).or_default().push_back(error);
    }

    /// Everything delivered so far, in order.
    #[must_use]
    pub fn delivered(&self) -> Vec<Delivered> {
        self.lock().delivered.clone()
    }

    /// Messages deleted so far, `(chat, message id)`.
    #[must_use]
    pub fn deleted(&self) -> Vec<(SubscriberId, i32)> {
        self.lock().deleted.clone()
    }

    /// Messages delivered to `to`.
    #[must_use]
    pub fn delivered_to(&self, to: SubscriberId) -> Vec<Delivered> {
        self.lock()
            .delivered
            .iter()
            .filter(|d| d.to == to)
            .cloned()
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn deliver(&self, to: SubscriberId, text: &str, html: bool) -> Result<i32, SendError> {
        let mut memory = self.lock();
        if let Some(error) = memory.faults.get_mut(&to).and_then(VecDeque::pop_front) {
            return Err(error);
        }
        memory.next_id += 1;
        let message_id = memory.next_id;
        memory.delivered.push(Delivered {
            to,
            text: text.to_owned(),
            html,
            message_id,
        });
        Ok(message_id)
    }
}

impl Notifier for MemoryNotifier {
    async fn send_html(&self, to: SubscriberId, html: &str) -> Result<i32, SendError> {
        self.deliver(to, html, true)
    }

    async fn send_plain(&self, to: SubscriberId, text: &str) -> Result<i32, SendError> {
        self.deliver(to, text, false)
    }

    async fn edit_html(
        &self,
        to: SubscriberId,
        message_id: i32,
        html: &str,
    ) -> Result<(), SendError> {
        let mut memory = self.lock();
        if let Some(error) = memory.faults.get_mut(&to).and_then(VecDeque::pop_front) {
            return Err(error);
        }
        let found = memory
            .delivered
            .iter_mut()
            .find(|d| d.to == to && d.message_id == message_id);
        match found {
            Some(d) => {
                d.text = html.to_owned();
                Ok(())
            }
            None => Err(SendError::MessageMissing(
                "message to edit not found".to_owned(),
            )),
        }
    }

    async fn delete(&self, to: SubscriberId, message_id: i32) -> Result<(), SendError> {
        let mut memory = self.lock();
        if let Some(error) = memory.faults.get_mut(&to).and_then(VecDeque::pop_front) {
            return Err(error);
        }
        let before = memory.delivered.len();
        memory
            .delivered
            .retain(|d| !(d.to == to && d.message_id == message_id));
        if memory.delivered.len() == before {
            return Err(SendError::MessageMissing(
                "message to delete not found".to_owned(),
            ));
        }
        memory.deleted.push((to, message_id));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_memory_notifier_edits_deletes_and_fails_on_request() {
        let n = MemoryNotifier::new();
        let chat = SubscriberId(1);
        let id = n.send_html(chat, "<b>a</b>").await.expect("sent");
        n.edit_html(chat, id, "<b>b</b>").await.expect("edited");
        assert_eq!(n.delivered_to(chat)[0].text, "<b>b</b>");
        n.delete(chat, id).await.expect("deleted");
        assert_eq!(n.deleted(), vec![(chat, id)]);
        assert!(matches!(
            n.delete(chat, id).await,
            Err(SendError::MessageMissing(_))
        ));
        n.fail_next(chat, SendError::ChatGone("blocked".into()));
        assert!(matches!(
            n.send_plain(chat, "x").await,
            Err(SendError::ChatGone(_))
        ));
    }
}
