//! The heads pass of the page reader: each article's byline (or dateline) with the headline
//! above it, and the heads of items that print neither (bracketed and undated briefs, the
//! first story under a Chinese masthead, indented articles), in page order.

use super::masthead::is_date_line;
use super::{Draft, Owner, Page};
use crate::core::edition::byline::is_affiliation;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::ends_sentence;

/// A piece of wrapped prose that looks short enough for a headline: a full stop inside it
/// (`…两条快速公交线路。（记者`) or a bracket it does not close or open (`谭嘉禾）`).
fn is_prose_fragment(text: &str) -> bool {
    let opens = text.matches(['（', '(']).count();
    let closes = text.matches(['）', ')']).count();
    text.contains('。') || opens != closes
}

/// `name@paper.com`: one word with an `@` between a name and a dotted domain.
fn is_email_address(text: &str) -> bool {
    let text = text.trim();
    let Some((name, domain)) = text.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !text.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
}

impl Page {
    /// Finds every article's byline (or dateline) and the headline just above it.
    pub(super) fn claim_article_heads(&mut self) -> Vec<Draft> {
        let mut drafts = Vec::new();
        let n = self.lines.len();
        let mut i = 0;
        // Under a section heading of briefs (`IN BRIEF`), until an article with a byline.
        let mut brief_run = false;
        while i < n {
            if self.opens_a_bracketed_brief(i) {
                // `简讯` / `【市图书馆调整开放时间】自6月15日起，…`: each item is a brief.
                let id = drafts.len();
                let head: Vec<usize> = self.column_heading_above(i).into_iter().collect();
                for &h in &head {
                    self.claim(h, Owner::Article(id));
                }
                drafts.push(Draft {
                    head,
                    bylines: Vec::new(),
                    body_start: i,
                    bracketed: true,
                });
                i += 1;
                continue;
            }
            // `老城区12条背街小巷完成“微更新”` / `　　走进鼓楼街道的青石巷，…` on an indent page.
            let indented = self.starts_an_indented_article(i);
            brief_run &= !indented;
            let after_an_article = drafts.last().is_some_and(|d: &Draft| d.body_start < i);
            let next_brief = brief_run && after_an_article && self.starts_a_brief_in_a_run(i);
            if indented || next_brief || (after_an_article && self.starts_an_undated_brief(i)) {
                // `POLICE LOG` briefs, UK pages: a headline with prose and no dateline under it.
                let id = drafts.len();
                self.claim(i, Owner::Article(id));
                drafts.push(Draft {
                    head: vec![i],
                    bylines: Vec::new(),
                    body_start: i + 1,
                    bracketed: false,
                });
                i += 1;
                continue;
            }
            if let Some(head) = self.unbylined_lead_head(i) {
                // `“共享工具屋”开进老小区` / deck / prose, under the masthead: the first story.
                let id = drafts.len();
                for &h in &head {
                    self.claim(h, Owner::Article(id));
                }
                let body_start = head[head.len() - 1] + 1;
                drafts.push(Draft {
                    head,
                    bylines: Vec::new(),
                    body_start,
                    bracketed: false,
                });
                i = body_start;
                continue;
            }
            if let Some(brief) = self.brief_under_section(i) {
                // `ARTS CALENDAR` / `Bayside Strings open winter chamber series` / prose.
                brief_run = true;
                let id = drafts.len();
                for &h in &brief {
                    self.claim(h, Owner::Article(id));
                }
                drafts.push(Draft {
                    head: brief,
                    bylines: Vec::new(),
                    body_start: i + 2,
                    bracketed: false,
                });
                i += 2;
                continue;
            }
            let starts = matches!(
                self.lines[i].kind,
                LineKind::Byline(..) | LineKind::Dateline | LineKind::JumpFrom
            );
            if !starts || !self.free(i) {
                i += 1;
                continue;
            }
            brief_run = false;
            let mut bylines = Vec::new();
            let mut j = i;
            // Bylines, and `（上接第1版）` under a continued article's headline.
            while j < n
                && matches!(
                    self.lines[j].kind,
                    LineKind::Byline(..) | LineKind::JumpFrom
                )
                && self.free(j)
            {
                bylines.push(j);
                j += 1;
            }
            // `Staff Writer`, `Associated Press` under an English byline.
            while !bylines.is_empty() && j < n && self.free(j) && self.is_affiliation_line(j) {
                bylines.push(j);
                j += 1;
            }
            // The headline sits just above: up to three title-like lines (a kicker may
            // stand in its own block).
            let mut head = Vec::new();
            let mut k = i;
            // `State engineers say repairs are ahead of schedule; detour traffic to ease…`: a
            // deck too long for a headline, straight under one.
            if !bylines.is_empty() && k > 1 && self.is_deck_under_a_headline(k - 1) {
                k -= 1;
                head.push(k);
            }
            while k > 0
                && head.len() < 3
                && self.free(k - 1)
                // `桐坞至临江城际铁路环评公示` over a byline: a headline, not a notice's title.
                && (self.lines[k - 1].is_title_like()
                    || (!bylines.is_empty()
                        && head.is_empty()
                        && self.lines[k - 1].kind == LineKind::NoticeTitle))
                && !is_date_line(&self.lines[k - 1].text)
                && !is_prose_fragment(&self.lines[k - 1].text)
            {
                k -= 1;
                head.insert(0, k);
            }
            // A dateline straight under a notice's title is that notice's text.
            if bylines.is_empty()
                && head.is_empty()
                && i > 0
                && self.lines[i - 1].kind == LineKind::NoticeTitle
            {
                i += 1;
                continue;
            }
            let id = drafts.len();
            for &h in head.iter().chain(&bylines) {
                self.claim(h, Owner::Article(id));
            }
            drafts.push(Draft {
                head,
                bylines,
                body_start: j,
                bracketed: false,
            });
            // The body's first line (a dateline, often) belongs to this article.
            i = j + 1;
        }
        drafts
    }

    /// Line `d` is a deck: unpunctuated at its end, longer than a headline but no paragraph
    /// (120 characters at most), in the block of the title-like line above it.
    fn is_deck_under_a_headline(&self, d: usize) -> bool {
        let (deck, above) = (&self.lines[d], &self.lines[d - 1]);
        deck.kind == LineKind::Text
            && self.free(d)
            && self.free(d - 1)
            && !deck.is_title_like()
            && !ends_sentence(&deck.text)
            && deck.chars() <= 120
            && above.block == deck.block
            && above.is_title_like()
    }

    /// A line under a byline naming the writer's employer or job (`Staff Writer`), or the
    /// writer's e-mail address alone on its line.
    pub(super) fn is_affiliation_line(&self, j: usize) -> bool {
        let line = &self.lines[j];
        line.kind == LineKind::Text
            && (is_email_address(&line.text)
                || (!ends_sentence(&line.text) && is_affiliation(&line.text)))
    }
}
