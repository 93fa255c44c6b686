//! Pages the parser was not written against (`tests/fixtures/unseen/`): each `page.txt` has a
//! `page.expect.json` saying what a careful reader sees on it (masthead, articles with their
//! reporters and first words, photos, weather, notices with kind, title, issuer, phones and
//! sign-off date, and which lines each owns). Every mismatch on every page is reported at once.

use std::fmt::Write as _;
use std::path::PathBuf;

use newsbot::core::edition::{Edition, Language, NoticeKind, parse_edition};
use serde::Deserialize;

use crate::support::assert_every_line_owned_once;

#[derive(Deserialize)]
struct Expected {
    language: String,
    masthead: Option<ExpectedMasthead>,
    articles: Vec<ExpectedArticle>,
    photos: Vec<ExpectedPhoto>,
    weather_lines: Vec<usize>,
    notices: Vec<ExpectedNotice>,
}

#[derive(Deserialize)]
struct ExpectedMasthead {
    name_contains: String,
    iso_date: Option<String>,
    lines: Vec<usize>,
}

#[derive(Deserialize)]
struct ExpectedArticle {
    title: String,
    reporters: Vec<String>,
    body_starts_with: String,
    lines: Vec<usize>,
}

#[derive(Deserialize)]
struct ExpectedPhoto {
    photographers: Vec<String>,
    lines: Vec<usize>,
}

#[derive(Deserialize)]
struct ExpectedNotice {
    kind: String,
    title: Option<String>,
    issuer: Option<String>,
    phones: Vec<String>,
    dates_include: Vec<String>,
    lines: Vec<usize>,
}

/// `tests/fixtures/unseen`, or another folder of pages with expectations named by
/// `NEWSBOT_UNSEEN_PAGES` (to check a set kept outside the repository the same way).
fn folder() -> PathBuf {
    std::env::var_os("NEWSBOT_UNSEEN_PAGES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unseen"),
        PathBuf::from,
    )
}

/// The pages, sorted by name, with their expectations.
fn pages() -> Vec<(String, String, Expected)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(folder())
        .expect("tests/fixtures/unseen")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|page| {
            let name = page
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&page).expect("page");
            let json = std::fs::read_to_string(page.with_extension("expect.json"))
                .unwrap_or_else(|e| panic!("{name}: no expectations: {e}"));
            let expected = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{name}: bad expectations: {e}"));
            (name, text, expected)
        })
        .collect()
}

fn kind_name(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Announcement => "announcement",
        NoticeKind::Advert => "advert",
        NoticeKind::Reminder => "reminder",
        NoticeKind::Slogan => "slogan",
    }
}

/// Every difference between what the parser read and what a reader sees.
fn differences(e: &Edition, x: &Expected) -> Vec<String> {
    let mut d = Vec::new();
    let language = match e.language {
        Language::Zh => "zh",
        Language::En => "en",
    };
    if language != x.language {
        d.push(format!("language {language}, expected {}", x.language));
    }
    match (&e.masthead, &x.masthead) {
        (Some(m), Some(xm)) => {
            if !m.name.contains(&xm.name_contains) {
                d.push(format!("masthead name {:?}", m.name));
            }
            if m.iso_date != xm.iso_date {
                d.push(format!(
                    "masthead date {:?}, expected {:?}",
                    m.iso_date, xm.iso_date
                ));
            }
            if m.lines != xm.lines {
                d.push(format!(
                    "masthead lines {:?}, expected {:?}",
                    m.lines, xm.lines
                ));
            }
        }
        (None, None) => {}
        (got, want) => d.push(format!("masthead {got:?}, expected {}", want.is_some())),
    }
    let titles: Vec<&str> = e.articles.iter().map(|a| a.title.as_str()).collect();
    let want: Vec<&str> = x.articles.iter().map(|a| a.title.as_str()).collect();
    if titles != want {
        d.push(format!("titles {titles:?}, expected {want:?}"));
    }
    for xa in &x.articles {
        let Some(a) = e.articles.iter().find(|a| a.title == xa.title) else {
            continue;
        };
        if a.reporters != xa.reporters {
            d.push(format!(
                "'{}': reporters {:?}, expected {:?}",
                a.title, a.reporters, xa.reporters
            ));
        }
        let first = a.paragraphs.first().map_or("", String::as_str);
        if !first.starts_with(&xa.body_starts_with) {
            let shown: String = first.chars().take(20).collect();
            d.push(format!(
                "'{}': body starts {shown:?}, expected {:?}",
                a.title, xa.body_starts_with
            ));
        }
        if a.lines != xa.lines {
            d.push(format!(
                "'{}': lines {:?}, expected {:?}",
                a.title, a.lines, xa.lines
            ));
        }
    }
    let photos: Vec<(&Vec<String>, &Vec<usize>)> = e
        .photos
        .iter()
        .map(|p| (&p.photographers, &p.lines))
        .collect();
    let want: Vec<(&Vec<String>, &Vec<usize>)> = x
        .photos
        .iter()
        .map(|p| (&p.photographers, &p.lines))
        .collect();
    if photos != want {
        d.push(format!("photos {photos:?}, expected {want:?}"));
    }
    let weather = e
        .weather
        .as_ref()
        .map(|w| w.lines.clone())
        .unwrap_or_default();
    if weather != x.weather_lines {
        d.push(format!(
            "weather lines {weather:?}, expected {:?}",
            x.weather_lines
        ));
    }
    let starts: Vec<usize> = e
        .notices
        .iter()
        .filter_map(|n| n.lines.first().copied())
        .collect();
    let want: Vec<usize> = x
        .notices
        .iter()
        .filter_map(|n| n.lines.first().copied())
        .collect();
    if starts != want {
        d.push(format!("notices start at {starts:?}, expected {want:?}"));
    }
    for xn in &x.notices {
        let Some(n) = e
            .notices
            .iter()
            .find(|n| n.lines.first() == xn.lines.first())
        else {
            continue;
        };
        let at = xn.lines.first().copied().unwrap_or(0);
        if kind_name(n.kind) != xn.kind {
            d.push(format!(
                "notice at {at}: kind {:?}, expected {}",
                n.kind, xn.kind
            ));
        }
        if xn.kind != "reminder" && n.title != xn.title {
            d.push(format!(
                "notice at {at}: title {:?}, expected {:?}",
                n.title, xn.title
            ));
        }
        if n.issuer != xn.issuer {
            d.push(format!(
                "notice at {at}: issuer {:?}, expected {:?}",
                n.issuer, xn.issuer
            ));
        }
        if n.phones != xn.phones {
            d.push(format!(
                "notice at {at}: phones {:?}, expected {:?}",
                n.phones, xn.phones
            ));
        }
        for date in &xn.dates_include {
            if !n.dates.contains(date) {
                d.push(format!("notice at {at}: dates {:?} lack {date:?}", n.dates));
            }
        }
        if n.lines != xn.lines {
            d.push(format!(
                "notice at {at}: lines {:?}, expected {:?}",
                n.lines, xn.lines
            ));
        }
    }
    d
}

#[test]
fn unseen_pages_are_read_as_a_careful_reader_reads_them() {
    let pages = pages();
    assert!(
        pages.len() >= 10 || std::env::var_os("NEWSBOT_UNSEEN_PAGES").is_some(),
        "only {} unseen pages",
        pages.len()
    );
    let mut report = String::new();
    for (name, text, expected) in &pages {
        let edition = parse_edition(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_every_line_owned_once(text, &edition);
        let mut found = differences(&edition, expected);
        if !edition.unclassified.is_empty() {
            found.push(format!("unclassified {:?}", edition.unclassified));
        }
        for line in found {
            let _ = writeln!(report, "{name}: {line}");
        }
    }
    assert!(report.is_empty(), "\n{report}");
}
