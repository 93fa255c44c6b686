//! The notices of today's digest of an edition that an editor adds, lists and removes.

use super::Newsroom;
use crate::core::edition::{Notice as EditionNotice, NoticeKind};
use crate::core::edition_id::EditionId;
use crate::edge::store::StoreError;
use chrono::NaiveDate;

impl Newsroom {
    /// Adds an editor's notice to `today`'s digest; returns its number in the list, or
    /// `None` when today's digest is not built yet.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read or written.
    pub async fn add_notice(
        &self,
        (edition, today): (&EditionId, NaiveDate),
        text: &str,
    ) -> Result<Option<usize>, StoreError> {
        let store = self.view(edition)?;
        let Some(mut digest) = store.digest(today)? else {
            return Ok(None);
        };
        digest.notices.push(EditionNotice {
            kind: NoticeKind::Announcement,
            title: None,
            text: text.trim().to_owned(),
            phones: Vec::new(),
            addresses: Vec::new(),
            issuer: None,
            dates: Vec::new(),
            page: None,
            lines: Vec::new(),
        });
        let count = digest.notices.len();
        store.put_digest(&digest).await?;
        (self.digest_changed)();
        Ok(Some(count))
    }

    /// Today's notices, one line each, or `None` when today's digest is not built yet.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read.
    pub fn list_notices(
        &self,
        (edition, today): (&EditionId, NaiveDate),
    ) -> Result<Option<Vec<String>>, StoreError> {
        Ok(self.view(edition)?.digest(today)?.map(|d| {
            d.notices
                .iter()
                .map(|n| {
                    let text = n.title.clone().unwrap_or_else(|| n.text.clone());
                    text.lines().next().unwrap_or_default().to_owned()
                })
                .collect()
        }))
    }

    /// Removes notice `number` (1-based) from `today`'s digest: `None` when there is no
    /// digest, `Some(false)` when there is no such notice.
    ///
    /// # Errors
    /// [`StoreError`] if the digest cannot be read or written.
    pub async fn remove_notice(
        &self,
        (edition, today): (&EditionId, NaiveDate),
        number: usize,
    ) -> Result<Option<bool>, StoreError> {
        let store = self.view(edition)?;
        let Some(mut digest) = store.digest(today)? else {
            return Ok(None);
        };
        if number == 0 || number > digest.notices.len() {
            return Ok(Some(false));
        }
        digest.notices.remove(number - 1);
        store.put_digest(&digest).await?;
        (self.digest_changed)();
        Ok(Some(true))
    }
}
