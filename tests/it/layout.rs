//! The source's shape, as the brief asks it (issue 19): modules small, and
//! no import circle between the top-level modules of `src/` (a circle
//! means two folders are one thing, or a constant lives on the wrong side).
//! Test code (`tests.rs`, `tests_*.rs`, inline `mod tests`) and the data
//! tables (the Portuguese texts), test support (`fixtures.rs`, `sim.rs`)
//! are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// "About 700 lines" (the brief): a file past this is split by concern.
const MAX_LINES: usize = 720;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Tests, test support and data tables.
fn exempt(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    let in_dir = |d: &str| path.components().any(|c| c.as_os_str() == d);
    name == "tests.rs"
        || name.starts_with("tests_")
        || name == "fixtures.rs"
        || name == "sim.rs"
        || name == "pt_br.rs"
        || in_dir("pt_br")
        || in_dir("tests")
}

/// The code of a file without its inline test module and its comments.
fn code(text: &str) -> impl Iterator<Item = &str> {
    let end = text.find("#[cfg(test)]\nmod tests {").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
}

/// The top-level module a file belongs to (`tftp` for `src/tftp/x.rs`,
/// `bind` for `src/bind.rs`).
fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn no_source_file_is_too_long() {
    let long: Vec<String> = rust_files(&src())
        .into_iter()
        .filter(|p| !exempt(p))
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by concern (at most about 700 lines a file): {long:?}"
    );
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let files = rust_files(&src());
    let modules: BTreeSet<String> = files.iter().map(|p| top_module(p)).collect();
    // module → module it names → one file that names it
    let mut uses: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for path in files.iter().filter(|p| !exempt(p)) {
        let from = top_module(path);
        let text = std::fs::read_to_string(path).unwrap();
        let code: Vec<&str> = code(&text).collect();
        for to in named_modules(&code.join("\n")) {
            if to != from && modules.contains(&to) {
                uses.entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| path.clone());
            }
        }
    }
    // A circle: a module that reaches itself again.
    let mut circles = Vec::new();
    for start in uses.keys() {
        let mut path = vec![start.clone()];
        if let Some(found) = back_to(start, &uses, &mut path, &mut BTreeSet::new()) {
            let how: Vec<String> = found
                .windows(2)
                .map(|w| format!("{} → {} ({})", w[0], w[1], uses[&w[0]][&w[1]].display()))
                .collect();
            circles.push(how.join(", "));
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

/// The first name after each `crate::`, and each name a `crate::{a, b::c}`
/// group starts with.
fn named_modules(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let after = &code[i + "crate::".len()..];
        match after.strip_prefix('{') {
            None => out.push(ident(after)),
            Some(group) => {
                let mut depth = 0;
                let mut start = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        _ if start && !c.is_whitespace() => {
                            out.push(ident(&group[j..]));
                            start = false;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    out
}

/// A path of uses from the last module of `path` back to `start`.
fn back_to(
    start: &str,
    uses: &BTreeMap<String, BTreeMap<String, PathBuf>>,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let here = path.last().unwrap().clone();
    for next in uses.get(&here).into_iter().flat_map(|m| m.keys()) {
        if next == start {
            let mut found = path.clone();
            found.push(next.clone());
            return Some(found);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(found) = back_to(start, uses, path, seen) {
                return Some(found);
            }
            path.pop();
        }
    }
    None
}
