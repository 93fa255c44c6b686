//! The summariser on anything: random and mutated text never panics, never exceeds the
//! budgets, and never puts a figure in a summary that the text does not have.

use std::sync::OnceLock;

use newsbot::core::edition::{SAMPLE_EDITION, parse_edition};
use newsbot::core::summary::facts::unsupported_facts;
use newsbot::core::summary::{EN_BUDGETS, Summarizer};
use proptest::prelude::*;

fn summarizer() -> &'static Summarizer {
    static SHARED: OnceLock<Summarizer> = OnceLock::new();
    SHARED.get_or_init(Summarizer::new)
}

fn sample_bodies() -> Vec<String> {
    parse_edition(SAMPLE_EDITION)
        .map(|e| e.articles.iter().map(|a| a.paragraphs.join("\n")).collect())
        .unwrap_or_default()
}

fn check(text: &str, title: Option<&str>) -> Result<(), TestCaseError> {
    let summary = summarizer().summarize(title, text);
    prop_assert!(
        summary.one_sentence.chars().count() <= EN_BUDGETS.one_sentence,
        "{}",
        summary.one_sentence
    );
    prop_assert!(
        summary.short.chars().count() <= EN_BUDGETS.short,
        "{}",
        summary.short
    );
    prop_assert!(
        unsupported_facts(&summary.one_sentence, text).is_empty(),
        "{} / {}",
        summary.one_sentence,
        text
    );
    prop_assert!(
        unsupported_facts(&summary.short, text).is_empty(),
        "{} / {}",
        summary.short,
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_text_is_summarised_within_budget(text in "([\\p{Han}]{0,30}[，。！？“”（）,.!?:;\\n 0-9]{0,3}){0,40}", title in proptest::option::of("\\PC{0,20}")) {
        check(&text, title.as_deref())?;
    }

    #[test]
    fn cut_and_spliced_articles_are_summarised_within_budget(pick in 0usize..5, cut in 0usize..2000, splice in "\\PC{0,40}") {
        let bodies = sample_bodies();
        let body = &bodies[pick % bodies.len().max(1)];
        let chars: Vec<char> = body.chars().collect();
        let at = cut % (chars.len() + 1);
        let text: String = chars[..at].iter().collect::<String>() + &splice + &chars[at..].iter().collect::<String>();
        check(&text, None)?;
    }
}
