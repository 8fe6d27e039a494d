//! `convert79xx`: with no arguments, the wizard; otherwise the headless
//! commands `plan`, `prepare` and `serve`.

mod cli;
#[cfg(feature = "gui")]
mod gui;

fn main() -> std::process::ExitCode {
    cli::main()
}
