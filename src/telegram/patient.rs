//! Sends a chat reply patiently: when Telegram answers 429 with a short `retry_after`, the
//! reply waits that long and is sent again (at most twice), so a resident's question is
//! still answered; any other error, or a long wait, is returned at once.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::requests::{Output, Request};

/// Longest `retry_after` a chat reply waits out; longer holds mean the bot is flooding and
/// the reply is dropped (and logged by the dispatcher's error handler).
pub const MAX_REPLY_HOLD: Duration = Duration::from_secs(10);

/// Retries after `retry_after`, at most this many times.
const MAX_RETRIES: usize = 2;

/// `.send_patiently().await` in place of `.await` on a request.
pub trait SendPatiently: Request<Err = RequestError> + Sized + Send + Sync {
    /// Sends the request, waiting out short 429 holds.
    fn send_patiently(self) -> impl Future<Output = Result<Output<Self>, RequestError>> + Send
    where
        Self::Send: Send,
        for<'a> Self::SendRef: Send,
        Output<Self>: Send,
    {
        async move {
            let mut retries = 0;
            loop {
                match self.send_ref().await {
                    Err(RequestError::RetryAfter(after))
                        if retries < MAX_RETRIES && after.duration() <= MAX_REPLY_HOLD =>
                    {
                        retries += 1;
                        tracing::warn!(
                            wait_ms = after.duration().as_millis() as u64,
                            "reply held by Telegram (429); sending again after the wait"
                        );
                        tokio::time::sleep(after.duration()).await;
                    }
                    other => return other,
                }
            }
        }
    }
}

impl<R> SendPatiently for R where R: Request<Err = RequestError> + Sized + Send + Sync {}
