//! Endpoints of the handler tree: each takes Telegram values, calls the core and the store,
//! and answers with a text from `core::texts`. Settings are saved (and flushed) before the
//! reply that says so.

use super::answers::{
    answer_fact_question, answer_notices, answer_weather, section_of, send_sections,
};
use super::app::{App, HandlerResult, chat_kind, edited, say, subscriber_id};
use super::edition_choice::edition_command;
use super::search::search;
use super::settings::{change_setting, confirm_request, delete_me, my_data, press_setting, start};
use crate::edge::telegram::patient::SendPaced;

use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, Me};

use super::commands::Command;
use super::language::{answer_lang, client_lang};
use crate::core::callback::ButtonAction;
use crate::core::digest::Section;
use crate::core::intent::{Intent, match_intent, match_intent_without_facts, notice_subject};
use crate::core::subscriber::Status;
use crate::core::texts::{echo, texts};

/// Endpoint for every command.
pub async fn on_command(bot: Bot, msg: Message, cmd: Command, app: App) -> HandlerResult {
    let existing = app.store.subscriber(subscriber_id(&msg.chat))?;
    let lang = answer_lang(existing.as_ref(), msg.from.as_ref());
    let t = texts(lang);
    let chat = msg.chat.id;
    match cmd {
        Command::Start => start(&bot, &msg, existing, &app).await,
        Command::Help => say(&bot, &app.newsroom.pacer, chat, t.help)
            .await
            .map(drop)
            .map_err(Into::into),
        Command::Today => send_sections(&bot, chat, &app, existing.as_ref(), lang, None).await,
        Command::Headlines | Command::Weather | Command::Notices | Command::Photos => {
            send_sections(&bot, chat, &app, existing.as_ref(), lang, section_of(&cmd)).await
        }
        Command::Search(words) if words.trim().is_empty() => {
            say(&bot, &app.newsroom.pacer, chat, t.search_usage)
                .await
                .map(drop)
                .map_err(Into::into)
        }
        Command::Search(words) => search(&bot, chat, &app, (existing.as_ref(), lang), &words).await,
        Command::Mydata => {
            let followed = app.editions.followed(existing.as_ref());
            let names = app.editions.joined_names(followed.iter().map(|e| &e.id));
            let paper = (t, names.as_str());
            my_data(&bot, &app.newsroom.pacer, chat, existing.as_ref(), paper).await
        }
        Command::Deleteme => delete_me(&bot, chat, &app, t).await,
        Command::Edition(words) => {
            edition_command(&bot, chat, &app, (existing, lang), &words).await
        }
        other => {
            let Some(subscriber) = existing else {
                say(&bot, &app.newsroom.pacer, chat, t.not_subscribed).await?;
                return Ok(());
            };
            change_setting(&bot, chat, &app, subscriber, other).await
        }
    }
}

/// Endpoint for plain text: an unknown command gets help, a question gets its section, and
/// anything else is searched. Only private chats get answers to plain text.
pub async fn on_text(bot: Bot, msg: Message, me: Me, app: App) -> HandlerResult {
    let Some(text) = msg.text() else {
        return Ok(());
    };
    let existing = app.store.subscriber(subscriber_id(&msg.chat))?;
    let lang = answer_lang(existing.as_ref(), msg.from.as_ref());
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        // In a group, commands for other bots are none of our business.
        let ours = msg.chat.is_private() || command.ends_with(&format!("@{}", me.username()));
        if !ours {
            return Ok(());
        }
        say(
            &bot,
            &app.newsroom.pacer,
            msg.chat.id,
            (texts(lang).unknown_command)(&echo(command)),
        )
        .await?;
        return Ok(());
    }
    if !msg.chat.is_private() {
        return Ok(());
    }
    let mut intent = match_intent(text, app.summarizer.segmenter());
    if let Intent::Fact(question) = &intent {
        let answered =
            answer_fact_question(&bot, msg.chat.id, &app, (existing.as_ref(), lang), question)
                .await?;
        if answered {
            return Ok(());
        }
        intent = match_intent_without_facts(text, app.summarizer.segmenter());
    }
    match intent {
        Intent::Weather { day, aspect } => {
            answer_weather(
                &bot,
                msg.chat.id,
                &app,
                (existing.as_ref(), lang),
                day,
                aspect,
            )
            .await
        }
        Intent::Settings(request) => {
            confirm_request(
                &bot,
                &app.newsroom.pacer,
                msg.chat.id,
                existing.as_ref(),
                lang,
                request,
            )
            .await
        }
        Intent::Section(Section::Notices)
            if !notice_subject(text, app.summarizer.segmenter()).is_empty() =>
        {
            answer_notices(&bot, msg.chat.id, &app, (existing.as_ref(), lang), text).await
        }
        Intent::Section(section) => {
            send_sections(
                &bot,
                msg.chat.id,
                &app,
                existing.as_ref(),
                lang,
                Some(section),
            )
            .await
        }
        // Answered above, or read again without facts.
        Intent::Fact(_) => Ok(()),
        Intent::Search(query) => {
            search(&bot, msg.chat.id, &app, (existing.as_ref(), lang), &query).await
        }
    }
}

/// Endpoint for a settings or section button (decoded by the tree): checks who pressed,
/// saves, and edits the settings message in place.
pub async fn on_callback(
    bot: Bot,
    q: CallbackQuery,
    app: App,
    action: ButtonAction,
) -> HandlerResult {
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    let (chat, message_id) = (message.chat.clone(), message.id);
    let existing = app.store.subscriber(subscriber_id(&chat))?;
    let lang = answer_lang(existing.as_ref(), Some(&q.from));
    let t = texts(lang);
    match action {
        ButtonAction::Show(topic) => {
            bot.answer_callback_query(q.id.clone()).await?;
            send_sections(
                &bot,
                chat.id,
                &app,
                existing.as_ref(),
                lang,
                topic.section(),
            )
            .await
        }
        ButtonAction::Dismiss => {
            bot.answer_callback_query(q.id.clone()).await?;
            let edit = bot
                .edit_message_text(chat.id, message_id, t.request_dismissed)
                .send_paced(&app.newsroom.pacer)
                .await;
            edited(edit)
        }
        ButtonAction::OtherTime => {
            bot.answer_callback_query(q.id.clone())
                .text(t.other_time_prompt)
                .await?;
            say(&bot, &app.newsroom.pacer, chat.id, t.other_time_prompt).await?;
            Ok(())
        }
        _ => press_setting(&bot, &q, &app, existing, action, (&chat, message_id)).await,
    }
}

/// Endpoint for a press whose data the bot never made (forged, or a button too old): a
/// short answer, nothing changed.
pub async fn on_forged_button(bot: Bot, q: CallbackQuery, app: App) -> HandlerResult {
    tracing::warn!(data = ?q.data, "forged or stale button");
    let subscriber = match q.regular_message() {
        Some(message) => app.store.subscriber(subscriber_id(&message.chat))?,
        None => None,
    };
    let lang = answer_lang(subscriber.as_ref(), Some(&q.from));
    bot.answer_callback_query(q.id.clone())
        .text(texts(lang).stale_button)
        .await?;
    Ok(())
}

/// Endpoint for changes of the bot's own membership: added to a group, it says hello and how
/// to subscribe; blocked by a user or removed from a group, it marks the subscriber inactive.
pub async fn on_membership(bot: Bot, update: ChatMemberUpdated, app: App) -> HandlerResult {
    let joined = update.new_chat_member.is_present() && !update.old_chat_member.is_present();
    if joined && chat_kind(&update.chat).is_group() {
        say(
            &bot,
            &app.newsroom.pacer,
            update.chat.id,
            texts(client_lang(Some(&update.from))).group_hello,
        )
        .await?;
        return Ok(());
    }
    if update.new_chat_member.is_present() {
        return Ok(());
    }
    if let Some(mut s) = app.store.subscriber(subscriber_id(&update.chat))? {
        s.status = Status::Blocked;
        app.store.save_subscriber(&s).await?;
        tracing::info!(subscriber = %s.id, "bot blocked or removed; subscriber marked inactive");
    }
    Ok(())
}
