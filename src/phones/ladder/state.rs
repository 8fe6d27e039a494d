//! Where each phone is on its route, kept in the root so a `serve` started
//! again mid-ladder resumes: no phone goes back a stage. Written atomically
//! whenever a phone finishes a stage or has fetched a stage's image (a
//! phone flashing while the server restarts still moves on when it comes
//! back), and when a phone's MAC is bound to an address, so a forger
//! cannot take it over at a restart. The name is hidden: no TFTP server
//! serves it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::climb::StageDone;
use crate::fsutil::write_atomic;
use crate::model::Mac;
use crate::phones::identity::SavedBinding;

/// The state file's name in the root.
pub const STATE_NAME: &str = ".convert79xx-ladder-state.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SavedState {
    pub phones: Vec<SavedClimb>,
    /// Which address each phone's MAC is bound to (issue 20); a state
    /// written before bindings were kept has none.
    #[serde(default)]
    pub bindings: Vec<SavedBinding>,
}

/// One phone's place, by its route's key (a route that is gone is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SavedClimb {
    pub mac: Mac,
    pub route: String,
    /// 1-based stage it is answered from.
    pub stage: usize,
    pub done: Vec<StageDone>,
    pub completed: bool,
    /// It fetched that stage's image and was flashing.
    pub fetched: bool,
}

impl SavedState {
    /// The state a root holds; none yet, or unreadable, is a fresh start
    /// (the warning says which).
    pub fn read(root: &Path) -> (SavedState, Option<crate::msg::Msg>) {
        let path = root.join(STATE_NAME);
        match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (SavedState::default(), None),
            Err(e) => (
                SavedState::default(),
                Some(crate::msg!(
                    "serve.warning.state_unreadable",
                    "cannot read {path} ({error}): every phone starts at stage 1 of its route",
                    path = path.display(),
                    error = e,
                )),
            ),
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(s) => (s, None),
                Err(e) => (
                    SavedState::default(),
                    Some(crate::msg!(
                        "serve.warning.not_a_state",
                        "{path} is not a state convert79xx wrote ({error}): every phone starts at stage 1 of its route",
                        path = path.display(),
                        error = e,
                    )),
                ),
            },
        }
    }

    pub fn write(&self, root: &Path) -> Result<(), String> {
        let path = root.join(STATE_NAME);
        let json = serde_json::to_vec_pretty(self).expect("a state always serializes");
        write_atomic(&path, &json).map_err(|e| {
            format!(
                "cannot save where the phones are in {} ({e}): a restart of serve would start them at stage 1 again",
                path.display()
            )
        })
    }
}
