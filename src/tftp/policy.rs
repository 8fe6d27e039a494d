//! Which file a request may be served from, and opening it: the path policy.
//!
//! Read-only, beneath the root only. A leading `./` or `/` is stripped
//! (phones send `./SIP<MAC>.cnf`); `..`, backslashes, drive letters, NUL
//! bytes, control characters and over-long names are refused, and so are
//! names that are never served ([`check_served_name`]): hidden names, our
//! temporary files, the manifest and backup folders, session files. Exact
//! case is tried first, then a unique case-insensitive match.
//!
//! The file is found and opened through handles, never by a path checked
//! first and opened later: the root is a directory handle (cap-std), each
//! folder on the way is opened from the one before without following a
//! link, and so is the file itself. A link met on the way is read through
//! its folder's handle and its target walked the same way (relative targets
//! only, never above the root, each name checked). So the file served is
//! the one the checks were made on: a name swapped for a link between a
//! check and the open makes the open fail, it never reaches outside.

use std::collections::VecDeque;
use std::io;
use std::path::{Component, Path};

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions};

use crate::fsutil::is_temp_name;
use crate::msg;
use crate::msg::Msg;
use crate::stage::is_bookkeeping_name;

use super::names::bare_name;

/// Longest request name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 255;

/// Links followed for one request, at most (a loop ends in a refusal).
const MAX_LINKS: usize = 8;

/// Where a request leads.
#[derive(Debug)]
pub enum Resolution {
    Found(OpenedFile),
    NotFound,
    /// Refused; the text names the rule.
    Denied(Msg),
    /// The process has no file descriptor left to open it: the client is
    /// told "busy", not that the file changed under us.
    OutOfDescriptors,
}

/// A file opened for serving: a regular file beneath the root.
#[derive(Debug)]
pub struct OpenedFile {
    /// Read-only handle; serving reads from it, never from the name again.
    pub file: std::fs::File,
    /// Its size when opened.
    pub len: u64,
    /// The name relative to the root, `/`-separated, in its case on disk.
    pub name: String,
    /// Whether a component was matched ignoring case.
    pub case_insensitive: bool,
}

/// Checks only the text of a request: the rules that need no disk.
/// Returns the components to look up.
pub fn check_name(requested: &str) -> Result<Vec<&str>, Msg> {
    if requested.len() > MAX_NAME_LEN {
        return Err(msg!(
            "tftp.refused.long",
            "name longer than {max} bytes ({n} bytes)",
            max = MAX_NAME_LEN,
            n = requested.len(),
        ));
    }
    if requested.contains('\0') {
        return Err(msg!("tftp.refused.nul", "name contains a NUL byte"));
    }
    if requested.contains('\\') {
        return Err(msg!(
            "tftp.refused.backslash",
            "name contains a backslash (only '/' separates folders)"
        ));
    }
    if requested.contains(':') {
        return Err(msg!(
            "tftp.refused.colon",
            "name contains ':' (drive letters and streams are refused)"
        ));
    }
    if requested.chars().any(char::is_control) {
        return Err(msg!(
            "tftp.refused.control",
            "name contains control characters"
        ));
    }
    let mut parts = Vec::new();
    for part in bare_name(requested).split('/') {
        match part {
            "" | "." => continue,
            ".." => {
                return Err(msg!("tftp.refused.parent", "name climbs out with '..'"));
            }
            p => {
                check_served_name(p)?;
                parts.push(p);
            }
        }
    }
    if parts.is_empty() {
        return Err(msg!("tftp.refused.no_name", "no file name"));
    }
    Ok(parts)
}

/// The names in a root that are never served, whatever leads to them (a
/// request, or a link): checked on every name asked for, found on disk
/// or read from a link.
pub fn check_served_name(part: &str) -> Result<(), Msg> {
    if is_temp_name(part) {
        return Err(msg!(
            "tftp.refused.temporary",
            "a temporary file of convert79xx"
        ));
    }
    if part.starts_with('.') {
        return Err(msg!("tftp.refused.hidden", "hidden name (starts with '.')"));
    }
    if is_bookkeeping_name(part) {
        return Err(msg!(
            "tftp.refused.bookkeeping",
            "convert79xx's own bookkeeping (the manifest or a backup folder, which keeps earlier passwords)"
        ));
    }
    if part.to_ascii_lowercase().ends_with(".toml") {
        return Err(msg!(
            "tftp.refused.session",
            "a session file (.toml), which holds the phones' passwords"
        ));
    }
    if crate::fsutil::is_windows_device_name(part) {
        return Err(msg!(
            "tftp.refused.device",
            "'{name}' is a reserved device name on Windows",
            name = part,
        ));
    }
    Ok(())
}

/// The TFTP root, held open: every request is resolved beneath this handle.
#[derive(Debug)]
pub struct Root {
    dir: Dir,
}

/// One name still to walk, and whether the request named it (a link's
/// target is walked but not shown).
struct Step {
    name: String,
    requested: bool,
}

impl Root {
    /// Opens the folder to serve.
    pub fn open(path: &Path) -> io::Result<Root> {
        let dir = Dir::open_ambient_dir(path, cap_std::ambient_authority())?;
        Ok(Root { dir })
    }

    /// Finds and opens the file a request names.
    pub fn open_file(&self, requested: &str) -> Resolution {
        let parts = match check_name(requested) {
            Ok(p) => p,
            Err(why) => return Resolution::Denied(why),
        };
        let mut todo: VecDeque<Step> = parts
            .into_iter()
            .map(|p| Step {
                name: p.to_string(),
                requested: true,
            })
            .collect();
        // Folders below the root, innermost last.
        let mut dirs: Vec<Dir> = Vec::new();
        let mut shown: Vec<String> = Vec::new();
        let mut links = 0;
        let mut case_insensitive = false;
        while let Some(step) = todo.pop_front() {
            let here = dirs.last().unwrap_or(&self.dir);
            match step.name.as_str() {
                "" | "." => continue,
                ".." => {
                    if dirs.pop().is_none() {
                        return Resolution::Denied(msg!(
                            "tftp.refused.link_outside",
                            "a link that points outside the TFTP root"
                        ));
                    }
                    continue;
                }
                name => {
                    if let Err(why) = check_served_name(name) {
                        return Resolution::Denied(why);
                    }
                }
            }
            let (name, meta) = match here.symlink_metadata(&step.name) {
                Ok(meta) => match spelled_otherwise(here, &step.name) {
                    // Found by a case-insensitive file system: the name on disk.
                    Some(found) => {
                        if let Err(why) = check_served_name(&found) {
                            return Resolution::Denied(why);
                        }
                        case_insensitive = true;
                        (found, meta)
                    }
                    None => (step.name, meta),
                },
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    match unique_case_insensitive(here, &step.name) {
                        Lookup::One(found) => {
                            if let Err(why) = check_served_name(&found) {
                                return Resolution::Denied(why);
                            }
                            case_insensitive = true;
                            match here.symlink_metadata(&found) {
                                Ok(meta) => (found, meta),
                                Err(e) => return refusal(e),
                            }
                        }
                        Lookup::None => return Resolution::NotFound,
                        Lookup::Many => {
                            return Resolution::Denied(msg!(
                                "tftp.refused.case",
                                "several files match '{name}' when case is ignored; rename all but one",
                                name = step.name,
                            ));
                        }
                    }
                }
                Err(e) => return refusal(e),
            };
            if step.requested {
                shown.push(name.clone());
            }
            let kind = meta.file_type();
            if kind.is_symlink() {
                links += 1;
                if links > MAX_LINKS {
                    return Resolution::Denied(msg!(
                        "tftp.refused.links",
                        "more than {max} links in a row (a loop?)",
                        max = MAX_LINKS,
                    ));
                }
                let target = match here.read_link_contents(&name) {
                    Ok(t) => t,
                    Err(e) => return refusal(e),
                };
                let mut inner = Vec::new();
                for c in target.components() {
                    match c {
                        Component::Normal(n) => match n.to_str() {
                            Some(n) => inner.push(n.to_string()),
                            None => {
                                return Resolution::Denied(msg!(
                                    "tftp.refused.link_utf8",
                                    "a link to a name that is not UTF-8"
                                ));
                            }
                        },
                        Component::ParentDir => inner.push("..".into()),
                        Component::CurDir => {}
                        Component::RootDir | Component::Prefix(_) => {
                            return Resolution::Denied(msg!(
                                "tftp.refused.link_absolute",
                                "a link to an absolute path (links are followed only by a relative target inside the root)"
                            ));
                        }
                    }
                }
                for n in inner.into_iter().rev() {
                    todo.push_front(Step {
                        name: n,
                        requested: false,
                    });
                }
                continue;
            }
            if kind.is_dir() {
                if todo.is_empty() {
                    // A folder is not a file.
                    return Resolution::NotFound;
                }
                match here.open_dir_nofollow(&name) {
                    Ok(d) => dirs.push(d),
                    Err(e) => return refusal(e),
                }
                continue;
            }
            if !todo.is_empty() {
                // A file used as a folder.
                return Resolution::NotFound;
            }
            if !kind.is_file() {
                return Resolution::Denied(not_regular());
            }
            let file = match here.open_with(&name, &read_only_nofollow()) {
                Ok(f) => f.into_std(),
                Err(e) => return refusal(e),
            };
            // The handle is what counts: the name may have changed since the look.
            let meta = match file.metadata() {
                Ok(m) => m,
                Err(e) => return refusal(e),
            };
            if !meta.is_file() {
                return Resolution::Denied(not_regular());
            }
            return Resolution::Found(OpenedFile {
                file,
                len: meta.len(),
                name: shown.join("/"),
                case_insensitive,
            });
        }
        // The walk ended on a folder (a link to one, or to the root).
        Resolution::NotFound
    }
}

/// Read-only, not through a link in the last name, and never waiting: a
/// pipe swapped in after the look would block an ordinary open forever.
fn read_only_nofollow() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.read(true).follow(FollowSymlinks::No);
    #[cfg(unix)]
    {
        use cap_std::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options
}

/// An open that failed after the look: gone, unreadable, or changed under us.
fn not_regular() -> Msg {
    msg!(
        "tftp.refused.not_regular",
        "not a regular file (a device, pipe or socket)"
    )
}

fn refusal(e: io::Error) -> Resolution {
    if super::server::out_of_descriptors(&e) {
        return Resolution::OutOfDescriptors;
    }
    match e.kind() {
        io::ErrorKind::NotFound => Resolution::NotFound,
        io::ErrorKind::PermissionDenied => Resolution::Denied(msg!(
            "tftp.refused.permissions",
            "the server may not read it (file permissions)"
        )),
        _ => Resolution::Denied(msg!(
            "tftp.refused.unsafe",
            "it could not be opened safely ({error}); was it replaced by a link while opening?",
            error = e,
        )),
    }
}

enum Lookup {
    None,
    One(String),
    Many,
}

/// On the case-insensitive file systems of Windows and macOS an open by
/// another spelling succeeds: the name on disk when it is spelled otherwise
/// than `part`, so the log and the journeys name the file that was served
/// (as on Linux, where only the fold below finds it).
#[cfg(any(windows, target_os = "macos"))]
fn spelled_otherwise(dir: &Dir, part: &str) -> Option<String> {
    let entries = dir.entries().ok()?;
    let mut other = None;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name == part {
            return None;
        }
        if name.eq_ignore_ascii_case(part) {
            other = Some(name.to_string());
        }
    }
    other
}

/// Linux's file systems tell spellings apart: an open by name is exact.
#[cfg(not(any(windows, target_os = "macos")))]
fn spelled_otherwise(_dir: &Dir, _part: &str) -> Option<String> {
    None
}

fn unique_case_insensitive(dir: &Dir, part: &str) -> Lookup {
    let Ok(entries) = dir.entries() else {
        return Lookup::None;
    };
    let mut found = None;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.eq_ignore_ascii_case(part) {
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
    use std::fs;
    use std::io::Read;
    use std::path::PathBuf;

    use super::*;

    fn root() -> (tempfile::TempDir, PathBuf, Root) {
        let dir = tempfile::tempdir().unwrap();
        let path = dunce::canonicalize(dir.path()).unwrap();
        fs::write(path.join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
        fs::write(path.join("SIP000E84C060A6.cnf"), b"line1_name: 1").unwrap();
        fs::create_dir(path.join("ring")).unwrap();
        fs::write(path.join("ring/Chime.raw"), b"x").unwrap();
        let root = Root::open(&path).unwrap();
        (dir, path, root)
    }

    fn found(r: Resolution) -> OpenedFile {
        match r {
            Resolution::Found(f) => f,
            other => panic!("{other:?}"),
        }
    }

    fn content(mut f: OpenedFile) -> Vec<u8> {
        let mut bytes = vec![];
        f.file.read_to_end(&mut bytes).unwrap();
        bytes
    }

    fn denied(r: Resolution) -> bool {
        matches!(r, Resolution::Denied(_))
    }

    #[test]
    fn leading_dot_slash_and_slash_are_stripped() {
        let (_d, _p, root) = root();
        let f = found(root.open_file("./SIP000E84C060A6.cnf"));
        assert_eq!(f.name, "SIP000E84C060A6.cnf");
        assert!(!f.case_insensitive);
        assert_eq!(f.len, 13);
        assert_eq!(content(f), b"line1_name: 1");
        assert_eq!(found(root.open_file("/OS79XX.TXT")).name, "OS79XX.TXT");
        assert_eq!(
            found(root.open_file("ring/Chime.raw")).name,
            "ring/Chime.raw"
        );
    }

    #[test]
    fn case_insensitive_match_is_marked() {
        let (_d, path, root) = root();
        let f = found(root.open_file("os79xx.txt"));
        assert_eq!(f.name, "OS79XX.TXT");
        assert!(f.case_insensitive);
        assert_eq!(
            found(root.open_file("RING/chime.RAW")).name,
            "ring/Chime.raw"
        );
        // Two names that differ only in case: not on the file systems of
        // Windows and macOS, where the second write is the same file.
        #[cfg(not(any(windows, target_os = "macos")))]
        {
            fs::write(path.join("os79xx.TXT"), b"other").unwrap();
            // exact still wins, ambiguous fold is refused
            assert_eq!(found(root.open_file("OS79XX.TXT")).name, "OS79XX.TXT");
            assert!(denied(root.open_file("Os79xx.txt")));
        }
        #[cfg(any(windows, target_os = "macos"))]
        let _ = path;
    }

    #[test]
    fn tricks_are_refused() {
        let (_d, _p, root) = root();
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
            assert!(denied(root.open_file(bad)), "{bad:?}");
        }
        assert!(matches!(
            root.open_file("nothere.cnf"),
            Resolution::NotFound
        ));
        assert!(matches!(root.open_file("ring"), Resolution::NotFound));
        assert!(matches!(
            root.open_file("OS79XX.TXT/x"),
            Resolution::NotFound
        ));
    }

    /// Issue 11: a backup folder holds the previous passwords, the manifest
    /// lists every file, a session file holds the passwords: none is served,
    /// in any case.
    #[test]
    fn bookkeeping_and_session_files_are_never_served() {
        let (_d, path, root) = root();
        let backup = path.join("backup-20261126-081500");
        fs::create_dir(&backup).unwrap();
        fs::write(backup.join("SIP000E84C060A6.cnf"), b"old password").unwrap();
        fs::write(path.join("convert79xx-manifest.json"), b"{}").unwrap();
        fs::write(path.join("session.toml"), b"[sip]").unwrap();
        for bad in [
            "backup-20261126-081500/SIP000E84C060A6.cnf",
            "BACKUP-20261126-081500/sip000e84c060a6.cnf",
            "./backup-20261126-081500/SIP000E84C060A6.cnf",
            "convert79xx-manifest.json",
            "CONVERT79XX-MANIFEST.JSON",
            "session.toml",
            "Session.TOML",
        ] {
            assert!(denied(root.open_file(bad)), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_walked_beneath_the_root_only() {
        use std::os::unix::fs::symlink;
        let (_d, path, root) = root();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), b"s").unwrap();
        symlink(outside.path().join("secret"), path.join("leak.txt")).unwrap();
        symlink(outside.path(), path.join("leakdir")).unwrap();
        symlink("..", path.join("up")).unwrap();
        symlink("ring/../../x", path.join("climb")).unwrap();
        symlink("OS79XX.TXT", path.join("alias.txt")).unwrap();
        symlink("../OS79XX.TXT", path.join("ring/back.txt")).unwrap();
        symlink(path.join("OS79XX.TXT"), path.join("absolute.txt")).unwrap();
        fs::create_dir(path.join("backup-1")).unwrap();
        fs::write(path.join("backup-1/SIP000E84C060A6.cnf"), b"old").unwrap();
        symlink(
            "backup-1/SIP000E84C060A6.cnf",
            path.join("SIP000E84C060A7.cnf"),
        )
        .unwrap();
        symlink("loop2", path.join("loop1")).unwrap();
        symlink("loop1", path.join("loop2")).unwrap();
        for bad in [
            "leak.txt",
            "LEAK.TXT",
            "leakdir/secret",
            "up/x",
            "climb",
            "absolute.txt",
            "SIP000E84C060A7.cnf",
            "loop1",
        ] {
            assert!(denied(root.open_file(bad)), "{bad:?}");
        }
        let alias = found(root.open_file("alias.txt"));
        assert_eq!(alias.name, "alias.txt");
        assert_eq!(content(alias), b"P0S3-8-12-00");
        assert_eq!(
            content(found(root.open_file("ring/back.txt"))),
            b"P0S3-8-12-00"
        );
    }

    /// A FIFO is refused at once: an ordinary open would wait for a writer.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_waiting() {
        let (_d, path, root) = root();
        let fifo = std::ffi::CString::new(
            path.join("SIPDefault.cnf")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        assert!(denied(root.open_file("SIPDefault.cnf")));
    }
}
