//! Searching the last days' digests from chat: the query's results as a page of HTML, and
//! the buttons that turn the page (their data carries the query and the page number).

use super::app::{App, HandlerResult, edited};
use super::language::{answer_lang, client_lang};
use crate::core::callback::Press;
use crate::core::digest::Digest;
use crate::core::subscriber::{Subscriber, SubscriberId};
use crate::edge::store::StoreError;
use crate::edge::telegram::patient::SendPaced;

use teloxide::prelude::*;
use teloxide::types::ParseMode;

use super::keyboards::section_keyboard;
use super::story::story_rows_for_results;
use crate::core::digest::{Lang, escape_html};
use crate::core::punctuation::is_mostly_cjk;
use crate::core::search::{ItemKind, SearchPage, matching_sentence, search_page};
use crate::core::texts::{echo, is_web_link, texts};

/// Digests searched by /search and free text: today's and the last 7 days'.
pub(super) const SEARCH_DAYS: usize = 8;

/// The last `days` digests of each edition `s` follows (the default when `None`), newest
/// first within each edition, in the chat's order of editions.
pub(super) fn followed_digests(
    app: &App,
    s: Option<&Subscriber>,
    days: usize,
) -> Result<Vec<Digest>, StoreError> {
    let mut digests = Vec::new();
    for edition in app.editions.followed(s) {
        digests.extend(edition.store.recent_digests(days)?);
    }
    Ok(digests)
}

pub(super) async fn search(
    bot: &Bot,
    chat: ChatId,
    app: &App,
    (s, lang): (Option<&Subscriber>, Lang),
    query: &str,
) -> HandlerResult {
    let t = texts(lang);
    let digests = followed_digests(app, s, SEARCH_DAYS)?;
    let page = search_page(query, &digests, app.summarizer.segmenter(), 0);
    if page.items.is_empty() {
        bot.send_message(chat, (t.nothing_found)(&echo(query)))
            .reply_markup(section_keyboard(lang))
            .send_paced(&app.newsroom.pacer)
            .await?;
        return Ok(());
    }
    if let Some(top) = page.items.first() {
        app.shown.remember(chat, &top.title);
    }
    let mut request = bot
        .send_message(chat, search_html(lang, query, &page))
        .parse_mode(ParseMode::Html);
    if let Some(keyboard) = results_keyboard(app, s, lang, query, &page)? {
        request = request.reply_markup(keyboard);
    }
    request.send_paced(&app.newsroom.pacer).await?;
    Ok(())
}

/// A page of search results: title, date and the matching sentence with the words in bold;
/// for an English reader, a Chinese title's checked translation beneath it.
pub(super) fn search_html(lang: Lang, query: &str, page: &SearchPage) -> String {
    let t = texts(lang);
    let mut html = escape_html(&(t.search_results)(&echo(query)));
    // A note when the news is printed in a language other than the resident's.
    if let Some(note) = page
        .items
        .iter()
        .find_map(|item| (t.printed_in_other_language)(is_mostly_cjk(&item.title)))
    {
        html.push_str(&format!("\n<i>{}</i>", escape_html(note)));
    }
    for item in &page.items {
        let mark = match item.kind {
            ItemKind::Headline => "📰",
            ItemKind::Notice => "📢",
            ItemKind::Photo => "📷",
        };
        html.push_str(&format!(
            "\n\n{mark} <b>{}</b> · {}",
            escape_html(&item.title),
            item.date.format("%m-%d"),
        ));
        if let Some(english) = item.english_title.as_deref().filter(|_| lang == Lang::En) {
            html.push_str(&format!("\n<i>{}</i>", escape_html(english)));
        }
        for head in [item.kicker.as_deref(), item.subtitle.as_deref()]
            .into_iter()
            .flatten()
        {
            html.push_str(&format!("\n<i>{}</i>", escape_html(head)));
        }
        html.push_str(&format!("\n{}", matching_sentence(&item.text, &page.words)));
        if let Some(link) = item.link.as_deref().filter(|l| is_web_link(l)) {
            html.push_str(&format!(" <a href=\"{}\">↗</a>", escape_html(link)));
        }
    }
    if page.pages > 1 {
        html.push_str(&format!("\n\n{}/{}", page.page + 1, page.pages));
    }
    html
}

/// ‹ and › buttons for the pages before and after, if any (and if the query fits).
/// The buttons under a page of results: a full-story button per headline kept whole, then
/// the page-turning row.
fn results_keyboard(
    app: &App,
    s: Option<&Subscriber>,
    lang: Lang,
    query: &str,
    page: &SearchPage,
) -> Result<Option<teloxide::types::InlineKeyboardMarkup>, StoreError> {
    let mut rows = story_rows_for_results(app, s, &page.items, lang)?;
    if let Some(turn) = page_keyboard(query, page) {
        rows.extend(turn.inline_keyboard);
    }
    Ok((!rows.is_empty()).then(|| teloxide::types::InlineKeyboardMarkup::new(rows)))
}

pub(super) fn page_keyboard(
    query: &str,
    page: &SearchPage,
) -> Option<teloxide::types::InlineKeyboardMarkup> {
    let mut row = Vec::new();
    if page.page > 0 {
        row.push(teloxide::types::InlineKeyboardButton::callback(
            "‹",
            Press::SearchPage(page.page - 1, query.to_owned()).data()?,
        ));
    }
    if page.page + 1 < page.pages {
        row.push(teloxide::types::InlineKeyboardButton::callback(
            "›",
            Press::SearchPage(page.page + 1, query.to_owned()).data()?,
        ));
    }
    (!row.is_empty()).then(|| teloxide::types::InlineKeyboardMarkup::new([row]))
}

/// Endpoint for a press of ‹ or › under search results: shows that page in the same message.
pub async fn on_search_page(
    bot: Bot,
    q: CallbackQuery,
    app: App,
    (page, query): (usize, String),
) -> HandlerResult {
    let Some(message) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone())
            .text(texts(client_lang(Some(&q.from))).stale_button)
            .await?;
        return Ok(());
    };
    let subscriber = app.store.subscriber(SubscriberId(message.chat.id.0))?;
    let lang = answer_lang(subscriber.as_ref(), Some(&q.from));
    let query = query.as_str();
    let digests = followed_digests(&app, subscriber.as_ref(), SEARCH_DAYS)?;
    let results = search_page(query, &digests, app.summarizer.segmenter(), page);
    bot.answer_callback_query(q.id.clone()).await?;
    if results.items.is_empty() {
        return Ok(());
    }
    let mut edit = bot
        .edit_message_text(
            message.chat.id,
            message.id,
            search_html(lang, query, &results),
        )
        .parse_mode(ParseMode::Html);
    if let Some(keyboard) = results_keyboard(&app, subscriber.as_ref(), lang, query, &results)? {
        edit = edit.reply_markup(keyboard);
    }
    edited(edit.send_paced(&app.newsroom.pacer).await)
}
