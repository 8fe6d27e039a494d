//! A mixed fleet: every phone's own route to the one target (issue 10).
//!
//! Second-hand and long-lived phones arrive on different loads, and the
//! loader routes take two stages even for one phone, so a session plans one
//! route per starting load. Phones that start on the same load share one
//! [`Plan`]; a starting load whose route is refused keeps its reason, and
//! the other phones go on. The route most phones take comes first: it is
//! the one written at the top of the TFTP root and the one a phone that
//! cannot be told apart is answered from.

use serde::Serialize;

use super::eras::{self, Era};
use super::{Plan, Planner, Refusal};
use crate::load::LoadSpec;
use crate::model::Mac;

/// Every phone's route, grouped.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    pub to: LoadSpec,
    /// One per starting load that has a route; the most phones first.
    pub routes: Vec<FleetRoute>,
    /// Starting loads whose route is refused, each with its reason.
    pub refused: Vec<RefusedStart>,
}

/// The phones that start on one load, and their plan.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRoute {
    /// Unique in the fleet and safe as a folder name: the route and the
    /// starting load (`R2-P00305000101`). Stage folders are named after it.
    pub key: String,
    pub from: LoadSpec,
    pub plan: Plan,
    /// The phones that start here, in the session's order.
    pub phones: Vec<Mac>,
    /// Phones whose starting load is unknown. With open starts (issue 23)
    /// they are on every route that serves an era, so their own files are
    /// there whichever they are recognised onto; otherwise on the route most
    /// phones take.
    pub assumed: Vec<Mac>,
    /// The eras a phone recognised while serving takes this route from
    /// (docs/recognition.md §3); empty for a route only the session asked for.
    pub eras: Vec<Era>,
    /// The representative start this route was planned from for them.
    pub start: Option<String>,
}

impl FleetRoute {
    /// Every phone this route writes files for.
    pub fn all_phones(&self) -> impl Iterator<Item = Mac> + '_ {
        self.phones.iter().chain(&self.assumed).copied()
    }

    /// "SCCP 8.1(2) (P00308010200) to SIP 8.12 (P0S3-8-12-00)": plain
    /// words, since log lines carry it and the wizard's font has no arrow.
    pub fn title(&self) -> crate::msg::Msg {
        crate::msg!(
            "plan.title.route",
            "{from} to {to}",
            from => super::builder::describe(&self.plan.from),
            to => super::builder::describe(&self.plan.to),
        )
    }
}

/// Phones whose route is refused.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedStart {
    pub from: LoadSpec,
    pub refusal: Refusal,
    pub phones: Vec<Mac>,
    /// The eras whose representative start this is (issue 23): a phone
    /// recognised as one of them is held with this refusal.
    pub eras: Vec<Era>,
    pub start: Option<String>,
}

impl Fleet {
    /// The route a phone takes, with whether its start was assumed.
    pub fn route_of(&self, mac: Mac) -> Option<&FleetRoute> {
        self.routes
            .iter()
            .find(|r| r.all_phones().any(|m| m == mac))
    }

    /// The refusal that holds a phone back, when its route is refused.
    pub fn refusal_of(&self, mac: Mac) -> Option<&RefusedStart> {
        self.refused.iter().find(|r| r.phones.contains(&mac))
    }

    /// How many (route, stage) pairs there are: more than one means phones
    /// need different files at once.
    pub fn stage_count(&self) -> usize {
        self.routes.iter().map(|r| r.plan.stages.len()).sum()
    }
}

impl Planner {
    /// Plans each phone's route from what it runs (`None`: unknown) to `to`.
    /// A phone without a start of its own is given `default_from` by the
    /// caller; with no phones at all, the fleet is the default route alone.
    pub fn plan_fleet(
        &self,
        default_from: &LoadSpec,
        to: &LoadSpec,
        phones: &[(Mac, Option<LoadSpec>)],
    ) -> Fleet {
        let mut groups: Vec<(LoadSpec, Vec<Mac>)> = Vec::new();
        let mut unknown = Vec::new();
        for (mac, from) in phones {
            match from {
                None => unknown.push(*mac),
                Some(from) => match groups.iter_mut().find(|(f, _)| f == from) {
                    Some((_, macs)) => macs.push(*mac),
                    None => groups.push((from.clone(), vec![*mac])),
                },
            }
        }
        if groups.is_empty() {
            groups.push((default_from.clone(), Vec::new()));
        }
        let mut routes: Vec<FleetRoute> = Vec::new();
        let mut refused = Vec::new();
        for (from, macs) in groups {
            match self.plan(&from, to) {
                Ok(plan) => routes.push(FleetRoute {
                    key: String::new(),
                    from,
                    plan,
                    phones: macs,
                    assumed: Vec::new(),
                    eras: Vec::new(),
                    start: None,
                }),
                Err(refusal) => refused.push(RefusedStart {
                    from,
                    refusal,
                    phones: macs,
                    eras: Vec::new(),
                    start: None,
                }),
            }
        }
        // Stable: among equals, the session's order.
        routes.sort_by_key(|r| std::cmp::Reverse(r.phones.len()));
        // Open starts (a phone nobody described, or none listed): a route
        // from each era's representative start, for phones recognised while
        // serving (docs/recognition.md §5).
        let open = !unknown.is_empty();
        if open {
            self.add_open_starts(to, &mut routes, &mut refused);
            for r in routes.iter_mut().filter(|r| !r.eras.is_empty()) {
                r.assumed = unknown.clone();
            }
        } else {
            match (routes.first_mut(), refused.first_mut()) {
                (Some(first), _) => first.assumed = unknown,
                (None, Some(first)) => first.phones.extend(unknown),
                (None, None) => {}
            }
        }
        let mut keys: Vec<String> = Vec::new();
        for r in &mut routes {
            let base = format!(
                "{}-{}",
                r.plan.route,
                folder_safe(r.from.load_name().as_str())
            );
            let mut key = base.clone();
            let mut n = 2;
            while keys.contains(&key) {
                key = format!("{base}-{n}");
                n += 1;
            }
            keys.push(key.clone());
            r.key = key;
        }
        Fleet {
            to: to.clone(),
            routes,
            refused,
        }
    }
}

impl Planner {
    /// Plans the route from each era's representative start to `to`, as
    /// its own route (or refusal), unless a route from that start is there.
    fn add_open_starts(
        &self,
        to: &LoadSpec,
        routes: &mut Vec<FleetRoute>,
        refused: &mut Vec<RefusedStart>,
    ) {
        for (start, eras) in eras::open_starts(to) {
            let Ok(from) = LoadSpec::parse(start).map(|p| p.value) else {
                continue;
            };
            if let Some(r) = routes.iter_mut().find(|r| r.from == from) {
                r.eras.extend(eras);
                r.start = Some(start.to_string());
                continue;
            }
            match self.plan(&from, to) {
                Ok(plan) => routes.push(FleetRoute {
                    key: String::new(),
                    from,
                    plan,
                    phones: Vec::new(),
                    assumed: Vec::new(),
                    eras,
                    start: Some(start.to_string()),
                }),
                Err(refusal) => refused.push(RefusedStart {
                    from,
                    refusal,
                    phones: Vec::new(),
                    eras,
                    start: Some(start.to_string()),
                }),
            }
        }
    }
}

/// Letters, digits and `-` kept; anything else becomes `_`.
fn folder_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> LoadSpec {
        s.parse().unwrap()
    }

    fn mac(n: u8) -> Mac {
        Mac::new([0, 0x1e, 0x4a, 0, 0, n])
    }

    #[test]
    fn phones_are_grouped_by_start_and_refusals_stay_apart() {
        let to = spec("P0S3-8-12-00");
        let phones = [
            (mac(1), Some(spec("sccp 5.0(1.1)"))),
            (mac(2), Some(spec("P00308010200"))),
            (mac(3), Some(spec("P00308010200"))),
            (mac(4), Some(spec("P0S3-8-12-00"))),
        ];
        let fleet = Planner::default().plan_fleet(&spec("P00308010200"), &to, &phones);
        let keys: Vec<&str> = fleet.routes.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys[0].starts_with("R3-P0030801"), "{keys:?}");
        assert!(keys[1].starts_with("R2-P00305"), "{keys:?}");
        assert_eq!(fleet.routes[0].phones, [mac(2), mac(3)]);
        assert!(fleet.routes.iter().all(|r| r.eras.is_empty()));
        assert_eq!(fleet.routes[1].plan.stages.len(), 2);
        assert_eq!(fleet.refused.len(), 1);
        assert_eq!(fleet.refused[0].phones, [mac(4)]);
        assert!(fleet.refused[0].refusal.reason.contains("already there"));
        assert!(fleet.refusal_of(mac(4)).is_some());
        assert_eq!(fleet.stage_count(), 3);
    }

    /// Issue 23: a phone nobody described leaves every start open: a route
    /// from each era's representative start, each holding its files.
    #[test]
    fn an_unknown_phone_opens_a_route_per_era_and_rides_each() {
        let to = spec("P0S3-8-12-00");
        let phones = [
            (mac(1), Some(spec("sccp 5.0(1.1)"))),
            (mac(2), Some(spec("P00308010200"))),
            (mac(5), None),
        ];
        let fleet = Planner::default().plan_fleet(&spec("P00308010200"), &to, &phones);
        let keys: Vec<&str> = fleet.routes.iter().map(|r| r.key.as_str()).collect();
        // The session's two, then SCCP 2.x, SCCP 8.0(5), SIP 6.3, SIP 8.11;
        // SCCP 5.0(1.1) is the session's own route, which serves its eras.
        assert_eq!(keys.len(), 6, "{keys:?}");
        let r2 = fleet.route_of(mac(1)).unwrap();
        assert_eq!(
            r2.eras,
            [Era::SccpPreLoader, Era::SccpLoaderEra],
            "{keys:?}"
        );
        let r3 = fleet.route_of(mac(2)).unwrap();
        assert!(r3.eras.is_empty() && r3.assumed.is_empty());
        for r in fleet.routes.iter().filter(|r| !r.eras.is_empty()) {
            assert_eq!(r.assumed, [mac(5)], "{}", r.key);
            assert!(r.start.is_some());
        }
    }

    #[test]
    fn no_phones_is_the_default_route_alone() {
        let fleet =
            Planner::default().plan_fleet(&spec("P00308010200"), &spec("P0S3-8-12-00"), &[]);
        assert_eq!(fleet.routes.len(), 1);
        assert!(fleet.routes[0].phones.is_empty());
        assert!(fleet.refused.is_empty());
    }
}
