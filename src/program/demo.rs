//! `newsbot demo`: the whole product offline. Starts the loopback fake Bot API in process,
//! runs the real `serve` stack (handlers, scheduler, outbox, delivery worker, newsroom)
//! against it on a temporary database and two editions of the embedded sample paper (the
//! city's and the Dongtang county edition, from an editions file), and plays one day: a
//! resident subscribes, chooses the county edition and sets a time and sections in plain
//! words, a group subscribes to the city's, the morning digests go out on schedule (each its
//! edition), the resident asks about the weather and searches, and an editor of both
//! editions sends a breaking notice to both. It prints the conversation as a transcript and a
//! one-line summary. Only the clock (which jumps to the next delivery time) and the Bot API
//! are stand-ins.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use fake_telegram::{Call, ChatRef, FakeTelegram, UserRef, visible_text};

use crate::app::scheduler::TickEvery;
use crate::edge::clock::{Clock, SteppedClock};
use crate::program::config::Config;
use crate::program::service::{ServeOptions, serve};

/// Longest wait for any one reaction of the bot.
const STEP_LIMIT: Duration = Duration::from_secs(30);
/// How long the bot must stay quiet before a step counts as finished.
const SETTLE: Duration = Duration::from_millis(250);
/// Lines of a long message shown in the transcript.
const SHOWN_LINES: usize = 8;

const RESIDENT: i64 = 1001;
const ADMIN: i64 = 1002;
const EDITOR: i64 = 900;
const GROUP: i64 = -100_500;

/// What the demo did, for its last line and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Chats subscribed during the day.
    pub subscribed: usize,
    /// Chats that received the morning digest.
    pub digests_delivered: usize,
    /// Chats that received the breaking notice.
    pub notice_reached: usize,
    /// Messages the bot sent.
    pub bot_messages: usize,
    /// Calls the fake refused (should be none).
    pub refused: usize,
}

/// One person in the demo.
struct Person {
    name: &'static str,
    chat: ChatRef,
    user: UserRef,
}

/// The running demo: the fake, the clock, the transcript so far.
struct Stage {
    fake: FakeTelegram,
    clock: Arc<SteppedClock>,
    tz: chrono_tz::Tz,
    out: String,
    seen: usize,
    names: Vec<(i64, &'static str)>,
}

impl Stage {
    fn local_time(&self) -> String {
        self.clock
            .now()
            .with_timezone(&self.tz)
            .format("%H:%M")
            .to_string()
    }

    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    fn name_of(&self, chat: i64) -> &'static str {
        self.names
            .iter()
            .find(|(id, _)| *id == chat)
            .map_or("?", |(_, n)| *n)
    }

    /// A person types `text`; the bot's answers are waited for and written down.
    async fn says(&mut self, who: &Person, text: &str) -> anyhow::Result<()> {
        let at = self.local_time();
        self.line(&format!("{at}  {} → {text}", who.name));
        self.fake.send_text(&who.chat, &who.user, text);
        self.settle().await
    }

    /// A person presses the button labelled `label` under the bot's last message that has it.
    async fn presses(&mut self, who: &Person, label: &str) -> anyhow::Result<()> {
        let messages = self.fake.messages_to(who.chat.id);
        let (message_id, text, data) = messages
            .iter()
            .rev()
            .find_map(|m| {
                m.buttons()
                    .into_iter()
                    .find(|(text, _)| text.contains(label))
                    .map(|(text, data)| (m.message_id, text, data))
            })
            .with_context(|| format!("no button '{label}' in the chat with {}", who.name))?;
        let at = self.local_time();
        self.line(&format!("{at}  {} presses [{text}]", who.name));
        self.fake
            .press_button(&who.chat, &who.user, message_id, &data);
        self.settle().await
    }

    /// Moves the clock to `hh:mm` local time and waits for what the scheduler does then.
    async fn time_passes_to(&mut self, at: DateTime<Utc>, expect: &[i64]) -> anyhow::Result<()> {
        self.clock.jump_to(at);
        let when = self.local_time();
        self.line(&format!(
            "{when}  ⏰ (the clock moves on; the scheduler runs)"
        ));
        let before: Vec<usize> = expect
            .iter()
            .map(|c| self.fake.messages_to(*c).len())
            .collect();
        let fake = self.fake.clone();
        let expect = expect.to_vec();
        tokio::time::timeout(STEP_LIMIT, async move {
            fake.wait_until(STEP_LIMIT, "the scheduled digests", |f| {
                expect
                    .iter()
                    .zip(&before)
                    .all(|(c, n)| f.messages_to(*c).len() > *n)
                    .then_some(())
            })
            .await;
        })
        .await
        .context("the scheduled digests did not arrive")?;
        self.settle().await
    }

    /// Waits until the bot has been quiet for [`SETTLE`], then writes down what it did.
    async fn settle(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut count = self.fake.call_count();
        let mut quiet_since = Instant::now();
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = self.fake.call_count();
            if now != count {
                count = now;
                quiet_since = Instant::now();
            }
            let answered = self.new_calls().iter().any(is_shown);
            if answered && quiet_since.elapsed() >= SETTLE {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < STEP_LIMIT,
                "the bot did not answer within {STEP_LIMIT:?}"
            );
        }
        for call in self.new_calls() {
            self.write_call(&call);
        }
        self.seen = self.fake.calls().len();
        Ok(())
    }

    fn new_calls(&self) -> Vec<Call> {
        self.fake.calls().into_iter().skip(self.seen).collect()
    }

    fn write_call(&mut self, call: &Call) {
        if !is_shown(call) {
            return;
        }
        let to = call.chat_id().map_or("?", |c| self.name_of(c));
        let text = call.text().map(readable).unwrap_or_default();
        match call.method.as_str() {
            "sendmessage" => {
                self.line(&format!("       bot → {to}: {}", indent(&text)));
                let buttons = buttons_of(call);
                if !buttons.is_empty() {
                    self.line(&format!("             buttons: {}", buttons.join(" ")));
                }
            }
            "editmessagetext" => {
                self.line(&format!(
                    "       bot edits its message to {to}: {}",
                    indent(&text)
                ));
            }
            "answercallbackquery" if !text.is_empty() => {
                self.line(&format!("       bot (pop-up): {text}"));
            }
            _ => {}
        }
    }
}

/// Calls worth showing: what the bot said or changed, answered with 200.
fn is_shown(call: &Call) -> bool {
    call.status == 200
        && matches!(
            call.method.as_str(),
            "sendmessage" | "editmessagetext" | "answercallbackquery"
        )
        && (call.method != "answercallbackquery" || call.text().is_some())
}

/// The text as Telegram shows it, cut to [`SHOWN_LINES`] lines.
fn readable(html: &str) -> String {
    let text = visible_text(html).unwrap_or_else(|_| html.to_owned());
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() <= SHOWN_LINES {
        return lines.join("\n");
    }
    format!(
        "{}\n… ({} more lines)",
        lines[..SHOWN_LINES].join("\n"),
        lines.len() - SHOWN_LINES
    )
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n             ")
}

fn buttons_of(call: &Call) -> Vec<String> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row.as_array())
        .flatten()
        .filter_map(|b| b["text"].as_str())
        .map(|t| format!("[{t}]"))
        .collect()
}

/// Writes the demo's editions file in `dir`: the two embedded sample editions, both edited
/// by the demo's editor; returns its path.
fn editions_file(dir: &std::path::Path) -> anyhow::Result<String> {
    let text = format!(
        r#"default = "qingxi"

[[edition]]
id = "qingxi"
name = "青溪日报"
pages = ["sample:qingxi"]
editors = [{EDITOR}]

[[edition]]
id = "dongtang"
name = "青溪日报·东塘版"
pages = ["sample:dongtang"]
editors = [{EDITOR}]
"#
    );
    let path = dir.join("editions.toml");
    std::fs::write(&path, text).context("writing the demo's editions file")?;
    Ok(path.display().to_string())
}

/// Plays the demo day and returns the transcript and its summary.
///
/// # Errors
/// When the bot stack cannot start or does not react in time.
pub async fn run_demo() -> anyhow::Result<(String, DemoSummary)> {
    let started = Instant::now();
    let fake = FakeTelegram::start().await;
    let data = tempfile::tempdir().context("creating a temporary folder")?;
    let tz = chrono_tz::Asia::Shanghai;
    let local = |h: u32, m: u32| {
        tz.with_ymd_and_hms(2026, 11, 29, h, m, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .context("demo time")
    };
    let settings = [
        ("TELOXIDE_TOKEN", "123456:DEMO".to_owned()),
        ("TELOXIDE_API_URL", fake.api_url().to_owned()),
        (
            "NEWSBOT_DATA_DIR",
            data.path().join("data").display().to_string(),
        ),
        (
            "NEWSBOT_DIGEST_DIR",
            data.path().join("digests").display().to_string(),
        ),
        ("NEWSBOT_TIMEZONE", "Asia/Shanghai".to_owned()),
        ("NEWSBOT_BUILD_AT", "06:00".to_owned()),
        ("NEWSBOT_EDITORS", EDITOR.to_string()),
        ("NEWSBOT_EDITIONS_FILE", editions_file(data.path())?),
    ];
    let config = Config::from_lookup(|name| {
        settings
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .context("demo settings")?;
    let clock = Arc::new(SteppedClock::new(local(6, 30)?));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = {
        let clock: Arc<dyn Clock> = clock.clone();
        let options = ServeOptions {
            tick: TickEvery::Second,
            sample: true,
        };
        tokio::spawn(async move {
            serve(&config, clock, None, options, async move {
                let _ = stopped.await;
            })
            .await
        })
    };
    fake.wait_for_calls("setMyCommands", 1, STEP_LIMIT).await;

    let resident = Person {
        name: "李华",
        chat: ChatRef::private(RESIDENT),
        user: UserRef::zh(RESIDENT),
    };
    let admin = Person {
        name: "张阿姨 (in 青溪街坊群)",
        chat: ChatRef::group(GROUP, "青溪街坊群"),
        user: UserRef::zh(ADMIN),
    };
    let editor = Person {
        name: "王编辑",
        chat: ChatRef::private(EDITOR),
        user: UserRef::zh(EDITOR),
    };
    fake.set_member_status(GROUP, ADMIN, "administrator");
    let mut stage = Stage {
        fake: fake.clone(),
        clock: Arc::clone(&clock),
        tz,
        out: String::new(),
        seen: fake.calls().len(),
        names: vec![
            (RESIDENT, "李华"),
            (GROUP, "青溪街坊群"),
            (EDITOR, "王编辑"),
        ],
    };
    stage.line(
        "newsbot demo: one day of the embedded sample paper's two editions (青溪日报 and its 东塘版), offline.",
    );
    stage.line(
        "The real serve stack (handlers, scheduler, outbox, delivery worker, newsroom) runs against a",
    );
    stage.line("stand-in Telegram on loopback; the clock jumps to each delivery time.");
    stage.line("");

    stage.says(&resident, "/start").await?;
    stage.presses(&resident, "东塘版").await?;
    stage.says(&resident, "每天早上八点发给我").await?;
    stage.presses(&resident, "✅ 确认").await?;
    stage.says(&resident, "不要图片").await?;
    stage.presses(&resident, "✅ 确认").await?;
    stage.line("");
    fake.bot_membership_changed(&admin.chat, &admin.user, "left", "member");
    stage.line(&format!(
        "{}  张阿姨 adds the bot to 青溪街坊群",
        stage.local_time()
    ));
    stage.settle().await?;
    stage.says(&admin, "/start").await?;
    stage.presses(&admin, "青溪日报").await?;
    stage.line("");

    stage.time_passes_to(local(7, 0)?, &[GROUP]).await?;
    stage.line("");
    stage.time_passes_to(local(8, 0)?, &[RESIDENT]).await?;
    stage.line("");

    stage.says(&resident, "明天会下雨吗").await?;
    stage.says(&resident, "/search 大桥").await?;
    stage.line("");

    stage
        .says(
            &editor,
            "/breaking 明天上午 8 点至 12 点城东片区停水，请提前储水",
        )
        .await?;
    stage.presses(&editor, "确认发送").await?;
    fake.wait_until(STEP_LIMIT, "the receipt", |f| {
        f.messages_to(EDITOR)
            .into_iter()
            .find(|m| m.text.contains("已发送"))
    })
    .await;
    // Stop the bot and wait for it: everything it did (the last progress edits included) is
    // then in the fake's log, with no guess at how long "quiet" must last.
    let _ = stop.send(());
    match tokio::time::timeout(STEP_LIMIT, bot).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => return Err(e.context("the bot stopped with an error")),
        Ok(Err(e)) => anyhow::bail!("the bot crashed: {e}"),
        Err(_) => anyhow::bail!("the bot did not stop in time"),
    }
    stage.write_the_rest();
    let calls = fake.calls();
    let sent_to = |chat: i64, what: &str| {
        calls.iter().any(|c| {
            c.method == "sendmessage"
                && c.status == 200
                && c.chat_id() == Some(chat)
                && c.text().is_some_and(|t| t.contains(what))
        })
    };
    // Chats the bot welcomed as new subscribers (the welcome's text up to the paper's name).
    let welcome_text = (crate::core::texts::ZH.welcome)("", "", "");
    let welcome = welcome_text.split('《').next().unwrap_or_default();
    let welcomed: std::collections::HashSet<i64> = calls
        .iter()
        .filter(|c| c.method == "sendmessage" && c.status == 200)
        .filter(|c| c.text().is_some_and(|t| t.starts_with(welcome)))
        .filter_map(Call::chat_id)
        .collect();
    let summary = DemoSummary {
        subscribed: welcomed.len(),
        // Each chat its own edition's digest.
        digests_delivered: [(RESIDENT, "东塘大桥主桥合龙"), (GROUP, "青溪老城更新提速")]
            .iter()
            .filter(|(c, headline)| sent_to(*c, headline))
            .count(),
        notice_reached: [RESIDENT, GROUP]
            .iter()
            .filter(|c| sent_to(**c, "城东片区停水"))
            .count(),
        bot_messages: calls
            .iter()
            .filter(|c| c.method == "sendmessage" && c.status == 200)
            .count(),
        refused: calls.iter().filter(|c| c.status != 200).count(),
    };
    stage.line("");
    stage.line(&format!(
        "demo: {} chats subscribed, morning digest delivered to {} of 2, breaking notice reached {} of 2, {} bot messages, {} refused calls, {:.1} s",
        summary.subscribed,
        summary.digests_delivered,
        summary.notice_reached,
        summary.bot_messages,
        summary.refused,
        started.elapsed().as_secs_f64()
    ));
    Ok((stage.out, summary))
}

impl Stage {
    /// Writes down whatever the bot did since the last step (called once it has stopped).
    fn write_the_rest(&mut self) {
        for call in self.new_calls() {
            self.write_call(&call);
        }
        self.seen = self.fake.calls().len();
    }
}
