//! The Telegram client side: the bot built for a token and an API address, the pacing of
//! everything it sends ([`pacing`]), sends that wait their turn ([`patient`]) and the
//! [`crate::edge::notifier::Notifier`] delivery sends through ([`notifier`]).

pub mod notifier;
pub mod pacing;
pub mod patient;

use teloxide::Bot;
use url::Url;

use crate::core::secret::Secret;

/// Builds the bot for `token` against the Bot API at `api_url`.
pub fn build_bot(token: &Secret, api_url: Url) -> Bot {
    Bot::new(token.expose()).set_api_url(api_url)
}
