//! Endpoints of the handler tree: each takes Telegram values, calls the core and the store,
//! and answers with a text from `core::texts`. Settings are saved (and flushed) before the
//! reply that says so.

use crate::edge::telegram::pacing::Pacer;
use crate::edge::telegram::patient::SendPaced;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{Chat, ChatMemberUpdated, Me, MessageId, ParseMode, User};
use teloxide::{ApiError, RequestError};

use super::commands::Command;
use super::keyboards::{section_keyboard, settings_keyboard};
use super::language::client_lang;
use crate::core::answer::{day_name, weather_answer};
use crate::core::callback::ButtonAction;
use crate::core::digest::{Lang, RenderOptions, Section, escape_html, render_telegram_html};
use crate::core::intent::{Aspect, Day, Intent, SettingsRequest, match_intent, notice_subject};
use crate::core::search::{ItemKind, SearchPage, find_notices, matching_sentence, search_page};
use crate::core::subscriber::{
    ChatKind, DeliveryTime, Status, Subscriber, SubscriberId, Topic, parse_lang, parse_pause_days,
    parse_time_zone,
};
use crate::core::summary::Summarizer;
use crate::core::texts::{Texts, echo, fill, is_web_link, texts};
use crate::edge::clock::Clock;
use crate::edge::store::Store;

/// Errors an endpoint can return; the dispatcher logs them.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
/// What endpoints return.
pub type HandlerResult = Result<(), HandlerError>;

/// Digests searched by /search and free text: today's and the last 7 days'.
const SEARCH_DAYS: usize = 8;

/// What every endpoint shares, injected once into the dispatcher.
#[derive(Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
    /// The summariser's word segmenter serves search.
    pub summarizer: Arc<Summarizer>,
    /// The paper's name for the welcome message.
    pub edition_name: String,
    /// The paper's time zone, which decides which day's digest is "today's".
    pub timezone: chrono_tz::Tz,
    /// The newsroom: editors, breaking notices.
    pub newsroom: Arc<crate::app::newsroom::Newsroom>,
}

fn subscriber_id(chat: &Chat) -> SubscriberId {
    SubscriberId(chat.id.0)
}

fn chat_kind(chat: &Chat) -> ChatKind {
    if chat.is_group() {
        ChatKind::Group
    } else if chat.is_supergroup() {
        ChatKind::Supergroup
    } else if chat.is_channel() {
        ChatKind::Channel
    } else {
        ChatKind::Private
    }
}

async fn say(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    text: impl Into<String>,
) -> Result<Message, RequestError> {
    bot.send_message(chat, text).send_paced(pacer).await
}

async fn say_html(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    html: String,
) -> Result<Message, RequestError> {
    bot.send_message(chat, html)
        .parse_mode(ParseMode::Html)
        .send_paced(pacer)
        .await
}

/// True when `user` may change `chat`'s settings: anyone in a private chat, administrators in
/// a group.
async fn may_change(bot: &Bot, chat: &Chat, user: Option<&User>) -> Result<bool, RequestError> {
    if !(chat.is_group() || chat.is_supergroup()) {
        return Ok(true);
    }
    let Some(user) = user else { return Ok(false) };
    Ok(bot.get_chat_member(chat.id, user.id).await?.is_privileged())
}

/// The digest section a section command asks for.
fn section_of(cmd: &Command) -> Option<Section> {
    match cmd {
        Command::Headlines => Some(Section::Headlines),
        Command::Weather => Some(Section::Weather),
        Command::Notices => Some(Section::Notices),
        Command::Photos => Some(Section::Photos),
        _ => None,
    }
}

fn changes_settings(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Start
            | Command::Stop
            | Command::Time(_)
            | Command::Tz(_)
            | Command::Lang(_)
            | Command::Pause(_)
            | Command::Resume
            | Command::Deleteme
    )
}

/// Endpoint for every command.
pub async fn on_command(bot: Bot, msg: Message, cmd: Command, app: App) -> HandlerResult {
    let existing = app.store.subscriber(subscriber_id(&msg.chat))?;
    let lang = existing
        .as_ref()
        .map_or_else(|| client_lang(msg.from.as_ref()), |s| s.lang);
    let t = texts(lang);
    if changes_settings(&cmd) && !may_change(&bot, &msg.chat, msg.from.as_ref()).await? {
        say(&bot, &app.newsroom.pacer, msg.chat.id, t.admins_only).await?;
        return Ok(());
    }
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
        Command::Search(words) => search(&bot, chat, &app, lang, &words).await,
        Command::Mydata => my_data(&bot, &app.newsroom.pacer, chat, existing.as_ref(), t).await,
        Command::Deleteme => delete_me(&bot, chat, &app, t).await,
        other => {
            let Some(subscriber) = existing else {
                say(&bot, &app.newsroom.pacer, chat, t.not_subscribed).await?;
                return Ok(());
            };
            change_setting(&bot, chat, &app, subscriber, other).await
        }
    }
}

async fn start(bot: &Bot, msg: &Message, existing: Option<Subscriber>, app: &App) -> HandlerResult {
    let now = app.clock.now();
    let (subscriber, text) = match existing {
        Some(mut s) => {
            s.status = Status::Active;
            let t = texts(s.lang);
            let text = fill(t.welcome_back, &[&s.delivery.to_string(), s.tz.name()]);
            (s, text)
        }
        None => {
            let mut s = Subscriber::new(subscriber_id(&msg.chat), chat_kind(&msg.chat), now);
            s.lang = client_lang(msg.from.as_ref());
            let t = texts(s.lang);
            let text = fill(
                t.welcome,
                &[&app.edition_name, &s.delivery.to_string(), s.tz.name()],
            );
            (s, text)
        }
    };
    app.store.save_subscriber(&subscriber).await?;
    tracing::info!(subscriber = %subscriber.id, "subscribed");
    bot.send_message(msg.chat.id, text)
        .reply_markup(settings_keyboard(&subscriber, subscriber.is_paused(now)))
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(())
}

/// /stop, /time, /tz, /lang, /pause, /resume and /settings for an existing subscriber.
async fn change_setting(
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
                fill(t.time_saved, &[&time.to_string()])
            }
            Err(_) => fill(t.bad_time, &[&echo(&arg)]),
        },
        Command::Tz(arg) => match parse_time_zone(&arg) {
            Ok(tz) => {
                s.tz = tz.into();
                fill(t.tz_saved, &[tz.name()])
            }
            Err(_) => fill(t.bad_zone, &[&echo(&arg)]),
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
                fill(t.paused, &[&local_time(&s, s.paused_until.unwrap_or(now))])
            }
            Err(_) => fill(t.bad_days, &[&echo(&arg)]),
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
fn local_time(s: &Subscriber, at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&s.tz.tz())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The text above the settings keyboard.
#[must_use]
pub fn settings_text(s: &Subscriber, now: chrono::DateTime<chrono::Utc>) -> String {
    let t = texts(s.lang);
    fill(
        t.settings,
        &[
            &s.delivery.to_string(),
            s.tz.name(),
            t.language_name,
            status_name(s, t, now),
        ],
    )
}

fn status_name(s: &Subscriber, t: &Texts, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    match s.status {
        Status::Active if s.is_paused(now) => t.status_paused,
        Status::Active => t.status_active,
        Status::Stopped | Status::Blocked => t.status_stopped,
    }
}

/// Sends today's digest: one section, or the subscriber's chosen sections.
async fn send_sections(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    s: Option<&Subscriber>,
    lang: Lang,
    only: Option<Section>,
) -> HandlerResult {
    let today = app.clock.today_in(app.timezone);
    let digest = match app.store.digest(today)? {
        Some(digest) => digest,
        None => {
            // Before today's build: say so, and show the latest day's, labelled with its date.
            let Some(latest) = app.store.latest_digest()? else {
                say(bot, &app.newsroom.pacer, chat, texts(lang).no_digest).await?;
                return Ok(());
            };
            let date = latest.date.format("%Y-%m-%d").to_string();
            say(
                bot,
                &app.newsroom.pacer,
                chat,
                fill(texts(lang).older_digest, &[&date]),
            )
            .await?;
            latest
        }
    };
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
    for piece in render_telegram_html(&digest, &options) {
        say_html(bot, &app.newsroom.pacer, chat, piece).await?;
    }
    Ok(())
}

async fn search(bot: &Bot, chat: ChatId, app: &App, lang: Lang, query: &str) -> HandlerResult {
    let t = texts(lang);
    let digests = app.store.recent_digests(SEARCH_DAYS)?;
    let page = search_page(query, &digests, app.summarizer.segmenter(), 0);
    if page.items.is_empty() {
        bot.send_message(chat, fill(t.nothing_found, &[&echo(query)]))
            .reply_markup(section_keyboard(lang))
            .send_paced(&app.newsroom.pacer)
            .await?;
        return Ok(());
    }
    let mut request = bot
        .send_message(chat, search_html(t, query, &page))
        .parse_mode(ParseMode::Html);
    if let Some(keyboard) = page_keyboard(query, &page) {
        request = request.reply_markup(keyboard);
    }
    request.send_paced(&app.newsroom.pacer).await?;
    Ok(())
}

/// A page of search results: title, date and the matching sentence with the words in bold.
fn search_html(t: &Texts, query: &str, page: &SearchPage) -> String {
    let mut html = escape_html(&fill(t.search_results, &[&echo(query)]));
    for item in &page.items {
        let mark = match item.kind {
            ItemKind::Headline => "📰",
            ItemKind::Notice => "📢",
        };
        html.push_str(&format!(
            "\n\n{mark} <b>{}</b> · {}\n{}",
            escape_html(&item.title),
            item.date.format("%m-%d"),
            matching_sentence(&item.text, &page.words)
        ));
        if let Some(link) = item.link.as_deref().filter(|l| is_web_link(l)) {
            html.push_str(&format!(" <a href=\"{}\">↗</a>", escape_html(link)));
        }
    }
    if page.pages > 1 {
        html.push_str(&format!("\n\n{}/{}", page.page + 1, page.pages));
    }
    html
}

/// Callback data of a search page: `f:PAGE:QUERY`, when it fits Telegram's 64 bytes.
fn page_data(query: &str, page: usize) -> Option<String> {
    let data = format!("f:{page}:{}", query.trim());
    (data.len() <= crate::core::callback::MAX_CALLBACK_BYTES).then_some(data)
}

/// ‹ and › buttons for the pages before and after, if any (and if the query fits).
fn page_keyboard(query: &str, page: &SearchPage) -> Option<teloxide::types::InlineKeyboardMarkup> {
    let mut row = Vec::new();
    if page.page > 0 {
        row.push(teloxide::types::InlineKeyboardButton::callback(
            "‹",
            page_data(query, page.page - 1)?,
        ));
    }
    if page.page + 1 < page.pages {
        row.push(teloxide::types::InlineKeyboardButton::callback(
            "›",
            page_data(query, page.page + 1)?,
        ));
    }
    (!row.is_empty()).then(|| teloxide::types::InlineKeyboardMarkup::new([row]))
}

/// A press of ‹ or › under search results: shows that page in the same message.
async fn turn_search_page(
    bot: &Bot,
    q: &CallbackQuery,
    app: &App,
    lang: Lang,
    data: &str,
) -> HandlerResult {
    let t = texts(lang);
    let parsed = data
        .strip_prefix("f:")
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(page, query)| Some((page.parse::<usize>().ok()?, query)));
    let (Some((page, query)), Some(message)) = (parsed, q.regular_message()) else {
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
    let digests = app.store.recent_digests(SEARCH_DAYS)?;
    let results = search_page(query, &digests, app.summarizer.segmenter(), page);
    bot.answer_callback_query(q.id.clone()).await?;
    if results.items.is_empty() {
        return Ok(());
    }
    let mut edit = bot
        .edit_message_text(message.chat.id, message.id, search_html(t, query, &results))
        .parse_mode(ParseMode::Html);
    if let Some(keyboard) = page_keyboard(query, &results) {
        edit = edit.reply_markup(keyboard);
    }
    match edit.send_paced(&app.newsroom.pacer).await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn my_data(
    bot: &Bot,
    pacer: &Pacer,
    chat: ChatId,
    s: Option<&Subscriber>,
    t: &Texts,
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
    let created = local_time(s, s.created_at);
    let text = fill(
        t.mydata,
        &[
            &s.id.to_string(),
            &kind,
            s.lang.code(),
            &s.delivery.to_string(),
            s.tz.name(),
            &topics.join("、"),
            &paused,
            &status,
            &created,
        ],
    );
    say(bot, pacer, chat, text).await?;
    Ok(())
}

async fn delete_me(bot: &Bot, chat: ChatId, app: &App, t: &Texts) -> HandlerResult {
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

/// Endpoint for plain text: an unknown command gets help, a question gets its section, and
/// anything else is searched. Only private chats get answers to plain text.
pub async fn on_text(bot: Bot, msg: Message, me: Me, app: App) -> HandlerResult {
    let Some(text) = msg.text() else {
        return Ok(());
    };
    let existing = app.store.subscriber(subscriber_id(&msg.chat))?;
    let lang = existing
        .as_ref()
        .map_or_else(|| client_lang(msg.from.as_ref()), |s| s.lang);
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
            fill(texts(lang).unknown_command, &[&echo(command)]),
        )
        .await?;
        return Ok(());
    }
    if !msg.chat.is_private() {
        return Ok(());
    }
    match match_intent(text, app.summarizer.segmenter()) {
        Intent::Weather { day, aspect } => {
            answer_weather(&bot, msg.chat.id, &app, lang, day, aspect).await
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
            answer_notices(&bot, msg.chat.id, &app, lang, text).await
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
        Intent::Search(query) => search(&bot, msg.chat.id, &app, lang, &query).await,
    }
}

/// Today's digest, or before today's is built the latest one.
fn current_digest(
    app: &App,
) -> Result<Option<crate::core::digest::Digest>, crate::edge::store::StoreError> {
    match app.store.digest(app.clock.today_in(app.timezone))? {
        Some(d) => Ok(Some(d)),
        None => app.store.latest_digest(),
    }
}

/// Answers a weather question from today's digest in one or two lines, with the weather
/// section as a button; says so plainly when the digest does not hold the answer.
async fn answer_weather(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    lang: Lang,
    day: Option<Day>,
    aspect: Aspect,
) -> HandlerResult {
    let t = texts(lang);
    let digest = current_digest(app)?;
    let answer = digest
        .as_ref()
        .and_then(|d| d.weather.as_ref())
        .and_then(|w| weather_answer(w, day, aspect, lang));
    let (text, keyboard) = match answer {
        Some(text) => (
            text,
            single_button(t.topic(Topic::Weather), ButtonAction::Show(Topic::Weather)),
        ),
        None => (
            fill(
                t.no_weather_answer,
                &[day_name(day.unwrap_or(Day::Today), lang)],
            ),
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
async fn answer_notices(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    lang: Lang,
    text: &str,
) -> HandlerResult {
    let t = texts(lang);
    let digest = current_digest(app)?;
    let subject = notice_subject(text, app.summarizer.segmenter());
    let found: Vec<_> = digest
        .map(|d| find_notices(&subject, &d))
        .unwrap_or_default()
        .into_iter()
        .take(3)
        .collect();
    let subject = subject.join(" ");
    if found.is_empty() {
        bot.send_message(chat, fill(t.no_notice_answer, &[&echo(&subject)]))
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

/// Asks before applying a settings change a resident asked for in words.
async fn confirm_request(
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
            fill(t.confirm_time, &[&time.to_string()]),
            ButtonAction::SetTime(time),
        ),
        SettingsRequest::Drop(topic) if !s.topics.contains(&topic) => {
            say(bot, pacer, chat, fill(t.already_off, &[t.topic(topic)])).await?;
            return Ok(());
        }
        SettingsRequest::Add(topic) if s.topics.contains(&topic) => {
            say(bot, pacer, chat, fill(t.already_on, &[t.topic(topic)])).await?;
            return Ok(());
        }
        SettingsRequest::Drop(topic) => (
            fill(t.confirm_drop, &[t.topic(topic)]),
            ButtonAction::Toggle(topic),
        ),
        SettingsRequest::Add(topic) => (
            fill(t.confirm_add, &[t.topic(topic)]),
            ButtonAction::Toggle(topic),
        ),
        SettingsRequest::Pause(days) => (
            fill(t.confirm_pause, &[&days.to_string()]),
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

fn single_button(label: &str, action: ButtonAction) -> teloxide::types::InlineKeyboardMarkup {
    teloxide::types::InlineKeyboardMarkup::new([[teloxide::types::InlineKeyboardButton::callback(
        label.to_owned(),
        action.encode(),
    )]])
}

/// Endpoint for button presses: validates the data, checks who pressed, saves, and edits the
/// settings message in place.
pub async fn on_callback(bot: Bot, q: CallbackQuery, app: App) -> HandlerResult {
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    let (chat, message_id) = (message.chat.clone(), message.id);
    let existing = app.store.subscriber(subscriber_id(&chat))?;
    let lang = existing
        .as_ref()
        .map_or_else(|| client_lang(Some(&q.from)), |s| s.lang);
    let t = texts(lang);
    if let Some(data) = q.data.as_deref().filter(|d| d.starts_with("f:")) {
        return turn_search_page(&bot, &q, &app, lang, data).await;
    }
    let Some(action) = q.data.as_deref().and_then(ButtonAction::decode) else {
        tracing::warn!(data = ?q.data, "forged or stale button");
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
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
            match edit {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
                Err(e) => Err(e.into()),
            }
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

async fn press_setting(
    bot: &Bot,
    q: &CallbackQuery,
    app: &App,
    existing: Option<Subscriber>,
    action: ButtonAction,
    (chat, message_id): (&Chat, MessageId),
) -> HandlerResult {
    let lang = existing
        .as_ref()
        .map_or_else(|| client_lang(Some(&q.from)), |s| s.lang);
    let Some(mut s) = existing.filter(|s| s.status == Status::Active) else {
        bot.answer_callback_query(q.id.clone())
            .text(texts(lang).stale_button)
            .await?;
        return Ok(());
    };
    if !may_change(bot, chat, Some(&q.from)).await? {
        bot.answer_callback_query(q.id.clone())
            .text(texts(lang).admins_only)
            .await?;
        return Ok(());
    }
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
    match edit {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Applies a settings button to the subscriber.
fn apply(s: &mut Subscriber, action: ButtonAction, now: chrono::DateTime<chrono::Utc>) {
    match action {
        ButtonAction::SetTime(time) => s.delivery = time,
        ButtonAction::Toggle(topic) => s.toggle(topic),
        ButtonAction::SetLang(lang) => s.lang = lang,
        ButtonAction::Pause(days) => s.pause(days, now),
        ButtonAction::Resume => s.paused_until = None,
        ButtonAction::OtherTime | ButtonAction::Show(_) | ButtonAction::Dismiss => {}
    }
}

/// Endpoint for changes of the bot's own membership: added to a group, it says hello and how
/// to subscribe; blocked by a user or removed from a group, it marks the subscriber inactive.
pub async fn on_membership(bot: Bot, update: ChatMemberUpdated, app: App) -> HandlerResult {
    let joined = update.new_chat_member.is_present() && !update.old_chat_member.is_present();
    if joined && (update.chat.is_group() || update.chat.is_supergroup()) {
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
