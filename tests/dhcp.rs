//! The bench DHCP server's tests, in network namespaces (Linux only).
//!
//! A stand-in harness until the integration tests move into the single
//! binary tests/it/ (its modules already live there: tests/it/dhcp/ and
//! tests/it/support/netns.rs); then `mod dhcp;` moves into tests/it/main.rs
//! and this file goes.
#![cfg(target_os = "linux")]

#[path = "it/support/netns.rs"]
pub mod netns;

mod support {
    pub use super::netns;

    /// Whether an outside program is on PATH.
    pub fn have_program(name: &str) -> bool {
        std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
            .unwrap_or(false)
    }

    /// Reports that this test cannot run here; panics when CI is set, where
    /// `.ci/install-deps` installs everything and the run is root.
    pub fn skip(why: impl std::fmt::Display) {
        use std::io::Write;
        let line = format!("SKIPPED: {why}");
        let _ = writeln!(std::io::stderr(), "{line}");
        if std::env::var_os("CI").is_some_and(|ci| !ci.is_empty()) {
            panic!(
                "{line}\nCI is set, so no test may skip: install what .ci/install-deps installs"
            );
        }
    }
}

#[path = "it/dhcp/mod.rs"]
mod dhcp;
