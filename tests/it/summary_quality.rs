//! How close the summaries come to an editor's: ROUGE-L (characters, punctuation ignored)
//! against reference summaries written by hand for the sample pages
//! (`tests/fixtures/summaries/references.jsonl`), compared with taking the first sentences.
//! Run with `--nocapture` to see the figures.

use newsbot::core::edition::{Article, SAMPLE_EDITION, parse_edition};
use newsbot::core::summary::Summarizer;
use newsbot::core::summary::sentences::split_sentences;
use serde::Deserialize;

use crate::support::shared_pinghu_sample;

const REFERENCES: &str = include_str!("../fixtures/summaries/references.jsonl");

#[derive(Deserialize)]
struct Reference {
    id: String,
    one_sentence: String,
    short: String,
}

fn tokens(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_ascii_punctuation()
                && !"，。、；：“”‘’（）！？《》".contains(*c)
        })
        .collect()
}

/// ROUGE-L F1 of `candidate` against `reference`, 0 to 100.
fn rouge_l(candidate: &str, reference: &str) -> f64 {
    let (c, r) = (tokens(candidate), tokens(reference));
    if c.is_empty() || r.is_empty() {
        return 0.0;
    }
    let mut previous = vec![0usize; r.len() + 1];
    for x in &c {
        let mut current = vec![0usize; r.len() + 1];
        for (j, y) in r.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        previous = current;
    }
    let lcs = previous[r.len()] as f64;
    if lcs == 0.0 {
        return 0.0;
    }
    let (p, rc) = (lcs / c.len() as f64, lcs / r.len() as f64);
    100.0 * 2.0 * p * rc / (p + rc)
}

fn lead(article: &Article, k: usize) -> String {
    split_sentences(&article.paragraphs.join("\n"))
        .into_iter()
        .take(k)
        .collect()
}

struct Scores {
    one: f64,
    short: f64,
    lead1: f64,
    lead2: f64,
    lead3: f64,
    articles: usize,
}

fn score(pages: &[String]) -> Scores {
    let references: Vec<Reference> = REFERENCES
        .lines()
        .map(|l| serde_json::from_str(l).expect("reference line"))
        .collect();
    let summarizer = Summarizer::new();
    let mut s = Scores {
        one: 0.0,
        short: 0.0,
        lead1: 0.0,
        lead2: 0.0,
        lead3: 0.0,
        articles: 0,
    };
    for page in pages {
        let edition = parse_edition(page).expect("sample parses");
        for article in &edition.articles {
            let reference = references
                .iter()
                .find(|r| r.id == article.title)
                .unwrap_or_else(|| panic!("no reference for {}", article.title));
            let summary = summarizer.summarize_article(article);
            s.one += rouge_l(&summary.one_sentence, &reference.one_sentence);
            s.short += rouge_l(&summary.short, &reference.short);
            s.lead1 += rouge_l(&lead(article, 1), &reference.one_sentence);
            s.lead2 += rouge_l(&lead(article, 2), &reference.short);
            s.lead3 += rouge_l(&lead(article, 3), &reference.short);
            s.articles += 1;
        }
    }
    let n = s.articles as f64;
    for v in [
        &mut s.one,
        &mut s.short,
        &mut s.lead1,
        &mut s.lead2,
        &mut s.lead3,
    ] {
        *v /= n;
    }
    s
}

#[test]
fn rouge_l_is_an_lcs_f_measure() {
    assert!((rouge_l("平湖大桥通车", "平湖大桥通车") - 100.0).abs() < 1e-9);
    // LCS 4 of 6 and 4 of 4: P = 0.667, R = 1, F = 80.
    assert!((rouge_l("平湖大桥昨日", "平湖大桥") - 80.0).abs() < 1e-9);
    assert_eq!(rouge_l("。，", "大桥"), 0.0);
}

#[test]
fn summaries_beat_the_lead_on_reference_summaries() {
    let mut pages = vec![SAMPLE_EDITION.to_owned()];
    if let Some(p) = shared_pinghu_sample() {
        pages.push(p);
    }
    let s = score(&pages);
    eprintln!(
        "ROUGE-L over {} articles: one-sentence {:.1} (lead-1 {:.1}); short {:.1} (lead-2 {:.1}, lead-3 {:.1})",
        s.articles, s.one, s.lead1, s.short, s.lead2, s.lead3
    );
    assert!(s.one >= s.lead1 + 5.0, "one-sentence {:.1}", s.one);
    assert!(s.short >= s.lead2 + 10.0, "short {:.1}", s.short);
    assert!(s.short >= s.lead3 + 5.0, "short {:.1}", s.short);
}

#[test]
fn short_summaries_add_facts_without_repeating_the_opening() {
    let summarizer = Summarizer::new();
    let edition = parse_edition(SAMPLE_EDITION).expect("sample parses");
    for article in &edition.articles {
        let summary = summarizer.summarize_article(article);
        let short = &summary.short;
        assert!(short.chars().count() <= 150, "{short}");
        let sentences = split_sentences(short);
        assert!((2..=3).contains(&sentences.len()), "{short}");
        for s in &sentences {
            assert!(
                !s.starts_with("本报讯") && !s.starts_with("昨天"),
                "{short}"
            );
        }
        let lone = sentences
            .iter()
            .filter(|s| short.matches(s.as_str()).count() > 1);
        assert_eq!(lone.count(), 0, "a sentence repeated: {short}");
    }
}

#[test]
fn every_article_of_the_unseen_pages_gets_budgeted_faithful_summaries() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unseen");
    let summarizer = Summarizer::new();
    let mut articles = 0;
    for entry in std::fs::read_dir(folder).expect("unseen pages") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let page = std::fs::read_to_string(&path).expect("page");
        let edition = parse_edition(&page).expect("page parses");
        for article in &edition.articles {
            let text = article.paragraphs.join("\n");
            let summary = summarizer.summarize_article(article);
            let zh = newsbot::core::punctuation::is_mostly_cjk(&text);
            let budgets = if zh {
                newsbot::core::summary::ZH_BUDGETS
            } else {
                newsbot::core::summary::EN_BUDGETS
            };
            let name = path.display();
            assert!(
                !summary.one_sentence.is_empty(),
                "{name}: {}",
                article.title
            );
            assert!(
                summary.one_sentence.chars().count() <= budgets.one_sentence,
                "{name}: {}",
                summary.one_sentence
            );
            assert!(
                summary.short.chars().count() <= budgets.short,
                "{name}: {}",
                summary.short
            );
            for s in [&summary.one_sentence, &summary.short] {
                let invented = newsbot::core::summary::facts::unsupported_facts(s, &text);
                assert!(invented.is_empty(), "{name}: {s} invents {invented:?}");
            }
            articles += 1;
        }
    }
    assert!(articles >= 80, "only {articles} articles");
}
