//! The digest: the archived example stays exactly what the code produces, Telegram pieces stay
//! under the limit and drop nothing, sections and languages select what is rendered.

use chrono::NaiveDate;
use newsbot::app::daily::{DailyRequest, build_daily_digest};
use newsbot::core::digest::labels::{EN, ZH};
use newsbot::core::digest::{
    Digest, Lang, MAX_MESSAGE_UNITS, RenderOptions, Section, build_digest, render_telegram_html,
    telegram_length,
};
use newsbot::core::edition::{Article, Edition, parse_edition};
use newsbot::core::summary::{Summarizer, Summary};
use newsbot::edge::archive::{digest_json, digest_markdown, write_archive};
use newsbot::edge::fetch::{FetchLimits, Fetcher};

use crate::support::fixture;

async fn sample_digest() -> Digest {
    let request = DailyRequest {
        source: newsbot::app::ingest::EditionSource::Sample,
        fetch_date: day(2030, 1, 1),
        date: None,
        feeds: Vec::new(),
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    build_daily_digest(&request, &fetcher, &Summarizer::new(), None)
        .await
        .expect("sample digest")
        .digest
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn all(lang: Lang) -> RenderOptions {
    RenderOptions {
        lang,
        sections: Section::ALL.to_vec(),
        short_summaries: false,
    }
}

#[tokio::test]
async fn archived_example_digest_is_exactly_what_the_code_produces() {
    let digest = sample_digest().await;
    assert_eq!(
        digest.date,
        day(2026, 11, 29),
        "dated by the sample's masthead"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("digests");
    let hint = "run `cargo run -- digest` to refresh digests/ and review the diff";
    let markdown = std::fs::read_to_string(dir.join("2026-11-29.md"))
        .expect("digests/2026-11-29.md is committed");
    assert_eq!(markdown, digest_markdown(&digest, Lang::Zh), "{hint}");
    let json = std::fs::read_to_string(dir.join("2026-11-29.json"))
        .expect("digests/2026-11-29.json is committed");
    assert_eq!(json, digest_json(&digest).expect("json"), "{hint}");
}

#[tokio::test]
async fn archive_writes_markdown_and_json_named_by_date() {
    let digest = sample_digest().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let archived = write_archive(&dir.path().join("nested"), &digest, Lang::En).expect("written");
    assert!(archived.markdown.ends_with("nested/2026-11-29.md"));
    let md = std::fs::read_to_string(&archived.markdown).expect("md");
    assert!(md.contains(EN.headlines) && md.contains("Sunday, 29 November 2026"));
    let back: Digest =
        serde_json::from_str(&std::fs::read_to_string(&archived.json).expect("json"))
            .expect("parses");
    assert_eq!(back, digest);
}

/// An edition far too long for one message: 122 articles, one summary 7,000 characters
/// long in a single sentence, with markup characters in titles.
fn huge_digest() -> Digest {
    let mut edition: Edition = parse_edition(fixture("no-weather.txt")).expect("fixture");
    let summarizer = Summarizer::new();
    for i in 0..120 {
        edition.articles.push(Article {
            title: format!("第{i}条 <b>&新闻</b>"),
            subtitle: None,
            kicker: None,
            reporters: vec![],
            credits: vec![],
            affiliations: vec![],
            dateline: None,
            paragraphs: vec![format!("第{i}条新闻的正文说明了事情的经过,共有{i}人参加。")],
            link: Some(format!("https://example.org/{i}?a=1&b=2")),
            published: None,
            image: None,
            rejoined_breaks: 0,
            page: None,
            jump_to: None,
            jump_from: None,
            lines: vec![],
        });
    }
    let mut summaries: Vec<Summary> = edition
        .articles
        .iter()
        .map(|a| summarizer.summarize_article(a))
        .collect();
    summaries[3].one_sentence = "很长的一句话,".repeat(1000) + "结束。";
    build_digest(&edition, day(2026, 3, 5), "社区版", &summaries)
}

#[test]
fn telegram_pieces_stay_under_the_limit_and_drop_nothing() {
    let digest = huge_digest();
    let pieces = render_telegram_html(&digest, &all(Lang::Zh));
    assert!(pieces.len() > 2);
    for piece in &pieces {
        assert!(
            telegram_length(piece) <= MAX_MESSAGE_UNITS,
            "{} units",
            telegram_length(piece)
        );
        assert!(
            !piece.contains("<b>&") && !piece.contains("<b><b>"),
            "markup in titles is escaped"
        );
    }
    let joined = pieces.concat();
    for h in &digest.headlines {
        let title = h
            .title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(joined.contains(&title), "missing {}", h.title);
        let summary_chars: String = h.summary.chars().filter(|c| !c.is_whitespace()).collect();
        let joined_chars: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            joined_chars.contains(&summary_chars),
            "summary of {} dropped",
            h.title
        );
        if let Some(link) = &h.link {
            assert!(
                joined.contains(&link.replace('&', "&amp;")),
                "link of {} dropped",
                h.title
            );
        }
    }
}

#[tokio::test]
async fn chosen_sections_and_language_select_what_is_rendered() {
    let digest = sample_digest().await;
    let weather_only = RenderOptions {
        lang: Lang::En,
        sections: vec![Section::Weather],
        short_summaries: false,
    };
    let pieces = render_telegram_html(&digest, &weather_only);
    assert_eq!(pieces.len(), 1);
    let text = &pieces[0];
    assert!(
        text.contains(EN.weather)
            && text.contains("Tomorrow: 多云转晴")
            && text.contains("High: 12℃ (Today)")
    );
    assert!(!text.contains(EN.headlines) && !text.contains(EN.notices));
    let zh = render_telegram_html(&digest, &all(Lang::Zh)).concat();
    for label in [ZH.headlines, ZH.weather, ZH.notices, ZH.photos] {
        assert!(zh.contains(label), "missing {label}");
    }
    assert!(zh.contains("2026年11月29日 星期日"));
}

#[test]
fn an_empty_section_asked_for_alone_says_so() {
    let digest = huge_digest();
    let options = RenderOptions {
        lang: Lang::Zh,
        sections: vec![Section::Weather],
        short_summaries: false,
    };
    let pieces = render_telegram_html(&digest, &options);
    assert!(pieces[0].contains(ZH.empty_section));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever the news says, every message parses as Telegram HTML, fits the limit, and the
    /// messages together show every title and summary.
    #[test]
    fn any_digest_renders_to_valid_messages_that_drop_nothing(
        items in proptest::collection::vec(("\\PC{1,40}", "[\\PC&<>\"😀]{0,3000}"), 1..12),
        short in proptest::bool::ANY,
    ) {
        let mut digest = Digest {
            edition: "社区版 & <Town>".to_owned(),
            date: day(2026, 3, 5),
            headlines: vec![],
            weather: None,
            notices: vec![],
            photos: vec![],
        };
        for (title, summary) in &items {
            digest.headlines.push(newsbot::core::digest::Headline {
                title: title.clone(),
                subtitle: None,
                summary: summary.clone(),
                summary_short: summary.clone(),
                link: Some("https://example.org/a?b=1&c=2".to_owned()),
                reporters: vec![],
                page: None,
                kicker: None,
                dateline: None,
                paragraphs: vec![],
                english: None,
            });
        }
        let options = RenderOptions { lang: Lang::En, sections: Section::ALL.to_vec(), short_summaries: short };
        let pieces = render_telegram_html(&digest, &options);
        let mut shown = String::new();
        for piece in &pieces {
            let visible = fake_telegram::visible_text(piece).map_err(proptest::test_runner::TestCaseError::fail)?;
            proptest::prop_assert!(visible.encode_utf16().count() <= MAX_MESSAGE_UNITS);
            proptest::prop_assert_eq!(visible.encode_utf16().count(), telegram_length(piece));
            shown.push_str(&visible);
        }
        let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let shown = squash(&shown);
        for (title, summary) in &items {
            proptest::prop_assert!(shown.contains(&squash(title)), "title {:?} missing", title);
            proptest::prop_assert!(shown.contains(&squash(summary)), "summary missing");
        }
    }
}
