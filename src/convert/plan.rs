//! Planning a session: every phone's route, from a checked session (the
//! `plan` command) or from a session still being typed (the wizard's Route
//! step, which plans before every field is right).

use crate::firmware::{FirmwarePackage, PackageSet};
use crate::load::{LoadName, LoadSpec};
use crate::model::{Mac, PhoneModel};
use crate::msg::Msg;
use crate::plan::{Fleet, Planner, Refusal};
use crate::session::{Checked, DEFAULT_ALIAS_8_3, DEFAULT_MODEL, Session, UNKNOWN_LOAD};

/// Every phone's route of a checked session.
#[derive(Debug, Clone)]
pub struct Planned {
    pub fleet: Fleet,
    /// Why the packages could not be opened: the loads are then named from
    /// their versions alone (a plan can be read before they are at hand).
    pub packages_unopened: Option<Msg>,
}

/// Plans a checked session over its packages, opened when they can be.
pub fn plan(checked: &Checked) -> Planned {
    let (packages, packages_unopened) = match PackageSet::open_all(&checked.firmware) {
        Ok(set) => (set, None),
        Err(e) => (PackageSet::new(), Some(e.msg())),
    };
    Planned {
        fleet: crate::stage::plan_fleet(checked, &packages),
        packages_unopened,
    }
}

/// The routes of a session being typed, over the packages checked so far.
#[derive(Debug, Clone)]
pub struct Draft {
    /// At least one route.
    pub fleet: Fleet,
    /// Loads the routes install that no package holds completely.
    pub missing: Vec<LoadName>,
    /// Some phone goes from an unsigned load to a signed one (no way back).
    pub to_signed: bool,
}

/// Why a session being typed has no route yet.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftProblem {
    /// A load the core cannot read: its message says which part is wrong.
    BadLoad(Msg),
    /// No phone has a route: the first refusal, with its reason.
    Refused(Refusal),
}

/// Plans a session that does not check yet, as far as it can: the
/// conversion's loads must read; a phone whose MAC does not read yet is
/// left out (the Phones step marks it); a missing or unknown model is the
/// default one. The same planner as [`plan`], on the same values.
pub fn plan_draft(session: &Session, packages: &[FirmwarePackage]) -> Result<Draft, DraftProblem> {
    let read = |t: &str| {
        LoadSpec::parse(t)
            .map(|p| p.value)
            .map_err(|e| DraftProblem::BadLoad(e.message()))
    };
    let c = &session.conversion;
    let from = read(&c.from)?;
    let to = read(&c.to)?;
    let set = package_set(packages);
    let planner = Planner {
        safe_route: c.safe_route.unwrap_or(false),
        cucm: c.cucm.unwrap_or(false),
        alias_for_8_3: c.alias_8_3.unwrap_or(DEFAULT_ALIAS_8_3),
        model: Some(
            c.model
                .as_deref()
                .and_then(|m| m.parse::<PhoneModel>().ok())
                .unwrap_or(DEFAULT_MODEL),
        ),
        available: set.available(),
        layouts: set.layouts(),
    };
    let fleet = planner.plan_fleet(&from, &to, &draft_starts(session)?);
    if fleet.routes.is_empty() {
        return Err(DraftProblem::Refused(fleet.refused[0].refusal.clone()));
    }
    let mut missing: Vec<LoadName> = Vec::new();
    for r in &fleet.routes {
        for lack in set.lacking_for(&r.plan) {
            if !missing.iter().any(|m| m.as_str() == lack.load.as_str()) {
                missing.push(lack.load.clone());
            }
        }
    }
    let to_signed = fleet.routes.iter().any(|r| {
        !r.from.is_signed()
            && r.plan
                .stages
                .iter()
                .any(|s| s.installs_image && s.target.is_signed())
    });
    Ok(Draft {
        fleet,
        missing,
        to_signed,
    })
}

/// Each phone's own start: its `from`, else the conversion's (`None`:
/// "unknown"). Phones whose MAC does not read yet are left out.
fn draft_starts(session: &Session) -> Result<Vec<(Mac, Option<LoadSpec>)>, DraftProblem> {
    let mut out = Vec::new();
    for (i, p) in session.phones.iter().enumerate() {
        let Ok(mac) = p.mac.parse() else { continue };
        let text = match p.from.as_deref().map(str::trim) {
            Some(own) if !own.is_empty() => own,
            _ => session.conversion.from.trim(),
        };
        if text.eq_ignore_ascii_case(UNKNOWN_LOAD) {
            out.push((mac, None));
            continue;
        }
        let spec = LoadSpec::parse(text).map_err(|e| {
            DraftProblem::BadLoad(crate::msg!(
                "gui.phone_load",
                "phone {n} ({mac}): {error}",
                n = i + 1,
                mac = p.mac.trim(),
                error => e.message(),
            ))
        })?;
        out.push((mac, Some(spec.value)));
    }
    Ok(out)
}

/// The loads `packages` offer as a target: their application loads (never
/// the universal loader), each once, that the planner can reach from the
/// load typed as current (all of them while it is not a load yet).
pub fn targets_offered(from: &str, packages: &[FirmwarePackage]) -> Vec<LoadName> {
    let set = package_set(packages);
    let planner = Planner {
        available: set.available(),
        layouts: set.layouts(),
        ..Planner::default()
    };
    let from = LoadSpec::parse(from).ok().map(|p| p.value);
    let mut loads: Vec<LoadName> = Vec::new();
    for load in packages.iter().flat_map(|p| p.application_loads()) {
        if !loads.iter().any(|l| l.same_load(&load)) {
            loads.push(load);
        }
    }
    loads.retain(|l| {
        from.as_ref()
            .is_none_or(|f| planner.plan(f, &LoadSpec::Name(l.clone())).is_ok())
    });
    loads
}

fn package_set(packages: &[FirmwarePackage]) -> PackageSet {
    let mut set = PackageSet::new();
    for p in packages {
        set.push(p.clone());
    }
    set
}
