//! `cargo bench`: how long each step of the daily job takes on this machine, as medians over
//! repeated runs (with the 10th and 90th percentiles), for the embedded sample edition and,
//! when `../shared` is beside the checkout, the real Pinghu page.
//!
//! Targets on a 2-core machine: the dictionary load under 300 ms; parse + summarise + render of
//! a whole edition under 5 ms once the dictionary is loaded.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use newsbot::core::digest::{
    Lang, RenderOptions, Section, build_digest, render_markdown, render_telegram_html,
};
use newsbot::core::edition::{SAMPLE_EDITION, parse_edition};
use newsbot::core::summary::{Summarizer, Summary};

struct Figures {
    median: Duration,
    p10: Duration,
    p90: Duration,
}

fn measure(runs: usize, mut f: impl FnMut()) -> Figures {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    Figures {
        median: times[runs / 2],
        p10: times[runs / 10],
        p90: times[runs * 9 / 10],
    }
}

fn report(name: &str, runs: usize, f: &Figures, target: Option<Duration>) {
    let verdict = target.map_or(String::new(), |t| {
        format!(
            "  target {:>8.3} ms  ({:.1}x under)",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / f.median.as_secs_f64()
        )
    });
    println!(
        "{name:<34} median {:>9.3} ms  p10 {:>9.3}  p90 {:>9.3}  ({runs} runs){verdict}",
        f.median.as_secs_f64() * 1e3,
        f.p10.as_secs_f64() * 1e3,
        f.p90.as_secs_f64() * 1e3,
    );
}

fn bench_edition(label: &str, text: &str, summarizer: &Summarizer) {
    let edition = parse_edition(text).expect("edition parses");
    let articles = edition.articles.len();
    let date = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let options = RenderOptions {
        lang: Lang::Zh,
        sections: Section::ALL.to_vec(),
        short_summaries: false,
    };
    let summaries: Vec<Summary> = edition
        .articles
        .iter()
        .map(|a| summarizer.summarize_article(a))
        .collect();
    let digest = build_digest(&edition, date, "bench", &summaries);
    println!("\n{label}: {} bytes, {articles} articles", text.len());
    report(
        "parse edition",
        400,
        &measure(400, || drop(black_box(parse_edition(black_box(text))))),
        None,
    );
    let f = measure(100, || {
        for a in &edition.articles {
            black_box(summarizer.summarize_article(black_box(a)));
        }
    });
    report("summarise all articles", 100, &f, None);
    let bodies: Vec<String> = edition
        .articles
        .iter()
        .map(|a| a.paragraphs.join("\n"))
        .collect();
    let seg = measure(100, || {
        for body in &bodies {
            black_box(summarizer.segmenter().content_words(black_box(body)));
        }
    });
    report("  of which word segmentation", 100, &seg, None);
    println!(
        "{:<34} median {:>9.3} ms",
        "  per article",
        f.median.as_secs_f64() * 1e3 / articles.max(1) as f64
    );
    report(
        "render (Telegram HTML + Markdown)",
        400,
        &measure(400, || {
            black_box(render_telegram_html(black_box(&digest), &options));
            black_box(render_markdown(black_box(&digest), Lang::Zh));
        }),
        None,
    );
    report(
        "whole edition (parse+summarise+render)",
        100,
        &measure(100, || {
            let e = parse_edition(text).expect("parses");
            let s: Vec<Summary> = e
                .articles
                .iter()
                .map(|a| summarizer.summarize_article(a))
                .collect();
            let d = build_digest(&e, date, "bench", &s);
            black_box(render_telegram_html(&d, &options));
        }),
        Some(Duration::from_millis(5)),
    );
}

fn main() {
    println!("newsbot pipeline benchmark (release build; medians of repeated runs)");
    let load = measure(9, || drop(black_box(Summarizer::new())));
    report(
        "dictionary load (Summarizer::new)",
        9,
        &load,
        Some(Duration::from_millis(300)),
    );
    let summarizer = Summarizer::new();
    bench_edition("embedded sample", SAMPLE_EDITION, &summarizer);
    let pinghu = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/editions/pinghu-sample.txt");
    if let Ok(text) = std::fs::read_to_string(pinghu) {
        bench_edition("Pinghu sample (../shared)", &text, &summarizer);
    }
}
