//! The real `newsbot` binary, run as a person would run it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::fixture;

/// Runs `newsbot` in an empty directory (no `.env`) with only `vars` set, feeding `stdin`.
fn newsbot(args: &[&str], vars: &[(&str, &str)], stdin: &str) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsbot"));
    cmd.args(args)
        .current_dir(dir.path())
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn newsbot");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("newsbot ran")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn edition_without_arguments_reads_the_embedded_sample() {
    let out = newsbot(&["edition"], &[], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("source: embedded sample"));
    assert!(text.contains("articles: 5 · photo items: 1 · weather: yes · notices: 4"));
    assert!(text.contains("[1] 青溪老城更新提速"));
}

#[test]
fn edition_json_reads_standard_input() {
    let out = newsbot(
        &["edition", "--json", "-"],
        &[],
        fixture("english-page.txt"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["articles"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["weather"]["unit"], "F");
    assert_eq!(json["language"], "en");
}

#[test]
fn configured_source_is_used_and_sample_flag_overrides_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("{date}.txt");
    std::fs::write(dir.path().join("2026-03-02.txt"), fixture("bylines.txt")).expect("write");
    let spec = path.to_string_lossy().into_owned();
    let vars = [("NEWSBOT_EDITION_SOURCE", spec.as_str())];
    let out = newsbot(&["edition", "--date", "2026-03-02"], &vars, "");
    assert!(stdout(&out).contains("articles: 3 "), "{}", stderr(&out));
    let out = newsbot(&["edition", "--sample"], &vars, "");
    assert!(stdout(&out).contains("articles: 5 "), "{}", stderr(&out));
}

#[test]
fn bad_input_gets_a_clear_message_and_a_failing_status() {
    let out = newsbot(&["edition", "/no/such/page.txt"], &[], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("reading '/no/such/page.txt' failed"),
        "{}",
        stderr(&out)
    );
    let out = newsbot(&["edition", "-"], &[], "");
    assert!(
        stderr(&out).contains("the edition is empty"),
        "{}",
        stderr(&out)
    );
    let out = newsbot(&["edition", "--date", "2026-13-45"], &[], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a date like 2026-11-29"));
}

#[test]
fn a_document_with_nothing_to_read_fails_and_says_what_it_looked_like() {
    let feed =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>";
    let out = newsbot(&["edition", "-", "--json"], &[], feed);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "", "no JSON for an empty edition");
    assert!(
        stderr(&out).contains("nothing to read in an RSS 2.0 feed: it has no items"),
        "{}",
        stderr(&out)
    );
    let page = "<!-- https://example.org/ -->\n<script>function go() { alert('通知'); }</script>";
    let out = newsbot(&["digest", "--edition", "-"], &[], page);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing to read in an HTML page without a title"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_wrong_setting_fails_at_start_naming_it_and_hides_the_token() {
    let out = newsbot(
        &["edition"],
        &[
            ("NEWSBOT_MAX_REDIRECTS", "many"),
            ("TELOXIDE_TOKEN", "42:SECRET"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("NEWSBOT_MAX_REDIRECTS"));
    assert!(!stderr(&out).contains("SECRET") && !stdout(&out).contains("SECRET"));
}

#[test]
fn settings_prints_the_readme_table_and_a_wrong_value_names_its_setting() {
    let out = newsbot(&["settings"], &[], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.starts_with("| setting | default | meaning |"));
    assert!(table.contains("| `NEWSBOT_BUILD_AT` | `05:30` |"));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains(&table),
        "README table differs from `newsbot settings`"
    );
    let out = newsbot(&["edition"], &[("NEWSBOT_CATCH_UP_HOURS", "48")], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid setting NEWSBOT_CATCH_UP_HOURS='48'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_editions_file_is_checked_and_one_edition_stands_in_for_the_settings() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/editions.example.toml");
    let out = newsbot(&["editions", "--file", example], &[], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out);
    assert!(
        listed.contains("pinghu (default): 嘉兴日报·平湖版"),
        "{listed}"
    );
    assert!(listed.contains("haining: 嘉兴日报·海宁版"), "{listed}");
    // `--of` names one edition of a file of several; an id it does not list is refused
    // plainly with the ones it does, nothing read.
    let out = newsbot(
        &["edition", "--of", "nowhere"],
        &[("NEWSBOT_EDITIONS_FILE", example)],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("lists no such edition (it lists pinghu, haining)"),
        "{}",
        stderr(&out)
    );
    // One edition: its pages are the edition read.
    let dir = tempfile::tempdir().expect("tempdir");
    let page = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pages/qingxi-{page}.txt"
    );
    let file = dir.path().join("editions.toml");
    std::fs::write(
        &file,
        format!("[[edition]]\nid = \"qingxi\"\nname = \"青溪日报\"\npages = [\"{page}\"]\n"),
    )
    .expect("write");
    let file = file.to_string_lossy().into_owned();
    let out = newsbot(
        &["edition"],
        &[("NEWSBOT_EDITIONS_FILE", file.as_str())],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("source: 3 pages"), "{}", stdout(&out));
    // A mistake names the file and the edition.
    std::fs::write(
        &file,
        "[[edition]]\nid = \"Bad Id\"\nname = \"x\"\npages = [\"a\"]\n",
    )
    .expect("write");
    let out = newsbot(
        &["editions"],
        &[("NEWSBOT_EDITIONS_FILE", file.as_str())],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("editions.toml', edition 'Bad Id': 'Bad Id' is not an edition id"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_and_import_carry_the_editions_a_chat_follows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data = data.to_string_lossy().into_owned();
    let record = |id: i64, follows: serde_json::Value| {
        serde_json::json!({
            "version": 1, "id": id, "kind": "private", "lang": "zh",
            "delivery": "07:00", "tz": "Asia/Shanghai", "topics": ["headlines"],
            "paused_until": null, "status": "active", "created_at": "2026-11-29T12:00:00Z",
            "follows": follows
        })
        .to_string()
    };
    let editions = dir.path().join("editions.toml");
    std::fs::write(
        &editions,
        "default = \"pinghu\"\n[[edition]]\nid = \"pinghu\"\nname = \"平湖版\"\npages = [\"a.txt\"]\n",
    )
    .expect("write");
    let editions = editions.to_string_lossy().into_owned();
    let file = dir.path().join("subs.jsonl");
    let lines = [
        record(1, serde_json::json!([])),
        record(
            2,
            serde_json::json!([{ "edition": "pinghu", "delivery": "06:30" }]),
        ),
        record(3, serde_json::json!([{ "edition": "haining" }])),
        record(4, serde_json::json!([{ "edition": "Not An Id" }])),
    ];
    std::fs::write(&file, lines.join("\n")).expect("write");
    let file = file.to_string_lossy().into_owned();
    let vars = [
        ("NEWSBOT_DATA_DIR", data.as_str()),
        ("NEWSBOT_EDITIONS_FILE", editions.as_str()),
    ];
    let out = newsbot(&["subscribers", "import", &file], &vars, "");
    assert_eq!(out.status.code(), Some(1), "two lines refused");
    let said = stderr(&out);
    assert!(said.contains("imported 2 subscribers"), "{said}");
    assert!(
        said.contains(
            "line 3: subscriber 3 follows edition 'haining', which this deployment does not serve"
        ),
        "{said}"
    );
    assert!(
        said.contains("line 4:") && said.contains("not an edition id"),
        "{said}"
    );
    let out = newsbot(&["subscribers", "export"], &vars, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = stdout(&out);
    assert!(
        exported.contains(r#""follows":[{"edition":"pinghu","delivery":"06:30"}]"#),
        "{exported}"
    );
    let first = exported
        .lines()
        .find(|l| l.contains(r#""id":1,"#))
        .expect("subscriber 1");
    assert!(
        !first.contains("follows"),
        "the default edition is written as nothing: {first}"
    );
}
