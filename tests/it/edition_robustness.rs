//! Nothing from outside makes the parser panic: random text, mutated editions, empty and
//! binary input, a 100 MB input and one 5 MB line each give a clear error or a result with
//! warnings, and a result never loses a line.

use proptest::prelude::*;

use newsbot::core::document::read_document;
use newsbot::core::edition::{EditionError, MAX_EDITION_BYTES, SAMPLE_EDITION, parse_edition};

use crate::support::{assert_every_line_owned_once, fixture};

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize),
    CutLine(usize, usize),
    InsertText(usize, String),
    DropBlankLines,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::SwapLines),
        (any::<usize>(), any::<usize>()).prop_map(|(l, at)| Mutation::CutLine(l, at)),
        (
            any::<usize>(),
            "\\PC{0,40}|■记者 [a-z]{2}|本报讯 .{0,20}|今天晴,最高气温\\d+℃|电话:\\d{8}"
        )
            .prop_map(|(l, t)| Mutation::InsertText(l, t)),
        Just(Mutation::DropBlankLines),
    ]
}

fn mutate(base: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
    for m in mutations {
        let n = lines.len().max(1);
        match m {
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Mutation::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::SwapLines(i) if lines.len() > 1 => {
                let i = i % (n - 1);
                lines.swap(i, i + 1);
            }
            Mutation::CutLine(i, at) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                let chars: Vec<char> = line.chars().collect();
                let at = at % (chars.len() + 1);
                let (a, b): (String, String) =
                    (chars[..at].iter().collect(), chars[at..].iter().collect());
                *line = a;
                lines.insert(i % n + 1, String::new());
                lines.insert(i % n + 2, b);
            }
            Mutation::InsertText(i, t) => lines.insert(i % n, t.clone()),
            Mutation::DropBlankLines => lines.retain(|l| !l.trim().is_empty()),
            _ => {}
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics_and_never_loses_a_line(text in "\\PC{0,600}(\n{1,3}\\PC{0,80}){0,20}") {
        // The text has no control characters and is far under the size limit: only a blank
        // text (empty) or one mostly of U+FFFD (binary) may be refused; anything else parses.
        let chars = text.chars().count();
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
        match parse_edition(&text) {
            Ok(e) => {
                prop_assert!(!text.trim().is_empty(), "blank text parsed: {:?}", text);
                assert_every_line_owned_once(&text, &e);
            }
            Err(e) if text.trim().is_empty() => prop_assert_eq!(e, EditionError::Empty),
            Err(e) => prop_assert!(
                matches!(e, EditionError::Binary { .. }) && replaced * 4 > chars,
                "{} for {:?}",
                e,
                text
            ),
        }
    }

    #[test]
    fn mutated_editions_keep_every_line(mutations in proptest::collection::vec(mutation(), 1..12), english in any::<bool>()) {
        let base = if english { fixture("english-page.txt") } else { SAMPLE_EDITION };
        let text = mutate(base, &mutations);
        if let Ok(e) = parse_edition(&text) {
            assert_every_line_owned_once(&text, &e);
        }
    }

    #[test]
    fn any_document_is_read_without_panicking(text in "(<\\?xml|<rss|<html|\\{)?\\PC{0,300}") {
        let _ = read_document(&text, None);
    }
}

#[test]
fn empty_input_is_a_clear_error() {
    assert_eq!(parse_edition(""), Err(EditionError::Empty));
    assert_eq!(parse_edition(" \n\u{3000}\n\t"), Err(EditionError::Empty));
}

#[test]
fn binary_input_is_a_clear_error() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    let err = parse_edition(&text).expect_err("binary");
    assert!(matches!(err, EditionError::Binary { .. }), "{err}");
    assert!(err.to_string().contains("binary"));
}

#[test]
fn hundred_megabyte_input_is_refused_by_size() {
    let text = "本报讯 昨天。\n".repeat(100 * 1024 * 1024 / 20);
    let err = parse_edition(&text).expect_err("too large");
    assert_eq!(
        err,
        EditionError::TooLarge {
            bytes: text.len(),
            limit: MAX_EDITION_BYTES
        }
    );
}

#[test]
fn one_five_megabyte_line_is_cut_into_pieces_and_nothing_is_lost() {
    let text = format!("青溪版\n\n{}\n", "长".repeat(5 * 1024 * 1024 / 3));
    let e = parse_edition(&text).expect("a result");
    assert!(
        !e.warnings
            .iter()
            .any(|w| w.message.contains("characters long")),
        "no line is left over-long: it is cut"
    );
    let body: usize = e
        .articles
        .iter()
        .flat_map(|a| a.paragraphs.iter())
        .chain(e.unclassified.iter().map(|l| &l.text))
        .map(|text| text.matches('长').count())
        .sum();
    assert_eq!(body, 5 * 1024 * 1024 / 3, "every character is kept, once");
}

/// A fixed page: 100,000 blocks of five short lines, just under the size limit. Each of its
/// 500,000 lines is read once and owned once; no timing is asserted.
#[test]
fn a_page_of_many_short_lines_is_read_in_one_pass() {
    const BLOCKS: usize = 100_000;
    const LINES_PER_BLOCK: usize = 5;
    let block = "地址:一号\n电话:86128800\n\n停水通知\n\n■记者 张三\n\n本报讯 昨天,\n\n";
    let text = block.repeat(BLOCKS);
    assert!(
        text.len() <= MAX_EDITION_BYTES && text.len() > MAX_EDITION_BYTES / 2,
        "the page is {} bytes, the limit {MAX_EDITION_BYTES}",
        text.len()
    );
    let e = parse_edition(&text).expect("parses");
    assert_eq!(e.stats.lines, BLOCKS * LINES_PER_BLOCK);
    assert_every_line_owned_once(&text, &e);
}

#[test]
fn garbled_text_with_some_replacement_characters_warns() {
    let text = format!(
        "{}\n\n本报讯 \u{FFFD}\u{FFFD}昨天上午,会议召开。",
        fixture("no-weather.txt")
    );
    let e = parse_edition(&text).expect("parses");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.message.contains("replacement characters"))
    );
}
