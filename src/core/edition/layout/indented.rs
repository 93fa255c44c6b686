//! Pages whose dump marks paragraphs only by a leading indent (`　　`) and may print no blank
//! lines at all: there an unindented headline over an indented paragraph starts an article,
//! byline or not.

use super::Page;
use super::masthead::is_date_line;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::ends_sentence;

/// How many indented lines make a page one that marks paragraphs by indent.
const MIN_INDENTED_LINES: usize = 3;

impl Page {
    /// True when the page marks its paragraphs by indent.
    pub(super) fn marks_paragraphs_by_indent(&self) -> bool {
        self.lines.iter().filter(|l| l.indented).count() >= MIN_INDENTED_LINES
    }

    /// On an indent page, line `i` is a headline with no byline: unindented, title-like,
    /// after a finished paragraph or a blank line, with an indented paragraph of prose under
    /// it (`老城区12条背街小巷完成“微更新”` / `　　走进鼓楼街道的青石巷，…`).
    pub(super) fn starts_an_indented_article(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let Some(next) = self.lines.get(i + 1) else {
            return false;
        };
        let after_a_break = i == 0 || {
            let prev = &self.lines[i - 1];
            prev.block != line.block
                || ends_sentence(&prev.text)
                || matches!(
                    prev.kind,
                    LineKind::ClosingCredit(_) | LineKind::ClosingCreditTail
                )
                || !self.free(i - 1)
        };
        self.indent_page
            && self.free(i)
            && self.free(i + 1)
            && !line.indented
            && line.is_title_like()
            && !is_date_line(&line.text)
            && after_a_break
            && next.indented
            && next.kind == LineKind::Text
            && !next.text.starts_with('【')
            && !ends_sentence(&line.text)
            // A photo's title over its indented caption and credit is not one.
            && !(i + 2..i + 4).any(|k| {
                matches!(
                    self.lines.get(k).map(|l| &l.kind),
                    Some(LineKind::PhotoCredit(_))
                )
            })
    }
}
