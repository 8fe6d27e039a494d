//! A phone's state now against its history: a problem that a later
//! success resolved (a file not found, answered later from the phone's own
//! stage; a transfer that stopped, completed later; a phone stuck, that
//! later finished its stage) leaves the phone's problems for its history,
//! so a finished phone does not stay red and the stop summary does not
//! hint at what is no longer wrong (issue 21).

use serde::{Serialize, Serializer};

use super::{FileFailure, MAX_LISTED, PhoneJourney};
use crate::msg;
use crate::msg::Msg;
use crate::phones::hint::Hint;
use crate::tftp::names::bare_name;

/// A problem a phone had, as it was reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Hint(Hint),
    Failure(FileFailure),
}

impl Problem {
    pub fn message(&self) -> Msg {
        match self {
            Problem::Hint(h) => h.message(),
            Problem::Failure(f) => msg!(
                "journey.problem.failed",
                "{file}: {reason}",
                file = f.file,
                reason = f.reason,
            ),
        }
    }
}

/// What resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The phone fetched the file in full later.
    FetchedLater { file: String },
    /// The phone finished the stage it was stuck on.
    StageDone { stage: usize },
}

impl Resolution {
    pub fn message(&self) -> Msg {
        match self {
            Resolution::FetchedLater { file } => msg!(
                "journey.resolved.fetched_later",
                "{file} was fetched in full later",
                file = file,
            ),
            Resolution::StageDone { stage } => msg!(
                "journey.resolved.stage_done",
                "stage {stage} was done later",
                stage = stage,
            ),
        }
    }
}

/// One problem of the past, and what resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub problem: Problem,
    pub by: Resolution,
}

impl Resolved {
    /// "earlier: … (… later)", in the user's language.
    pub fn message(&self) -> Msg {
        msg!(
            "journey.resolved",
            "earlier: {problem} (resolved: {by})",
            problem => self.problem.message(),
            by => self.by.message(),
        )
    }
}

/// As its English sentence, as the `--json` summary carries hints.
impl Serialize for Resolved {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.message())
    }
}

/// Whether a hint is about the file `name` (as a phone asked for it).
fn hint_about(h: &Hint, name: &str) -> bool {
    let same = |f: &str| bare_name(f).eq_ignore_ascii_case(name);
    match h {
        Hint::SipConfigMissing { file }
        | Hint::DeviceConfigMissing { file }
        | Hint::NotProvided { file }
        | Hint::TransferStopped { file, .. } => same(file),
        Hint::OtherImage { asked_for, .. } | Hint::ImageMissing { asked_for } => same(asked_for),
        // Who the phone is, a refusal by policy, a stuck climb (resolved
        // by its stage): not resolved by one file.
        Hint::UnknownPhone { .. } | Hint::Refused { .. } | Hint::Stuck { .. } => false,
    }
}

impl PhoneJourney {
    /// Keeps a resolved problem, the oldest dropped past [`MAX_LISTED`].
    pub(super) fn remember(&mut self, problem: Problem, by: Resolution) {
        if self.history.len() >= MAX_LISTED {
            self.history.remove(0);
            self.history_more += 1;
        }
        self.history.push(Resolved { problem, by });
    }

    /// The phone fetched `name` in full: its earlier failures, the hints
    /// about it and its "not found" leave its problems for its history.
    pub(super) fn resolve_fetched(&mut self, name: &str) {
        let by = || Resolution::FetchedLater {
            file: name.to_string(),
        };
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.failed)
            .into_iter()
            .partition(|f| bare_name(&f.file).eq_ignore_ascii_case(name));
        self.failed = kept;
        for f in gone {
            self.remember(Problem::Failure(f), by());
        }
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.hints)
            .into_iter()
            .partition(|h| hint_about(h, name));
        self.hints = kept;
        for h in gone {
            self.remember(Problem::Hint(h), by());
        }
        self.not_found
            .retain(|f| !bare_name(f).eq_ignore_ascii_case(name));
    }

    /// The phone finished `stage`: being stuck on it is history.
    pub(super) fn resolve_stuck(&mut self, stage: usize) {
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.hints)
            .into_iter()
            .partition(|h| matches!(h, Hint::Stuck { .. }));
        self.hints = kept;
        for h in gone {
            self.remember(Problem::Hint(h), Resolution::StageDone { stage });
        }
    }
}
