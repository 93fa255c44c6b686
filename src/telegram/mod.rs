//! The Telegram edge: the bot's commands, handler tree, endpoints and keyboards, and
//! [`run_bot`], which long-polls until told to stop. Telegram types stay in here; the core
//! sees `SubscriberId`, `Section` and text.

pub mod commands;
pub mod handlers;
pub mod inline;
pub mod keyboards;
pub mod newsroom;
pub mod notifier;
pub mod patient;
pub mod tree;
pub mod uploads;

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};
use url::Url;

use crate::config::Secret;
use crate::core::newsroom::NEWSROOM_ZH;
use crate::core::texts::{EN, ZH};
pub use handlers::App;

/// Builds the bot for `token` against the Bot API at `api_url`.
pub fn build_bot(token: &Secret, api_url: Url) -> Bot {
    Bot::new(token.expose()).set_api_url(api_url)
}

/// Registers the command menu: Chinese by default, English for English clients; editors
/// get the newsroom's commands too, in a menu scoped to their own chat.
///
/// # Errors
/// The request error if Telegram refuses.
pub async fn register_commands(
    bot: &Bot,
    editors: impl Iterator<Item = i64>,
) -> Result<(), teloxide::RequestError> {
    let menu = |lists: &[&[(&str, &str)]]| {
        lists
            .iter()
            .flat_map(|list| list.iter())
            .map(|(c, d)| BotCommand::new(*c, *d))
            .collect::<Vec<_>>()
    };
    bot.set_my_commands(menu(&[ZH.commands])).await?;
    bot.set_my_commands(menu(&[EN.commands]))
        .language_code("en")
        .await?;
    for editor in editors {
        bot.set_my_commands(menu(&[ZH.commands, NEWSROOM_ZH.commands]))
            .scope(BotCommandScope::Chat {
                chat_id: Recipient::Id(ChatId(editor)),
            })
            .await?;
    }
    Ok(())
}

/// Runs the bot with long polling until `shutdown` completes.
pub async fn run_bot(bot: Bot, app: App, shutdown: impl Future<Output = ()> + Send + 'static) {
    if let Err(e) = register_commands(&bot, app.newsroom.editors()).await {
        tracing::warn!(error.message = %e, "could not register the command menu");
    }
    // Breaking notices a restart interrupted: finish queueing them and follow them again.
    match app.store.unfinished_notices() {
        Ok(notices) => {
            for notice in notices {
                newsroom::start_broadcast(
                    bot.clone(),
                    std::sync::Arc::clone(&app.newsroom),
                    notice,
                );
            }
        }
        Err(e) => tracing::error!(error.message = %e, "could not read unfinished notices"),
    }
    let mut dispatcher = Dispatcher::builder(bot, tree::schema())
        .dependencies(dptree::deps![app])
        .default_handler(|update| async move {
            tracing::debug!(update = ?update.id, "update not handled")
        })
        .error_handler(LoggingErrorHandler::with_custom_text("handler failed"))
        .build();
    let token = dispatcher.shutdown_token();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        if let Ok(done) = token.shutdown() {
            done.await;
        }
    });
    dispatcher.dispatch().await;
}
