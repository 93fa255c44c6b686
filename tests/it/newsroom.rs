//! The newsroom end to end, in-process: the handler tree and the delivery worker against the
//! fake Bot API, a temporary store and a clock the test moves. An editor's notice from preview
//! to receipt reaching exactly the right subscribers once each; outsiders, forged buttons, a
//! double tap, cancel, an expired preview; `/correct`, `/recall`, `/stats` and `/audit`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use fake_telegram::{ChatRef, FakeTelegram, SentMessage, UserRef};
use newsbot::app::delivery::{DeliverySettings, DeliveryWorker, Progress};
use newsbot::app::newsroom::Newsroom;
use newsbot::chat::app::App;
use newsbot::chat::{Updates, run_bot};
use newsbot::core::callback::Press;
use newsbot::core::digest::Lang;
use newsbot::core::newsroom::{NEWSROOM_ZH, NoticeButton, render_notice};
use newsbot::core::subscriber::{ChatKind, Status, Subscriber, SubscriberId, Topic};
use newsbot::core::summary::Summarizer;
use newsbot::edge::clock::Clock;
use newsbot::edge::store::Store;
use newsbot::edge::telegram::notifier::TelegramNotifier;
use teloxide::Bot;
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(30);
pub(crate) const EDITOR: i64 = 500;
const OUTSIDER: i64 = 600;

/// A clock the test sets.
struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().expect("clock");
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

struct Newsdesk {
    fake: FakeTelegram,
    store: Store,
    clock: Arc<TestClock>,
    stop: CancellationToken,
}

impl Drop for Newsdesk {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

fn subscriber(id: i64, now: DateTime<Utc>) -> Subscriber {
    let kind = if id < 0 {
        ChatKind::Group
    } else {
        ChatKind::Private
    };
    Subscriber::new(SubscriberId(id), kind, now)
}

async fn newsdesk() -> Newsdesk {
    let fake = FakeTelegram::start().await;
    let store = Store::temporary().expect("store");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 2, 0, 0)
        .single()
        .expect("time");
    let clock = Arc::new(TestClock(Mutex::new(now)));
    // Recipients: 11 (zh), 12 (en), 13 paused, -21 a group. Not: 14 without the topic,
    // 15 stopped, 16 blocked.
    let mut subs: Vec<Subscriber> = [11, 12, 13, 14, 15, 16, -21]
        .iter()
        .map(|id| subscriber(*id, now))
        .collect();
    subs[1].lang = Lang::En;
    subs[2].pause(7, now);
    subs[3].topics.remove(&Topic::Breaking);
    subs[4].status = Status::Stopped;
    subs[5].status = Status::Blocked;
    store.save_subscribers(&subs).await.expect("subscribers");
    store
        .put_digest(&newsbot::core::digest::Digest {
            edition: "青溪版".to_owned(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            headlines: vec![],
            weather: None,
            notices: vec![],
            photos: vec![],
        })
        .await
        .expect("digest");

    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let settings = DeliverySettings {
        rate: 1000,
        private_spacing: Duration::from_millis(5),
        group_spacing: Duration::from_millis(5),
        ..DeliverySettings::default()
    };
    let worker = DeliveryWorker::new(
        store.clone(),
        TelegramNotifier::new(bot.clone(), false),
        settings,
        clock.clone(),
        Arc::new(Progress::default()),
    );
    let stop = CancellationToken::new();
    {
        let (worker, stop) = (worker.clone(), stop.clone());
        tokio::spawn(async move { worker.run(stop).await });
    }
    let newsroom = Arc::new(
        Newsroom::new(
            [EDITOR],
            store.clone(),
            clock.clone(),
            worker.waker(),
            worker.pacer(),
            false,
        )
        .with_notice_gate(worker.notice_gate()),
    );
    let app = App {
        store: store.clone(),
        clock: clock.clone(),
        summarizer: Arc::new(Summarizer::new()),
        edition_name: "newsbot".to_owned(),
        timezone: chrono_tz::Asia::Shanghai,
        newsroom,
        editions: Arc::new(newsbot::chat::followed::ChatEditions::single(
            store.clone(),
            chrono_tz::Asia::Shanghai,
            "newsbot".to_owned(),
        )),
        shown: Arc::default(),
    };
    tokio::spawn(run_bot(
        bot,
        app,
        Updates::LongPolling,
        stop.clone().cancelled_owned(),
    ));
    Newsdesk {
        fake,
        store,
        clock,
        stop,
    }
}

impl Newsdesk {
    async fn ask(&self, user: i64, text: &str) -> SentMessage {
        let chat = ChatRef::private(user);
        let before = self.fake.messages_to(user).len();
        self.fake.send_text(&chat, &UserRef::zh(user), text);
        self.fake
            .wait_until(WAIT, &format!("an answer to {text:?}"), |f| {
                f.messages_to(user).get(before).cloned()
            })
            .await
    }

    /// Presses `data` under `message` as `user`; returns the callback answer's text.
    async fn press(&self, user: i64, message: i64, data: &str) -> Option<String> {
        let before = self.fake.calls_to("answerCallbackQuery").len();
        let id =
            self.fake
                .press_button(&ChatRef::private(EDITOR), &UserRef::zh(user), message, data);
        let answers = self
            .fake
            .wait_until(WAIT, "the button's answer", |f| {
                let calls = f.calls_to("answerCallbackQuery");
                calls
                    .iter()
                    .skip(before)
                    .find(|c| c.body["callback_query_id"] == id.as_str())
                    .cloned()
            })
            .await;
        answers.body["text"].as_str().map(str::to_owned)
    }

    fn notice_sends(&self) -> Vec<(i64, String)> {
        self.fake
            .calls_to("sendMessage")
            .iter()
            .filter(|c| {
                c.status == 200 && c.chat_id() != Some(EDITOR) && c.chat_id() != Some(OUTSIDER)
            })
            .map(|c| (c.chat_id().unwrap_or(0), c.text().unwrap_or("").to_owned()))
            .collect()
    }
}

fn confirm_data(preview: &SentMessage) -> String {
    preview
        .buttons()
        .into_iter()
        .map(|(_, data)| data)
        .find(|d| {
            matches!(
                Press::decode(Some(d)),
                Press::Newsroom(NoticeButton::Confirm(_))
            )
        })
        .expect("a confirm button")
}

fn cancel_data(preview: &SentMessage) -> String {
    preview
        .buttons()
        .into_iter()
        .map(|(_, data)| data)
        .find(|d| {
            matches!(
                Press::decode(Some(d)),
                Press::Newsroom(NoticeButton::Cancel(_))
            )
        })
        .expect("a cancel button")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breaking_notice_goes_from_preview_to_receipt_once_to_the_right_chats() {
    let desk = newsdesk().await;
    desk.fake.block_chat(-21);

    // Editors get the newsroom's commands in a menu scoped to their chat; the public menus
    // do not have them.
    let menus = desk.fake.wait_for_calls("setMyCommands", 3, WAIT).await;
    let has_breaking = |c: &fake_telegram::Call| {
        c.body["commands"]
            .as_array()
            .is_some_and(|list| list.iter().any(|x| x["command"] == "breaking"))
    };
    let scoped: Vec<_> = menus.iter().filter(|c| has_breaking(c)).collect();
    assert_eq!(scoped.len(), 1);
    assert_eq!(scoped[0].body["scope"]["chat_id"], EDITOR);
    assert!(
        menus
            .iter()
            .filter(|c| c.body.get("scope").is_none())
            .all(|c| !has_breaking(c))
    );

    // Outsiders are refused and nothing happens.
    for command in ["/breaking 停水", "/audit", "/stats", "/recall #1"] {
        let refused = desk.ask(OUTSIDER, command).await;
        assert_eq!(refused.text, NEWSROOM_ZH.editors_only, "{command}");
    }

    let preview = desk
        .ask(EDITOR, "/breaking 明天上午 8 点至 12 点城东片区停水")
        .await;
    let notice_html = render_notice("明天上午 8 点至 12 点城东片区停水", Lang::Zh, false);
    assert!(preview.text.contains(&notice_html), "{}", preview.text);
    assert!(
        preview.text.contains("将发送给 4 位订阅者"),
        "{}",
        preview.text
    );
    let confirm = confirm_data(&preview);

    // A forged press: an outsider with the real data, an editor with altered data.
    assert_eq!(
        desk.press(OUTSIDER, preview.message_id, &confirm)
            .await
            .as_deref(),
        Some(NEWSROOM_ZH.not_editor_button)
    );
    assert_eq!(
        desk.press(EDITOR, preview.message_id, "nb:c:99999999")
            .await
            .as_deref(),
        Some(NEWSROOM_ZH.stale_button)
    );
    assert!(
        desk.notice_sends().is_empty(),
        "nothing sent before a real confirm"
    );

    // A double tap: one broadcast.
    assert_eq!(desk.press(EDITOR, preview.message_id, &confirm).await, None);
    let second = desk.press(EDITOR, preview.message_id, &confirm).await;
    assert_eq!(second, Some((NEWSROOM_ZH.already_sent)("1")));

    let receipt = desk
        .fake
        .wait_until(WAIT, "the receipt", |f| {
            f.message(EDITOR, preview.message_id)
                .filter(|m| m.text.starts_with("突发消息 #1 已发送"))
        })
        .await;
    assert!(
        receipt
            .text
            .starts_with("突发消息 #1 已发送：送达 3，已屏蔽 1，失败 0"),
        "{}",
        receipt.text
    );
    let mut sends = desk.notice_sends();
    sends.sort();
    let chats: Vec<i64> = sends.iter().map(|(c, _)| *c).collect();
    assert_eq!(chats, vec![11, 12, 13], "each recipient once, nobody else");
    assert!(
        sends[1].1.contains("Breaking"),
        "English for the English reader"
    );
    assert_eq!(
        desk.store
            .subscriber(SubscriberId(-21))
            .expect("read")
            .map(|s| s.status),
        Some(Status::Blocked)
    );

    // Correct, then recall, by number and by default (the latest).
    let edits_before = desk.fake.calls_to("editMessageText").len();
    desk.ask(EDITOR, "/correct 停水改为下午 1 点至 5 点").await;
    let corrected = desk
        .fake
        .wait_until(WAIT, "the correction report", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("突发消息 #1 已更正"))
        })
        .await;
    assert_eq!(corrected.text, (NEWSROOM_ZH.corrected)("1", "3", "0"));
    let edits: Vec<_> = desk.fake.calls_to("editMessageText")[edits_before..]
        .iter()
        .filter(|c| c.chat_id() != Some(EDITOR))
        .cloned()
        .collect();
    assert_eq!(edits.len(), 3);
    assert!(
        edits
            .iter()
            .all(|c| c.text().is_some_and(|t| t.contains("下午 1 点")))
    );

    desk.ask(EDITOR, "/recall #1").await;
    let recalled = desk
        .fake
        .wait_until(WAIT, "the recall report", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("突发消息 #1 已撤回"))
        })
        .await;
    assert_eq!(recalled.text, (NEWSROOM_ZH.recalled)("1", "3", "0", "0"));
    assert_eq!(desk.fake.calls_to("deleteMessage").len(), 3);

    let stats = desk.ask(EDITOR, "/stats").await;
    assert!(
        stats
            .text
            .starts_with("订阅者：活跃 3，暂停 1，已退订 1，已屏蔽 2"),
        "{}",
        stats.text
    );
    let audit = desk.ask(EDITOR, "/audit").await;
    for action in [
        "recall #1",
        "correct #1",
        "sent #1",
        "confirm #1",
        "preview",
    ] {
        assert!(
            audit.text.contains(action),
            "{action} missing from {}",
            audit.text
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_expiry_and_the_two_step_breaking_send_nothing_unless_confirmed() {
    let desk = newsdesk().await;
    // /breaking, then the text as the next message.
    let prompt = desk.ask(EDITOR, "/breaking").await;
    assert_eq!(prompt.text, NEWSROOM_ZH.breaking_prompt);
    let preview = desk.ask(EDITOR, "河滨路今晚封闭施工").await;
    assert!(preview.text.contains("河滨路今晚封闭施工"));
    desk.press(EDITOR, preview.message_id, &cancel_data(&preview))
        .await;
    let cancelled = desk
        .fake
        .wait_until(WAIT, "the cancelled preview", |f| {
            f.message(EDITOR, preview.message_id)
                .filter(|m| m.text == NEWSROOM_ZH.cancelled)
        })
        .await;
    assert!(cancelled.buttons().is_empty());
    // Confirming after a cancel sends nothing.
    let late = desk
        .press(EDITOR, preview.message_id, &confirm_data(&preview))
        .await;
    assert_eq!(late.as_deref(), Some(NEWSROOM_ZH.stale_button));

    // A preview confirmed 16 minutes later has expired.
    let old = desk.ask(EDITOR, "/breaking 旧消息").await;
    desk.clock.advance(chrono::Duration::minutes(16));
    let expired = desk
        .press(EDITOR, old.message_id, &confirm_data(&old))
        .await;
    assert_eq!(expired.as_deref(), Some(NEWSROOM_ZH.expired));

    // Empty and unknown text.
    let empty = desk.ask(EDITOR, "/breaking    ").await;
    assert_eq!(empty.text, NEWSROOM_ZH.breaking_prompt);
    // No notice was ever made and nothing is queued, so nothing can reach residents later.
    assert!(desk.store.latest_notice().expect("read").is_none());
    assert_eq!(desk.store.outbox_len(), 0);
    assert!(desk.notice_sends().is_empty(), "nothing reached residents");
}

/// The real `newsbot serve`: a breaking notice interrupted by `kill -9` finishes after the
/// restart without repeating anyone beyond the in-flight bound, and `/recall` after another
/// restart deletes every recorded copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_survives_kill_9_and_is_recalled_after_a_restart() {
    use crate::support::process::{BotProcess, run_newsbot};
    const RESIDENTS: i64 = 60;
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(fake_telegram::RateLimits::TELEGRAM));
    let data = tempfile::tempdir().expect("tempdir");
    import_residents(data.path(), RESIDENTS);
    let env = [
        ("NEWSBOT_EDITORS", "500"),
        ("NEWSBOT_CLOCK_START", "2026-11-30T01:00:00Z"),
    ];
    let residents = |f: &FakeTelegram| -> Vec<i64> {
        f.calls_to("sendMessage")
            .iter()
            .filter(|c| c.status == 200 && c.chat_id().is_some_and(|id| id > 7000))
            .filter_map(|c| c.chat_id())
            .collect()
    };

    let bot = BotProcess::start(&fake, data.path(), &env);
    let editor = ChatRef::private(EDITOR);
    fake.send_text(
        &editor,
        &UserRef::zh(EDITOR),
        "/breaking 紧急通知：今晚 8 点全城防空演练",
    );
    let preview = fake
        .wait_until(WAIT, "the preview", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| !m.buttons().is_empty())
        })
        .await;
    assert!(
        preview
            .text
            .contains(&format!("将发送给 {RESIDENTS} 位订阅者")),
        "{}",
        preview.text
    );
    fake.press_button(
        &editor,
        &UserRef::zh(EDITOR),
        preview.message_id,
        &confirm_data(&preview),
    );
    fake.wait_until(WAIT, "a quarter of the broadcast", |f| {
        (residents(f).len() >= 15).then_some(())
    })
    .await;
    bot.kill_9();

    let bot = BotProcess::start(&fake, data.path(), &env);
    full_receipt(&fake, &preview, RESIDENTS, WAIT).await;
    let (reached, duplicates) = residents_reached(&fake);
    assert_eq!(reached, RESIDENTS as usize, "everyone got the notice");
    assert!(duplicates <= 12, "{duplicates} duplicates");
    bot.stop().await;

    let bot = BotProcess::start(&fake, data.path(), &env);
    fake.send_text(&editor, &UserRef::zh(EDITOR), "/recall");
    let recalled = fake
        .wait_until(WAIT, "the recall report", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("突发消息 #1 已撤回"))
        })
        .await;
    // A copy sent just before the kill, with its id never recorded, cannot be reached: the
    // report says how many there may be (at most the copies in flight), and no more than
    // that stay on residents' phones.
    let unreachable: usize = recalled
        .text
        .rsplit('，')
        .next()
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a count of copies out of reach");
    assert!(unreachable <= 8, "{}", recalled.text);
    assert!(
        recalled.text.starts_with(&format!(
            "突发消息 #1 已撤回：{RESIDENTS} 条已删除，0 条未送出"
        )),
        "{}",
        recalled.text
    );
    let visible = fake.visible_in(|chat| chat > 7000).len();
    assert!(visible <= unreachable, "{visible} copies still visible");
    bot.stop().await;
    let audit = run_newsbot(data.path(), &["audit"], &[]);
    let audit = String::from_utf8_lossy(&audit.stdout).to_string();
    assert!(
        audit.contains("500 · recall #1") && audit.contains("500 · confirm #1"),
        "{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_add_list_and_remove_notices_of_todays_digest() {
    let desk = newsdesk().await;
    assert_eq!(
        desk.ask(OUTSIDER, "/notice 假通知").await.text,
        NEWSROOM_ZH.editors_only
    );
    assert_eq!(
        desk.ask(EDITOR, "/notice").await.text,
        NEWSROOM_ZH.notice_usage
    );
    assert_eq!(
        desk.ask(EDITOR, "/notice list").await.text,
        NEWSROOM_ZH.notice_list_empty
    );
    assert_eq!(
        desk.ask(EDITOR, "/notice 明天上午城西片区停电，请提前做好准备")
            .await
            .text,
        (NEWSROOM_ZH.notice_added)("1")
    );
    assert_eq!(
        desk.ask(EDITOR, "/notice list").await.text,
        "1. 明天上午城西片区停电，请提前做好准备"
    );
    // Residents see it in /notices.
    let notices = desk.ask(11, "/notices").await;
    assert!(notices.text.contains("城西片区停电"), "{}", notices.text);
    assert_eq!(
        desk.ask(EDITOR, "/notice remove 5").await.text,
        (NEWSROOM_ZH.notice_missing)("5")
    );
    assert_eq!(
        desk.ask(EDITOR, "/notice remove 1").await.text,
        (NEWSROOM_ZH.notice_removed)("1")
    );
    let after = desk.ask(11, "/notices").await;
    assert!(!after.text.contains("城西片区停电"), "{}", after.text);
    let audit = desk.ask(EDITOR, "/audit").await;
    assert!(audit.text.contains("notice add") && audit.text.contains("notice remove"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_page_is_reported_then_published_as_todays_edition() {
    let desk = newsdesk().await;
    let editor = ChatRef::private(EDITOR);
    let page = newsbot::core::edition::SAMPLE_EDITION;

    // Wrong type and binary content are refused with a clear message.
    let before = desk.fake.messages_to(EDITOR).len();
    desk.fake
        .send_document(&editor, &UserRef::zh(EDITOR), "page.pdf", b"%PDF-1.4");
    let wrong = desk
        .fake
        .wait_until(WAIT, "the wrong-type answer", |f| {
            f.messages_to(EDITOR).get(before).cloned()
        })
        .await;
    assert_eq!(wrong.text, NEWSROOM_ZH.upload_wrong_type);
    let before = desk.fake.messages_to(EDITOR).len();
    desk.fake.send_document(
        &editor,
        &UserRef::zh(EDITOR),
        "page.txt",
        b"\x89PNG\x00\x00\x01",
    );
    let binary = desk
        .fake
        .wait_until(WAIT, "the unreadable answer", |f| {
            f.messages_to(EDITOR).get(before).cloned()
        })
        .await;
    assert!(
        binary.text.starts_with("无法读取这个版面"),
        "{}",
        binary.text
    );

    let before = desk.fake.messages_to(EDITOR).len();
    desk.fake
        .send_document(&editor, &UserRef::zh(EDITOR), "qingxi.txt", page.as_bytes());
    let report = desk
        .fake
        .wait_until(WAIT, "the page report", |f| {
            f.messages_to(EDITOR).get(before).cloned()
        })
        .await;
    assert!(report.text.contains("articles: 5"), "{}", report.text);
    let publish = report
        .buttons()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| {
            matches!(
                Press::decode(Some(d)),
                Press::Newsroom(NoticeButton::Publish(_))
            )
        })
        .expect("publish button");
    desk.press(EDITOR, report.message_id, &publish).await;
    let published = desk
        .fake
        .wait_until(WAIT, "the publish report", |f| {
            f.message(EDITOR, report.message_id)
                .filter(|m| m.text.starts_with("已发布为 2026-11-30 的摘要：5 篇文章"))
        })
        .await;
    assert!(published.buttons().is_empty());
    // A second press changes nothing.
    desk.press(EDITOR, report.message_id, &publish).await;
    let today = desk.ask(11, "/headlines").await;
    assert!(today.text.contains("青溪老城更新提速"), "{}", today.text);

    // A pasted page, discarded.
    let pasted = desk.ask(EDITOR, page).await;
    assert!(pasted.text.contains("articles: 5"));
    let discard = pasted
        .buttons()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| {
            matches!(
                Press::decode(Some(d)),
                Press::Newsroom(NoticeButton::Discard(_))
            )
        })
        .expect("discard button");
    desk.press(EDITOR, pasted.message_id, &discard).await;
    desk.fake
        .wait_until(WAIT, "the discard", |f| {
            f.message(EDITOR, pasted.message_id)
                .filter(|m| m.text == NEWSROOM_ZH.discarded)
        })
        .await;
    let audit = desk.ask(EDITOR, "/audit").await;
    assert!(audit.text.contains("edition publish") && audit.text.contains("edition discard"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_with_an_update_resends_to_those_already_delivered() {
    let desk = newsdesk().await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let now = desk.clock.now();
    // Resident 11 already had today's digest; 12 has not.
    let mut delivered = newsbot::core::ledger::DeliveryRecord::new(
        today,
        SubscriberId(11),
        newsbot::core::ledger::DeliveryState::Sent,
        now,
        now,
    );
    delivered.message_ids = vec![1];
    desk.store
        .enqueue_delivery(&delivered, newsbot::edge::store::Priority::Digest)
        .expect("ledger");

    let report = desk
        .ask(EDITOR, newsbot::core::edition::SAMPLE_EDITION)
        .await;
    let update = report
        .buttons()
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| {
            matches!(
                Press::decode(Some(d)),
                Press::Newsroom(NoticeButton::PublishAndUpdate(_))
            )
        })
        .expect("publish-and-update button");
    desk.press(EDITOR, report.message_id, &update).await;
    desk.fake
        .wait_until(WAIT, "the publish report", |f| {
            f.message(EDITOR, report.message_id)
                .filter(|m| m.text == (NEWSROOM_ZH.published_update)("2026-11-30", "5", "1"))
        })
        .await;
    let new_edition = |f: &FakeTelegram| {
        f.sends_to(11)
            .into_iter()
            .filter(|c| c.text().is_some_and(|t| t.contains("青溪老城更新提速")))
            .count()
    };
    desk.fake
        .wait_until(WAIT, "the new edition for resident 11", |f| {
            (new_edition(f) > 0).then_some(())
        })
        .await;
    // The report counted one resend; once the outbox is empty nothing else can follow.
    let store = desk.store.clone();
    desk.fake
        .wait_until(WAIT, "the outbox drained", move |_| {
            (store.outbox_len() == 0).then_some(())
        })
        .await;
    assert_eq!(new_edition(&desk.fake), 1, "the new edition is sent once");
    assert!(
        desk.fake.sends_to(12).is_empty(),
        "only those already delivered get the update"
    );
}

/// Imports `count` residents with ids 7001… who take breaking notices.
fn import_residents(data: &std::path::Path, count: i64) {
    import_residents_with(data, count, &[]);
}

/// Imports `count` residents (ids 7001…) taking breaking notices, into the store `env` names.
pub(crate) fn import_residents_with(data: &std::path::Path, count: i64, env: &[(&str, &str)]) {
    let lines: Vec<String> = (1..=count)
        .map(|i| {
            serde_json::json!({
                "version": 1, "id": 7000 + i, "kind": "private", "lang": "zh",
                "delivery": "23:59", "tz": "Asia/Shanghai",
                "topics": ["headlines", "breaking"], "paused_until": null,
                "status": "active", "created_at": "2026-11-29T12:00:00Z"
            })
            .to_string()
        })
        .collect();
    let file = data.join("subs.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let imported = crate::support::process::run_newsbot(
        data,
        &["subscribers", "import", file.to_str().expect("path")],
        env,
    );
    assert!(imported.status.success());
}

/// Confirms a breaking notice as the editor of a running bot; returns the preview.
pub(crate) async fn confirm_notice(fake: &FakeTelegram, text: &str) -> SentMessage {
    let editor = ChatRef::private(EDITOR);
    fake.send_text(&editor, &UserRef::zh(EDITOR), &format!("/breaking {text}"));
    let preview = fake
        .wait_until(WAIT, "the preview", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| !m.buttons().is_empty())
        })
        .await;
    fake.press_button(
        &editor,
        &UserRef::zh(EDITOR),
        preview.message_id,
        &confirm_data(&preview),
    );
    preview
}

/// Waits (up to `wait`) for notice #1's receipt in place of its preview, and checks that it
/// counts every one of `residents` delivered, none blocked or failed.
pub(crate) async fn full_receipt(
    fake: &FakeTelegram,
    preview: &SentMessage,
    residents: i64,
    wait: Duration,
) {
    let receipt = fake
        .wait_until(wait, "the notice's receipt", |f| {
            f.message(EDITOR, preview.message_id)
                .filter(|m| m.text.starts_with("突发消息 #1 已发送"))
        })
        .await;
    assert!(
        receipt.text.starts_with(&format!(
            "突发消息 #1 已发送：送达 {residents}，已屏蔽 0，失败 0"
        )),
        "{}",
        receipt.text
    );
}

/// Residents (ids above 7000) sent something, and the copies beyond one each.
pub(crate) fn residents_reached(fake: &FakeTelegram) -> (usize, usize) {
    let got: Vec<i64> = resident_sends(fake)
        .iter()
        .filter_map(fake_telegram::Call::chat_id)
        .collect();
    let mut distinct = got.clone();
    distinct.sort_unstable();
    distinct.dedup();
    (distinct.len(), got.len() - distinct.len())
}

/// Successful sends to residents (ids above 7000).
pub(crate) fn resident_sends(fake: &FakeTelegram) -> Vec<fake_telegram::Call> {
    fake.calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.status == 200 && c.chat_id().is_some_and(|id| id > 7000))
        .collect()
}

/// The real `newsbot serve` against a fake that keeps each chat's messages and enforces 30
/// messages a second: `/recall` while the notice is still going out leaves no copy on any
/// resident's phone, sends nothing after it answers, and the receipt and `/stats` say
/// withdrawn, not failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_during_the_broadcast_leaves_no_copy_anywhere() {
    const RESIDENTS: i64 = 300;
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(fake_telegram::RateLimits::TELEGRAM));
    let data = tempfile::tempdir().expect("tempdir");
    import_residents(data.path(), RESIDENTS);
    let env = [
        ("NEWSBOT_EDITORS", "500"),
        ("NEWSBOT_CLOCK_START", "2026-11-30T01:00:00Z"),
    ];
    let bot = crate::support::process::BotProcess::start(&fake, data.path(), &env);
    let preview = confirm_notice(&fake, "紧急通知：今晚 8 点全城防空演练").await;
    fake.wait_until(WAIT, "a third of the broadcast", |f| {
        (resident_sends(f).len() >= 100).then_some(())
    })
    .await;
    fake.send_text(&ChatRef::private(EDITOR), &UserRef::zh(EDITOR), "/recall");
    let answer = fake
        .wait_until(WAIT, "the recall's first answer", |f| {
            f.calls_to("sendMessage").into_iter().find(|c| {
                c.chat_id() == Some(EDITOR)
                    && c.text()
                        .is_some_and(|t| t.starts_with("正在撤回突发消息 #1"))
            })
        })
        .await;
    let report = fake
        .wait_until(WAIT, "the recall report", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("突发消息 #1 已撤回"))
        })
        .await;
    let receipt = fake
        .wait_until(WAIT, "the receipt", |f| {
            f.message(EDITOR, preview.message_id)
                .filter(|m| m.text.starts_with("突发消息 #1 已发送"))
        })
        .await;
    let sent = resident_sends(&fake);
    let late: Vec<_> = sent.iter().filter(|c| c.at > answer.at).collect();
    assert!(
        late.is_empty(),
        "{} copies sent after /recall answered",
        late.len()
    );
    let visible = fake.visible_in(|chat| chat > 7000);
    assert!(
        visible.is_empty(),
        "{} of {} copies still on residents' phones",
        visible.len(),
        sent.len()
    );
    let deleted = sent.len().to_string();
    let never = (RESIDENTS as usize - sent.len()).to_string();
    assert_eq!(
        report.text,
        (NEWSROOM_ZH.recalled)("1", &deleted, &never, "0")
    );
    assert!(
        receipt.text.starts_with(&format!(
            "突发消息 #1 已发送：送达 0，已屏蔽 0，失败 0，撤回 {RESIDENTS}"
        )),
        "{}",
        receipt.text
    );
    fake.send_text(&ChatRef::private(EDITOR), &UserRef::zh(EDITOR), "/stats");
    let stats = fake
        .wait_until(WAIT, "the stats", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("订阅者"))
        })
        .await;
    assert!(
        stats
            .text
            .ends_with(&format!("#1 · 送达 0，屏蔽 0，失败 0，撤回 {RESIDENTS}")),
        "{}",
        stats.text
    );
    bot.stop().await;
}

/// A recall interrupted by `kill -9` is a job, not a detached task: the next start carries
/// it on, and every copy is gone in the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_interrupted_by_kill_9_finishes_after_the_restart() {
    const RESIDENTS: i64 = 90;
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(Some(fake_telegram::RateLimits::TELEGRAM));
    let data = tempfile::tempdir().expect("tempdir");
    import_residents(data.path(), RESIDENTS);
    let env = [
        ("NEWSBOT_EDITORS", "500"),
        ("NEWSBOT_CLOCK_START", "2026-11-30T01:00:00Z"),
    ];
    let bot = crate::support::process::BotProcess::start(&fake, data.path(), &env);
    let preview = confirm_notice(&fake, "停水通知：明天上午 8 点至 12 点").await;
    fake.wait_until(WAIT, "the receipt", |f| {
        f.message(EDITOR, preview.message_id)
            .filter(|m| m.text.starts_with("突发消息 #1 已发送"))
    })
    .await;
    fake.send_text(&ChatRef::private(EDITOR), &UserRef::zh(EDITOR), "/recall");
    fake.wait_until(WAIT, "a few deletions", |f| {
        (f.calls_to("deleteMessage").len() >= 10).then_some(())
    })
    .await;
    bot.kill_9();
    assert!(
        !fake.visible_in(|chat| chat > 7000).is_empty(),
        "the recall was cut short"
    );
    let bot = crate::support::process::BotProcess::start(&fake, data.path(), &env);
    let report = fake
        .wait_until(WAIT, "the recall report after the restart", |f| {
            f.messages_to(EDITOR)
                .into_iter()
                .find(|m| m.text.starts_with("突发消息 #1 已撤回"))
        })
        .await;
    let visible = fake.visible_in(|chat| chat > 7000);
    assert!(visible.is_empty(), "{} copies still visible", visible.len());
    assert!(
        report.text.ends_with("条未送出，0 条无法删除。"),
        "{}",
        report.text
    );
    bot.stop().await;
}
