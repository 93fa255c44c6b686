//! Reads a whole page: decides, line by line in context, which item owns each line.
//!
//! The order of the passes matters. Strong anchors go first (masthead, weather, bylines with
//! the headlines just above them, photo credits with their captions, notices); article
//! bodies then run from their byline to the next line something else owns. Every line ends
//! up owned exactly once; what nothing claims is listed as unclassified with a warning.
//! The masthead pass (and the dates a page prints) is in `layout/masthead.rs`, the notices
//! pass in `layout/notices.rs`; the rest is here.

mod articles;
mod boxes;
mod briefs;
mod capitals_boxes;
mod dateline;
mod death_notices;
mod furniture;
mod heads;
mod indented;
mod interleave;
mod masthead;
mod notices;
mod photos;
mod weather_box;

use super::lines::{Line, LineKind, split_lines};
use super::{
    Edition, EditionError, EditionStats, Language, MAX_EDITION_BYTES, SourceLine, Warning,
};
use crate::core::punctuation::{char_len, is_mostly_cjk};

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
    page.claim_furniture();
    page.claim_weather();
    page.claim_death_lists();
    let drafts = page.claim_article_heads();
    page.claim_photos();
    page.claim_notices();
    page.claim_article_bodies(drafts);
    page.claim_closing_slogan();
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
    Furniture,
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
    /// The headline is the bracketed lead (`【…】`) its body opens with; `head` is then the
    /// column heading over it, if any, read as its kicker.
    bracketed: bool,
}

struct Page {
    lines: Vec<Line>,
    owner: Vec<Option<Owner>>,
    language: Language,
    /// The page marks paragraphs by a leading indent (see `layout/indented.rs`).
    indent_page: bool,
    /// The page prints no blank line at all: blocks say nothing about its layout.
    blankless: bool,
    edition: Edition,
}

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
        let mut page = Self {
            lines,
            owner,
            language,
            indent_page: false,
            blankless: false,
            edition,
        };
        page.blankless = page.lines.last().is_some_and(|l| l.block == 0);
        page.indent_page = page.marks_paragraphs_by_indent();
        page
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
