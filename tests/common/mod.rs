//! Test helpers for the evidence tests: a raw TFTP client that can lose
//! packets on purpose and counts every packet it sees, and helpers that run
//! `convert79xx serve` (and tftp-hpa's `in.tftpd`) as real processes on
//! 127.0.0.1.
//!
//! Not every test uses every helper.
#![allow(dead_code)]

pub mod client;
pub mod packet;
pub mod serve;

use std::path::Path;

/// Deterministic pseudo-random bytes (so a failing run can be replayed).
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut v = vec![0u8; len];
    rng.fill(&mut v);
    v
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

/// Print the loud skip line the project's test standard asks for.
pub fn skip(why: &str) {
    eprintln!("SKIPPED: {why}");
    println!("SKIPPED: {why}");
}

/// Whether `haystack` contains `needle` anywhere.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack.len() >= needle.len()
        && haystack.windows(needle.len()).any(|w| w == needle)
}
