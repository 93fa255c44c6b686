//! Briefs: short items that carry no byline or dateline of their own. English briefs under a
//! section heading in capitals or alone between paragraphs, and Chinese brief columns whose
//! items each open with a bracketed lead title (`【…】`, often after `本报讯`).

use super::capitals_boxes::LISTING_ENTRY;
use super::dateline::strip_dateline;
use super::masthead::is_date_part;
use super::{Owner, Page};
use crate::core::edition::Language;
use crate::core::edition::lines::{CAPS_TITLE, LineKind};
use crate::core::punctuation::{char_len, ends_sentence};

/// The longest bracketed lead title read as a brief's headline.
const MAX_BRACKET_TITLE_CHARS: usize = 40;

/// The longest column heading (`简讯`, `镇街快讯`) read as the kicker of the brief under it.
const MAX_COLUMN_HEADING_CHARS: usize = 8;

/// Splits a brief's bracketed lead title off its first paragraph (`【市图书馆调整开放时间】自6月
/// 15日起，…`): the title and the rest, when the paragraph opens with one.
pub(super) fn take_bracket_title(paragraph: &str) -> Option<(String, String)> {
    let inner = paragraph.trim_start().strip_prefix('【')?;
    let (title, rest) = inner.split_once('】')?;
    let title = title.trim();
    let fits = (2..=MAX_BRACKET_TITLE_CHARS).contains(&char_len(title));
    (fits && !title.contains('【')).then(|| (title.to_owned(), rest.trim_start().to_owned()))
}

impl Page {
    /// Line `i` opens a brief with a bracketed lead title (`【…】`, or `本报讯　【…】`), the
    /// bracket closing on this line or, wrapped by a narrow column, on the next.
    pub(super) fn opens_a_bracketed_brief(&self, i: usize) -> bool {
        let line = &self.lines[i];
        if !self.free(i) || !matches!(line.kind, LineKind::Text | LineKind::Dateline) {
            return false;
        }
        // `本报讯　【…】`: the lead title after the dateline.
        let (_, _, rest) = strip_dateline(&line.text, self.language);
        if !rest.starts_with('【') {
            return false;
        }
        let mut text = rest;
        if !text.contains('】') {
            let Some(next) = self.lines.get(i + 1).filter(|_| self.free(i + 1)) else {
                return false;
            };
            if !matches!(next.kind, LineKind::Text | LineKind::Dateline)
                || !next.text.contains('】')
            {
                return false;
            }
            text.push_str(&next.text);
        }
        take_bracket_title(&text).is_some()
    }

    /// The column heading just above brief `i` (`简讯`, `镇街快讯`): a short title alone
    /// after a finished paragraph or a blank line, which the first brief under it carries as
    /// its kicker.
    pub(super) fn column_heading_above(&self, i: usize) -> Option<usize> {
        let h = i.checked_sub(1)?;
        let heading = &self.lines[h];
        let after_a_break = h == 0
            || {
                let before = &self.lines[h - 1];
                before.block != heading.block
                || ends_sentence(&before.text)
                // `…（记者　蒋维舟　通讯员` / `俞小棠）`: a credit closed the item above.
                || before.text.ends_with(['）', ')'])
                // … or a photo's credit closed the photo above.
                || matches!(
                    before.kind,
                    LineKind::ClosingCredit(_) | LineKind::ClosingCreditTail | LineKind::PhotoCredit(_)
                )
            };
        let is_heading = self.free(h)
            && heading.is_title_like()
            && heading.chars() <= MAX_COLUMN_HEADING_CHARS
            && !heading.text.contains(['（', '）', '(', ')', '【', '】'])
            && after_a_break;
        is_heading.then_some(h)
    }

    /// When line `i` is an English section heading in capitals, alone in its block, with a
    /// headline alone in the next block and prose after it, the heading and the headline of
    /// the first brief under it (which carries no byline or dateline of its own).
    pub(super) fn brief_under_section(&self, i: usize) -> Option<Vec<usize>> {
        let (heading, title) = (&self.lines[i], self.lines.get(i + 1)?);
        // Alone in its block; on a page printed without blank lines, after a finished
        // paragraph.
        let opens = i == 0
            || self.lines[i - 1].block != heading.block
            || (self.blankless && ends_sentence(&self.lines[i - 1].text));
        // A box of entries under its heading (`LUNCH MENU` / `Week of Dec. 8-12` / `Monday: …`)
        // is a listing, not briefs.
        // So is a sale under its heading: `CLEARING SALE` / `Account R & J Hennessy, …` /
        // `Saturday, March 13, 2027, 10am`.
        let listing = self.lines.get(i + 2).is_some_and(|l| {
            LISTING_ENTRY.is_match(&l.text)
                || (is_date_part(&l.text) && char_len(&l.text) <= 40 && !ends_sentence(&l.text))
        });
        let is_brief = self.language == Language::En
            && heading.kind == LineKind::Text
            && CAPS_TITLE.is_match(&heading.text)
            && opens
            && !listing
            && title.is_title_like()
            && !CAPS_TITLE.is_match(&title.text)
            && !self.block_has_photo_credit(i + 1)
            && self.opens_prose(i + 2)
            && (i..i + 2).all(|k| self.free(k));
        is_brief.then(|| vec![i, i + 1])
    }

    /// The next brief under a section heading of briefs: a headline after a finished
    /// paragraph, with a paragraph of prose under it (`Food shelf needs drivers` / `The Lake
    /// Area Food Shelf is looking for volunteers …`).
    pub(super) fn starts_a_brief_in_a_run(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let Some(prev) = i.checked_sub(1).map(|k| &self.lines[k]) else {
            return false;
        };
        self.language == Language::En
            && self.free(i)
            && line.is_title_like()
            && !CAPS_TITLE.is_match(&line.text)
            && ends_sentence(&prev.text)
            && self.opens_prose(i + 1)
            && self.shorter_than_the_column(i)
            && !self.block_has_photo_credit(i)
    }

    /// A headline printed over its prose in the same block is shorter than the column (three
    /// quarters of the next line at most); a line as wide as the column is prose wrapped
    /// there (`At Birchline Sugarworks on Beacon Road, Walt and Della` / `Hargrove…`).
    fn shorter_than_the_column(&self, i: usize) -> bool {
        let (line, next) = (&self.lines[i], self.lines.get(i + 1));
        next.is_none_or(|next| next.block != line.block || line.chars() * 4 <= next.chars() * 3)
    }

    /// Line `k` opens a paragraph of prose: it starts like a sentence and, within its block
    /// (a dozen lines at most), reaches a line that ends one; sixty characters or more.
    fn opens_prose(&self, k: usize) -> bool {
        let Some(first) = self.lines.get(k) else {
            return false;
        };
        let starts = first
            .text
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'$£".contains(c));
        if first.kind != LineKind::Text || !self.free(k) || !starts {
            return false;
        }
        let mut chars = 0;
        for line in self.lines[k..].iter().take(12) {
            if line.block != first.block || line.kind != LineKind::Text {
                return false;
            }
            chars += line.chars();
            if ends_sentence(&line.text) {
                return chars >= 60;
            }
        }
        false
    }

    /// The block of line `i` holds a photo credit: a photo's title and caption, not a brief.
    fn block_has_photo_credit(&self, i: usize) -> bool {
        let block = self.lines[i].block;
        self.lines
            .iter()
            .skip_while(|l| l.block < block)
            .take_while(|l| l.block == block)
            .any(|l| matches!(l.kind, LineKind::PhotoCredit(_)))
    }

    /// In English pages, a headline alone in its block between a finished paragraph and a
    /// paragraph of prose starts the next article, even with no byline or dateline (briefs,
    /// UK pages). Five words at least: a cross-head inside an article is shorter. A photo's
    /// title (a credit two blocks down) is not one.
    pub(super) fn starts_an_undated_brief(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let Some(prev) = i.checked_sub(1).map(|k| &self.lines[k]) else {
            return false;
        };
        // After a finished paragraph, or after a box (a forecast, a photo) that ended.
        let after_a_box = matches!(
            prev.kind,
            LineKind::Weather | LineKind::PhotoCredit(_) | LineKind::ClosingCredit(_)
        );
        let after = (matches!(prev.kind, LineKind::Text | LineKind::Dateline)
            && ends_sentence(&prev.text))
            || after_a_box;
        self.language == Language::En
            && self.free(i)
            && line.is_title_like()
            && !CAPS_TITLE.is_match(&line.text)
            // On a page with no blank lines, any line may open an item.
            && (prev.block != line.block || self.blankless)
            && after
            // `… replace a sur` / `face lot …`: a paragraph the layout broke, not a headline.
            && self.opens_prose(i + 1)
            && self.shorter_than_the_column(i)
            // After a box, a shorter headline too (`Library extends summer hours`).
            && line.text.split_whitespace().count() >= if after_a_box { 3 } else { 5 }
            && !self.photo_credit_just_below(i)
    }

    /// The first story on a Chinese page printed with neither byline nor dateline: its
    /// headline (and a deck) alone in their block right under the masthead or the page's
    /// furniture, over a block of prose. Only the first: further down, a short block between
    /// paragraphs is as likely a cross-head.
    pub(super) fn unbylined_lead_head(&self, i: usize) -> Option<Vec<usize>> {
        let line = &self.lines[i];
        let prev = i.checked_sub(1).map(|k| &self.lines[k])?;
        let news_above = self.owner[..i]
            .iter()
            .any(|o| matches!(o, Some(Owner::Article(_) | Owner::Photo | Owner::Notice)));
        if self.language != Language::Zh
            || !self.free(i)
            || self.free(i - 1)
            || prev.block == line.block
            || news_above
        {
            return None;
        }
        let head: Vec<usize> = (i..self.lines.len())
            .take_while(|&k| self.lines[k].block == line.block)
            .collect();
        let titled = head
            .iter()
            .all(|&k| self.free(k) && self.lines[k].is_title_like());
        if head.len() > 3 || !titled || self.photo_credit_just_below(i) {
            return None;
        }
        let body = head.last()? + 1;
        let prose: Vec<&super::Line> = self.lines[body..]
            .iter()
            .take_while(|l| l.block == self.lines[body].block && l.kind == LineKind::Text)
            .collect();
        let chars: usize = prose.iter().map(|l| l.chars()).sum();
        let finished = prose.iter().any(|l| ends_sentence(&l.text));
        (self.free(body) && chars >= 60 && finished).then_some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::take_bracket_title;
    use crate::core::edition::parse_edition;

    #[test]
    fn a_bracketed_lead_is_the_briefs_title() {
        assert_eq!(
            take_bracket_title("【市图书馆调整开放时间】自6月15日起，…"),
            Some((
                "市图书馆调整开放时间".to_owned(),
                "自6月15日起，…".to_owned()
            ))
        );
        assert_eq!(take_bracket_title("自6月15日起【注】"), None);
        assert_eq!(take_bracket_title("【】空"), None);
    }

    #[test]
    fn each_bracketed_brief_is_an_item_with_its_wrapped_title_and_closing_credit() {
        let page = "简讯\n【砚溪至临江城际公交开通】６月１０日，城际公交Ｋ１路正式开\n通运营，票价１２元。（通讯员　王芳）\n【第三届非遗市集暨老字号展销会本周五\n开幕】６月１３日至１５日，市集将在文庙广场举行。（通讯员　韩一\n川）\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "砚溪至临江城际公交开通",
                "第三届非遗市集暨老字号展销会本周五开幕"
            ]
        );
        assert_eq!(edition.articles[0].kicker.as_deref(), Some("简讯"));
        assert_eq!(edition.articles[0].reporters, ["王芳"]);
        assert_eq!(edition.articles[1].reporters, ["韩一川"]);
        assert_eq!(
            edition.articles[1].paragraphs,
            ["６月１３日至１５日，市集将在文庙广场举行。"]
        );
    }

    #[test]
    fn briefs_under_an_in_brief_heading_each_start_at_their_title() {
        let page = "THE HATCH ECHO\nThursday, December 4, 2025\n\nIN BRIEF\n\nTree lighting Saturday\nThe Lions Club will light the tree in Veterans Park at 5 p.m. Saturday.\n\nFood shelf needs drivers\nThe food shelf is looking for volunteers to pick up donations on Tuesday mornings.\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Tree lighting Saturday", "Food shelf needs drivers"]
        );
    }

    #[test]
    fn the_first_chinese_story_with_no_byline_is_read_under_the_masthead() {
        let page = "洄川都市报\n2027年5月20日　星期四\n\n“共享工具屋”开进老小区\n电钻、梯子、扳手免费借，居民用完还回来\n\n家里装个挂钩，要不要专门买一把电钻？在洄川市东湖街道樟树巷社区，这个问题有了新答案——社区“共享工具屋”上周正式开放，40多种常用工具供居民免费借用。\n\n工具屋设在社区党群服务中心一楼，由6名退休居民志愿者轮流值守。\n\n桐坞至临江城际铁路环评公示\n本报记者　汤子昂\n本报讯　昨天，桐坞至临江城际铁路项目环境影响评价第二次公示启动，公示期10个工作日。\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            ["“共享工具屋”开进老小区", "桐坞至临江城际铁路环评公示"]
        );
        assert_eq!(edition.articles[0].lines, [4, 5, 7, 9]);
        assert!(edition.notices.is_empty());
    }
}
