//! What a test reads back: the calls the bot made, the messages that exist, updates handed
//! out and pushed, and the waiting helpers, which panic rather than wait quietly forever.

use std::time::Duration;

use crate::FakeTelegram;
use crate::records::{Call, Handout, Push, SentMessage};

impl FakeTelegram {
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

    /// Updates not yet confirmed by the bot.
    pub fn pending_updates(&self) -> usize {
        self.lock().updates.len()
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
}
