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
