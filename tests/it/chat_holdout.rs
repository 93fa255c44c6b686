//! The hold-out phrasings over the Pinghu page (`tests/fixtures/holdout/chat-pinghu/`),
//! asked end to end through the fake Bot API: each reply must hold the expected fact or
//! title. Written by someone who read only the page and the README; skipped (loudly) when
//! `../shared/` is absent.

use fake_telegram::{ChatRef, UserRef};

use crate::chat::running_bot_on_page;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hold_out_phrasings_over_the_pinghu_page_are_answered() {
    let Some(page) = crate::support::shared_pinghu_sample() else {
        return;
    };
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/holdout/chat-pinghu/phrasings.tsv"
    ))
    .expect("the phrasings");
    let bot = running_bot_on_page(&page, "平湖版").await;
    let mut failures = Vec::new();
    let mut asked = 0;
    for (n, line) in table.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [text, kind, expected] = fields[..] else {
            panic!("line {}: three fields expected: {line:?}", n + 1);
        };
        asked += 1;
        // Each phrasing from its own chat (no memory of the one before), in the script's
        // language.
        let id = 20_000 + i64::try_from(n).expect("small");
        let english = !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let user = UserRef {
            language_code: Some(if english { "en" } else { "zh" }.to_owned()),
            ..UserRef::zh(id)
        };
        let reply = bot.ask(&ChatRef::private(id), &user, text).await;
        let shown = fake_telegram::visible_text(&reply.text).unwrap_or(reply.text.clone());
        if !shown.contains(expected) {
            failures.push(format!(
                "{text} [{kind}] expected {expected:?}, got: {}",
                shown
                    .chars()
                    .take(160)
                    .collect::<String>()
                    .replace('\n', " ⏎ ")
            ));
        }
    }
    println!(
        "phrasings: {} of {asked} answered\n{}",
        asked - failures.len(),
        failures.join("\n")
    );
    assert!(failures.is_empty(), "{} of {asked} failed", failures.len());
}
