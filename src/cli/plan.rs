//! `convert79xx plan` (TODO).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct PlanArgs {}

pub fn run(_args: PlanArgs) -> ExitCode {
    eprintln!("not yet implemented");
    ExitCode::from(1)
}
