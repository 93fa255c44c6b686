//! `cargo bench --bench web`: how fast newsbot reads the web. For news pages and for feeds,
//! two medians each:
//! - in-process: bytes → decoded text → edition (`decode_text` + `read_document`), per
//!   document, the median of each document's best of three runs, over all documents;
//! - whole process: `newsbot edition FILE --json`, start to exit, over a sample of documents.
//!
//! Inputs: every page and feed in `../shared/realworld/` when it is beside the checkout
//! (public test inputs, measured here and never copied into the repository), else the
//! project's own fixtures in `tests/fixtures/web/`. The target for pages is an in-process
//! median of 2 ms or less. A whole process pays its start-up and, on a page, the one-time
//! compilation of the byline and dateline patterns, which a long-running `serve` pays once.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsbot::core::document::read_document;
use newsbot::edge::fetch::decode_text;

/// Whole-process runs per kind (one per document, spread over the set).
const PROCESS_SAMPLE: usize = 60;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn is_page(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

fn inputs() -> (Vec<PathBuf>, Vec<PathBuf>, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/realworld");
    let mut files = Vec::new();
    let source = if shared.is_dir() {
        files_under(&shared.join("html"), &mut files);
        files_under(&shared.join("feeds"), &mut files);
        "../shared/realworld"
    } else {
        files_under(&root.join("tests/fixtures/web"), &mut files);
        "tests/fixtures/web"
    };
    let (pages, feeds): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| is_page(p));
    let feeds = feeds
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| {
                matches!(e.to_str(), Some("xml" | "rss" | "atom" | "json" | "rdf"))
            })
        })
        .collect();
    (pages, feeds, source)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn in_process(files: &[PathBuf]) -> (Duration, Duration, usize) {
    let mut per_document = Vec::new();
    let mut bytes_total = 0usize;
    for path in files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        bytes_total += bytes.len();
        let best = (0..3)
            .map(|_| {
                let start = Instant::now();
                if let Some(text) = decode_text(&bytes, None) {
                    let _ = black_box(read_document(&text.text, None));
                }
                start.elapsed()
            })
            .min()
            .unwrap_or_default();
        per_document.push(best);
    }
    let mut sorted = per_document.clone();
    sorted.sort();
    let p90 = sorted
        .get(sorted.len() * 9 / 10)
        .copied()
        .unwrap_or_default();
    (median(per_document), p90, bytes_total)
}

fn whole_process(files: &[PathBuf]) -> Duration {
    let step = (files.len() / PROCESS_SAMPLE).max(1);
    let data = tempfile::tempdir().expect("a temporary folder");
    let times: Vec<Duration> = files
        .iter()
        .step_by(step)
        .take(PROCESS_SAMPLE)
        .map(|path| {
            let start = Instant::now();
            let _ = Command::new(env!("CARGO_BIN_EXE_newsbot"))
                .args(["edition", &path.to_string_lossy(), "--json"])
                .env("NEWSBOT_DATA_DIR", data.path().join("data"))
                .env("NEWSBOT_DIGEST_DIR", data.path().join("digests"))
                .env_remove("RUST_LOG")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            start.elapsed()
        })
        .collect();
    median(times)
}

fn ms(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{} µs", d.as_micros())
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1000.0)
    }
}

fn main() {
    let (pages, feeds, source) = inputs();
    println!(
        "web reading benchmark: {} pages and {} feeds from {source}",
        pages.len(),
        feeds.len()
    );
    let (page_median, page_p90, page_bytes) = in_process(&pages);
    let (feed_median, feed_p90, feed_bytes) = in_process(&feeds);
    println!(
        "  in-process   pages: median {} a page (p90 {}), {:.1} MB in all",
        ms(page_median),
        ms(page_p90),
        page_bytes as f64 / 1e6
    );
    println!(
        "  in-process   feeds: median {} a feed (p90 {}), {:.1} MB in all",
        ms(feed_median),
        ms(feed_p90),
        feed_bytes as f64 / 1e6
    );
    let page_process = whole_process(&pages);
    let feed_process = whole_process(&feeds);
    println!(
        "  whole process pages: median {} (`newsbot edition PAGE --json`, {} runs)",
        ms(page_process),
        pages.len().min(PROCESS_SAMPLE)
    );
    println!(
        "  whole process feeds: median {} (`newsbot edition FEED --json`, {} runs)",
        ms(feed_process),
        feeds.len().min(PROCESS_SAMPLE)
    );
    let verdict = if page_median <= Duration::from_millis(2) {
        "within"
    } else {
        "OVER"
    };
    println!("  target: in-process page median <= 2 ms: {verdict}");
}
