//! An edition's id: the short word (`pinghu`, `haining-2`) that names an edition in the
//! editions file, in button data, in database keys and in a subscriber's record.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest edition id.
pub const MAX_EDITION_ID: usize = 32;

/// An edition's id: 1–32 of lower-case ASCII letters, digits and `-`, starting with a
/// letter (`pinghu`, `haining-2`). It goes into button data and database keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EditionId(String);

impl EditionId {
    /// The id every deployment has: the edition of today's single-edition settings, and the
    /// one existing subscribers belong to.
    pub const DEFAULT: &'static str = "default";

    /// Checks `text` as an edition id.
    ///
    /// # Errors
    /// A message saying what an id may hold.
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok = !text.is_empty()
            && text.len() <= MAX_EDITION_ID
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "'{text}' is not an edition id: use 1 to {MAX_EDITION_ID} lower-case letters, digits and '-', starting with a letter"
            ))
        }
    }

    /// The id `default`.
    #[must_use]
    pub fn default_id() -> Self {
        Self(Self::DEFAULT.to_owned())
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EditionId {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<EditionId> for String {
    fn from(id: EditionId) -> Self {
        id.0
    }
}
