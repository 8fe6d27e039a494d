//! The Route step's picture of the plan: the core's draft plan of the
//! session being typed, as boxes, stages and groups.

use convert79xx::convert;
use convert79xx::convert::plan::Draft;
use convert79xx::firmware::FirmwarePackage;
use convert79xx::load::{LoadSpec, Protocol};
use convert79xx::msg::Msg;
use convert79xx::plan::{Refusal, RouteId};
use convert79xx::session::{DEFAULT_ALIAS_8_3, Session};

use super::{Problem, colons};

/// A route, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanView {
    /// The loads the phone runs along the route: where it starts, then the
    /// target of each stage (one more than `stages`).
    pub loads: Vec<LoadBox>,
    /// The stages of the route most phones take (the only one when every
    /// phone starts on step 1's image).
    pub stages: Vec<StageView>,
    /// Every route of a mixed fleet with its phones (empty when there is
    /// one route and nothing refused).
    pub groups: Vec<RouteGroup>,
    /// Starting loads whose route is refused: the load, the reason, the phones.
    pub refused: Vec<(String, Refusal, Vec<String>)>,
    pub notes: Vec<Msg>,
    pub missing: Vec<String>,
    pub signed: bool,
    pub alternatives: Vec<(Msg, Choice)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    SafeRoute(bool),
    Alias83(bool),
}

/// One load of a route, as the Route step's picture draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadBox {
    pub family: Family,
    /// `8.1(2)`, or `3.x` for a family given by its major version.
    pub version: String,
    /// The load name, when the route knows it.
    pub name: Option<String>,
    pub signed: bool,
}

/// What kind of load a box is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Family {
    #[default]
    Sccp,
    Sip,
    /// The universal application loader (`P003-…`) between two loads.
    Loader,
}

impl LoadBox {
    fn of(spec: &LoadSpec) -> LoadBox {
        let name = match spec {
            LoadSpec::Name(n) => Some(n),
            _ => None,
        };
        LoadBox {
            family: match spec.protocol() {
                _ if name.is_some_and(|n| n.is_universal_loader()) => Family::Loader,
                Protocol::Sccp => Family::Sccp,
                Protocol::Sip => Family::Sip,
            },
            version: match spec {
                LoadSpec::Name(n) => n.version().to_string(),
                LoadSpec::Family { version, .. } => version.to_string(),
            },
            name: name.map(|n| n.as_str().to_owned()),
            signed: spec.is_signed(),
        }
    }
}

/// The phones that start on one load, and their route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteGroup {
    /// `R2-P00305000101`.
    pub key: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: Msg,
    pub phones: Vec<String>,
    /// Phones whose start is unknown, put on this route.
    pub assumed: Vec<String>,
    /// Where they start, then the target of each stage.
    pub loads: Vec<LoadBox>,
    pub stages: Vec<StageView>,
}

impl PlanView {
    /// The loads of the route with this key (`R2-P00305000101`): its
    /// group's in a mixed fleet, else the one route's.
    pub fn loads_of(&self, key: &str) -> Option<(&[LoadBox], Option<&Msg>)> {
        if self.groups.is_empty() {
            return Some((&self.loads, None));
        }
        self.groups
            .iter()
            .find(|g| g.key == key)
            .map(|g| (g.loads.as_slice(), Some(&g.title)))
    }
}

/// The loads a phone runs along a route: where it starts, then each
/// stage's target.
fn load_boxes(from: &LoadSpec, plan: &convert79xx::plan::Plan) -> Vec<LoadBox> {
    std::iter::once(LoadBox::of(from))
        .chain(
            plan.stages
                .iter()
                .map(|s| LoadBox::of(&LoadSpec::Name(s.target.clone()))),
        )
        .collect()
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageView {
    pub target: String,
    /// The file whose load name the running load obeys (none on CUCM).
    pub moved_by: Option<String>,
    /// A signed image after an unsigned one: no way back.
    pub irreversible: bool,
    pub files: Vec<String>,
    pub actions: Vec<Msg>,
    pub notes: Vec<Msg>,
}

fn stage_views(plan: &convert79xx::plan::Plan) -> Vec<StageView> {
    plan.stages
        .iter()
        .map(|s| StageView {
            target: s.target.as_str().to_owned(),
            moved_by: s.moved_by().map(str::to_owned),
            irreversible: s.irreversible(),
            files: s.files.iter().map(|f| f.name.clone()).collect(),
            actions: s.actions.iter().map(|a| a.text.clone()).collect(),
            notes: s.notes.iter().map(|n| n.text.clone()).collect(),
        })
        .collect()
}

/// Plan every phone's route over the checked packages (phones that start
/// on the same load share one); `Err` is the refusal (or a bad load) with
/// its reason when no phone has a route.
pub fn plan(session: &Session, packages: &[FirmwarePackage]) -> Result<PlanView, Problem> {
    let Draft {
        fleet,
        missing,
        to_signed,
    } = convert::plan::plan_draft(session, packages)?;
    let common = &fleet.routes[0];
    let plan = &common.plan;
    let c = &session.conversion;
    let safe_route = c.safe_route.unwrap_or(false);
    let alias_8_3 = c.alias_8_3.unwrap_or(DEFAULT_ALIAS_8_3);
    let alternatives = plan
        .alternatives
        .iter()
        .filter_map(|a| {
            let choice = match a.route {
                RouteId::R1a => Choice::SafeRoute(!safe_route),
                RouteId::R4b => Choice::Alias83(!alias_8_3),
                _ => return None,
            };
            Some((a.summary.clone(), choice))
        })
        .collect();
    let loads = load_boxes(&common.from, plan);
    let mixed = fleet.routes.len() > 1 || !fleet.refused.is_empty();
    Ok(PlanView {
        loads,
        stages: stage_views(plan),
        groups: if mixed {
            fleet
                .routes
                .iter()
                .map(|r| RouteGroup {
                    key: r.key.clone(),
                    title: r.title(),
                    phones: colons(&r.phones),
                    assumed: colons(&r.assumed),
                    loads: load_boxes(&r.from, &r.plan),
                    stages: stage_views(&r.plan),
                })
                .collect()
        } else {
            Vec::new()
        },
        refused: fleet
            .refused
            .iter()
            .map(|r| (r.from.to_string(), r.refusal.clone(), colons(&r.phones)))
            .collect(),
        notes: plan.notes.iter().map(|n| n.text.clone()).collect(),
        missing: missing.iter().map(|l| l.as_str().to_owned()).collect(),
        signed: to_signed,
        alternatives,
    })
}
