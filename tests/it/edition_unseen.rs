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
    /// Running heads and feet, the desk's credits and contacts; unchecked when absent.
    #[serde(default)]
    furniture_lines: Option<Vec<usize>>,
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

/// The checks a page passed of those it was given, counted as the hold-out batches count
/// them: per page the masthead's name and date and the weather lines; per article its title,
/// reporters, first words and lines; per photo its photographers and lines; per notice its
/// kind, title, issuer, phones, dates and lines. A missing article or notice fails all its
/// checks; which lines the masthead and the furniture own is reported, not counted.
#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
    differences: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, difference: impl FnOnce() -> String) {
        self.total += 1;
        if ok {
            self.passed += 1;
        } else {
            self.differences.push(difference());
        }
    }

    fn missed(&mut self, checks: usize) {
        self.total += checks;
    }

    fn report(&mut self, difference: String) {
        self.differences.push(difference);
    }
}

/// Every difference between what the parser read and what a reader sees.
fn differences(e: &Edition, x: &Expected) -> Tally {
    let mut t = Tally::default();
    let language = match e.language {
        Language::Zh => "zh",
        Language::En => "en",
    };
    if language != x.language {
        t.report(format!("language {language}, expected {}", x.language));
    }
    match (&e.masthead, &x.masthead) {
        (Some(m), Some(xm)) => {
            t.check(m.name.contains(&xm.name_contains), || {
                format!("masthead name {:?}", m.name)
            });
            t.check(m.iso_date == xm.iso_date, || {
                format!("masthead date {:?}, expected {:?}", m.iso_date, xm.iso_date)
            });
            if m.lines != xm.lines {
                t.report(format!(
                    "masthead lines {:?}, expected {:?}",
                    m.lines, xm.lines
                ));
            }
        }
        (None, None) => {}
        (got, want) => {
            t.missed(2);
            t.report(format!("masthead {got:?}, expected {}", want.is_some()));
        }
    }
    let titles: Vec<&str> = e.articles.iter().map(|a| a.title.as_str()).collect();
    let want: Vec<&str> = x.articles.iter().map(|a| a.title.as_str()).collect();
    if titles != want {
        t.report(format!("titles {titles:?}, expected {want:?}"));
    }
    for xa in &x.articles {
        let Some(a) = e.articles.iter().find(|a| a.title == xa.title) else {
            t.missed(4);
            continue;
        };
        t.check(true, String::new);
        t.check(a.reporters == xa.reporters, || {
            format!(
                "'{}': reporters {:?}, expected {:?}",
                a.title, a.reporters, xa.reporters
            )
        });
        let first = a.paragraphs.first().map_or("", String::as_str);
        t.check(first.starts_with(&xa.body_starts_with), || {
            let shown: String = first.chars().take(20).collect();
            format!(
                "'{}': body starts {shown:?}, expected {:?}",
                a.title, xa.body_starts_with
            )
        });
        t.check(a.lines == xa.lines, || {
            format!(
                "'{}': lines {:?}, expected {:?}",
                a.title, a.lines, xa.lines
            )
        });
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
    for (k, (names, lines)) in want.iter().enumerate() {
        let got = photos.get(k);
        t.check(got.is_some_and(|g| g.0 == *names), String::new);
        t.check(got.is_some_and(|g| g.1 == *lines), String::new);
    }
    if photos != want {
        t.report(format!("photos {photos:?}, expected {want:?}"));
    }
    let weather = e
        .weather
        .as_ref()
        .map(|w| w.lines.clone())
        .unwrap_or_default();
    t.check(weather == x.weather_lines, || {
        format!("weather lines {weather:?}, expected {:?}", x.weather_lines)
    });
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
        t.report(format!("notices start at {starts:?}, expected {want:?}"));
    }
    for xn in &x.notices {
        let Some(n) = e
            .notices
            .iter()
            .find(|n| n.lines.first() == xn.lines.first())
        else {
            t.missed(6);
            continue;
        };
        let at = xn.lines.first().copied().unwrap_or(0);
        t.check(kind_name(n.kind) == xn.kind, || {
            format!("notice at {at}: kind {:?}, expected {}", n.kind, xn.kind)
        });
        // A reminder's label and a slogan's words are their text, not a title of their own.
        let titled = !matches!(xn.kind.as_str(), "reminder" | "slogan");
        t.check(!titled || n.title == xn.title, || {
            format!(
                "notice at {at}: title {:?}, expected {:?}",
                n.title, xn.title
            )
        });
        t.check(n.issuer == xn.issuer, || {
            format!(
                "notice at {at}: issuer {:?}, expected {:?}",
                n.issuer, xn.issuer
            )
        });
        t.check(n.phones == xn.phones, || {
            format!(
                "notice at {at}: phones {:?}, expected {:?}",
                n.phones, xn.phones
            )
        });
        let lacking: Vec<&String> = xn
            .dates_include
            .iter()
            // `2027年3月13日` is found in `2027年3月13日（星期六）`, as printed with its weekday.
            .filter(|date| !n.dates.iter().any(|d| d.starts_with(date.as_str())))
            .collect();
        t.check(lacking.is_empty(), || {
            format!("notice at {at}: dates {:?} lack {lacking:?}", n.dates)
        });
        t.check(n.lines == xn.lines, || {
            format!(
                "notice at {at}: lines {:?}, expected {:?}",
                n.lines, xn.lines
            )
        });
    }
    if let Some(want) = &x.furniture_lines {
        let got: Vec<usize> = e.furniture.iter().map(|f| f.line).collect();
        if &got != want {
            t.report(format!("furniture lines {got:?}, expected {want:?}"));
        }
    }
    t
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
    let (mut passed, mut total) = (0, 0);
    for (name, text, expected) in &pages {
        let edition = parse_edition(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_every_line_owned_once(text, &edition);
        let mut tally = differences(&edition, expected);
        if !edition.unclassified.is_empty() {
            tally.report(format!("unclassified {:?}", edition.unclassified));
        }
        passed += tally.passed;
        total += tally.total;
        for line in tally.differences {
            let _ = writeln!(report, "{name}: {line}");
        }
    }
    // The figure a hold-out batch's first run is quoted by.
    println!(
        "checks: {passed} of {total} ({:.1}%) on {} pages",
        100.0 * passed as f64 / total.max(1) as f64,
        pages.len()
    );
    assert!(report.is_empty(), "\n{report}");
}
