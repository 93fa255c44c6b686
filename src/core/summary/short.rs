//! The short summary: the news sentence first, then the sentences that add most of what it
//! does not already say (figures, places, names, dates), each trimmed of its time filler and
//! attribution, never repeating content, within the character budget.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::facts::facts_in;
use super::rank::{Candidate, similarity};
use super::trim::{drop_leading_fillers, fit_clauses};
use super::words::Segmenter;
use crate::core::punctuation::char_len;

/// Most sentences in a short summary.
const MAX_SENTENCES: usize = 3;
/// Share of a candidate's content words that must be new for it to be worth adding.
const MIN_NOVELTY: f64 = 0.5;
/// Weight of each new figure against the ranker's score.
const FACT_WEIGHT: f64 = 0.12;
/// Most new figures that count towards a sentence's value.
const FACT_CAP: usize = 4;
/// Shortest addition worth its place, in characters.
const MIN_ADDITION: usize = 12;

/// A leading `X说,` / `X表示,` / `会上,`: who said it or where, not what.
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[^，,。:：“”\s]{1,16}?(?:说|称|强调|认为|表示|指出|介绍|提到)|会上|会议上|活动中|现场)[,，:：]\s*")
        .expect("static regex")
});

/// A piece of the summary with where it came from.
struct Piece {
    index: usize,
    text: String,
}

/// What the summary already says: its content word ids and its figures.
#[derive(Default)]
struct Covered {
    words: HashSet<u32>,
    facts: HashSet<String>,
}

impl Covered {
    fn add(&mut self, words: &[u32], text: &str) {
        self.words.extend(words.iter().copied());
        self.facts.extend(facts_in(text));
    }

    fn novelty(&self, words: &[u32]) -> f64 {
        if words.is_empty() {
            return 0.0;
        }
        let new = words.iter().filter(|w| !self.words.contains(w)).count();
        new as f64 / words.len() as f64
    }

    fn new_facts(&self, text: &str) -> usize {
        facts_in(text)
            .into_iter()
            .filter(|f| !self.facts.contains(f))
            .collect::<HashSet<_>>()
            .len()
    }
}

/// Builds the short summary from the ranked sentences. `best` is the sentence the
/// one-sentence summary came from; it opens the short one, trimmed of its fillers.
pub fn compose_short(
    ranked: &[Candidate],
    best: &Candidate,
    budget: usize,
    segmenter: &Segmenter,
) -> String {
    let opening = drop_leading_fillers(&best.text);
    let opening = if char_len(&opening) > budget * 2 / 3 {
        fit_clauses(&opening, budget / 2, budget * 2 / 3, segmenter)
    } else {
        opening
    };
    let mut used = char_len(&opening);
    let mut covered = Covered::default();
    covered.add(&best.words, &opening);
    let mut pieces = vec![Piece {
        index: best.index,
        text: opening,
    }];
    let mut chosen_words: Vec<&[u32]> = vec![&best.words];
    while pieces.len() < MAX_SENTENCES && used + MIN_ADDITION <= budget {
        let room = budget - used;
        let mut pick: Option<(f64, &Candidate, String)> = None;
        for candidate in ranked {
            if candidate.score <= 0.0 || pieces.iter().any(|p| p.index == candidate.index) {
                continue;
            }
            if chosen_words
                .iter()
                .any(|w| similarity(w, &candidate.words) > 0.5)
            {
                continue;
            }
            let novelty = covered.novelty(&candidate.words);
            if novelty < MIN_NOVELTY {
                continue;
            }
            let Some(text) = fitted(&candidate.text, room, segmenter) else {
                continue;
            };
            let facts = covered.new_facts(&text).min(FACT_CAP);
            let kept = char_len(&text) as f64 / char_len(&candidate.text).max(1) as f64;
            let value = candidate.score * novelty * kept.sqrt() + FACT_WEIGHT * facts as f64;
            if pick.as_ref().is_none_or(|(v, _, _)| value > *v) {
                pick = Some((value, candidate, text));
            }
        }
        let Some((_, candidate, text)) = pick else {
            break;
        };
        used += char_len(&text);
        covered.add(&candidate.words, &text);
        chosen_words.push(&candidate.words);
        pieces.push(Piece {
            index: candidate.index,
            text,
        });
    }
    // The news sentence stays first; what it adds follows in article order.
    pieces[1..].sort_by_key(|p| p.index);
    let text = super::join_sentences(pieces.iter().map(|p| p.text.as_str()));
    if char_len(&text) <= budget {
        text
    } else {
        // The spaces that join English sentences can tip it over.
        fit_clauses(&text, budget, budget, segmenter)
    }
}

/// The sentence without its leading time or source clauses, cut at clause boundaries to fit
/// `room`; `None` when not even one whole clause fits.
fn fitted(sentence: &str, room: usize, segmenter: &Segmenter) -> Option<String> {
    if sentence.starts_with(['“', '"', '「', '‘']) {
        // A quotation sets a scene; it does not add facts a reader acts on.
        return None;
    }
    let text = drop_leading_fillers(&ATTRIBUTION.replace(sentence, ""));
    if char_len(&text) <= room {
        return (char_len(&text) >= MIN_ADDITION).then_some(text);
    }
    let cut = fit_clauses(&text, room, room, segmenter);
    (!cut.ends_with('…') && char_len(&cut) >= MIN_ADDITION && char_len(&cut) <= room).then_some(cut)
}
