//! End to end: the real `newsbot serve` binary against the fake Telegram Bot API on
//! loopback. A resident subscribes, asks for the weather in Chinese, changes the delivery
//! time, toggles a section, finds the settings kept after a restart, and unsubscribes.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use fake_telegram::{ChatRef, FakeTelegram, UserRef};
use newsbot::core::callback::ButtonAction;
use newsbot::core::subscriber::Topic;
use newsbot::core::texts::ZH;

use crate::support::process::{BotProcess, ask};

const WAIT: Duration = Duration::from_secs(30);

/// 05:45 in Shanghai: after the 05:30 build, so the day's digest is built at start, and
/// before the default 07:00 delivery, so no scheduled digest arrives in the middle of the talk.
const CLOCK_START: &str = "2026-11-30T21:45:00Z";

struct Bot;

impl Bot {
    fn start(fake: &FakeTelegram, data: &Path) -> BotProcess {
        BotProcess::start(fake, data, &[("NEWSBOT_CLOCK_START", CLOCK_START)])
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_subscribes_asks_changes_settings_and_leaves() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let chat = ChatRef::private(4242);
    let user = UserRef::zh(4242);

    let bot = Bot::start(&fake, data.path());
    let welcome = ask(&fake, &chat, &user, "/start").await;
    assert_eq!(
        welcome.text,
        (ZH.welcome)("青溪版 QINGXI DAILY", "07:00", "Asia/Shanghai")
    );
    assert!(
        welcome
            .buttons()
            .iter()
            .any(|(_, data)| data == &ButtonAction::Toggle(Topic::Weather).encode())
    );
    let menus = fake.calls_to("setMyCommands");
    assert_eq!(menus.len(), 2, "Chinese and English menus");
    assert_eq!(menus[1].body["language_code"], "en");

    // A question gets its answer first, quoting the digest, with the section as a button.
    let weather = ask(&fake, &chat, &user, "今天天气怎么样").await;
    assert!(
        weather.text.starts_with("今天阴到多云") && weather.text.contains("12℃"),
        "{}",
        weather.text
    );
    assert_eq!(
        weather.buttons(),
        vec![(
            ZH.topic_weather.to_owned(),
            ButtonAction::Show(Topic::Weather).encode()
        )]
    );

    let saved = ask(&fake, &chat, &user, "/time 08:15").await;
    assert_eq!(saved.text, (ZH.time_saved)("08:15"));
    let refused = ask(&fake, &chat, &user, "/time 25:99").await;
    assert_eq!(refused.text, (ZH.bad_time)("25:99"));

    let settings = ask(&fake, &chat, &user, "/settings").await;
    let toggle = ButtonAction::Toggle(Topic::Weather).encode();
    let edits_before = fake.calls_to("editMessageText").len();
    fake.press_button(&chat, &user, settings.message_id, &toggle);
    fake.wait_for_calls("editMessageText", edits_before + 1, WAIT)
        .await;
    let edited = fake
        .message(chat.id, settings.message_id)
        .expect("settings message");
    assert!(
        edited
            .buttons()
            .iter()
            .any(|(label, _)| label == &format!("⬜ {}", ZH.topic_weather)),
        "{:?}",
        edited.buttons()
    );
    let answers = fake.calls_to("answerCallbackQuery");
    assert_eq!(
        answers.last().and_then(|c| c.body["text"].as_str()),
        Some(ZH.saved_toast)
    );

    let forged_before = fake.calls_to("answerCallbackQuery").len();
    fake.press_button(&chat, &user, settings.message_id, "s:t:9999");
    let answered = fake
        .wait_for_calls("answerCallbackQuery", forged_before + 1, WAIT)
        .await;
    assert_eq!(
        answered.last().and_then(|c| c.body["text"].as_str()),
        Some(ZH.stale_button)
    );
    bot.stop().await;

    let bot = Bot::start(&fake, data.path());
    let mine = ask(&fake, &chat, &user, "/mydata").await;
    assert!(mine.text.contains("08:15"), "{}", mine.text);
    assert!(
        !mine.text.contains(ZH.topic_weather) && mine.text.contains(ZH.topic_headlines),
        "{}",
        mine.text
    );
    let bye = ask(&fake, &chat, &user, "/stop").await;
    assert_eq!(bye.text, ZH.stopped);
    let unknown = ask(&fake, &chat, &user, "/frobnicate now").await;
    assert_eq!(unknown.text, (ZH.unknown_command)("/frobnicate"));
    bot.stop().await;
}

#[tokio::test]
async fn serve_refuses_to_start_without_a_token() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_newsbot"))
        .arg("serve")
        .current_dir(data.path())
        .env_clear()
        .env("NEWSBOT_DATA_DIR", data.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TELOXIDE_TOKEN is not set"));
}

/// With a token but no edition source named anywhere, `serve` must not push the embedded
/// sample to residents as if it were today's paper: it stops at once, naming the setting,
/// before it says anything to Telegram.
#[tokio::test]
async fn serve_refuses_to_start_without_an_edition_source() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let out = crate::support::process::newsbot(fake.api_url(), data.path(), &[])
        .arg("serve")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("NEWSBOT_EDITION_SOURCE") && err.contains("--sample"),
        "{err}"
    );
    assert_eq!(fake.call_count(), 0, "nothing was said to Telegram");
    assert!(
        !data.path().join("digests").exists(),
        "no digest was built or archived"
    );
}

/// SIGTERM while the service is still starting (its first Bot API calls made, the dispatcher
/// not yet polling) stops it cleanly: the signal is neither lost nor fatal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_during_start_up_stops_the_service_cleanly() {
    for _ in 0..3 {
        let fake = FakeTelegram::start().await;
        let data = tempfile::tempdir().expect("tempdir");
        let bot = Bot::start(&fake, data.path());
        fake.wait_until(WAIT, "the first Bot API call", |f| {
            (f.call_count() > 0).then_some(())
        })
        .await;
        // Panics unless it exits successfully within 20 s.
        bot.stop().await;
    }
}
