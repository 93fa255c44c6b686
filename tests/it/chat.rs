//! The handler tree, run in-process against the fake Telegram Bot API with a temporary
//! store and a fixed clock: groups, blocking, bad input, search, section buttons, erasure,
//! English, and HTML that Telegram accepts.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use fake_telegram::{ChatRef, FakeTelegram, SentMessage, UserRef};
use newsbot::app::daily::{DailyRequest, build_daily_digest};
use newsbot::chat::app::App;
use newsbot::chat::{Updates, run_bot};
use newsbot::core::callback::ButtonAction;
use newsbot::core::intent::Fact;
use newsbot::core::subscriber::{Status, SubscriberId, Topic};
use newsbot::core::summary::Summarizer;
use newsbot::core::texts::{EN, ZH};
use newsbot::edge::clock::FixedClock;
use newsbot::edge::fetch::{FetchLimits, Fetcher};
use newsbot::edge::store::Store;
use teloxide::Bot;
use tokio::sync::oneshot;

const WAIT: Duration = Duration::from_secs(20);

fn summarizer() -> Arc<Summarizer> {
    static SHARED: OnceLock<Arc<Summarizer>> = OnceLock::new();
    Arc::clone(SHARED.get_or_init(|| Arc::new(Summarizer::new())))
}

/// A bot running in-process; stops when dropped.
pub(crate) struct Running {
    fake: FakeTelegram,
    store: Store,
    _stop: oneshot::Sender<()>,
}

async fn sample_digest(date: chrono::NaiveDate, force_date: bool) -> newsbot::core::digest::Digest {
    let request = DailyRequest {
        source: newsbot::app::ingest::EditionSource::Sample,
        fetch_date: date,
        date: force_date.then_some(date),
        feeds: vec![],
    };
    let fetcher = Fetcher::new(FetchLimits::default()).expect("client");
    build_daily_digest(&request, &fetcher, &summarizer(), None)
        .await
        .expect("digest")
        .digest
}

async fn running_bot() -> Running {
    let digest = sample_digest(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
        false,
    )
    .await;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 29, 1, 0, 0)
        .single()
        .expect("time");
    running_bot_at(now, vec![digest]).await
}

/// A bot whose digest of 2026-11-29 is read from `page` (with its summaries).
pub(crate) async fn running_bot_on_page(page: &str, name: &str) -> Running {
    running_bot_on_digest(digest_of_page(page, name)).await
}

/// The digest of `page` on 2026-11-29.
fn digest_of_page(page: &str, name: &str) -> newsbot::core::digest::Digest {
    let edition = newsbot::core::edition::parse_edition(page).expect("parses");
    let summaries: Vec<_> = edition
        .articles
        .iter()
        .map(|a| summarizer().summarize_article(a))
        .collect();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    newsbot::core::digest::build_digest(&edition, date, name, &summaries)
}

/// A bot on the morning of 2026-11-29 with `digest` stored.
async fn running_bot_on_digest(digest: newsbot::core::digest::Digest) -> Running {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 29, 1, 0, 0)
        .single()
        .expect("time");
    running_bot_at(now, vec![digest]).await
}

/// A bot whose clock stands at `now`, with `digests` stored.
async fn running_bot_at(
    now: chrono::DateTime<Utc>,
    digests: Vec<newsbot::core::digest::Digest>,
) -> Running {
    let fake = FakeTelegram::start().await;
    let store = Store::temporary().expect("store");
    for digest in &digests {
        store.put_digest(digest).await.expect("store digest");
    }
    let app = App {
        store: store.clone(),
        clock: Arc::new(FixedClock(now)),
        summarizer: summarizer(),
        edition_name: digests
            .first()
            .map_or_else(String::new, |d| d.edition.clone()),
        timezone: chrono_tz::Asia::Shanghai,
        newsroom: Arc::new(newsbot::app::newsroom::Newsroom::closed(
            store.clone(),
            Arc::new(FixedClock(now)),
        )),
        editions: Arc::new(newsbot::chat::followed::ChatEditions::single(
            store.clone(),
            chrono_tz::Asia::Shanghai,
            digests
                .first()
                .map_or_else(String::new, |d| d.edition.clone()),
        )),
        shown: Arc::default(),
    };
    let bot = Bot::new("42:TEST").set_api_url(fake.api_url().parse().expect("url"));
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(run_bot(bot, app, Updates::LongPolling, async move {
        let _ = stopped.await;
    }));
    Running {
        fake,
        store,
        _stop: stop,
    }
}

impl Running {
    pub(crate) async fn ask(&self, chat: &ChatRef, user: &UserRef, text: &str) -> SentMessage {
        let before = self.fake.messages_to(chat.id).len();
        self.fake.send_text(chat, user, text);
        self.next_message(chat, before, text).await
    }

    /// Presses a full-story button and returns every message the bot sent for it, up to
    /// the last one (the one with the button back to the digest).
    async fn press_for_story(
        &self,
        chat: &ChatRef,
        user: &UserRef,
        message_id: i64,
        data: &str,
    ) -> Vec<SentMessage> {
        let before = self.fake.messages_to(chat.id).len();
        self.fake.press_button(chat, user, message_id, data);
        self.fake
            .wait_until(WAIT, "the whole story", |f| {
                let sent = f.messages_to(chat.id);
                sent.last()
                    .filter(|m| !m.buttons().is_empty() && sent.len() > before)
                    .map(|_| sent[before..].to_vec())
            })
            .await
    }

    /// The bot's first message to `chat` after `before` of them; fails the test when none
    /// comes within `WAIT`.
    async fn next_message(&self, chat: &ChatRef, before: usize, what: &str) -> SentMessage {
        self.fake
            .wait_until(WAIT, &format!("an answer to {what:?}"), |f| {
                f.messages_to(chat.id).get(before).cloned()
            })
            .await
    }

    async fn wait_status(&self, id: i64, status: Status) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = self
                .store
                .subscriber(SubscriberId(id))
                .expect("read")
                .map(|s| s.status);
            if now == Some(status) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "subscriber {id} is {now:?}, not {status:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_group_administrators_change_a_groups_subscription() {
    let bot = running_bot().await;
    let group = ChatRef::group(-100_777, "桂园社区");
    let member = UserRef::zh(71);
    bot.fake
        .bot_membership_changed(&group, &member, "left", "member");
    let hello = bot
        .next_message(&group, 0, "being added to the group")
        .await;
    assert_eq!(hello.text, ZH.group_hello);
    let refused = bot.ask(&group, &member, "/start").await;
    assert_eq!(refused.text, ZH.admins_only);
    assert_eq!(
        bot.store.subscriber(SubscriberId(group.id)).expect("read"),
        None
    );
    bot.fake
        .set_member_status(group.id, member.id, "administrator");
    let welcome = bot.ask(&group, &member, "/start").await;
    assert!(welcome.text.starts_with("欢迎订阅"), "{}", welcome.text);
    // A command for another bot gets no answer: the command for us sent after it is
    // answered (updates of one chat are handled in order), and it is the only answer.
    let before = bot.fake.messages_to(group.id).len();
    bot.fake
        .send_text(&group, &member, "/weather@some_other_bot");
    let help = bot
        .ask(
            &group,
            &member,
            &format!("/help@{}", fake_telegram::BOT_USERNAME),
        )
        .await;
    let answers = bot.fake.messages_to(group.id);
    assert_eq!(
        answers[before..]
            .iter()
            .map(|m| m.text.as_str())
            .collect::<Vec<_>>(),
        vec![ZH.help],
        "a command for another bot gets no answer"
    );
    assert_eq!(help.text, ZH.help);
    bot.fake.set_member_status(group.id, member.id, "member");
    let settings = bot.ask(&group, &member, "/settings").await;
    let before = bot.fake.calls_to("answerCallbackQuery").len();
    bot.fake.press_button(
        &group,
        &member,
        settings.message_id,
        &ButtonAction::Toggle(Topic::Photos).encode(),
    );
    let answers = bot
        .fake
        .wait_for_calls("answerCallbackQuery", before + 1, WAIT)
        .await;
    assert_eq!(
        answers.last().and_then(|c| c.body["text"].as_str()),
        Some(ZH.admins_only)
    );
    bot.fake
        .bot_membership_changed(&group, &member, "member", "left");
    bot.wait_status(group.id, Status::Blocked).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_who_blocks_the_bot_becomes_inactive() {
    let bot = running_bot().await;
    let chat = ChatRef::private(501);
    let user = UserRef::zh(501);
    bot.ask(&chat, &user, "/start").await;
    bot.fake
        .bot_membership_changed(&chat, &user, "member", "kicked");
    bot.wait_status(chat.id, Status::Blocked).await;
    let back = bot.ask(&chat, &user, "/start").await;
    assert_eq!(
        back.text,
        "欢迎回来！已恢复订阅，每天 07:00（Asia/Shanghai）送达。"
    );
    bot.wait_status(chat.id, Status::Active).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_short_helpful_reply() {
    let bot = running_bot().await;
    let chat = ChatRef::private(502);
    let user = UserRef::zh(502);
    assert_eq!(
        bot.ask(&chat, &user, "/time 07:30").await.text,
        ZH.not_subscribed
    );
    bot.ask(&chat, &user, "/start").await;
    assert_eq!(
        bot.ask(&chat, &user, "/tz Mars/Base").await.text,
        (ZH.bad_zone)("Mars/Base")
    );
    assert_eq!(
        bot.ask(&chat, &user, "/pause abc").await.text,
        (ZH.bad_days)("abc")
    );
    assert_eq!(bot.ask(&chat, &user, "/lang fr").await.text, ZH.bad_lang);
    assert_eq!(
        bot.ask(&chat, &user, "/time").await.text,
        ZH.other_time_prompt
    );
    assert_eq!(bot.ask(&chat, &user, "/search").await.text, ZH.search_usage);
    assert_eq!(
        bot.ask(&chat, &user, "/weather2").await.text,
        (ZH.unknown_command)("/weather2")
    );
    assert_eq!(
        bot.ask(&chat, &user, "/tz Europe/London").await.text,
        (ZH.tz_saved)("Europe/London")
    );
    let paused = bot.ask(&chat, &user, "/pause 3").await;
    assert_eq!(
        paused.text, "已保存：暂停推送到 2026-12-02 01:00。发送 /resume 可随时恢复。",
        "shown in the subscriber's zone"
    );
    let stored = bot
        .store
        .subscriber(SubscriberId(chat.id))
        .expect("read")
        .expect("subscribed");
    assert_eq!(stored.tz.name(), "Europe/London");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_text_searches_and_offers_sections_when_nothing_matches() {
    let bot = running_bot().await;
    let chat = ChatRef::private(503);
    let user = UserRef::zh(503);
    let found = bot.ask(&chat, &user, "码头").await;
    assert!(
        found.text.starts_with(&(ZH.search_results)("码头"))
            && found.text.contains("青溪港三期码头投入试运行"),
        "{}",
        found.text
    );
    let nothing = bot.ask(&chat, &user, "地铁").await;
    assert_eq!(nothing.text, (ZH.nothing_found)("地铁"));
    assert_eq!(nothing.buttons().len(), 4);
    let before = bot.fake.messages_to(chat.id).len();
    bot.fake.press_button(
        &chat,
        &user,
        nothing.message_id,
        &ButtonAction::Show(Topic::Notices).encode(),
    );
    let notices = bot.next_message(&chat, before, "notices button").await;
    assert!(notices.text.contains("停水通知"), "{}", notices.text);
    let news = bot.ask(&chat, &user, "头条").await;
    assert!(news.text.contains("青溪老城更新提速"));
    assert!(
        bot.fake
            .calls_to("sendMessage")
            .iter()
            .all(|c| c.status == 200),
        "every message passed Telegram's checks"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_follows_the_chosen_sections_and_deleteme_erases_everything() {
    let bot = running_bot().await;
    let chat = ChatRef::private(504);
    let user = UserRef {
        id: 504,
        first_name: "Ann".into(),
        language_code: Some("en-GB".into()),
    };
    let welcome = bot.ask(&chat, &user, "/start").await;
    assert_eq!(
        welcome.text,
        (EN.welcome)("青溪版 QINGXI DAILY", "07:00", "Asia/Shanghai")
    );
    let before = bot.fake.calls_to("editMessageText").len();
    bot.fake.press_button(
        &chat,
        &user,
        welcome.message_id,
        &ButtonAction::Toggle(Topic::Headlines).encode(),
    );
    bot.fake
        .wait_for_calls("editMessageText", before + 1, WAIT)
        .await;
    let today = bot.ask(&chat, &user, "/today").await;
    assert!(
        today.text.contains("Weather") && !today.text.contains("Headlines"),
        "{}",
        today.text
    );
    assert!(
        bot.ask(&chat, &user, "/mydata")
            .await
            .text
            .contains("Chat id: 504")
    );
    assert_eq!(bot.ask(&chat, &user, "/deleteme").await.text, EN.deleted);
    assert_eq!(
        bot.store.subscriber(SubscriberId(chat.id)).expect("read"),
        None
    );
    assert_eq!(
        bot.ask(&chat, &user, "/mydata").await.text,
        EN.nothing_to_delete
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_reply_is_sent_after_its_wait_and_a_refused_one_is_not_repeated() {
    let bot = running_bot().await;
    let chat = ChatRef::private(505);
    let user = UserRef::zh(505);
    let attempts = |fake: &fake_telegram::FakeTelegram| -> Vec<fake_telegram::Call> {
        fake.calls_to("sendMessage")
            .into_iter()
            .filter(|c| c.chat_id() == Some(chat.id))
            .collect()
    };
    // 429 with retry_after 1: the bot waits a second and sends the same reply again.
    bot.fake
        .fail_next("sendMessage", fake_telegram::Fault::RetryAfter(1));
    bot.fake.send_text(&chat, &user, "/help");
    let tries = bot
        .fake
        .wait_until(WAIT, "the held reply sent again", |f| {
            let tries = attempts(f);
            (tries.len() >= 2).then_some(tries)
        })
        .await;
    assert_eq!((tries[0].status, tries[1].status), (429, 200));
    assert_eq!(tries[1].text(), Some(ZH.help));
    assert!(
        tries[1].at - tries[0].at >= Duration::from_secs(1),
        "sent again after {:?}, before retry_after",
        tries[1].at - tries[0].at
    );
    // 400: the reply is not sent again; the next question is answered, and between the
    // two there was exactly the one refused attempt.
    bot.fake.fail_next(
        "sendMessage",
        fake_telegram::Fault::BadRequest("chat not found".into()),
    );
    bot.fake.send_text(&chat, &user, "/help");
    assert_eq!(bot.ask(&chat, &user, "/help").await.text, ZH.help);
    let statuses: Vec<u16> = attempts(&bot.fake).iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![429, 200, 400, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_after_midnight_is_the_new_days_digest_and_before_the_build_says_so() {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let (yesterday, today) = (
        sample_digest(day(29), true).await,
        sample_digest(day(30), true).await,
    );
    let render = |d: &newsbot::core::digest::Digest| {
        newsbot::core::digest::render_telegram_html(
            d,
            &newsbot::core::digest::RenderOptions {
                lang: newsbot::core::digest::Lang::Zh,
                sections: newsbot::core::digest::Section::ALL.to_vec(),
                short_summaries: false,
            },
        )
    };
    // 00:30 in Shanghai on the 30th, both days stored: the 30th's.
    let after_midnight = Utc
        .with_ymd_and_hms(2026, 11, 29, 16, 30, 0)
        .single()
        .expect("time");
    let bot = running_bot_at(after_midnight, vec![yesterday.clone(), today.clone()]).await;
    let chat = ChatRef::private(9100);
    let user = UserRef::zh(9100);
    let answer = bot.ask(&chat, &user, "/today").await;
    assert_eq!(answer.text, render(&today)[0]);

    // Only yesterday's stored: the bot says today's is not ready and labels what it shows.
    let bot = running_bot_at(after_midnight, vec![yesterday.clone()]).await;
    let note = bot.ask(&chat, &user, "/today").await;
    assert_eq!(
        note.text,
        "今天的摘要还没有准备好，以下是 2026-11-29 的摘要。"
    );
    let shown = bot.next_message(&chat, 1, "yesterday's digest").await;
    assert_eq!(shown.text, render(&yesterday)[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_in_sentences_get_answers_and_settings_requests_are_confirmed() {
    let bot = running_bot().await;
    let chat = ChatRef::private(9200);
    let user = UserRef::zh(9200);
    bot.ask(&chat, &user, "/start").await;

    // Tomorrow's weather, from tomorrow's part of the block only.
    let rain = bot.ask(&chat, &user, "明天会下雨吗").await;
    assert!(rain.text.starts_with("明天"), "{}", rain.text);
    assert!(!rain.text.contains("今天"), "{}", rain.text);
    assert_eq!(
        rain.buttons(),
        vec![(
            ZH.topic_weather.to_owned(),
            ButtonAction::Show(Topic::Weather).encode()
        )]
    );
    // English, a long sentence, for a reader with an English client.
    let english = bot
        .ask(
            &ChatRef::private(9201),
            &UserRef {
                language_code: Some("en".to_owned()),
                ..UserRef::zh(9201)
            },
            "What's the weather like tomorrow?",
        )
        .await;
    assert!(english.text.starts_with("Tomorrow: "), "{}", english.text);
    // "train" is not "rain": a search.
    let train = bot.ask(&chat, &user, "train").await;
    assert_eq!(train.text, (ZH.nothing_found)("train"));

    // A delivery time in words: asked, then applied on yes.
    let ask_time = bot.ask(&chat, &user, "每天早上八点发给我").await;
    assert_eq!(ask_time.text, (ZH.confirm_time)("08:00"));
    let yes = ask_time.buttons()[0].1.clone();
    let edits = bot.fake.calls_to("editMessageText").len();
    bot.fake
        .press_button(&chat, &user, ask_time.message_id, &yes);
    bot.fake
        .wait_for_calls("editMessageText", edits + 1, WAIT)
        .await;
    let saved = bot
        .store
        .subscriber(SubscriberId(9200))
        .expect("read")
        .expect("subscriber");
    assert_eq!(saved.delivery.to_string(), "08:00");

    // Dropping a section: asked, and "no" leaves it as it was.
    let ask_drop = bot.ask(&chat, &user, "不要图片").await;
    assert_eq!(ask_drop.text, (ZH.confirm_drop)(ZH.topic_photos));
    let no = ask_drop.buttons()[1].1.clone();
    let edits = bot.fake.calls_to("editMessageText").len();
    bot.fake
        .press_button(&chat, &user, ask_drop.message_id, &no);
    bot.fake
        .wait_for_calls("editMessageText", edits + 1, WAIT)
        .await;
    assert_eq!(
        bot.fake
            .message(chat.id, ask_drop.message_id)
            .map(|m| m.text),
        Some(ZH.request_dismissed.to_owned())
    );
    let kept = bot
        .store
        .subscriber(SubscriberId(9200))
        .expect("read")
        .expect("subscriber");
    assert!(kept.topics.contains(&Topic::Photos));
    let pause = bot.ask(&chat, &user, "暂停一周").await;
    assert_eq!(pause.text, (ZH.confirm_pause)("7"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_list_matching_headlines_and_notices_to_share() {
    let bot = running_bot().await;
    let user = UserRef::zh(9300);
    let answer = |id: String| {
        let fake = bot.fake.clone();
        async move {
            fake.wait_until(WAIT, "the inline answer", move |f| {
                f.calls_to("answerInlineQuery")
                    .into_iter()
                    .find(|c| c.body["inline_query_id"] == id.as_str())
            })
            .await
        }
    };
    let water = answer(bot.fake.send_inline_query(&user, "停水")).await;
    assert_eq!(
        water.status, 200,
        "Telegram would accept it: {}",
        water.body
    );
    let results = water.body["results"].as_array().expect("results").clone();
    assert!(!results.is_empty() && results.len() <= 50);
    let first = results[0]["input_message_content"]["message_text"]
        .as_str()
        .expect("text");
    assert!(first.starts_with("📢") && first.contains("停水"), "{first}");
    assert!(water.body["cache_time"].as_u64().is_some_and(|s| s > 0));

    let harbour = answer(bot.fake.send_inline_query(&user, "码头")).await;
    let title = harbour.body["results"][0]["title"].as_str().unwrap_or("");
    assert!(title.contains("青溪港三期码头投入试运行"), "{title}");

    let nothing = answer(bot.fake.send_inline_query(&user, "地铁")).await;
    assert_eq!(nothing.body["results"].as_array().map(Vec::len), Some(0));
    let newest = answer(bot.fake.send_inline_query(&user, "")).await;
    assert!(
        newest.body["results"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_about_a_notice_quotes_it_or_says_there_is_none() {
    let bot = running_bot().await;
    let chat = ChatRef::private(9400);
    let user = UserRef::zh(9400);
    let water = bot.ask(&chat, &user, "停水了吗").await;
    assert!(
        water.text.starts_with("📢") && water.text.contains("停水"),
        "{}",
        water.text
    );
    assert_eq!(
        water.buttons(),
        vec![(
            ZH.topic_notices.to_owned(),
            ButtonAction::Show(Topic::Notices).encode()
        )]
    );
    let gas = bot.ask(&chat, &user, "哪里停气了").await;
    assert_eq!(gas.text, (ZH.no_notice_answer)("停气"));
    assert_eq!(gas.buttons().len(), 4);
    let all = bot.ask(&chat, &user, "有什么通知").await;
    assert!(all.text.contains("停水通知"), "{}", all.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_for_one_fact_is_answered_with_the_fact_as_printed() {
    let bot = running_bot().await;
    let chat = ChatRef::private(9450);
    let user = UserRef::zh(9450);
    let phone = bot.ask(&chat, &user, "职业学校的电话是多少").await;
    assert!(
        phone.text.contains("青溪市第二职业学校")
            && phone.text.contains("电话：86128800、86128801"),
        "{}",
        phone.text
    );
    // Its button opens the notice whole; the section's button stands beside it.
    let buttons = phone.buttons();
    assert_eq!(buttons.len(), 2, "{buttons:?}");
    assert_eq!(buttons[0].0, ZH.story_button);
    assert!(buttons[0].1.starts_with("o:"), "{buttons:?}");
    assert_eq!(
        buttons[1],
        (
            ZH.topic_notices.to_owned(),
            ButtonAction::Show(Topic::Notices).encode()
        )
    );
    let before = bot.fake.messages_to(chat.id).len();
    bot.fake
        .press_button(&chat, &user, phone.message_id, &buttons[0].1);
    let whole = bot.next_message(&chat, before, "the notice whole").await;
    assert!(
        whole.text.contains("青溪市第二职业学校") && whole.text.contains("学士街88号"),
        "{}",
        whole.text
    );
    let when = bot.ask(&chat, &user, "停水是什么时候").await;
    assert!(
        when.text.contains("时间：2026年12月2日(星期三)8:00至18:00"),
        "{}",
        when.text
    );
    let fee = bot.ask(&chat, &user, "职业学校收费多少钱").await;
    assert_eq!(
        fee.text,
        (ZH.fact_missing)("青溪市第二职业学校", Fact::Price)
    );
    // A follow-up that names nothing refers to the item just shown.
    let water = bot.ask(&chat, &user, "停水了吗").await;
    assert!(water.text.contains("停水通知"), "{}", water.text);
    let follow_up = bot.ask(&chat, &user, "电话多少？").await;
    assert!(
        follow_up.text.contains("停水通知") && follow_up.text.contains("电话：0573-86012345"),
        "{}",
        follow_up.text
    );
    // With nothing shown before, the bot asks which item is meant.
    let other = ChatRef::private(9451);
    let which = bot.ask(&other, &UserRef::zh(9451), "电话多少？").await;
    assert_eq!(which.text, ZH.fact_which_item);
    // A fact question naming nothing the digest holds is read again without the fact.
    let gas = bot.ask(&chat, &user, "哪里停气了").await;
    assert_eq!(gas.text, (ZH.no_notice_answer)("停气"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headline_s_full_story_button_sends_the_article_whole() {
    // A long article: forty paragraphs, more than one message can hold.
    let mut page = String::from(
        "青溪日报\n2026年11月29日　星期日\n\n青溪港三期码头投入试运行\n■记者 林朔\n\n",
    );
    for i in 1..=40 {
        page.push_str(&format!(
            "第{i}段：码头建设进展顺利，工人们日夜奋战，新泊位的岸桥、场桥和闸口系统已全部调试完毕，港区道路和堆场也已完工，预计明年全面投入运营。据介绍，三期工程新建5万吨级集装箱泊位两个，配套建设智能闸口和自动化堆场，建成后年吞吐能力将新增120万标箱。\n\n"
        ));
    }
    let bot = running_bot_on_page(&page, "青溪日报").await;
    let chat = ChatRef::private(9470);
    let user = UserRef::zh(9470);
    let headlines = bot.ask(&chat, &user, "/headlines").await;
    let (label, data) = headlines
        .buttons()
        .into_iter()
        .next()
        .expect("a full-story button under the headlines");
    assert_eq!(label, format!("{} 1", ZH.story_button));
    let data_of_first = data.clone();
    let story = bot
        .press_for_story(&chat, &user, headlines.message_id, &data)
        .await;
    assert!(story.len() >= 2, "{} messages", story.len());
    assert!(
        story[0].text.starts_with("<b>青溪港三期码头投入试运行</b>"),
        "{}",
        story[0].text
    );
    let whole: String = story
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for i in 1..=40 {
        assert!(
            whole.contains(&format!("第{i}段：")),
            "paragraph {i} is missing"
        );
    }
    assert!(story.iter().all(|m| {
        fake_telegram::visible_text(&m.text)
            .expect("valid HTML")
            .encode_utf16()
            .count()
            <= 4096
    }));
    assert_eq!(
        story.last().expect("a last message").buttons(),
        vec![(
            ZH.back_to_digest.to_owned(),
            ButtonAction::Show(Topic::Headlines).encode()
        )]
    );
    // Search results offer the story too.
    let found = bot.ask(&chat, &user, "/search 码头").await;
    assert!(
        found
            .buttons()
            .iter()
            .any(|(label, data)| label.starts_with(ZH.story_button) && *data == data_of_first),
        "{:?}",
        found.buttons()
    );
    // A button for a day no longer kept is refused politely, and sends nothing.
    let answers = bot.fake.calls_to("answerCallbackQuery").len();
    let sent = bot.fake.messages_to(chat.id).len();
    bot.fake
        .press_button(&chat, &user, headlines.message_id, "w:20200101:0:default");
    let answered = bot
        .fake
        .wait_for_calls("answerCallbackQuery", answers + 1, WAIT)
        .await;
    assert_eq!(
        answered.last().and_then(|c| c.body["text"].as_str()),
        Some(ZH.story_gone)
    );
    assert_eq!(bot.fake.messages_to(chat.id).len(), sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pinghu_page_answers_the_school_phone_number() {
    let Some(page) = crate::support::shared_pinghu_sample() else {
        return;
    };
    let bot = running_bot_on_page(&page, "平湖版").await;
    let chat = ChatRef::private(9460);
    let phone = bot
        .ask(&chat, &UserRef::zh(9460), "交通学校的电话是多少")
        .await;
    assert!(
        phone.text.contains("嘉兴市交通学校") && phone.text.contains("8508171"),
        "{}",
        phone.text
    );
}

/// A resident whose Telegram client is in English.
fn english_user(id: i64) -> UserRef {
    UserRef {
        language_code: Some("en".to_owned()),
        ..UserRef::zh(id)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pinghu_page_answers_the_bridge_question_in_english() {
    let Some(page) = crate::support::shared_pinghu_sample() else {
        return;
    };
    let bot = running_bot_on_page(&page, "平湖版").await;
    let chat = ChatRef::private(9480);
    let bridge = bot
        .ask(&chat, &english_user(9480), "any news about the bridge?")
        .await;
    assert!(
        bridge.text.contains("盐平塘大桥") && bridge.text.contains("<b>桥</b>"),
        "{}",
        bridge.text
    );
    assert!(
        bridge.text.contains("The paper prints this in Chinese"),
        "{}",
        bridge.text
    );
    assert!(
        bridge
            .buttons()
            .iter()
            .any(|(label, _)| label.starts_with("Full story")),
        "{:?}",
        bridge.buttons()
    );
}

/// The chat fixture page: a bridge lead story, a long article, two notices with phones.
fn qiaodong_page() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/chat/zh-qiaodong-a01.txt"
    ))
    .expect("the chat fixture page")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_in_english_and_chinese_find_the_chinese_page_s_news_and_facts() {
    // The bridge story carries a checked translation (as the optional LLM would leave it).
    let mut digest = digest_of_page(&qiaodong_page(), "桥东日报");
    digest.headlines[0].english = Some(newsbot::core::digest::Translation {
        title: "Canal Bridge (运河大桥) opens today".to_owned(),
        summary: "The Canal Bridge (运河大桥) opened this morning.".to_owned(),
    });
    let bot = running_bot_on_digest(digest).await;
    let chat = ChatRef::private(9490);
    let en = english_user(9490);
    // The bridge example: an English question, a Chinese lead story.
    let bridge = bot.ask(&chat, &en, "any news about the bridge?").await;
    assert!(
        bridge.text.contains("📰 <b>运河大桥今天通车</b>"),
        "{}",
        bridge.text
    );
    assert!(bridge.text.contains("<b>桥</b>"), "{}", bridge.text);
    assert!(
        bridge
            .text
            .contains("运河大桥今天通车</b> · 11-29\n<i>Canal Bridge (运河大桥) opens today</i>"),
        "{}",
        bridge.text
    );
    assert!(
        bridge.text.contains("The paper prints this in Chinese"),
        "{}",
        bridge.text
    );
    // A phrase of two English words is one Chinese word: sign up → 报名.
    let lecture = bot
        .ask(
            &chat,
            &en,
            "What's the phone number to sign up at the library?",
        )
        .await;
    assert!(
        lecture.text.contains("冬季公益讲座报名通知")
            && lecture.text.contains("Phone：0573-85123456"),
        "{}",
        lecture.text
    );
    // The same question in Chinese, and a water cut asked in English.
    let zh = bot
        .ask(
            &ChatRef::private(9491),
            &UserRef::zh(9491),
            "图书馆讲座的报名电话是多少",
        )
        .await;
    assert!(zh.text.contains("0573-85123456"), "{}", zh.text);
    let water = bot
        .ask(&chat, &en, "who do I call about the water supply?")
        .await;
    assert!(
        water.text.contains("停水通知") && water.text.contains("96390"),
        "{}",
        water.text
    );
    // Nothing printed about the metro: said so, not guessed.
    let metro = bot.ask(&chat, &en, "any news about the metro?").await;
    assert!(!metro.text.contains("<b>"), "{}", metro.text);

    // The long article sent whole from its button in the English search results.
    let street = bot.ask(&chat, &en, "old street").await;
    let (_, data) = street
        .buttons()
        .into_iter()
        .find(|(label, _)| label.contains("老街修缮记"))
        .unwrap_or_else(|| panic!("a full-story button: {:?}", street.buttons()));
    let story = bot
        .press_for_story(&chat, &en, street.message_id, &data)
        .await;
    let whole: String = story
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(whole.starts_with("<b>老街修缮记</b>"), "{whole}");
    for (i, place) in ["老街", "河埠头", "码头", "城隍庙"].iter().enumerate() {
        assert!(whole.contains(&format!("是{place}。")), "place {i} missing");
    }
    for i in 1..=20 {
        assert!(whole.contains(&format!("第{i}站")), "stop {i} missing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_results_highlight_the_matching_sentence_and_turn_pages() {
    let bot = running_bot().await;
    let chat = ChatRef::private(9500);
    let user = UserRef::zh(9500);
    let harbour = bot.ask(&chat, &user, "/search 码头").await;
    assert!(harbour.text.contains("<b>码头</b>"), "{}", harbour.text);
    assert!(
        harbour.text.contains("📰 <b>青溪港三期码头投入试运行</b>"),
        "{}",
        harbour.text
    );

    let many = bot.ask(&chat, &user, "/search 青溪").await;
    let next = many
        .buttons()
        .into_iter()
        .find(|(label, _)| label == "›")
        .expect("a next-page button");
    assert!(many.text.ends_with("1/2"), "{}", many.text);
    let edits = bot.fake.calls_to("editMessageText").len();
    bot.fake
        .press_button(&chat, &user, many.message_id, &next.1);
    bot.fake
        .wait_for_calls("editMessageText", edits + 1, WAIT)
        .await;
    let second = bot.fake.message(chat.id, many.message_id).expect("message");
    assert!(second.text.ends_with("2/2"), "{}", second.text);
    assert!(second.buttons().iter().any(|(label, _)| label == "‹"));
    // A forged page button is answered and changes nothing.
    let answers = bot.fake.calls_to("answerCallbackQuery").len();
    bot.fake
        .press_button(&chat, &user, many.message_id, "f:x:青溪");
    let answered = bot
        .fake
        .wait_for_calls("answerCallbackQuery", answers + 1, WAIT)
        .await;
    assert_eq!(
        answered.last().and_then(|c| c.body["text"].as_str()),
        Some(ZH.stale_button)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_that_quote_the_user_stay_short_whatever_was_typed() {
    let bot = running_bot().await;
    let chat = ChatRef::private(9600);
    let user = UserRef::zh(9600);
    bot.ask(&chat, &user, "/start").await;
    let long = "九".repeat(5000);
    let time = bot.ask(&chat, &user, &format!("/time {long}")).await;
    assert_eq!(time.text, (ZH.bad_time)(&newsbot::core::texts::echo(&long)));
    let search = bot.ask(&chat, &user, &"地铁".repeat(2500)).await;
    assert!(
        search.text.chars().count() < 200,
        "{}",
        search.text.chars().count()
    );
    let unknown = bot
        .ask(&chat, &user, &format!("/{}", "x".repeat(3000)))
        .await;
    assert!(unknown.text.chars().count() < 200);
    assert!(
        bot.fake
            .calls_to("sendMessage")
            .iter()
            .all(|c| c.status == 200),
        "every reply passed Telegram's checks"
    );
}
