//! Continued articles joined: an article that jumps to another page takes the text of the
//! article there that comes from its page, in order, with a cut sentence re-joined.

use super::PageJump;
use crate::core::edition::{Article, Edition, Warning};
use crate::core::punctuation::ends_sentence;

/// Joins each article that jumps to another page with the article there that it goes on in.
pub(super) fn join_continued(edition: &mut Edition) {
    let mut index = 0;
    while index < edition.articles.len() {
        let Some(jump) = edition.articles[index].jump_to.clone() else {
            index += 1;
            continue;
        };
        match continuation_of(&edition.articles, index, &jump) {
            Some(found) => {
                let rest = edition.articles.remove(found);
                let at = if found < index { index - 1 } else { index };
                join_into(&mut edition.articles[at], rest);
                edition.stats.rejoined_breaks += 1;
                // The joined article may jump again (page 1 → 3 → 5).
                index = at;
            }
            None => {
                let article = &mut edition.articles[index];
                edition.warnings.push(Warning {
                    line: None,
                    message: format!(
                        "'{}' continues on page {}, which is not in this edition",
                        article.title, jump.page
                    ),
                });
                article.jump_to = None;
                index += 1;
            }
        }
    }
}

/// The article on `jump`'s page that article `from` goes on in: the one whose own jump line
/// points back to `from`'s page and, when the jump has a key word, whose title or key carries
/// it; of several, the one whose title shares most with `from`'s.
fn continuation_of(articles: &[Article], from: usize, jump: &PageJump) -> Option<usize> {
    let source = &articles[from];
    let source_page = source.page.as_ref().map(|p| p.number.as_str());
    let key = jump.key.as_deref().map(str::to_lowercase);
    let on_page = |a: &Article| a.page.as_ref().is_some_and(|p| p.number == jump.page);
    let keyed = |a: &Article| {
        key.as_deref().is_none_or(|key| {
            a.title.to_lowercase().contains(key)
                || a.jump_from
                    .as_ref()
                    .and_then(|j| j.key.as_deref())
                    .is_some_and(|k| k.to_lowercase() == key)
        })
    };
    let candidates: Vec<usize> = articles
        .iter()
        .enumerate()
        .filter(|&(i, a)| i != from && on_page(a) && keyed(a))
        .filter(|(_, a)| {
            a.jump_from
                .as_ref()
                .is_some_and(|j| source_page.is_none_or(|p| p == j.page))
                || (key.is_some()
                    && a.title
                        .to_lowercase()
                        .starts_with(key.as_deref().unwrap_or("")))
        })
        .map(|(i, _)| i)
        .collect();
    candidates
        .into_iter()
        .max_by_key(|&i| shared_characters(&source.title, &articles[i].title))
}

/// Characters two titles share (letters and digits, case folded), for choosing between
/// continuations.
fn shared_characters(a: &str, b: &str) -> usize {
    let b: Vec<char> = b
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    a.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() && b.contains(c))
        .count()
}

/// Appends `rest` (the part printed on another page) to `article`: a sentence cut by the
/// jump is re-joined, a word hyphenated across it made whole, new credits added.
fn join_into(article: &mut Article, rest: Article) {
    let mut paragraphs = rest.paragraphs.into_iter();
    if let (Some(last), Some(first)) = (article.paragraphs.last_mut(), paragraphs.next()) {
        if ends_sentence(last) {
            article.paragraphs.push(first);
        } else {
            join_text(last, &first);
        }
    }
    article.paragraphs.extend(paragraphs);
    for credit in rest.credits {
        if !article.credits.contains(&credit) {
            article.credits.push(credit);
        }
    }
    for reporter in rest.reporters {
        if !article.reporters.contains(&reporter) {
            article.reporters.push(reporter);
        }
    }
    article.rejoined_breaks += rest.rejoined_breaks + 1;
    article.jump_to = rest.jump_to;
}

/// `last` + `next` as one sentence: no space between Chinese text, a space between words,
/// none where a word was hyphenated at the jump.
fn join_text(last: &mut String, next: &str) {
    let next = next.trim_start();
    let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
    if let Some(stem) = last.strip_suffix('-')
        && stem.ends_with(|c: char| c.is_ascii_lowercase())
        && next.starts_with(|c: char| c.is_ascii_lowercase())
    {
        let stem_len = stem.len();
        last.truncate(stem_len);
    } else if !(wide(last.chars().last()) || wide(next.chars().next())) {
        last.push(' ');
    }
    last.push_str(next);
}
