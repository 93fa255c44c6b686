//! The real `newsbot`, run by a benchmark as its own process so that its peak memory is its
//! own: wall time and peak resident set (wait4's `ru_maxrss`, in KiB).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `newsbot args…` in `dir` with a clean environment plus `env`; returns its wall time
/// and peak RSS in KiB.
///
/// # Panics
/// When it cannot start or does not exit successfully.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its own peak memory"
)]
pub fn run_newsbot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Duration, u64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_newsbot"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NEWSBOT_DATA_DIR", dir.join("data"))
        .env("NEWSBOT_DIGEST_DIR", dir.join("digests"))
        .env("NEWSBOT_LOG", "error")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("newsbot starts");
    let mut status = 0i32;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; the pid is our own child,
    // which std has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id()).expect("pid fits");
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "newsbot {args:?} failed with status {status}"
    );
    (elapsed, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}
