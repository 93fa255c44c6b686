//! `cargo bench --bench edition_site`: a whole paper read from a digital-edition site on
//! loopback: 56 pages (8 pages × 7 editions' worth), 4 articles each, made from the fixture
//! site's article pages, served in this process with no delay between requests
//! (`NEWSBOT_SITE_DELAY_MS=0`). The real `newsbot edition --json` (reading) and `newsbot
//! digest` (reading, summarising, rendering) run five times each as their own processes; the
//! median wall time, the per-page cost and the largest peak resident set are printed (never
//! asserted). Targets: reading the whole paper ≤ 2 s and ≤ 200 MB.

#[path = "support/measured.rs"]
mod measured;

use measured::run_newsbot;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

const PAGES: usize = 56;
const ARTICLES_PER_PAGE: usize = 4;
const RUNS: usize = 5;

/// The generated site: path → HTML.
type Site = Arc<std::collections::HashMap<String, String>>;

fn build_site() -> Site {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites/zh-shuzibao/html/2026-12/01");
    let articles: Vec<String> = (1001..=1009)
        .map(|n| {
            std::fs::read_to_string(folder.join(format!("content_{n}.htm")))
                .expect("fixture article")
        })
        .collect();
    let mut site = std::collections::HashMap::new();
    let page_list: String = (1..=PAGES)
        .map(|p| format!("<li><a href=\"node_{p}.htm\">第{p:02}版：版面{p}</a></li>"))
        .collect();
    for page in 1..=PAGES {
        let mut list = String::new();
        for k in 0..ARTICLES_PER_PAGE {
            let id = page * 10 + k;
            let source = &articles[(page * ARTICLES_PER_PAGE + k) % articles.len()];
            // Each copy its own story: the title carries its page and place.
            let html = source.replace("</h1>", &format!("（{page}-{k}）</h1>"));
            let title = html
                .split_once("<h1")
                .and_then(|(_, rest)| rest.split_once('>'))
                .and_then(|(_, rest)| rest.split_once("</h1>"))
                .map_or("稿件", |(title, _)| title)
                .to_owned();
            list.push_str(&format!(
                "<li><a href=\"content_{id}.htm\">{title}</a></li>"
            ));
            site.insert(format!("/html/2026-12/01/content_{id}.htm"), html);
        }
        site.insert(
            format!("/html/2026-12/01/node_{page}.htm"),
            format!(
                "<html><head><meta charset=\"utf-8\"><title>第{page:02}版</title></head><body>\
                 <div class=\"pages\"><ul>{page_list}</ul></div><div class=\"list\"><ul>{list}</ul></div>\
                 <a href=\"node_{}.htm\">下一版</a></body></html>",
                page % PAGES + 1
            ),
        );
    }
    Arc::new(site)
}

async fn serve(State(site): State<Site>, uri: Uri) -> Response {
    match site.get(uri.path()) {
        Some(html) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn case(name: &str, dir: &Path, args: &[&str]) {
    let mut times = Vec::new();
    let mut peak = 0u64;
    for _ in 0..RUNS {
        let (t, rss) = run_newsbot(
            dir,
            args,
            &[
                ("NEWSBOT_SITE_DELAY_MS", "0"),
                ("NEWSBOT_SITE_MAX_PAGES", "64"),
            ],
        );
        times.push(t);
        peak = peak.max(rss);
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "{name}: median {:.2} s (runs {}), {:.1} ms a page, peak RSS {:.1} MiB",
        median.as_secs_f64(),
        times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        median.as_secs_f64() * 1000.0 / PAGES as f64,
        peak as f64 / 1024.0
    );
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let site = build_site();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = Router::new().fallback(serve).with_state(site);
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let index = format!("http://{address}/html/2026-12/01/node_1.htm");
    let dir = tempfile::tempdir().expect("tempdir");
    println!(
        "edition_site: {PAGES} pages × {ARTICLES_PER_PAGE} articles on loopback, delay 0, {RUNS} runs each"
    );
    case(
        "read the whole paper (newsbot edition --json)",
        dir.path(),
        &["edition", "--json", "--date", "2026-12-01", &index],
    );
    case(
        "read, summarise and render it (newsbot digest --no-archive)",
        dir.path(),
        &[
            "digest",
            "--no-archive",
            "--date",
            "2026-12-01",
            "--edition",
            &index,
        ],
    );
}
