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

/// The data of the button that opens the item titled `title` of `digest` whole (a notice
/// when `notice`; a headline only when its article was kept), or `None` when it has none.
#[must_use]
pub fn item_button_data(
    edition: &EditionId,
    digest: &Digest,
    (title, notice): (&str, bool),
) -> Option<String> {
    let index = if notice {
        digest.notices.iter().position(|n| n.shown_title() == title)
    } else {
        digest
            .headlines
            .iter()
            .position(|h| h.title == title && !h.paragraphs.is_empty())
    }?;
    Press::Story(StoryRef {
        edition: edition.clone(),
        date: digest.date,
        index,
        notice,
    })
    .data()
}
