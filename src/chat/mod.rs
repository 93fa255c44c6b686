//! The chat: the bot's commands, handler tree, endpoints and keyboards, and [`run_bot`],
//! which receives updates (long polling or a webhook) until told to stop. Telegram types
//! stay in here and in [`crate::edge::telegram`]; the core sees `SubscriberId`, `Section`
//! and text.

pub mod admins;
pub mod answers;
pub mod app;
pub mod broadcast;
pub mod commands;
pub mod edition_choice;
pub mod editors;
pub mod followed;
pub mod handlers;
pub mod inline;
pub mod keyboards;
pub mod language;
pub mod newsroom;
pub mod notice_preview;
pub mod search;
pub mod settings;
pub mod shown;
pub mod story;
pub mod tree;
pub mod uploads;

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};
use teloxide::update_listeners::{UpdateListener, webhooks};
use url::Url;

use crate::core::newsroom::NEWSROOM_ZH;
use crate::core::texts::{EN, ZH};
use app::App;

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

/// How the bot receives updates.
#[derive(Debug)]
pub enum Updates {
    /// Long polling (`getUpdates`): the default.
    LongPolling,
    /// A webhook Telegram posts to: registered with `setWebhook` (with a secret token) at
    /// start, served by teloxide's axum listener on `listen`, removed at shutdown.
    Webhook {
        /// The public URL.
        url: Url,
        /// The local listener, already bound.
        listener: tokio::net::TcpListener,
        /// The secret token; `None` makes a fresh random one.
        secret: Option<String>,
    },
}

/// Why the bot could not start receiving updates.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// `setWebhook` failed.
    #[error("could not register the webhook: {0}")]
    Webhook(#[from] teloxide::RequestError),
    /// The webhook's listener has no local address.
    #[error("the webhook's listener: {0}")]
    Listener(#[source] std::io::Error),
}

/// Runs the bot until `shutdown` completes, receiving updates as `updates` says.
///
/// # Errors
/// [`StartError`] when the webhook cannot be registered.
pub async fn run_bot(
    bot: Bot,
    app: App,
    updates: Updates,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    if let Err(e) = register_commands(&bot, app.newsroom.editors()).await {
        tracing::warn!(error.message = %e, "could not register the command menu");
    }
    // Breaking notices a restart interrupted: finish queueing them and follow them again.
    match app.store.unfinished_notices() {
        Ok(notices) => {
            for notice in notices {
                broadcast::start_broadcast(
                    bot.clone(),
                    std::sync::Arc::clone(&app.newsroom),
                    notice,
                );
            }
        }
        Err(e) => tracing::error!(error.message = %e, "could not read unfinished notices"),
    }
    // Recalls and corrections a restart interrupted: carry them on.
    match app.store.notices_with_actions() {
        Ok(notices) => {
            for notice in notices {
                tracing::info!(notice = notice.number, "resuming a recall or correction");
                broadcast::start_action(
                    bot.clone(),
                    std::sync::Arc::clone(&app.newsroom),
                    notice.number,
                );
            }
        }
        Err(e) => tracing::error!(error.message = %e, "could not read unfinished newsroom actions"),
    }
    let bot_for_webhook = bot.clone();
    let mut dispatcher = Dispatcher::builder(bot, tree::schema())
        .dependencies(dptree::deps![app])
        .default_handler(|update| async move {
            tracing::debug!(update = ?update.id, "update not handled")
        })
        .error_handler(LoggingErrorHandler::with_custom_text("handler failed"))
        .build();
    let token = dispatcher.shutdown_token();
    let dispatched = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopper = {
        let dispatched = std::sync::Arc::clone(&dispatched);
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down");
            // A signal that comes before the dispatcher runs (while the webhook is being set,
            // say) finds it idle: ask again until it runs, or until it has already ended.
            loop {
                match token.shutdown() {
                    Ok(done) => return done.await,
                    Err(_) if dispatched.load(std::sync::atomic::Ordering::Acquire) => return,
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
                }
            }
        })
    };
    match updates {
        Updates::LongPolling => dispatcher.dispatch().await,
        Updates::Webhook {
            url,
            listener,
            secret,
        } => {
            let listen = listener.local_addr().map_err(StartError::Listener)?;
            let mut options = webhooks::Options::new(listen, url);
            if let Some(secret) = secret {
                options = options.secret_token(secret);
            }
            let (mut update_listener, stop_flag, router) =
                webhooks::axum_to_router(bot_for_webhook, options).await?;
            let stop_token = update_listener.stop_token();
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, router)
                    .with_graceful_shutdown(stop_flag)
                    .await
                {
                    tracing::error!(error.message = %e, "webhook listener failed");
                    stop_token.stop();
                }
            });
            tracing::info!(%listen, "receiving updates by webhook");
            dispatcher
                .dispatch_with_listener(
                    update_listener,
                    LoggingErrorHandler::with_custom_text("webhook listener failed"),
                )
                .await;
        }
    }
    dispatched.store(true, std::sync::atomic::Ordering::Release);
    stopper.abort();
    Ok(())
}
