//! The floor plan, checked: `src/` holds `main.rs`, `lib.rs` and one folder per layer; a
//! file imports only from its own layer and the layers before it; no files import each
//! other in a circle. Imports are read from `crate::` and `super::` paths outside comments
//! and test modules. A module's use of its own children is not an import (it is made of
//! them); every other path is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 5] = ["core", "edge", "app", "chat", "program"];

/// Every `.rs` file under `dir`, with its module path (`["edge", "store"]`).
fn modules(root: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(root).expect("under src");
            let mut segments: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if segments.last().is_some_and(|last| last == "mod") {
                segments.pop();
            }
            if segments == ["lib"] || segments == ["main"] {
                segments.clear();
            }
            if relative == Path::new("main.rs") {
                continue;
            }
            found.insert(segments, path);
        }
    }
    found
}

/// The code of a file without comments and without its `#[cfg(test)]` modules.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod ").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") { "" } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths in `code` after each `crate::` or `super::` chain, as written (`super` kept),
/// with their line numbers. A `{a, b::c}` group yields one path per item.
fn paths_in(code: &str) -> Vec<(Vec<String>, usize)> {
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = ["crate::", "super::"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
        {
            let before = rest[..at].chars().next_back();
            let tail = &rest[at..];
            rest = &rest[at + 5..];
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let mut segments = Vec::new();
            let mut cursor = tail;
            loop {
                let name: String = cursor.chars().take_while(|&c| is_ident(c)).collect();
                if name.is_empty() {
                    break;
                }
                cursor = &cursor[name.len()..];
                segments.push(name);
                match cursor.strip_prefix("::") {
                    Some(next) => cursor = next,
                    None => break,
                }
            }
            if let Some(group) = cursor.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let mut path = segments.clone();
                    path.extend(
                        item.trim()
                            .split("::")
                            .map(|s| s.split_whitespace().next().unwrap_or("").to_owned())
                            .filter(|s| !s.is_empty() && s.chars().all(is_ident)),
                    );
                    found.push((path, number + 1));
                }
            } else {
                found.push((segments, number + 1));
            }
        }
    }
    found
}

/// The module a path names: `super`s resolved from `from`, then the longest known prefix.
fn resolve(
    from: &[String],
    path: &[String],
    known: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut base: Vec<String> = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super") => from.to_vec(),
        _ => return None,
    };
    while segments.peek().is_some_and(|s| *s == "super") {
        segments.next();
        base.pop()?;
    }
    base.extend(segments.cloned());
    while !base.is_empty() {
        if known.contains_key(&base) {
            return Some(base);
        }
        base.pop();
    }
    None
}

struct Import {
    to: Vec<String>,
    line: usize,
}

fn imports(root: &Path) -> BTreeMap<Vec<String>, Vec<Import>> {
    let known = modules(root);
    let mut graph = BTreeMap::new();
    for (module, file) in &known {
        let text = std::fs::read_to_string(file).expect("read source");
        let mut edges: Vec<Import> = Vec::new();
        for (path, line) in paths_in(&code_of(&text)) {
            let Some(to) = resolve(module, &path, &known) else {
                continue;
            };
            // Itself, or one of its own children: not an import.
            if to.starts_with(module) {
                continue;
            }
            if !edges.iter().any(|e| e.to == to) {
                edges.push(Import { to, line });
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// The groups of modules that import each other in a circle (Tarjan's components).
fn circles(graph: &BTreeMap<Vec<String>, Vec<Import>>) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<Vec<String>, Vec<Import>>,
        index: BTreeMap<&'g [String], usize>,
        low: BTreeMap<&'g [String], usize>,
        stack: Vec<&'g [String]>,
        on_stack: BTreeSet<&'g [String]>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(walk: &mut Walk<'g>, v: &'g [String]) {
        let at = walk.index.len();
        walk.index.insert(v, at);
        walk.low.insert(v, at);
        walk.stack.push(v);
        walk.on_stack.insert(v);
        for edge in walk.graph.get(v).map(Vec::as_slice).unwrap_or_default() {
            let Some((w, _)) = walk.graph.get_key_value(&edge.to) else {
                continue;
            };
            let w = w.as_slice();
            if !walk.index.contains_key(w) {
                visit(walk, w);
                let low = walk.low[w].min(walk.low[v]);
                walk.low.insert(v, low);
            } else if walk.on_stack.contains(w) {
                let low = walk.index[w].min(walk.low[v]);
                walk.low.insert(v, low);
            }
        }
        if walk.low[v] == walk.index[v] {
            let mut group = Vec::new();
            while let Some(w) = walk.stack.pop() {
                walk.on_stack.remove(w);
                group.push(name(w));
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                walk.found.push(group);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_slice()) {
            visit(&mut walk, v);
        }
    }
    walk.found
}

fn layer(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    LAYERS.iter().position(|l| l == top)
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_source_root_holds_main_lib_and_one_folder_per_layer() {
    let mut entries: Vec<String> = std::fs::read_dir(src())
        .expect("src")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let mut expected: Vec<String> = LAYERS.iter().map(|l| (*l).to_owned()).collect();
    expected.extend(["lib.rs".to_owned(), "main.rs".to_owned()]);
    expected.sort();
    assert_eq!(entries, expected);
}

/// Longest a source file may be, its test module not counted.
const MAX_FILE_LINES: usize = 500;

/// Files over [`MAX_FILE_LINES`] lines before their `#[cfg(test)]` module, with the count.
fn long_files(roots: &[PathBuf]) -> Vec<(PathBuf, usize)> {
    let mut long = Vec::new();
    for root in roots {
        for path in modules(root).into_values() {
            let text = std::fs::read_to_string(&path).expect("read source");
            let code = text
                .find("#[cfg(test)]\nmod ")
                .map_or(text.as_str(), |end| &text[..end]);
            let lines = code.lines().count();
            if lines > MAX_FILE_LINES {
                long.push((path, lines));
            }
        }
    }
    long
}

#[test]
fn no_source_file_is_over_500_lines_outside_its_tests() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates");
    let mut roots = vec![src()];
    for entry in std::fs::read_dir(crates).expect("crates").flatten() {
        roots.push(entry.path().join("src"));
    }
    let long = long_files(&roots);
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long:#?}"
    );
    // The check itself finds a long file.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("lib.rs"),
        "fn f() {}\n".repeat(MAX_FILE_LINES + 1),
    )
    .expect("write");
    assert_eq!(long_files(&[dir.path().to_path_buf()]).len(), 1);
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let found = circles(&imports(&src()));
    assert!(found.is_empty(), "import circles: {found:#?}");
}

/// Each import from a later layer, as `from (line n) imports to`.
fn upward_imports(graph: &BTreeMap<Vec<String>, Vec<Import>>) -> Vec<String> {
    let mut upward = Vec::new();
    for (module, edges) in graph {
        let Some(from) = layer(module) else { continue };
        for edge in edges {
            if layer(&edge.to).is_some_and(|to| to > from) {
                upward.push(format!(
                    "{} (line {}) imports {}",
                    name(module),
                    edge.line,
                    name(&edge.to)
                ));
            }
        }
    }
    upward
}

#[test]
fn no_file_imports_from_a_later_layer() {
    let upward = upward_imports(&imports(&src()));
    assert!(upward.is_empty(), "imports from a later layer: {upward:#?}");
}

/// The check itself: a circle and an upward import written to a scratch tree are found.
#[test]
fn the_check_finds_a_circle_and_an_upward_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for (file, text) in [
        ("lib.rs", "pub mod core;\npub mod app;\n"),
        ("core/mod.rs", "pub mod a;\npub mod b;\n"),
        (
            "core/a.rs",
            "// crate::app::x is only a comment\nuse crate::core::b::B;\n",
        ),
        ("core/b.rs", "use super::a::A;\nuse crate::app::{x, y};\n"),
        ("app/mod.rs", "pub mod x;\n"),
        ("app/x.rs", "pub struct X;\n"),
    ] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let graph = imports(root);
    let found = circles(&graph);
    assert_eq!(
        found,
        vec![vec!["core::a".to_owned(), "core::b".to_owned()]]
    );
    let b = vec!["core".to_owned(), "b".to_owned()];
    let targets: Vec<String> = graph[&b].iter().map(|e| name(&e.to)).collect();
    assert_eq!(targets, ["core::a", "app::x", "app"]);
    let a = vec!["core".to_owned(), "a".to_owned()];
    let from_a: Vec<String> = graph[&a].iter().map(|e| name(&e.to)).collect();
    assert_eq!(from_a, ["core::b"], "a comment is not an import");
    assert_eq!(
        upward_imports(&graph),
        [
            "core::b (line 2) imports app::x",
            "core::b (line 2) imports app"
        ]
    );
}
