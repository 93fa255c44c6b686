//! `cargo bench --bench robustness`: the real program on inputs at the size limits, each run
//! as its own process so its peak memory is its own (wait4's `ru_maxrss`):
//! - `digest` of an 8 MiB edition that is one article (parse, summarise, render);
//! - `summarize --jsonl` of one 8 MiB line;
//! - `digest` of an RSS feed of 10,000 items.
//!
//! Each case runs three times; the figures are the median time and the largest peak RSS,
//! against the targets of 2 s and 256 MiB.

#[path = "support/measured.rs"]
mod measured;

use measured::run_newsbot;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

const RUNS: usize = 3;
const TARGET_TIME: Duration = Duration::from_secs(2);
const TARGET_RSS_MIB: f64 = 256.0;
/// Just under the edition and line limits (8 MiB).
const SIZE: usize = 8 * 1024 * 1024 - 64 * 1024;

/// One article whose body is `SIZE` bytes of distinct sentences in short paragraphs.
fn one_article_edition() -> String {
    let mut page = String::from(
        "青溪日报\n\n2026年11月30日 星期一\n\n青溪港三期码头全面投入运营\n\n■记者 韩东\n\n本报讯 ",
    );
    let mut i = 0usize;
    while page.len() < SIZE {
        let _ = write!(
            page,
            "青溪港三期码头第{i}号泊位完成第{}次装卸作业,共装卸集装箱{}个。",
            i % 97,
            i * 7 % 1000
        );
        if i % 5 == 4 {
            page.push_str("\n\n");
        }
        i += 1;
    }
    page
}

/// One JSON Lines record whose article is `SIZE` bytes.
fn huge_jsonl_line() -> String {
    let edition = one_article_edition();
    let body = edition.split_once("本报讯 ").map_or("", |(_, b)| b);
    let article = &body[..body.len().min(SIZE - 1024)];
    let mut end = article.len();
    while !article.is_char_boundary(end) {
        end -= 1;
    }
    let record = serde_json::json!({
        "id": 1,
        "title": "青溪港三期码头全面投入运营",
        "article": &article[..end],
    });
    format!("{record}\n")
}

/// An RSS 2.0 feed of `count` items.
fn big_feed(count: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>青溪新闻</title><link>https://news.example.org/</link><description>bench</description>\n",
    );
    for i in 0..count {
        let _ = writeln!(
            xml,
            "<item><title>第{i}条:青溪港三期码头第{}号泊位完成装卸</title><link>https://news.example.org/{i}</link><pubDate>Mon, 30 Nov 2026 06:{:02}:00 +0000</pubDate><description>青溪港三期码头第{}号泊位昨日完成第{i}次装卸作业,共装卸集装箱{}个。码头运营方表示,明年一季度将正式投入运营。</description></item>",
            i % 97,
            i % 60,
            i % 97,
            i * 7 % 1000
        );
    }
    xml.push_str("</channel></rss>\n");
    xml
}

fn case(name: &str, dir: &Path, args: &[&str]) {
    let mut times = Vec::new();
    let mut peak = 0u64;
    for _ in 0..RUNS {
        let (t, rss) = run_newsbot(dir, args, &[]);
        times.push(t);
        peak = peak.max(rss);
    }
    times.sort();
    let median = times[RUNS / 2];
    let mib = peak as f64 / 1024.0;
    let ok = median <= TARGET_TIME && mib <= TARGET_RSS_MIB;
    println!(
        "{name}: median {:.2} s (runs {}), peak RSS {mib:.1} MiB  [{}]",
        median.as_secs_f64(),
        times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        if ok {
            "within 2 s / 256 MiB"
        } else {
            "OVER TARGET"
        }
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let edition = dir.path().join("one-article.txt");
    std::fs::write(&edition, one_article_edition()).expect("write edition");
    let jsonl = dir.path().join("one-line.jsonl");
    std::fs::write(&jsonl, huge_jsonl_line()).expect("write jsonl");
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, big_feed(10_000)).expect("write feed");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1_048_576.0;
    println!(
        "newsbot robustness benchmark (release build; {RUNS} runs each; inputs {:.1} MiB, {:.1} MiB, {:.1} MiB)",
        size(&edition),
        size(&jsonl),
        size(&feed)
    );
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let (edition, jsonl, feed) = (path(&edition), path(&jsonl), path(&feed));
    case(
        "8 MiB edition, one article (digest)",
        dir.path(),
        &[
            "digest",
            "--edition",
            &edition,
            "--no-archive",
            "--format",
            "json",
        ],
    );
    case(
        "8 MiB --jsonl line (summarize)",
        dir.path(),
        &["summarize", "--jsonl", &jsonl, "--short"],
    );
    case(
        "feed of 10,000 items (digest)",
        dir.path(),
        &[
            "digest",
            "--edition",
            &feed,
            "--no-archive",
            "--format",
            "json",
        ],
    );
}
