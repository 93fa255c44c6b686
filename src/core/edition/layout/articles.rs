//! The bodies pass of the page reader: each article's body gathered from its head (found
//! by `heads.rs`) and assembled (dateline, credits, joined paragraphs).

use super::briefs::take_bracket_title;
use super::dateline::strip_dateline;
use super::{Draft, Owner, Page};
use crate::core::edition::headline::{is_dash_subtitle, split_headline};
use crate::core::edition::lines::{LineKind, trailing_credit};
use crate::core::edition::paragraphs::{join_indented_paragraphs, join_paragraphs};
use crate::core::edition::{Article, Credit, NoticeKind};
use crate::core::punctuation::{char_len, ends_sentence};

impl Page {
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
