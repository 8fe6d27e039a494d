//! The `convert79xx` binary as scripts run it: `plan`, `prepare`, `serve`.

mod plan;
mod prepare;
// Stopped with SIGINT/SIGTERM like an admin's Ctrl-C: Unix only.
#[cfg(unix)]
mod serve;
