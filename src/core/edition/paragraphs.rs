//! Re-joins body paragraphs that print layout broke across blocks: a paragraph that does not
//! end a sentence continues in the next one, even mid-word (`高质` + `量发展`) and even when
//! the next one opens with a quote mark or bracket.

use std::sync::LazyLock;

use regex::Regex;

use crate::core::punctuation::{ends_sentence, is_cjk};

/// Body paragraphs after re-joining.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinedBody {
    /// The paragraphs, each with the source lines it came from.
    pub paragraphs: Vec<(String, Vec<usize>)>,
    /// How many breaks were joined.
    pub joins: usize,
}

static SUBHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}(?:、\s*\S|[.．]\s*[^\d\s]))",
    )
    .expect("static regex")
});

/// True for a numbered sub-heading (`一、…`, `(二)…`), which never continues a paragraph.
pub fn is_subhead(text: &str) -> bool {
    SUBHEAD.is_match(text) && text.chars().count() <= 40 && !ends_sentence(text)
}

impl JoinedBody {
    /// Adds line `no`: appended to the last paragraph when it `continues` it, else a new one.
    fn add(&mut self, no: usize, text: &str, continues: bool) {
        match self.paragraphs.last_mut() {
            Some((prev, nos)) if continues => {
                append_continuation(prev, text);
                nos.push(no);
                self.joins += 1;
            }
            _ => self.paragraphs.push((text.to_owned(), vec![no])),
        }
    }
}

/// Joins `lines` (numbered body lines in page order) into paragraphs.
pub fn join_paragraphs(lines: &[(usize, &str)]) -> JoinedBody {
    let mut body = JoinedBody::default();
    for &(no, text) in lines {
        let continues = body.paragraphs.last().is_some_and(|(prev, _)| {
            !ends_sentence(prev) && !is_subhead(prev) && !is_subhead(text)
        });
        body.add(no, text, continues);
    }
    body
}

/// Joins `lines` into paragraphs on a page that marks each paragraph by an indent: a line
/// starts a paragraph when `starts` says it is indented (or it is the first, or a numbered
/// sub-heading); every other line continues the one before, whatever it ends with.
pub fn join_indented_paragraphs(lines: &[(usize, &str)], starts: &[bool]) -> JoinedBody {
    let mut body = JoinedBody::default();
    for (k, &(no, text)) in lines.iter().enumerate() {
        let indented = starts.get(k).copied().unwrap_or(true);
        let continues = !indented
            && !is_subhead(text)
            && body
                .paragraphs
                .last()
                .is_some_and(|(prev, _)| !is_subhead(prev));
        body.add(no, text, continues);
    }
    body
}

/// Appends `next` to `prev` the way the word or sentence was broken: no space between
/// Chinese characters, one space between Latin words, a dropped hyphen inside a split word.
fn append_continuation(prev: &mut String, next: &str) {
    let last = prev.chars().last();
    let first = next.chars().next();
    match (last, first) {
        (Some('-'), Some(f))
            if f.is_ascii_lowercase()
                && prev
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_alphabetic()) =>
        {
            prev.pop();
        }
        (Some(l), Some(f))
            if (l.is_ascii_alphanumeric() || l.is_ascii_punctuation())
                && f.is_ascii_alphanumeric()
                && !prev.chars().rev().take(12).any(is_cjk) =>
        {
            prev.push(' ');
        }
        _ => {}
    }
    prev.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &JoinedBody) -> Vec<&str> {
        body.paragraphs.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn mid_word_break_is_joined_without_a_space() {
        let body = join_paragraphs(&[(1, "为平湖经济社会高质"), (3, "量发展聚合合力。")]);
        assert_eq!(texts(&body), vec!["为平湖经济社会高质量发展聚合合力。"]);
        assert_eq!(body.paragraphs[0].1, vec![1, 3]);
        assert_eq!(body.joins, 1);
    }

    #[test]
    fn break_before_a_quote_or_bracket_is_joined() {
        let body = join_paragraphs(&[
            (1, "实行"),
            (2, "“前台综合受理”运行模式。"),
            (3, "结合各村"),
            (4, "(社区)发展实际。"),
        ]);
        assert_eq!(
            texts(&body),
            vec!["实行“前台综合受理”运行模式。", "结合各村(社区)发展实际。"]
        );
        assert_eq!(body.joins, 2);
    }

    #[test]
    fn short_broken_line_that_looks_like_a_heading_is_joined() {
        let body = join_paragraphs(&[
            (1, "这是上一段。"),
            (2, "而这些改变的背后,都与我市"),
            (3, "创新举措密不可分。"),
        ]);
        assert_eq!(
            texts(&body),
            vec![
                "这是上一段。",
                "而这些改变的背后,都与我市创新举措密不可分。"
            ]
        );
    }

    #[test]
    fn finished_paragraphs_and_subheads_stay_apart() {
        let body = join_paragraphs(&[
            (1, "功能集成、协同高效。"),
            (2, "一、强化组织领导"),
            (3, "各单位要落实责任。"),
        ]);
        assert_eq!(body.paragraphs.len(), 3);
        assert_eq!(body.joins, 0);
    }

    #[test]
    fn english_words_get_a_space_and_split_words_lose_the_hyphen() {
        let body = join_paragraphs(&[
            (1, "The new bridge carries"),
            (2, "six lanes of traf-"),
            (3, "fic across the river."),
        ]);
        assert_eq!(
            texts(&body),
            vec!["The new bridge carries six lanes of traffic across the river."]
        );
    }

    #[test]
    fn on_an_indent_page_only_an_indent_starts_a_paragraph() {
        let lines = [
            (1, "城南水厂扩建工程总投资约6.8亿元，配套铺设管网18公里。"),
            (2, "项目负责人介绍，出厂水主要指标优于国家标准。"),
            (3, "市水务集团有关负责人表示，下一步将加快推进改"),
            (4, "造。"),
        ];
        let joined = join_indented_paragraphs(&lines, &[true, false, true, false]);
        let texts: Vec<&str> = joined.paragraphs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "城南水厂扩建工程总投资约6.8亿元，配套铺设管网18公里。项目负责人介绍，出厂水主要指标优于国家标准。",
                "市水务集团有关负责人表示，下一步将加快推进改造。"
            ]
        );
        assert_eq!(joined.joins, 2);
    }

    #[test]
    fn a_decimal_opening_a_line_is_not_a_numbered_subhead() {
        let joined = join_paragraphs(&[
            (1, "城关镇完成燃气管道改造"),
            (2, "12.6公里，惠及居民3400余户。"),
        ]);
        assert_eq!(joined.paragraphs.len(), 1);
        assert!(is_subhead("1. 港区大道北半幅"));
    }
}
