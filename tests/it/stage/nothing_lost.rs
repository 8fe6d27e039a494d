//! Evidence (issue 5, item 4): `convert79xx prepare` never loses a user's
//! file. Starting from a TFTP root full of the admin's own files:
//!
//! * after prepare, every file it replaced or moved sits byte-identical in
//!   a backup folder, and everything else is untouched;
//! * a prepare killed with SIGKILL at any moment leaves no half-written file
//!   under a real name, and every original is still somewhere in the root;
//!   the next run (here `stage::recover`) then leaves exactly the old stage
//!   or exactly the new one (issue 11);
//! * a prepare stopped with Ctrl-C (SIGINT) at any moment leaves exactly
//!   the old stage or exactly the new one at once: no staging folder, no
//!   temporary file, a manifest that matches the files (issue 11);
//! * both hold for 10,000 phones as for two, and for large images;
//! * a prepare refused for bad input leaves the root exactly as it was.
//!
//! Written against the CLI contract of issue 2:
//! `convert79xx prepare SESSION.toml --out DIR [--stage N] [--json]`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use convert79xx::fsutil::is_temp_name;
use convert79xx::stage::{JOURNAL_NAME, MANIFEST_NAME, Manifest, STAGING_DIR};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const MAC_A: &str = "001E4A123456";
const MAC_B: &str = "000E84C060A6";

/// The SIP 8.12 package with Cisco's file names (docs/load-names.md §5) and
/// random bytes; `big` makes the images large enough (about 110 MiB, stored
/// uncompressed, within the firmware size limits) that a kill lands while
/// prepare is still writing.
fn write_package(dir: &Path, big: bool) -> PathBuf {
    let (sb2, loader) = if big {
        (60 * 1024 * 1024, 25 * 1024 * 1024)
    } else {
        (756_736, 129_824)
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("OS79XX.TXT", b"P003-8-12-00".to_vec()),
        ("P003-8-12-00.bin", crate::support::random_bytes(11, loader)),
        (
            "P003-8-12-00.sbn",
            crate::support::random_bytes(12, loader + 404),
        ),
        ("P0S3-8-12-00.loads", crate::support::random_bytes(13, 458)),
        ("P0S3-8-12-00.sb2", crate::support::random_bytes(14, sb2)),
    ];
    let path = dir.join("P0S3-8-12-00.zip");
    let mut zip = ZipWriter::new(fs::File::create(&path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, bytes) in files {
        zip.start_file(name, opts).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// The session of issue 2: SCCP 8.1(2) to SIP 8.12, two phones, and
/// `more` phones after them.
fn write_session(dir: &Path, firmware: &str, more: usize) -> PathBuf {
    let path = dir.join("session.toml");
    let mut extra = String::with_capacity(more * 120);
    for i in 0..more {
        let b = (i as u32).to_be_bytes();
        extra.push_str(&format!(
            "[[phones]]\nmac = \"00:1E:4B:{:02X}:{:02X}:{:02X}\"\nlines = [{{ extension = \"{}\", password = \"pw{i}\" }}]\n",
            b[1],
            b[2],
            b[3],
            10_000 + i
        ));
    }
    fs::write(
        &path,
        format!(
            r#"[conversion]
from = "P00308010200"
to = "P0S3-8-12-00"
model = "7960"
firmware = ["{firmware}"]

[sip]
proxy = "192.0.2.10"
port = 5060
sntp = "192.0.2.1"
timezone = "CET"

[[phones]]
mac = "00:1e:4a:12:34:56"
lines = [{{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }}]

[[phones]]
mac = "00-0E-84-C0-60-A6"
model = "7940"
lines = [{{ extension = "102", auth_name = "102", password = "pw102", display_name = "Office" }}]
{extra}"#
        ),
    )
    .unwrap();
    path
}

/// The admin's own TFTP root before the conversion: configs and images a
/// prepare for SIP 8.12 has to replace or move aside, and files it must
/// leave alone.
fn user_files() -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    let mut put = |name: &str, bytes: Vec<u8>| {
        m.insert(name.to_string(), bytes);
    };
    // Contradict the stage: another image, the other protocol's configs.
    put("OS79XX.TXT", b"P00308010200".to_vec());
    put(
        "SIPDefault.cnf",
        b"# the admin's own defaults\nimage_version: P0S3-07-5-00\nproxy1_address: 10.9.9.9\n"
            .to_vec(),
    );
    put(
        &format!("SIP{MAC_A}.cnf"),
        b"line1_name: 4711\nline1_password: old-secret\n".to_vec(),
    );
    put(
        &format!("SEP{MAC_A}.cnf.xml"),
        b"<device><loadInformation model=\"IP Phone 7960\">P00308010200</loadInformation><!-- admin's --></device>".to_vec(),
    );
    put(
        &format!("SEP{MAC_B}.cnf.xml"),
        b"<device><loadInformation model=\"IP Phone 7940\">P00308010200</loadInformation></device>"
            .to_vec(),
    );
    put(
        "XMLDefault.cnf.xml",
        b"<Default><callManagerGroup/><loadInformation7 model=\"IP Phone 7960\">P00308010200</loadInformation7></Default>".to_vec(),
    );
    put("P00308010200.loads", crate::support::random_bytes(21, 458));
    put(
        "P00308010200.sb2",
        crate::support::random_bytes(22, 200_000),
    );
    put(
        "P00308010200.sbn",
        crate::support::random_bytes(23, 130_228),
    );
    put(
        "P00308010200.bin",
        crate::support::random_bytes(24, 129_824),
    );
    // Same name as a package file, different bytes (an old, broken copy).
    put(
        "P0S3-8-12-00.sb2",
        crate::support::random_bytes(25, 300_000),
    );
    put("P003-8-12-00.sbn", crate::support::random_bytes(26, 1000));
    // The admin's own files that have nothing to do with this stage.
    put(
        "dialplan.xml",
        b"<DIALTEMPLATE><TEMPLATE MATCH=\"9.\" Timeout=\"0\"/></DIALTEMPLATE>".to_vec(),
    );
    put("RINGLIST.DAT", b"Chime   chime.raw\n".to_vec());
    put("chime.raw", crate::support::random_bytes(27, 16_000));
    put("notes.txt", b"phone inventory: do not delete\n".to_vec());
    put("old/SEPDefault.cnf", b"old default\n".to_vec());
    put("old/P0S30203.bin", crate::support::random_bytes(28, 50_000));
    m
}

fn lay_out(root: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (name, bytes) in files {
        let p = root.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
    }
}

/// Every regular file under `dir`, by `/`-separated relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                walk(base, &p, out);
            } else if ft.is_file() {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if let Ok(bytes) = fs::read(&p) {
                    out.insert(rel, bytes);
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

fn leaf(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Originals that are neither at their place nor anywhere else in `out`
/// under the same file name: lost.
fn lost_originals(
    originals: &BTreeMap<String, Vec<u8>>,
    now: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    originals
        .iter()
        .filter(|(name, bytes)| {
            now.get(*name) != Some(*bytes)
                && !now
                    .iter()
                    .any(|(rel, b)| rel != *name && leaf(rel) == leaf(name) && b == *bytes)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// `--json` output: one JSON document, or one JSON object per line.
fn parse_json_output(stdout: &[u8]) -> serde_json::Value {
    if let Ok(v) = serde_json::from_slice(stdout) {
        return v;
    }
    let text = String::from_utf8_lossy(stdout);
    let lines: Result<Vec<serde_json::Value>, _> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect();
    match lines {
        Ok(v) if !v.is_empty() => serde_json::Value::Array(v),
        _ => panic!("prepare --json printed no JSON: {text}"),
    }
}

/// Whether a path has a hidden component (our manifest and backups may
/// live in one; the manifest is ours to rewrite).
fn hidden(rel: &str) -> bool {
    rel.split('/').any(|c| c.starts_with('.'))
}

fn prepare(session: &Path, out: &Path, json: bool) -> Command {
    let mut c = crate::support::convert79xx();
    c.arg("prepare").arg(session).arg("--out").arg(out);
    if json {
        c.arg("--json");
    }
    c.stdin(Stdio::null());
    c
}

struct World {
    _dir: tempfile::TempDir,
    base: PathBuf,
    session: PathBuf,
}

fn world(big: bool, more_phones: usize) -> World {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().to_path_buf();
    write_package(&base, big);
    let session = write_session(&base, "P0S3-8-12-00.zip", more_phones);
    World {
        _dir: dir,
        base,
        session,
    }
}

fn fresh_root(w: &World, name: &str) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let root = w.base.join(name);
    fs::create_dir_all(&root).unwrap();
    let originals = user_files();
    lay_out(&root, &originals);
    (root, originals)
}

#[test]
fn prepare_backs_up_every_replaced_file_byte_identical() {
    let w = world(false, 0);
    let (root, originals) = fresh_root(&w, "tftp");
    let out = prepare(&w.session, &root, true).output().unwrap();
    assert!(
        out.status.success(),
        "prepare failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let json = parse_json_output(&out.stdout);
    let now = files_under(&root);

    // Something was actually replaced: the stage's OS79XX.TXT differs from the user's.
    let replaced: Vec<&String> = originals
        .keys()
        .filter(|n| now.get(*n) != originals.get(*n))
        .collect();
    assert!(
        !replaced.is_empty(),
        "prepare replaced none of the user's files; the test proves nothing. JSON: {json}"
    );
    assert!(
        replaced.iter().any(|n| *n == "OS79XX.TXT"),
        "OS79XX.TXT still names the old load: {:?}",
        String::from_utf8_lossy(&now["OS79XX.TXT"])
    );
    let lost = lost_originals(&originals, &now);
    assert!(
        lost.is_empty(),
        "replaced or removed with no byte-identical backup: {lost:?}\nreplaced: {replaced:?}\nfiles now: {:?}\nJSON: {json}",
        now.keys().collect::<Vec<_>>()
    );
    // The backups are in a folder, not scattered beside the originals.
    for name in &replaced {
        let backup = now
            .iter()
            .find(|(rel, b)| {
                rel != name && leaf(rel) == leaf(name) && Some(*b) == originals.get(*name)
            })
            .map(|(rel, _)| rel.clone())
            .unwrap();
        assert!(
            backup.contains('/'),
            "the backup of {name} is at {backup}, not in a backup folder"
        );
    }
    // Files the stage has nothing to do with are untouched.
    for name in [
        "notes.txt",
        "old/SEPDefault.cnf",
        "old/P0S30203.bin",
        "chime.raw",
    ] {
        assert_eq!(now.get(name), originals.get(name), "{name} was changed");
    }
    assert!(
        !now.keys().any(|k| is_temp_name(leaf(k))),
        "temporary files left behind: {:?}",
        now.keys()
            .filter(|k| is_temp_name(leaf(k)))
            .collect::<Vec<_>>()
    );

    // A second prepare of the same stage keeps the first backups and loses nothing.
    let again = prepare(&w.session, &root, false).output().unwrap();
    assert!(
        again.status.success(),
        "second prepare failed: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    let after_second = files_under(&root);
    let lost = lost_originals(&originals, &after_second);
    assert!(
        lost.is_empty(),
        "a second prepare lost the backups of {lost:?}"
    );
    for (rel, bytes) in now.iter().filter(|(rel, _)| !hidden(rel)) {
        assert!(
            after_second.get(rel) == Some(bytes)
                || after_second
                    .iter()
                    .any(|(r, b)| r != rel && leaf(r) == leaf(rel) && b == bytes),
            "a second prepare lost {rel} as the first had written it"
        );
    }
}

#[test]
fn refused_prepare_leaves_the_root_as_it_was() {
    let w = world(false, 0);
    let (root, originals) = fresh_root(&w, "tftp");
    let session = write_session(&w.base, "missing-package.zip", 0);
    let out = prepare(&session, &root, false).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a session naming a missing package must be refused with status 2; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.stderr.is_empty(),
        "refused without a message on stderr"
    );
    assert_eq!(
        files_under(&root),
        originals,
        "a refused prepare changed the root"
    );
}

/// Whether a file that is neither an original nor the finished result is at
/// least complete: a manifest or log (its contents carry times) must parse.
fn is_whole_document(rel: &str, bytes: &[u8]) -> bool {
    let text = std::str::from_utf8(bytes);
    if rel.ends_with(".toml") {
        return text.is_ok_and(|t| t.parse::<toml::Table>().is_ok());
    }
    if rel.ends_with(".json") {
        return serde_json::from_slice::<serde_json::Value>(bytes).is_ok();
    }
    false
}

/// How a run is stopped part way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// SIGKILL: nothing runs after it; the next run finishes or rolls back.
    Kill,
    /// Ctrl-C (SIGINT): the run itself rolls back, or finishes its commit.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    CtrlC,
}

fn send(child: &mut std::process::Child, how: Stop) {
    match how {
        Stop::Kill => child.kill().unwrap(),
        Stop::CtrlC => {
            #[cfg(target_os = "linux")]
            nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(child.id() as i32),
                nix::sys::signal::Signal::SIGINT,
            )
            .unwrap();
            #[cfg(not(target_os = "linux"))]
            unreachable!("Ctrl-C is sent on Linux only");
        }
    }
}

/// Which stage a root holds: exactly the user's files, or exactly what an
/// uninterrupted run leaves (the same files; the same backups, whatever
/// the backup folder's time stamp; a manifest listing them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    Old,
    New,
}

fn held(
    root: &Path,
    originals: &BTreeMap<String, Vec<u8>>,
    finished: &BTreeMap<String, Vec<u8>>,
) -> Result<Held, String> {
    let now = files_under(root);
    let top: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    if let Some(n) = top.iter().find(|n| n.starts_with('.')) {
        return Err(format!("{n} is left in the root"));
    }
    let backup_dirs = top.iter().filter(|n| n.starts_with("backup-")).count();
    if now == *originals && backup_dirs == 0 {
        return Ok(Held::Old);
    }
    // Split into the served files, the backups (by file name) and the manifest.
    let split = |files: &BTreeMap<String, Vec<u8>>| {
        let mut served = BTreeMap::new();
        let mut backups: Vec<(String, Vec<u8>)> = Vec::new();
        let mut manifest = None;
        for (rel, bytes) in files {
            if rel.starts_with("backup-") {
                backups.push((leaf(rel).to_string(), bytes.clone()));
            } else if rel == MANIFEST_NAME {
                manifest = Some(serde_json::from_slice::<Manifest>(bytes));
            } else {
                served.insert(rel.clone(), bytes.clone());
            }
        }
        backups.sort();
        (served, backups, manifest)
    };
    let (served, backups, manifest) = split(&now);
    let (want_served, want_backups, want_manifest) = split(finished);
    let diff = |a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>| {
        a.keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
    };
    if served != want_served {
        return Err(format!(
            "neither the old stage nor the new: these differ from the new one: {:?}; from the old one: {:?}",
            diff(&served, &want_served),
            diff(&now, originals)
        ));
    }
    if backups != want_backups || backup_dirs != 1 {
        return Err(format!(
            "the new stage, but its backups differ ({} files in {backup_dirs} folder(s), want {})",
            backups.len(),
            want_backups.len()
        ));
    }
    let m = match manifest {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Err(format!("the manifest does not parse: {e}")),
        None => return Err("the new stage without its manifest".into()),
    };
    let want = want_manifest.unwrap().unwrap();
    if (&m.written, &m.unchanged, &m.expected) != (&want.written, &want.unchanged, &want.expected) {
        return Err("the manifest lists other files than an uninterrupted run's".into());
    }
    for f in &m.written {
        if now.get(&f.name).map(|b| b.len() as u64) != Some(f.size) {
            return Err(format!(
                "the manifest lists {} ({} B), not there",
                f.name, f.size
            ));
        }
    }
    for mv in &m.moved {
        if !now.contains_key(&mv.to) {
            return Err(format!(
                "the manifest says {} went to {}, not there",
                mv.name, mv.to
            ));
        }
    }
    Ok(Held::New)
}

/// When to stop a run.
#[derive(Debug, Clone)]
enum When {
    /// This long after it started.
    After(Duration),
    /// This share (in percent) of an uninterrupted run's time after it started.
    Share(u32),
    /// As soon as this path (relative to the root) exists: a point of
    /// progress, whatever the machine's speed.
    Exists(String),
}

/// A `Share` of a run for each of `shares` and an `Exists` for each path.
fn stops(how: Stop, shares: &[u32], paths: &[String]) -> Vec<(Stop, When)> {
    shares
        .iter()
        .map(|p| (how, When::Share(*p)))
        .chain(paths.iter().map(|p| (how, When::Exists(p.clone()))))
        .collect()
}

/// The extra phone `i`'s SIP config, written into the staging folder or
/// the root.
fn sip_cnf_of_phone(i: u32) -> String {
    format!("SIP001E4B{:06X}.cnf", i)
}

fn staged(name: &str) -> String {
    format!("{STAGING_DIR}/new/{name}")
}

/// Stop `prepare` at each of `plan`'s points, and check what each stop
/// leaves: no half-written file under a real name, no user's file lost,
/// and (at once after Ctrl-C, after the next run's recovery after a kill)
/// exactly the old stage or exactly the new one.
fn stop_part_way(w: &World, plan: &[(Stop, When)]) {
    // The finished result, for comparison, and how long a whole run takes.
    let (reference, originals) = fresh_root(w, "reference");
    let t0 = Instant::now();
    let out = prepare(&w.session, &reference, false).output().unwrap();
    let full = t0.elapsed();
    assert!(
        out.status.success(),
        "prepare failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let finished = files_under(&reference);
    fs::remove_dir_all(&reference).unwrap();

    let mut stopped_mid_run = 0;
    let mut changed_mid_run = 0;
    let mut olds = 0;
    let mut news = 0;
    for (i, (how, when)) in plan.iter().enumerate() {
        let how = *how;
        let (root, _) = fresh_root(w, &format!("stop-{i}"));
        let t0 = Instant::now();
        let mut child = prepare(&w.session, &root, false)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut running = || matches!(child.try_wait(), Ok(None));
        match when {
            When::After(d) => std::thread::sleep(*d),
            When::Share(pct) => std::thread::sleep(full * *pct / 100),
            When::Exists(rel) => {
                let path = root.join(rel);
                while !path.exists() && running() {
                    assert!(
                        t0.elapsed() < Duration::from_secs(300),
                        "{rel} never appeared"
                    );
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
        }
        let was_running = running();
        if was_running {
            send(&mut child, how);
        }
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let at = format!("{how:?} at {when:?} ({:?})", t0.elapsed());
        let now = files_under(&root);
        if was_running {
            stopped_mid_run += 1;
            if now != originals {
                changed_mid_run += 1;
            }
        }

        let lost = lost_originals(&originals, &now);
        assert!(
            lost.is_empty(),
            "{at}: the user's files are gone with no backup: {lost:?}"
        );
        for (rel, bytes) in now.iter().filter(|(rel, _)| !rel.starts_with(STAGING_DIR)) {
            let name = leaf(rel);
            assert!(
                !is_temp_name(name),
                "{at}: temporary file {rel} in the root"
            );
            let whole = originals.get(rel) == Some(bytes)
                || finished.get(rel) == Some(bytes)
                || originals
                    .iter()
                    .chain(finished.iter())
                    .any(|(r, b)| leaf(r) == name && b == bytes)
                || is_whole_document(rel, bytes);
            assert!(
                whole,
                "{at}: {rel} ({} bytes) is neither the user's file nor the finished one: half-written under a real name",
                bytes.len()
            );
        }
        match how {
            // The next run finishes or rolls back what the killed one left.
            Stop::Kill => {
                convert79xx::stage::recover(&root)
                    .unwrap_or_else(|e| panic!("{at}: recovery failed: {e}"));
            }
            // The run itself stopped cleanly: 130 before its commit, 0 when
            // the commit had started (or had finished), or the default
            // action when Ctrl-C came before the handler was in place.
            Stop::CtrlC => {
                let code = out.status.code();
                #[cfg(unix)]
                let by_signal = {
                    use std::os::unix::process::ExitStatusExt;
                    out.status.signal() == Some(2)
                };
                #[cfg(not(unix))]
                let by_signal = false;
                assert!(
                    matches!(code, Some(0 | 130)) || by_signal,
                    "{at}: exit {:?}: {stderr}",
                    out.status
                );
                if code == Some(130) {
                    assert!(stderr.contains("as it was"), "{at}: {stderr}");
                }
            }
        }
        match held(&root, &originals, &finished) {
            Ok(h) => {
                eprintln!("{at}: exit {:?}, the {h:?} stage", out.status);
                match h {
                    Held::Old => olds += 1,
                    Held::New => news += 1,
                }
            }
            Err(e) => panic!("{at} (exit {:?}): {e}\n{stderr}", out.status),
        }
        fs::remove_dir_all(&root).unwrap();
    }
    eprintln!(
        "whole prepare {full:?}; {} stops, {stopped_mid_run} while running, {changed_mid_run} of those after it had changed the root; {olds} left the old stage, {news} the new",
        plan.len()
    );
    assert!(
        stopped_mid_run >= 3,
        "only {stopped_mid_run} stops landed while prepare ran (a whole run takes {full:?}): the test proved little"
    );
    assert!(
        olds >= 1 && news >= 1,
        "{olds} stops left the old stage and {news} the new: the stops did not span a run, the test proved little"
    );
    assert!(
        changed_mid_run >= 1,
        "no stop landed after prepare had started changing the root: the test proved little"
    );
}

/// Points of progress every run passes: files staged, the journal written
/// (the commit begun), files moved into place.
fn progress_points(first_staged: &str, first_installed: &str) -> Vec<String> {
    vec![
        staged(first_staged),
        staged(MANIFEST_NAME),
        format!("{STAGING_DIR}/{JOURNAL_NAME}"),
        first_installed.to_string(),
    ]
}

/// Large images (about 110 MiB), two phones: SIGKILL and Ctrl-C land while
/// images are unpacked, while configs are staged, and during the commit.
#[test]
fn prepare_stopped_part_way_leaves_no_half_written_file() {
    let w = world(true, 0);
    let points = progress_points(&format!("SIP{MAC_A}.cnf"), "P0S3-8-12-00.loads");
    let mut plan: Vec<(Stop, When)> = [0u64, 5, 20]
        .iter()
        .map(|ms| (Stop::Kill, When::After(Duration::from_millis(*ms))))
        .collect();
    plan.extend(stops(Stop::Kill, &[20, 40, 60, 80], &points));
    #[cfg(target_os = "linux")]
    {
        plan.push((Stop::CtrlC, When::After(Duration::ZERO)));
        plan.extend(stops(Stop::CtrlC, &[30, 60], &points));
    }
    stop_part_way(&w, &plan);
}

/// 10,000 phones, 20,000 config files: SIGKILL and Ctrl-C land while
/// configs are staged, as the commit begins and half way through it. (Few
/// stops: each writes and removes 20,000 files.)
#[test]
fn prepare_for_10000_phones_stopped_part_way_leaves_the_old_stage_or_the_new() {
    let w = world(false, 9_998);
    let mid_staging = staged(&sip_cnf_of_phone(5_000));
    let journal = format!("{STAGING_DIR}/{JOURNAL_NAME}");
    let mid_commit = sip_cnf_of_phone(16);
    #[cfg_attr(not(target_os = "linux"), allow(unused_mut))]
    let mut plan = stops(
        Stop::Kill,
        &[],
        &[mid_staging.clone(), journal, mid_commit.clone()],
    );
    #[cfg(target_os = "linux")]
    plan.extend(stops(Stop::CtrlC, &[], &[mid_staging, mid_commit]));
    stop_part_way(&w, &plan);
}
