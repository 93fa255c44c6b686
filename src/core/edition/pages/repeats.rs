//! A story printed twice (on two pages, or in the paper and in a feed) listed once, with the
//! fuller text and any link.

use crate::core::edition::{Article, Edition};
use crate::core::punctuation::char_len;

/// The title reduced to what identifies it: letters and digits, case folded.
fn title_key(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Lists an article printed twice (on two pages, or in the paper and a feed) once, keeping
/// the fuller copy where the first one stood.
pub fn list_repeats_once(edition: &mut Edition) {
    let mut kept: Vec<Article> = Vec::with_capacity(edition.articles.len());
    for article in std::mem::take(&mut edition.articles) {
        let key = title_key(&article.title);
        let same = kept.iter().position(|k| {
            !key.is_empty() && title_key(&k.title) == key && bodies_agree(k, &article)
        });
        match same {
            Some(at) => {
                let text_len =
                    |a: &Article| a.paragraphs.iter().map(|p| char_len(p)).sum::<usize>();
                if text_len(&article) > text_len(&kept[at]) {
                    let page = kept[at].page.clone();
                    let link = kept[at].link.clone();
                    kept[at] = Article {
                        page: page.or(article.page.clone()),
                        link: article.link.clone().or(link),
                        ..article
                    };
                } else if kept[at].link.is_none() {
                    kept[at].link = article.link;
                }
            }
            None => kept.push(article),
        }
    }
    edition.articles = kept;
}

/// True when two articles with one title tell one story: either has no text yet, or their
/// openings agree.
fn bodies_agree(a: &Article, b: &Article) -> bool {
    let opening = |x: &Article| -> String {
        x.paragraphs
            .iter()
            .flat_map(|p| p.chars())
            .filter(|c| c.is_alphanumeric())
            .take(24)
            .collect()
    };
    let (a, b) = (opening(a), opening(b));
    a.is_empty() || b.is_empty() || a.starts_with(&b) || b.starts_with(&a) || {
        let shorter = a.chars().count().min(b.chars().count());
        let same = a.chars().zip(b.chars()).filter(|(x, y)| x == y).count();
        same * 4 >= shorter * 3
    }
}
