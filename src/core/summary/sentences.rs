//! Splits text into sentences and sentences into clauses, for Chinese and English alike:
//! either width of punctuation, quotes kept whole (`…了。”` is one sentence), and numbers such
//! as `5.5` or `1.8万吨` never split.

use crate::core::punctuation::{fold_width, is_closing, is_opening};

/// A quoted passage longer than this many characters is split anyway: its closing quote is
/// probably missing.
const MAX_QUOTED_CHARS: usize = 240;

/// English abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "etc", "gov", "sen", "rep", "ave",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m",
    "p.m", "u.s", "inc", "co", "corp", "mt", "ft",
];

/// Splits `text` into sentences, trimmed, in order. Line breaks always end a sentence.
#[must_use]
pub fn split_sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quoted_chars = 0usize;
    let mut ascii_quote_open = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' || c == '\r' {
            push_sentence(&mut sentences, &mut current);
            depth = 0;
            ascii_quote_open = false;
            i += 1;
            continue;
        }
        current.push(c);
        if c == '"' {
            ascii_quote_open = !ascii_quote_open;
            if ascii_quote_open {
                depth += 1;
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if is_opening(c) {
            depth += 1;
        } else if is_closing(c) && c != '\'' {
            depth = depth.saturating_sub(1);
        }
        quoted_chars = if depth > 0 { quoted_chars + 1 } else { 0 };
        if is_terminator(&chars, i) && (depth == 0 || quoted_chars > MAX_QUOTED_CHARS) {
            // Keep further terminators and closing quotes with this sentence: `！”`, `?!`, `……`.
            while i + 1 < chars.len() && (is_closing(chars[i + 1]) || is_terminator(&chars, i + 1))
            {
                i += 1;
                current.push(chars[i]);
                if is_closing(chars[i]) {
                    depth = depth.saturating_sub(1);
                    if chars[i] == '"' {
                        ascii_quote_open = false;
                    }
                }
            }
            push_sentence(&mut sentences, &mut current);
            depth = 0;
            quoted_chars = 0;
        } else if depth == 0 && is_closing(c) && i > 0 && is_terminator(&chars, i - 1) {
            // `。”` closing a quoted passage ends the sentence as well.
            while i + 1 < chars.len() && (is_closing(chars[i + 1]) || is_terminator(&chars, i + 1))
            {
                i += 1;
                current.push(chars[i]);
            }
            push_sentence(&mut sentences, &mut current);
            quoted_chars = 0;
        }
        i += 1;
    }
    push_sentence(&mut sentences, &mut current);
    merge_attributions(sentences)
}

/// `“饭菜热乎!”刘阿姨说。` is one sentence: a short attribution after a closed quotation is
/// joined back to it.
fn merge_attributions(sentences: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let attribution = sentence.chars().count() <= 40
            && ATTRIBUTION_ENDS
                .iter()
                .any(|end| sentence.trim_end_matches(['。', '.']).ends_with(end));
        match out.last_mut() {
            Some(prev) if attribution && prev.ends_with(['”', '"', '’']) => {
                prev.push_str(&sentence)
            }
            _ => out.push(sentence),
        }
    }
    out
}

/// How an attribution after a quotation ends.
const ATTRIBUTION_ENDS: &[&str] = &[
    "说",
    "表示",
    "介绍",
    "称",
    "指出",
    "告诉记者",
    "说道",
    "感慨道",
    "笑着说",
    "坦言",
    "said",
    "says",
];

fn push_sentence(sentences: &mut Vec<String>, current: &mut String) {
    let trimmed = current.trim();
    if !trimmed.is_empty() {
        sentences.push(trimmed.to_owned());
    }
    current.clear();
}

/// True when `chars[i]` ends a sentence here: `。！？!?；…`, or a period that is not inside a
/// number (`5.5`), an abbreviation (`Mr.`) or an initial.
fn is_terminator(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    match fold_width(c) {
        '!' | '?' | '…' => true,
        ';' => c == '；',
        '.' if c == '。' => true,
        '.' => {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            {
                return false;
            }
            if next.is_some_and(|n| {
                !(n.is_whitespace() || is_closing(n) || crate::core::punctuation::is_cjk(n))
            }) {
                return false;
            }
            let word: String = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphabetic() || **c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let lower = word.to_ascii_lowercase();
            !(ABBREVIATIONS.contains(&lower.as_str())
                || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase())))
        }
        _ => false,
    }
}

/// Splits a sentence into clauses at commas, semicolons and colons (either width), keeping each
/// clause's closing mark with it. Marks inside quotes or brackets do not split.
#[must_use]
pub fn split_clauses(sentence: &str) -> Vec<String> {
    let mut clauses = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut chars = sentence.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if is_opening(c) && c != '"' {
            depth += 1;
        } else if is_closing(c) && c != '"' && c != '\'' {
            depth = depth.saturating_sub(1);
        }
        let mark = matches!(fold_width(c), ',' | ';' | ':') && c != '、';
        // `8,400` and `8:00` are figures, not clause breaks.
        let before_digit = current
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|p| p.is_ascii_digit());
        let between_digits = matches!(c, ',' | ':' | '：')
            && before_digit
            && chars.peek().is_some_and(char::is_ascii_digit);
        if mark && depth == 0 && !between_digits {
            push_clause(&mut clauses, &mut current);
        }
    }
    push_clause(&mut clauses, &mut current);
    clauses
}

/// Keeps a clause with its surrounding spaces, so clauses concatenate back to the sentence.
fn push_clause(clauses: &mut Vec<String>, current: &mut String) {
    if !current.trim().is_empty() {
        clauses.push(std::mem::take(current));
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_width_punctuation_splits() {
        assert_eq!(
            split_sentences("会议召开。市长出席!大家鼓掌?好"),
            vec!["会议召开。", "市长出席!", "大家鼓掌?", "好"]
        );
    }

    #[test]
    fn a_sentence_ending_inside_quotes_stays_whole() {
        assert_eq!(
            split_sentences(
                "“企业需要什么,我们就给什么。”日前,中心挂牌成立。他说:“好。很好。”大家笑了。"
            ),
            vec![
                "“企业需要什么,我们就给什么。”",
                "日前,中心挂牌成立。",
                "他说:“好。很好。”",
                "大家笑了。"
            ]
        );
    }

    #[test]
    fn numbers_and_abbreviations_do_not_split() {
        assert_eq!(
            split_sentences("净高由5.5米抬升至7米,年产1.8万吨。"),
            vec!["净高由5.5米抬升至7米,年产1.8万吨。"]
        );
        assert_eq!(
            split_sentences(
                "Mr. Ortiz opened the $8.4 million bridge at 9 a.m. Monday. It has four lanes."
            ),
            vec![
                "Mr. Ortiz opened the $8.4 million bridge at 9 a.m. Monday.",
                "It has four lanes."
            ]
        );
    }

    #[test]
    fn ellipsis_and_closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split_sentences("精气神都不一样了!”……漫步于村里。"),
            vec!["精气神都不一样了!”……", "漫步于村里。"]
        );
    }

    #[test]
    fn an_attribution_after_a_quotation_stays_with_it() {
        assert_eq!(
            split_sentences("“饭菜热乎,走两步就到!”昨天中午,刘阿姨一边吃饭一边说。下一句。"),
            vec![
                "“饭菜热乎,走两步就到!”昨天中午,刘阿姨一边吃饭一边说。",
                "下一句。"
            ]
        );
    }

    #[test]
    fn times_and_thousands_do_not_split_clauses() {
        assert_eq!(
            split_clauses("定于8:00至18:00停水,请储水。"),
            vec!["定于8:00至18:00停水,", "请储水。"]
        );
    }

    #[test]
    fn clauses_split_outside_quotes_only() {
        assert_eq!(
            split_clauses("昨天上午,“网聚正能量,绘就同心圆”座谈会举行,市领导出席。"),
            vec![
                "昨天上午,",
                "“网聚正能量,绘就同心圆”座谈会举行,",
                "市领导出席。"
            ]
        );
        assert_eq!(
            split_clauses("It cost $8,400, they said."),
            vec!["It cost $8,400,", " they said."]
        );
    }
}
