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
}
