//! `convert79xx prepare SESSION.toml --out DIR [--stage N] [--json]`: write
//! a session's stages into a TFTP root and say what was written and moved
//! aside. Without `--stage`: stage 1 at the top (for any TFTP server) and
//! every phone's stages in their own folders, for `serve` to answer each
//! phone from its own (issue 10). With `--stage N`: that stage at the top
//! only, for users of another server. Bad input: exit 2, a message on
//! stderr (with `--json`, an object with `error` on stdout), and DIR as it
//! was. Ctrl-C before a stage's commit: exit 130 and that folder as it was;
//! during the commit, the commit is finished first (docs/files.md §0).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use convert79xx::convert;
use convert79xx::convert::write::Scope;
use convert79xx::convert::{Job, JobError};
use convert79xx::firmware::PackageError;
use convert79xx::msg;
use convert79xx::msg::{Lang, Msg};
use convert79xx::stage::{LadderFolder, Manifest, StageError};
use serde::Serialize;

#[derive(clap::Args)]
pub struct PrepareArgs {
    /// The session file (TOML).
    session: PathBuf,
    /// The TFTP root to write into (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Write only this stage (1 = the first) of the route most phones
    /// take, at the top of DIR, for serving with another TFTP server. Left
    /// out: stage 1 at the top and, when phones need different files
    /// (several routes or stages), every phone's stages in folders of their
    /// own for `convert79xx serve`.
    #[arg(long)]
    stage: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

enum Failure {
    BadInput(Msg),
    Other(Msg),
    Interrupted(Msg),
}

/// What `prepare --json` prints: the top level's manifest, and the stage
/// folders when it wrote them.
#[derive(Serialize)]
struct Prepared {
    #[serde(flatten)]
    top: Manifest,
    #[serde(skip_serializing_if = "Option::is_none")]
    ladder: Option<LadderOut>,
}

#[derive(Serialize)]
struct LadderOut {
    folders: Vec<FolderOut>,
    refused: Vec<RefusedOut>,
}

#[derive(Serialize)]
struct FolderOut {
    route: String,
    stage: usize,
    stages: usize,
    folder: String,
    target: String,
    phones: Vec<String>,
    /// The eras a phone recognised while serving takes this route from
    /// (issue 23, docs/recognition.md §5).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    eras: Vec<String>,
    written: usize,
    unchanged: usize,
    moved: usize,
}

#[derive(Serialize)]
struct RefusedOut {
    from: String,
    reason: Msg,
    phones: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    eras: Vec<String>,
}

pub fn run(args: PrepareArgs, lang: Lang) -> ExitCode {
    match prepare(&args, lang) {
        Ok(p) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&p).expect("a manifest serializes")
                );
            } else {
                print!("{}", text(&p.top, &args, lang));
                if let Some(l) = &p.ladder {
                    print!("{}", ladder_text(l, lang));
                }
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
            eprintln!(
                "{}",
                msg!("cli.error", "error: {error}", error => msg).render(lang)
            );
            ExitCode::from(code)
        }
    }
}

fn stage_failure(e: StageError) -> Failure {
    match e {
        StageError::Io { .. } | StageError::Busy { .. } => Failure::Other(e.msg()),
        StageError::Interrupted => Failure::Interrupted(e.msg()),
        e => Failure::BadInput(e.msg()),
    }
}

fn prepare(args: &PrepareArgs, lang: Lang) -> Result<Prepared, Failure> {
    let job = Job::load(&args.session).map_err(|e| match e {
        JobError::Package(p @ PackageError::Io { .. }) => Failure::Other(p.msg()),
        e => Failure::BadInput(e.msg()),
    })?;
    // What will not work, although the files can be written (issue 21).
    for w in &job.checked.warnings {
        let line = msg!("cli.serve.warning", "warning: {warning}", warning => w.message.clone());
        eprintln!("{}", line.render(lang));
    }
    let scope = match args.stage {
        Some(n) => Scope::Stage(n),
        None => Scope::Conversion,
    };
    let stop = super::signal::stop_flag().unwrap_or_default();
    let result = convert::write::write(&job, scope, &args.out, &stop).map_err(stage_failure);
    if result.is_ok() && stop.load(Ordering::SeqCst) {
        eprintln!(
            "{}",
            msg!(
                "cli.prepare.finished_first",
                "Ctrl-C came while the stage was being moved into place; it was finished first, so the TFTP root holds the whole new stage."
            )
            .render(lang)
        );
    }
    let written = result?;
    let mut top = written.top;
    if written.ladder_removed {
        top.notes.push(msg!(
            "cli.prepare.ladder_removed",
            "the per-phone stage folders of an earlier `prepare` are no longer used: `convert79xx serve` answers every phone from this stage (run `prepare` without --stage to go back to per-phone answers)"
        ));
    }
    Ok(Prepared {
        top,
        ladder: written.folders.map(|f| ladder_out(&job, &f)),
    })
}

fn ladder_out(job: &Job, folders: &[LadderFolder<Manifest>]) -> LadderOut {
    LadderOut {
        folders: folders
            .iter()
            .map(|f| FolderOut {
                route: f.key.clone(),
                stage: f.stage,
                stages: f.result.stages,
                folder: f.folder.clone(),
                target: f.result.target.clone(),
                phones: f.phones.iter().map(|m| m.colon()).collect(),
                eras: job.fleet.routes[f.route]
                    .eras
                    .iter()
                    .map(|e| e.id().to_string())
                    .collect(),
                written: f.result.written.len(),
                unchanged: f.result.unchanged.len(),
                moved: f.result.moved.len(),
            })
            .collect(),
        refused: job
            .fleet
            .refused
            .iter()
            .map(|r| RefusedOut {
                from: r.from.to_string(),
                reason: r.refusal.msg(),
                phones: r.phones.iter().map(|m| m.colon()).collect(),
                eras: r.eras.iter().map(|e| e.id().to_string()).collect(),
            })
            .collect(),
    }
}

/// The stage folders, one line each, and the phones held back.
fn ladder_text(l: &LadderOut, lang: Lang) -> String {
    let mut out = String::new();
    let mut line = |m: Msg| {
        out.push_str(&m.render(lang));
        out.push('\n');
    };
    line(msg!(
        "cli.prepare.ladder",
        "Each phone's own stages, for `convert79xx serve` (it answers every phone from its current stage and moves it on by itself):"
    ));
    for f in &l.folders {
        let phones = if f.phones.is_empty() {
            msg!("fleet.no_phone", "no phone listed")
        } else {
            Msg::verbatim(f.phones.join(", "))
        };
        line(msg!(
            "cli.prepare.folder",
            "  {folder} stage {stage} of {stages} ({route}), installs {target}: {written} written, {kept} kept, {moved} moved; for {phones}",
            folder = format!("{:<34}", f.folder),
            stage = f.stage,
            stages = f.stages,
            route = f.route,
            target = f.target,
            written = f.written,
            kept = f.unchanged,
            moved = f.moved,
            phones => phones,
        ));
        if f.stage == 1 && !f.eras.is_empty() {
            line(msg!(
                "cli.prepare.recognised",
                "    and for phones recognised while serving as {eras} (docs/recognition.md)",
                eras = f.eras.join(", "),
            ));
        }
    }
    for r in &l.refused {
        line(msg!(
            "cli.prepare.refused",
            "  refused from {from} for {phones}: {reason}",
            from = r.from,
            phones = r.phones.join(", "),
            reason = r.reason.render(lang).replace('\n', " "),
        ));
        if !r.eras.is_empty() {
            line(msg!(
                "cli.prepare.recognised_refused",
                "    so a phone recognised as {eras} is held with this reason",
                eras = r.eras.join(", "),
            ));
        }
    }
    out
}

/// What one stage wrote, kept and moved aside, then what to do and the notes.
fn text(m: &Manifest, args: &PrepareArgs, lang: Lang) -> String {
    let mut out = String::new();
    let mut line = |m: Msg| {
        out.push_str(&m.render(lang));
        out.push('\n');
    };
    line(msg!(
        "cli.prepare.stage",
        "Stage {stage} of {stages} ({route}): installs {target} — written to {out}",
        stage = m.stage,
        stages = m.stages,
        route = m.route,
        target = m.target,
        out = args.out.display(),
    ));
    let name = |n: &str| format!("{n:<28}");
    let size = |s: u64| format!("{s:>8}");
    for f in &m.written {
        line(msg!(
            "cli.prepare.wrote",
            "  wrote    {name} {size} B  {why}",
            name = name(&f.name),
            size = size(f.size),
            why => f.why.clone(),
        ));
    }
    for f in &m.unchanged {
        line(msg!(
            "cli.prepare.kept",
            "  kept     {name} {size} B  already up to date",
            name = name(&f.name),
            size = size(f.size),
        ));
    }
    for mv in &m.moved {
        line(msg!(
            "cli.prepare.moved",
            "  moved    {name} → {to}  ({why})",
            name = name(&mv.name),
            to = mv.to,
            why => mv.why.clone(),
        ));
    }
    if !m.actions.is_empty() {
        line(msg!("cli.prepare.then", "Then:"));
        for a in &m.actions {
            line(msg!("cli.prepare.action", "  - {action}", action => a.clone()));
        }
    }
    for n in &m.notes {
        line(msg!("cli.prepare.note", "Note: {note}", note => n.clone()));
    }
    out
}
