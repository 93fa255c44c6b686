//! What the newsroom stores: notices, drafts, uploaded pages and the audit log.

use chrono::{DateTime, Utc};

use super::NoticeCounts;
use crate::core::digest::Lang;
use crate::core::edition_id::EditionId;
use serde::{Deserialize, Serialize};

/// Where a breaking notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeState {
    /// Confirmed; recipients are being put in the outbox.
    Enqueuing,
    /// In the outbox.
    Sending,
    /// Every copy has an outcome; the receipt is written.
    Sent,
}

/// A confirmed breaking notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// `#N`.
    pub number: u64,
    /// The text as confirmed.
    pub text: String,
    /// The text after `/correct`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// True after `/recall`.
    #[serde(default)]
    pub recalled: bool,
    /// The editor who confirmed it.
    pub editor: i64,
    /// The editor's chat and the preview message that shows progress and the receipt.
    pub preview: (i64, i32),
    /// The editor's language.
    pub lang: Lang,
    /// Where it stands.
    pub state: NoticeState,
    /// Recipients put in the outbox.
    pub recipients: usize,
    /// When it was confirmed.
    pub confirmed_at: DateTime<Utc>,
    /// The receipt, once every copy has an outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<NoticeCounts>,
    /// When the last copy got its outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Recalls and corrections started so far (each copy records the last one it went
    /// through).
    #[serde(default)]
    pub actions: u32,
    /// The recall or correction under way, until it has handled every copy (a restart
    /// resumes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<crate::core::notice_action::NoticeAction>,
    /// The editions whose subscribers it goes to; none written: every subscriber (every
    /// notice from before editions reads so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<EditionId>,
}

impl Notice {
    /// The text residents should see now.
    #[must_use]
    pub fn current_text(&self) -> &str {
        self.corrected.as_deref().unwrap_or(&self.text)
    }
}

/// Where a preview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "state", content = "notice")]
pub enum DraftState {
    /// Waiting for confirm or cancel.
    Open,
    /// Confirmed as notice `#N`.
    Confirmed(u64),
    /// Cancelled.
    Cancelled,
}

/// A preview waiting for an editor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Its id (in the buttons).
    pub id: u64,
    /// Who wrote it.
    pub editor: i64,
    /// The text.
    pub text: String,
    /// The editor's language.
    pub lang: Lang,
    /// When the preview was made.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: DraftState,
    /// The editions it is for (the editor's, all of them unless narrowed); none: every
    /// subscriber.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<EditionId>,
}

/// Where an uploaded page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadState {
    /// Waiting for publish or discard.
    Open,
    /// Published as the day's edition.
    Published,
    /// Discarded.
    Discarded,
}

/// A page an editor uploaded or pasted, waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// Its id (in the buttons).
    pub id: u64,
    /// Who sent it.
    pub editor: i64,
    /// The page's text, decoded.
    pub text: String,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: UploadState,
}

/// One line of the newsroom's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Which editor (or outsider, for refusals).
    pub editor: i64,
    /// What: `preview`, `confirm`, `cancel`, `sent`, `correct`, `recall`.
    pub action: String,
    /// The notice, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<u64>,
    /// Counts or a short detail.
    #[serde(default)]
    pub detail: String,
    /// The editions the action concerned (none: the deployment's only edition, or every
    /// entry from before editions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<EditionId>,
}

impl std::fmt::Display for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} · {} · {}",
            self.at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.editor,
            self.action
        )?;
        if let Some(n) = self.notice {
            write!(f, " #{n}")?;
        }
        if !self.detail.is_empty() {
            write!(f, " · {}", self.detail)?;
        }
        Ok(())
    }
}
