//! Sends a chat reply through the bot's pacer: each attempt takes a reply slot from the pacer
//! the broadcast uses (ahead of broadcast copies), so replies and copies together stay inside
//! Telegram's limits. When Telegram answers 429, every sender is held for `retry_after`; a
//! short hold is waited out and the reply sent again (at most twice), so a resident's question
//! is still answered; any other error, or a long wait, is returned at once.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::requests::{Output, Request};

use crate::edge::telegram::pacing::Pacer;

/// Longest `retry_after` a chat reply waits out; longer holds mean the bot is flooding and
/// the reply is dropped (and logged by the dispatcher's error handler).
pub const MAX_REPLY_HOLD: Duration = Duration::from_secs(10);

/// Retries after `retry_after`, at most this many times.
const MAX_RETRIES: usize = 2;

/// `.send_paced(&pacer).await` in place of `.await` on a request that sends a message.
pub trait SendPaced: Request<Err = RequestError> + Sized + Send + Sync {
    /// Sends the request in a reply slot of `pacer`, waiting out short 429 holds.
    fn send_paced(
        self,
        pacer: &Pacer,
    ) -> impl Future<Output = Result<Output<Self>, RequestError>> + Send
    where
        Self::Send: Send,
        for<'a> Self::SendRef: Send,
        Output<Self>: Send,
    {
        async move {
            let mut retries = 0;
            loop {
                pacer.reply_slot().await;
                match self.send_ref().await {
                    Err(RequestError::RetryAfter(after)) => {
                        pacer.hold_off(after.duration());
                        if retries >= MAX_RETRIES || after.duration() > MAX_REPLY_HOLD {
                            return Err(RequestError::RetryAfter(after));
                        }
                        retries += 1;
                        tracing::warn!(
                            wait_ms = after.duration().as_millis() as u64,
                            "reply held by Telegram (429); sending again after the wait"
                        );
                    }
                    other => return other,
                }
            }
        }
    }
}

impl<R> SendPaced for R where R: Request<Err = RequestError> + Sized + Send + Sync {}
