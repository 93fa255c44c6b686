//! A breaking notice's preview for an editor: the notice as residents will see it, how many
//! it reaches and in which editions, the confirm and cancel buttons and, for an editor of
//! several editions, a button per edition (and one for all of them) to choose where it goes;
//! a press re-targets the preview in place with the new count.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode};

use super::app::{App, HandlerResult};
use super::broadcast::edit;
use super::editors::audit;
use crate::core::digest::{Lang, escape_html};
use crate::core::edition_id::EditionId;
use crate::core::edition_texts::edition_texts;
use crate::core::newsroom::{NoticeButton, newsroom_texts, notice_text, render_notice};
use crate::edge::telegram::patient::SendPaced;

/// The preview's text (HTML) and buttons for a draft to `editions`, reaching `recipients`.
fn preview_message(
    app: &App,
    (editor, lang): (i64, Lang),
    (draft, text): (u64, &str),
    (editions, recipients): (&[EditionId], usize),
) -> (String, InlineKeyboardMarkup) {
    let t = newsroom_texts(lang);
    let mine = app.newsroom.editions_of(editor);
    let reach = if app.editions.several() {
        (edition_texts(lang).notice_to)(
            &recipients.to_string(),
            &escape_html(&app.editions.joined_names(editions)),
        )
    } else {
        recipients.to_string()
    };
    let html = (t.preview)(&render_notice(text, lang, false), &reach);
    let mut rows = vec![vec![
        InlineKeyboardButton::callback(t.button_confirm, NoticeButton::Confirm(draft).encode()),
        InlineKeyboardButton::callback(t.button_cancel, NoticeButton::Cancel(draft).encode()),
    ]];
    if mine.len() > 1 {
        let all = editions == mine;
        let mark = |on: bool| if on { "◉ " } else { "○ " };
        let mut targets = vec![InlineKeyboardButton::callback(
            format!("{}{}", mark(all), edition_texts(lang).all_editions),
            NoticeButton::Target(draft, 0).encode(),
        )];
        for (i, edition) in mine.iter().enumerate().take(usize::from(u8::MAX)) {
            let only = !all && editions == std::slice::from_ref(edition);
            let which = u8::try_from(i + 1).unwrap_or(u8::MAX);
            targets.push(InlineKeyboardButton::callback(
                format!("{}{}", mark(only), app.editions.joined_names([edition])),
                NoticeButton::Target(draft, which).encode(),
            ));
        }
        rows.extend(targets.chunks(3).map(<[InlineKeyboardButton]>::to_vec));
    }
    (html, InlineKeyboardMarkup::new(rows))
}

/// `/breaking TEXT` (or the text after a bare `/breaking`): a preview to every edition the
/// editor edits, with buttons.
pub(super) async fn preview(
    bot: &Bot,
    msg: &Message,
    app: &App,
    editor: i64,
    lang: Lang,
    text: &str,
) -> HandlerResult {
    let newsroom = &app.newsroom;
    let t = newsroom_texts(lang);
    let text = match notice_text(text) {
        Ok(text) => text,
        Err(crate::core::newsroom::NoticeTextError::Empty) => {
            bot.send_message(msg.chat.id, t.empty_notice)
                .send_paced(&newsroom.pacer)
                .await?;
            return Ok(());
        }
        Err(crate::core::newsroom::NoticeTextError::TooLong(n)) => {
            bot.send_message(msg.chat.id, (t.too_long)(&n.to_string()))
                .send_paced(&newsroom.pacer)
                .await?;
            return Ok(());
        }
    };
    let editions = newsroom.editions_of(editor).to_vec();
    let recipients = newsroom.recipients(&editions)?;
    let draft = newsroom
        .store
        .create_draft(editor, &text, lang, (&editions, newsroom.clock.now()))
        .await?;
    let (html, keyboard) = preview_message(
        app,
        (editor, lang),
        (draft.id, &text),
        (&editions, recipients),
    );
    bot.send_message(msg.chat.id, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .send_paced(&newsroom.pacer)
        .await?;
    audit(
        newsroom,
        editor,
        "preview",
        None,
        format!("{recipients} recipients"),
    )
    .await;
    Ok(())
}

/// A press of an edition button under a preview: the draft goes to all the editor's
/// editions (`which` 0) or to the `which`-th only; the preview shows the new count.
pub(super) async fn retarget(
    bot: &Bot,
    app: &App,
    (editor, lang): (i64, Lang),
    (chat, message_id): (ChatId, MessageId),
    (draft, which): (u64, u8),
) -> HandlerResult {
    let newsroom = &app.newsroom;
    let mine = newsroom.editions_of(editor);
    let editions: Vec<EditionId> = match usize::from(which) {
        0 => mine.to_vec(),
        n => match mine.get(n - 1) {
            Some(one) => vec![one.clone()],
            None => return Ok(()),
        },
    };
    // Only the editor who wrote it may re-target a preview (its writer never changes).
    if newsroom
        .store
        .draft(draft)?
        .is_none_or(|d| d.editor != editor)
    {
        return Ok(());
    }
    let Some(saved) = newsroom.store.retarget_draft(draft, &editions).await? else {
        // Confirmed, cancelled or expired meanwhile: the preview already says so.
        return Ok(());
    };
    let recipients = newsroom.recipients(&editions)?;
    let (html, keyboard) = preview_message(
        app,
        (editor, lang),
        (draft, &saved.text),
        (&editions, recipients),
    );
    let edited = bot
        .edit_message_text(chat, message_id, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .send_paced(&newsroom.pacer)
        .await;
    if let Err(e) = edited {
        tracing::debug!(error.message = %e, "preview not edited");
        edit(
            bot,
            &newsroom.pacer,
            chat,
            message_id,
            newsroom_texts(lang).stale_button.to_owned(),
        )
        .await;
    }
    Ok(())
}
