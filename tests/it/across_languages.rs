//! A table of residents' questions across Chinese and English, answered in-process: an
//! English question finds the Chinese page's news and facts, a Chinese one the English
//! page's, through the embedded word list; nothing is guessed where neither prints it.

use std::sync::OnceLock;

use chrono::NaiveDate;
use newsbot::core::digest::{Digest, build_digest};
use newsbot::core::edition::parse_edition;
use newsbot::core::fact_answer::{FactAnswer, answer_fact};
use newsbot::core::intent::{Intent, match_intent};
use newsbot::core::search::search_page;
use newsbot::core::summary::Summarizer;

fn summarizer() -> &'static Summarizer {
    static SHARED: OnceLock<Summarizer> = OnceLock::new();
    SHARED.get_or_init(Summarizer::new)
}

fn digest_of(page: &str, name: &str) -> Digest {
    let edition = parse_edition(page).expect("parses");
    let summaries: Vec<_> = edition
        .articles
        .iter()
        .map(|a| summarizer().summarize_article(a))
        .collect();
    let date = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    build_digest(&edition, date, name, &summaries)
}

/// The Chinese chat fixture page and the English fixture page, as one day's digests.
fn digests() -> Vec<Digest> {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |path: &str| std::fs::read_to_string(format!("{root}/{path}")).expect(path);
    vec![
        digest_of(&read("tests/fixtures/chat/zh-qiaodong-a01.txt"), "桥东日报"),
        digest_of(&read("tests/fixtures/english-page.txt"), "Riverton Courier"),
    ]
}

/// What a phrasing must give.
#[derive(Debug)]
enum Expect {
    /// Search results, this title first.
    First(&'static str),
    /// Search results holding this title.
    Among(&'static str),
    /// A fact answer quoting this.
    Fact(&'static str),
    /// Nothing found: no results, or a fact question naming nothing printed.
    Nothing,
}

/// What the bot does with `text`: the titles of its search results, or the fact quoted.
fn answer(text: &str, digests: &[Digest]) -> Result<Vec<String>, String> {
    let segmenter = summarizer().segmenter();
    match match_intent(text, segmenter) {
        Intent::Search(query) => Ok(search_page(&query, digests, segmenter, 0)
            .items
            .into_iter()
            .map(|f| f.title)
            .collect()),
        Intent::Fact(question) => match answer_fact(&question, digests) {
            FactAnswer::Quoted { fact, .. } => Err(fact),
            FactAnswer::NotFound => Ok(Vec::new()),
            other => Err(format!("{other:?}")),
        },
        other => Err(format!("{other:?}")),
    }
}

#[test]
fn a_table_of_questions_across_chinese_and_english() {
    use Expect::*;
    let table: &[(&str, Expect)] = &[
        // English questions, Chinese news.
        ("any news about the bridge?", First("运河大桥今天通车")),
        ("bridge", First("运河大桥今天通车")),
        ("Bridges", First("运河大桥今天通车")),
        ("the canal bridge", First("运河大桥今天通车")),
        ("what's new on the canal", First("运河大桥今天通车")),
        ("traffic", First("运河大桥今天通车")),
        ("the bridge opens", Among("运河大桥今天通车")),
        ("old street", First("老街修缮记")),
        ("the teahouse", First("老街修缮记")),
        ("wharf", First("老街修缮记")),
        ("library", Among("冬季公益讲座报名通知")),
        ("sign up", First("冬季公益讲座报名通知")),
        ("water", First("停水通知")),
        ("any news about the metro?", Nothing),
        (
            "What's the phone number of the library?",
            Fact("0573-85123456"),
        ),
        ("library phone number", Fact("0573-85123456")),
        (
            "What's the phone number to sign up at the library?",
            Fact("0573-85123456"),
        ),
        ("who do I call about the water supply?", Fact("96390")),
        (
            "where do I sign up at the library?",
            Fact("桥东图书馆一楼服务台"),
        ),
        ("What is the phone number of the metro?", Nothing),
        // Chinese questions, English news.
        ("桥", Among("Old mill bridge reopens two months early")),
        ("大桥", Among("Old mill bridge reopens two months early")),
        ("磨坊", First("Old mill bridge reopens two months early")),
        ("图书馆", Among("Library extends evening hours")),
        ("消防栓", First("PUBLIC NOTICE")),
        ("自来水", Among("PUBLIC NOTICE")),
        ("地铁", Nothing),
        ("消防栓的电话是多少", Fact("(555) 010-2477")),
        ("自来水的电话", Fact("(555) 010-2477")),
        // Each language for its own news, as before.
        ("运河大桥", First("运河大桥今天通车")),
        ("有没有大桥的新闻", First("运河大桥今天通车")),
        ("老街", First("老街修缮记")),
        ("供水", First("停水通知")),
        ("停水的咨询电话是多少", Fact("96390")),
        ("图书馆讲座的报名电话是多少", Fact("0573-85123456")),
        ("讲座在哪里报名", Fact("桥东图书馆一楼服务台")),
        ("hydrants", First("PUBLIC NOTICE")),
        ("library hours", First("Library extends evening hours")),
        (
            "What's the phone number for the hydrant flushing?",
            Fact("(555) 010-2477"),
        ),
        (
            "mill bridge",
            First("Old mill bridge reopens two months early"),
        ),
    ];
    assert!(table.len() >= 40, "{} phrasings", table.len());
    let digests = digests();
    let mut failures = Vec::new();
    for (text, expect) in table {
        let got = answer(text, &digests);
        let ok = match (expect, &got) {
            (First(title), Ok(titles)) => titles.first().is_some_and(|t| t == title),
            (Among(title), Ok(titles)) => titles.iter().any(|t| t == title),
            (Fact(fact), Err(quoted)) => quoted.contains(fact),
            (Nothing, Ok(titles)) => titles.is_empty(),
            _ => false,
        };
        if !ok {
            failures.push(format!("{text}: expected {expect:?}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}
