//! The headless commands. A contract scripts rely on: exit 0 on success,
//! 2 on bad input or a refused route (message on stderr), 1 on other failures.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod plan;
mod plan_fleet;
mod prepare;
pub(crate) mod serve;
mod signal;

#[derive(Parser)]
#[command(
    name = "convert79xx",
    version,
    about = "Convert Cisco IP Phone 7940/7960 between SCCP and SIP firmware.\n\nRun with no arguments to open the wizard, or with a session file or firmware packages to open the wizard on them."
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Open the wizard on these files: a session file (.toml), or firmware
    /// packages to add (what double-clicking or dropping onto the program does).
    #[arg(value_name = "FILE")]
    files: Vec<std::path::PathBuf>,
    /// The language of what the commands say: en or pt-BR (default: from
    /// LC_ALL, LC_MESSAGES or LANG). JSON output stays in English.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<convert79xx::msg::Lang>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the route from one load to another.
    Plan(plan::PlanArgs),
    /// Write one stage of a session's route into a TFTP root.
    Prepare(prepare::PrepareArgs),
    /// Serve a prepared TFTP root and follow each phone.
    Serve(serve::ServeArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.unwrap_or_else(convert79xx::msg::Lang::from_env);
    match cli.command {
        Some(Command::Plan(a)) => plan::run(a, lang),
        Some(Command::Prepare(a)) => prepare::run(a, lang),
        Some(Command::Serve(a)) => serve::run(a, lang),
        None => open_wizard(cli.files),
    }
}

#[cfg(feature = "gui")]
fn open_wizard(files: Vec<std::path::PathBuf>) -> ExitCode {
    crate::gui::run(files)
}

#[cfg(not(feature = "gui"))]
fn open_wizard(_files: Vec<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "this build has no wizard (built without the `gui` feature); use `convert79xx --help`"
    );
    ExitCode::from(2)
}
