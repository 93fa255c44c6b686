//! Batch summarising of JSON Lines (`{"id", "title"?, "article"}` in, `{"id", "summary"}`
//! out), the format of our evaluation sets. A bad line is reported by number and skipped;
//! the others are still summarised.

use serde::Deserialize;

use super::Summarizer;

/// Largest input line, in bytes: an article as large as the largest edition.
pub const MAX_LINE_BYTES: usize = crate::core::edition::MAX_EDITION_BYTES;

/// Which summary to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryMode {
    /// One sentence.
    OneSentence,
    /// Two or three sentences.
    Short,
}

#[derive(Deserialize)]
struct Item {
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    article: String,
}

/// Output lines and the problems met.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchResult {
    /// One `{"id", "summary"}` JSON object per good input line, newline-terminated.
    pub output: String,
    /// `line N: …` for each line that could not be read.
    pub problems: Vec<String>,
}

/// Summarises every line of `input`; `use_titles` lets the headline steer the summary.
#[must_use]
pub fn summarize_jsonl(
    summarizer: &Summarizer,
    input: &str,
    mode: SummaryMode,
    use_titles: bool,
) -> BatchResult {
    let mut result = BatchResult::default();
    for (i, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            result.problems.push(format!(
                "line {}: {} bytes, over the {MAX_LINE_BYTES} byte limit of one article",
                i + 1,
                line.len()
            ));
            continue;
        }
        let item: Item = match serde_json::from_str(line) {
            Ok(item) => item,
            Err(e) => {
                result.problems.push(format!(
                    "line {}: not an {{\"id\", \"article\"}} object: {e}",
                    i + 1
                ));
                continue;
            }
        };
        let title = if use_titles {
            item.title.as_deref()
        } else {
            None
        };
        let summary = summarizer.summarize(title, &item.article);
        let text = match mode {
            SummaryMode::OneSentence => summary.one_sentence,
            SummaryMode::Short => summary.short,
        };
        let line = serde_json::json!({ "id": item.id, "summary": text });
        result.output.push_str(&line.to_string());
        result.output.push('\n');
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_lines_are_summarised_and_bad_ones_reported_by_number() {
        let s = Summarizer::new();
        let input = "{\"id\": 7, \"article\": \"昨天上午,青溪港三期码头投入试运行。首艘船靠泊。\"}\nnot json\n{\"id\": \"b\", \"title\": \"t\"}\n";
        let r = summarize_jsonl(&s, input, SummaryMode::OneSentence, true);
        assert_eq!(
            r.output,
            "{\"id\":7,\"summary\":\"青溪港三期码头投入试运行。\"}\n"
        );
        assert_eq!(r.problems.len(), 2);
        assert!(r.problems[0].starts_with("line 2:") && r.problems[1].starts_with("line 3:"));
    }
}
