//! `convert79xx plan --session SESSION.toml [--json]`: every phone's route
//! of a session, grouped: phones that start on the same load share one
//! plan, and a refused start gets its own reason while the others go on.
//! Exit 2 when the session is bad or no phone has a route.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use convert79xx::convert;
use convert79xx::convert::plan::Planned;
use convert79xx::model::{Mac, list_macs};
use convert79xx::msg;
use convert79xx::msg::{Lang, Msg};
use convert79xx::plan::Fleet;
use convert79xx::session::{Session, SessionError};

pub fn run(path: &Path, json: bool, lang: Lang) -> ExitCode {
    let fail = |error: Msg| {
        eprintln!(
            "{}",
            msg!("cli.error", "error: {error}", error => error.clone()).render(lang)
        );
        if json {
            println!("{}", serde_json::json!({ "error": error }));
        }
        ExitCode::from(2)
    };
    let session = match Session::load(path) {
        Ok(s) => s,
        Err(e) => return fail(e.msg()),
    };
    let checked = match session.check() {
        Ok(c) => c,
        Err(problems) => return fail(SessionError::Invalid(problems).msg()),
    };
    // The packages give intermediate loads their real names; a plan can be
    // read before they are at hand.
    let Planned {
        fleet,
        packages_unopened: unopened,
    } = convert::plan::plan(&checked);
    if json {
        let mut v = serde_json::to_value(&fleet).expect("a fleet serializes");
        if let Some(why) = &unopened {
            v["packages_not_opened"] = why.to_string().into();
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("a value serializes")
        );
    } else {
        print!("{}", render(&fleet, unopened.as_ref(), lang));
    }
    for r in &fleet.refused {
        eprintln!(
            "{}",
            msg!(
                "cli.fleet.refused_for",
                "refused for {phones}: {reason}",
                phones => macs(&r.phones),
                reason => r.refusal.reason.clone(),
            )
            .render(lang)
        );
    }
    if fleet.routes.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn macs(phones: &[Mac]) -> Msg {
    if phones.is_empty() {
        return msg!("fleet.no_phone", "no phone listed");
    }
    Msg::verbatim(list_macs(phones))
}

/// The routes, each with its phones, then each route's stages as `plan`
/// prints them, then the refused starts.
fn render(fleet: &Fleet, unopened: Option<&Msg>, lang: Lang) -> String {
    let t = |m: Msg| m.render(lang);
    let mut o = String::new();
    // A phone of unknown start rides every route it may be recognised onto.
    let phones: usize = fleet
        .routes
        .iter()
        .flat_map(|r| r.all_phones())
        .chain(fleet.refused.iter().flat_map(|r| r.phones.iter().copied()))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let refused = if fleet.refused.is_empty() {
        String::new()
    } else {
        t(msg!(
            "cli.fleet.refused_count",
            ", {n} refused",
            n = fleet.refused.len()
        ))
    };
    let _ = writeln!(
        o,
        "{}",
        t(msg!(
            "cli.fleet.summary",
            "{phones} {phone_word} to {to}: {routes} {route_word}{refused}",
            phones = phones,
            phone_word => plural(phones, msg!("word.phone", "phone"), msg!("word.phones", "phones")),
            to = fleet.to,
            routes = fleet.routes.len(),
            route_word => plural(
                fleet.routes.len(),
                msg!("word.route", "route"),
                msg!("word.routes", "routes")
            ),
            refused = refused,
        ))
    );
    if let Some(why) = unopened {
        let _ = writeln!(
            o,
            "{}",
            t(msg!(
                "cli.fleet.unopened",
                "Note: the firmware packages could not be opened ({why}); loads are named from the versions alone.",
                why => why.clone(),
            ))
        );
    }
    for r in &fleet.routes {
        let _ = writeln!(
            o,
            "  {}",
            t(msg!(
                "cli.fleet.route",
                "{key} ({title}, {stages} {stage_word}): {phones}",
                key = r.key,
                title => r.title(),
                stages = r.plan.stages.len(),
                stage_word => plural(
                    r.plan.stages.len(),
                    msg!("word.stage", "stage"),
                    msg!("word.stages", "stages")
                ),
                phones => macs(&r.phones),
            ))
        );
        if !r.eras.is_empty() {
            let eras: Vec<&str> = r.eras.iter().map(|e| e.id()).collect();
            let _ = writeln!(
                o,
                "      {}",
                t(msg!(
                    "cli.fleet.recognised",
                    "for phones recognised while serving as {eras} (docs/recognition.md): {phones}",
                    eras = eras.join(", "),
                    phones => macs(&r.assumed),
                ))
            );
        } else if !r.assumed.is_empty() {
            let _ = writeln!(
                o,
                "      {}",
                t(msg!(
                    "cli.fleet.assumed",
                    "starting load unknown, planned as {from}: {phones}",
                    from = r.from,
                    phones => macs(&r.assumed),
                ))
            );
        }
    }
    for r in &fleet.refused {
        let _ = writeln!(
            o,
            "  {}",
            t(msg!(
                "cli.fleet.refused_from",
                "refused from {from}: {phones}",
                from = r.from,
                phones => macs(&r.phones),
            ))
        );
        for line in r.refusal.render(lang).lines() {
            let _ = writeln!(o, "      {line}");
        }
    }
    for r in &fleet.routes {
        let _ = writeln!(o, "\n== {} — {}", r.key, t(macs(&r.phones)));
        for line in super::plan::render(&r.plan, lang).lines() {
            let _ = writeln!(o, "{line}");
        }
    }
    o
}

/// `one` for 1, `other` for any other count.
fn plural(n: usize, one: Msg, other: Msg) -> Msg {
    if n == 1 { one } else { other }
}
