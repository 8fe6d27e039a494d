//! `convert79xx plan`: print the route between two loads, or (with
//! `--session`) every phone's route of a session, for people or (with
//! `--json`) for scripts. Refusals and bad input exit with status 2.

use std::fmt::Write as _;
use std::process::ExitCode;

use convert79xx::load::{LoadName, LoadSpec};
use convert79xx::model::PhoneModel;
use convert79xx::plan::{FileKind, Note, NoteKind, Plan, Planner, Where};

#[derive(clap::Args)]
pub struct PlanArgs {
    /// A session file: plan every phone's route (phones that start on the
    /// same load share one), instead of --from and --to.
    #[arg(long, conflicts_with_all = ["from", "to", "model", "safe", "cucm", "no_alias", "have"])]
    session: Option<std::path::PathBuf>,
    /// What the phones run now: a load name (P00308010200, P0S3-8-12-00.loads)
    /// or a family and version ("sccp 8.1(2)", "SIP 7.x").
    #[arg(long)]
    from: Option<String>,
    /// What they should run: same forms as --from.
    #[arg(long)]
    to: Option<String>,
    /// Phone model, for the model facts (7940: 2 lines, 7960: 6).
    #[arg(long)]
    model: Option<String>,
    /// Print one JSON object (refusals: {"error": …} on stdout, status 2).
    #[arg(long)]
    json: bool,
    /// Old SCCP to SIP 3.x/4.x: take the safe route via SIP 2.3 (R1a).
    #[arg(long)]
    safe: bool,
    /// Phones on CUCM 5.x/6.x: the Bulk Administration checklist instead of files.
    #[arg(long)]
    cucm: bool,
    /// SIP 2.1 and earlier to SCCP: upgrade SIP first instead of serving the
    /// SCCP image under a short 8.3 alias.
    #[arg(long)]
    no_alias: bool,
    /// A load your firmware packages hold (repeatable): intermediate stages
    /// (the latest SCCP 4.x, SCCP 6.3, SIP 2.3) and family targets use its
    /// real name.
    #[arg(long = "have", value_name = "LOAD")]
    have: Vec<String>,
}

pub fn run(args: PlanArgs) -> ExitCode {
    if let Some(path) = &args.session {
        return super::plan_fleet::run(path, args.json);
    }
    match make_plan(&args) {
        Ok(plan) => {
            if args.json {
                match serde_json::to_string_pretty(&plan) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("error: could not write the plan as JSON: {e}");
                        return ExitCode::from(1);
                    }
                }
            } else {
                print!("{}", render(&plan));
            }
            ExitCode::SUCCESS
        }
        Err((error, hint)) => {
            eprintln!("error: {error}");
            if let Some(h) = &hint {
                eprintln!("hint: {h}");
            }
            if args.json {
                let v = serde_json::json!({ "error": error, "hint": hint });
                println!("{v}");
            }
            ExitCode::from(2)
        }
    }
}

type Failure = (String, Option<String>);

fn make_plan(args: &PlanArgs) -> Result<Plan, Failure> {
    // Checked here rather than by clap so that --json still answers in JSON.
    let example =
        "e.g. --from P00308010200 --to P0S3-8-12-00, or --from 'sccp 8.1(2)' --to 'sip 8.12'";
    let parse = |flag: &str, s: &Option<String>| {
        let s = s.as_deref().ok_or_else(|| {
            (
                format!("--{flag} is missing: say which load the phones run now (--from) and which they should run (--to)"),
                Some(example.to_string()),
            )
        })?;
        LoadSpec::parse(s).map_err(|e| (format!("--{flag} {e}"), Some(example.to_string())))
    };
    let from = parse("from", &args.from)?;
    let to = parse("to", &args.to)?;
    let model = match &args.model {
        Some(m) => Some(
            m.parse::<PhoneModel>()
                .map_err(|e| (format!("--model: {e}"), None))?,
        ),
        None => None,
    };
    let mut available = Vec::new();
    for h in &args.have {
        let n = LoadName::parse(h).map_err(|e| (format!("--have {e}"), None))?;
        available.push(n.value);
    }
    let planner = Planner {
        safe_route: args.safe,
        cucm: args.cucm,
        alias_for_8_3: !args.no_alias,
        model,
        available,
        layouts: Vec::new(),
    };
    let mut plan = planner
        .plan(&from.value, &to.value)
        .map_err(|r| (r.reason, r.hint))?;
    let corrections = from.notes.into_iter().chain(to.notes).map(Note::info);
    plan.notes.splice(0..0, corrections);
    Ok(plan)
}

/// The plan as numbered stages for a terminal.
pub(super) fn render(plan: &Plan) -> String {
    let mut o = String::new();
    let via = if plan.via.is_empty() {
        String::new()
    } else {
        let v: Vec<String> = plan.via.iter().map(|r| r.to_string()).collect();
        format!(" (via {})", v.join(", "))
    };
    let _ = writeln!(o, "Route {}{via}: {} → {}", plan.route, plan.from, plan.to);
    if let Some(m) = plan.model {
        let _ = writeln!(o, "Model: {m} ({} lines)", m.lines());
    }
    let n = plan.stages.len();
    for (i, s) in plan.stages.iter().enumerate() {
        let _ = writeln!(o, "\nStage {} of {n}: {}", i + 1, s.title);
        if s.installs_image {
            let _ = writeln!(o, "  Installs: {}", s.target);
        }
        if !s.files.is_empty() {
            let _ = writeln!(o, "  Files in the TFTP root:");
            for f in &s.files {
                let mut extra = String::new();
                if let Some(img) = &f.image {
                    let _ = write!(extra, " [names {img}]");
                }
                if let FileKind::SipDefault { minimal: true } = f.kind {
                    extra.push_str(" [image_version only]");
                }
                if f.optional {
                    extra.push_str(" [if available]");
                }
                let _ = writeln!(o, "    {}{extra}\n        {}", f.name, f.why);
            }
        }
        if !s.remove.is_empty() {
            let _ = writeln!(o, "  Moved aside into a backup folder when present:");
            for r in &s.remove {
                let _ = writeln!(o, "    {}: {}", r.kind.files(), r.why);
            }
        }
        let _ = writeln!(o, "  Steps:");
        for (k, a) in s.actions.iter().enumerate() {
            let who = match a.who {
                Where::Phone => "phone",
                Where::Network => "network",
                Where::Cucm => "CUCM",
                Where::Computer => "this computer",
            };
            let _ = writeln!(o, "    {}. ({who}) {}", k + 1, a.text);
        }
        for note in &s.notes {
            let _ = writeln!(o, "  {}", note_line(note));
        }
    }
    if !plan.notes.is_empty() {
        let _ = writeln!(o, "\nNotes:");
        for note in &plan.notes {
            let _ = writeln!(o, "  {}", note_line(note));
        }
    }
    if !plan.alternatives.is_empty() {
        let _ = writeln!(o, "\nAlternatives:");
        for a in &plan.alternatives {
            let _ = writeln!(o, "  {}: {} ({})", a.route, a.summary, a.how);
        }
    }
    o
}

fn note_line(n: &Note) -> String {
    let tag = match n.kind {
        NoteKind::DepartsFromTechNote => "Departs from the tech note:",
        NoteKind::Warning => "Warning:",
        NoteKind::Info => "Note:",
        NoteKind::Assumption => "Assumption:",
    };
    format!("{tag} {}", n.text)
}
