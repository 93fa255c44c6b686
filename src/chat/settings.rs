//! A subscriber's settings from chat: subscribing, each change (time, zone, sections,
//! language, pause) saved and flushed before the reply that says so, the buttons that change
//! them, the confirmation a setting asked for in words needs, their data and leaving.

use super::app::{App, HandlerResult, chat_kind, edited, say, subscriber_id};
use crate::edge::telegram::pacing::Pacer;
use crate::edge::telegram::patient::SendPaced;

use teloxide::prelude::*;
use teloxide::types::{Chat, MessageId};

use super::commands::Command;
use super::keyboards::settings_keyboard;
use super::language::{answer_lang, client_lang};
use crate::core::callback::ButtonAction;
use crate::core::digest::Lang;
use crate::core::intent::SettingsRequest;
use crate::core::subscriber::{
    DeliveryTime, Status, Subscriber, SubscriberId, parse_lang, parse_pause_days, parse_time_zone,
};
use crate::core::texts::{MyData, Texts, echo, texts};

pub(super) async fn start(
    bot: &Bot,
    msg: &Message,
    existing: Option<Subscriber>,
    app: &App,
) -> HandlerResult {
    let now = app.clock.now();
    let (subscriber, text) = match existing {
        Some(mut s) => {
            s.status = Status::Active;
            let t = texts(s.lang);
            let text = (t.welcome_back)(&s.delivery.to_string(), s.tz.name());
            (s, text)
        }
        None => {
            let mut s = Subscriber::new(subscriber_id(&msg.chat), chat_kind(&msg.chat), now);
            s.lang = client_lang(msg.from.as_ref());
            let t = texts(s.lang);
            let text = (t.welcome)(&app.edition_name, &s.delivery.to_string(), s.tz.name());
            (s, text)
        }
    };
    app.store.save_subscriber(&subscriber).await?;
    tracing::info!(subscriber = %subscriber.id, "subscribed");
    bot.send_message(msg.chat.id, text)
        .reply_markup(settings_keyboard(&subscriber, subscriber.is_paused(now)))
        .send_paced(&app.newsroom.pacer)
        .await?;
    // Several editions and none chosen yet: ask which.
    if app.editions.several() && subscriber.follows.is_empty() {
        super::edition_choice::ask_edition(bot, msg.chat.id, app, subscriber.lang).await?;
    }
    Ok(())
}

/// /stop, /time, /tz, /lang, /pause, /resume and /settings for an existing subscriber.
pub(super) async fn change_setting(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    mut s: Subscriber,
    cmd: Command,
) -> HandlerResult {
    let t = texts(s.lang);
    let now = app.clock.now();
    let before = s.clone();
    let reply = match cmd {
        Command::Settings => {
            bot.send_message(chat, settings_text(&s, now))
                .reply_markup(settings_keyboard(&s, s.is_paused(now)))
                .send_paced(&app.newsroom.pacer)
                .await?;
            return Ok(());
        }
        Command::Stop => {
            s.status = Status::Stopped;
            t.stopped.to_owned()
        }
        Command::Time(arg) if arg.trim().is_empty() => {
            say(bot, &app.newsroom.pacer, chat, t.other_time_prompt).await?;
            return Ok(());
        }
        Command::Time(arg) => match DeliveryTime::parse(&arg) {
            Ok(time) => {
                s.delivery = time;
                (t.time_saved)(&time.to_string())
            }
            Err(_) => (t.bad_time)(&echo(&arg)),
        },
        Command::Tz(arg) => match parse_time_zone(&arg) {
            Ok(tz) => {
                s.tz = tz.into();
                (t.tz_saved)(tz.name())
            }
            Err(_) => (t.bad_zone)(&echo(&arg)),
        },
        Command::Lang(arg) => match parse_lang(&arg) {
            Ok(lang) => {
                s.lang = lang;
                texts(lang).lang_saved.to_owned()
            }
            Err(_) => t.bad_lang.to_owned(),
        },
        Command::Pause(arg) => match parse_pause_days(&arg) {
            Ok(days) => {
                s.pause(days, now);
                (t.paused)(&local_time(&s, s.paused_until.unwrap_or(now)))
            }
            Err(_) => (t.bad_days)(&echo(&arg)),
        },
        Command::Resume => {
            s.paused_until = None;
            s.status = Status::Active;
            t.resumed.to_owned()
        }
        _ => return Ok(()),
    };
    // Only a real change is written (and flushed).
    if before != s {
        app.store.save_subscriber(&s).await?;
    }
    say(bot, &app.newsroom.pacer, chat, reply).await?;
    Ok(())
}

/// A time shown in the subscriber's own zone.
pub(super) fn local_time(s: &Subscriber, at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&s.tz.tz())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The text above the settings keyboard.
#[must_use]
pub fn settings_text(s: &Subscriber, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = texts(s.lang);
    (t.settings)(
        &s.delivery.to_string(),
        s.tz.name(),
        t.language_name,
        status_name(s, t, now),
    )
}

pub(super) fn status_name(
    s: &Subscriber,
    t: &Texts,
    now: chrono::DateTime<chrono::Utc>,
) -> &'static str {
    match s.status {
        Status::Active if s.is_paused(now) => t.status_paused,
        Status::Active => t.status_active,
        Status::Stopped | Status::Blocked => t.status_stopped,
    }
}

/// `/mydata`: everything stored about the chat; `paper` names the edition a chat that names
/// none follows.
pub(super) async fn my_data(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    s: Option<&Subscriber>,
    (t, paper): (&Texts, &str),
) -> HandlerResult {
    let Some(s) = s else {
        say(bot, pacer, chat, t.nothing_to_delete).await?;
        return Ok(());
    };
    let topics: Vec<&str> = s.topics.iter().map(|topic| t.topic(*topic)).collect();
    let kind = format!("{:?}", s.kind).to_lowercase();
    let paused = s
        .paused_until
        .map_or_else(|| "-".to_owned(), |p| local_time(s, p));
    let status = format!("{:?}", s.status).to_lowercase();
    // The names of the editions followed, each with its own time when it has one.
    let own_times: Vec<String> = s
        .follows
        .iter()
        .filter_map(|f| f.delivery.map(|d| format!("{} {d}", f.edition)))
        .collect();
    let editions = if own_times.is_empty() {
        paper.to_owned()
    } else {
        format!("{paper} ({})", own_times.join(", "))
    };
    let created = local_time(s, s.created_at);
    let text = (t.mydata)(&MyData {
        chat: &s.id.to_string(),
        kind: &kind,
        language: s.lang.code(),
        time: &s.delivery.to_string(),
        zone: s.tz.name(),
        sections: &topics.join("、"),
        editions: &editions,
        paused_until: &paused,
        status: &status,
        since: &created,
    });
    say(bot, pacer, chat, text).await?;
    Ok(())
}

pub(super) async fn delete_me(bot: &Bot, chat: ChatId, app: &App, t: &Texts) -> HandlerResult {
    let existed = app.store.delete_subscriber(SubscriberId(chat.0)).await?;
    say(
        bot,
        &app.newsroom.pacer,
        chat,
        if existed {
            t.deleted
        } else {
            t.nothing_to_delete
        },
    )
    .await?;
    Ok(())
}

/// Asks before applying a settings change a resident asked for in words.
pub(super) async fn confirm_request(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    existing: Option<&Subscriber>,
    lang: Lang,
    request: SettingsRequest,
) -> HandlerResult {
    let Some(s) = existing else {
        say(bot, pacer, chat, texts(lang).not_subscribed).await?;
        return Ok(());
    };
    let t = texts(s.lang);
    let (question, action) = match request {
        SettingsRequest::Time(time) => (
            (t.confirm_time)(&time.to_string()),
            ButtonAction::SetTime(time),
        ),
        SettingsRequest::Drop(topic) if !s.topics.contains(&topic) => {
            say(bot, pacer, chat, (t.already_off)(t.topic(topic))).await?;
            return Ok(());
        }
        SettingsRequest::Add(topic) if s.topics.contains(&topic) => {
            say(bot, pacer, chat, (t.already_on)(t.topic(topic))).await?;
            return Ok(());
        }
        SettingsRequest::Drop(topic) => (
            (t.confirm_drop)(t.topic(topic)),
            ButtonAction::Toggle(topic),
        ),
        SettingsRequest::Add(topic) => {
            ((t.confirm_add)(t.topic(topic)), ButtonAction::Toggle(topic))
        }
        SettingsRequest::Pause(days) => (
            (t.confirm_pause)(&days.to_string()),
            ButtonAction::Pause(days),
        ),
        SettingsRequest::Resume => (t.confirm_resume.to_owned(), ButtonAction::Resume),
    };
    let keyboard = teloxide::types::InlineKeyboardMarkup::new([[
        teloxide::types::InlineKeyboardButton::callback(t.button_yes, action.encode()),
        teloxide::types::InlineKeyboardButton::callback(
            t.button_no,
            ButtonAction::Dismiss.encode(),
        ),
    ]]);
    bot.send_message(chat, question)
        .reply_markup(keyboard)
        .send_paced(pacer)
        .await?;
    Ok(())
}

pub(super) fn single_button(
    label: &str,
    action: ButtonAction,
) -> teloxide::types::InlineKeyboardMarkup {
    teloxide::types::InlineKeyboardMarkup::new([[teloxide::types::InlineKeyboardButton::callback(
        label.to_owned(),
        action.encode(),
    )]])
}

pub(super) async fn press_setting(
    bot: &Bot,
    q: &CallbackQuery,
    app: &App,
    existing: Option<Subscriber>,
    action: ButtonAction,
    (chat, message_id): (&Chat, MessageId),
) -> HandlerResult {
    let lang = answer_lang(existing.as_ref(), Some(&q.from));
    let Some(mut s) = existing.filter(|s| s.status == Status::Active) else {
        bot.answer_callback_query(q.id.clone())
            .text(texts(lang).stale_button)
            .await?;
        return Ok(());
    };
    let now = app.clock.now();
    apply(&mut s, action, now);
    app.store.save_subscriber(&s).await?;
    bot.answer_callback_query(q.id.clone())
        .text(texts(s.lang).saved_toast)
        .await?;
    let edit = bot
        .edit_message_text(chat.id, message_id, settings_text(&s, now))
        .reply_markup(settings_keyboard(&s, s.is_paused(now)))
        .send_paced(&app.newsroom.pacer)
        .await;
    edited(edit)
}

/// Applies a settings button to the subscriber.
pub(super) fn apply(s: &mut Subscriber, action: ButtonAction, now: chrono::DateTime<chrono::Utc>) {
    match action {
        ButtonAction::SetTime(time) => s.delivery = time,
        ButtonAction::Toggle(topic) => s.toggle(topic),
        ButtonAction::SetLang(lang) => s.lang = lang,
        ButtonAction::Pause(days) => s.pause(days, now),
        ButtonAction::Resume => s.paused_until = None,
        ButtonAction::OtherTime | ButtonAction::Show(_) | ButtonAction::Dismiss => {}
    }
}
