//! The embedded extractive summariser, Chinese first and English too. It picks the sentence
//! that carries the news and shortens it at clause boundaries, so every word of a summary,
//! and above all every figure, name and phone number, is copied from the article.
//!
//! Two outputs: a one-sentence summary (at most 60 characters for Chinese where the article
//! allows) and a short summary of two or three sentences (at most 150 characters).

pub mod batch;
pub mod facts;
mod rank;
pub mod sentences;
mod short;
mod trim;
mod words;

use serde::{Deserialize, Serialize};

pub use words::{Segmenter, is_content_word};

use self::rank::{Vocabulary, WordSet, rank_sentences};
use self::sentences::split_sentences;
use self::short::compose_short;
use self::trim::{drop_leading_fillers, fit_clauses, strip_preamble};
use crate::core::edition::Article;
use crate::core::punctuation::{ends_sentence, is_mostly_cjk};

/// Character budgets for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Hard limit of the one-sentence summary.
    pub one_sentence: usize,
    /// Length the one-sentence summary stops growing at, once reached.
    pub one_sentence_soft: usize,
    /// Hard limit of the short summary.
    pub short: usize,
}

/// Budgets for Chinese text, in characters.
pub const ZH_BUDGETS: Budgets = Budgets {
    one_sentence: 60,
    one_sentence_soft: 36,
    short: 150,
};
/// Budgets for English text, in characters.
pub const EN_BUDGETS: Budgets = Budgets {
    one_sentence: 160,
    one_sentence_soft: 110,
    short: 400,
};

/// Most sentences ranked per article. News puts what matters first, and ranking is
/// quadratic in sentences, so a 60,000-sentence input costs what a long article does.
pub const MAX_RANKED_SENTENCES: usize = 400;

/// Most bytes of an article read for its summary (a long article is 20 KiB); the sentences
/// ranked come from this prefix.
pub const MAX_SUMMARISED_BYTES: usize = 256 * 1024;

/// The summaries of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// One sentence.
    pub one_sentence: String,
    /// Two or three sentences.
    pub short: String,
}

/// The summariser. Holds the word segmenter; build it once and share it.
#[derive(Debug, Default)]
pub struct Summarizer {
    segmenter: Segmenter,
}

impl Summarizer {
    /// Loads the dictionary and builds a summariser.
    #[must_use]
    pub fn new() -> Self {
        Self {
            segmenter: Segmenter::new(),
        }
    }

    /// The word segmenter, for callers that also need words (search).
    #[must_use]
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Summarises an article of the edition (title plus paragraphs).
    #[must_use]
    pub fn summarize_article(&self, article: &Article) -> Summary {
        let title = (!article.title.is_empty()).then_some(article.title.as_str());
        self.summarize(title, &article.paragraphs.join("\n"))
    }

    /// Summarises `text`; `title`, when given, is the headline the summary sits under, so the
    /// summary prefers sentences that add to it.
    #[must_use]
    pub fn summarize(&self, title: Option<&str>, text: &str) -> Summary {
        let text = strip_preamble(prefix(text.trim(), MAX_SUMMARISED_BYTES));
        let budgets = if is_mostly_cjk(text) {
            ZH_BUDGETS
        } else {
            EN_BUDGETS
        };
        let mut sentences = split_sentences(text);
        sentences.truncate(MAX_RANKED_SENTENCES);
        if sentences.is_empty() {
            return Summary::default();
        }
        let mut vocabulary = Vocabulary::default();
        let words: Vec<WordSet> = sentences
            .iter()
            .map(|s| vocabulary.set(self.segmenter.content_words(s)))
            .collect();
        let title_words: Option<WordSet> =
            title.map(|t| vocabulary.set(self.segmenter.content_words(t)));
        let ranked = rank_sentences(&sentences, &words, title_words.as_ref());
        let Some(best) = ranked
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score).then(b.index.cmp(&a.index)))
        else {
            return Summary::default();
        };
        let one_sentence = fit_clauses(
            &drop_leading_fillers(&best.text),
            budgets.one_sentence_soft,
            budgets.one_sentence,
            &self.segmenter,
        );
        let short = compose_short(&ranked, best, budgets.short, &self.segmenter);
        Summary {
            one_sentence,
            short,
        }
    }
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Joins separate sentences: nothing between finished Chinese sentences, a space anywhere
/// else, so two fragments never fuse into a new word or figure (`…9` + `.2…` is not `9.2`).
pub(super) fn join_sentences<'a>(sentences: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for sentence in sentences {
        let ascii_seam =
            out.ends_with(|c: char| c.is_ascii()) && sentence.starts_with(|c: char| c.is_ascii());
        let tight = out.is_empty()
            || (ends_sentence(&out)
                && is_mostly_cjk(&out)
                && is_mostly_cjk(sentence)
                && !ascii_seam);
        if !tight {
            out.push(' ');
        }
        out.push_str(sentence);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_sentences_never_fuse() {
        assert_eq!(
            join_sentences(["会议召开。", "市长出席。"].into_iter()),
            "会议召开。市长出席。"
        );
        assert_eq!(
            join_sentences(["共有9", ".2万人参加"].into_iter()),
            "共有9 .2万人参加"
        );
        assert_eq!(
            join_sentences(["共有00.", "0人参加。"].into_iter()),
            "共有00. 0人参加。"
        );
        assert_eq!(
            join_sentences(["It opened.", "It is wide."].into_iter()),
            "It opened. It is wide."
        );
    }
    use crate::core::punctuation::char_len;
    use crate::core::summary::facts::{facts_in, unsupported_facts};

    const BRIDGE: &str = "昨天上午,浙北集装箱通道平湖段盐平塘大桥通车仪式举行,市委常委、副市长莫放路,市政协副主席沈幼锋出席。\n盐平塘大桥位于金平湖大道上,于2022年10月开工建设,是林埭镇、乍浦镇等乡镇进入平湖市区的主要通道。如今,该项目更是提前10个月实现了通车。\n新建的盐平塘大桥全长190米,净高由5.5米抬升至7米,可满足64标箱1000吨级货船通航。";

    #[test]
    fn one_sentence_summary_is_short_and_copied() {
        let s = Summarizer::new();
        let summary = s.summarize(None, BRIDGE);
        assert!(
            char_len(&summary.one_sentence) <= 60,
            "{}",
            summary.one_sentence
        );
        assert!(
            summary.one_sentence.contains("盐平塘大桥通车仪式举行"),
            "{}",
            summary.one_sentence
        );
        assert!(!summary.one_sentence.starts_with("昨天"));
        assert!(unsupported_facts(&summary.one_sentence, BRIDGE).is_empty());
    }

    #[test]
    fn short_summary_has_two_or_three_sentences_within_150() {
        let s = Summarizer::new();
        let summary = s.summarize(Some("盐平塘大桥昨日通车"), BRIDGE);
        assert!(char_len(&summary.short) <= 150, "{}", summary.short);
        let count = split_sentences(&summary.short).len();
        assert!((2..=3).contains(&count), "{}", summary.short);
        assert!(unsupported_facts(&summary.short, BRIDGE).is_empty());
    }

    #[test]
    fn only_the_opening_sentences_of_a_huge_article_are_ranked() {
        let s = Summarizer::new();
        let mut text = String::from("青溪港三期码头昨日投入试运行,首艘集装箱船顺利靠泊。\n");
        for i in 0..20_000 {
            text.push_str(&format!("第{i}句话说了一件小事。"));
        }
        let summary = s.summarize(Some("青溪港三期码头投入试运行"), &text);
        // Whatever it picks comes from the first sentences.
        for figure in facts_in(&summary.short) {
            let n: usize = figure.parse().unwrap_or(0);
            assert!(n < MAX_RANKED_SENTENCES, "{}", summary.short);
        }
        assert_eq!(prefix("平湖", 4), "平");
    }

    #[test]
    fn empty_and_tiny_texts_do_not_panic() {
        let s = Summarizer::new();
        assert_eq!(s.summarize(None, ""), Summary::default());
        let tiny = s.summarize(None, "好。");
        assert!(char_len(&tiny.one_sentence) <= 60);
    }

    #[test]
    fn english_articles_are_summarised_too() {
        let s = Summarizer::new();
        let text = "The Old Mill Bridge reopened to traffic on Saturday, two months ahead of schedule, after an $8.4 million rebuild. \"We promised the east side,\" Mayor Ann Ortiz said. The bridge now carries four lanes.";
        let summary = s.summarize(None, text);
        assert!(
            summary
                .one_sentence
                .starts_with("The Old Mill Bridge reopened"),
            "{}",
            summary.one_sentence
        );
        assert!(summary.short.contains("four lanes") || summary.short.contains("$8.4 million"));
    }
}
