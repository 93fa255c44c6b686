//! A query's words with their forms in the other language (`bridge` also seeks `桥`, `码头`
//! also seeks `pier`), so that searches and questions find news printed in either language.

use super::dictionary::{Dictionary, plain_forms};
use super::punctuation::is_cjk;

/// One word (or a two-word English phrase) of a query and every form it is sought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The word as the resident typed it, lower case.
    pub word: String,
    /// The word itself first, then its translations; lower case.
    pub forms: Vec<String>,
    /// For a two-word phrase, its words: the phrase is also found where both are.
    pub parts: Vec<QueryTerm>,
}

impl QueryTerm {
    /// True when `haystack` (lower case) holds any of the term's forms.
    #[must_use]
    pub fn found_in(&self, haystack: &str) -> bool {
        self.forms.iter().any(|f| haystack.contains(f.as_str()))
            || (!self.parts.is_empty() && self.parts.iter().all(|p| p.found_in(haystack)))
    }

    /// True when the term was found through a translation only.
    #[must_use]
    pub fn found_translated(&self, haystack: &str) -> bool {
        !haystack.contains(self.word.as_str()) && self.found_in(haystack)
    }
}

/// `words` (a query's content words, lower case) as terms: a Chinese word gains its English
/// words, an English word (or two adjacent English words the list holds as one, `power cut`)
/// its Chinese words.
#[must_use]
pub fn query_terms(words: &[String], dictionary: &Dictionary) -> Vec<QueryTerm> {
    let mut terms = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let word = &words[at];
        let latin = |w: &str| !w.chars().any(is_cjk);
        if let Some(next) = words.get(at + 1).filter(|n| latin(word) && latin(n)) {
            let phrase = format!("{word} {next}");
            let chinese = dictionary.chinese_for(&phrase);
            if !chinese.is_empty() {
                let mut phrase = term(phrase, chinese.into_iter().map(str::to_owned));
                phrase.parts = vec![word_term(word, dictionary), word_term(next, dictionary)];
                terms.push(phrase);
                at += 2;
                continue;
            }
        }
        terms.push(word_term(word, dictionary));
        at += 1;
    }
    terms
}

/// One word with its translations.
fn word_term(word: &str, dictionary: &Dictionary) -> QueryTerm {
    let others: Vec<String> = if word.chars().any(is_cjk) {
        dictionary.english_for(word)
    } else {
        // `flushing` also finds `flush`, `bridges` finds `bridge`.
        plain_forms(word)
            .into_iter()
            .skip(1)
            .filter(|form| form.len() >= 4)
            .chain(dictionary.chinese_for(word).into_iter().map(str::to_owned))
            .collect()
    };
    term(word.to_owned(), others.into_iter())
}

fn term(word: String, others: impl Iterator<Item = String>) -> QueryTerm {
    let mut forms = vec![word.clone()];
    for other in others {
        if !forms.contains(&other) {
            forms.push(other);
        }
    }
    QueryTerm {
        word,
        forms,
        parts: Vec::new(),
    }
}

/// Every form of every term and of its parts, for highlighting.
#[must_use]
pub fn all_forms(terms: &[QueryTerm]) -> Vec<String> {
    let mut forms: Vec<String> = terms
        .iter()
        .flat_map(|t| t.forms.iter().chain(t.parts.iter().flat_map(|p| &p.forms)))
        .cloned()
        .collect();
    forms.sort();
    forms.dedup();
    forms
}

/// The terms as lines for the terminal: `bridge → 桥 · 彴`, a phrase's words indented below.
#[must_use]
pub fn describe_terms(terms: &[QueryTerm]) -> String {
    let mut out = String::new();
    for term in terms {
        describe(term, "", &mut out);
        for part in &term.parts {
            describe(part, "  ", &mut out);
        }
    }
    out
}

fn describe(term: &QueryTerm, indent: &str, out: &mut String) {
    let others = &term.forms[1..];
    let found = if others.is_empty() {
        "(not in the word list)".to_owned()
    } else {
        others.join(" · ")
    };
    out.push_str(&format!("{indent}{} → {found}\n", term.word));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn each_word_is_sought_in_both_languages() {
        let d = Dictionary::from_tsv_with(
            "桥\tbridge\n码头\twharf; pier\n停电\tpower cut\n学校\tschool\n交通\ttraffic\n",
            0,
            0,
        );
        let terms = query_terms(&words(&["bridge", "power", "cut", "码头", "地铁"]), &d);
        let forms: Vec<Vec<&str>> = terms
            .iter()
            .map(|t| t.forms.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            forms,
            vec![
                vec!["bridge", "桥"],
                vec!["power cut", "停电"],
                vec!["码头", "wharf", "pier"],
                vec!["地铁"],
            ]
        );
        assert!(terms[0].found_in("青溪大桥通车"));
        assert!(terms[0].found_translated("青溪大桥通车"));
        assert!(!terms[0].found_translated("the bridge opens"));
        assert!(terms[2].found_in("a new pier"));
        assert!(!terms[3].found_in("青溪大桥通车"));
        // A phrase is also found where its words are, apart.
        assert!(terms[1].found_in("停电"));
        assert!(terms[1].found_in("power lines cut"));
        assert!(!terms[1].found_in("power lines"));
        assert_eq!(all_forms(&terms[..1]), vec!["bridge", "桥"]);
        assert_eq!(
            describe_terms(&terms[1..]),
            "power cut → 停电\n  power → (not in the word list)\n  cut → (not in the word list)\n\
             码头 → wharf · pier\n地铁 → (not in the word list)\n"
        );
    }
}
