//! Inline mode: typing `@bot 停水` in any chat lists matching headlines and notices of recent
//! digests, so a resident can share one into a family group. Each result is one message well
//! under 4096 characters; Telegram caches an answer for a minute.

use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputMessageContentText,
    ParseMode,
};

use super::app::{App, HandlerResult};
use crate::core::digest::escape_html;
use crate::core::search::{Found, ItemKind, MAX_INLINE_ITEMS, search_items};

/// Digests searched: today's and the last 7 days'.
const INLINE_DAYS: usize = 8;
/// Seconds Telegram may cache an answer.
const CACHE_SECONDS: u32 = 60;
/// Longest text of a shared item, in characters (far under Telegram's 4096).
const MAX_ITEM_CHARS: usize = 1500;

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

fn result(i: usize, item: &Found) -> InlineQueryResult {
    let mark = match item.kind {
        ItemKind::Headline => "📰",
        ItemKind::Notice => "📢",
        ItemKind::Photo => "📷",
    };
    let html = format!(
        "{mark} <b>{}</b> · {}\n{}",
        escape_html(&truncate(&item.title, 200)),
        item.date.format("%Y-%m-%d"),
        escape_html(&truncate(&item.text, MAX_ITEM_CHARS))
    );
    let content =
        InputMessageContent::Text(InputMessageContentText::new(html).parse_mode(ParseMode::Html));
    InlineQueryResultArticle::new(
        format!("{}-{i}", item.date.format("%Y%m%d")),
        format!("{mark} {}", truncate(&item.title, 100)),
        content,
    )
    .description(format!(
        "{} · {}",
        item.date.format("%m-%d"),
        truncate(&item.text, 80)
    ))
    .into()
}

/// Endpoint for inline queries.
pub async fn on_inline(bot: Bot, query: InlineQuery, app: App) -> HandlerResult {
    // Over the editions the asking user follows in their private chat.
    let asking = app.store.subscriber(crate::core::subscriber::SubscriberId(
        query.from.id.0 as i64,
    ))?;
    let digests = super::search::followed_digests(&app, asking.as_ref(), INLINE_DAYS)?;
    let found = search_items(
        &query.query,
        &digests,
        app.summarizer.segmenter(),
        MAX_INLINE_ITEMS,
    );
    let results: Vec<InlineQueryResult> = found
        .iter()
        .enumerate()
        .map(|(i, f)| result(i, f))
        .collect();
    bot.answer_inline_query(query.id, results)
        .cache_time(CACHE_SECONDS)
        .await?;
    Ok(())
}
