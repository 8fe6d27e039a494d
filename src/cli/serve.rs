//! `convert79xx serve` (TODO).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs) -> ExitCode {
    eprintln!("not yet implemented");
    ExitCode::from(1)
}
