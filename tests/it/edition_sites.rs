//! Digital-edition sites read end to end by the real binary: three fixture sites in different
//! layouts (a Chinese 数字报 whose index is also page 1, an English e-edition whose section
//! pages list stories kept elsewhere, and an app-shell index over old table pages) served on
//! loopback, each checked against its `EXPECTED.json`: the pages and their names, every
//! article on the first page that lists it, its headline parts, authors and text, a story
//! continued across pages joined, the weather and notices. Then the bounds: a failing
//! article, the article budget, and a day not yet published.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::process::run_newsbot;
use crate::support::site_server::serve_site;

/// Runs `newsbot edition --json` on `url` for 2026-12-01 (or `date`) with `env`.
async fn read_edition(
    url: String,
    date: &str,
    env: Vec<(String, String)>,
) -> (Option<i32>, Value, String) {
    let date = date.to_owned();
    tokio::task::spawn_blocking(move || {
        let data = tempfile::tempdir().expect("tempdir");
        let mut vars: Vec<(&str, &str)> = vec![("NEWSBOT_SITE_DELAY_MS", "0")];
        vars.extend(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let out = run_newsbot(
            data.path(),
            &["edition", "--json", "--date", &date, &url],
            &vars,
        );
        let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (
            out.status.code(),
            json,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("newsbot ran")
}

fn expected(site: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(site)
        .join("EXPECTED.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("EXPECTED.json")).expect("JSON")
}

fn text_of(article: &Value) -> String {
    article["paragraphs"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Compares what newsbot read with the site's expectations; every difference, in words.
fn differences(site: &str, read: &Value) -> Vec<String> {
    let want = expected(site);
    let mut out = Vec::new();
    // Each article once, on the first page that lists it.
    let mut articles: BTreeMap<String, (String, Value)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for page in want["pages"].as_array().expect("pages") {
        for article in page["articles"].as_array().expect("articles") {
            let path = article["path"].as_str().unwrap_or_default().to_owned();
            if let std::collections::btree_map::Entry::Vacant(slot) = articles.entry(path.clone()) {
                order.push(path);
                let number = page["number"].as_str().unwrap_or_default().to_owned();
                slot.insert((number, article.clone()));
            }
        }
    }
    // Not articles: the second part of a story continued on another page (joined to the
    // first), and the weather and notices published as article pages.
    let mut not_articles: Vec<&str> = want["continued"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["paths"][0] != c["paths"][1])
        .filter_map(|c| c["paths"][1].as_str())
        .collect();
    not_articles.extend(want["weather"]["path"].as_str());
    not_articles.extend(
        want["notices"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["path"].as_str()),
    );
    let got = read["articles"].as_array().cloned().unwrap_or_default();
    let wanted: Vec<&(String, Value)> = order
        .iter()
        .filter(|p| !not_articles.contains(&p.as_str()))
        .filter_map(|p| articles.get(p))
        .collect();
    let titles = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|a| a["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let want_titles: Vec<String> = wanted
        .iter()
        .map(|(_, a)| a["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    if titles(&got) != want_titles {
        out.push(format!(
            "titles: got {:?}, want {:?}",
            titles(&got),
            want_titles
        ));
    }
    for (number, article) in wanted {
        let title = article["title"].as_str().unwrap_or_default();
        let Some(found) = got.iter().find(|a| a["title"] == article["title"]) else {
            continue;
        };
        if found["page"]["number"].as_str() != Some(number.as_str()) {
            out.push(format!(
                "{title}: page {} not {number}",
                found["page"]["number"]
            ));
        }
        for part in ["kicker", "subtitle"] {
            if found[part] != article[part] {
                out.push(format!(
                    "{title}: {part} {} not {}",
                    found[part], article[part]
                ));
            }
        }
        let reporters = found["reporters"].to_string();
        for author in article["authors"].as_array().into_iter().flatten() {
            if !reporters.contains(author.as_str().unwrap_or("?")) {
                out.push(format!("{title}: author {author} missing from {reporters}"));
            }
        }
        let text = text_of(found);
        for phrase in article["body_contains"].as_array().into_iter().flatten() {
            if !text.contains(phrase.as_str().unwrap_or("?")) {
                out.push(format!("{title}: text lacks {phrase}"));
            }
        }
    }
    for jump in want["continued"].as_array().into_iter().flatten() {
        let phrase = jump["joined_phrase"].as_str().unwrap_or("?");
        let joined = got
            .iter()
            .filter(|a| a["title"] == jump["title"])
            .collect::<Vec<_>>();
        if joined.len() != 1 || !text_of(joined[0]).contains(phrase) {
            out.push(format!(
                "continued {}: {} copies, joined text lacks {phrase:?}",
                jump["title"],
                joined.len()
            ));
        }
    }
    if let Some(weather) = want["weather"].as_object() {
        let today = &weather["today"];
        if read["weather"]["high_c"].as_f64() != today["temp_high_c"].as_f64()
            || read["weather"]["low_c"].as_f64() != today["temp_low_c"].as_f64()
            || read["weather"]["wind"] != today["wind"]
        {
            out.push(format!("weather: {} not {today}", read["weather"]));
        }
    }
    for notice in want["notices"].as_array().into_iter().flatten() {
        let found = read["notices"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["title"] == notice["title"]);
        match found {
            Some(n)
                if n["phones"]
                    .to_string()
                    .contains(notice["phone"].as_str().unwrap_or("?")) => {}
            other => out.push(format!("notice {}: {other:?}", notice["title"])),
        }
    }
    out
}

async fn check_site(site: &str) {
    let server = serve_site(site, &[]).await;
    let index = expected(site)["index"].as_str().expect("index").to_owned();
    let (code, read, stderr) =
        read_edition(format!("{}/{index}", server.base), "2026-12-01", vec![]).await;
    assert_eq!(code, Some(0), "{stderr}");
    let differences = differences(site, &read);
    assert!(differences.is_empty(), "{site}: {differences:#?}");
    assert_eq!(
        read["warnings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        read["warnings"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chinese_digital_edition_whose_index_is_its_first_page() {
    check_site("zh-shuzibao").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_e_edition_with_section_pages_and_stories_elsewhere() {
    check_site("en-eedition").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_shell_index_over_old_table_pages() {
    check_site("third").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_article_is_reported_and_the_budget_holds() {
    let server = serve_site("zh-shuzibao", &["html/2026-12/01/content_1005.htm"]).await;
    let index = format!("{}/html/2026-12/01/node_1.htm", server.base);
    let (code, read, stderr) = read_edition(index.clone(), "2026-12-01", vec![]).await;
    assert_eq!(code, Some(0), "{stderr}");
    let titles = read["articles"].to_string();
    assert!(!titles.contains("桐川港新开两条内河集装箱航线"));
    assert!(
        titles.contains("市民服务中心推出"),
        "the rest of page 2 still reads"
    );
    assert!(
        read["warnings"]
            .to_string()
            .contains("content_1005.htm' skipped")
    );
    let before = server.requests();
    let (code, read, _) = read_edition(
        index,
        "2026-12-01",
        vec![("NEWSBOT_SITE_MAX_ARTICLES".into(), "3".into())],
    )
    .await;
    assert_eq!(code, Some(0));
    assert_eq!(read["articles"].as_array().map(Vec::len), Some(3));
    assert!(
        read["warnings"]
            .to_string()
            .contains("article budget of 3 reached")
    );
    // The index and four pages (the index is page 1 and is not fetched twice), three articles.
    assert_eq!(server.requests() - before, 1 + 3 + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_not_yet_published_is_not_yesterdays_paper() {
    let server = serve_site("zh-shuzibao", &[]).await;
    // Tomorrow's index is not there yet.
    let (code, _, stderr) = read_edition(
        format!("{}/html/2026-12/02/node_1.htm", server.base),
        "2026-12-02",
        vec![],
    )
    .await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");
    // An index that answers with another day's pages is not today's edition.
    let (code, _, stderr) = read_edition(
        format!("{}/html/2026-12/01/node_1.htm", server.base),
        "2026-12-02",
        vec![],
    )
    .await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("has no pages for 2026-12-02 yet"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_of_a_site_groups_its_headlines_by_page() {
    let server = serve_site("en-eedition", &[]).await;
    let index = format!("{}/eedition/2026-12-01/index.html", server.base);
    let out = tokio::task::spawn_blocking(move || {
        let data = tempfile::tempdir().expect("tempdir");
        run_newsbot(
            data.path(),
            &[
                "digest",
                "--edition",
                &index,
                "--date",
                "2026-12-01",
                "--format",
                "html",
                "--lang",
                "en",
                "--no-archive",
            ],
            &[("NEWSBOT_SITE_DELAY_MS", "0")],
        )
    })
    .await
    .expect("newsbot ran");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    let order: Vec<usize> = [
        "<i>Page A1 · Front Page</i>",
        "Council approves $48.6 million budget",
        "<i>Page A2 · Local</i>",
        "<i>Page A6 · Local</i>",
        "Senior center gets new wheelchair-accessible van",
        "<i>Page B1 · Sports</i>",
    ]
    .iter()
    .map(|needle| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {html}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{html}");
    assert_eq!(
        html.matches("Council approves $48.6 million budget")
            .count(),
        1
    );
}

/// `serve`'s daily build reads the site named by `NEWSBOT_EDITION_SOURCE` (a template with
/// the date fields) and a resident's headlines come grouped by page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_builds_the_day_from_a_site_and_a_resident_reads_it_by_page() {
    use crate::support::process::{BotProcess, ask};
    use fake_telegram::{ChatRef, FakeTelegram, UserRef};

    let site = serve_site("zh-shuzibao", &[]).await;
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let source = format!("{}/html/{{yyyy}}-{{mm}}/{{dd}}/node_1.htm", site.base);
    let bot = BotProcess::start(
        &fake,
        data.path(),
        &[
            // 09:00 in Shanghai on 1 December: the day of the fixture site.
            ("NEWSBOT_CLOCK_START", "2026-12-01T01:00:00Z"),
            ("NEWSBOT_EDITION_SOURCE", &source),
            ("NEWSBOT_SITE_DELAY_MS", "0"),
        ],
    );
    let chat = ChatRef::private(7171);
    let user = UserRef::zh(7171);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    let headlines = loop {
        let answer = ask(&fake, &chat, &user, "/headlines").await;
        if answer.text.contains("桐川东环快速路全线贯通") {
            break answer.text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no digest from the site: {}",
            answer.text
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let order: Vec<usize> = [
        "第1版 要闻",
        "桐川东环快速路全线贯通",
        "第2版 综合新闻",
        "第3版 城事·民生",
    ]
    .iter()
    .map(|needle| {
        headlines
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {headlines}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{headlines}");
    assert_eq!(
        headlines.matches(". 桐川东环快速路全线贯通</b>").count(),
        1,
        "{headlines}"
    );
    assert!(
        headlines.starts_with("<b>桐川日报数字报</b>"),
        "the paper's name: {headlines}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_read_stops_at_its_time_limit() {
    let server = serve_site("zh-shuzibao", &[]).await;
    let started = std::time::Instant::now();
    let (code, _, stderr) = read_edition(
        format!("{}/html/2026-12/01/node_1.htm", server.base),
        "2026-12-01",
        vec![
            ("NEWSBOT_SITE_TIMEOUT_SECS".into(), "1".into()),
            ("NEWSBOT_SITE_DELAY_MS".into(), "1500".into()),
        ],
    )
    .await;
    // The first request after the index waits past the limit: nothing more is asked for.
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the site's read took longer than 1 s"),
        "{stderr}"
    );
    assert!(server.requests() <= 1 + 4, "{} requests", server.requests());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
