//! `convert79xx plan --session SESSION.toml [--json]`: every phone's route
//! of a session, grouped: phones that start on the same load share one
//! plan, and a refused start gets its own reason while the others go on.
//! Exit 2 when the session is bad or no phone has a route.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use convert79xx::firmware::PackageSet;
use convert79xx::model::list_macs;
use convert79xx::plan::Fleet;
use convert79xx::session::{Session, SessionError};
use convert79xx::stage::plan_fleet;

pub fn run(path: &Path, json: bool) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        if json {
            println!("{}", serde_json::json!({ "error": msg }));
        }
        ExitCode::from(2)
    };
    let session = match Session::load(path) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    let checked = match session.check() {
        Ok(c) => c,
        Err(problems) => return fail(SessionError::Invalid(problems).to_string()),
    };
    // The packages give intermediate loads their real names; a plan can be
    // read before they are at hand.
    let (packages, unopened) = match PackageSet::open_all(&checked.firmware) {
        Ok(set) => (set, None),
        Err(e) => (PackageSet::new(), Some(e.to_string())),
    };
    let fleet = plan_fleet(&checked, &packages);
    if json {
        let mut v = serde_json::to_value(&fleet).expect("a fleet serializes");
        if let Some(why) = &unopened {
            v["packages_not_opened"] = why.clone().into();
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("a value serializes")
        );
    } else {
        print!("{}", render(&fleet, unopened.as_deref()));
    }
    for r in &fleet.refused {
        eprintln!(
            "refused for {}: {}",
            list_macs(&r.phones),
            r.refusal.reason.replace('\n', " ")
        );
    }
    if fleet.routes.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The routes, each with its phones, then each route's stages as `plan`
/// prints them, then the refused starts.
fn render(fleet: &Fleet, unopened: Option<&str>) -> String {
    let mut o = String::new();
    let phones: usize = fleet
        .routes
        .iter()
        .map(|r| r.phones.len() + r.assumed.len())
        .chain(fleet.refused.iter().map(|r| r.phones.len()))
        .sum();
    let _ = writeln!(
        o,
        "{phones} phone{} to {}: {} route{}{}",
        if phones == 1 { "" } else { "s" },
        fleet.to,
        fleet.routes.len(),
        if fleet.routes.len() == 1 { "" } else { "s" },
        if fleet.refused.is_empty() {
            String::new()
        } else {
            format!(", {} refused", fleet.refused.len())
        }
    );
    if let Some(why) = unopened {
        let _ = writeln!(
            o,
            "Note: the firmware packages could not be opened ({why}); loads are named from the versions alone."
        );
    }
    for r in &fleet.routes {
        let _ = writeln!(
            o,
            "  {} ({}, {} stage{}): {}",
            r.key,
            r.title(),
            r.plan.stages.len(),
            if r.plan.stages.len() == 1 { "" } else { "s" },
            list_macs(&r.phones)
        );
        if !r.assumed.is_empty() {
            let _ = writeln!(
                o,
                "      starting load unknown, planned as {}: {}",
                r.from,
                list_macs(&r.assumed)
            );
        }
    }
    for r in &fleet.refused {
        let _ = writeln!(o, "  refused from {}: {}", r.from, list_macs(&r.phones));
        for line in r.refusal.to_string().lines() {
            let _ = writeln!(o, "      {line}");
        }
    }
    for r in &fleet.routes {
        let _ = writeln!(o, "\n== {} — {}", r.key, list_macs(&r.phones));
        for line in super::plan::render(&r.plan).lines() {
            let _ = writeln!(o, "{line}");
        }
    }
    o
}
