//! A breaking notice after the editor confirmed it: its copies queued and followed, the
//! preview edited into a progress bar and then the receipt; recalls and corrections carried
//! out as jobs that survive a restart.

use crate::edge::telegram::pacing::Pacer;
use crate::edge::telegram::patient::SendPaced;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::editors::audit;
use crate::app::newsroom::Newsroom;
use crate::core::newsroom::{Notice, NoticeCounts, NoticeState, newsroom_texts, progress_bar};
use crate::core::notice_action::ActionKind;
use crate::edge::telegram::notifier::TelegramNotifier;

/// How often a running broadcast's progress bar is updated.
pub(super) const PROGRESS_EVERY: Duration = Duration::from_secs(3);

/// How long a broadcast's progress is followed before the follower gives up (copies still
/// pending past the digest's catch-up window are not worth a progress bar).
pub(super) const FOLLOW_LIMIT: Duration = Duration::from_secs(6 * 3600);

/// Carries out notice `#number`'s recall or correction in the background (a tracked task),
/// then reports to the editor who asked, writes the audit log and brings the receipt up to
/// date. Also used at start for actions a restart interrupted.
pub fn start_action(bot: Bot, newsroom: Arc<Newsroom>, number: u64) {
    let tasks = newsroom.tasks.clone();
    tasks.spawn(async move {
        let notifier = TelegramNotifier::new(bot.clone(), newsroom.paid_broadcast);
        let cancel = newsroom.stopping.clone();
        let (notice, action, report) = match newsroom.run_action(&notifier, number, &cancel).await {
            Ok(Some(done)) => done,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error.message = %e, notice = number, "newsroom action failed; it resumes at the next start");
                return;
            }
        };
        let t = newsroom_texts(action.lang);
        let n = number.to_string();
        let (text, detail) = match action.kind {
            ActionKind::Recall => (
                (t.recalled)(&n,
                        &report.done.to_string(),
                        &report.never_sent.to_string(),
                        &report.unreachable.to_string()),
                format!(
                    "{} deleted, {} never sent, {} could not be reached",
                    report.done, report.never_sent, report.unreachable
                ),
            ),
            ActionKind::Correct => (
                (t.corrected)(&n, &report.done.to_string(), &report.unreachable.to_string()),
                format!("{} edited, {} could not be", report.done, report.unreachable),
            ),
        };
        audit(&newsroom, action.editor, action.kind.name(), Some(number), detail).await;
        if let Err(e) = bot.send_message(ChatId(action.chat), text).send_paced(&newsroom.pacer).await {
            tracing::warn!(error.message = %e, "could not report to the editor");
        }
        if let Some(counts) = notice.receipt {
            let (chat, message) = (ChatId(notice.preview.0), MessageId(notice.preview.1));
            edit(&bot, &newsroom.pacer, chat, message, receipt_text(&notice, counts)).await;
        }
    });
}

/// The receipt of `notice` with `counts`.
pub(super) fn receipt_text(notice: &Notice, counts: NoticeCounts) -> String {
    let seconds = notice
        .finished_at
        .map_or(0, |at| (at - notice.confirmed_at).num_seconds().max(0));
    (newsroom_texts(notice.lang).receipt)(notice.number, &counts, seconds)
}

/// Puts a confirmed notice's copies in the outbox (if not done yet) and follows it to the
/// receipt in the background (a tracked task). Also used at start for notices a restart
/// interrupted.
pub fn start_broadcast(bot: Bot, newsroom: Arc<Newsroom>, notice: Notice) {
    let tasks = newsroom.tasks.clone();
    tasks.spawn(async move {
        let notice = if notice.state == NoticeState::Enqueuing {
            match newsroom.enqueue(notice).await {
                Ok(notice) => notice,
                Err(e) => {
                    tracing::error!(error.message = %e, "could not queue the breaking notice");
                    return;
                }
            }
        } else {
            notice
        };
        follow_broadcast(&bot, &newsroom, notice).await;
    });
}

/// Edits the preview into a progress bar every few seconds, then into the receipt. Ends at
/// the receipt, at shutdown, or after [`FOLLOW_LIMIT`] with copies still pending (the notice
/// stays `Sending`, and the next start follows it again).
pub(super) async fn follow_broadcast(bot: &Bot, newsroom: &Newsroom, notice: Notice) {
    let t = newsroom_texts(notice.lang);
    let (chat, message) = (ChatId(notice.preview.0), MessageId(notice.preview.1));
    let n = notice.number.to_string();
    let deadline = tokio::time::Instant::now() + FOLLOW_LIMIT;
    loop {
        let counts = match newsroom.counts(&notice) {
            Ok(counts) => counts,
            Err(e) => {
                tracing::error!(error.message = %e, "could not count the notice's copies");
                return;
            }
        };
        if counts.done() >= counts.total {
            // The receipt is written only while no recall or correction is under way, with
            // the counts read at that moment (an action that ends later brings it up to date).
            let finished = newsroom.clock.now();
            let mut counted = Ok(counts);
            let saved = newsroom
                .store
                .update_notice(notice.number, |n| {
                    if n.action.is_some() {
                        return;
                    }
                    counted = newsroom.counts(n);
                    if let Ok(counts) = counted {
                        n.receipt = Some(counts);
                        n.finished_at = Some(finished);
                        n.state = NoticeState::Sent;
                    }
                })
                .await;
            let (saved, counts) = match (saved, counted) {
                (Ok(Some(saved)), Ok(counts)) if saved.state == NoticeState::Sent => {
                    (saved, counts)
                }
                (Ok(Some(_)), Ok(_)) => {
                    // An action is under way: wait for it.
                    tokio::select! {
                        () = tokio::time::sleep(PROGRESS_EVERY) => continue,
                        () = newsroom.stopping.cancelled() => return,
                    }
                }
                (Ok(None), _) => return,
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(error.message = %e, "could not save the receipt");
                    return;
                }
            };
            edit(
                bot,
                &newsroom.pacer,
                chat,
                message,
                receipt_text(&saved, counts),
            )
            .await;
            let detail = format!(
                "delivered {}, blocked {}, failed {}, withdrawn {}",
                counts.delivered, counts.blocked, counts.failed, counts.withdrawn
            );
            audit(newsroom, notice.editor, "sent", Some(notice.number), detail).await;
            return;
        }
        edit(
            bot,
            &newsroom.pacer,
            chat,
            message,
            (t.sending)(&n, &progress_bar(counts.done(), counts.total)),
        )
        .await;
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(
                notice = notice.number,
                pending = counts.total - counts.done(),
                "stopped following a breaking notice with copies still pending; the next start follows it again"
            );
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(PROGRESS_EVERY) => {}
            () = newsroom.stopping.cancelled() => return,
        }
    }
}

/// Replaces the preview's text (and drops its buttons); "not modified" is fine.
pub(super) async fn edit(bot: &Bot, pacer: &Pacer, chat: ChatId, message: MessageId, text: String) {
    match bot
        .edit_message_text(chat, message, text)
        .send_paced(pacer)
        .await
    {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
        Err(e) => tracing::warn!(error.message = %e, "could not update the editor's message"),
    }
}
