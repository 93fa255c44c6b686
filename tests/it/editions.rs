//! Several editions in one bot, end to end: the real `newsbot serve` with an editions file of
//! two editions (a Chinese paper in Shanghai's zone, an English one in New York's) against
//! the fake Bot API. Each subscriber gets the digest of every edition they follow, at their
//! time or the edition's own, once; a new resident is asked which edition at `/start`,
//! chooses by button, reads that edition, adds the other with `/edition`. An editor's
//! breaking notice goes to the subscribers of their edition; an editor of both picks one
//! under the preview; `/stats` counts their editions' subscribers.

use std::path::Path;
use std::time::Duration;

use fake_telegram::{ChatRef, FakeTelegram, UserRef};
use serde_json::json;

use crate::support::process::{BotProcess, ask, run_newsbot};

/// 21:30 in Shanghai, 08:30 in New York, on the fixtures' day (1 December 2026).
const CLOCK_START: &str = "2026-12-01T13:30:00Z";

fn page(name: &str) -> String {
    format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn editions_file(data: &Path) -> String {
    let text = format!(
        r#"default = "qingxi"

[[edition]]
id = "qingxi"
name = "青溪日报"
timezone = "Asia/Shanghai"
pages = ["{}", "{}", "{}"]
build_at = "05:00"
editors = [9001]

[[edition]]
id = "riverton"
name = "The Riverton Ledger"
language = "en"
timezone = "America/New_York"
pages = ["{}", "{}"]
build_at = "05:00"
editors = [9002, 9001]
"#,
        page("qingxi-1.txt"),
        page("qingxi-2.txt"),
        page("qingxi-3.txt"),
        page("riverton-a1.txt"),
        page("riverton-a6.txt"),
    );
    let path = data.join("editions.toml");
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

fn record(id: i64, time: &str, tz: &str, follows: serde_json::Value) -> String {
    let mut record = json!({
        "version": 1, "id": id, "kind": "private", "lang": "zh", "delivery": time, "tz": tz,
        "topics": ["headlines", "breaking"], "status": "active",
        "created_at": "2026-11-29T12:00:00Z"
    });
    if !follows.is_null() {
        record["follows"] = follows;
    }
    record.to_string()
}

fn texts_to(fake: &FakeTelegram, chat: i64) -> String {
    fake.messages_to(chat)
        .iter()
        .map(|m| m.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

const QINGXI: &str = "城南大桥明日通车";
const RIVERTON: &str = "Council passes budget after long debate";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_editions_are_built_delivered_and_chosen_in_chat() {
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().expect("tempdir");
    let file = editions_file(data.path());
    let env = [
        ("NEWSBOT_CLOCK_START", CLOCK_START),
        ("NEWSBOT_EDITIONS_FILE", file.as_str()),
    ];
    let lines = [
        // The default edition (no follows written), due at 21:00 in Shanghai.
        record(601, "21:00", "Asia/Shanghai", serde_json::Value::Null),
        // The English edition only, due at 08:00 in New York.
        record(
            602,
            "08:00",
            "America/New_York",
            json!([{ "edition": "riverton" }]),
        ),
        // Both: the second at its own time, 21:15 in Shanghai.
        record(
            603,
            "21:00",
            "Asia/Shanghai",
            json!([{ "edition": "qingxi" }, { "edition": "riverton", "delivery": "21:15" }]),
        ),
        // Both, the second not due yet (22:00 in Shanghai).
        record(
            604,
            "21:00",
            "Asia/Shanghai",
            json!([{ "edition": "qingxi" }, { "edition": "riverton", "delivery": "22:00" }]),
        ),
    ];
    let import = data.path().join("subscribers.jsonl");
    std::fs::write(&import, lines.join("\n")).expect("write");
    let out = run_newsbot(
        data.path(),
        &["subscribers", "import", import.to_str().expect("utf-8")],
        &env,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bot = BotProcess::start(&fake, data.path(), &env);
    // Five deliveries: 601 one, 602 one, 603 two, 604 one.
    fake.wait_until(Duration::from_secs(60), "every due digest", |f| {
        let has = |chat: i64, needle: &str| texts_to(f, chat).contains(needle);
        (has(601, QINGXI)
            && has(602, RIVERTON)
            && has(603, QINGXI)
            && has(603, RIVERTON)
            && has(604, QINGXI))
        .then_some(())
    })
    .await;
    assert!(!texts_to(&fake, 601).contains(RIVERTON));
    assert!(!texts_to(&fake, 602).contains(QINGXI));
    assert!(!texts_to(&fake, 604).contains(RIVERTON), "not due yet");

    // A new resident: /start asks which edition, with a button for each.
    let chat = ChatRef::private(7070);
    let user = UserRef::zh(7070);
    let before = fake.messages_to(chat.id).len();
    fake.send_text(&chat, &user, "/start");
    let question = fake
        .wait_until(Duration::from_secs(30), "the edition question", |f| {
            f.messages_to(chat.id)
                .get(before + 1)
                .cloned()
                .filter(|m| !m.buttons().is_empty())
        })
        .await;
    let buttons = question.buttons();
    assert_eq!(
        buttons,
        vec![
            ("青溪日报".to_owned(), "e:c:qingxi".to_owned()),
            ("The Riverton Ledger".to_owned(), "e:c:riverton".to_owned()),
        ],
        "{}",
        question.text
    );
    fake.press_button(&chat, &user, question.message_id, "e:c:riverton");
    fake.wait_until(Duration::from_secs(30), "the choice saved", |f| {
        f.messages_to(chat.id)
            .iter()
            .find(|m| m.message_id == question.message_id)
            .filter(|m| m.text.contains("The Riverton Ledger") && m.text.contains("已保存"))
            .cloned()
    })
    .await;
    let headlines = ask(&fake, &chat, &user, "/headlines").await.text;
    assert!(headlines.contains(RIVERTON), "{headlines}");
    assert!(!headlines.contains(QINGXI), "{headlines}");
    // /edition adds the other, named in Chinese; an unknown one is refused with the list.
    let added = ask(&fake, &chat, &user, "/edition add 青溪").await.text;
    assert!(
        added.contains("青溪日报") && added.contains("The Riverton Ledger"),
        "{added}"
    );
    let unknown = ask(&fake, &chat, &user, "/edition 上海版").await.text;
    assert!(
        unknown.contains("上海版") && unknown.contains("青溪日报"),
        "{unknown}"
    );
    let last = ask(&fake, &chat, &user, "/edition drop riverton")
        .await
        .text;
    assert!(
        last.contains("青溪日报") && !last.contains("Riverton"),
        "{last}"
    );
    let refused = ask(&fake, &chat, &user, "/edition drop qingxi").await.text;
    assert!(refused.contains("/stop"), "the last one stays: {refused}");
    // A forged edition button is refused politely and changes nothing.
    fake.press_button(&chat, &user, question.message_id, "e:c:nowhere");
    let mydata = ask(&fake, &chat, &user, "/mydata").await.text;
    assert!(
        mydata.contains("青溪日报") && !mydata.contains("Riverton"),
        "{mydata}"
    );

    // The Riverton editor's notice reaches Riverton's followers only: 602, 603, 604.
    let riverton_desk = ChatRef::private(9002);
    let editor = UserRef {
        id: 9002,
        first_name: "Editor".to_owned(),
        language_code: Some("en".to_owned()),
    };
    let preview = ask(
        &fake,
        &riverton_desk,
        &editor,
        "/breaking Bridge closed tonight",
    )
    .await;
    assert!(
        preview.text.contains("3 (The Riverton Ledger)"),
        "{}",
        preview.text
    );
    let confirm = button(&preview, "nb:c:");
    assert!(
        !preview
            .buttons()
            .iter()
            .any(|(_, d)| d.starts_with("nb:t:")),
        "one edition: nothing to pick"
    );
    fake.press_button(&riverton_desk, &editor, preview.message_id, &confirm);
    fake.wait_until(Duration::from_secs(30), "the notice delivered", |f| {
        [602, 603, 604]
            .iter()
            .all(|&c| texts_to(f, c).contains("Bridge closed tonight"))
            .then_some(())
    })
    .await;
    // The editor of both picks Qingxi under the preview: 601, 603, 604 and 7070.
    let both_desk = ChatRef::private(9001);
    let chief = UserRef::zh(9001);
    let preview = ask(&fake, &both_desk, &chief, "/breaking 城南停水通知").await;
    assert!(
        preview.text.contains("青溪日报、The Riverton Ledger"),
        "{}",
        preview.text
    );
    let all = button(&preview, "nb:t:");
    assert!(all.ends_with(":0"), "all first: {all}");
    let qingxi = format!("{}1", all.trim_end_matches('0'));
    fake.press_button(&both_desk, &chief, preview.message_id, &qingxi);
    let narrowed = fake
        .wait_until(Duration::from_secs(30), "the preview narrowed", |f| {
            f.messages_to(9001)
                .into_iter()
                .find(|m| m.message_id == preview.message_id && m.text.contains("4（青溪日报）"))
        })
        .await;
    fake.press_button(
        &both_desk,
        &chief,
        narrowed.message_id,
        &button(&narrowed, "nb:c:"),
    );
    fake.wait_until(Duration::from_secs(30), "the notice delivered", |f| {
        [601, 603, 604, 7070]
            .iter()
            .all(|&c| texts_to(f, c).contains("城南停水通知"))
            .then_some(())
    })
    .await;
    assert!(!texts_to(&fake, 602).contains("城南停水通知"));
    assert!(!texts_to(&fake, 601).contains("Bridge closed tonight"));
    // /stats counts the editor's editions' subscribers: three follow Riverton.
    let stats = ask(&fake, &riverton_desk, &editor, "/stats").await.text;
    assert!(
        stats.contains("active 3,") || stats.contains("Active 3"),
        "{stats}"
    );
    // A bare /recall is the editor's own latest notice (#1, to Riverton), not #2 (to Qingxi,
    // sent later by the other editor); #2 named is not theirs to recall.
    let recalled = ask(&fake, &riverton_desk, &editor, "/recall").await.text;
    assert!(recalled.contains("#1"), "{recalled}");
    let refused = ask(&fake, &riverton_desk, &editor, "/recall #2").await.text;
    assert!(!refused.contains("#2"), "{refused}");
    bot.stop().await;

    // The ledger of each edition, from the command line: one entry per chat, edition and day.
    let ledger = |of: &str| {
        let out = run_newsbot(
            data.path(),
            &["deliveries", "--of", of, "--date", "2026-12-01"],
            &env,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let chats = |listing: &str| -> Vec<String> {
        listing
            .lines()
            .skip(1)
            .filter(|l| l.contains('\t'))
            .filter_map(|l| l.split('\t').next().map(str::to_owned))
            .collect()
    };
    let riverton = ledger("riverton");
    assert_eq!(chats(&riverton), ["602", "603"], "{riverton}");
    let qingxi = ledger("qingxi");
    assert_eq!(chats(&qingxi), ["601", "603", "604"], "{qingxi}");
    // A dry run plans across both editions: nothing new is due.
    let out = run_newsbot(data.path(), &["deliver", "--dry-run"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The data of `message`'s first button whose data starts with `prefix`.
fn button(message: &fake_telegram::SentMessage, prefix: &str) -> String {
    message
        .buttons()
        .into_iter()
        .map(|(_, data)| data)
        .find(|d| d.starts_with(prefix))
        .unwrap_or_else(|| panic!("a {prefix} button in {:?}", message.buttons()))
}
