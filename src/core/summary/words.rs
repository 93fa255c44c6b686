//! Word segmentation: jieba for Chinese runs, Unicode word boundaries for everything else,
//! with function words dropped so that what remains carries meaning.

use jieba_rs::Jieba;
use unicode_segmentation::UnicodeSegmentation;

use crate::core::punctuation::is_cjk;

/// Chinese function words and fillers that say nothing about the news.
const ZH_STOPWORDS: &[&str] = &[
    "的", "了", "和", "是", "在", "也", "有", "与", "及", "等", "对", "为", "将", "把", "被", "从",
    "以", "这", "那", "就", "都", "而", "并", "其", "之", "于", "上", "中", "下", "个", "着", "还",
    "又", "或", "但", "让", "向", "到", "由", "给", "我们", "他们", "她们", "你们", "我", "你",
    "他", "她", "它", "一", "不", "没有", "要", "会", "能", "可", "可以", "已", "已经", "所", "该",
    "此", "各", "这个", "这些", "那些", "一些", "一个", "进行", "通过", "以及", "同时", "表示",
    "介绍", "说", "称", "据", "记者", "目前", "近日", "日前", "今年", "昨天", "今天", "上午",
    "下午", "晚上", "时", "后", "前", "来", "去", "地", "得", "更", "很", "最", "再", "因", "因为",
    "所以", "如果", "但是", "而且", "其中", "对于", "关于",
];

/// English function words.
const EN_STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "said", "says",
    "will", "would", "has", "have", "had", "not", "no", "so", "than", "then", "there", "which",
    "who", "what", "when", "also", "into", "about", "after", "before", "over", "more",
];

/// Splits text into content words. Holds jieba's dictionary, so build one and share it.
pub struct Segmenter {
    jieba: Jieba,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// Loads jieba's embedded dictionary (the costly step; a few hundred milliseconds).
    #[must_use]
    pub fn new() -> Self {
        Self {
            jieba: Jieba::new(),
        }
    }

    /// Every word of `text` in order, stop words included, lower-cased for Latin script.
    #[must_use]
    pub fn words(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (is_chinese, run) in script_runs(text) {
            if is_chinese {
                out.extend(
                    self.jieba
                        .cut(run, false)
                        .into_iter()
                        .map(|t| t.word.to_owned()),
                );
            } else {
                out.extend(run.unicode_words().map(str::to_lowercase));
            }
        }
        out
    }

    /// Content words of `text`: [`Self::words`] without stop words and punctuation.
    #[must_use]
    pub fn content_words(&self, text: &str) -> Vec<String> {
        self.words(text)
            .into_iter()
            .filter(|w| is_content_word(w))
            .collect()
    }

    /// Byte offsets where words of `text` end, for cutting text without splitting a word.
    #[must_use]
    pub fn word_ends(&self, text: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut offset = 0;
        for (is_chinese, run) in script_runs(text) {
            if is_chinese {
                ends.extend(
                    self.jieba
                        .cut(run, false)
                        .into_iter()
                        .map(|t| offset + t.byte_end),
                );
            } else {
                ends.extend(
                    run.split_word_bound_indices()
                        .map(|(i, w)| offset + i + w.len()),
                );
            }
            offset += run.len();
        }
        ends
    }
}

/// True for a word worth counting: has a letter or digit and is not a stop word.
#[must_use]
pub fn is_content_word(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
        && !ZH_STOPWORDS.contains(&word)
        && !EN_STOPWORDS.contains(&word)
}

/// Splits text into maximal runs of Chinese (ideographs) and other characters.
fn script_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let chinese = is_cjk(c);
        match current {
            Some(kind) if kind != chinese => {
                runs.push((kind, &text[start..i]));
                start = i;
                current = Some(chinese);
            }
            None => current = Some(chinese),
            _ => {}
        }
    }
    if let Some(kind) = current {
        runs.push((kind, &text[start..]));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_english_runs_are_segmented_by_their_own_rules() {
        let s = Segmenter::new();
        let words = s.content_words("盐平塘大桥昨日通车, the Old Mill Bridge reopened");
        assert!(words.contains(&"大桥".to_owned()), "{words:?}");
        assert!(words.contains(&"bridge".to_owned()));
        assert!(!words.contains(&"the".to_owned()));
    }

    #[test]
    fn word_ends_never_fall_inside_a_word() {
        let s = Segmenter::new();
        let text = "高质量发展聚合合力";
        let ends = s.word_ends(text);
        assert!(ends.iter().all(|&e| text.is_char_boundary(e)));
        assert_eq!(ends.last(), Some(&text.len()));
        assert!(!ends.contains(&"高质".len()), "{ends:?}");
    }
}
