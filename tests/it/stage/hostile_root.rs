//! Issue 11, the prepare side: what a careless admin (or a local user) can
//! leave in `--out`, and what `prepare` leaves there itself.
//!
//! * a FIFO named like a config does not hang `prepare`, and a link to
//!   /dev/zero is not read: both are refused with the file's name and what
//!   to do, and the root stays as it was;
//! * per-phone configs (which hold the passwords) are owner-only on Unix,
//!   and so is the backup folder that keeps the previous ones;
//! * what an interrupted earlier run left (temporary files, a staging
//!   folder) is cleaned up by the next run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::stage::{MANIFEST_NAME, STAGING_DIR};

const BIN: &str = env!("CARGO_BIN_EXE_convert79xx");
const MAC: &str = "001E4A123456";

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    /// SCCP 8.1(2) to SIP 8.12 for one phone, the SIP 8.12 zip beside the session.
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let sip = SyntheticPackage::sip_8_12().small();
        sip.zip(dir.path());
        fs::write(
            dir.path().join("s.toml"),
            format!(
                r#"[conversion]
from = "sccp 8.1(2)"
to = "P0S3-8-12-00"
firmware = ["{}"]
[sip]
proxy = "192.0.2.10"
[[phones]]
mac = "00:1e:4a:12:34:56"
lines = [{{ extension = "101", password = "s3cret" }}]
"#,
                sip.zip_name()
            ),
        )
        .unwrap();
        fs::create_dir(dir.path().join("tftp")).unwrap();
        Setup { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("tftp")
    }

    fn command(&self) -> Command {
        let mut c = crate::support::convert79xx();
        c.arg("prepare")
            .arg(self.dir.path().join("s.toml"))
            .arg("--out")
            .arg(self.root())
            .stdin(Stdio::null());
        c
    }

    fn prepare(&self) -> Output {
        self.command().output().unwrap()
    }
}

/// Run `c`, killing it after `limit`; `None` when it had to be killed.
fn run_bounded(mut c: Command, limit: Duration) -> Option<Output> {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

/// Every entry under `dir` (links and FIFOs as what they are, never
/// followed or opened), by relative path.
fn entries(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let ft = e.file_type().unwrap();
            let what = if ft.is_dir() {
                stack.push(e.path());
                "dir".to_string()
            } else if ft.is_file() {
                format!("{:?}", fs::read(e.path()).unwrap())
            } else if ft.is_symlink() {
                format!("link to {}", fs::read_link(e.path()).unwrap().display())
            } else {
                "other".to_string()
            };
            out.insert(rel, what);
        }
    }
    out
}

/// The stage reads every config that names an image to see whether it
/// contradicts the stage; a FIFO there hung it and a link to /dev/zero made
/// it read without end. Now both are refused, quickly, naming the file.
#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_link_named_like_a_config_is_refused_unread() {
    if !crate::support::have_program("mkfifo") {
        crate::support::skip("mkfifo is not installed");
        return;
    }
    // Another phone's SIP config: not written by this stage, so read.
    let name = "SIP0000DEADBEEF.cnf";
    for kind in ["fifo", "link to /dev/zero"] {
        let s = Setup::new();
        fs::write(s.root().join("OS79XX.TXT"), b"P00308010200\n").unwrap();
        let path = s.root().join(name);
        if kind == "fifo" {
            let made = Command::new("mkfifo").arg(&path).status().unwrap();
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        }
        let before = entries(&s.root());
        // Bounded in time and memory: before the fix the FIFO hung prepare,
        // and the link made it read /dev/zero until memory ran out.
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("ulimit -v 2000000 && exec \"$@\"")
            .arg("sh")
            .arg(BIN)
            .args(s.command().get_args())
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        let t0 = Instant::now();
        let out = run_bounded(c, Duration::from_secs(30))
            .unwrap_or_else(|| panic!("{kind}: prepare still ran after 30 s"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{kind}: {stderr}");
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{kind}: took {:?}",
            t0.elapsed()
        );
        for words in [name, "not a regular file", "move it out of the folder"] {
            assert!(stderr.contains(words), "{kind}: no {words:?} in: {stderr}");
        }
        assert!(
            stderr.contains(if kind == "fifo" {
                "FIFO"
            } else {
                "symbolic link"
            }),
            "{kind}: {stderr}"
        );
        assert_eq!(entries(&s.root()), before, "{kind}: the root changed");
    }
}

/// A link or FIFO with a name the stage writes is in its way: it is moved
/// into the backup as it is (renamed, never followed or opened).
#[cfg(unix)]
#[test]
fn a_link_in_the_way_of_a_written_file_is_moved_aside_unread() {
    let s = Setup::new();
    std::os::unix::fs::symlink("/dev/zero", s.root().join("OS79XX.TXT")).unwrap();
    let out = s.prepare();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let now = entries(&s.root());
    let moved: Vec<_> = now
        .iter()
        .filter(|(k, v)| k.ends_with("/OS79XX.TXT") && v.as_str() == "link to /dev/zero")
        .collect();
    assert_eq!(moved.len(), 1, "{now:#?}");
    assert!(moved[0].0.starts_with("backup-"), "{now:#?}");
    assert!(
        fs::symlink_metadata(s.root().join("OS79XX.TXT"))
            .unwrap()
            .is_file()
    );
}

/// SIP<MAC>.cnf holds the phone's passwords: owner-only, as is the backup
/// folder holding the previous ones; an unchanged one left readable by an
/// earlier version is made owner-only too.
#[cfg(unix)]
#[test]
fn per_phone_configs_and_backups_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let s = Setup::new();
    let sip = format!("SIP{MAC}.cnf");
    fs::write(s.root().join(&sip), b"line1_password: old-secret\n").unwrap();
    fs::set_permissions(s.root().join(&sip), fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.prepare();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = s.root();
    assert!(
        fs::read_to_string(root.join(&sip))
            .unwrap()
            .contains("s3cret")
    );
    for name in [sip.clone(), format!("SEP{MAC}.cnf.xml")] {
        assert_eq!(
            mode(&root.join(&name)) & 0o077,
            0,
            "{name} is readable by others"
        );
    }
    let backup = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("backup-")
        })
        .expect("the old SIP config was backed up");
    assert_eq!(
        mode(&backup) & 0o077,
        0,
        "the backup folder is open to others"
    );
    assert_eq!(
        fs::read(backup.join(&sip)).unwrap(),
        b"line1_password: old-secret\n"
    );

    // Nothing to write, but the config is open to others: it is tightened.
    fs::set_permissions(root.join(&sip), fs::Permissions::from_mode(0o644)).unwrap();
    let manifest = fs::read(root.join(MANIFEST_NAME)).unwrap();
    let out = s.prepare();
    assert!(out.status.success());
    assert_eq!(mode(&root.join(&sip)) & 0o077, 0);
    assert_eq!(fs::read(root.join(MANIFEST_NAME)).unwrap(), manifest);
}

/// What an interrupted earlier run left, a staging folder without a
/// journal and temporary files, is removed by the next run, which then
/// writes its stage as usual.
#[test]
fn an_interrupted_runs_leftovers_are_cleaned_up() {
    let s = Setup::new();
    let root = s.root();
    fs::write(root.join(".convert79xx-tmp-4242-0-OS79XX.TXT"), b"P0S3-8").unwrap();
    let staged = root.join(STAGING_DIR).join("new");
    fs::create_dir_all(&staged).unwrap();
    fs::write(staged.join("SIPDefault.cnf"), b"image_version: P0S3-8-1").unwrap();
    let out = s.prepare();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with('.')),
        "left behind: {names:?}"
    );
    assert!(
        fs::read_to_string(root.join("SIPDefault.cnf"))
            .unwrap()
            .contains("P0S3-8-12-00")
    );
}
