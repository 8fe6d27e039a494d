//! What a package may hold: name rules and size limits, checked on the
//! listing before a single byte is unpacked.

use std::collections::HashMap;
use std::path::Path;

use super::PackageError;
use crate::msg;

/// Bounds on what a package may expand to. The largest real 7940/7960 file
/// is under 1 MiB; the defaults leave wide room and still stop zip bombs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file, unpacked.
    pub max_file: u64,
    /// Largest package, all files unpacked.
    pub max_total: u64,
    /// Largest unpacked/stored ratio for one entry (checked above `ratio_floor`).
    pub max_ratio: u64,
    /// Entries smaller than this are not ratio-checked (a short text of spaces
    /// may compress well and still be harmless).
    pub ratio_floor: u64,
    /// Most entries a package may list.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file: 64 * 1024 * 1024,
            max_total: 256 * 1024 * 1024,
            max_ratio: 1000,
            ratio_floor: 1024 * 1024,
            max_entries: 10_000,
        }
    }
}

/// Entries a repack tool adds that are never firmware and never unpacked
/// (macOS resource forks and Finder files).
pub(crate) fn is_ignorable(name: &str) -> bool {
    name.starts_with("__MACOSX/")
        || name == "__MACOSX"
        || name.rsplit('/').next() == Some(".DS_Store")
}

/// Check one raw entry name for path tricks; returns its `/`-separated parts.
/// A trailing `/` (a folder entry) is allowed and dropped.
pub(crate) fn split_entry_name<'a>(pkg: &Path, raw: &'a str) -> Result<Vec<&'a str>, PackageError> {
    let entry = || raw.to_string();
    let bad = |why| PackageError::BadName {
        path: pkg.to_path_buf(),
        entry: entry(),
        why,
    };
    if raw.is_empty() {
        return Err(bad(msg!("package.name.empty", "empty name")));
    }
    if raw.chars().any(|c| c.is_control()) {
        return Err(bad(msg!("package.name.control", "control character")));
    }
    if raw.starts_with('/') || raw.starts_with('\\') || has_drive_letter(raw) {
        return Err(PackageError::AbsolutePath {
            path: pkg.to_path_buf(),
            entry: entry(),
        });
    }
    if raw.contains('\\') {
        // Reported before ".." so `..\\x` gets the backslash message, which
        // names the real trick on Windows.
        return Err(PackageError::Backslash {
            path: pkg.to_path_buf(),
            entry: entry(),
        });
    }
    let trimmed = raw.strip_suffix('/').unwrap_or(raw);
    let parts: Vec<&str> = trimmed.split('/').collect();
    if parts.contains(&"..") {
        return Err(PackageError::ZipSlip {
            path: pkg.to_path_buf(),
            entry: entry(),
        });
    }
    for part in &parts {
        if part.is_empty() || *part == "." {
            return Err(bad(msg!(
                "package.name.empty_part",
                "empty or \".\" path part"
            )));
        }
        if part.contains(':') {
            return Err(bad(msg!("package.name.colon", "\":\" in a name")));
        }
        if part
            .chars()
            .any(|c| matches!(c, '<' | '>' | '"' | '|' | '?' | '*'))
        {
            return Err(bad(msg!(
                "package.name.windows_char",
                "a character Windows forbids in names"
            )));
        }
        if part.ends_with(' ') || part.ends_with('.') {
            return Err(bad(msg!(
                "package.name.trailing",
                "a name ending in a space or dot"
            )));
        }
        if crate::fsutil::is_windows_device_name(part) {
            return Err(bad(msg!("package.name.device", "a Windows device name")));
        }
        if crate::fsutil::is_temp_name(part) {
            return Err(bad(msg!(
                "package.name.temporary",
                "a name reserved for convert79xx's temporary files"
            )));
        }
    }
    Ok(parts)
}

fn has_drive_letter(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Refuse names that differ only by case (two files a case-insensitive
/// file system would merge, and a phone may ask for either).
pub(crate) fn check_case_collisions<'a>(
    pkg: &Path,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), PackageError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for name in names {
        if let Some(first) = seen.insert(name.to_lowercase(), name) {
            if first == name {
                return Err(PackageError::Duplicate {
                    path: pkg.to_path_buf(),
                    entry: name.to_string(),
                });
            }
            return Err(PackageError::CaseCollision {
                path: pkg.to_path_buf(),
                first: first.to_string(),
                second: name.to_string(),
            });
        }
    }
    Ok(())
}

impl Limits {
    /// Check one file's declared size (and, for zips, its stored size).
    pub(crate) fn check_entry(
        &self,
        pkg: &Path,
        entry: &str,
        size: u64,
        stored: Option<u64>,
    ) -> Result<(), PackageError> {
        if size > self.max_file {
            return Err(PackageError::EntryTooLarge {
                path: pkg.to_path_buf(),
                entry: entry.to_string(),
                size,
                limit: self.max_file,
            });
        }
        if let Some(stored) = stored
            && size > self.ratio_floor
        {
            let ratio = size / stored.max(1);
            if ratio > self.max_ratio {
                return Err(PackageError::CompressionRatio {
                    path: pkg.to_path_buf(),
                    entry: entry.to_string(),
                    ratio,
                });
            }
        }
        Ok(())
    }

    pub(crate) fn check_total(&self, pkg: &Path, total: u64) -> Result<(), PackageError> {
        if total > self.max_total {
            return Err(PackageError::TotalTooLarge {
                path: pkg.to_path_buf(),
                total,
                limit: self.max_total,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str) -> Result<Vec<&str>, PackageError> {
        split_entry_name(Path::new("p.zip"), raw)
    }

    #[test]
    fn plain_and_wrapped_names_pass() {
        assert_eq!(check("P0S3-8-12-00.sb2").unwrap(), ["P0S3-8-12-00.sb2"]);
        assert_eq!(check("pkg/OS79XX.TXT").unwrap(), ["pkg", "OS79XX.TXT"]);
        assert_eq!(check("pkg/").unwrap(), ["pkg"]);
    }

    #[test]
    fn each_trick_gets_its_own_refusal() {
        assert!(matches!(check("../x"), Err(PackageError::ZipSlip { .. })));
        assert!(matches!(
            check("a/../../x"),
            Err(PackageError::ZipSlip { .. })
        ));
        assert!(matches!(
            check("/etc/passwd"),
            Err(PackageError::AbsolutePath { .. })
        ));
        assert!(matches!(
            check("C:/x.bin"),
            Err(PackageError::AbsolutePath { .. })
        ));
        assert!(matches!(
            check("c:x.bin"),
            Err(PackageError::AbsolutePath { .. })
        ));
        assert!(matches!(
            check("\\\\server\\x"),
            Err(PackageError::AbsolutePath { .. })
        ));
        assert!(matches!(
            check("..\\x"),
            Err(PackageError::Backslash { .. })
        ));
        assert!(matches!(check("a//b"), Err(PackageError::BadName { .. })));
        assert!(matches!(check("./a"), Err(PackageError::BadName { .. })));
        assert!(matches!(
            check("a\u{0}b"),
            Err(PackageError::BadName { .. })
        ));
        assert!(matches!(
            check("x.bin:ads"),
            Err(PackageError::BadName { .. })
        ));
        assert!(matches!(check("x.bin."), Err(PackageError::BadName { .. })));
        assert!(matches!(
            check("CON.txt"),
            Err(PackageError::BadName { .. })
        ));
        assert!(matches!(check("lpt1"), Err(PackageError::BadName { .. })));
        assert!(check("CONFIG.txt").is_ok());
        assert!(check("COM10.bin").is_ok());
        assert!(matches!(
            check(".convert79xx-tmp-1-P0S3-8-12-00.sb2"),
            Err(PackageError::BadName { .. })
        ));
    }

    #[test]
    fn case_collisions_and_duplicates() {
        let p = Path::new("p.zip");
        assert!(check_case_collisions(p, ["a.bin", "b.bin"]).is_ok());
        assert!(matches!(
            check_case_collisions(p, ["P0S3-8-12-00.sb2", "p0s3-8-12-00.SB2"]),
            Err(PackageError::CaseCollision { .. })
        ));
        assert!(matches!(
            check_case_collisions(p, ["a.bin", "a.bin"]),
            Err(PackageError::Duplicate { .. })
        ));
    }

    #[test]
    fn limits() {
        let l = Limits::default();
        let p = Path::new("p.zip");
        assert!(l.check_entry(p, "x", 800_000, Some(790_000)).is_ok());
        assert!(matches!(
            l.check_entry(p, "x", 2 << 30, Some(2 << 20)),
            Err(PackageError::EntryTooLarge { .. })
        ));
        assert!(matches!(
            l.check_entry(p, "x", 60 << 20, Some(1000)),
            Err(PackageError::CompressionRatio { .. })
        ));
        // A small, very compressible text is fine.
        assert!(l.check_entry(p, "x", 64 << 10, Some(20)).is_ok());
        assert!(l.check_total(p, 300 << 20).is_err());
    }
}
