//! The "全文 / Full story" buttons: a row of them under a digest's headlines and under an
//! answer quoted from an article, and the press that sends the article whole, in messages
//! within Telegram's limit, with a button back to the digest. A button for a digest no
//! longer kept, or data the bot did not make, is refused politely.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, ParseMode};

use super::app::{App, HandlerResult};
use super::language::answer_lang;
use crate::core::callback::{ButtonAction, StoryRef};
use crate::core::digest::{Digest, Lang, full_story_messages, notice_messages};
use crate::core::edition_id::EditionId;
use crate::core::story_buttons::{STORY_BUTTONS_PER_ROW, item_button_data, story_buttons};
use crate::core::subscriber::{SubscriberId, Topic};
use crate::core::texts::texts;
use crate::edge::telegram::patient::SendPaced;

/// One "全文 N" button per headline of `digest` that kept its article (numbered as the
/// digest numbers them), or `None` when none did.
pub(super) fn story_keyboard(
    edition: &EditionId,
    digest: &Digest,
    lang: Lang,
) -> Option<InlineKeyboardMarkup> {
    let buttons: Vec<InlineKeyboardButton> = story_buttons(edition, digest, lang)
        .into_iter()
        .map(|(label, data)| InlineKeyboardButton::callback(label, data))
        .collect();
    let rows: Vec<Vec<InlineKeyboardButton>> = buttons
        .chunks(STORY_BUTTONS_PER_ROW)
        .map(<[InlineKeyboardButton]>::to_vec)
        .collect();
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// The button that opens the item titled `title` (a notice when `notice`) of today's digests
/// of the chat's editions whole, with its section's button beside it.
pub(super) fn item_buttons_for(
    app: &App,
    s: Option<&crate::core::subscriber::Subscriber>,
    (title, notice): (&str, bool),
    lang: Lang,
) -> Result<Option<InlineKeyboardMarkup>, crate::edge::store::StoreError> {
    let t = texts(lang);
    let topic = if notice {
        Topic::Notices
    } else {
        Topic::Headlines
    };
    for edition in app.editions.followed(s) {
        let Some((digest, _)) = edition.current_digest(app.clock.as_ref())? else {
            continue;
        };
        let Some(data) = item_button_data(&edition.id, &digest, (title, notice)) else {
            continue;
        };
        return Ok(Some(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback(t.story_button.to_owned(), data),
            InlineKeyboardButton::callback(
                t.topic(topic).to_owned(),
                ButtonAction::Show(topic).encode(),
            ),
        ]])));
    }
    Ok(None)
}

/// One full-story button per headline among search results (`found`) whose article the
/// digest of its day kept whole, labelled with the start of its title.
pub(super) fn story_rows_for_results(
    app: &App,
    s: Option<&crate::core::subscriber::Subscriber>,
    found: &[crate::core::search::Found],
    lang: Lang,
) -> Result<Vec<Vec<InlineKeyboardButton>>, crate::edge::store::StoreError> {
    const TITLE_CHARS: usize = 14;
    let t = texts(lang);
    let mut rows = Vec::new();
    for item in found
        .iter()
        .filter(|f| f.kind == crate::core::search::ItemKind::Headline)
    {
        for edition in app.editions.followed(s) {
            let Some(digest) = edition.store.digest(item.date)? else {
                continue;
            };
            let Some(data) = item_button_data(&edition.id, &digest, (&item.title, false)) else {
                continue;
            };
            let mut title: String = item.title.chars().take(TITLE_CHARS).collect();
            if item.title.chars().count() > TITLE_CHARS {
                title.push('…');
            }
            rows.push(vec![InlineKeyboardButton::callback(
                format!("{} · {title}", t.story_button),
                data,
            )]);
            break;
        }
    }
    Ok(rows)
}

/// Endpoint for a full-story button: sends the article whole, or says it is no longer kept.
pub async fn on_story_press(
    bot: Bot,
    q: CallbackQuery,
    app: App,
    story: StoryRef,
) -> HandlerResult {
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    let chat = message.chat.id;
    let subscriber = app.store.subscriber(SubscriberId(chat.0))?;
    let lang = answer_lang(subscriber.as_ref(), Some(&q.from));
    let t = texts(lang);
    let edition = app.editions.list.iter().find(|e| e.id == story.edition);
    let digest = match edition {
        Some(edition) => edition.store.digest(story.date)?,
        None => None,
    };
    let messages = digest.as_ref().and_then(|d| {
        if story.notice {
            d.notices.get(story.index).map(notice_messages)
        } else {
            d.headlines
                .get(story.index)
                .and_then(|h| full_story_messages(h, lang))
        }
    });
    let Some(messages) = messages else {
        bot.answer_callback_query(q.id.clone())
            .text(t.story_gone)
            .await?;
        return Ok(());
    };
    bot.answer_callback_query(q.id.clone()).await?;
    let last = messages.len().saturating_sub(1);
    for (i, html) in messages.into_iter().enumerate() {
        let mut request = bot.send_message(chat, html).parse_mode(ParseMode::Html);
        if i == last {
            let back = if story.notice {
                Topic::Notices
            } else {
                Topic::Headlines
            };
            request = request.reply_markup(InlineKeyboardMarkup::new([[
                InlineKeyboardButton::callback(
                    t.back_to_digest.to_owned(),
                    ButtonAction::Show(back).encode(),
                ),
            ]]));
        }
        request.send_paced(&app.newsroom.pacer).await?;
    }
    Ok(())
}
