//! The `convert79xx` binary as scripts run it: `plan`, `prepare`, `serve`.

mod plan;
mod prepare;
mod serve;
