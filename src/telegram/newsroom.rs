//! The newsroom's endpoints: editors' commands (`/breaking`, `/correct`, `/recall`,
//! `/notice`, `/stats`, `/audit`), the text after a bare `/breaking`, the preview's buttons,
//! and the task that edits a preview into a progress bar and then the receipt. Pages editors
//! send are `uploads.rs`. Who may reach these is decided in the handler tree (`tree.rs`), not
//! here; the refusals for everyone else are here.

use crate::telegram::patient::SendPatiently;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode};
use teloxide::utils::command::BotCommands;
use teloxide::{ApiError, RequestError};

use super::handlers::{App, HandlerResult};
use super::notifier::TelegramNotifier;
use super::uploads::{Settle, settle_upload};
use crate::core::digest::{Lang, escape_html};
use crate::core::newsroom::{
    AuditEntry, NewsroomTexts, Notice, NoticeButton, NoticeRequest, NoticeState, newsroom_texts,
    notice_text, parse_notice_ref, parse_notice_request, preview_expired, progress_bar,
    render_notice,
};
use crate::core::texts::fill;
use crate::newsroom::Newsroom;
use crate::store::Confirmation;

/// How often a running broadcast's progress bar is updated.
const PROGRESS_EVERY: Duration = Duration::from_secs(3);
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

/// The language to answer an editor in: their client's, if English.
pub(super) fn editor_lang(msg_from: Option<&teloxide::types::User>) -> Lang {
    match msg_from.and_then(|u| u.language_code.as_deref()) {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// True for an editor writing in a private chat with the bot.
#[must_use]
pub fn is_editor_message(msg: &Message, app: &App) -> bool {
    msg.chat.is_private()
        && msg
            .from
            .as_ref()
            .is_some_and(|u| app.newsroom.is_editor(u.id.0 as i64))
}

/// True for an editor who sent a bare `/breaking` and whose text is due now.
#[must_use]
pub fn is_awaited_text(msg: &Message, app: &App) -> bool {
    is_editor_message(msg, app)
        && msg.text().is_some_and(|t| !t.starts_with('/'))
        && msg
            .from
            .as_ref()
            .is_some_and(|u| app.store.is_waiting(u.id.0 as i64).unwrap_or(false))
}

/// True for a press of a newsroom button by an editor.
#[must_use]
pub fn is_editor_press(q: &CallbackQuery, app: &App) -> bool {
    app.newsroom.is_editor(q.from.id.0 as i64)
}

/// True for callback data that claims to be a newsroom button.
#[must_use]
pub fn is_newsroom_press(q: &CallbackQuery) -> bool {
    q.data.as_deref().is_some_and(NoticeButton::claims)
}

/// Writes one line of the audit log; a failure is logged, not shown to the editor.
pub(super) async fn audit(
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
    };
    if let Err(e) = newsroom.store.audit(&entry).await {
        tracing::error!(error.message = %e, "could not write the audit log");
    }
}

/// Endpoint for a newsroom command from anyone who is not an editor in a private chat.
pub async fn refuse_newsroom(bot: Bot, msg: Message) -> HandlerResult {
    let t = newsroom_texts(editor_lang(msg.from.as_ref()));
    tracing::info!(chat = %msg.chat.id, "newsroom command refused");
    bot.send_message(msg.chat.id, t.editors_only)
        .send_patiently()
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
    let lang = editor_lang(msg.from.as_ref());
    let t = newsroom_texts(lang);
    let editor = msg.from.as_ref().map_or(0, |u| u.id.0 as i64);
    let newsroom = Arc::clone(&app.newsroom);
    match cmd {
        NewsroomCommand::Breaking(text) if text.trim().is_empty() => {
            app.store.set_waiting(editor, newsroom.clock.now())?;
            bot.send_message(msg.chat.id, t.breaking_prompt)
                .send_patiently()
                .await?;
        }
        NewsroomCommand::Breaking(text) => {
            preview(&bot, &msg, &newsroom, editor, lang, &text).await?
        }
        NewsroomCommand::Correct(ref args) | NewsroomCommand::Recall(ref args) => {
            let recall = matches!(cmd, NewsroomCommand::Recall(_));
            let (number, text) = parse_notice_ref(args);
            let (number, text) = (number, text.to_owned());
            if !recall && text.is_empty() {
                bot.send_message(msg.chat.id, t.correct_usage)
                    .send_patiently()
                    .await?;
                return Ok(());
            }
            let Some(notice) = newsroom.find(number)? else {
                bot.send_message(msg.chat.id, t.no_notice)
                    .send_patiently()
                    .await?;
                return Ok(());
            };
            // Paced over every copy: run it beside the dispatcher and report at the end.
            let notifier = TelegramNotifier::new(bot.clone(), newsroom.paid_broadcast);
            let chat = msg.chat.id;
            tokio::spawn(async move {
                let n = notice.number;
                let (report, action, template) = if recall {
                    (
                        newsroom.recall(&notifier, notice).await,
                        "recall",
                        t.recalled,
                    )
                } else {
                    (
                        newsroom.correct(&notifier, notice, &text).await,
                        "correct",
                        t.corrected,
                    )
                };
                match report {
                    Ok(r) => {
                        let detail = format!("{} done, {} could not be", r.done, r.gone);
                        audit(&newsroom, editor, action, Some(n), detail).await;
                        let text = fill(
                            template,
                            &[&n.to_string(), &r.done.to_string(), &r.gone.to_string()],
                        );
                        if let Err(e) = bot.send_message(chat, text).send_patiently().await {
                            tracing::warn!(error.message = %e, "could not report to the editor");
                        }
                    }
                    Err(e) => {
                        tracing::error!(error.message = %e, notice = n, "newsroom action failed")
                    }
                }
            });
        }
        NewsroomCommand::Notice(args) => {
            let today = newsroom.clock.today_in(app.timezone);
            let reply = notice_command(&newsroom, today, &args, t, editor).await?;
            bot.send_message(msg.chat.id, reply)
                .send_patiently()
                .await?;
        }
        NewsroomCommand::Stats => {
            let today = newsroom.clock.today_in(app.timezone);
            let text = stats_text(&newsroom, today, t)?;
            bot.send_message(msg.chat.id, text).send_patiently().await?;
        }
        NewsroomCommand::Audit => {
            let entries = app.store.recent_audit(AUDIT_LINES)?;
            let text = if entries.is_empty() {
                t.audit_empty.to_owned()
            } else {
                entries
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            bot.send_message(msg.chat.id, text).send_patiently().await?;
        }
    }
    Ok(())
}

async fn notice_command(
    newsroom: &Newsroom,
    today: chrono::NaiveDate,
    args: &str,
    t: &NewsroomTexts,
    editor: i64,
) -> Result<String, crate::store::StoreError> {
    let reply = match parse_notice_request(args) {
        NoticeRequest::Usage => t.notice_usage.to_owned(),
        NoticeRequest::List => match newsroom.list_notices(today)? {
            None => t.no_digest_today.to_owned(),
            Some(list) if list.is_empty() => t.notice_list_empty.to_owned(),
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, line)| format!("{}. {line}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
        },
        NoticeRequest::Add(text) => match newsroom.add_notice(today, &text).await? {
            None => t.no_digest_today.to_owned(),
            Some(n) => {
                audit(newsroom, editor, "notice add", None, format!("notice {n}")).await;
                fill(t.notice_added, &[&n.to_string()])
            }
        },
        NoticeRequest::Remove(n) => match newsroom.remove_notice(today, n).await? {
            None => t.no_digest_today.to_owned(),
            Some(false) => fill(t.notice_missing, &[&n.to_string()]),
            Some(true) => {
                audit(
                    newsroom,
                    editor,
                    "notice remove",
                    None,
                    format!("notice {n}"),
                )
                .await;
                fill(t.notice_removed, &[&n.to_string()])
            }
        },
    };
    Ok(reply)
}

fn stats_text(
    newsroom: &Newsroom,
    today: chrono::NaiveDate,
    t: &NewsroomTexts,
) -> Result<String, crate::store::StoreError> {
    use crate::core::ledger::DeliveryState as S;
    let s = newsroom.stats(today)?;
    let last = s.last_notice.as_ref().map_or_else(
        || "-".to_owned(),
        |n| match n.receipt {
            Some(r) => format!(
                "#{} · {} / {} / {}",
                n.number, r.delivered, r.blocked, r.failed
            ),
            None => format!("#{} · {}", n.number, n.recipients),
        },
    );
    let v = [
        s.active,
        s.paused,
        s.stopped,
        s.blocked,
        s.zh,
        s.en,
        s.topics[0],
        s.topics[1],
        s.topics[2],
        s.topics[3],
        s.topics[4],
        s.today.get(S::Sent),
        s.today.get(S::Pending),
        s.today.get(S::Failed),
        s.today.get(S::Blocked),
        s.today.get(S::Missed),
    ]
    .map(|n| n.to_string());
    let mut values: Vec<&str> = v.iter().map(String::as_str).collect();
    values.push(&last);
    let mut text = fill(t.stats, &values);
    if let Some(p) = newsroom.store.build_problem()?.filter(|p| p.date == today)
        && newsroom.store.digest(today)?.is_none()
    {
        text.push_str(&fill(
            t.build_problem,
            &[&p.attempts.to_string(), &p.at, &p.message],
        ));
    }
    Ok(text)
}

/// Endpoint for the text an editor sends after a bare `/breaking`.
pub async fn on_breaking_text(bot: Bot, msg: Message, app: App) -> HandlerResult {
    let editor = msg.from.as_ref().map_or(0, |u| u.id.0 as i64);
    let lang = editor_lang(msg.from.as_ref());
    let asked = app.store.take_waiting(editor)?;
    let text = msg.text().unwrap_or_default().to_owned();
    match asked {
        Some(at) if !preview_expired(at, app.newsroom.clock.now()) => {
            preview(&bot, &msg, &app.newsroom, editor, lang, &text).await?;
        }
        _ => {
            bot.send_message(msg.chat.id, newsroom_texts(lang).expired)
                .send_patiently()
                .await?;
        }
    }
    Ok(())
}

async fn preview(
    bot: &Bot,
    msg: &Message,
    newsroom: &Newsroom,
    editor: i64,
    lang: Lang,
    text: &str,
) -> HandlerResult {
    let t = newsroom_texts(lang);
    let text = match notice_text(text) {
        Ok(text) => text,
        Err(crate::core::newsroom::NoticeTextError::Empty) => {
            bot.send_message(msg.chat.id, t.empty_notice)
                .send_patiently()
                .await?;
            return Ok(());
        }
        Err(crate::core::newsroom::NoticeTextError::TooLong(n)) => {
            bot.send_message(msg.chat.id, fill(t.too_long, &[&n.to_string()]))
                .send_patiently()
                .await?;
            return Ok(());
        }
    };
    let recipients = newsroom.recipients()?;
    let draft = newsroom
        .store
        .create_draft(editor, &text, lang, newsroom.clock.now())
        .await?;
    let html = fill(
        &escape_html(t.preview),
        &[&render_notice(&text, lang, false), &recipients.to_string()],
    );
    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(t.button_confirm, NoticeButton::Confirm(draft.id).encode()),
        InlineKeyboardButton::callback(t.button_cancel, NoticeButton::Cancel(draft.id).encode()),
    ]]);
    bot.send_message(msg.chat.id, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .send_patiently()
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

/// Endpoint for a newsroom button pressed by someone who is not an editor.
pub async fn refuse_notice_button(bot: Bot, q: CallbackQuery) -> HandlerResult {
    let t = newsroom_texts(editor_lang(Some(&q.from)));
    tracing::warn!(user = %q.from.id, data = ?q.data, "newsroom button refused");
    bot.answer_callback_query(q.id.clone())
        .text(t.not_editor_button)
        .await?;
    Ok(())
}

/// Endpoint for an editor's press of a preview button.
pub async fn on_notice_button(bot: Bot, q: CallbackQuery, app: App) -> HandlerResult {
    let lang = editor_lang(Some(&q.from));
    let t = newsroom_texts(lang);
    let editor = q.from.id.0 as i64;
    let newsroom = Arc::clone(&app.newsroom);
    let (Some(button), Some(message)) = (
        q.data.as_deref().and_then(NoticeButton::decode),
        q.regular_message(),
    ) else {
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
    let (chat, message_id) = (message.chat.id, message.id);
    let id = match button {
        NoticeButton::Confirm(id) | NoticeButton::Cancel(id) => id,
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
            edit(&bot, chat, message_id, reply).await;
            return Ok(());
        }
    };
    let Some(draft) = app.store.draft(id)? else {
        bot.answer_callback_query(q.id.clone())
            .text(t.stale_button)
            .await?;
        return Ok(());
    };
    if let NoticeButton::Cancel(_) = button {
        let before = app.store.cancel_draft(id).await?;
        bot.answer_callback_query(q.id.clone()).await?;
        if before == Some(crate::core::newsroom::DraftState::Open) {
            edit(&bot, chat, message_id, t.cancelled.to_owned()).await;
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
        edit(&bot, chat, message_id, t.expired.to_owned()).await;
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
            start_broadcast(bot, newsroom, notice);
        }
        Confirmation::AlreadyConfirmed(n) => {
            bot.answer_callback_query(q.id.clone())
                .text(fill(t.already_sent, &[&n.to_string()]))
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

/// Puts a confirmed notice's copies in the outbox (if not done yet) and follows it to the
/// receipt in the background. Also used at start for notices a restart interrupted.
pub fn start_broadcast(bot: Bot, newsroom: Arc<Newsroom>, notice: Notice) {
    tokio::spawn(async move {
        let notice = if notice.state == NoticeState::Enqueuing {
            match newsroom.enqueue(notice).await {
                Ok(notice) => notice,
                Err(e) => {
                    tracing::error!(error.message = %e, "could not queue the breaking notice");
                    return;
                }
            }
        } else {
            notice
        };
        follow_broadcast(&bot, &newsroom, notice).await;
    });
}

/// Edits the preview into a progress bar every few seconds, then into the receipt.
async fn follow_broadcast(bot: &Bot, newsroom: &Newsroom, mut notice: Notice) {
    let t = newsroom_texts(notice.lang);
    let (chat, message) = (ChatId(notice.preview.0), MessageId(notice.preview.1));
    let n = notice.number.to_string();
    loop {
        let counts = match newsroom.counts(&notice) {
            Ok(counts) => counts,
            Err(e) => {
                tracing::error!(error.message = %e, "could not count the notice's copies");
                return;
            }
        };
        if counts.done() >= counts.total {
            let finished = newsroom.clock.now();
            let seconds = (finished - notice.confirmed_at).num_seconds().max(0);
            notice.receipt = Some(counts);
            notice.finished_at = Some(finished);
            notice.state = NoticeState::Sent;
            if let Err(e) = newsroom.store.save_notice(&notice).await {
                tracing::error!(error.message = %e, "could not save the receipt");
            }
            let receipt = fill(
                t.receipt,
                &[
                    &n,
                    &counts.delivered.to_string(),
                    &counts.blocked.to_string(),
                    &counts.failed.to_string(),
                    &seconds.to_string(),
                ],
            );
            edit(bot, chat, message, receipt).await;
            let detail = format!(
                "delivered {}, blocked {}, failed {}",
                counts.delivered, counts.blocked, counts.failed
            );
            audit(newsroom, notice.editor, "sent", Some(notice.number), detail).await;
            return;
        }
        edit(
            bot,
            chat,
            message,
            fill(t.sending, &[&n, &progress_bar(counts.done(), counts.total)]),
        )
        .await;
        tokio::time::sleep(PROGRESS_EVERY).await;
    }
}

/// Replaces the preview's text (and drops its buttons); "not modified" is fine.
async fn edit(bot: &Bot, chat: ChatId, message: MessageId, text: String) {
    match bot.edit_message_text(chat, message, text).await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
        Err(e) => tracing::warn!(error.message = %e, "could not update the editor's message"),
    }
}
