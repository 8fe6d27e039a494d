//! `convert79xx prepare` (TODO).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct PrepareArgs {}

pub fn run(_args: PrepareArgs) -> ExitCode {
    eprintln!("not yet implemented");
    ExitCode::from(1)
}
