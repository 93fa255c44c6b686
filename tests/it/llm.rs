//! The optional LLM refinement against a fake chat-completions endpoint on loopback: a good
//! answer is used, an answer with an invented figure is rejected, failures fall back, and each
//! article is asked about once per day.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;
use newsbot::edge::llm::LlmConfig;
use newsbot::edge::llm::{RefineOutcome, Refiner};

use crate::support::http::{Route, TestServer, start};

const ARTICLE: &str =
    "青溪港三期码头新建泊位2个,年设计吞吐能力为60万标箱。首艘5000吨级集装箱船顺利靠泊。";
const EXTRACTIVE: &str = "青溪港三期码头投入试运行。";

fn answer(content: &str) -> Route {
    let body = serde_json::json!({ "choices": [{ "message": { "role": "assistant", "content": content } }] });
    Route::ok("application/json", body.to_string())
}

async fn server(routes: Vec<(&str, Route)>) -> TestServer {
    start(
        routes
            .into_iter()
            .map(|(p, r)| (p.to_owned(), r))
            .collect::<HashMap<_, _>>(),
    )
    .await
}

fn refiner(base: &str, path: &str, cache: &std::path::Path) -> Refiner {
    let config = LlmConfig {
        url: format!("{base}{path}").parse().expect("url"),
        model: "test-model".to_owned(),
        api_key: None,
        timeout: Duration::from_millis(700),
    };
    Refiner::new(config, cache).expect("refiner")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

#[tokio::test]
async fn a_faithful_answer_is_used_and_asked_once_per_day() {
    let server = server(vec![(
        "/good",
        answer("三期码头投入试运行,新建2个泊位,年吞吐能力60万标箱。"),
    )])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("llm-cache.json");
    let r = refiner(&server.base, "/good", &cache);
    let (text, outcome) = r
        .refine(day(), "三期码头试运行", ARTICLE, EXTRACTIVE, 60)
        .await;
    assert_eq!(outcome, RefineOutcome::Refined);
    assert_eq!(text, "三期码头投入试运行,新建2个泊位,年吞吐能力60万标箱。");
    let (again, outcome) = r
        .refine(day(), "三期码头试运行", ARTICLE, EXTRACTIVE, 60)
        .await;
    assert_eq!(
        (again.as_str(), outcome),
        (text.as_str(), RefineOutcome::Cached)
    );
    // A restart reads the cache from disk and still does not ask again.
    let restarted = refiner(&server.base, "/good", &cache);
    let (_, outcome) = restarted
        .refine(day(), "三期码头试运行", ARTICLE, EXTRACTIVE, 60)
        .await;
    assert_eq!(outcome, RefineOutcome::Cached);
    let requests = server.received();
    assert_eq!(requests.len(), 1, "one call per article per day");
    assert_eq!(requests[0].path, "/good");
    assert!(requests[0].body.contains("test-model") && requests[0].body.contains("Draft summary"));
}

#[tokio::test]
async fn an_invented_figure_is_rejected_for_the_extractive_summary() {
    let server = server(vec![(
        "/liar",
        answer("三期码头新建3个泊位,年吞吐能力80万标箱。"),
    )])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let r = refiner(&server.base, "/liar", &dir.path().join("c.json"));
    let (text, outcome) = r
        .refine(day(), "三期码头试运行", ARTICLE, EXTRACTIVE, 60)
        .await;
    assert_eq!(text, EXTRACTIVE);
    assert!(
        matches!(&outcome, RefineOutcome::Rejected(why) if why.contains('3') && why.contains("80")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn errors_timeouts_and_garbage_fall_back_to_the_extractive_summary() {
    let mut slow = answer("太慢了。");
    slow.delay = Duration::from_secs(3);
    let server = server(vec![
        ("/busy", Route::status(429)),
        ("/slow", slow),
        (
            "/garbage",
            Route::ok("application/json", "{\"nope\": true}"),
        ),
        ("/huge", {
            // A faithful answer behind 2 MiB of whitespace: only the size cap refuses it.
            let mut huge = answer("三期码头投入试运行,新建2个泊位,年吞吐能力60万标箱。");
            huge.body = [vec![b' '; 2 << 20], huge.body].concat();
            huge
        }),
    ])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    for path in ["/busy", "/slow", "/garbage", "/missing", "/huge"] {
        let r = refiner(
            &server.base,
            path,
            &dir.path().join(format!("{}.json", &path[1..])),
        );
        let (text, outcome) = r.refine(day(), "标题", ARTICLE, EXTRACTIVE, 60).await;
        assert_eq!(text, EXTRACTIVE, "{path}");
        assert!(
            matches!(outcome, RefineOutcome::Failed(_)),
            "{path}: {outcome:?}"
        );
    }
}

const BRIDGE_TITLE: &str = "运河大桥今天通车";
const BRIDGE_SUMMARY: &str =
    "横跨京杭运河的运河大桥今天上午正式通车，大桥全长1280米，流转土地三百亩。";

#[tokio::test]
async fn a_checked_translation_is_kept_and_asked_once_per_day() {
    let server = server(vec![(
        "/translate",
        answer(
            "TITLE: Canal Bridge (运河大桥) opens today\nSUMMARY: The 1,280-metre Canal Bridge (运河大桥) across the Grand Canal (京杭运河) opened this morning; 300 mu of land was transferred.",
        ),
    )])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("llm-cache.json");
    let r = refiner(&server.base, "/translate", &cache);
    let (english, outcome) = r.translate(day(), BRIDGE_TITLE, BRIDGE_SUMMARY).await;
    assert_eq!(outcome, RefineOutcome::Refined);
    let english = english.expect("a translation");
    assert_eq!(english.title, "Canal Bridge (运河大桥) opens today");
    assert!(english.summary.contains("300 mu"), "{}", english.summary);
    // Cached per item and language, across a restart.
    let restarted = refiner(&server.base, "/translate", &cache);
    let (again, outcome) = restarted
        .translate(day(), BRIDGE_TITLE, BRIDGE_SUMMARY)
        .await;
    assert_eq!(outcome, RefineOutcome::Cached);
    assert_eq!(again, Some(english));
    assert_eq!(server.received().len(), 1, "one call per headline per day");
    assert!(server.received()[0].body.contains("TITLE"));
}

#[tokio::test]
async fn a_translation_with_a_changed_figure_or_unit_is_refused() {
    let server = server(vec![
        (
            "/hectares",
            answer("TITLE: Canal Bridge opens\nSUMMARY: The 1,280-metre bridge opened; 300 hectares of land were transferred."),
        ),
        (
            "/longer",
            answer("TITLE: Canal Bridge opens\nSUMMARY: The 1,380-metre bridge opened."),
        ),
        (
            "/name",
            answer("TITLE: Pinghu (平湖) bridge opens\nSUMMARY: The bridge opened."),
        ),
        ("/one-line", answer("Canal Bridge opens today.")),
    ])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, why) in [
        ("/hectares", "Hectare"),
        ("/longer", "1380"),
        ("/name", "平湖"),
        ("/one-line", "TITLE"),
    ] {
        let r = refiner(
            &server.base,
            path,
            &dir.path().join(format!("{}.json", &path[1..])),
        );
        let (english, outcome) = r.translate(day(), BRIDGE_TITLE, BRIDGE_SUMMARY).await;
        assert_eq!(english, None, "{path}");
        assert!(
            matches!(&outcome, RefineOutcome::Rejected(reason) if reason.contains(why)),
            "{path}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn english_readers_see_checked_translations_and_the_wording_as_printed_otherwise() {
    use newsbot::app::daily::{DailyRequest, build_daily_digest};
    use newsbot::app::ingest::EditionSource;
    use newsbot::core::digest::{Lang, RenderOptions, Section, render_telegram_html};
    use newsbot::core::summary::Summarizer;
    use newsbot::edge::fetch::{FetchLimits, Fetcher};

    // One answer for every question: it fits the bridge story and no other, so the bridge
    // headline is translated and the old-street one is refused and shown as printed.
    let server = server(vec![(
        "/llm",
        answer("TITLE: Canal Bridge (运河大桥) opens today\nSUMMARY: The Canal Bridge (运河大桥) opened this morning."),
    )])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let r = refiner(&server.base, "/llm", &dir.path().join("c.json"));
    let request = DailyRequest {
        source: EditionSource::Pages(vec![format!(
            "{}/tests/fixtures/chat/zh-qiaodong-a01.txt",
            env!("CARGO_MANIFEST_DIR")
        )]),
        fetch_date: day(),
        date: Some(day()),
        feeds: Vec::new(),
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    let daily = build_daily_digest(&request, &fetcher, &Summarizer::new(), Some(&r))
        .await
        .expect("digest");
    assert_eq!(daily.translations.len(), 2);
    assert_eq!(daily.translations[0], RefineOutcome::Refined);
    assert!(matches!(daily.translations[1], RefineOutcome::Rejected(_)));
    let english = render_telegram_html(
        &daily.digest,
        &RenderOptions {
            lang: Lang::En,
            sections: vec![Section::Headlines],
            short_summaries: false,
        },
    )
    .join("\n");
    assert!(
        english.contains("<b>1. Canal Bridge (运河大桥) opens today</b>\n<i>运河大桥今天通车</i>"),
        "{english}"
    );
    assert!(english.contains("<b>2. 老街修缮记</b>"), "{english}");
    assert!(
        english.contains("The paper prints these in Chinese"),
        "{english}"
    );
    // Chinese readers see the paper's words only.
    let chinese = render_telegram_html(
        &daily.digest,
        &RenderOptions {
            lang: Lang::Zh,
            sections: vec![Section::Headlines],
            short_summaries: false,
        },
    )
    .join("\n");
    assert!(!chinese.contains("Canal Bridge"), "{chinese}");
}
