//! The articles pass of the page reader: headlines claimed with their subtitles, bylines
//! and briefs, then each article's body gathered and assembled (dateline, credits, joined
//! paragraphs).

use super::briefs::take_bracket_title;
use super::dateline::strip_dateline;
use super::masthead::is_date_line;
use super::{Draft, Owner, Page};
use crate::core::edition::byline::is_affiliation;
use crate::core::edition::headline::{is_dash_subtitle, split_headline};
use crate::core::edition::lines::{LineKind, trailing_credit};
use crate::core::edition::paragraphs::{join_indented_paragraphs, join_paragraphs};
use crate::core::edition::{Article, Credit, NoticeKind};
use crate::core::punctuation::{char_len, ends_sentence};

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

    /// After the photo at `j`, the next line is a free paragraph closing with a bracketed
    /// credit (`…（记者　鲍一鸣　通讯员　钱苗苗）`): the article's last paragraph.
    fn closes_after_a_photo(&self, j: usize, limit: usize) -> bool {
        let k = (j..limit)
            .find(|&k| self.owner[k] != Some(Owner::Photo))
            .unwrap_or(limit);
        k < limit
            && self.free(k)
            && self.lines[k].kind == LineKind::Text
            && trailing_credit(&self.lines[k].text).is_some()
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

    pub(super) fn claim_article_bodies(&mut self, mut drafts: Vec<Draft>) {
        let starts: Vec<usize> = drafts
            .iter()
            .map(|d| {
                d.head
                    .first()
                    .or(d.bylines.first())
                    .copied()
                    .unwrap_or(d.body_start)
            })
            .collect();
        for id in 0..drafts.len() {
            let draft = &drafts[id];
            let limit = starts.get(id + 1).copied().unwrap_or(self.lines.len());
            // The next article's headline when its byline or dateline has none above it (or
            // only a `——` subtitle).
            let wants_head = drafts.get(id + 1).is_some_and(|d| {
                !d.bracketed
                    && d.head
                        .iter()
                        .all(|&h| is_dash_subtitle(&self.lines[h].text))
            });
            let mut adopted = None;
            let mut body = Vec::new();
            let mut jump = None;
            let mut closing = None;
            let mut paragraph = String::new();
            let mut j = draft.body_start;
            while j < limit {
                if self.owner[j] == Some(Owner::Furniture) {
                    // A running head the dump dropped mid-sentence: the text goes on after it.
                    j += 1;
                    continue;
                }
                if self.owner[j] == Some(Owner::Photo) && self.closes_after_a_photo(j, limit) {
                    // A photo set between the article's paragraphs; its last paragraph, closing
                    // with the article's credit, follows.
                    j += 1;
                    continue;
                }
                if !self.free(j) {
                    break;
                }
                let kind = &self.lines[j].kind;
                if *kind == LineKind::JumpTo {
                    // `（下转第3版）` ends what this page prints of the article.
                    jump = Some(j);
                    break;
                }
                if matches!(kind, LineKind::ClosingCredit(_)) {
                    // `（记者 王强 通讯员 李红）` closes the article and credits its people.
                    closing = Some(j);
                    break;
                }
                if wants_head && adopted.is_none() && self.interrupts_a_sentence(j, &paragraph) {
                    // `…就业100人以` / `东溪村“稻田画”引来八方客` / `上，让更多村民…`: the
                    // next article's headline dropped into this one's sentence.
                    adopted = Some(j);
                    j += 1;
                    continue;
                }
                let is_prose = *kind == LineKind::Text
                    || (*kind == LineKind::Dateline && j == draft.body_start);
                if !is_prose {
                    break;
                }
                body.push(j);
                j += 1;
                // `…动起来”。（记者 钱牧之 通讯员` / `柏小露）`: a credit closing the paragraph
                // closes the article.
                let text = &self.lines[j - 1].text;
                if ends_sentence(text) {
                    paragraph.clear();
                } else {
                    paragraph.push_str(text);
                    if trailing_credit(&paragraph).is_some() {
                        break;
                    }
                }
            }
            for &b in body.iter().chain(&jump).chain(&closing) {
                self.claim(b, Owner::Article(id));
            }
            // The rest of a credit wrapped onto the next line goes with it.
            let tail = closing.map(|c| c + 1).filter(|&t| {
                t < self.lines.len()
                    && self.lines[t].kind == LineKind::ClosingCreditTail
                    && self.free(t)
            });
            if let Some(t) = tail {
                self.claim(t, Owner::Article(id));
            }
            let mut article = self.assemble_article(draft, &body, jump.is_some());
            if let Some(c) = closing
                && let LineKind::ClosingCredit(credits) = &self.lines[c].kind
            {
                article.lines.push(self.lines[c].no);
                if let Some(t) = tail {
                    article.lines.push(self.lines[t].no);
                }
                for credit in credits {
                    if !article.reporters.contains(&credit.name) {
                        article.reporters.push(credit.name.clone());
                    }
                    if !article.credits.contains(credit) {
                        article.credits.push(credit.clone());
                    }
                }
            }
            if let Some(j) = jump {
                article.lines.push(self.lines[j].no);
                article.jump_to = crate::core::edition::read_jump(&self.lines[j].text);
            }
            self.edition.articles.push(article);
            if let (Some(h), Some(next)) = (adopted, drafts.get_mut(id + 1)) {
                self.claim(h, Owner::Article(id + 1));
                next.head.insert(0, h);
            }
        }
    }

    /// The article `draft` heads, with `body`'s lines as its text; `jumps` when a jump line
    /// (`（下转第3版）`) ends it here, so a sentence left open is expected, not a warning.
    pub(super) fn assemble_article(
        &mut self,
        draft: &Draft,
        body: &[usize],
        jumps: bool,
    ) -> Article {
        let jump_from = draft
            .bylines
            .iter()
            .filter(|&&b| self.lines[b].kind == LineKind::JumpFrom)
            .find_map(|&b| crate::core::edition::read_jump(&self.lines[b].text));
        let mut credits: Vec<Credit> = draft
            .bylines
            .iter()
            .filter_map(|&b| match &self.lines[b].kind {
                LineKind::Byline(c, _) => Some(c.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        let affiliations: Vec<String> = draft
            .bylines
            .iter()
            .flat_map(|&b| match &self.lines[b].kind {
                LineKind::Byline(_, a) => a.clone(),
                LineKind::Text => vec![self.lines[b].text.clone()],
                _ => Vec::new(),
            })
            .collect();
        let mut dateline = None;
        let mut body_lines: Vec<(usize, String)> = body
            .iter()
            .map(|&b| (self.lines[b].no, self.lines[b].text.clone()))
            .collect();
        if let (Some(&first), Some(first_line)) = (body.first(), body_lines.first_mut())
            && self.lines[first].kind == LineKind::Dateline
        {
            let (name, inline_credits, rest) = strip_dateline(&first_line.1, self.language);
            dateline = name;
            credits.extend(inline_credits);
            first_line.1 = rest;
        }
        let refs: Vec<(usize, &str)> = body_lines.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let mut joined = if self.indent_page {
            // Only an indent starts a paragraph; a line ending a sentence may not end one.
            let starts: Vec<bool> = body.iter().map(|&b| self.lines[b].indented).collect();
            join_indented_paragraphs(&refs, &starts)
        } else {
            join_paragraphs(&refs)
        };
        // `…完工。（记者　王强　通讯员` / `李红）`: a credit closing the last paragraph.
        if let Some((last, _)) = joined.paragraphs.last_mut()
            && let Some((at, closing)) = trailing_credit(last)
        {
            last.truncate(at);
            for credit in closing {
                if !credits.contains(&credit) {
                    credits.push(credit);
                }
            }
            if last.trim().is_empty() {
                joined.paragraphs.pop();
            }
        }
        let bracket_title = if draft.bracketed {
            joined.paragraphs.first_mut().and_then(|(first, _)| {
                let (title, rest) = take_bracket_title(first)?;
                // `【“银龄课堂”开课】本报讯 11月18日，…`: the dateline after the lead title.
                let (name, inline_credits, rest) = strip_dateline(&rest, self.language);
                dateline = dateline.take().or(name);
                credits.extend(inline_credits);
                *first = rest;
                Some(title)
            })
        } else {
            None
        };
        // `【城南公园月底恢复开放】` alone on its line: the brief's text starts on the next.
        if bracket_title.is_some()
            && joined.paragraphs.len() > 1
            && joined.paragraphs[0].0.trim().is_empty()
        {
            let (_, nos) = joined.paragraphs.remove(0);
            joined.paragraphs[0].1.splice(0..0, nos);
        }
        // A short unpunctuated line closing an article is a slogan printed under it.
        while joined.paragraphs.len() > 1 {
            let Some((text, nos)) = joined.paragraphs.last() else {
                break;
            };
            let is_slogan = nos.len() == 1
                && char_len(text) <= 30
                && !ends_sentence(text)
                && !text.contains([',', '，', ':', '：']);
            if !is_slogan {
                break;
            }
            let no = nos[0];
            joined.paragraphs.pop();
            if let Ok(idx) = self.lines.binary_search_by_key(&no, |l| l.no) {
                self.push_notice(NoticeKind::Slogan, &[idx]);
            }
        }
        self.edition.stats.rejoined_breaks += joined.joins;
        let head_texts: Vec<&str> = draft
            .head
            .iter()
            .map(|&h| self.lines[h].text.as_str())
            .collect();
        let lead = joined.paragraphs.first().map_or("", |(t, _)| t.as_str());
        let mut parts = split_headline(&head_texts, lead, self.language);
        if let Some(bracketed) = bracket_title {
            // The column heading over the first brief is its kicker.
            parts.kicker = (!head_texts.is_empty()).then(|| head_texts.join(" "));
            parts.title = bracketed;
            parts.subtitle = None;
        }
        let title = if parts.title.is_empty() {
            let at = draft
                .bylines
                .first()
                .or(body.first())
                .map(|&i| self.lines[i].no);
            self.warn(
                at,
                "article has no headline; titled from its first words".to_owned(),
            );
            crate::core::prose::title_from_text(lead, 30)
        } else {
            parts.title.clone()
        };
        if let Some((last, nos)) = joined.paragraphs.last() {
            if !ends_sentence(last) && !jumps {
                let at = nos.last().copied();
                self.warn(
                    at,
                    format!("article '{title}' ends mid-sentence; its text may continue elsewhere"),
                );
            }
        } else {
            let at = draft.bylines.first().map(|&i| self.lines[i].no);
            self.warn(at, format!("article '{title}' has no body"));
        }
        let mut reporters: Vec<String> = Vec::new();
        for c in &credits {
            if !reporters.contains(&c.name) {
                reporters.push(c.name.clone());
            }
        }
        let mut lines: Vec<usize> = draft
            .head
            .iter()
            .chain(&draft.bylines)
            .map(|&i| self.lines[i].no)
            .collect();
        lines.extend(
            joined
                .paragraphs
                .iter()
                .flat_map(|(_, nos)| nos.iter().copied()),
        );
        Article {
            title,
            subtitle: parts.secondary(),
            kicker: parts.kicker,
            reporters,
            credits,
            affiliations,
            dateline,
            paragraphs: joined.paragraphs.into_iter().map(|(t, _)| t).collect(),
            link: None,
            published: None,
            image: None,
            rejoined_breaks: joined.joins,
            page: None,
            jump_to: None,
            jump_from,
            lines,
        }
    }
}
