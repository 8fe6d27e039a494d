//! `convert79xx prepare SESSION.toml --out DIR [--stage N] [--json]`: write
//! one stage of a session's route into a TFTP root and say what was written
//! and moved aside. Bad input: exit 2, a message on stderr (with `--json`,
//! an object with `error` on stdout), and DIR as it was. Ctrl-C before the
//! stage's commit: exit 130 and DIR as it was; during the commit, the commit
//! is finished first (docs/files.md §0).

use std::path::PathBuf;
use std::process::ExitCode;

use convert79xx::firmware::PackageError;
use convert79xx::stage::{Job, JobError, Manifest, StageError};

#[derive(clap::Args)]
pub struct PrepareArgs {
    /// The session file (TOML).
    session: PathBuf,
    /// The TFTP root to write into (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Which stage of the route to write (1 = the first).
    #[arg(long, default_value_t = 1)]
    stage: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

enum Failure {
    BadInput(String),
    Other(String),
    Interrupted(String),
}

pub fn run(args: PrepareArgs) -> ExitCode {
    match prepare(&args) {
        Ok(m) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&m).expect("a manifest serializes")
                );
            } else {
                print_text(&m, &args);
            }
            ExitCode::SUCCESS
        }
        Err(f) => {
            let (msg, code) = match f {
                Failure::BadInput(m) => (m, 2),
                Failure::Other(m) => (m, 1),
                Failure::Interrupted(m) => (m, 130),
            };
            if args.json {
                println!("{}", serde_json::json!({ "error": msg }));
            }
            eprintln!("error: {msg}");
            ExitCode::from(code)
        }
    }
}

fn prepare(args: &PrepareArgs) -> Result<Manifest, Failure> {
    let job = Job::load(&args.session).map_err(|e| match e {
        JobError::Package(p @ PackageError::Io { .. }) => Failure::Other(p.to_string()),
        e => Failure::BadInput(e.to_string()),
    })?;
    let writer = job
        .stage(args.stage)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let stop = super::signal::stop_flag().unwrap_or_default();
    let result = writer.apply_until(&args.out, &stop).map_err(|e| match e {
        StageError::Io { .. } | StageError::Busy { .. } => Failure::Other(e.to_string()),
        StageError::Interrupted => Failure::Interrupted(e.to_string()),
        e => Failure::BadInput(e.to_string()),
    });
    if result.is_ok() && stop.load(std::sync::atomic::Ordering::SeqCst) {
        eprintln!(
            "Ctrl-C came while the stage was being moved into place; it was finished first, so the TFTP root holds the whole new stage."
        );
    }
    result
}

fn print_text(m: &Manifest, args: &PrepareArgs) {
    println!(
        "Stage {} of {} ({}): installs {} — written to {}",
        m.stage,
        m.stages,
        m.route,
        m.target,
        args.out.display()
    );
    for f in &m.written {
        println!("  wrote    {:<28} {:>8} B  {}", f.name, f.size, f.why);
    }
    for f in &m.unchanged {
        println!(
            "  kept     {:<28} {:>8} B  already up to date",
            f.name, f.size
        );
    }
    for mv in &m.moved {
        println!("  moved    {:<28} → {}  ({})", mv.name, mv.to, mv.why);
    }
    if !m.actions.is_empty() {
        println!("Then:");
        for a in &m.actions {
            println!("  - {a}");
        }
    }
    for n in &m.notes {
        println!("Note: {n}");
    }
}
