//! The language to answer someone in: their Telegram client's, if English; Chinese
//! otherwise (a subscriber's own choice, once made, is kept in their record instead).

use teloxide::types::User;

use crate::core::digest::Lang;

/// The language of `user`'s client: English for any `en` code, Chinese for the rest.
#[must_use]
pub fn client_lang(user: Option<&User>) -> Lang {
    match user.and_then(|u| u.language_code.as_deref()) {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}
