//! Searches recent digests for what a resident typed: headlines and notices containing the
//! query's words in either language (title words weigh double), best first, newest first on
//! ties; pages of results with the matching sentence highlighted; notices about a named
//! subject.

use chrono::NaiveDate;

use super::dictionary::Dictionary;
use super::digest::{Digest, escape_html};
use super::query_terms::{QueryTerm, all_forms, query_terms};
use super::summary::Segmenter;

/// Most items an inline answer carries (Telegram allows 50).
pub const MAX_INLINE_ITEMS: usize = 20;

/// What a found item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A headline with its summary.
    Headline,
    /// A notice.
    Notice,
    /// A photo item (its title, or its caption's start, and the caption).
    Photo,
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
    /// The kicker printed above an article's title, if any.
    pub kicker: Option<String>,
    /// The subtitle printed below it, if any.
    pub subtitle: Option<String>,
    /// Its text: the summary, or the notice as printed.
    pub text: String,
    /// Relevance: query words in the title count twice.
    pub score: usize,
    /// Link to the article online, if any.
    pub link: Option<String>,
    /// Its title in English, when a checked translation was kept with the digest.
    pub english_title: Option<String>,
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
    let mut seen = Vec::new();
    words.retain(|w| {
        let new = !seen.contains(w);
        seen.push(w.clone());
        new
    });
    let terms = query_terms(&words, Dictionary::embedded());
    let mut found = Vec::new();
    let newest = digests.iter().map(|d| d.date).max();
    for digest in digests {
        for item in candidates(digest) {
            // Title words weigh double; the kicker and subtitle are read with the title.
            let t = format!(
                "{}\n{}\n{}",
                item.kicker.as_deref().unwrap_or(""),
                item.title,
                item.subtitle.unwrap_or("")
            )
            .to_lowercase();
            let b = item.text.to_lowercase();
            let paragraphs: Vec<String> = item.printed.iter().map(|p| p.to_lowercase()).collect();
            // A word is found in the summary, or else in the article kept whole.
            let in_body =
                |term: &QueryTerm| term.found_in(&b) || paragraphs.iter().any(|p| term.found_in(p));
            let score = if terms.is_empty() {
                usize::from(Some(digest.date) == newest)
            } else {
                terms
                    .iter()
                    .map(|term| 2 * usize::from(term.found_in(&t)) + usize::from(in_body(term)))
                    .sum()
            };
            if score == 0 {
                continue;
            }
            let mut text = item.text;
            // Found only in the article: its paragraph with most of the words is shown.
            if !terms.iter().any(|term| term.found_in(&b)) {
                let hits = |p: &String| terms.iter().filter(|term| term.found_in(p)).count();
                if let Some(at) = (0..paragraphs.len())
                    .filter(|&i| hits(&paragraphs[i]) > 0)
                    .max_by_key(|&i| (hits(&paragraphs[i]), std::cmp::Reverse(i)))
                {
                    text.clone_from(&item.printed[at]);
                }
            }
            found.push(Found {
                date: digest.date,
                kind: item.kind,
                title: item.title,
                kicker: item.kicker,
                subtitle: item.subtitle.map(str::to_owned),
                text,
                score,
                link: item.link,
                english_title: item.english_title,
            });
        }
    }
    found.sort_by(|a, b| b.score.cmp(&a.score).then(b.date.cmp(&a.date)));
    found.dedup_by(|a, b| a.title == b.title);
    found.truncate(limit);
    found
}

/// An item of a digest as a search reads it.
struct Candidate<'a> {
    kind: ItemKind,
    title: String,
    kicker: Option<String>,
    subtitle: Option<&'a str>,
    /// The summary, the notice as printed, or the caption.
    text: String,
    /// The article as printed, paragraph by paragraph (empty for others).
    printed: &'a [String],
    link: Option<String>,
    english_title: Option<String>,
}

/// The headlines, notices and photo items of `digest`, as a search reads them.
fn candidates(digest: &Digest) -> Vec<Candidate<'_>> {
    let headlines = digest.headlines.iter().map(|h| Candidate {
        kind: ItemKind::Headline,
        title: h.title.clone(),
        kicker: h.kicker.clone(),
        subtitle: h.subtitle.as_deref(),
        text: if h.summary_short.is_empty() {
            h.summary.clone()
        } else {
            h.summary_short.clone()
        },
        printed: &h.paragraphs,
        link: h.link.clone(),
        english_title: h.english.as_ref().map(|e| e.title.clone()),
    });
    let notices = digest.notices.iter().map(|n| Candidate {
        kind: ItemKind::Notice,
        title: n.shown_title().to_owned(),
        kicker: None,
        subtitle: None,
        text: n.text.clone(),
        printed: &[],
        link: None,
        english_title: None,
    });
    let photos = digest.photos.iter().map(|p| Candidate {
        kind: ItemKind::Photo,
        title: p
            .title
            .clone()
            .unwrap_or_else(|| crate::core::prose::title_from_text(&p.caption, 20)),
        kicker: None,
        subtitle: None,
        text: p.caption.clone(),
        printed: &[],
        link: None,
        english_title: None,
    });
    headlines.chain(notices).chain(photos).collect()
}

/// Results shown per page of a search.
pub const PAGE_SIZE: usize = 5;
/// Results a search keeps (four pages).
pub const MAX_RESULTS: usize = 20;

/// One page of a search's results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// This page's items.
    pub items: Vec<Found>,
    /// This page, from 0.
    pub page: usize,
    /// How many pages there are.
    pub pages: usize,
    /// The query's words and their translations, for highlighting.
    pub words: Vec<String>,
}

/// Page `page` (from 0; past the end gives the last) of the results for `query`.
#[must_use]
pub fn search_page(
    query: &str,
    digests: &[Digest],
    segmenter: &Segmenter,
    page: usize,
) -> SearchPage {
    let mut words = segmenter.content_words(query);
    if words.is_empty() && !query.trim().is_empty() {
        words.push(query.trim().to_lowercase());
    }
    let all = if words.is_empty() {
        Vec::new()
    } else {
        search_items(&words.join(" "), digests, segmenter, MAX_RESULTS)
    };
    let pages = all.len().div_ceil(PAGE_SIZE);
    let page = page.min(pages.saturating_sub(1));
    SearchPage {
        items: all
            .into_iter()
            .skip(page * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect(),
        page,
        pages,
        words: all_forms(&query_terms(&words, Dictionary::embedded())),
    }
}

/// The sentence of `text` with most of `words`, HTML-escaped, with each word in bold.
#[must_use]
pub fn matching_sentence(text: &str, words: &[String]) -> String {
    let sentences = crate::core::summary::sentences::split_sentences(text);
    let count = |s: &str| {
        let lower = s.to_lowercase();
        words.iter().filter(|w| lower.contains(w.as_str())).count()
    };
    let best = sentences
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .max_by_key(|s| count(s))
        .unwrap_or("");
    // Mark the words' byte ranges in the sentence, merge overlaps, then escape around them,
    // so tags never land inside a word or another tag.
    let lower = best.to_lowercase();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    if lower.len() == best.len() {
        for word in words.iter().filter(|w| !w.is_empty()) {
            let mut from = 0;
            while let Some(at) = lower[from..].find(word.as_str()) {
                let start = from + at;
                ranges.push((start, start + word.len()));
                from = start + word.len();
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut html = String::new();
    let mut at = 0;
    for (start, end) in merged {
        if !best.is_char_boundary(start) || !best.is_char_boundary(end) {
            continue;
        }
        html.push_str(&escape_html(&best[at..start]));
        html.push_str(&format!("<b>{}</b>", escape_html(&best[start..end])));
        at = end;
    }
    html.push_str(&escape_html(&best[at..]));
    html
}

/// Notices of `digest` that mention every one of `subject`'s words (title or text), in
/// either language.
#[must_use]
pub fn find_notices(subject: &[String], digest: &Digest) -> Vec<Found> {
    if subject.is_empty() {
        return Vec::new();
    }
    let terms: Vec<QueryTerm> = query_terms(subject, Dictionary::embedded());
    digest
        .notices
        .iter()
        .filter(|n| {
            let haystack =
                format!("{}\n{}", n.title.as_deref().unwrap_or(""), n.text).to_lowercase();
            terms.iter().all(|term| term.found_in(&haystack))
        })
        .map(|n| Found {
            date: digest.date,
            kind: ItemKind::Notice,
            title: n.shown_title().to_owned(),
            text: n.text.clone(),
            score: subject.len(),
            kicker: None,
            subtitle: None,
            link: None,
            english_title: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::digest::Headline;

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
                    page: None,
                    kicker: None,
                    dateline: None,
                    paragraphs: vec![],
                    english: None,
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
        let hits = search_items("码头", &digests, &s, 5);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].title, "青溪港三期码头试运行");
        assert!(search_items("地铁", &digests, &s, 5).is_empty());
        assert!(search_page("   ", &digests, &s, 0).items.is_empty());
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
        let page = search_page("码头", std::slice::from_ref(&digest), &s, 9);
        assert_eq!((page.page, page.pages), (0, 1));
        assert_eq!(
            matching_sentence("昨天开会。青溪港三期码头投入试运行。其他。", &page.words),
            "青溪港三期<b>码头</b>投入试运行。"
        );
        let words = vec!["b".to_owned(), "a < b".to_owned()];
        assert_eq!(
            matching_sentence("x a < b y", &words),
            "x <b>a &lt; b</b> y"
        );
    }
}
