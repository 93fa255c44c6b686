//! Answers from the day's digests of the editions a chat follows: the sections asked for,
//! the weather for a day and an aspect, the notices about a subject, and one fact of an item.

use super::app::{App, HandlerError, HandlerResult, say, say_html};
use super::settings::single_button;
use super::story::{item_buttons_for, story_keyboard};
use crate::core::edition_id::EditionId;
use crate::edge::telegram::patient::SendPaced;

use teloxide::prelude::*;
use teloxide::types::ParseMode;

use super::commands::Command;
use super::keyboards::section_keyboard;
use crate::core::answer::{day_name, weather_answer};
use crate::core::callback::ButtonAction;
use crate::core::digest::{Lang, RenderOptions, Section, escape_html, render_telegram_html};
use crate::core::fact_answer::{FactAnswer, answer_fact};
use crate::core::intent::{Aspect, Day, FactQuestion, notice_subject};
use crate::core::punctuation::is_mostly_cjk;
use crate::core::search::find_notices;
use crate::core::subscriber::{Subscriber, Topic};
use crate::core::texts::{echo, texts};

/// The digest section a section command asks for.
pub(super) fn section_of(cmd: &Command) -> Option<Section> {
    match cmd {
        Command::Headlines => Some(Section::Headlines),
        Command::Weather => Some(Section::Weather),
        Command::Notices => Some(Section::Notices),
        Command::Photos => Some(Section::Photos),
        _ => None,
    }
}

/// Sends today's digest of each edition the chat follows: one section, or the subscriber's
/// chosen sections.
pub(super) async fn send_sections(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    s: Option<&Subscriber>,
    lang: Lang,
    only: Option<Section>,
) -> HandlerResult {
    let mut sent = false;
    for edition in app.editions.followed(s) {
        let Some((digest, today)) = edition.current_digest(app.clock.as_ref())? else {
            continue;
        };
        if !today {
            // Before today's build: say so, and show the latest day's, labelled with its date.
            let date = digest.date.format("%Y-%m-%d").to_string();
            say(
                bot,
                &app.newsroom.pacer,
                chat,
                (texts(lang).older_digest)(&date),
            )
            .await?;
        }
        send_digest_sections(bot, chat, app, (s, lang), only, (&edition.id, &digest)).await?;
        sent = true;
    }
    if !sent {
        say(bot, &app.newsroom.pacer, chat, texts(lang).no_digest).await?;
    }
    Ok(())
}

async fn send_digest_sections(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (s, lang): (Option<&Subscriber>, Lang),
    only: Option<Section>,
    (edition, digest): (&EditionId, &crate::core::digest::Digest),
) -> HandlerResult {
    let sections = match (only, s) {
        (Some(section), _) => vec![section],
        (None, Some(s)) => s.sections(),
        (None, None) => Section::ALL.to_vec(),
    };
    let options = RenderOptions {
        lang,
        sections,
        short_summaries: only == Some(Section::Headlines),
    };
    // Under the headlines, a "全文 N" button for each article kept whole.
    let keyboard = options
        .sections
        .contains(&Section::Headlines)
        .then(|| story_keyboard(edition, digest, lang))
        .flatten();
    let pieces = render_telegram_html(digest, &options);
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.into_iter().enumerate() {
        match keyboard.as_ref().filter(|_| i == last) {
            Some(keyboard) => {
                bot.send_message(chat, piece)
                    .parse_mode(ParseMode::Html)
                    .reply_markup(keyboard.clone())
                    .send_paced(&app.newsroom.pacer)
                    .await?;
            }
            None => {
                say_html(bot, &app.newsroom.pacer, chat, piece).await?;
            }
        }
    }
    Ok(())
}

/// Today's digest of each edition the chat follows (or before today's is built the latest
/// one), in the chat's order.
pub(super) fn current_digests(
    app: &App,
    s: Option<&Subscriber>,
) -> Result<Vec<crate::core::digest::Digest>, crate::edge::store::StoreError> {
    let mut digests = Vec::new();
    for edition in app.editions.followed(s) {
        if let Some((digest, _)) = edition.current_digest(app.clock.as_ref())? {
            digests.push(digest);
        }
    }
    Ok(digests)
}

/// Answers a weather question from today's digest in one or two lines, with the weather
/// section as a button; says so plainly when the digest does not hold the answer.
pub(super) async fn answer_weather(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (s, lang): (Option<&Subscriber>, Lang),
    day: Option<Day>,
    aspect: Aspect,
) -> HandlerResult {
    let t = texts(lang);
    // The first edition followed whose digest holds the answer.
    let answer = current_digests(app, s)?
        .iter()
        .filter_map(|d| d.weather.as_ref())
        .find_map(|w| weather_answer(w, day, aspect, lang));
    let (text, keyboard) = match answer {
        Some(text) => (
            text,
            single_button(t.topic(Topic::Weather), ButtonAction::Show(Topic::Weather)),
        ),
        None => (
            (t.no_weather_answer)(day_name(day.unwrap_or(Day::Today), lang)),
            section_keyboard(lang),
        ),
    };
    bot.send_message(chat, text)
        .reply_markup(keyboard)
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(())
}

/// Answers a question about a particular notice (`停水了吗`) with the matching notices of
/// today's digest, quoted, and the notices section as a button; says so when there is none.
pub(super) async fn answer_notices(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (s, lang): (Option<&Subscriber>, Lang),
    text: &str,
) -> HandlerResult {
    let t = texts(lang);
    let subject = notice_subject(text, app.summarizer.segmenter());
    let found: Vec<_> = current_digests(app, s)?
        .iter()
        .flat_map(|d| find_notices(&subject, d))
        .take(3)
        .collect();
    let subject = subject.join(" ");
    if let Some(first) = found.first() {
        app.shown.remember(chat, &first.title);
    }
    if found.is_empty() {
        bot.send_message(chat, (t.no_notice_answer)(&echo(&subject)))
            .reply_markup(section_keyboard(lang))
            .send_paced(&app.newsroom.pacer)
            .await?;
        return Ok(());
    }
    let html = found
        .iter()
        .map(|f| {
            format!(
                "📢 <b>{}</b>\n{}",
                escape_html(&f.title),
                escape_html(&f.text)
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    bot.send_message(chat, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(single_button(
            t.topic(Topic::Notices),
            ButtonAction::Show(Topic::Notices),
        ))
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(())
}

/// Answers a question for one fact of an item of today's digests (`职业学校的电话是多少`):
/// the item's title and the fact as printed, or that it does not print it, or a request to
/// name the item. False, with nothing sent, when it names nothing the digests hold.
pub(super) async fn answer_fact_question(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (s, lang): (Option<&Subscriber>, Lang),
    question: &FactQuestion,
) -> Result<bool, HandlerError> {
    let t = texts(lang);
    let digests = current_digests(app, s)?;
    let mut answer = answer_fact(question, &digests);
    if answer == FactAnswer::Unnamed
        && let Some(title) = app.shown.last(chat)
    {
        // `电话多少？` right after a notice: the notice just shown.
        let about_it = FactQuestion {
            fact: question.fact,
            subject: vec![title.to_lowercase()],
        };
        answer = match answer_fact(&about_it, &digests) {
            FactAnswer::NotFound => FactAnswer::Unnamed,
            found => found,
        };
    }
    if let FactAnswer::Quoted { title, .. } | FactAnswer::Missing { title, .. } = &answer {
        app.shown.remember(chat, title);
    }
    let (html, notice) = match answer {
        FactAnswer::Quoted {
            title,
            notice,
            fact,
        } => (
            format!(
                "{} <b>{}</b>\n{}：{}{}",
                if notice { "📢" } else { "📰" },
                escape_html(&title),
                (t.fact_label)(question.fact),
                escape_html(&fact),
                (t.printed_in_other_language)(is_mostly_cjk(&title))
                    .map(|note| format!("\n<i>{}</i>", escape_html(note)))
                    .unwrap_or_default()
            ),
            notice,
        ),
        FactAnswer::Missing { title, notice } => (
            escape_html(&(t.fact_missing)(&title, question.fact)),
            notice,
        ),
        FactAnswer::Unnamed => {
            bot.send_message(chat, t.fact_which_item)
                .reply_markup(section_keyboard(lang))
                .send_paced(&app.newsroom.pacer)
                .await?;
            return Ok(true);
        }
        FactAnswer::NotFound => return Ok(false),
    };
    // The answer's button opens the item it came from whole.
    let keyboard = match app.shown.last(chat) {
        Some(title) => item_buttons_for(app, s, (&title, notice), lang)?,
        None => None,
    };
    let topic = if notice {
        Topic::Notices
    } else {
        Topic::Headlines
    };
    let keyboard =
        keyboard.unwrap_or_else(|| single_button(t.topic(topic), ButtonAction::Show(topic)));
    bot.send_message(chat, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(true)
}
