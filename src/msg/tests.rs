use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;

/// Every `msg!("id", "English")` in the core's source: id → English.
pub fn catalogue() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("msg!(") {
            rest = rest[i + 5..].trim_start();
            let Some(opened) = rest.strip_prefix('"') else {
                continue;
            };
            let (id, after) = literal(opened);
            let Some(q) = after.find('"') else { break };
            let (en, _) = literal(&after[q + 1..]);
            if let Some(old) = found.insert(id.clone(), en.clone()) {
                assert_eq!(old, en, "{id} has two English texts ({})", file.display());
            }
        }
    }
    found
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("msg/tests.rs") {
            out.push(path);
        }
    }
    out
}

/// A string literal's text up to its closing quote (escapes read), and what follows.
fn literal(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, '\n')) => {
                    // a line continuation: skip the next line's indent
                    let rest = &s[i + 2..];
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in 0..skip {
                        chars.next();
                    }
                }
                Some((_, other)) => out.push(other),
                None => {}
            },
            '"' => return (out, &s[i + 1..]),
            c => out.push(c),
        }
    }
    (out, "")
}

/// Every message id has a Portuguese text with the same placeholders.
#[test]
fn every_message_has_portuguese() {
    let messages = catalogue();
    assert!(
        messages.len() > 40,
        "found only {} messages",
        messages.len()
    );
    let mut missing = Vec::new();
    for (id, en) in &messages {
        match pt_br::text(id) {
            None => missing.push(format!("{id}: {en:?}")),
            Some(pt) => assert_eq!(
                placeholders(en),
                placeholders(pt),
                "placeholders differ for {id}"
            ),
        }
    }
    assert!(
        missing.is_empty(),
        "{} message(s) without Portuguese:\n{}",
        missing.len(),
        missing.join("\n")
    );
    // and the table holds no text for an id the code no longer says
    let stale: Vec<&str> = pt_br::ids()
        .filter(|id| !messages.contains_key(*id))
        .collect();
    assert!(
        stale.is_empty(),
        "Portuguese for ids nobody says: {stale:?}"
    );
}

/// The Portuguese tables (split by subject) give each id one text.
#[test]
fn each_id_has_one_portuguese_text() {
    let mut seen = std::collections::BTreeSet::new();
    for id in pt_br::ids() {
        assert!(seen.insert(id), "{id} has two Portuguese texts");
    }
}

#[test]
fn rendering_fills_each_placeholder_once() {
    let m = crate::msg!("test.only", "{a} and {b}, not {c}", a = "x{b}", b = 2);
    let nested = crate::msg!("test.nested", "[{m}]", m => m.clone());
    assert_eq!(nested.render(Lang::En), "[x{b} and 2, not {c}]");
    assert_eq!(m.render(Lang::En), "x{b} and 2, not {c}");
    assert_eq!(m.to_string(), "x{b} and 2, not {c}");
    assert_eq!(
        serde_json::to_string(&m).unwrap(),
        "\"x{b} and 2, not {c}\""
    );
}

#[test]
fn languages_from_locales_and_tags() {
    assert_eq!(Lang::from_locale("pt_BR.UTF-8"), Lang::PtBr);
    assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
    assert_eq!("pt-BR".parse::<Lang>(), Ok(Lang::PtBr));
    assert_eq!("pt_br".parse::<Lang>(), Ok(Lang::PtBr));
    assert!("de".parse::<Lang>().unwrap_err().contains("pt-BR"));
}
