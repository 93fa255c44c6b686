//! The language to answer someone in: their Telegram client's, if English; Chinese
//! otherwise (a subscriber's own choice, once made, is kept in their record instead).

use teloxide::types::User;

use crate::core::digest::Lang;
use crate::core::subscriber::Subscriber;

/// The language of `user`'s client: English for any `en` code, Chinese for the rest.
#[must_use]
pub fn client_lang(user: Option<&User>) -> Lang {
    match user.and_then(|u| u.language_code.as_deref()) {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// The language to answer in: the subscriber's own choice when the chat has one, else the
/// language of the client of the `user` who wrote or pressed.
#[must_use]
pub fn answer_lang(subscriber: Option<&Subscriber>, user: Option<&User>) -> Lang {
    subscriber.map_or_else(|| client_lang(user), |s| s.lang)
}
