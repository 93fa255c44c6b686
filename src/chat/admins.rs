//! The group-admin check, as filters in the handler tree (like the editors' check): in a group,
//! only administrators may change the chat's subscription, by command or by button; anyone
//! else gets a short refusal and nothing changes. In a private chat everyone may.

use teloxide::prelude::*;
use teloxide::types::{Chat, User};

use super::app::{App, HandlerResult, chat_kind, say, subscriber_id};
use super::commands::Command;
use super::language::answer_lang;
use crate::core::callback::ButtonAction;
use crate::core::texts::texts;

/// True when `user` may change `chat`'s settings: anyone in a private chat, administrators in
/// a group. When Telegram cannot say who is an administrator, the answer is no (logged).
async fn may_change(bot: &Bot, chat: &Chat, user: Option<&User>) -> bool {
    if !chat_kind(chat).is_group() {
        return true;
    }
    let Some(user) = user else { return false };
    match bot.get_chat_member(chat.id, user.id).await {
        Ok(member) => member.is_privileged(),
        Err(e) => {
            tracing::warn!(chat = chat.id.0, error.message = %e, "could not check a group member; refusing the change");
            false
        }
    }
}

/// Filter: a command that changes the subscription, sent in a group by someone who is not
/// one of its administrators.
pub async fn is_refused_command(bot: Bot, msg: Message, cmd: Command) -> bool {
    cmd.changes_settings() && !may_change(&bot, &msg.chat, msg.from.as_ref()).await
}

/// Endpoint for a refused command.
pub async fn refuse_command(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let existing = app.store.subscriber(subscriber_id(&msg.chat))?;
    let lang = answer_lang(existing.as_ref(), msg.from.as_ref());
    say(
        &bot,
        &app.newsroom.pacer,
        msg.chat.id,
        texts(lang).admins_only,
    )
    .await?;
    Ok(())
}

/// Filter: a settings button that changes the subscription, pressed in a group by someone
/// who is not one of its administrators.
pub async fn is_refused_press(bot: Bot, q: CallbackQuery, action: ButtonAction) -> bool {
    let Some(message) = q.regular_message() else {
        return false;
    };
    action.changes_settings() && !may_change(&bot, &message.chat, Some(&q.from)).await
}

/// Filter: an edition button pressed in a group by someone who is not one of its
/// administrators (every edition button changes the subscription).
pub async fn is_refused_edition_press(bot: Bot, q: CallbackQuery) -> bool {
    let Some(message) = q.regular_message() else {
        return false;
    };
    !may_change(&bot, &message.chat, Some(&q.from)).await
}

/// Endpoint for a refused press: a toast, nothing changed.
pub async fn refuse_press(bot: Bot, q: CallbackQuery, app: App) -> HandlerResult {
    let existing = match q.regular_message() {
        Some(message) => app.store.subscriber(subscriber_id(&message.chat))?,
        None => None,
    };
    let lang = answer_lang(existing.as_ref(), Some(&q.from));
    bot.answer_callback_query(q.id.clone())
        .text(texts(lang).admins_only)
        .await?;
    Ok(())
}
