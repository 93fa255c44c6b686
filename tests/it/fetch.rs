//! Fetching against a loopback HTTP server: charset decoding, the size cap, a slow server,
//! a 404, redirects, binary content, feeds and the date template.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;
use encoding_rs::GB18030;
use newsbot::app::ingest::{IngestError, add_feeds, load_edition};
use newsbot::core::edition::SAMPLE_EDITION;
use newsbot::edge::fetch::{FetchError, FetchLimits, Fetcher, Source};

use crate::support::http::{Route, serve};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("valid date")
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchLimits {
        timeout: Duration::from_millis(800),
        max_bytes: 1024 * 1024,
        max_redirects: 3,
        ..FetchLimits::default()
    })
    .expect("client")
}

async fn server(routes: Vec<(&str, Route)>) -> String {
    serve(
        routes
            .into_iter()
            .map(|(p, r)| (p.to_owned(), r))
            .collect::<HashMap<_, _>>(),
    )
    .await
}

async fn fetch(base: &str, path: &str) -> Result<newsbot::edge::fetch::Fetched, FetchError> {
    let source = Source::parse(&format!("{base}{path}"), day()).expect("valid url");
    fetcher().read(&source).await
}

const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>青溪发布</title>
<item><title>地铁3号线开通</title><link>https://example.org/m3</link>
<description>&lt;p&gt;今天上午,地铁3号线开通运营。&lt;/p&gt;</description></item>
</channel></rss>"#;

#[tokio::test]
async fn gbk_page_is_decoded_by_its_declared_charset() {
    let (gbk, _, _) = GB18030.encode(SAMPLE_EDITION);
    let base = server(vec![
        (
            "/gbk.txt",
            Route::ok("text/plain; charset=GBK", gbk.to_vec()),
        ),
        ("/undeclared.txt", Route::ok("text/plain", gbk.to_vec())),
    ])
    .await;
    let page = fetch(&base, "/gbk.txt").await.expect("fetched");
    assert_eq!(page.text, SAMPLE_EDITION);
    assert_eq!(page.encoding, "gb18030");
    let sniffed = fetch(&base, "/undeclared.txt").await.expect("fetched");
    assert_eq!(sniffed.text, SAMPLE_EDITION, "undeclared GBK is recognised");
}

#[tokio::test]
async fn body_over_the_cap_is_refused_with_or_without_content_length() {
    let big = vec![b'a'; 1024 * 1024 + 1];
    let mut streamed = Route::ok("text/plain", big.clone());
    streamed.close_delimited = true;
    let base = server(vec![
        ("/big", Route::ok("text/plain", big)),
        ("/streamed", streamed),
    ])
    .await;
    for path in ["/big", "/streamed"] {
        let err = fetch(&base, path).await.expect_err("too large");
        assert!(
            matches!(
                err,
                FetchError::TooLarge {
                    limit: 1_048_576,
                    ..
                }
            ),
            "{path}: {err}"
        );
        assert!(
            err.to_string()
                .contains("larger than the 1048576 byte limit")
        );
    }
}

#[tokio::test]
async fn slow_server_times_out_with_a_clear_error() {
    let mut slow = Route::ok("text/plain", SAMPLE_EDITION);
    slow.delay = Duration::from_secs(5);
    let base = server(vec![("/slow", slow)]).await;
    let err = fetch(&base, "/slow").await.expect_err("timeout");
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("timed out"));
}

#[tokio::test]
async fn missing_page_is_a_404_error_naming_the_url() {
    let base = server(vec![]).await;
    let err = fetch(&base, "/2026/11/29.txt").await.expect_err("404");
    assert!(matches!(err, FetchError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("/2026/11/29.txt") && err.to_string().contains("404"));
}

#[tokio::test]
async fn server_errors_binary_content_and_redirect_loops_are_refused() {
    let base = server(vec![
        ("/teapot", Route::status(418)),
        (
            "/photo.png",
            Route::ok("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        ),
        (
            "/mislabelled",
            Route::ok("text/plain", b"\x00\x01\x02\x03binary".to_vec()),
        ),
        ("/loop", Route::redirect("/loop")),
    ])
    .await;
    assert!(matches!(
        fetch(&base, "/teapot").await,
        Err(FetchError::Status { status: 418, .. })
    ));
    assert!(matches!(
        fetch(&base, "/photo.png").await,
        Err(FetchError::Binary { .. })
    ));
    assert!(matches!(
        fetch(&base, "/mislabelled").await,
        Err(FetchError::Binary { .. })
    ));
    assert!(matches!(
        fetch(&base, "/loop").await,
        Err(FetchError::Redirects { limit: 3, .. })
    ));
}

#[tokio::test]
async fn date_template_asks_for_the_days_page() {
    let base = server(vec![(
        "/2026/11/29/page.txt",
        Route::ok("text/plain; charset=utf-8", SAMPLE_EDITION),
    )])
    .await;
    let loaded = load_edition(
        Some(&format!("{base}/{{yyyy}}/{{mm}}/{{dd}}/page.txt")),
        day(),
        &fetcher(),
    )
    .await
    .expect("loaded");
    assert_eq!(loaded.edition.articles.len(), 5);
    assert!(loaded.origin.ends_with("/2026/11/29/page.txt"));
}

#[tokio::test]
async fn a_feed_url_is_told_from_a_page_by_its_content() {
    let base = server(vec![("/feed", Route::ok("application/rss+xml", RSS))]).await;
    let loaded = load_edition(Some(&format!("{base}/feed")), day(), &fetcher())
        .await
        .expect("feed");
    assert_eq!(loaded.edition.articles.len(), 1);
    assert_eq!(loaded.edition.articles[0].title, "地铁3号线开通");
    assert_eq!(
        loaded.edition.articles[0].link.as_deref(),
        Some("https://example.org/m3")
    );
    assert_eq!(
        loaded.edition.articles[0].paragraphs,
        vec!["今天上午,地铁3号线开通运营。"]
    );
}

#[tokio::test]
async fn configured_feeds_join_the_edition_and_a_broken_one_only_warns() {
    let base = server(vec![
        ("/feed", Route::ok("application/rss+xml", RSS)),
        (
            "/broken",
            Route::ok("application/rss+xml", "<rss><channel><item>"),
        ),
    ])
    .await;
    let mut edition = load_edition(None, day(), &fetcher())
        .await
        .expect("sample")
        .edition;
    let feeds = [
        format!("{base}/feed"),
        format!("{base}/broken"),
        format!("{base}/gone"),
    ]
    .iter()
    .map(|u| url::Url::parse(u).expect("url"))
    .collect::<Vec<_>>();
    add_feeds(&mut edition, &feeds, day(), &fetcher()).await;
    assert_eq!(edition.articles.len(), 6);
    let feed_warnings: Vec<&str> = edition
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.starts_with("feed"))
        .collect();
    assert_eq!(feed_warnings.len(), 2, "{feed_warnings:?}");
    assert!(
        feed_warnings
            .iter()
            .any(|m| m.contains("/gone") && m.contains("404"))
    );
}

#[tokio::test]
async fn local_files_over_the_cap_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse 100 MB");
    let err = fetcher()
        .read(&Source::Path(path))
        .await
        .expect_err("too large");
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err}");
    let missing = load_edition(Some("/no/such/edition.txt"), day(), &fetcher())
        .await
        .expect_err("missing");
    assert!(matches!(missing, IngestError::Fetch(FetchError::Io { .. })));
}
