//! The handler tree, read top to bottom. Messages: newsroom commands (editors in a private
//! chat reach them; everyone else is refused here, before any endpoint), then residents'
//! commands, then from editors the text owed after a bare `/breaking`, a page sent as a
//! document or pasted, then plain text (questions, searches, unknown commands). Button
//! presses: newsroom buttons (editors only), then settings buttons. Then inline queries, and
//! changes of the bot's own membership.

use teloxide::dispatching::UpdateHandler;
use teloxide::dptree::case;
use teloxide::prelude::*;

use super::admins::{
    is_refused_command, is_refused_edition_press, is_refused_press, refuse_command, refuse_press,
};
use super::app::{App, HandlerError};
use super::commands::Command;
use super::edition_choice::on_edition_press;
use super::editors::is_editor_message;
use super::handlers::{on_callback, on_command, on_forged_button, on_membership, on_text};
use super::inline::on_inline;
use super::newsroom::{
    NewsroomCommand, is_awaited_text, is_editor_press, on_breaking_text, on_newsroom_command,
    on_notice_button, on_stale_notice_button, refuse_newsroom, refuse_notice_button,
};
use super::search::on_search_page;
use super::uploads::{is_editor_document, is_pasted_page, on_edition_document, on_pasted_page};
use crate::core::callback::Press;

/// The whole tree. Dependencies: `App` and teloxide's `Bot` and `Me`.
#[must_use]
pub fn schema() -> UpdateHandler<HandlerError> {
    let newsroom = dptree::entry()
        .filter_command::<NewsroomCommand>()
        .branch(
            dptree::filter(|msg: Message, app: App| is_editor_message(&msg, &app))
                .endpoint(on_newsroom_command),
        )
        .endpoint(refuse_newsroom);
    let messages = Update::filter_message()
        .branch(newsroom)
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .branch(dptree::filter_async(is_refused_command).endpoint(refuse_command))
                .endpoint(on_command),
        )
        .branch(
            dptree::filter(|msg: Message, app: App| is_awaited_text(&msg, &app))
                .endpoint(on_breaking_text),
        )
        .branch(
            dptree::filter(|msg: Message, app: App| is_editor_document(&msg, &app))
                .endpoint(on_edition_document),
        )
        .branch(
            dptree::filter(|msg: Message, app: App| is_pasted_page(&msg, &app))
                .endpoint(on_pasted_page),
        )
        .branch(dptree::endpoint(on_text));
    // Every press is decoded once; the branches route on what it carries.
    let buttons = Update::filter_callback_query()
        .map(|q: CallbackQuery| Press::decode(q.data.as_deref()))
        .branch(
            dptree::filter(|press: Press| press.claims_newsroom())
                .branch(
                    dptree::filter(|q: CallbackQuery, app: App| is_editor_press(&q, &app))
                        .branch(case![Press::Newsroom(button)].endpoint(on_notice_button))
                        .endpoint(on_stale_notice_button),
                )
                .endpoint(refuse_notice_button),
        )
        .branch(case![Press::SearchPage(page, query)].endpoint(on_search_page))
        .branch(case![Press::Story(story)].endpoint(super::story::on_story_press))
        .branch(
            case![Press::Edition(change)]
                .branch(dptree::filter_async(is_refused_edition_press).endpoint(refuse_press))
                .endpoint(on_edition_press),
        )
        .branch(
            case![Press::Setting(action)]
                .branch(dptree::filter_async(is_refused_press).endpoint(refuse_press))
                .endpoint(on_callback),
        )
        .endpoint(on_forged_button);
    timed().chain(
        dptree::entry()
            .branch(messages)
            .branch(buttons)
            .branch(Update::filter_inline_query().endpoint(on_inline))
            .branch(Update::filter_my_chat_member().endpoint(on_membership)),
    )
}

/// Times each update through the whole tree, sends included, for `/metrics`.
fn timed() -> UpdateHandler<HandlerError> {
    dptree::from_fn(
        |deps, cont| async move {
            let started = std::time::Instant::now();
            let flow = cont(deps).await;
            metrics::histogram!(crate::edge::metrics::HANDLER_LATENCY)
                .record(started.elapsed().as_secs_f64());
            flow
        },
        dptree::HandlerSignature::Entry,
    )
}
