//! The real `newsbot` binary as a child process pointed at the fake Telegram Bot API, with a
//! data folder of its own: start it, stop it with SIGTERM (bounded wait, must exit cleanly) or
//! kill it with SIGKILL, and run its other subcommands.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use fake_telegram::FakeTelegram;

/// The fake bot token every end-to-end test uses.
pub const TOKEN: &str = "123456:TEST-TOKEN";

/// `newsbot` with a clean environment, the data folder and the fake's URL.
pub fn newsbot(fake_url: &str, data: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsbot"));
    command
        .current_dir(data)
        .env_clear()
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", fake_url)
        .env("NEWSBOT_DATA_DIR", data)
        .env("NEWSBOT_DIGEST_DIR", data.join("digests"))
        .env(
            "NEWSBOT_LOG",
            std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".to_owned()),
        );
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// Runs a `newsbot` subcommand to the end and returns its output.
pub fn run_newsbot(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    newsbot("http://127.0.0.1:9", data, env)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run newsbot")
}

/// A running `newsbot serve`; killed when dropped.
pub struct BotProcess {
    child: Child,
    /// The lines it writes to standard output, read on a thread of their own.
    stdout: std::sync::mpsc::Receiver<String>,
    /// The last lines of its log (standard error), shown when it fails to stop.
    log_tail: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<String>>>,
}

/// How many of the bot's last log lines a failed stop shows.
const LOG_TAIL_LINES: usize = 80;

impl BotProcess {
    /// Starts `newsbot serve` against `fake` with `env` added.
    pub fn start(fake: &FakeTelegram, data: &Path, env: &[(&str, &str)]) -> Self {
        // The sample paper on purpose, unless the test names a source of its own.
        let named = env
            .iter()
            .any(|(k, _)| *k == "NEWSBOT_EDITION_SOURCE" || *k == "NEWSBOT_FEEDS");
        let args: &[&str] = if named {
            &["serve"]
        } else {
            &["serve", "--sample"]
        };
        let mut command = newsbot(fake.api_url(), data, env);
        if std::env::var_os("TEST_LOG").is_none() && !env.iter().any(|(k, _)| *k == "NEWSBOT_LOG") {
            // Warnings, and the steps of start and shutdown, kept for a failed stop to show.
            command.env("NEWSBOT_LOG", "warn,newsbot::program=info");
        }
        let mut child = command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::piped()
            })
            .spawn()
            .expect("spawn newsbot serve");
        let log_tail = std::sync::Arc::new(std::sync::Mutex::new(
            std::collections::VecDeque::with_capacity(LOG_TAIL_LINES),
        ));
        if let Some(err) = child.stderr.take() {
            let tail = std::sync::Arc::clone(&log_tail);
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                    let Ok(mut tail) = tail.lock() else { break };
                    if tail.len() == LOG_TAIL_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            });
        }
        let (lines, stdout) = std::sync::mpsc::channel();
        if let Some(out) = child.stdout.take() {
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                    if lines.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Self {
            child,
            stdout,
            log_tail,
        }
    }

    /// The last lines of its log, one per line.
    pub fn log_tail(&self) -> String {
        self.log_tail
            .lock()
            .map(|tail| tail.iter().cloned().collect::<Vec<_>>().join("\n"))
            .unwrap_or_default()
    }

    /// The address `serve` reports for `listener` (`metrics`, `webhook`) on its standard
    /// output once bound; waits at most 30 s without blocking the test's runtime.
    ///
    /// # Panics
    /// When it exits or says nothing about that listener in time.
    pub async fn listening_on(&mut self, listener: &str) -> String {
        let prefix = format!("{listener} listening on ");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            while let Ok(line) = self.stdout.try_recv() {
                if let Some(addr) = line.strip_prefix(&prefix) {
                    return addr.trim().to_owned();
                }
            }
            if let Some(status) = self.exit_status() {
                panic!("newsbot serve exited ({status}) before its {listener} listener was up");
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "newsbot serve did not report its {listener} listener within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends SIGTERM and waits (at most 20 s, without blocking the test's runtime) for a
    /// clean exit.
    ///
    /// # Panics
    /// When it does not exit in time or exits with a failure.
    pub async fn stop(mut self) {
        signal(self.child.id(), "-TERM");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "newsbot serve exited with {status}; the end of its log:\n{}",
                    self.log_tail()
                );
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.child.kill();
        panic!(
            "newsbot serve did not stop within 20 s of SIGTERM; the end of its log:\n{}",
            self.log_tail()
        );
    }

    /// How it exited, once it has; `None` while it runs. Does not wait.
    pub fn exit_status(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Freezes it (SIGSTOP): it holds everything, answers nothing, until [`Self::thaw`].
    pub fn freeze(&self) {
        signal(self.child.id(), "-STOP");
    }

    /// Lets a frozen process run on (SIGCONT).
    pub fn thaw(&self) {
        signal(self.child.id(), "-CONT");
    }

    /// Kills it with SIGKILL (no chance to flush or clean up) and reaps it.
    pub fn kill_9(mut self) {
        signal(self.child.id(), "-KILL");
        let _ = self.child.wait();
    }
}

fn signal(pid: u32, which: &str) {
    let _ = Command::new("kill")
        .arg(which)
        .arg(pid.to_string())
        .status();
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `text` from `user` in `chat` and waits (at most 30 s, failing the test after) for
/// the bot's next message to the chat.
pub async fn ask(
    fake: &fake_telegram::FakeTelegram,
    chat: &fake_telegram::ChatRef,
    user: &fake_telegram::UserRef,
    text: &str,
) -> fake_telegram::SentMessage {
    let before = fake.messages_to(chat.id).len();
    fake.send_text(chat, user, text);
    fake.wait_until(
        Duration::from_secs(30),
        &format!("an answer to {text:?}"),
        |f| f.messages_to(chat.id).get(before).cloned(),
    )
    .await
}
