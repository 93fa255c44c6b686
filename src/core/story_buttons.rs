//! The "全文 N / Full story N" buttons under a digest's headlines, as (label, callback data)
//! pairs: one per headline whose article the digest kept whole, numbered as the digest numbers
//! them. Chat replies and the scheduled delivery both put them under the headlines.

use super::callback::{Press, StoryRef};
use super::digest::{Digest, Lang};
use super::edition_id::EditionId;
use super::texts::texts;

/// The most full-story buttons under one digest.
pub const MAX_STORY_BUTTONS: usize = 12;

/// Buttons per row.
pub const STORY_BUTTONS_PER_ROW: usize = 4;

/// The full-story buttons of `digest` of `edition`, as (label, data).
#[must_use]
pub fn story_buttons(edition: &EditionId, digest: &Digest, lang: Lang) -> Vec<(String, String)> {
    let t = texts(lang);
    digest
        .headlines
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.paragraphs.is_empty())
        .take(MAX_STORY_BUTTONS)
        .filter_map(|(index, _)| {
            let data = Press::Story(StoryRef {
                edition: edition.clone(),
                date: digest.date,
                index,
                notice: false,
            })
            .data()?;
            Some((format!("{} {}", t.story_button, index + 1), data))
        })
        .collect()
}
