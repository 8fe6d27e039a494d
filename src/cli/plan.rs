//! `convert79xx plan`: print the route between two loads, or (with
//! `--session`) every phone's route of a session, for people or (with
//! `--json`) for scripts. Refusals and bad input exit with status 2.

use std::fmt::Write as _;
use std::process::ExitCode;

use convert79xx::load::{LoadName, LoadSpec};
use convert79xx::model::PhoneModel;
use convert79xx::msg;
use convert79xx::msg::{Lang, Msg};
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

pub fn run(args: PlanArgs, lang: Lang) -> ExitCode {
    if let Some(path) = &args.session {
        return super::plan_fleet::run(path, args.json, lang);
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
                print!("{}", render(&plan, lang));
            }
            ExitCode::SUCCESS
        }
        Err((error, hint)) => {
            eprintln!(
                "{}",
                msg!("cli.error", "error: {error}", error => error.clone()).render(lang)
            );
            if let Some(h) = &hint {
                eprintln!(
                    "{}",
                    msg!("cli.hint", "hint: {hint}", hint => h.clone()).render(lang)
                );
            }
            if args.json {
                let v = serde_json::json!({ "error": error, "hint": hint });
                println!("{v}");
            }
            ExitCode::from(2)
        }
    }
}

type Failure = (Msg, Option<Msg>);

fn make_plan(args: &PlanArgs) -> Result<Plan, Failure> {
    // Checked here rather than by clap so that --json still answers in JSON.
    let example = || {
        msg!(
            "cli.plan.example",
            "e.g. --from P00308010200 --to P0S3-8-12-00, or --from 'sccp 8.1(2)' --to 'sip 8.12'"
        )
    };
    let parse = |flag: &str, s: &Option<String>| {
        let s = s.as_deref().ok_or_else(|| {
            (
                msg!(
                    "cli.plan.missing",
                    "--{flag} is missing: say which load the phones run now (--from) and which they should run (--to)",
                    flag = flag,
                ),
                Some(example()),
            )
        })?;
        LoadSpec::parse(s).map_err(|e| (flag_error(flag, &e), Some(example())))
    };
    let from = parse("from", &args.from)?;
    let to = parse("to", &args.to)?;
    let model = match &args.model {
        Some(m) => Some(m.parse::<PhoneModel>().map_err(|e| {
            (
                msg!("cli.plan.model_error", "--model: {error}", error => e),
                None,
            )
        })?),
        None => None,
    };
    let mut available = Vec::new();
    for h in &args.have {
        let n = LoadName::parse(h).map_err(|e| (flag_error("have", &e), None))?;
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

/// An option whose load cannot be read: the option, then why.
fn flag_error(flag: &str, e: &convert79xx::load::LoadError) -> Msg {
    msg!(
        "cli.plan.flag_error",
        "--{flag} {error}",
        flag = flag,
        error => e.message(),
    )
}

/// The plan as numbered stages for a terminal, in `lang`.
pub(super) fn render(plan: &Plan, lang: Lang) -> String {
    let t = |m: Msg| m.render(lang);
    let mut o = String::new();
    let via = if plan.via.is_empty() {
        String::new()
    } else {
        let v: Vec<String> = plan.via.iter().map(|r| r.to_string()).collect();
        t(msg!(
            "cli.plan.via",
            " (via {routes})",
            routes = v.join(", ")
        ))
    };
    let _ = writeln!(
        o,
        "{}",
        t(msg!(
            "cli.plan.route",
            "Route {route}{via}: {from} → {to}",
            route = plan.route,
            via = via,
            from = plan.from,
            to = plan.to,
        ))
    );
    if let Some(m) = plan.model {
        let _ = writeln!(
            o,
            "{}",
            t(msg!(
                "cli.plan.model",
                "Model: {model} ({lines} lines)",
                model = m,
                lines = m.lines()
            ))
        );
    }
    let n = plan.stages.len();
    for (i, s) in plan.stages.iter().enumerate() {
        let _ = writeln!(
            o,
            "\n{}",
            t(msg!(
                "cli.plan.stage",
                "Stage {n} of {total}: {title}",
                n = i + 1,
                total = n,
                title => s.title.clone(),
            ))
        );
        if s.installs_image {
            let _ = writeln!(
                o,
                "  {}",
                t(msg!(
                    "cli.plan.installs",
                    "Installs: {load}",
                    load = s.target
                ))
            );
        }
        if !s.files.is_empty() {
            let _ = writeln!(
                o,
                "  {}",
                t(msg!("cli.plan.files", "Files in the TFTP root:"))
            );
            for f in &s.files {
                let mut extra = String::new();
                if let Some(img) = &f.image {
                    extra.push_str(&t(msg!("cli.plan.names", " [names {image}]", image = img)));
                }
                if let FileKind::SipDefault { minimal: true } = f.kind {
                    extra.push_str(&t(msg!(
                        "cli.plan.image_version_only",
                        " [image_version only]"
                    )));
                }
                if f.optional {
                    extra.push_str(&t(msg!("cli.plan.if_available", " [if available]")));
                }
                let _ = writeln!(o, "    {}{extra}\n        {}", f.name, f.why.render(lang));
            }
        }
        if !s.remove.is_empty() {
            let _ = writeln!(
                o,
                "  {}",
                t(msg!(
                    "cli.plan.moved_aside",
                    "Moved aside into a backup folder when present:"
                ))
            );
            for r in &s.remove {
                let _ = writeln!(
                    o,
                    "    {}: {}",
                    r.kind.files().render(lang),
                    r.why.render(lang)
                );
            }
        }
        let _ = writeln!(o, "  {}", t(msg!("cli.plan.steps", "Steps:")));
        for (k, a) in s.actions.iter().enumerate() {
            let who = match a.who {
                Where::Phone => msg!("plan.who.phone", "phone"),
                Where::Network => msg!("plan.who.network", "network"),
                Where::Cucm => msg!("plan.who.cucm", "CUCM"),
                Where::Computer => msg!("plan.who.computer", "this computer"),
            };
            let _ = writeln!(o, "    {}. ({}) {}", k + 1, t(who), a.text.render(lang));
        }
        for note in &s.notes {
            let _ = writeln!(o, "  {}", note_line(note, lang));
        }
    }
    if !plan.notes.is_empty() {
        let _ = writeln!(o, "\n{}", t(msg!("cli.plan.notes", "Notes:")));
        for note in &plan.notes {
            let _ = writeln!(o, "  {}", note_line(note, lang));
        }
    }
    if !plan.alternatives.is_empty() {
        let _ = writeln!(o, "\n{}", t(msg!("cli.plan.alternatives", "Alternatives:")));
        for a in &plan.alternatives {
            let _ = writeln!(
                o,
                "  {}: {} ({})",
                a.route,
                a.summary.render(lang),
                a.how.render(lang)
            );
        }
    }
    o
}

/// A note with its kind in front ("Warning: …"), in `lang`.
pub fn note_line(n: &Note, lang: Lang) -> String {
    msg!("plan.note.line", "{kind} {text}", kind => note_kind(n.kind), text => n.text.clone())
        .render(lang)
}

/// What kind of note it is, as its line starts.
pub fn note_kind(kind: NoteKind) -> Msg {
    match kind {
        NoteKind::DepartsFromTechNote => msg!("plan.kind.departs", "Departs from the tech note:"),
        NoteKind::Warning => msg!("plan.kind.warning", "Warning:"),
        NoteKind::Info => msg!("plan.kind.info", "Note:"),
        NoteKind::Assumption => msg!("plan.kind.assumption", "Assumption:"),
    }
}
