//! `getUpdates` long polling: confirming updates below `offset`, waiting (at most
//! [`MAX_POLL_WAIT`]) for one to arrive, and recording each update the first time it is
//! handed out.

use std::time::Duration;

use serde_json::Value;

use crate::records::Handout;
use crate::{FakeTelegram, MAX_POLL_WAIT};

impl FakeTelegram {
    /// The pending updates from `offset` on, once there is one or the poll's `timeout`
    /// (capped at [`MAX_POLL_WAIT`]) has passed.
    pub(crate) async fn get_updates(&self, body: &Value) -> Value {
        let offset = body.get("offset").and_then(Value::as_i64).unwrap_or(0);
        let wait = Duration::from_secs(body.get("timeout").and_then(Value::as_u64).unwrap_or(0))
            .min(MAX_POLL_WAIT);
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = self.updates_ready.notified();
            {
                let mut state = self.lock();
                while state
                    .updates
                    .front()
                    .is_some_and(|u| u["update_id"].as_i64().unwrap_or(0) < offset)
                {
                    state.updates.pop_front();
                }
                if !state.updates.is_empty() || tokio::time::Instant::now() >= deadline {
                    let at = self.started.elapsed();
                    let fresh: Vec<Handout> = state
                        .updates
                        .iter()
                        .filter_map(|u| {
                            let update_id = u["update_id"].as_i64()?;
                            (update_id > state.handed_out_up_to).then(|| Handout {
                                update_id,
                                chat_id: update_chat(u),
                                at,
                            })
                        })
                        .collect();
                    if let Some(last) = fresh.last() {
                        state.handed_out_up_to = last.update_id;
                    }
                    state.handouts.extend(fresh);
                    return Value::Array(state.updates.iter().cloned().collect());
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

/// The chat an update belongs to: a message's or a button press's.
fn update_chat(update: &Value) -> Option<i64> {
    update["message"]["chat"]["id"]
        .as_i64()
        .or_else(|| update["callback_query"]["message"]["chat"]["id"].as_i64())
}
