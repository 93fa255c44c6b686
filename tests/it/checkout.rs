//! What a clean checkout holds: every file the build embeds (`include_str!`, `include_bytes!`)
//! and every file under the folders the build and the tests read is one git would commit, not
//! one `.gitignore` leaves out (a word list under an ignored folder once built here and failed
//! on a clean checkout). Skipped, with a line saying so, where the tree is not a git checkout.

use std::path::{Path, PathBuf};
use std::process::Command;

const READ_FOLDERS: &[&str] = &["src", "tests", "benches", "crates", "assets", "docs"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The paths git ignores among `paths` (relative to the root), or `None` outside a checkout.
fn ignored(paths: &[String]) -> Option<Vec<String>> {
    let inside = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(root())
        .output()
        .ok()?;
    if !inside.status.success() {
        return None;
    }
    let mut ignored = Vec::new();
    for path in paths {
        let out = Command::new("git")
            .args(["check-ignore", "-q", "--no-index", path])
            .current_dir(root())
            .status()
            .ok()?;
        if out.success() {
            ignored.push(path.clone());
        }
    }
    Some(ignored)
}

/// The files named by `include_str!`/`include_bytes!` in the Rust sources under `dir`.
fn embedded_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                embedded_files(&path, found);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for macro_name in ["include_str!(\"", "include_bytes!(\""] {
            for (at, _) in text.match_indices(macro_name) {
                let rest = &text[at + macro_name.len()..];
                if let Some(end) = rest.find('"') {
                    let parent = path.parent().unwrap_or(dir);
                    found.push(parent.join(&rest[..end]));
                }
            }
        }
    }
}

fn relative(path: &Path) -> String {
    let root = root();
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical
        .strip_prefix(root.canonicalize().unwrap_or(root))
        .unwrap_or(&canonical)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_embedded_file_exists_and_would_be_committed() {
    let mut files = Vec::new();
    for folder in READ_FOLDERS {
        embedded_files(&root().join(folder), &mut files);
    }
    assert!(
        files.iter().any(|f| f.ends_with("zh-en.tsv.gz")),
        "the scan finds the embedded word list: {files:?}"
    );
    let missing: Vec<_> = files.iter().filter(|f| !f.exists()).collect();
    assert!(missing.is_empty(), "embedded files missing: {missing:?}");
    let paths: Vec<String> = files.iter().map(|f| relative(f)).collect();
    let Some(ignored) = ignored(&paths) else {
        println!("SKIPPED: not a git checkout");
        return;
    };
    assert!(
        ignored.is_empty(),
        "embedded files that .gitignore leaves out of a commit: {ignored:?}"
    );
}

#[test]
fn nothing_in_the_folders_the_build_reads_is_ignored_by_git() {
    let folders: Vec<String> = READ_FOLDERS.iter().map(|f| format!("{f}/")).collect();
    let Ok(out) = Command::new("git")
        .args([
            "ls-files",
            "--others",
            "--ignored",
            "--exclude-standard",
            "--",
        ])
        .args(&folders)
        .current_dir(root())
        .output()
    else {
        println!("SKIPPED: no git");
        return;
    };
    if !out.status.success() {
        println!("SKIPPED: not a git checkout");
        return;
    }
    let listed = String::from_utf8_lossy(&out.stdout);
    let ignored: Vec<&str> = listed.lines().collect();
    assert!(
        ignored.is_empty(),
        "files under {READ_FOLDERS:?} that .gitignore leaves out of a commit: {ignored:?}"
    );
    // The check itself sees an ignored path: the runtime data folder is ignored.
    let data = ignored_check("data/newsbot.sled");
    assert_ne!(data, Some(false), "the runtime data folder is ignored");
}

fn ignored_check(path: &str) -> Option<bool> {
    ignored(&[path.to_string()]).map(|found| !found.is_empty())
}
