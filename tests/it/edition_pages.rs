//! Editions of many pages: read as one edition from the command line (a list of pages or a
//! `{page}` template), continued articles joined across pages, items labelled with their
//! page, a page that fails reported while the rest still reads, a story in the paper and in a
//! feed listed once, and the digest's headlines grouped by page.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use newsbot::app::ingest::{EditionSource, load_edition_with_feeds};
use newsbot::edge::fetch::{FetchLimits, Fetcher};

use crate::support::http::{Route, serve};
use crate::support::process::run_newsbot;

fn page(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn edition_json(args: &[&str]) -> serde_json::Value {
    let data = tempfile::tempdir().expect("tempdir");
    let mut all = vec!["edition", "--json"];
    all.extend(args);
    let out = run_newsbot(data.path(), &all, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn titles(edition: &serde_json::Value) -> Vec<String> {
    edition["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn three_pages_read_as_one_edition_with_the_continued_article_joined() {
    let (p1, p2, p3) = (
        page("qingxi-1.txt"),
        page("qingxi-2.txt"),
        page("qingxi-3.txt"),
    );
    let edition = edition_json(&[&p1, &p2, &p3]);
    assert_eq!(
        titles(&edition),
        ["城南大桥明日通车", "老街改造完工", "社区义诊进村"]
    );
    let bridge = &edition["articles"][0];
    let text: Vec<&str> = bridge["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    let text = text.join("\n");
    assert!(
        text.contains("连接城南新区与老城区。通车仪式将在桥南广场举行，市民可在上午九点后通行。"),
        "cut sentences re-joined across the page: {text}"
    );
    assert!(text.ends_with("请市民错峰出行。"), "{text}");
    assert!(!text.contains("下转") && !text.contains("上接"));
    assert_eq!(bridge["page"]["number"], "1");
    assert_eq!(bridge["page"]["name"], "要闻");
    assert_eq!(edition["articles"][2]["page"]["number"], "3");
    // The weather is on the second page given, the notice on the third.
    assert_eq!(edition["weather"]["high_c"], 12.0);
    assert_eq!(edition["notices"][0]["title"], "停水通知");
    assert_eq!(edition["notices"][0]["page"]["number"], "4");
    assert_eq!(edition["warnings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_page_template_reads_page_after_page_until_one_is_missing() {
    let listed = edition_json(&[
        &page("qingxi-1.txt"),
        &page("qingxi-2.txt"),
        &page("qingxi-3.txt"),
    ]);
    let template = edition_json(&[&page("qingxi-{page}.txt")]);
    assert_eq!(listed, template);
}

#[test]
fn a_missing_page_is_reported_and_the_rest_still_reads() {
    let missing = page("qingxi-9.txt");
    let edition = edition_json(&[&page("qingxi-1.txt"), &missing]);
    assert_eq!(titles(&edition), ["城南大桥明日通车", "老街改造完工"]);
    let warnings = edition["warnings"].to_string();
    assert!(warnings.contains("qingxi-9.txt' skipped"), "{warnings}");
    assert!(warnings.contains("continues on page 3"), "{warnings}");
    let data = tempfile::tempdir().expect("tempdir");
    let out = run_newsbot(
        data.path(),
        &["edition", &missing, &page("qingxi-8.txt")],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "no page at all is an error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("qingxi-9.txt"));
}

#[test]
fn an_english_jump_finds_its_page_by_its_key_word() {
    let edition = edition_json(&[&page("riverton-a1.txt"), &page("riverton-a6.txt")]);
    assert_eq!(
        titles(&edition),
        [
            "Council passes budget after long debate",
            "Library reopens with longer hours",
            "Schools plan a new term"
        ]
    );
    let budget = edition["articles"][0]["paragraphs"].to_string();
    assert!(
        budget.contains("over road repairs and the price of new buses"),
        "{budget}"
    );
    assert!(budget.contains("Rosa Diaz"));
    assert_eq!(edition["articles"][2]["page"]["number"], "A6");
}

#[test]
fn the_digest_groups_headlines_by_page() {
    let data = tempfile::tempdir().expect("tempdir");
    let (p1, p2) = (page("qingxi-1.txt"), page("qingxi-2.txt"));
    let out = run_newsbot(
        data.path(),
        &[
            "digest",
            "--edition",
            &p1,
            "--edition",
            &p2,
            "--format",
            "html",
            "--no-archive",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    let first = html.find("<i>第1版 要闻</i>").expect("page 1 heading");
    let bridge = html.find("城南大桥明日通车").expect("bridge");
    let third = html.find("<i>第3版 综合</i>").expect("page 3 heading");
    let clinic = html.find("社区义诊进村").expect("clinic");
    assert!(first < bridge && bridge < third && third < clinic, "{html}");
    assert_eq!(html.matches("<i>第1版").count(), 1, "one heading per page");
    // One page alone has no page headings.
    let out = run_newsbot(
        data.path(),
        &[
            "digest",
            "--edition",
            &p1,
            "--format",
            "html",
            "--no-archive",
        ],
        &[],
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("<i>第1版"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_in_the_paper_and_in_a_feed_is_listed_once() {
    let feed = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Qingxi","items":[
        {"id":"1","url":"https://news.example/old-street","title":"老街改造完工","content_text":"历时半年的老街改造工程昨天完工，沿街店铺陆续恢复营业。"},
        {"id":"2","url":"https://news.example/ferry","title":"渡口恢复运营","content_text":"停运一周的东门渡口今天恢复运营。"}]}"#;
    let base = serve(HashMap::from([(
        "/feed.json".to_owned(),
        Route::ok("application/feed+json", feed),
    )]))
    .await;
    let feeds = vec![url::Url::parse(&format!("{base}/feed.json")).expect("url")];
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    let source = EditionSource::Pages(vec![page("qingxi-1.txt"), page("qingxi-2.txt")]);
    let date = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let loaded = load_edition_with_feeds(&source, &feeds, date, &fetcher)
        .await
        .expect("edition");
    let titles: Vec<&str> = loaded
        .edition
        .articles
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "城南大桥明日通车",
            "老街改造完工",
            "社区义诊进村",
            "渡口恢复运营"
        ]
    );
    let street = &loaded.edition.articles[1];
    assert_eq!(
        street.link.as_deref(),
        Some("https://news.example/old-street")
    );
    assert!(
        street.paragraphs[0].contains("三处休息亭"),
        "the paper's fuller text is kept"
    );
}
