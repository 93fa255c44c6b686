//! The handler tree, read top to bottom: commands, then plain text (questions, searches and
//! unknown commands), then button presses, then changes of the bot's own membership.

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::commands::Command;
use super::handlers::{HandlerError, on_callback, on_command, on_membership, on_text};

/// The whole tree. Dependencies: `App` and teloxide's `Bot` and `Me`.
#[must_use]
pub fn schema() -> UpdateHandler<HandlerError> {
    let messages = Update::filter_message()
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(on_command),
        )
        .branch(dptree::endpoint(on_text));
    dptree::entry()
        .branch(messages)
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_my_chat_member().endpoint(on_membership))
}
