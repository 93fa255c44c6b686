//! Helpers shared by the integration tests: fixtures, the line-accounting check, and a
//! loopback HTTP server.

pub mod http;
pub mod postgres;
pub mod process;
pub mod site_server;

use newsbot::core::edition::Edition;
use newsbot::core::punctuation::trim_all;

/// The fixtures, by file name, compiled into the test binary.
pub const FIXTURES: &[(&str, &str)] = &[
    ("bylines.txt", include_str!("../../fixtures/bylines.txt")),
    (
        "photo-spaced-name.txt",
        include_str!("../../fixtures/photo-spaced-name.txt"),
    ),
    (
        "public-notices.txt",
        include_str!("../../fixtures/public-notices.txt"),
    ),
    (
        "no-weather.txt",
        include_str!("../../fixtures/no-weather.txt"),
    ),
    (
        "english-page.txt",
        include_str!("../../fixtures/english-page.txt"),
    ),
];

/// One fixture's text.
pub fn fixture(name: &str) -> &'static str {
    FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// The real Pinghu page from `../shared`, when this checkout has it beside it.
/// When it is missing, the tests that need it say so loudly on standard error (they then
/// check only the project's own pages) rather than passing in silence.
pub fn shared_pinghu_sample() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/editions/pinghu-sample.txt");
    let text = std::fs::read_to_string(&path).ok();
    if text.is_none() {
        eprintln!(
            "NOTE: {} is missing: the Pinghu-page checks are SKIPPED in this run",
            path.display()
        );
    }
    text
}

/// Asserts that every non-empty input line is owned by exactly one item of `edition`.
pub fn assert_every_line_owned_once(input: &str, edition: &Edition) {
    let expected: Vec<usize> = input
        .lines()
        .enumerate()
        .filter(|(_, l)| !trim_all(l).is_empty())
        .map(|(i, _)| i + 1)
        .collect();
    let mut owned = edition.owned_lines();
    owned.sort_unstable();
    let mut deduped = owned.clone();
    deduped.dedup();
    assert_eq!(owned, deduped, "some lines are owned twice");
    assert_eq!(
        owned, expected,
        "owned lines differ from the input's non-empty lines"
    );
}
