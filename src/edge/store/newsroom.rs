//! The newsroom's records: breaking notices by number (`notices`), previews waiting for a
//! decision (`drafts`), the audit log (`audit`, in order) and editors who sent `/breaking`
//! without text (`waiting`). Confirming a preview is a transaction (sled's, or a serialisable
//! one in PostgreSQL), so a double tap, a second editor or a retried callback finds it
//! confirmed and sends nothing twice; it is rare enough that the transaction's memory does
//! not matter.

use super::backend::TxError;
use chrono::{DateTime, Utc};

use super::{Store, StoreError};
use crate::core::digest::Lang;
use crate::core::edition_id::EditionId;
use crate::core::newsroom::{
    AuditEntry, Draft, DraftState, Notice, NoticeState, Upload, UploadState,
};

/// Key of the last notice number in the `meta` tree.
const NOTICE_SEQ: &[u8] = b"notice_seq";

/// What confirming a preview did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed now as this notice.
    Confirmed(Box<Notice>),
    /// Confirmed earlier as `#N`: nothing more to do.
    AlreadyConfirmed(u64),
    /// Cancelled earlier.
    Cancelled,
    /// No such preview.
    NotFound,
}

fn encode<T: serde::Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|source| StoreError::Encode { what, source })
}

fn decode<T: serde::de::DeserializeOwned>(
    what: &'static str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt { what, source })
}

impl Store {
    /// Stores a new preview of `text` by `editor`.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn create_draft(
        &self,
        editor: i64,
        text: &str,
        lang: Lang,
        (editions, now): (&[EditionId], DateTime<Utc>),
    ) -> Result<Draft, StoreError> {
        let draft = Draft {
            id: self.db.generate_id()?,
            editor,
            text: text.to_owned(),
            lang,
            created_at: now,
            state: DraftState::Open,
            editions: editions.to_vec(),
        };
        self.drafts
            .insert(draft.id.to_be_bytes(), encode("draft", &draft)?)?;
        self.flush().await?;
        Ok(draft)
    }

    /// The preview `id`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn draft(&self, id: u64) -> Result<Option<Draft>, StoreError> {
        self.drafts
            .get(id.to_be_bytes())?
            .map(|b| decode("draft", &b))
            .transpose()
    }

    /// Confirms preview `id` exactly once: numbers the notice and stores it (state
    /// `Enqueuing`) in the same transaction that marks the preview confirmed.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn confirm_draft(
        &self,
        id: u64,
        preview: (i64, i32),
        now: DateTime<Utc>,
    ) -> Result<Confirmation, StoreError> {
        let key = id.to_be_bytes();
        let outcome = self.db.transaction(
            &[&self.drafts, &self.notices, &self.meta],
            Box::new(move |trees| {
                let (drafts, notices, meta) = (&trees[0], &trees[1], &trees[2]);
                let Some(bytes) = drafts.get(&key)? else {
                    return Ok(Confirmation::NotFound);
                };
                let Ok(mut draft) = serde_json::from_slice::<Draft>(&bytes) else {
                    return Ok(Confirmation::NotFound);
                };
                match draft.state {
                    DraftState::Confirmed(n) => return Ok(Confirmation::AlreadyConfirmed(n)),
                    DraftState::Cancelled => return Ok(Confirmation::Cancelled),
                    DraftState::Open => {}
                }
                let last = meta
                    .get(NOTICE_SEQ)?
                    .and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
                    .map_or(0, u64::from_be_bytes);
                let number = last + 1;
                let notice = Notice {
                    number,
                    text: draft.text.clone(),
                    corrected: None,
                    recalled: false,
                    editor: draft.editor,
                    preview,
                    lang: draft.lang,
                    state: NoticeState::Enqueuing,
                    recipients: 0,
                    confirmed_at: now,
                    receipt: None,
                    finished_at: None,
                    actions: 0,
                    action: None,
                    editions: draft.editions.clone(),
                };
                draft.state = DraftState::Confirmed(number);
                let (Ok(notice_bytes), Ok(draft_bytes)) =
                    (serde_json::to_vec(&notice), serde_json::to_vec(&draft))
                else {
                    return Err(TxError::Abort);
                };
                meta.insert(NOTICE_SEQ, &number.to_be_bytes())?;
                notices.insert(&number.to_be_bytes(), &notice_bytes)?;
                drafts.insert(&key, &draft_bytes)?;
                Ok(Confirmation::Confirmed(Box::new(notice)))
            }),
        )?;
        self.flush().await?;
        Ok(outcome)
    }

    /// Sets the editions preview `id` is for, if it is still open; returns it as saved.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn retarget_draft(
        &self,
        id: u64,
        editions: &[EditionId],
    ) -> Result<Option<Draft>, StoreError> {
        let changed = self
            .change_open_draft(id, |draft| draft.editions = editions.to_vec())
            .await?;
        Ok(changed.and_then(|(before, after)| (before == DraftState::Open).then_some(after)))
    }

    /// Cancels preview `id` if it is still open; returns its state before.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn cancel_draft(&self, id: u64) -> Result<Option<DraftState>, StoreError> {
        let changed = self
            .change_open_draft(id, |draft| draft.state = DraftState::Cancelled)
            .await?;
        Ok(changed.map(|(before, _)| before))
    }

    /// Applies `change` to preview `id` if it is still open (compare-and-swap, retried when
    /// another change came first) and flushes; returns its state before and the draft now.
    async fn change_open_draft(
        &self,
        id: u64,
        change: impl Fn(&mut Draft),
    ) -> Result<Option<(DraftState, Draft)>, StoreError> {
        let key = id.to_be_bytes();
        loop {
            let Some(bytes) = self.drafts.get(key)? else {
                return Ok(None);
            };
            let mut draft: Draft = decode("draft", &bytes)?;
            let before = draft.state;
            if before != DraftState::Open {
                return Ok(Some((before, draft)));
            }
            change(&mut draft);
            let swapped =
                self.drafts
                    .compare_and_swap(key, Some(bytes), Some(encode("draft", &draft)?))?;
            if swapped.is_ok() {
                self.flush().await?;
                return Ok(Some((before, draft)));
            }
        }
    }

    /// Stores a page an editor sent, waiting for publish or discard.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn create_upload(
        &self,
        editor: i64,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Upload, StoreError> {
        let upload = Upload {
            id: self.db.generate_id()?,
            editor,
            text: text.to_owned(),
            created_at: now,
            state: UploadState::Open,
        };
        self.uploads
            .insert(upload.id.to_be_bytes(), encode("upload", &upload)?)?;
        self.flush().await?;
        Ok(upload)
    }

    /// Upload `id`, if it is still kept.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn upload(&self, id: u64) -> Result<Option<Upload>, StoreError> {
        self.uploads
            .get(id.to_be_bytes())?
            .map(|bytes| decode("upload", &bytes))
            .transpose()
    }

    /// Moves upload `id` from open to `to`, once; returns it as it was before, or `None`
    /// when there is no such upload.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub async fn settle_upload(
        &self,
        id: u64,
        to: UploadState,
    ) -> Result<Option<Upload>, StoreError> {
        let key = id.to_be_bytes();
        loop {
            let Some(bytes) = self.uploads.get(key)? else {
                return Ok(None);
            };
            let before: Upload = decode("upload", &bytes)?;
            if before.state != UploadState::Open {
                return Ok(Some(before));
            }
            let mut after = before.clone();
            after.state = to;
            let swapped =
                self.uploads
                    .compare_and_swap(key, Some(bytes), Some(encode("upload", &after)?))?;
            if swapped.is_ok() {
                self.flush().await?;
                return Ok(Some(before));
            }
        }
    }

    /// Notice `#number`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn notice(&self, number: u64) -> Result<Option<Notice>, StoreError> {
        self.notices
            .get(number.to_be_bytes())?
            .map(|b| decode("notice", &b))
            .transpose()
    }

    /// The newest notice, if any.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    pub fn latest_notice(&self) -> Result<Option<Notice>, StoreError> {
        self.notices
            .last()?
            .map(|(_, b)| decode("notice", &b))
            .transpose()
    }

    /// The newest notice for which `mine` is true, if any (newest first, at most `scan`
    /// looked at).
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn latest_notice_where(
        &self,
        scan: usize,
        mine: impl Fn(&Notice) -> bool,
    ) -> Result<Option<Notice>, StoreError> {
        for entry in self.notices.iter().rev().take(scan) {
            let notice: Notice = decode("notice", &entry?.1)?;
            if mine(&notice) {
                return Ok(Some(notice));
            }
        }
        Ok(None)
    }

    /// Notices not yet `Sent` (to resume after a restart).
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn unfinished_notices(&self) -> Result<Vec<Notice>, StoreError> {
        let mut list = Vec::new();
        for entry in &self.notices {
            let notice: Notice = decode("notice", &entry?.1)?;
            if notice.state != NoticeState::Sent {
                list.push(notice);
            }
        }
        Ok(list)
    }

    /// Saves `notice` and flushes.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn save_notice(&self, notice: &Notice) -> Result<(), StoreError> {
        self.notices
            .insert(notice.number.to_be_bytes(), encode("notice", notice)?)?;
        self.flush().await
    }

    /// Changes notice `#number` with `change` (read, change, compare-and-swap, so two
    /// writers never undo each other's fields) and flushes. Returns the notice as saved, or
    /// `None` when there is no such notice.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read or written.
    pub async fn update_notice(
        &self,
        number: u64,
        mut change: impl FnMut(&mut Notice),
    ) -> Result<Option<Notice>, StoreError> {
        let key = number.to_be_bytes();
        loop {
            let Some(bytes) = self.notices.get(key)? else {
                return Ok(None);
            };
            let mut notice: Notice = decode("notice", &bytes)?;
            change(&mut notice);
            let swapped = self.notices.compare_and_swap(
                key,
                Some(bytes),
                Some(encode("notice", &notice)?),
            )?;
            if swapped.is_ok() {
                self.flush().await?;
                return Ok(Some(notice));
            }
        }
    }

    /// Notices with a recall or correction under way (to resume after a restart).
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn notices_with_actions(&self) -> Result<Vec<Notice>, StoreError> {
        let mut list = Vec::new();
        for entry in &self.notices {
            let notice: Notice = decode("notice", &entry?.1)?;
            if notice.action.is_some() {
                list.push(notice);
            }
        }
        Ok(list)
    }

    /// Appends to the audit log and flushes.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.audit.insert(
            self.db.generate_id()?.to_be_bytes(),
            encode("audit entry", entry)?,
        )?;
        self.flush().await
    }

    /// The newest `count` audit entries, newest first.
    ///
    /// # Errors
    /// [`StoreError`] if one cannot be read.
    pub fn recent_audit(&self, count: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit
            .iter()
            .rev()
            .take(count)
            .map(|entry| decode("audit entry", &entry?.1))
            .collect()
    }

    /// Remembers that `editor` sent `/breaking` without text at `now`.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be written.
    pub fn set_waiting(&self, editor: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.waiting
            .insert(editor.to_be_bytes(), now.to_rfc3339().as_bytes())?;
        Ok(())
    }

    /// When `editor` sent `/breaking` without text, forgetting it.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn take_waiting(&self, editor: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .waiting
            .remove(editor.to_be_bytes())?
            .and_then(|b| DateTime::parse_from_rfc3339(&String::from_utf8_lossy(&b)).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// True when `editor` is waiting to send a notice's text.
    ///
    /// # Errors
    /// [`StoreError`] if the database fails.
    pub fn is_waiting(&self, editor: i64) -> Result<bool, StoreError> {
        Ok(self.waiting.contains_key(editor.to_be_bytes())?)
    }
}
