//! The Telegram edge: the bot's commands, handler tree, endpoints and keyboards, and
//! [`run_bot`], which long-polls until told to stop. Telegram types stay in here; the core
//! sees `SubscriberId`, `Section` and text.

pub mod commands;
pub mod handlers;
pub mod keyboards;
pub mod notifier;
pub mod tree;

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::BotCommand;
use url::Url;

use crate::config::Secret;
use crate::core::texts::{EN, ZH};
pub use handlers::App;

/// Builds the bot for `token` against the Bot API at `api_url`.
pub fn build_bot(token: &Secret, api_url: Url) -> Bot {
    Bot::new(token.expose()).set_api_url(api_url)
}

/// Registers the command menu: Chinese by default, English for English clients.
///
/// # Errors
/// The request error if Telegram refuses.
pub async fn register_commands(bot: &Bot) -> Result<(), teloxide::RequestError> {
    let menu = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(c, d)| BotCommand::new(*c, *d))
            .collect::<Vec<_>>()
    };
    bot.set_my_commands(menu(ZH.commands)).await?;
    bot.set_my_commands(menu(EN.commands))
        .language_code("en")
        .await?;
    Ok(())
}

/// Runs the bot with long polling until `shutdown` completes.
pub async fn run_bot(bot: Bot, app: App, shutdown: impl Future<Output = ()> + Send + 'static) {
    if let Err(e) = register_commands(&bot).await {
        tracing::warn!(error.message = %e, "could not register the command menu");
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
