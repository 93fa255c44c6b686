//! Column interleaving: a dump that reads across columns drops the next article's headline
//! into the middle of the previous article's sentence. The sentence is re-joined around it,
//! and the headline goes to the article whose byline or dateline follows.

use super::Page;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::ends_sentence;

impl Page {
    /// Line `j` is a headline alone in its block that interrupts `paragraph` (the body text
    /// so far of an unfinished sentence), which goes on in the next block.
    pub(super) fn interrupts_a_sentence(&self, j: usize, paragraph: &str) -> bool {
        let line = &self.lines[j];
        let (Some(prev), Some(next)) = (
            j.checked_sub(1).map(|k| &self.lines[k]),
            self.lines.get(j + 1),
        ) else {
            return false;
        };
        let goes_on = if next.text.is_ascii() || line.text.is_ascii() {
            next.text.starts_with(|c: char| c.is_lowercase())
        } else {
            !next.indented && (next.text.contains(['。', '，']) || !next.is_title_like())
        };
        !paragraph.is_empty()
            && !ends_sentence(paragraph)
            && line.is_title_like()
            && !line.indented
            && prev.block != line.block
            && next.block != line.block
            && next.kind == LineKind::Text
            && self.free(j + 1)
            && goes_on
    }
}
