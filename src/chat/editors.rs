//! Editors in the chat: whether a message comes from one, and the audit log their actions
//! write. Who is an editor is the newsroom's setting ([`crate::app::newsroom::Newsroom`]).

use teloxide::types::Message;

use super::app::App;
use crate::app::newsroom::Newsroom;
use crate::core::newsroom::AuditEntry;

/// True for an editor writing in a private chat with the bot.
#[must_use]
pub fn is_editor_message(msg: &Message, app: &App) -> bool {
    msg.chat.is_private()
        && msg
            .from
            .as_ref()
            .is_some_and(|u| app.newsroom.is_editor(u.id.0 as i64))
}

/// Writes one line of the audit log; a failure is logged, not shown to the editor.
pub async fn audit(
    newsroom: &Newsroom,
    editor: i64,
    action: &str,
    notice: Option<u64>,
    detail: String,
) {
    let entry = AuditEntry {
        at: newsroom.clock.now(),
        editor,
        action: action.to_owned(),
        notice,
        detail,
        editions: newsroom.editions_of(editor).to_vec(),
    };
    if let Err(e) = newsroom.store.audit(&entry).await {
        tracing::error!(error.message = %e, "could not write the audit log");
    }
}
