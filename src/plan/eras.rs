//! The eras a phone nobody described may be on, and the start each is
//! planned from (issue 23, docs/recognition.md §1 and §3). What a phone
//! sends decides its era in `phones::recognition`; here only which route
//! serves which eras, so `prepare` can write them before any phone boots.

use std::fmt;

use crate::load::{LoadSpec, Protocol};
use crate::msg::Msg;

/// The families and eras docs/recognition.md §1 tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Era {
    /// SCCP loads that read no XML (taken as before 3.x [U]).
    SccpText,
    /// XML-capable SCCP before the loader era (3.x–5.x, 6.x single-image).
    SccpPreLoader,
    /// SCCP of the loader era (7.x, 8.x, 6.x loader-layout).
    SccpLoaderEra,
    /// SIP up to 6.x.
    SipPreLoader,
    /// SIP 7.x on.
    SipLoaderEra,
    /// The universal loader waiting for its application.
    Loader,
}

impl Era {
    pub const ALL: [Era; 6] = [
        Era::SccpText,
        Era::SccpPreLoader,
        Era::SccpLoaderEra,
        Era::SipPreLoader,
        Era::SipLoaderEra,
        Era::Loader,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The protocol of the loads of this era (the loader counts as SIP's).
    pub fn family(self) -> Protocol {
        match self {
            Era::SccpText | Era::SccpPreLoader | Era::SccpLoaderEra => Protocol::Sccp,
            _ => Protocol::Sip,
        }
    }

    /// The short id the JSON and the ladder file carry.
    pub fn id(self) -> &'static str {
        match self {
            Era::SccpText => "sccp-text",
            Era::SccpPreLoader => "sccp-pre-loader",
            Era::SccpLoaderEra => "sccp-loader-era",
            Era::SipPreLoader => "sip-pre-loader",
            Era::SipLoaderEra => "sip-loader-era",
            Era::Loader => "universal-loader",
        }
    }

    pub fn from_id(id: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|e| e.id() == id)
    }

    /// In words, for the log and the question.
    pub fn describe(self) -> Msg {
        match self {
            Era::SccpText => crate::msg!(
                "recognition.era.sccp_text",
                "SCCP that reads no XML (before 3.x)"
            ),
            Era::SccpPreLoader => crate::msg!(
                "recognition.era.sccp_pre_loader",
                "SCCP before the loader era (3.x to 6.x)"
            ),
            Era::SccpLoaderEra => crate::msg!(
                "recognition.era.sccp_loader_era",
                "SCCP of the loader era (6.x to 8.x)"
            ),
            Era::SipPreLoader => crate::msg!(
                "recognition.era.sip_pre_loader",
                "SIP before the loader era (up to 6.x)"
            ),
            Era::SipLoaderEra => crate::msg!(
                "recognition.era.sip_loader_era",
                "SIP of the loader era (7.x on)"
            ),
            Era::Loader => crate::msg!(
                "recognition.era.loader",
                "the universal loader, waiting for its application"
            ),
        }
    }
}

impl serde::Serialize for Era {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A set of eras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Eras(u8);

impl Eras {
    pub const EVERY: Eras = Eras(0b11_1111);

    pub fn of(eras: &[Era]) -> Eras {
        Eras(eras.iter().fold(0, |a, e| a | e.bit()))
    }

    pub fn has(self, e: Era) -> bool {
        self.0 & e.bit() != 0
    }

    pub fn and(self, o: Eras) -> Eras {
        Eras(self.0 & o.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn list(self) -> Vec<Era> {
        Era::ALL.into_iter().filter(|e| self.has(*e)).collect()
    }

    /// Whether every era in the set is also in `o`.
    pub fn within(self, o: Eras) -> bool {
        self.0 & !o.0 == 0
    }
}

/// The representative start whose route serves every era in `left`
/// (docs/recognition.md §3), or `None` when no one route does.
pub fn start_for(left: Eras, target: &LoadSpec) -> Option<&'static str> {
    use Era::*;
    let sip_target = target.protocol() == Protocol::Sip;
    let pick = |choices: &[&'static str]| {
        choices
            .iter()
            .copied()
            .find(|c| !same_load(c, target))
            .or(choices.first().copied())
    };
    if left.within(Eras::of(&[SccpText])) {
        return pick(&["sccp 2.x"]);
    }
    if left.within(Eras::of(&[SccpLoaderEra])) {
        return pick(&["sccp 8.0(5)", "sccp 8.1(2)"]);
    }
    if left.within(Eras::of(&[SccpPreLoader, SccpLoaderEra])) {
        return pick(&["sccp 5.0(1.1)", "sccp 5.0(1)"]);
    }
    if left.within(Eras::of(&[SipPreLoader])) {
        return if sip_target {
            pick(&["sip 6.3", "sip 6.0"])
        } else {
            pick(&["sip 4.4", "sip 4.3"])
        };
    }
    if left.within(Eras::of(&[SipLoaderEra])) {
        return pick(&["sip 8.11", "sip 7.4"]);
    }
    None
}

/// Every representative start a session with open starts plans from, each
/// with the eras it serves.
pub fn open_starts(target: &LoadSpec) -> Vec<(&'static str, Vec<Era>)> {
    use Era::*;
    let mut out: Vec<(&'static str, Vec<Era>)> = Vec::new();
    for eras in [
        &[SccpText][..],
        &[SccpPreLoader, SccpLoaderEra],
        &[SccpLoaderEra],
        &[SipPreLoader],
        &[SipLoaderEra],
    ] {
        let Some(start) = start_for(Eras::of(eras), target) else {
            continue;
        };
        match out.iter_mut().find(|(s, _)| *s == start) {
            Some((_, e)) => e.extend_from_slice(eras),
            None => out.push((start, eras.to_vec())),
        }
    }
    out
}

fn same_load(spec: &str, target: &LoadSpec) -> bool {
    LoadSpec::parse(spec).is_ok_and(|s| {
        s.value.protocol() == target.protocol()
            && s.value.version().is_some()
            && s.value.version() == target.version()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_open_start_plans_a_route_to_both_targets() {
        for to in ["sip 8.12", "sccp 8.1(2)"] {
            let starts = open_starts(&to.parse().unwrap());
            assert_eq!(starts.len(), 5, "{to}: {starts:?}");
            for (s, _) in &starts {
                assert!(LoadSpec::parse(s).is_ok(), "{s}");
            }
        }
    }
}
