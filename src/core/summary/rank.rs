//! Ranks an article's sentences the way a news editor would: centrality (TextRank over word
//! overlap), a lead prior (the first sentence after the dateline usually carries the news),
//! and penalties for leads that open with a quotation, a question or a scene-setting line.

use super::sentences::split_clauses;
use crate::core::punctuation::{char_len, is_opening};

/// One sentence with what the ranker needs to know about it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Position in the article.
    pub index: usize,
    /// The sentence.
    pub text: String,
    /// Its distinct content words.
    pub words: WordSet,
    /// Final score; higher is better.
    pub score: f64,
}

/// A sentence's distinct content words as sorted word ids (interned per article), so that
/// overlaps are merges of small integer lists rather than string hashing.
pub type WordSet = Vec<u32>;

/// Word ids of one article: the same word always gets the same id.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: std::collections::HashMap<String, u32>,
}

impl Vocabulary {
    /// The sorted, distinct ids of `words`, assigning new ids to new words.
    pub fn set<S: AsRef<str>>(&mut self, words: impl IntoIterator<Item = S>) -> WordSet {
        let mut set: WordSet = words
            .into_iter()
            .map(|w| {
                let next = self.ids.len() as u32;
                *self.ids.entry(w.as_ref().to_owned()).or_insert(next)
            })
            .collect();
        set.sort_unstable();
        set.dedup();
        set
    }
}

/// How many ids two sorted sets share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Weights of the ranking features.
const CENTRALITY_WEIGHT: f64 = 0.45;
const LEAD_WEIGHT: f64 = 0.55;

/// Scores each sentence. `sets[i]` are the word ids of `sentences[i]`; `title_words`, when
/// given, are the headline's, which the summary should complement rather than repeat.
pub fn rank_sentences(
    sentences: &[String],
    sets: &[WordSet],
    title_words: Option<&WordSet>,
) -> Vec<Candidate> {
    let centrality = textrank(sets);
    let median = median(&centrality);
    let mut out = Vec::with_capacity(sentences.len());
    let mut lead_rank = 0usize;
    for (i, text) in sentences.iter().enumerate() {
        let chars = char_len(text);
        let usable = chars >= 12 && !sets[i].is_empty() && !is_caption(text);
        let lead = if usable {
            lead_rank += 1;
            1.0 / lead_rank as f64
        } else {
            0.0
        };
        let mut score = CENTRALITY_WEIGHT * centrality[i] + LEAD_WEIGHT * lead;
        score *= shape_factor(text, chars);
        if lead_rank == 1 && usable && is_scene_setting(text, centrality[i], median) {
            score *= 0.6;
        }
        if let Some(title) = title_words.filter(|t| !t.is_empty()) {
            let shared = shared(&sets[i], title) as f64;
            let novel = sets[i].len() as f64 - shared;
            // Topical (shares the headline's words) but adds something of its own.
            score *= 1.0 + 0.5 * (shared / title.len() as f64).min(1.0);
            if novel < 2.0 {
                score *= 0.7;
            }
        }
        if !usable {
            score = 0.0;
        }
        out.push(Candidate {
            index: i,
            text: text.clone(),
            words: sets[i].clone(),
            score,
        });
    }
    out
}

/// A photo caption or credit left in the text (`■…`, `图为…`, `(图片来源…)`).
fn is_caption(text: &str) -> bool {
    text.starts_with(['■', '□', '▲', '△', '◆'])
        || text.starts_with("图为")
        || text.starts_with("图:")
        || text.starts_with("图：")
}

/// Penalties for sentence shapes that make poor summaries.
fn shape_factor(text: &str, chars: usize) -> f64 {
    let mut factor = 1.0;
    if text.chars().next().is_some_and(is_opening) && text.starts_with(['“', '"', '「', '‘']) {
        factor *= 0.55;
    }
    if text.ends_with(['？', '?']) {
        factor *= 0.5;
    }
    if text.ends_with(['：', ':']) {
        factor *= 0.5;
    }
    if chars > 160 {
        factor *= 0.8;
    }
    if split_clauses(text).len() > 8 {
        factor *= 0.85;
    }
    factor
}

/// A lead that only sets the scene: no figures, and less central than most sentences.
fn is_scene_setting(text: &str, centrality: f64, median: f64) -> bool {
    !text.chars().any(|c| c.is_ascii_digit()) && centrality < 0.5 * median
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// TextRank over sentences: similarity is shared words over the log of the lengths. Scores are
/// scaled so the most central sentence has 1.
pub fn textrank(sets: &[WordSet]) -> Vec<f64> {
    let n = sets.len();
    if n == 0 {
        return Vec::new();
    }
    let mut weights = vec![vec![0.0f64; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (sets[i].len(), sets[j].len());
            if a < 2 || b < 2 {
                continue;
            }
            let shared = shared(&sets[i], &sets[j]) as f64;
            if shared > 0.0 {
                let w = shared / ((a as f64).ln() + (b as f64).ln());
                weights[i][j] = w;
                weights[j][i] = w;
            }
        }
    }
    let out_sums: Vec<f64> = weights.iter().map(|row| row.iter().sum()).collect();
    let mut scores = vec![1.0f64; n];
    for _ in 0..30 {
        let next: Vec<f64> = (0..n)
            .map(|i| {
                let inflow: f64 = (0..n)
                    .filter(|&j| out_sums[j] > 0.0)
                    .map(|j| weights[j][i] / out_sums[j] * scores[j])
                    .sum();
                0.15 + 0.85 * inflow
            })
            .collect();
        scores = next;
    }
    let max = scores.iter().copied().fold(0.0, f64::max);
    if max > 0.0 {
        scores.iter_mut().for_each(|s| *s /= max);
    }
    scores
}

/// Word-overlap similarity of two sentences, 0 to 1.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    shared(a, b) as f64 / smaller as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_sharing_most_is_most_central() {
        let mut v = Vocabulary::default();
        let sets = vec![
            v.set(["桥", "通车", "市民"]),
            v.set(["桥", "通车", "航道", "市民"]),
            v.set(["天气", "晴朗"]),
        ];
        let scores = textrank(&sets);
        assert!(scores[1] >= scores[0] && scores[0] > scores[2]);
    }

    #[test]
    fn a_quoted_lead_loses_to_the_news_sentence_after_it() {
        let sentences = vec![
            "“企业需要什么,我们就给什么。”".to_owned(),
            "日前,平湖市企业综合服务中心正式挂牌成立,提供一站式服务。".to_owned(),
        ];
        let mut v = Vocabulary::default();
        let words = vec![
            v.set(["企业", "需要", "什么", "就给"]),
            v.set([
                "平湖市",
                "企业",
                "综合",
                "服务中心",
                "挂牌",
                "成立",
                "一站式",
            ]),
        ];
        let ranked = rank_sentences(&sentences, &words, None);
        assert!(ranked[1].score > ranked[0].score, "{ranked:?}");
    }
}
