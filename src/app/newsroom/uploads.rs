//! Editors' pages: an uploaded page read and checked (size, charset, parse) and, once the
//! editor chooses, published as today's edition, optionally sent again to those already
//! delivered today.

use super::Newsroom;
use crate::core::digest::{Digest, digest_edition};
use crate::core::document::read_document;
use crate::core::edition::Edition;
use crate::core::edition_id::EditionId;
use crate::core::ledger::{DeliveryRecord, DeliveryState};
use crate::core::newsroom::Upload;
use crate::core::summary::Summarizer;
use crate::edge::fetch::decode::decode_text;
use crate::edge::store::{Priority, StoreError};
use chrono::NaiveDate;

/// Why an uploaded page was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// Larger than the cap.
    #[error("the file has {size} bytes, more than {limit}")]
    TooBig {
        /// Its size.
        size: usize,
        /// The cap.
        limit: usize,
    },
    /// Binary, or not an edition.
    #[error("{0}")]
    Unreadable(String),
}

/// Decodes and parses a page an editor sent (a `.txt` or `.html` file, or pasted text).
///
/// # Errors
/// [`UploadError`] when it is too large, binary or not an edition.
pub fn read_page(bytes: &[u8], limit: usize) -> Result<(String, Edition), UploadError> {
    if bytes.len() > limit {
        return Err(UploadError::TooBig {
            size: bytes.len(),
            limit,
        });
    }
    let decoded = decode_text(bytes, None)
        .ok_or_else(|| UploadError::Unreadable("binary content, not text".to_owned()))?;
    let edition = read_document(&decoded.text, None)
        .map_err(|e| UploadError::Unreadable(crate::core::error_chain::error_chain(&e)))?;
    Ok((decoded.text, edition))
}

impl Newsroom {
    /// Publishes an uploaded page as `today`'s edition: builds its digest (summaries
    /// included), stores it in place of today's, and returns it with the number of residents
    /// already delivered today (they are not sent it again).
    ///
    /// # Errors
    /// [`UploadError::Unreadable`] if the page no longer parses; a database failure as text.
    pub async fn publish(
        &self,
        upload: &Upload,
        (desk, today): (&EditionId, NaiveDate),
        summarizer: &Summarizer,
    ) -> Result<(Digest, usize), UploadError> {
        let (_, edition) =
            crate::edge::blocking::cpu_heavy(|| read_page(upload.text.as_bytes(), usize::MAX))?;
        let store_error = |e: StoreError| UploadError::Unreadable(e.to_string());
        let store = self.view(desk).map_err(store_error)?;
        let fallback = store
            .latest_digest()
            .map_err(store_error)?
            .map_or_else(|| "newsbot".to_owned(), |d| d.edition);
        let digest = crate::edge::blocking::cpu_heavy(|| {
            digest_edition(&edition, today, &fallback, summarizer)
        });
        store.put_digest(&digest).await.map_err(store_error)?;
        (self.digest_changed)();
        let delivered = store
            .deliveries_on(today)
            .map_err(store_error)?
            .iter()
            .filter(|r| r.state == DeliveryState::Sent)
            .count();
        Ok((digest, delivered))
    }

    /// Queues `today`'s digest again for everyone it was already delivered to (after a new
    /// edition was published); returns how many.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn resend_today(&self, edition: &EditionId, today: NaiveDate) -> Result<usize, StoreError> {
        let now = self.clock.now();
        let mut count = 0;
        let store = self.view(edition)?;
        for record in store.deliveries_on(today)? {
            if record.state != DeliveryState::Sent {
                continue;
            }
            let mut again = DeliveryRecord::new(
                today,
                record.chat,
                DeliveryState::Pending,
                record.due_at,
                now,
            );
            again.notice = None;
            again.edition.clone_from(&record.edition);
            store.requeue_delivery(&again, Priority::Digest)?;
            count += 1;
        }
        if count > 0 {
            self.wake.notify_one();
        }
        Ok(count)
    }
}
