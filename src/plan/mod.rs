//! The routes of docs/routes.md as data. A [`Plan`] is an ordered list of
//! [`Stage`]s; each says which load it installs, which files the TFTP root
//! needs, what the user does, and where the product departs from the Cisco
//! tech note. Nothing here touches the disk: `stage` writes what a plan says.

use std::fmt;

use serde::Serialize;

use crate::load::{Layout, LoadName, LoadSpec};
use crate::model::PhoneModel;
use crate::msg;
use crate::msg::Msg;

pub use fleet::{Fleet, FleetRoute, RefusedStart};

mod builder;
pub mod eras;
mod files;
mod fleet;
mod reader;
mod routes;
mod text;

/// The routes of docs/routes.md §2 (F, the signed downgrade, is a [`Refusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RouteId {
    R1,
    R1a,
    R2,
    R3,
    R4,
    R4a,
    R4b,
    R5,
    R6,
    R7,
    R8,
    #[serde(rename = "CM")]
    Cm,
}

impl fmt::Display for RouteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            RouteId::R1 => "R1",
            RouteId::R1a => "R1a",
            RouteId::R2 => "R2",
            RouteId::R3 => "R3",
            RouteId::R4 => "R4",
            RouteId::R4a => "R4a",
            RouteId::R4b => "R4b",
            RouteId::R5 => "R5",
            RouteId::R6 => "R6",
            RouteId::R7 => "R7",
            RouteId::R8 => "R8",
            RouteId::Cm => "CM",
        };
        f.write_str(s)
    }
}

/// Choices the planner cannot make alone.
#[derive(Debug, Clone)]
pub struct Planner {
    /// Take R1a (via SIP 2.3) for old SCCP → SIP 3.x/4.x, the tech note's
    /// cure for "State Error".
    pub safe_route: bool,
    /// The phones are on CUCM 5.x/6.x: a checklist replaces files (route CM).
    pub cucm: bool,
    /// R4b: serve the SCCP image under a short 8.3 alias (true) or upgrade
    /// SIP to 2.3 first (false).
    pub alias_for_8_3: bool,
    /// Default phone model, for the model facts in notes.
    pub model: Option<PhoneModel>,
    /// Loads the user's packages hold: intermediate and family targets take
    /// their real names from here instead of a synthesised one.
    pub available: Vec<LoadName>,
    /// The layout of the user's packages where the version does not decide
    /// it (SCCP 6.x, docs/load-names.md §5).
    pub layouts: Vec<(LoadName, Layout)>,
}

impl Default for Planner {
    fn default() -> Self {
        Planner {
            safe_route: false,
            cucm: false,
            alias_for_8_3: true,
            model: None,
            available: Vec::new(),
            layouts: Vec::new(),
        }
    }
}

impl Planner {
    /// The route from what the phone runs to what it should run, or why
    /// there is none.
    pub fn plan(&self, from: &LoadSpec, to: &LoadSpec) -> Result<Plan, Refusal> {
        routes::plan(self, from, to)
    }
}

/// A route worked out into stages.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub route: RouteId,
    /// Other rules the route applies on top (e.g. R4b on an R5 route).
    pub via: Vec<RouteId>,
    pub from: LoadSpec,
    pub to: LoadSpec,
    pub model: Option<PhoneModel>,
    pub stages: Vec<Stage>,
    pub notes: Vec<Note>,
    pub alternatives: Vec<Alternative>,
}

/// One boot cycle (or one administrative step): the phone starts on
/// `running`, reads this stage's files and ends on `target`.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// Short human summary, e.g. "SCCP 8.1(2) → SIP 8.12".
    pub title: Msg,
    /// The load this stage installs (a synthesised name when only a family
    /// is known; see `need`).
    pub target: LoadName,
    /// Which loads a firmware package may supply for this stage.
    pub need: LoadSpec,
    /// What the phone runs when the stage starts; it reads the configs.
    pub running: LoadSpec,
    /// False for a stage that only rewrites configuration (after a minimal
    /// SIPDefault.cnf) or only lists steps (CM).
    pub installs_image: bool,
    pub files: Vec<PlannedFile>,
    pub actions: Vec<Action>,
    pub notes: Vec<Note>,
    /// Stale files to move aside before the phone boots.
    pub remove: Vec<Removal>,
}

impl Stage {
    /// The file whose load name the running load obeys: the one that moves
    /// the phone on to `target` (docs/field-facts.md §7.1–7.5). `None` for
    /// a stage that writes no file (the CUCM checklist).
    pub fn moved_by(&self) -> Option<&str> {
        reader::moved_by(self)
    }

    /// Whether this stage cannot be undone: it installs a signed image on a
    /// phone that runs an unsigned one, which then refuses every unsigned
    /// image (docs/load-names.md).
    pub fn irreversible(&self) -> bool {
        self.installs_image && self.target.is_signed() && !self.running.is_signed()
    }
}

/// A file the TFTP root needs for a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    /// Exact case. Per-phone files are templates (`SIP<MAC>.cnf`,
    /// `SEP<MAC>.cnf.xml`); `*` stands for every file of the package.
    pub name: String,
    pub kind: FileKind,
    pub why: Msg,
    /// The load name this file names (OS79XX.TXT, `image_version`,
    /// `loadInformation`); all of a stage's files name the same load.
    pub image: Option<String>,
    /// Written only when its source exists (ring tones, gkdefault.txt).
    pub optional: bool,
}

/// What a planned file is, so the stage writer knows which writer to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FileKind {
    Os79xxTxt,
    /// `minimal`: `image_version` only (SIP 2.x "W210 TFTP buffer full", or
    /// a phone about to leave SIP).
    SipDefault {
        minimal: bool,
    },
    SipPerPhone,
    XmlDefault,
    SepPerPhone,
    Dialplan,
    RingList,
    GkDefault,
    /// Copied byte for byte from the firmware package.
    FromPackage,
    /// A package file served under a short 8.3 name (R4b).
    Alias {
        of: String,
    },
}

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    Phone,
    Network,
    Cucm,
    Computer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub who: Where,
    pub text: Msg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Where the product does something other than the tech note, and why.
    DepartsFromTechNote,
    Warning,
    Info,
    /// The route rests on an inferred or unconfirmed fact (docs/field-facts.md
    /// marks [I], [U]); the note names the symptom that would show it wrong.
    Assumption,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub text: Msg,
}

impl Note {
    pub fn info(text: Msg) -> Self {
        Note {
            kind: NoteKind::Info,
            text,
        }
    }
    pub fn warning(text: Msg) -> Self {
        Note {
            kind: NoteKind::Warning,
            text,
        }
    }
    pub fn assumption(text: Msg) -> Self {
        Note {
            kind: NoteKind::Assumption,
            text,
        }
    }
    pub fn departs(text: Msg) -> Self {
        Note {
            kind: NoteKind::DepartsFromTechNote,
            text,
        }
    }
}

/// Kinds of files that would contradict a stage: moved into a backup folder
/// (never deleted) when they name another image or belong to the protocol
/// the phone is leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoveKind {
    /// SIPDefault.cnf, SIP<MAC>.cnf
    SipConfigs,
    /// XMLDefault.cnf.xml, SEP<MAC>.cnf.xml
    SccpXml,
    /// SEPDefault.cnf, read by very old SCCP loads
    SepDefault,
    /// Image files (.bin/.sbn/.loads/.sb2) of other loads
    OtherImages,
}

impl RemoveKind {
    /// The files of this kind, as a person reads them.
    pub fn files(self) -> Msg {
        match self {
            RemoveKind::SipConfigs => Msg::verbatim("SIPDefault.cnf, SIP<MAC>.cnf"),
            RemoveKind::SccpXml => Msg::verbatim("XMLDefault.cnf.xml, SEP<MAC>.cnf.xml"),
            RemoveKind::SepDefault => Msg::verbatim("SEPDefault.cnf"),
            RemoveKind::OtherImages => {
                msg!("plan.remove.other_images", "image files of other loads")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub kind: RemoveKind,
    pub why: Msg,
}

/// Another way to the same target, and how to ask for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    pub route: RouteId,
    pub summary: Msg,
    /// The CLI option that selects it.
    pub how: Msg,
}

/// Why there is no plan, and what the user can do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Refusal {
    pub reason: Msg,
    pub hint: Option<Msg>,
}

impl Refusal {
    /// The reason and, on a line of its own, what to do instead, in `lang`.
    pub fn render(&self, lang: msg::Lang) -> String {
        match &self.hint {
            Some(h) => format!("{}\n{}", self.reason.render(lang), h.render(lang)),
            None => self.reason.render(lang),
        }
    }

    /// The reason and, on a line of its own, what to do instead.
    pub fn msg(&self) -> Msg {
        match &self.hint {
            Some(h) => crate::msg!(
                "plan.refusal.with_hint",
                "{reason}\n{hint}",
                reason => self.reason.clone(),
                hint => h.clone(),
            ),
            None => self.reason.clone(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Some(h) = &self.hint {
            write!(f, "\n{h}")?;
        }
        Ok(())
    }
}
