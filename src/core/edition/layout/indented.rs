//! Pages whose dump marks paragraphs only by a leading indent (`　　`) and may print no blank
//! lines at all: there an unindented headline over an indented paragraph starts an article,
//! byline or not.

use super::Page;
use super::masthead::is_date_line;
use crate::core::edition::lines::LineKind;
use crate::core::edition::paragraphs::is_subhead;
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
            // `一、交通 Traffic and Parking`: a numbered subhead inside the article.
            && !is_subhead(&line.text)
            // A photo's title over its indented caption and credit is not one.
            && !self.photo_credit_just_below(i)
            // `禾丰农资` / `　　优质稻种、有机肥…` / `　　地址：…`: an advert's name over its offer and
            // contact lines.
            && !self.advert_fields_follow(i)
    }

    /// Contact fields (`地址：`, `联系电话：`) follow line `i` within three lines, with no
    /// finished sentence before them.
    fn advert_fields_follow(&self, i: usize) -> bool {
        for line in self.lines.iter().skip(i + 1).take(3) {
            if line.kind == LineKind::NoticeField {
                return true;
            }
            if line.kind != LineKind::Text || ends_sentence(&line.text) {
                return false;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn an_unindented_headline_over_an_indented_paragraph_starts_an_article() {
        let page = "城南水厂扩建工程通水运行\n■本报记者　沈砚秋\n　　本报讯　６月１１日上午，城南水厂扩建工程正式通水运行。\n全市日供水能力提升至３０万吨。\n　　下一步将加快推进二次供水改造。\n老城区１２条背街小巷完成“微更新”\n　　走进鼓楼街道的青石巷，斑驳的墙面重新粉刷一\n新。（记者　蒋维舟）\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "城南水厂扩建工程通水运行",
                "老城区１２条背街小巷完成“微更新”"
            ]
        );
        // Only the indent starts a paragraph: a line ending a sentence does not.
        assert_eq!(edition.articles[0].paragraphs.len(), 2);
        assert_eq!(edition.articles[1].reporters, ["蒋维舟"]);
        assert_eq!(edition.articles[1].lines, [6, 7, 8]);
    }
}
