//! Choosing editions from chat: the question `/start` asks when several editions are served,
//! `/edition` (show them, choose, add, drop, give one its own time) and the edition buttons.
//! Each change is saved and flushed before the reply that says so; in a group only
//! administrators reach here (see `admins`).

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::app::{App, HandlerResult, edited, say, subscriber_id};
use super::followed::ChatEditions;
use super::language::answer_lang;
use crate::core::callback::Press;
use crate::core::digest::Lang;
use crate::core::edition_choice::{
    EditionChange, EditionChoiceError, EditionRequest, apply_edition_change, parse_edition_request,
};
use crate::core::edition_id::EditionId;
use crate::core::edition_texts::edition_texts;
use crate::core::subscriber::Subscriber;
use crate::core::texts::{echo, texts};
use crate::edge::telegram::patient::SendPaced;

/// One button per edition: for `/start`, each chooses that edition; otherwise each adds
/// (＋) or drops (✓) one.
fn edition_keyboard(
    editions: &ChatEditions,
    followed: &[EditionId],
    choosing: bool,
) -> InlineKeyboardMarkup {
    let rows = editions.list.iter().filter_map(|e| {
        let (label, change) = if choosing {
            (e.name.clone(), EditionChange::Choose(e.id.clone()))
        } else if followed.contains(&e.id) {
            (format!("✓ {}", e.name), EditionChange::Drop(e.id.clone()))
        } else {
            (format!("＋ {}", e.name), EditionChange::Add(e.id.clone()))
        };
        let data = Press::Edition(change).data()?;
        Some(vec![InlineKeyboardButton::callback(label, data)])
    });
    InlineKeyboardMarkup::new(rows)
}

/// The ids of the editions `s` follows, as the chat sees them.
fn followed_ids(app: &App, s: Option<&Subscriber>) -> Vec<EditionId> {
    app.editions
        .followed(s)
        .into_iter()
        .map(|e| e.id.clone())
        .collect()
}

/// After `/start`, when several editions are served: which one?
pub(super) async fn ask_edition(bot: &Bot, chat: ChatId, app: &App, lang: Lang) -> HandlerResult {
    bot.send_message(chat, edition_texts(lang).question)
        .reply_markup(edition_keyboard(&app.editions, &[], true))
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(())
}

/// `/edition [words]`.
pub(super) async fn edition_command(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (existing, lang): (Option<Subscriber>, Lang),
    words: &str,
) -> HandlerResult {
    let et = edition_texts(lang);
    let pacer = &app.newsroom.pacer;
    if !app.editions.several() {
        let name = app.editions.list.first().map_or("", |e| e.name.as_str());
        say(bot, pacer, chat, (et.only_one)(name)).await?;
        return Ok(());
    }
    let names = app.editions.names();
    let all = app.editions.joined_names(names.iter().map(|(id, _)| id));
    let change = match parse_edition_request(words, &names) {
        Ok(EditionRequest::Change(change)) => change,
        Ok(EditionRequest::Show) => {
            let followed = followed_ids(app, existing.as_ref());
            bot.send_message(chat, (et.list)(&app.editions.joined_names(&followed)))
                .reply_markup(edition_keyboard(&app.editions, &followed, false))
                .send_paced(pacer)
                .await?;
            return Ok(());
        }
        Err(EditionChoiceError::Unknown(name)) => {
            say(bot, pacer, chat, (et.unknown)(&echo(&name), &all)).await?;
            return Ok(());
        }
        Err(_) => {
            say(bot, pacer, chat, et.usage).await?;
            return Ok(());
        }
    };
    let Some(mut s) = existing else {
        say(bot, pacer, chat, texts(lang).not_subscribed).await?;
        return Ok(());
    };
    let reply = match apply_edition_change(&s.follows, &app.editions.routes, &change) {
        Ok(follows) => {
            s.follows = follows;
            app.store.save_subscriber(&s).await?;
            tracing::info!(subscriber = %s.id, change = ?change, "editions changed");
            let name = app.editions.joined_names([change.edition()]);
            match &change {
                EditionChange::Time(_, Some(time)) => (et.time_saved)(&name, &time.to_string()),
                EditionChange::Time(_, None) => (et.time_default)(&name),
                _ => (et.saved)(&app.editions.joined_names(&followed_ids(app, Some(&s)))),
            }
        }
        Err(e) => refusal(app, lang, &e, &all),
    };
    say(bot, pacer, chat, reply).await?;
    Ok(())
}

/// What to say when a change cannot be made.
fn refusal(app: &App, lang: Lang, e: &EditionChoiceError, all: &str) -> String {
    let et = edition_texts(lang);
    match e {
        EditionChoiceError::LastOne => et.last_one.to_owned(),
        EditionChoiceError::NotFollowed(id) => (et.not_followed)(&app.editions.joined_names([id])),
        EditionChoiceError::Unknown(name) => (et.unknown)(&echo(name), all),
        EditionChoiceError::Usage => et.usage.to_owned(),
    }
}

/// Endpoint for an edition button: saves the change, answers with a toast and edits the
/// message in place (the question becomes what was chosen; the list shows the new marks).
pub async fn on_edition_press(
    bot: Bot,
    q: CallbackQuery,
    app: App,
    change: EditionChange,
) -> HandlerResult {
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    let (chat, message_id) = (message.chat.id, message.id);
    let existing = app.store.subscriber(subscriber_id(&message.chat))?;
    let lang = answer_lang(existing.as_ref(), Some(&q.from));
    let t = texts(lang);
    let Some(mut s) = existing else {
        bot.answer_callback_query(q.id.clone())
            .text(t.not_subscribed)
            .await?;
        return Ok(());
    };
    let follows = match apply_edition_change(&s.follows, &app.editions.routes, &change) {
        Ok(follows) => follows,
        Err(EditionChoiceError::Unknown(_)) => {
            // A button of an edition no longer served.
            bot.answer_callback_query(q.id.clone())
                .text(t.stale_button)
                .await?;
            return Ok(());
        }
        Err(e) => {
            let all = app.editions.joined_names(app.editions.routes.served());
            bot.answer_callback_query(q.id.clone())
                .text(refusal(&app, lang, &e, &all))
                .await?;
            return Ok(());
        }
    };
    s.follows = follows;
    app.store.save_subscriber(&s).await?;
    tracing::info!(subscriber = %s.id, change = ?change, "editions changed by button");
    bot.answer_callback_query(q.id.clone())
        .text(t.saved_toast)
        .await?;
    let et = edition_texts(lang);
    let followed = followed_ids(&app, Some(&s));
    let names = app.editions.joined_names(&followed);
    let edit = match change {
        EditionChange::Choose(_) => {
            bot.edit_message_text(chat, message_id, (et.saved)(&names))
                .send_paced(&app.newsroom.pacer)
                .await
        }
        _ => {
            bot.edit_message_text(chat, message_id, (et.list)(&names))
                .reply_markup(edition_keyboard(&app.editions, &followed, false))
                .send_paced(&app.newsroom.pacer)
                .await
        }
    };
    edited(edit)
}
