//! Sending one job's pieces: each piece paced, the notice read under its gate just before
//! it goes, and Telegram's answers acted on (429 holds everyone and retries, a gone chat is
//! blocked, a migrated group moves, bad markup is resent plain, transient failures back off),
//! then the job's ledger record written.

use super::worker::{DeliveryWorker, Hold, JobEnd, Pieces, RenderKey, RenderedDigest, lock};
use crate::core::digest::{RenderOptions, Section, plain_text, render_telegram_html};
use crate::core::edition_id::EditionId;
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::newsroom::render_notice;
use crate::core::story_buttons::{STORY_BUTTONS_PER_ROW, story_buttons};
use crate::core::subscriber::Subscriber;
use crate::edge::notifier::{Notifier, SendError};
use crate::edge::store::{JobKind, OutboxJob, Store, StoreError};
use chrono::NaiveDate;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio_util::sync::CancellationToken;

/// 429 answers tolerated for one job before it is recorded failed (each one already waited
/// out its `retry_after`).
const MAX_RATE_LIMITED: u32 = 50;

/// Counts a send's outcome for `/metrics`.
fn record_send_metrics(job: &OutboxJob, sent: &Result<i32, SendError>) {
    match sent {
        Ok(_) => {
            let kind = match job.kind {
                JobKind::Digest(_) => "digest",
                JobKind::Notice(_) => "notice",
            };
            metrics::counter!(crate::edge::metrics::MESSAGES_SENT, "kind" => kind).increment(1);
        }
        Err(e) => {
            metrics::counter!(crate::edge::metrics::SEND_ERRORS, "reason" => e.reason())
                .increment(1);
            if matches!(e, SendError::RetryAfter(_)) {
                metrics::counter!(crate::edge::metrics::RATE_LIMITED).increment(1);
            }
        }
    }
}

impl<N: Notifier> DeliveryWorker<N> {
    /// Sends the pieces not yet recorded, in order, acting on Telegram's answers. Returns the
    /// job's final state (with the reason for a failure), or `None` when stopped by `cancel`.
    pub(super) async fn send_pieces(
        &self,
        job: &mut OutboxJob,
        record: &mut DeliveryRecord,
        pieces: &Pieces,
        hold: &mut Hold,
        cancel: &CancellationToken,
    ) -> Result<Option<(DeliveryState, Option<String>)>, StoreError> {
        let inner = &self.inner;
        let mut plain = false;
        let mut rate_limited = 0;
        while record.message_ids.len() < pieces.len() {
            *hold = None;
            let permit = tokio::select! {
                permit = inner.pacer.ready(job.chat) => permit,
                () = cancel.cancelled() => return Ok(None),
            };
            if !self.may_send() {
                // The lease ran out (this instance was frozen, or cut off): the next leader
                // sends the rest.
                tracing::warn!("the leader lease ran out: this job stops here");
                return Ok(None);
            }
            let piece = match pieces {
                Pieces::Digest(all) => all.pieces[record.message_ids.len()].clone(),
                Pieces::Notice { number, lang } => {
                    *hold = Some(inner.gate.sending().await);
                    let Some(notice) = inner.store.notice(*number)?.filter(|n| !n.recalled) else {
                        return Ok(Some((
                            DeliveryState::Withdrawn,
                            Some("recalled before delivery".to_owned()),
                        )));
                    };
                    // On disk before the send: after a crash, this copy is known to be lost.
                    record.in_flight = 1;
                    record.handled = notice.actions;
                    inner.store.update_delivery(record)?;
                    inner.store.flush().await?;
                    render_notice(notice.current_text(), *lang, notice.corrected.is_some())
                }
            };
            // The digest's last message carries its full-story buttons.
            let buttons = match pieces {
                Pieces::Digest(all) if record.message_ids.len() + 1 == all.pieces.len() => {
                    all.buttons.as_slice()
                }
                _ => &[],
            };
            let sent = if plain {
                inner
                    .notifier
                    .send_plain(job.chat, &plain_text(&piece))
                    .await
            } else if buttons.is_empty() {
                inner.notifier.send_html(job.chat, &piece).await
            } else {
                inner
                    .notifier
                    .send_html_with_buttons(job.chat, &piece, buttons, STORY_BUTTONS_PER_ROW)
                    .await
            };
            drop(permit);
            if record.in_flight > 0 {
                record.in_flight = 0;
                if sent.is_err() {
                    inner.store.update_delivery(record)?;
                }
            }
            record_send_metrics(job, &sent);
            match sent {
                Ok(message_id) => {
                    record.message_ids.push(message_id);
                    record.updated_at = inner.clock.now();
                    plain = false;
                    inner.progress.messages.fetch_add(1, Ordering::Relaxed);
                    if record.message_ids.len() < pieces.len() {
                        inner.store.update_delivery(record)?;
                    }
                }
                Err(SendError::RetryAfter(wait)) => {
                    inner.pacer.hold_off(wait);
                    inner.progress.rate_limited.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(retry_after = ?wait, "rate limited by Telegram; holding every send back");
                    rate_limited += 1;
                    if rate_limited > MAX_RATE_LIMITED {
                        return Ok(Some((
                            DeliveryState::Failed,
                            Some("rate limited too often".to_owned()),
                        )));
                    }
                }
                Err(SendError::Migrated(to)) => {
                    let mut old = record.clone();
                    old.state = DeliveryState::Migrated;
                    old.migrated_to = Some(to);
                    old.updated_at = inner.clock.now();
                    *job = inner.store.migrate_delivery(job, &old, to, record)?;
                    record.chat = to;
                    inner.progress.migrated.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(to = %to, "group became a supergroup; delivering there");
                }
                Err(SendError::ChatGone(why)) => {
                    tracing::info!(reason = %why, "chat gone; subscriber marked blocked");
                    return Ok(Some((DeliveryState::Blocked, Some(why))));
                }
                Err(SendError::BadMarkup(why)) if !plain => {
                    tracing::warn!(reason = %why, piece = record.message_ids.len(), "Telegram refused the HTML; resending as plain text");
                    inner
                        .progress
                        .plain_fallbacks
                        .fetch_add(1, Ordering::Relaxed);
                    plain = true;
                }
                Err(SendError::Transient(why)) => {
                    record.attempts += 1;
                    let Some(wait) = inner.settings.retry_policy().wait_after(record.attempts)
                    else {
                        tracing::warn!(reason = %why, attempts = record.attempts, "giving up after transient failures");
                        return Ok(Some((DeliveryState::Failed, Some(why))));
                    };
                    tracing::debug!(reason = %why, ?wait, "transient failure; retrying");
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = cancel.cancelled() => {
                            inner.store.update_delivery(record)?;
                            return Ok(None);
                        }
                    }
                }
                Err(
                    e @ (SendError::BadMarkup(_)
                    | SendError::Refused(_)
                    | SendError::MessageGone(_)
                    | SendError::MessageMissing(_)),
                ) => {
                    tracing::warn!(error.message = %e, "message refused; delivery failed");
                    return Ok(Some((DeliveryState::Failed, Some(e.to_string()))));
                }
            }
        }
        Ok(Some((DeliveryState::Sent, None)))
    }

    pub(super) fn finish(
        &self,
        job: &OutboxJob,
        mut record: DeliveryRecord,
        state: DeliveryState,
        error: Option<&str>,
    ) -> JobEnd {
        if state == DeliveryState::Sent {
            let lag = (self.inner.clock.now() - record.due_at)
                .num_milliseconds()
                .max(0);
            metrics::histogram!(crate::edge::metrics::DELIVERY_LAG).record(lag as f64 / 1000.0);
        }
        record.state = state;
        record.error = error.map(str::to_owned);
        record.updated_at = self.inner.clock.now();
        self.inner.store.finish_delivery(job, &record)?;
        Ok(Some(state))
    }

    /// The subscriber's pieces of `date`'s digest of the edition `ledger` is a view of,
    /// rendered once per (edition, date, language, sections) and shared.
    pub(super) fn pieces(
        &self,
        ledger: &Store,
        date: NaiveDate,
        subscriber: &Subscriber,
    ) -> Result<Option<Arc<RenderedDigest>>, StoreError> {
        let edition = ledger.edition().cloned();
        let key: RenderKey = (
            edition.clone(),
            date,
            subscriber.lang,
            subscriber.sections(),
        );
        if let Some(pieces) = lock(&self.inner.renders).get(&key) {
            return Ok(Some(Arc::clone(pieces)));
        }
        let digest_key = (edition, date);
        let cached = lock(&self.inner.digests).get(&digest_key).cloned();
        let digest = match cached {
            Some(digest) => digest,
            None => {
                let digest = ledger.digest(date)?.map(Arc::new);
                if let Some(digest) = &digest {
                    lock(&self.inner.digests).insert(digest_key, Some(Arc::clone(digest)));
                }
                digest
            }
        };
        let Some(digest) = digest else {
            return Ok(None);
        };
        let options = RenderOptions {
            lang: key.2,
            sections: key.3.clone(),
            short_summaries: false,
        };
        // Under the headlines, the buttons that open each article kept whole.
        let buttons = if options.sections.contains(&Section::Headlines) {
            let id = key.0.clone().unwrap_or_else(EditionId::default_id);
            story_buttons(&id, &digest, options.lang)
        } else {
            Vec::new()
        };
        let rendered = Arc::new(RenderedDigest {
            pieces: render_telegram_html(&digest, &options),
            buttons,
        });
        lock(&self.inner.renders).insert(key, Arc::clone(&rendered));
        Ok(Some(rendered))
    }
}
