//! The integration tests, as one test binary (linking one binary instead of
//! one per file is most of the suite's time on a small machine). One module
//! per subject; `support` holds the helpers they share.
//!
//! Run one subject or one test with a filter:
//! `cargo test --no-default-features --test it tftp::loss`.

mod support;

mod cli;
mod config;
// Stopped with SIGINT like an admin's Ctrl-C: Unix only.
#[cfg(unix)]
mod conversion;
// Network namespaces: Linux only (compiled out elsewhere, never skipped).
#[cfg(target_os = "linux")]
mod dhcp;
mod firmware;
mod layout;
mod planner;
mod stage;
mod tftp;
// Xvfb and ImageMagick: Linux only.
#[cfg(target_os = "linux")]
mod wizard_xvfb;
