//! One phone's climb up its route: the stage it is on, the stages it has
//! done, and how its current stage goes (image files fetched, attempts at
//! each, whether it is stuck and why).

use crate::msg;
use crate::msg::Msg;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::phones::expectations::StageExpectations;

/// A stage a phone finished, as `stage_done` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDone {
    /// 1-based.
    pub stage: usize,
    /// The load the stage installed.
    pub load: String,
}

/// Where one phone is on its route.
#[derive(Debug, Clone)]
pub(super) struct Climb {
    /// Index into the ladder's routes.
    pub route: usize,
    /// 0-based index of the stage it is answered from.
    pub stage: usize,
    pub done: Vec<StageDone>,
    /// The last stage is done too: it stays answered from that stage.
    pub completed: bool,
    pub progress: Progress,
    /// The file it is stuck on, and why, once it is.
    pub stuck: Option<(String, Msg)>,
}

impl Climb {
    pub fn new(route: usize) -> Self {
        Climb {
            route,
            stage: 0,
            done: Vec::new(),
            completed: false,
            progress: Progress::default(),
            stuck: None,
        }
    }
}

/// How a transfer of an image file ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ending {
    Done,
    Failed(String),
    NotFound,
    Refused(Msg),
}

/// The current stage of one phone (or of an address not placed yet).
#[derive(Debug, Clone, Default)]
pub(super) struct Progress {
    /// Image payloads fetched completely, lower case.
    payload_done: BTreeSet<String>,
    /// Some image file of the stage was asked for.
    pub started: bool,
    /// The stage's whole image is fetched: the phone is flashing, and its
    /// next boot request moves it to its next stage.
    pub fetched: bool,
    /// Ended attempts at each image file, by lower-case name.
    attempts: BTreeMap<String, (u32, Ending)>,
}

/// Attempts at one image file that make a phone stuck (issue 10).
pub(super) const STUCK_AFTER: u32 = 3;

impl Progress {
    /// A payload file was fetched completely. True when that completes
    /// the stage's image ([`StageExpectations::image_complete`]); when the
    /// stage lists no image file of its target, any complete payload does.
    pub fn payload_done(&mut self, file: &str, stage: &StageExpectations) -> bool {
        self.record(file);
        self.judge(stage)
    }

    /// A payload file fetched completely by an address not placed yet:
    /// judged once it is known which phone, and so which stage, it is.
    pub fn record(&mut self, file: &str) {
        self.payload_done.insert(file.to_ascii_lowercase());
    }

    /// Whether the payloads fetched make `stage`'s image; true when that
    /// is new.
    pub fn judge(&mut self, stage: &StageExpectations) -> bool {
        let complete = !self.payload_done.is_empty()
            && stage.image_complete(&self.payload_done).unwrap_or(true);
        let newly = complete && !self.fetched;
        self.fetched |= complete;
        newly
    }

    /// One attempt at an image file ended; how many have, with how the
    /// last one ended.
    pub fn ended(&mut self, file: &str, ending: Ending) -> u32 {
        let entry = self
            .attempts
            .entry(file.to_ascii_lowercase())
            .or_insert((0, Ending::Done));
        entry.0 += 1;
        entry.1 = ending;
        entry.0
    }

    /// Attempts at `file` are counted from zero again.
    pub fn forget_attempts(&mut self, file: &str) {
        self.attempts.remove(&file.to_ascii_lowercase());
    }

    /// What an address did before it was known to be this phone.
    pub fn merge(&mut self, other: Progress) {
        self.payload_done.extend(other.payload_done);
        self.started |= other.started;
        self.fetched |= other.fetched;
        for (file, (n, last)) in other.attempts {
            let e = self.attempts.entry(file).or_insert((0, Ending::Done));
            e.0 += n;
            e.1 = last;
        }
    }
}

/// Whether a stuck reason says the phone fetched the image completely
/// and asks for it again (a complete fetch then is no way out).
pub fn rejects_the_image(reason: &Msg) -> bool {
    reason.id == REJECTED
}

const REJECTED: &str = "stuck.rejected";

/// The likely cause when a phone asked for the same image file
/// [`STUCK_AFTER`] times without finishing its stage (docs/field-facts.md §3).
pub(super) fn likely_cause(file: &str, attempts: u32, last: &Ending, folder: &str) -> Msg {
    match last {
        Ending::NotFound => msg!(
            "stuck.not_found",
            "asked {attempts} times for {file}, which its stage folder {folder} does not have: the phone keeps its old image (and a loader without its application shows \"Protocol Application Invalid\"). Check the firmware package holds that load and run `convert79xx prepare` again; if the name is not this route's image, the phone runs another load than the session says: set its `from`.",
            attempts = attempts,
            file = file,
            folder = folder,
        ),
        Ending::Refused(why) => msg!(
            "stuck.refused",
            "asked {attempts} times for {file}, and it was refused ({why}): the phone keeps its old image.",
            attempts = attempts,
            file = file,
            why => why.clone(),
        ),
        Ending::Failed(why) => msg!(
            "stuck.failed",
            "the transfer of {file} failed {attempts} times ({why}): check the cable and that no other TFTP or DHCP server answers on this network. An old SCCP phone going straight to SIP 3.x/4.x fails like this (\"State Error\"): take the safe route via SIP 2.3 (R1a).",
            file = file,
            attempts = attempts,
            why = why,
        ),
        Ending::Done => msg!(
            "stuck.rejected",
            "fetched {file} completely {attempts} times and asks for it again: the phone rejects the image. \"Image Authentication Failed\" means a corrupt or hand-copied image, or a signed image going below 5.0; \"Protocol Application Invalid\" means the loader cannot load the application (an XML config without callManagerGroup, or a file of the package missing).",
            file = file,
            attempts = attempts,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_is_fetched_with_its_application() {
        let stage = StageExpectations {
            target_image: Some("P0S3-8-12-00".into()),
            files: vec![
                "P0S3-8-12-00.loads".into(),
                "P0S3-8-12-00.sb2".into(),
                "P003-8-12-00.sbn".into(),
            ],
            ..Default::default()
        };
        let mut p = Progress::default();
        // The loader alone is not the application.
        assert!(!p.payload_done("P003-8-12-00.sbn", &stage));
        assert!(!p.fetched);
        assert!(p.payload_done("P0S3-8-12-00.SB2", &stage));
        assert!(p.fetched);
        assert!(!p.payload_done("P0S3-8-12-00.sb2", &stage), "said once");
        // A stage installing a single image: either of its files.
        let single = StageExpectations {
            target_image: Some("P003-8-12-00".into()),
            files: vec!["P003-8-12-00.bin".into(), "P003-8-12-00.sbn".into()],
            ..Default::default()
        };
        let mut q = Progress::default();
        q.record("P0S3-8-12-00.sb2");
        assert!(!q.judge(&single), "another load's file does not count");
        assert!(q.payload_done("P003-8-12-00.sbn", &single));
        assert_eq!(p.ended("X.sbn", Ending::NotFound), 1);
        let mut other = Progress::default();
        other.ended("x.SBN", Ending::Failed("timeout".into()));
        p.merge(other);
        assert_eq!(p.ended("X.sbn", Ending::NotFound), 3);
    }
}
