//! One Bot API call from arrival to record: `getUpdates` goes to the long poll; any other
//! method meets its injected fault, a chat's fault or the rate limits first, is answered
//! otherwise, and is recorded with the status it got.

use std::collections::VecDeque;

use serde_json::Value;

use crate::FakeTelegram;
use crate::limits::{Fault, chat_fault, over_limit};
use crate::methods::{Answer, answer_call};
use crate::records::Call;

/// What Telegram answers `getUpdates` while a webhook is set.
const WEBHOOK_CONFLICT: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

impl FakeTelegram {
    /// Answers `method` (lower-case) called with `body`; `None` when the connection is to
    /// be dropped without an answer.
    pub(crate) async fn handle(&self, method: String, body: Value) -> Option<Answer> {
        if method == "getupdates" {
            return Some(self.answer_get_updates(body).await);
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
                Some(fault) => Some(fault.answer()),
                None if is_send => match over_limit(&mut state, chat.unwrap_or(0)) {
                    Some(retry_after) => {
                        state.rate_limited += 1;
                        Some(Fault::RetryAfter(retry_after).answer())
                    }
                    None => Some(answer_call(&mut state, &method, &body)),
                },
                None => Some(answer_call(&mut state, &method, &body)),
            };
            state.calls.push(Call {
                method,
                body,
                status: answer.as_ref().map_or(0, |a| a.status),
                at: self.started.elapsed(),
            });
            answer
        };
        self.calls_made.notify_waiters();
        answer
    }

    /// `getUpdates`: counted, refused while a webhook is set, otherwise a long poll. It is
    /// neither faulted nor recorded as a call.
    async fn answer_get_updates(&self, body: Value) -> Answer {
        let hooked = {
            let mut state = self.lock();
            state.polls += 1;
            state.webhook.is_some()
        };
        if hooked {
            return Answer::error(409, WEBHOOK_CONFLICT);
        }
        // The poll runs on its own task so that it completes (and records what it handed
        // out) even if the bot hangs up meanwhile, as it did when the fake served each
        // connection itself.
        let poller = self.clone();
        match tokio::spawn(async move { poller.get_updates(&body).await }).await {
            Ok(updates) => Answer::ok(updates),
            Err(_) => Answer::error(500, "Internal Server Error"),
        }
    }
}
