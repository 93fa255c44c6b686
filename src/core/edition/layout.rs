//! Reads a whole page: decides, line by line in context, which item owns each line.
//!
//! The order of the passes matters. Strong anchors go first (masthead, weather, bylines with
//! the headlines just above them, photo credits with their captions, notices); article
//! bodies then run from their byline to the next line something else owns. Every line ends
//! up owned exactly once; what nothing claims is listed as unclassified with a warning.
//! The masthead pass (and the dates a page prints) is in `layout/masthead.rs`, the notices
//! pass in `layout/notices.rs`; the rest is here.

use std::sync::LazyLock;

use regex::Regex;

mod masthead;
mod notices;

use self::masthead::is_date_line;

use super::byline::{is_affiliation, parse_credits};
use super::headline::split_headline;
use super::lines::{CAPS_TITLE, Line, LineKind, split_lines};
use super::paragraphs::join_paragraphs;
use super::weather::parse_weather;
use super::{
    Article, Credit, Edition, EditionError, EditionStats, Language, MAX_EDITION_BYTES, NoticeKind,
    Photo, SourceLine, Warning,
};
use crate::core::punctuation::{char_len, ends_sentence, is_mostly_cjk};

/// Parses a page dumped from print into an [`Edition`].
///
/// # Errors
/// [`EditionError`] when the text is empty, over [`MAX_EDITION_BYTES`], or binary. Anything
/// less is a result with warnings.
///
/// # Example
/// ```
/// use newsbot::core::edition::parse_edition;
///
/// let page = "盐平塘大桥昨日通车 比原计划提前10个月\n\n■记者 倪雨伦\n\n本报讯 昨天上午,盐平塘大桥通车仪式举行,\n\n市领导出席。";
/// let edition = parse_edition(page).unwrap();
/// let article = &edition.articles[0];
/// assert_eq!(article.title, "盐平塘大桥昨日通车");
/// assert_eq!(article.subtitle.as_deref(), Some("比原计划提前10个月"));
/// assert_eq!(article.reporters, ["倪雨伦"]);
/// assert_eq!(article.paragraphs, ["昨天上午,盐平塘大桥通车仪式举行,市领导出席。"]);
/// ```
pub fn parse_edition(text: &str) -> Result<Edition, EditionError> {
    let garbled = check_input(text)?;
    let language = detect_language(text);
    let mut page = Page::new(split_lines(text, language), language);
    if garbled > 0 {
        page.warn(
            None,
            format!("{garbled} replacement characters: parts of the page may be garbled"),
        );
    }
    page.claim_masthead();
    page.claim_weather();
    let drafts = page.claim_article_heads();
    page.claim_photos();
    page.claim_notices();
    page.claim_article_bodies(drafts);
    Ok(page.finish())
}

/// Rejects what is not an edition; returns how many replacement characters it saw.
fn check_input(text: &str) -> Result<usize, EditionError> {
    if text.len() > MAX_EDITION_BYTES {
        return Err(EditionError::TooLarge {
            bytes: text.len(),
            limit: MAX_EDITION_BYTES,
        });
    }
    if text.trim().is_empty() {
        return Err(EditionError::Empty);
    }
    let (mut checked, mut bad, mut replaced) = (0usize, 0usize, 0usize);
    for c in text.chars().take(65_536) {
        checked += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) {
            bad += 1;
        } else if c == '\u{FFFD}' {
            replaced += 1;
        }
    }
    if text.contains('\0') || bad * 20 > checked || replaced * 4 > checked {
        return Err(EditionError::Binary {
            bad: bad + replaced,
            checked,
        });
    }
    Ok(replaced)
}

fn detect_language(text: &str) -> Language {
    let mut end = text.len().min(200_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if is_mostly_cjk(&text[..end]) {
        Language::Zh
    } else {
        Language::En
    }
}

/// Who owns a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Masthead,
    Weather,
    Article(usize),
    Photo,
    Notice,
}

/// An article whose head is known and whose body is not yet read.
#[derive(Debug)]
struct Draft {
    /// Indices of the headline lines.
    head: Vec<usize>,
    /// Indices of the byline lines.
    bylines: Vec<usize>,
    /// Index where the body starts.
    body_start: usize,
}

struct Page {
    lines: Vec<Line>,
    owner: Vec<Option<Owner>>,
    language: Language,
    edition: Edition,
}

/// Words of a note printed with a forecast: cold, rain, frost, wind, heat.
static WEATHER_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"气温|降温|升温|保暖|防寒|防暑|雨|雪|霜|冰|雾|大风|(?i:\b(?:temperatures?|cold|heat|rain|snow|frost|ice|icy|wind|fog|storm)\b)")
        .expect("static regex")
});

static DATELINE_PREFIX_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(本报讯|本报[^\s,，。:：(（]{1,8}电|新华社[^\s,，。:：(（]{1,16}电|[^\s,，。:：(（]{1,12}(?:报|网|日|社)讯)\s*(?:[(（]([^)）]{1,40})[)）])?[\s:：]*")
        .expect("static regex")
});
/// Credits printed after a dateline without brackets: role words, each followed by names
/// of two to four characters, each name followed by a space.
static INLINE_CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:本报记者|见习记者|记者|通讯员|实习生)\s+(?:\p{Han}{2,4}\s+)+)+")
        .expect("static regex")
});
static DATELINE_PREFIX_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Z.' ]{1,30}[A-Z.](?:,\s*[A-Z][A-Za-z.]{1,12})?)(?:\s*\((?:AP|Reuters|AFP|UPI|Bloomberg|Xinhua|CNS)\))?(?:\s*(?:—|–|--)\s*|\s+-\s+)")
        .expect("static regex")
});

impl Page {
    fn new(lines: Vec<Line>, language: Language) -> Self {
        let owner = vec![None; lines.len()];
        let edition = Edition {
            language,
            stats: EditionStats {
                lines: lines.len(),
                rejoined_breaks: 0,
            },
            ..Edition::default()
        };
        Self {
            lines,
            owner,
            language,
            edition,
        }
    }

    fn warn(&mut self, line: Option<usize>, message: String) {
        self.edition.warnings.push(Warning { line, message });
    }

    fn free(&self, i: usize) -> bool {
        self.owner.get(i).is_some_and(Option::is_none)
    }

    fn claim(&mut self, i: usize, owner: Owner) {
        if let Some(slot) = self.owner.get_mut(i) {
            *slot = Some(owner);
        }
    }

    fn claim_weather(&mut self) {
        let idx: Vec<usize> = (0..self.lines.len())
            .filter(|&i| match self.lines[i].kind {
                LineKind::Weather => true,
                LineKind::WeatherHeading => self
                    .lines
                    .get(i + 1)
                    .is_some_and(|l| l.kind == LineKind::Weather),
                _ => false,
            })
            .filter(|&i| self.free(i))
            .collect();
        if idx.is_empty() {
            return;
        }
        if idx.windows(2).any(|w| w[1] != w[0] + 1) {
            let line = self.lines[idx[0]].no;
            self.warn(
                Some(line),
                "weather lines are scattered over the page; read them as one forecast".to_owned(),
            );
        }
        let text = idx
            .iter()
            .map(|&i| self.lines[i].text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut weather = parse_weather(&text);
        weather.lines = idx.iter().map(|&i| self.lines[i].no).collect();
        if weather.high_c.is_none() && weather.low_c.is_none() {
            self.warn(
                weather.lines.first().copied(),
                "weather block has no temperature".to_owned(),
            );
        }
        for &i in &idx {
            self.claim(i, Owner::Weather);
        }
        // A note printed in the forecast's block (`比赛时段气温较低，请注意保暖。`) is part of it.
        if let Some(&last) = idx.last() {
            let mut k = last + 1;
            while k < self.lines.len()
                && self.free(k)
                && self.lines[k].block == self.lines[last].block
                && self.lines[k].kind == LineKind::Text
                && char_len(&self.lines[k].text) <= 80
                && WEATHER_NOTE.is_match(&self.lines[k].text)
            {
                self.claim(k, Owner::Weather);
                weather.lines.push(self.lines[k].no);
                k += 1;
            }
        }
        self.edition.weather = Some(weather);
    }

    /// Finds every article's byline (or dateline) and the headline just above it.
    fn claim_article_heads(&mut self) -> Vec<Draft> {
        let mut drafts = Vec::new();
        let n = self.lines.len();
        let mut i = 0;
        while i < n {
            let after_an_article = drafts.last().is_some_and(|d: &Draft| d.body_start < i);
            if after_an_article && self.starts_an_undated_brief(i) {
                // `POLICE LOG` briefs, UK pages: a headline with prose and no dateline under it.
                let id = drafts.len();
                self.claim(i, Owner::Article(id));
                drafts.push(Draft {
                    head: vec![i],
                    bylines: Vec::new(),
                    body_start: i + 1,
                });
                i += 1;
                continue;
            }
            if let Some(brief) = self.brief_under_section(i) {
                // `ARTS CALENDAR` / `Bayside Strings open winter chamber series` / prose.
                let id = drafts.len();
                for &h in &brief {
                    self.claim(h, Owner::Article(id));
                }
                drafts.push(Draft {
                    head: brief,
                    bylines: Vec::new(),
                    body_start: i + 2,
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
            while k > 0
                && head.len() < 3
                && self.free(k - 1)
                && self.lines[k - 1].is_title_like()
                && !is_date_line(&self.lines[k - 1].text)
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
            });
            // The body's first line (a dateline, often) belongs to this article.
            i = j + 1;
        }
        drafts
    }

    /// When line `i` is an English section heading in capitals, alone in its block, with a
    /// headline alone in the next block and prose after it, the heading and the headline of
    /// the first brief under it (which carries no byline or dateline of its own).
    fn brief_under_section(&self, i: usize) -> Option<Vec<usize>> {
        let alone = |k: usize| {
            (k == 0 || self.lines[k - 1].block != self.lines[k].block)
                && self
                    .lines
                    .get(k + 1)
                    .is_some_and(|l| l.block != self.lines[k].block)
        };
        let (heading, title, prose) = (
            &self.lines[i],
            self.lines.get(i + 1)?,
            self.lines.get(i + 2)?,
        );
        let is_brief = self.language == Language::En
            && heading.kind == LineKind::Text
            && CAPS_TITLE.is_match(&heading.text)
            && alone(i)
            && title.is_title_like()
            && !CAPS_TITLE.is_match(&title.text)
            && alone(i + 1)
            && prose.kind == LineKind::Text
            && (ends_sentence(&prose.text) || prose.chars() > 64)
            && (i..i + 3).all(|k| self.free(k));
        is_brief.then(|| vec![i, i + 1])
    }

    /// In English pages, a headline alone in its block between a finished paragraph and a
    /// paragraph of prose starts the next article, even with no byline or dateline (briefs,
    /// UK pages). Five words at least: a cross-head inside an article is shorter. A photo's
    /// title (a credit two blocks down) is not one.
    fn starts_an_undated_brief(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let (Some(prev), Some(next)) = (
            i.checked_sub(1).map(|k| &self.lines[k]),
            self.lines.get(i + 1),
        ) else {
            return false;
        };
        self.language == Language::En
            && self.free(i)
            && line.is_title_like()
            && !CAPS_TITLE.is_match(&line.text)
            && prev.block != line.block
            && next.block != line.block
            && matches!(prev.kind, LineKind::Text | LineKind::Dateline)
            && ends_sentence(&prev.text)
            && next.kind == LineKind::Text
            && ends_sentence(&next.text)
            // `… replace a sur` / `face lot …`: a paragraph the layout broke, not a headline.
            && !next.text.starts_with(char::is_lowercase)
            && line.text.split_whitespace().count() >= 5
            && self.lines.get(i + 2).is_none_or(|l| l.block != next.block)
            && !(i + 2..i + 4).any(|k| {
                matches!(
                    self.lines.get(k).map(|l| &l.kind),
                    Some(LineKind::PhotoCredit(_))
                )
            })
    }

    /// A line under a byline naming the writer's employer or job (`Staff Writer`).
    fn is_affiliation_line(&self, j: usize) -> bool {
        let line = &self.lines[j];
        line.kind == LineKind::Text && !ends_sentence(&line.text) && is_affiliation(&line.text)
    }

    /// Finds every photo credit and the title and caption printed above it.
    fn claim_photos(&mut self) {
        for i in 0..self.lines.len() {
            let LineKind::PhotoCredit(names) = &self.lines[i].kind else {
                continue;
            };
            if !self.free(i) {
                continue;
            }
            let photographers = names.clone();
            let mut caption_idx = Vec::new();
            let mut title_idx = None;
            let mut k = i;
            while k > 0
                && caption_idx.len() < 3
                && self.free(k - 1)
                && self.lines[k - 1].kind == LineKind::Text
            {
                k -= 1;
                if self.lines[k].is_title_like() && !caption_idx.is_empty() {
                    title_idx = Some(k);
                    break;
                }
                caption_idx.insert(0, k);
            }
            if title_idx.is_none() && caption_idx.len() > 1 {
                // No title found: only the paragraph next to the credit is surely its caption.
                caption_idx.drain(..caption_idx.len() - 1);
            }
            let credit_no = self.lines[i].no;
            if caption_idx.is_empty() {
                self.warn(
                    Some(credit_no),
                    "photo credit with no caption above it".to_owned(),
                );
            } else if title_idx.is_none() {
                self.warn(Some(credit_no), "photo has no title line".to_owned());
            }
            let caption_lines: Vec<(usize, &str)> = caption_idx
                .iter()
                .map(|&c| (self.lines[c].no, self.lines[c].text.as_str()))
                .collect();
            let caption = join_paragraphs(&caption_lines)
                .paragraphs
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join("\n");
            let mut owned: Vec<usize> = title_idx
                .into_iter()
                .chain(caption_idx.iter().copied())
                .collect();
            owned.push(i);
            let photo = Photo {
                title: title_idx.map(|t| self.lines[t].text.clone()),
                caption,
                photographers,
                lines: owned.iter().map(|&o| self.lines[o].no).collect(),
            };
            for o in owned {
                self.claim(o, Owner::Photo);
            }
            self.edition.photos.push(photo);
        }
    }

    fn claim_article_bodies(&mut self, drafts: Vec<Draft>) {
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
        for (id, draft) in drafts.iter().enumerate() {
            let limit = starts.get(id + 1).copied().unwrap_or(self.lines.len());
            let mut body = Vec::new();
            let mut jump = None;
            let mut j = draft.body_start;
            while j < limit && self.free(j) {
                let kind = &self.lines[j].kind;
                if *kind == LineKind::JumpTo {
                    // `（下转第3版）` ends what this page prints of the article.
                    jump = Some(j);
                    break;
                }
                let is_prose = *kind == LineKind::Text
                    || (*kind == LineKind::Dateline && j == draft.body_start);
                if !is_prose {
                    break;
                }
                body.push(j);
                j += 1;
            }
            for &b in body.iter().chain(&jump) {
                self.claim(b, Owner::Article(id));
            }
            let mut article = self.assemble_article(draft, &body);
            if let Some(j) = jump {
                article.lines.push(self.lines[j].no);
            }
            self.edition.articles.push(article);
        }
    }

    fn assemble_article(&mut self, draft: &Draft, body: &[usize]) -> Article {
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
        let mut joined = join_paragraphs(&refs);
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
        let parts = split_headline(&head_texts, lead, self.language);
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
            if !ends_sentence(last) {
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
            lines,
        }
    }

    fn finish(mut self) -> Edition {
        for i in 0..self.lines.len() {
            if !self.free(i) {
                continue;
            }
            let line = &self.lines[i];
            let message = if line.kind == LineKind::Overlong {
                format!(
                    "line is {} characters long, over the limit for prose; kept unclassified",
                    char_len(&line.text)
                )
            } else {
                let preview: String = line.text.chars().take(30).collect();
                format!("could not tell what this line belongs to: '{preview}'")
            };
            let (no, text) = (line.no, line.text.clone());
            self.warn(Some(no), message);
            self.edition
                .unclassified
                .push(SourceLine { line: no, text });
        }
        self.edition.warnings.sort_by_key(|w| w.line.unwrap_or(0));
        self.edition
            .notices
            .sort_by_key(|n| n.lines.first().copied().unwrap_or(0));
        self.edition
    }
}

/// Splits the dateline off a body's first paragraph: its name, any credits printed inside it
/// (`本报讯(记者 张三)`) or after it (`本报讯 记者 林朔 通讯员 蔡文静 12月6日，…`), and the
/// paragraph without them.
fn strip_dateline(text: &str, language: Language) -> (Option<String>, Vec<Credit>, String) {
    if let Some(c) = DATELINE_PREFIX_ZH.captures(text) {
        let mut credits = c
            .get(2)
            .map(|m| parse_credits(m.as_str()))
            .unwrap_or_default();
        let mut rest = &text[c.get(0).map_or(0, |m| m.end())..];
        if credits.is_empty()
            && let Some(m) = INLINE_CREDITS.find(rest)
        {
            credits = parse_credits(m.as_str());
            rest = rest[m.end()..].trim_start();
        }
        return (Some(c[1].to_owned()), credits, rest.to_owned());
    }
    if language == Language::En
        && let Some(c) = DATELINE_PREFIX_EN.captures(text)
    {
        let rest = text[c.get(0).map_or(0, |m| m.end())..].to_owned();
        return (Some(c[1].trim().to_owned()), Vec::new(), rest);
    }
    (None, Vec::new(), text.to_owned())
}
