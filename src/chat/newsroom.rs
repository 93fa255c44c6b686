//! The newsroom's endpoints: editors' commands (`/breaking`, `/correct`, `/recall`,
//! `/notice`, `/stats`, `/audit`), the text after a bare `/breaking`, the preview's buttons,
//! and the task that edits a preview into a progress bar and then the receipt. Pages editors
//! send are `uploads.rs`. Who may reach these is decided in the handler tree (`tree.rs`), not
//! here; the refusals for everyone else are here.

use crate::edge::telegram::patient::SendPaced;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use super::app::{App, HandlerResult};
use super::broadcast::{edit, start_action, start_broadcast};
use super::editors::{audit, is_editor_message};
use super::language::client_lang;
use super::notice_preview::{preview, retarget};
use super::uploads::{Settle, settle_upload};
use crate::app::newsroom::Newsroom;
use crate::core::edition_id::EditionId;
use crate::core::newsroom::{
    NewsroomTexts, NoticeButton, NoticeRequest, newsroom_texts, parse_notice_ref,
    parse_notice_request, preview_expired,
};
use crate::core::notice_action::ActionKind;
use crate::edge::store::Confirmation;

/// Audit entries `/audit` shows.
const AUDIT_LINES: usize = 20;

/// The newsroom's commands. Only editors, in a private chat, reach their endpoint.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum NewsroomCommand {
    /// Send a breaking notice.
    Breaking(String),
    /// Correct a breaking notice.
    Correct(String),
    /// Recall a breaking notice.
    Recall(String),
    /// Add, list or remove notices of today's digest.
    Notice(String),
    /// Subscriber and delivery counts.
    Stats,
    /// The last newsroom actions.
    Audit,
}

/// True for an editor who sent a bare `/breaking` and whose text is due now.
#[must_use]
pub fn is_awaited_text(msg: &Message, app: &App) -> bool {
    is_editor_message(msg, app)
        && msg.text().is_some_and(|t| !t.starts_with('/'))
        && msg
            .from
            .as_ref()
            .is_some_and(|u| {
                app.store
                    .is_waiting(u.id.0 as i64)
                    .unwrap_or_else(|e| {
                        tracing::error!(error.message = %e, error.cause_chain = ?e, "could not read whether an editor is sending a notice");
                        false
                    })
            })
}

/// True for a press of a newsroom button by an editor.
#[must_use]
pub fn is_editor_press(q: &CallbackQuery, app: &App) -> bool {
    app.newsroom.is_editor(q.from.id.0 as i64)
}

/// Endpoint for a newsroom command from anyone who is not an editor in a private chat.
pub async fn refuse_newsroom(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let t = newsroom_texts(client_lang(msg.from.as_ref()));
    tracing::info!(chat = %msg.chat.id, "newsroom command refused");
    bot.send_message(msg.chat.id, t.editors_only)
        .send_paced(&app.newsroom.pacer)
        .await?;
    Ok(())
}

/// Endpoint for an editor's newsroom command.
pub async fn on_newsroom_command(
    bot: Bot,
    msg: Message,
    cmd: NewsroomCommand,
    app: App,
) -> HandlerResult {
    let lang = client_lang(msg.from.as_ref());
    let t = newsroom_texts(lang);
    let editor = msg.from.as_ref().map_or(0, |u| u.id.0 as i64);
    let newsroom = Arc::clone(&app.newsroom);
    match cmd {
        NewsroomCommand::Breaking(text) if text.trim().is_empty() => {
            app.store.set_waiting(editor, newsroom.clock.now())?;
            bot.send_message(msg.chat.id, t.breaking_prompt)
                .send_paced(&app.newsroom.pacer)
                .await?;
        }
        NewsroomCommand::Breaking(text) => preview(&bot, &msg, &app, editor, lang, &text).await?,
        NewsroomCommand::Correct(ref args) | NewsroomCommand::Recall(ref args) => {
            let recall = matches!(cmd, NewsroomCommand::Recall(_));
            let (number, text) = parse_notice_ref(args);
            let (number, text) = (number, text.to_owned());
            if !recall && text.is_empty() {
                bot.send_message(msg.chat.id, t.correct_usage)
                    .send_paced(&app.newsroom.pacer)
                    .await?;
                return Ok(());
            }
            let Some(found) = newsroom.find_for(editor, number)? else {
                bot.send_message(msg.chat.id, t.no_notice)
                    .send_paced(&app.newsroom.pacer)
                    .await?;
                return Ok(());
            };
            let (kind, answer) = if recall {
                (ActionKind::Recall, t.recalling)
            } else {
                (ActionKind::Correct, t.correcting)
            };
            let corrected = (!recall).then_some(text.as_str());
            // From here on no copy goes out (or goes out with the old text); the copies
            // already sent are reached by the action, paced beside the dispatcher.
            let Some(notice) = newsroom
                .start_action(found.number, kind, corrected, (editor, msg.chat.id.0, lang))
                .await?
            else {
                bot.send_message(msg.chat.id, t.no_notice)
                    .send_paced(&app.newsroom.pacer)
                    .await?;
                return Ok(());
            };
            bot.send_message(msg.chat.id, (answer)(&notice.number.to_string()))
                .send_paced(&app.newsroom.pacer)
                .await?;
            start_action(bot, newsroom, notice.number);
        }
        NewsroomCommand::Notice(args) => {
            let (desk, args) = desk_named(&newsroom, editor, &args);
            let zone = app.editions.get(&desk).map_or(app.timezone, |e| e.timezone);
            let today = newsroom.clock.today_in(zone);
            let reply = notice_command(&newsroom, (&desk, today), args, t, editor).await?;
            bot.send_message(msg.chat.id, reply)
                .send_paced(&app.newsroom.pacer)
                .await?;
        }
        NewsroomCommand::Stats => {
            let text = stats_text(&app, editor, t)?;
            bot.send_message(msg.chat.id, text)
                .send_paced(&app.newsroom.pacer)
                .await?;
        }
        NewsroomCommand::Audit => {
            // The entries of the editor's editions (and those of no edition).
            let mine = newsroom.editions_of(editor);
            let entries: Vec<_> = app
                .store
                .recent_audit(AUDIT_LINES * 10)?
                .into_iter()
                .filter(|e| e.editions.is_empty() || e.editions.iter().any(|x| mine.contains(x)))
                .take(AUDIT_LINES)
                .collect();
            let text = if entries.is_empty() {
                t.audit_empty.to_owned()
            } else {
                entries
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            bot.send_message(msg.chat.id, text)
                .send_paced(&app.newsroom.pacer)
                .await?;
        }
    }
    Ok(())
}

/// The edition a `/notice` is about: its first word when that names one of the editor's
/// editions (the rest is the request), else the editor's first edition.
fn desk_named<'a>(newsroom: &Newsroom, editor: i64, args: &'a str) -> (EditionId, &'a str) {
    let mine = newsroom.editions_of(editor);
    let first = args.split_whitespace().next().unwrap_or_default();
    match mine.iter().find(|e| e.as_str() == first) {
        Some(named) => (named.clone(), args.trim_start()[first.len()..].trim_start()),
        None => (
            mine.first()
                .cloned()
                .unwrap_or_else(|| newsroom.routes.default_edition().clone()),
            args,
        ),
    }
}

async fn notice_command(
    newsroom: &Newsroom,
    (desk, today): (&EditionId, chrono::NaiveDate),
    args: &str,
    t: &NewsroomTexts,
    editor: i64,
) -> Result<String, crate::edge::store::StoreError> {
    let reply = match parse_notice_request(args) {
        NoticeRequest::Usage => t.notice_usage.to_owned(),
        NoticeRequest::List => match newsroom.list_notices((desk, today))? {
            None => t.no_digest_today.to_owned(),
            Some(list) if list.is_empty() => t.notice_list_empty.to_owned(),
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, line)| format!("{}. {line}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
        },
        NoticeRequest::Add(text) => match newsroom.add_notice((desk, today), &text).await? {
            None => t.no_digest_today.to_owned(),
            Some(n) => {
                audit(newsroom, editor, "notice add", None, format!("notice {n}")).await;
                (t.notice_added)(&n.to_string())
            }
        },
        NoticeRequest::Remove(n) => match newsroom.remove_notice((desk, today), n).await? {
            None => t.no_digest_today.to_owned(),
            Some(false) => (t.notice_missing)(&n.to_string()),
            Some(true) => {
                audit(
                    newsroom,
                    editor,
                    "notice remove",
                    None,
                    format!("notice {n}"),
                )
                .await;
                (t.notice_removed)(&n.to_string())
            }
        },
    };
    Ok(reply)
}

fn stats_text(
    app: &App,
    editor: i64,
    t: &NewsroomTexts,
) -> Result<String, crate::edge::store::StoreError> {
    let newsroom = &app.newsroom;
    // Each edition's day in its own zone.
    let days: Vec<(EditionId, chrono::NaiveDate)> = newsroom
        .editions_of(editor)
        .iter()
        .map(|e| {
            let zone = app.editions.get(e).map_or(app.timezone, |c| c.timezone);
            (e.clone(), newsroom.clock.today_in(zone))
        })
        .collect();
    let s = newsroom.stats(&days)?;
    let last = match &s.last_notice {
        None => "-".to_owned(),
        Some(n) => {
            let r = match n.receipt {
                Some(r) => r,
                None => newsroom.counts(n)?,
            };
            (t.last_notice)(n.number, &r)
        }
    };
    let mut text = (t.stats)(&s, &last);
    // The build problems of the editor's editions whose digest is still missing.
    for edition in newsroom.editions_of(editor) {
        let view = newsroom.view(edition)?;
        let zone = app
            .editions
            .get(edition)
            .map_or(app.timezone, |e| e.timezone);
        let its_today = newsroom.clock.today_in(zone);
        if let Some(p) = view.build_problem()?.filter(|p| p.date == its_today)
            && view.digest(its_today)?.is_none()
        {
            text.push_str(&(t.build_problem)(
                &p.attempts.to_string(),
                &p.at,
                &p.message,
            ));
        }
    }
    Ok(text)
}

/// Endpoint for the text an editor sends after a bare `/breaking`.
pub async fn on_breaking_text(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let editor = msg.from.as_ref().map_or(0, |u| u.id.0 as i64);
    let lang = client_lang(msg.from.as_ref());
    let asked = app.store.take_waiting(editor)?;
    let text = msg.text().unwrap_or_default().to_owned();
    match asked {
        Some(at) if !preview_expired(at, app.newsroom.clock.now()) => {
            preview(&bot, &msg, &app, editor, lang, &text).await?;
        }
        _ => {
            bot.send_message(msg.chat.id, newsroom_texts(lang).expired)
                .send_paced(&app.newsroom.pacer)
                .await?;
        }
    }
    Ok(())
}

/// Endpoint for a newsroom button pressed by someone who is not an editor.
pub async fn refuse_notice_button(bot: Bot, q: CallbackQuery) -> HandlerResult {
    let t = newsroom_texts(client_lang(Some(&q.from)));
    tracing::warn!(user = %q.from.id, data = ?q.data, "newsroom button refused");
    bot.answer_callback_query(q.id.clone())
        .text(t.not_editor_button)
        .await?;
    Ok(())
}

/// Endpoint for an editor's press whose newsroom data the bot never made (forged, or a
/// button too old).
pub async fn on_stale_notice_button(bot: Bot, q: CallbackQuery) -> HandlerResult {
    tracing::warn!(data = ?q.data, "forged or stale newsroom button");
    bot.answer_callback_query(q.id.clone())
        .text(newsroom_texts(client_lang(Some(&q.from))).stale_button)
        .await?;
    Ok(())
}

/// Endpoint for an editor's press of a preview button.
pub async fn on_notice_button(
    bot: Bot,
    q: CallbackQuery,
    app: App,
    button: NoticeButton,
) -> HandlerResult {
    let lang = client_lang(Some(&q.from));
    let t = newsroom_texts(lang);
    let editor = q.from.id.0 as i64;
    let newsroom = Arc::clone(&app.newsroom);
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
    let (chat, message_id) = (message.chat.id, message.id);
    let id = match button {
        NoticeButton::Confirm(id) | NoticeButton::Cancel(id) => id,
        NoticeButton::Target(id, which) => {
            bot.answer_callback_query(q.id.clone()).await?;
            retarget(&bot, &app, (editor, lang), (chat, message_id), (id, which)).await?;
            return Ok(());
        }
        NoticeButton::Publish(id)
        | NoticeButton::Discard(id)
        | NoticeButton::PublishAndUpdate(id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let choice = match button {
                NoticeButton::Discard(_) => Settle::Discard,
                NoticeButton::PublishAndUpdate(_) => Settle::PublishAndUpdate,
                _ => Settle::Publish,
            };
            let reply = settle_upload(&app, id, choice, editor, t).await?;
            edit(&bot, &app.newsroom.pacer, chat, message_id, reply).await;
            return Ok(());
        }
    };
    // A preview is confirmed or cancelled by the editor who wrote it.
    let Some(draft) = app.store.draft(id)?.filter(|d| d.editor == editor) else {
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
    if let NoticeButton::Cancel(_) = button {
        let before = app.store.cancel_draft(id).await?;
        bot.answer_callback_query(q.id.clone()).await?;
        if before == Some(crate::core::newsroom::DraftState::Open) {
            edit(
                &bot,
                &app.newsroom.pacer,
                chat,
                message_id,
                t.cancelled.to_owned(),
            )
            .await;
            audit(&newsroom, editor, "cancel", None, String::new()).await;
        }
        return Ok(());
    }
    if draft.state == crate::core::newsroom::DraftState::Open
        && preview_expired(draft.created_at, newsroom.clock.now())
    {
        app.store.cancel_draft(id).await?;
        bot.answer_callback_query(q.id.clone())
            .text(t.expired)
            .await?;
        edit(
            &bot,
            &app.newsroom.pacer,
            chat,
            message_id,
            t.expired.to_owned(),
        )
        .await;
        return Ok(());
    }
    match app
        .store
        .confirm_draft(id, (chat.0, message_id.0), newsroom.clock.now())
        .await?
    {
        Confirmation::Confirmed(notice) => {
            bot.answer_callback_query(q.id.clone()).await?;
            audit(
                &newsroom,
                editor,
                "confirm",
                Some(notice.number),
                String::new(),
            )
            .await;
            start_broadcast(bot, newsroom, *notice);
        }
        Confirmation::AlreadyConfirmed(n) => {
            bot.answer_callback_query(q.id.clone())
                .text((t.already_sent)(&n.to_string()))
                .await?;
        }
        Confirmation::Cancelled | Confirmation::NotFound => {
            bot.answer_callback_query(q.id.clone())
                .text(t.stale_button)
                .await?;
        }
    }
    Ok(())
}
