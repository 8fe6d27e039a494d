//! Helpers the integration tests share: the one way to skip a test, a TFTP
//! packet codec of their own (`packet`: the server is checked against a
//! second implementation, not only against `convert79xx::tftp::client`),
//! helpers that run `convert79xx serve` (and tftp-hpa's `in.tftpd`) as real
//! processes on 127.0.0.1, and network namespaces joined by veth pairs for
//! the DHCP tests (Linux). `benches/tftp_vs_tftpd.rs` uses them too.
//!
//! Not every test uses every helper.
#![allow(dead_code)]

#[cfg(target_os = "linux")]
pub mod netns;
pub mod packet;
mod process;
pub mod serve;
mod skip;

// Not every user of this module skips or spawns (the benchmarks do not).
#[allow(unused_imports)]
pub use process::KillOnDrop;
#[allow(unused_imports)]
pub use skip::skip;

use std::path::Path;

/// `convert79xx` as a process, in English whatever this machine's locale:
/// the tests read its words (the ones about Portuguese set their own).
pub fn convert79xx() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_convert79xx"));
    c.env("LC_ALL", "C");
    c
}

/// `convert79xx prepare SESSION --out ROOT --json`, which must succeed; its
/// JSON report.
pub fn prepare_json(session: &Path, root: &Path) -> serde_json::Value {
    let out = convert79xx()
        .arg("prepare")
        .arg(session)
        .arg("--out")
        .arg(root)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "prepare: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Deterministic pseudo-random bytes (so a failing run can be replayed).
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut v = vec![0u8; len];
    rng.fill(&mut v);
    v
}

/// Runs one client future to completion on this thread: for the tests and
/// the benchmark that give each client a thread of its own.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for one client")
        .block_on(future)
}

/// Whether an outside program is on PATH (or is an existing absolute path).
pub fn have_program(name: &str) -> bool {
    if name.starts_with('/') {
        return Path::new(name).exists();
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false)
}

/// Whether `haystack` contains `needle` anywhere.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack.len() >= needle.len()
        && haystack.windows(needle.len()).any(|w| w == needle)
}
