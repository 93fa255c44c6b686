//! A PostgreSQL schema of a test's own: `NEWSBOT_TEST_DATABASE_URL` names the server (CI sets
//! it to the machine's); each test gets a fresh schema, dropped when it ends. Without the
//! variable the test prints a loud SKIPPED line and passes, so `cargo test` works on a
//! machine with no PostgreSQL; with `NEWSBOT_TEST_REQUIRE_POSTGRES` set (`.ci/run`) it fails
//! instead, so CI never passes with one skipped.

use std::sync::atomic::{AtomicUsize, Ordering};

use newsbot::edge::store::Store;

/// The variable naming the test server.
pub const URL_VARIABLE: &str = "NEWSBOT_TEST_DATABASE_URL";
/// Set (as `.ci/run` does), a test that needs PostgreSQL fails instead of skipping.
pub const REQUIRE_VARIABLE: &str = "NEWSBOT_TEST_REQUIRE_POSTGRES";

/// A schema for one test, dropped with it.
pub struct PgSchema {
    pub url: String,
    pub schema: String,
}

impl PgSchema {
    /// A fresh schema for `test`, or `None` (and a SKIPPED line) without a server.
    pub fn new(test: &str) -> Option<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let Ok(url) = std::env::var(URL_VARIABLE) else {
            assert!(
                std::env::var_os(REQUIRE_VARIABLE).is_none(),
                "{test} needs PostgreSQL and {REQUIRE_VARIABLE} forbids skipping it: set {URL_VARIABLE}"
            );
            eprintln!(
                "SKIPPED: {test} needs PostgreSQL; set {URL_VARIABLE}=postgres://… to run it"
            );
            return None;
        };
        let name: String = test
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(30)
            .collect();
        let schema = format!(
            "nbt_{name}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Some(Self { url, schema })
    }

    /// The variables that point a `newsbot` process at this schema.
    pub fn store_vars(&self) -> [(&'static str, &str); 2] {
        [
            ("NEWSBOT_DATABASE_URL", self.url.as_str()),
            ("NEWSBOT_DATABASE_SCHEMA", self.schema.as_str()),
        ]
    }

    /// A store on this schema (a new pool each call, as a new process would open).
    pub fn store(&self) -> Store {
        Store::connect(&self.url, Some(&self.schema)).expect("connect to the test PostgreSQL")
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (url, schema) = (self.url.clone(), self.schema.clone());
        // The synchronous client must not run on the async runtime's thread.
        let dropped = std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
            client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test schema {}", self.schema);
        }
    }
}

/// The variables of one of several `serve` instances sharing a store (`base` holds the
/// store's and the test's own): a 3-second lease, the instance's name, and health and
/// metrics on a free port (read it with `BotProcess::listening_on("metrics")`).
pub fn instance_vars<'a>(
    base: &[(&'a str, &'a str)],
    instance: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut vars = base.to_vec();
    vars.extend_from_slice(&[
        ("NEWSBOT_LEASE_SECS", "3"),
        ("NEWSBOT_INSTANCE", instance),
        ("NEWSBOT_METRICS_LISTEN", "127.0.0.1:0"),
    ]);
    vars
}
