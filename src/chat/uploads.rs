//! Editors' pages: a `.txt` or `.html` document (downloaded with getFile, capped) or a long
//! pasted text is parsed and reported with publish, publish-and-update and discard buttons;
//! the choice is applied once. Reached only through the editor filters of the handler tree.

use crate::edge::telegram::patient::SendPaced;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::app::{App, HandlerResult};
use super::editors::{audit, is_editor_message};
use super::language::client_lang;
use crate::app::newsroom::{UploadError, read_page};
use crate::core::edition::describe_edition;
use crate::core::newsroom::{NewsroomTexts, NoticeButton, UploadState, newsroom_texts};

/// What the editor chose for an uploaded page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Settle {
    Publish,
    PublishAndUpdate,
    Discard,
}

/// Publishes or discards upload `id` once; returns the text for the editor.
pub(super) async fn settle_upload(
    app: &App,
    id: u64,
    choice: Settle,
    editor: i64,
    t: &NewsroomTexts,
) -> Result<String, crate::edge::store::StoreError> {
    let publish = choice != Settle::Discard;
    let to = if publish {
        UploadState::Published
    } else {
        UploadState::Discarded
    };
    let Some(before) = app.store.settle_upload(id, to).await? else {
        return Ok(t.stale_button.to_owned());
    };
    if before.state != UploadState::Open {
        return Ok(t.stale_button.to_owned());
    }
    if !publish {
        audit(
            &app.newsroom,
            editor,
            "edition discard",
            None,
            String::new(),
        )
        .await;
        return Ok(t.discarded.to_owned());
    }
    // The page is the day's edition of the editor's first edition (in the file's order).
    let desk = app
        .newsroom
        .editions_of(editor)
        .first()
        .cloned()
        .unwrap_or_else(|| app.newsroom.routes.default_edition().clone());
    let zone = app.editions.get(&desk).map_or(app.timezone, |e| e.timezone);
    let today = app.newsroom.clock.today_in(zone);
    Ok(
        match app
            .newsroom
            .publish(&before, (&desk, today), &app.summarizer)
            .await
        {
            Ok((digest, delivered)) => {
                let articles = digest.headlines.len().to_string();
                if choice == Settle::PublishAndUpdate {
                    let resent = app.newsroom.resend_today(&desk, today)?;
                    let detail = format!("{articles} articles, update to {resent}");
                    audit(&app.newsroom, editor, "edition publish", None, detail).await;
                    (t.published_update)(&today.to_string(), &articles, &resent.to_string())
                } else {
                    let detail = format!("{articles} articles");
                    audit(&app.newsroom, editor, "edition publish", None, detail).await;
                    (t.published)(&today.to_string(), &articles, &delivered.to_string())
                }
            }
            Err(e) => (t.upload_unreadable)(&e.to_string()),
        },
    )
}

/// True for an editor's document in a private chat.
#[must_use]
pub fn is_editor_document(msg: &Message, app: &App) -> bool {
    is_editor_message(msg, app) && msg.document().is_some()
}

/// Shortest pasted text taken as a page rather than a question.
const PASTED_PAGE_CHARS: usize = 300;

/// True for a long text an editor pasted in a private chat (a page, not a question).
#[must_use]
pub fn is_pasted_page(msg: &Message, app: &App) -> bool {
    is_editor_message(msg, app)
        && msg
            .text()
            .is_some_and(|t| !t.starts_with('/') && t.chars().count() >= PASTED_PAGE_CHARS)
}

/// Endpoint for a page an editor sends as a `.txt` or `.html` document.
pub async fn on_edition_document(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let t = newsroom_texts(client_lang(msg.from.as_ref()));
    let Some(document) = msg.document() else {
        return Ok(());
    };
    let name = document
        .file_name
        .clone()
        .unwrap_or_default()
        .to_lowercase();
    if ![".txt", ".html", ".htm"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        bot.send_message(msg.chat.id, t.upload_wrong_type)
            .send_paced(&app.newsroom.pacer)
            .await?;
        return Ok(());
    }
    let limit = app.newsroom.upload_limit;
    let size = document.file.size as usize;
    if size > limit {
        let text = (t.upload_too_big)(&size.to_string(), &limit.to_string());
        bot.send_message(msg.chat.id, text)
            .send_paced(&app.newsroom.pacer)
            .await?;
        return Ok(());
    }
    let file = bot.get_file(document.file.id.clone()).await?;
    let mut bytes: Vec<u8> = Vec::with_capacity(size);
    bot.download_file(&file.path, &mut bytes).await?;
    take_page(&bot, &msg, &app, &bytes).await
}

/// Endpoint for a page an editor pastes as text.
pub async fn on_pasted_page(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let text = msg.text().unwrap_or_default().to_owned();
    take_page(&bot, &msg, &app, text.as_bytes()).await
}

async fn take_page(bot: &Bot, msg: &Message, app: &App, bytes: &[u8]) -> HandlerResult {
    let t = newsroom_texts(client_lang(msg.from.as_ref()));
    let editor = msg.from.as_ref().map_or(0, |u| u.id.0 as i64);
    let (text, edition) = match read_page(bytes, app.newsroom.upload_limit) {
        Ok(page) => page,
        Err(UploadError::TooBig { size, limit }) => {
            let text = (t.upload_too_big)(&size.to_string(), &limit.to_string());
            bot.send_message(msg.chat.id, text)
                .send_paced(&app.newsroom.pacer)
                .await?;
            return Ok(());
        }
        Err(e) => {
            bot.send_message(msg.chat.id, (t.upload_unreadable)(&e.to_string()))
                .send_paced(&app.newsroom.pacer)
                .await?;
            return Ok(());
        }
    };
    let upload = app
        .store
        .create_upload(editor, &text, app.newsroom.clock.now())
        .await?;
    let report = (t.upload_report)(&describe_edition(&edition));
    let keyboard = InlineKeyboardMarkup::new([
        vec![InlineKeyboardButton::callback(
            t.button_publish,
            NoticeButton::Publish(upload.id).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            t.button_publish_update,
            NoticeButton::PublishAndUpdate(upload.id).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            t.button_discard,
            NoticeButton::Discard(upload.id).encode(),
        )],
    ]);
    bot.send_message(msg.chat.id, report)
        .reply_markup(keyboard)
        .send_paced(&app.newsroom.pacer)
        .await?;
    audit(
        &app.newsroom,
        editor,
        "edition upload",
        None,
        format!("{} articles", edition.articles.len()),
    )
    .await;
    Ok(())
}
