//! Which file a request may be served from: the path policy.
//!
//! Read-only, under the root only. A leading `./` or `/` is stripped (phones
//! send `./SIP<MAC>.cnf`); `..`, backslashes, drive letters, NUL bytes,
//! over-long names, hidden names (our temp files, the manifest and backup
//! folders) are refused; exact case is tried first, then a unique
//! case-insensitive match; links are followed only when they stay inside the
//! root.

use std::fs;
use std::path::{Path, PathBuf};

use crate::fsutil::is_temp_name;

use super::names::bare_name;

/// Longest request name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 255;

/// Where a request leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(ResolvedFile),
    NotFound,
    /// Refused; the text names the rule.
    Denied(String),
}

/// A file that may be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// Full path on disk (inside the root).
    pub path: PathBuf,
    /// The name relative to the root, `/`-separated, in its case on disk.
    pub name: String,
    /// Whether a component was matched ignoring case.
    pub case_insensitive: bool,
}

/// Checks only the text of a request: the rules that need no disk.
/// Returns the components to look up.
pub fn check_name(requested: &str) -> Result<Vec<&str>, String> {
    if requested.len() > MAX_NAME_LEN {
        return Err(format!(
            "name longer than {MAX_NAME_LEN} bytes ({} bytes)",
            requested.len()
        ));
    }
    if requested.contains('\0') {
        return Err("name contains a NUL byte".into());
    }
    if requested.contains('\\') {
        return Err("name contains a backslash (only '/' separates folders)".into());
    }
    if requested.contains(':') {
        return Err("name contains ':' (drive letters and streams are refused)".into());
    }
    if requested.chars().any(char::is_control) {
        return Err("name contains control characters".into());
    }
    let mut parts = Vec::new();
    for part in bare_name(requested).split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err("name climbs out with '..'".into()),
            p if is_temp_name(p) => return Err("a temporary file of convert79xx".into()),
            p if p.starts_with('.') => {
                return Err(
                    "hidden name (starts with '.'; the manifest and backups live there)".into(),
                );
            }
            p if crate::fsutil::is_windows_device_name(p) => {
                return Err(format!("'{p}' is a reserved device name on Windows"));
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err("no file name".into());
    }
    Ok(parts)
}

/// Finds the file a request names under `root`, which must already be
/// canonical (`fs::canonicalize`).
pub fn resolve(root: &Path, requested: &str) -> Resolution {
    let parts = match check_name(requested) {
        Ok(p) => p,
        Err(why) => return Resolution::Denied(why),
    };
    let mut path = root.to_path_buf();
    let mut names = Vec::with_capacity(parts.len());
    let mut case_insensitive = false;
    for part in parts {
        let exact = path.join(part);
        if fs::symlink_metadata(&exact).is_ok() {
            path = exact;
            names.push(part.to_string());
            continue;
        }
        match unique_case_insensitive(&path, part) {
            Lookup::One(found) => {
                path = path.join(&found);
                names.push(found);
                case_insensitive = true;
            }
            Lookup::None => return Resolution::NotFound,
            Lookup::Many => {
                return Resolution::Denied(format!(
                    "several files match '{part}' when case is ignored; rename all but one"
                ));
            }
        }
    }
    // Links are allowed only when they end inside the root.
    let real = match fs::canonicalize(&path) {
        Ok(p) => p,
        Err(_) => return Resolution::NotFound,
    };
    if !real.starts_with(root) {
        return Resolution::Denied("a link that points outside the TFTP root".into());
    }
    if let Some(leaf) = real.file_name().and_then(|n| n.to_str())
        && (is_temp_name(leaf) || leaf.starts_with('.'))
    {
        return Resolution::Denied("a link to a hidden or temporary file".into());
    }
    match fs::metadata(&real) {
        Ok(m) if m.is_file() => Resolution::Found(ResolvedFile {
            path: real,
            name: names.join("/"),
            case_insensitive,
        }),
        _ => Resolution::NotFound,
    }
}

enum Lookup {
    None,
    One(String),
    Many,
}

fn unique_case_insensitive(dir: &Path, part: &str) -> Lookup {
    let Ok(entries) = fs::read_dir(dir) else {
        return Lookup::None;
    };
    let mut found = None;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.eq_ignore_ascii_case(part) && !name.starts_with('.') {
            if found.is_some() {
                return Lookup::Many;
            }
            found = Some(name.to_string());
        }
    }
    found.map_or(Lookup::None, Lookup::One)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::write(root.join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
        fs::write(root.join("SIP000E84C060A6.cnf"), b"line1_name: 1").unwrap();
        fs::create_dir(root.join("ring")).unwrap();
        fs::write(root.join("ring/Chime.raw"), b"x").unwrap();
        (dir, root)
    }

    fn found(r: Resolution) -> ResolvedFile {
        match r {
            Resolution::Found(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn leading_dot_slash_and_slash_are_stripped() {
        let (_d, root) = root();
        let f = found(resolve(&root, "./SIP000E84C060A6.cnf"));
        assert_eq!(f.name, "SIP000E84C060A6.cnf");
        assert!(!f.case_insensitive);
        assert_eq!(found(resolve(&root, "/OS79XX.TXT")).name, "OS79XX.TXT");
        assert_eq!(
            found(resolve(&root, "ring/Chime.raw")).name,
            "ring/Chime.raw"
        );
    }

    #[test]
    fn case_insensitive_match_is_marked() {
        let (_d, root) = root();
        let f = found(resolve(&root, "os79xx.txt"));
        assert_eq!(f.name, "OS79XX.TXT");
        assert!(f.case_insensitive);
        fs::write(root.join("os79xx.TXT"), b"other").unwrap();
        // exact still wins, ambiguous fold is refused
        assert_eq!(found(resolve(&root, "OS79XX.TXT")).name, "OS79XX.TXT");
        assert!(matches!(
            resolve(&root, "Os79xx.txt"),
            Resolution::Denied(_)
        ));
    }

    #[test]
    fn tricks_are_refused() {
        let (_d, root) = root();
        let long = "A".repeat(300);
        for bad in [
            "../etc/passwd",
            "ring/../../x",
            "..\\x",
            "C:/x",
            "c:x",
            "OS79XX.TXT\0",
            long.as_str(),
            ".convert79xx-tmp-1-0-OS79XX.TXT",
            ".convert79xx/manifest.toml",
            "",
            "/",
            "CON",
        ] {
            assert!(
                matches!(resolve(&root, bad), Resolution::Denied(_)),
                "{bad:?} -> {:?}",
                resolve(&root, bad)
            );
        }
        assert_eq!(resolve(&root, "nothere.cnf"), Resolution::NotFound);
        assert_eq!(resolve(&root, "ring"), Resolution::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_refused_links_inside_followed() {
        let (_d, root) = root();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), b"s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("leakdir")).unwrap();
        std::os::unix::fs::symlink(root.join("OS79XX.TXT"), root.join("alias.txt")).unwrap();
        assert!(matches!(resolve(&root, "leak.txt"), Resolution::Denied(_)));
        assert!(matches!(
            resolve(&root, "leakdir/secret"),
            Resolution::Denied(_)
        ));
        assert!(matches!(resolve(&root, "LEAK.TXT"), Resolution::Denied(_)));
        assert_eq!(found(resolve(&root, "alias.txt")).name, "alias.txt");
    }
}
