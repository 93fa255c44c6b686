//! Recalls and corrections as jobs: started under the notice gate so nothing goes out with
//! the old text after they answer, then every delivered copy deleted or edited, paced and
//! retried a bounded number of times, and resumed after a restart.

use super::{Newsroom, count_copies};
use crate::core::digest::Lang;
use crate::core::ledger::DeliveryState;
use crate::core::newsroom::{Notice, render_notice};
use crate::core::notice_action::{
    ActionKind, ActionReport, NoticeAction, action_report, needs_action, start_action,
};
use crate::core::retry::Backoff;
use crate::core::subscriber::SubscriberId;
use crate::edge::notifier::{Notifier, SendError};
use crate::edge::store::StoreError;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Attempts per copy for `/correct` and `/recall` (429s and transient failures).
const CHANGE_RETRY: Backoff =
    Backoff::bounded(Duration::from_millis(500), Duration::from_secs(8), 5);

impl Newsroom {
    /// Starts a recall or correction of notice `#number` asked by `editor` in `chat`: under
    /// the [`NoticeGate`], so from the moment this returns no copy goes out (recall) or goes
    /// out with the old text (correction), and every copy already sent has its message id
    /// recorded. The action is saved in the notice; [`Newsroom::run_action`] carries it out
    /// and a restart resumes it. Returns the notice as saved, or `None` if there is none.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn start_action(
        &self,
        number: u64,
        kind: ActionKind,
        corrected_text: Option<&str>,
        (editor, chat, lang): (i64, i64, Lang),
    ) -> Result<Option<Notice>, StoreError> {
        let now = self.clock.now();
        let _changing = self.gate.changing().await;
        let notice = self
            .store
            .update_notice(number, |n| {
                start_action(n, kind, corrected_text, (editor, chat, lang), now);
            })
            .await?;
        if let Some(n) = &notice {
            tracing::info!(
                notice = n.number,
                action = kind.name(),
                "newsroom action started"
            );
        }
        Ok(notice)
    }

    /// Carries out notice `#number`'s action under way: deletes (recall) or edits
    /// (correction) every sent copy it has not handled yet, paced with every other send and
    /// retried a bounded number of times, recording each copy as it goes; stops between
    /// copies when `cancel` fires (the action stays saved for the next start). Returns the
    /// report once every copy is handled, `None` if there was nothing under way or it was
    /// stopped.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn run_action<N: Notifier>(
        &self,
        notifier: &N,
        number: u64,
        cancel: &CancellationToken,
    ) -> Result<Option<(Notice, NoticeAction, ActionReport)>, StoreError> {
        let Some(notice) = self.store.notice(number)? else {
            return Ok(None);
        };
        let Some(action) = notice.action.clone() else {
            return Ok(None);
        };
        let generation = action.generation;
        let html = (action.kind == ActionKind::Correct)
            .then(|| (notice.current_text().to_owned(), notice.corrected.is_some()));
        for mut copy in self.store.notice_copies(number)? {
            if !needs_action(&copy, generation) {
                continue;
            }
            if cancel.is_cancelled() {
                tracing::info!(
                    notice = number,
                    "newsroom action stopped; it resumes at the next start"
                );
                return Ok(None);
            }
            let mut reached = true;
            match &html {
                None => {
                    for id in &copy.message_ids {
                        let deleted = self
                            .with_retries(copy.chat, || notifier.delete(copy.chat, *id))
                            .await;
                        // Already gone (the resident deleted it) is as good as deleted.
                        reached &= matches!(deleted, Ok(()) | Err(SendError::MessageMissing(_)));
                    }
                    if reached {
                        copy.state = DeliveryState::Withdrawn;
                    }
                }
                Some((text, corrected)) => {
                    let lang = self.lang_of(copy.chat)?;
                    let html = render_notice(text, lang, *corrected);
                    for id in &copy.message_ids {
                        let edited = self
                            .with_retries(copy.chat, || notifier.edit_html(copy.chat, *id, &html))
                            .await;
                        reached &= edited.is_ok();
                    }
                }
            }
            copy.handled = generation;
            copy.unreachable = !reached;
            copy.updated_at = self.clock.now();
            self.store.update_delivery(&copy)?;
            self.store
                .update_notice(number, |n| {
                    if let Some(a) = n.action.as_mut().filter(|a| a.generation == generation) {
                        if reached {
                            a.done += 1;
                        } else {
                            a.unreachable += 1;
                        }
                    }
                })
                .await?;
        }
        let copies = self.store.notice_copies(number)?;
        let counts = count_copies(notice.recipients, &copies);
        let mut finished = None;
        let saved = self
            .store
            .update_notice(number, |n| {
                if n.action
                    .as_ref()
                    .is_some_and(|a| a.generation == generation)
                {
                    finished = n.action.take();
                    if n.receipt.is_some() {
                        n.receipt = Some(counts);
                    }
                }
            })
            .await?;
        let (Some(saved), Some(action)) = (saved, finished) else {
            // A newer action took over; it reports.
            return Ok(None);
        };
        let report = action_report(&action, &copies);
        tracing::info!(
            notice = number,
            action = action.kind.name(),
            done = report.done,
            unreachable = report.unreachable,
            "newsroom action finished"
        );
        Ok(Some((saved, action, report)))
    }

    fn lang_of(&self, chat: SubscriberId) -> Result<Lang, StoreError> {
        Ok(self.store.subscriber(chat)?.map_or(Lang::Zh, |s| s.lang))
    }

    /// Runs `op` through the pacer, waiting out 429s and retrying transient failures a
    /// bounded number of times; the last answer.
    async fn with_retries<F, Fut>(&self, chat: SubscriberId, mut op: F) -> Result<(), SendError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<(), SendError>>,
    {
        let mut failures = 0u32;
        loop {
            let permit = self.pacer.ready(chat).await;
            let last = op().await;
            drop(permit);
            match &last {
                Ok(()) => return last,
                Err(SendError::RetryAfter(after)) => {
                    // Telegram's own wait; counted, so a chat that is always limited ends.
                    failures += 1;
                    if CHANGE_RETRY.wait_after(failures).is_none() {
                        return last;
                    }
                    self.pacer.hold_off(*after);
                }
                Err(SendError::Transient(_)) => {
                    failures += 1;
                    match CHANGE_RETRY.wait_after(failures) {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => return last,
                    }
                }
                Err(e) => {
                    tracing::debug!(subscriber = %chat, error.message = %e, "copy cannot be changed");
                    return last;
                }
            }
        }
    }
}
