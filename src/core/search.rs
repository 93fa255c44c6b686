//! Searches recent digests for what a resident typed: headlines whose title or summaries
//! contain the query's words, best matches first, newest digest first on ties.

use chrono::NaiveDate;

use super::digest::{Digest, Headline};
use super::summary::Segmenter;

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The digest's date.
    pub date: NaiveDate,
    /// The matching headline.
    pub headline: Headline,
    /// How many of the query's words it contains.
    pub matched: usize,
}

/// Most hits returned.
pub const MAX_HITS: usize = 5;

/// Searches `digests` (any order) for `query`.
#[must_use]
pub fn search_digests(query: &str, digests: &[Digest], segmenter: &Segmenter) -> Vec<Hit> {
    let mut words: Vec<String> = segmenter.content_words(query);
    if words.is_empty() {
        let trimmed = query.trim().to_lowercase();
        if trimmed.is_empty() {
            return Vec::new();
        }
        words.push(trimmed);
    }
    words.sort();
    words.dedup();
    let mut hits = Vec::new();
    for digest in digests {
        for headline in &digest.headlines {
            let haystack = format!(
                "{}\n{}\n{}",
                headline.title, headline.summary, headline.summary_short
            )
            .to_lowercase();
            let matched = words
                .iter()
                .filter(|w| haystack.contains(w.as_str()))
                .count();
            if matched > 0 {
                hits.push(Hit {
                    date: digest.date,
                    headline: headline.clone(),
                    matched,
                });
            }
        }
    }
    hits.sort_by(|a, b| b.matched.cmp(&a.matched).then(b.date.cmp(&a.date)));
    hits.dedup_by(|a, b| a.headline.title == b.headline.title);
    hits.truncate(MAX_HITS);
    hits
}

/// Most items an inline answer carries (Telegram allows 50).
pub const MAX_INLINE_ITEMS: usize = 20;

/// What a found item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A headline with its summary.
    Headline,
    /// A notice.
    Notice,
}

/// A headline or notice of a recent digest that matches a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The digest's date.
    pub date: NaiveDate,
    /// Headline or notice.
    pub kind: ItemKind,
    /// Its title (a notice's first line when it has none).
    pub title: String,
    /// Its text: the summary, or the notice as printed.
    pub text: String,
    /// Relevance: query words in the title count twice.
    pub score: usize,
}

/// Headlines and notices of `digests` matching `query`, best first (title words weigh
/// double), newest first on ties, at most `limit`. An empty query gives the newest digest's
/// items.
#[must_use]
pub fn search_items(
    query: &str,
    digests: &[Digest],
    segmenter: &Segmenter,
    limit: usize,
) -> Vec<Found> {
    let mut words: Vec<String> = segmenter.content_words(query);
    words.sort();
    words.dedup();
    let mut found = Vec::new();
    let newest = digests.iter().map(|d| d.date).max();
    for digest in digests {
        let items = digest
            .headlines
            .iter()
            .map(|h| (ItemKind::Headline, h.title.clone(), h.summary.clone()))
            .chain(digest.notices.iter().map(|n| {
                let title = n
                    .title
                    .clone()
                    .unwrap_or_else(|| n.text.lines().next().unwrap_or_default().to_owned());
                (ItemKind::Notice, title, n.text.clone())
            }));
        for (kind, title, text) in items {
            let (t, b) = (title.to_lowercase(), text.to_lowercase());
            let score = if words.is_empty() {
                usize::from(Some(digest.date) == newest)
            } else {
                words
                    .iter()
                    .map(|w| {
                        2 * usize::from(t.contains(w.as_str()))
                            + usize::from(b.contains(w.as_str()))
                    })
                    .sum()
            };
            if score > 0 {
                found.push(Found {
                    date: digest.date,
                    kind,
                    title,
                    text,
                    score,
                });
            }
        }
    }
    found.sort_by(|a, b| b.score.cmp(&a.score).then(b.date.cmp(&a.date)));
    found.dedup_by(|a, b| a.title == b.title);
    found.truncate(limit);
    found
}

/// Notices of `digest` that mention every one of `subject`'s words (title or text).
#[must_use]
pub fn find_notices(subject: &[String], digest: &Digest) -> Vec<Found> {
    if subject.is_empty() {
        return Vec::new();
    }
    digest
        .notices
        .iter()
        .filter(|n| {
            let haystack =
                format!("{}\n{}", n.title.as_deref().unwrap_or(""), n.text).to_lowercase();
            subject.iter().all(|w| haystack.contains(w.as_str()))
        })
        .map(|n| Found {
            date: digest.date,
            kind: ItemKind::Notice,
            title: n
                .title
                .clone()
                .unwrap_or_else(|| n.text.lines().next().unwrap_or_default().to_owned()),
            text: n.text.clone(),
            score: subject.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(date: u32, titles: &[&str]) -> Digest {
        Digest {
            edition: "t".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, date).expect("date"),
            headlines: titles
                .iter()
                .map(|t| Headline {
                    title: (*t).to_owned(),
                    subtitle: None,
                    summary: format!("{t}。"),
                    summary_short: String::new(),
                    link: None,
                    reporters: vec![],
                })
                .collect(),
            weather: None,
            notices: vec![],
            photos: vec![],
        }
    }

    #[test]
    fn best_and_newest_matches_come_first() {
        let s = Segmenter::new();
        let digests = vec![
            digest(28, &["青溪港二期码头扩建"]),
            digest(29, &["青溪港三期码头试运行", "社区食堂开张"]),
        ];
        let hits = search_digests("码头", &digests, &s);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].headline.title, "青溪港三期码头试运行");
        assert!(search_digests("地铁", &digests, &s).is_empty());
        assert!(search_digests("   ", &digests, &s).is_empty());
    }

    #[test]
    fn items_rank_titles_first_and_include_notices() {
        let s = Segmenter::new();
        let digest = crate::core::digest::digest_edition(
            &crate::core::edition::parse_edition(crate::core::edition::SAMPLE_EDITION)
                .expect("sample"),
            NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
            "t",
            &crate::core::summary::Summarizer::new(),
        );
        let found = search_items("停水", std::slice::from_ref(&digest), &s, 5);
        assert_eq!(found.first().map(|f| f.kind), Some(ItemKind::Notice));
        assert!(found[0].text.contains("停水"));
        let harbour = search_items("码头", std::slice::from_ref(&digest), &s, 5);
        assert_eq!(harbour[0].title, "青溪港三期码头投入试运行");
        assert!(!search_items("", std::slice::from_ref(&digest), &s, 5).is_empty());
        assert!(search_items("地铁", std::slice::from_ref(&digest), &s, 5).is_empty());
    }
}
