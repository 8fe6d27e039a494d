//! The stage ladder on disk: one folder per (route, stage) of a mixed
//! fleet, each written by the same [`super::StageWriter`] (atomic, backed
//! up, with its own manifest), and one small file that says which phones
//! take which route and where each stage's folder is. `serve` reads it to
//! answer every phone from the files of its own current stage (issue 10);
//! the root's top level keeps the uniform stage-1 files for other servers.
//!
//! ```text
//! root/
//!   .convert79xx-ladder.json          which phones on which route, the folders
//!   OS79XX.TXT, …                     stage 1 of the route most phones take
//!   stages/R2-P00305000101/1/…        a stage folder (its own manifest, backups)
//!   stages/R2-P00305000101/2/…
//!   stages/R3-P00308010200/1/…
//! ```
//!
//! The ladder file's name is hidden, so no TFTP server serves it.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{Job, Manifest, StageError, StagePreview};
use crate::clock;
use crate::fsutil::write_atomic;
use crate::model::Mac;
use crate::msg::Msg;

/// The ladder's file name in the root.
pub const LADDER_NAME: &str = ".convert79xx-ladder.json";

/// The folder under the root that holds the stage folders.
pub const STAGES_DIR: &str = "stages";

/// Which phones take which route, and where each stage's files are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderManifest {
    /// The load every route ends on.
    pub target: String,
    /// The route most phones take first (its stage 1 is also at the top).
    pub routes: Vec<LadderRoute>,
    pub refused: Vec<LadderRefused>,
    /// Session phones whose start is unknown: recognised while serving,
    /// not placed on a route before (issue 23).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<Mac>,
    pub written_at: String,
}

/// One route of the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderRoute {
    /// Unique, and the folder its stages live in (`R2-P00305000101`).
    pub key: String,
    /// The route's id (`R2`).
    pub route: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: String,
    pub stages: Vec<LadderStage>,
    /// The phones that start on this route.
    pub phones: Vec<Mac>,
    /// Phones whose start is unknown, put on this route (or, with `eras`,
    /// whose files it holds in case they are recognised onto it).
    #[serde(default)]
    pub assumed: Vec<Mac>,
    /// The eras (`recognition::Era` ids) a phone recognised while serving
    /// takes this route from (issue 23); empty: a route the session asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<String>,
    /// The representative start it was planned from for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

impl LadderRoute {
    pub fn has(&self, mac: Mac) -> bool {
        self.phones.contains(&mac) || self.assumed.contains(&mac)
    }
}

/// One stage of a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderStage {
    /// Relative to the root, `/`-separated.
    pub folder: String,
    /// The load the stage installs.
    pub target: String,
    /// False for a stage that only rewrites configuration.
    pub installs_image: bool,
}

/// Phones whose route is refused: answered with the reason, never with
/// another route's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderRefused {
    pub from: String,
    pub reason: String,
    pub phones: Vec<Mac>,
    /// Eras whose representative start this is (issue 23).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<String>,
}

impl LadderManifest {
    /// The ladder a root holds, if `prepare` wrote one. `Err` when one is
    /// there and cannot be read (the message says so and what to do).
    pub fn read(root: &Path) -> Result<Option<LadderManifest>, Msg> {
        let path = root.join(LADDER_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(crate::msg!(
                    "serve.ladder.unreadable",
                    "cannot read {path}: {error}",
                    path = path.display(),
                    error = e,
                ));
            }
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            crate::msg!(
                "serve.ladder.not_a_ladder",
                "{path} is not a ladder convert79xx wrote ({error}): run `convert79xx prepare` again",
                path = path.display(),
                error = e,
            )
        })
    }

    /// Every phone on a route or refused.
    pub fn phones(&self) -> impl Iterator<Item = Mac> + '_ {
        self.routes
            .iter()
            .flat_map(|r| r.phones.iter().chain(&r.assumed))
            .chain(self.refused.iter().flat_map(|r| &r.phones))
            .copied()
    }
}

/// One stage folder of the ladder, as previewed or written.
#[derive(Debug, Clone)]
pub struct LadderFolder<T> {
    /// Index into the fleet's routes.
    pub route: usize,
    /// The route's key (`R2-P00305000101`).
    pub key: String,
    /// 1-based.
    pub stage: usize,
    /// Relative to the root.
    pub folder: String,
    /// The phones whose files it holds.
    pub phones: Vec<Mac>,
    pub result: T,
}

impl Job {
    /// Whether phones need different files at the same time: several
    /// routes, a route of several stages, or phones held back by a refused
    /// route. Only then is a ladder written; one stage for every phone is
    /// served from the top level as any server would.
    pub fn needs_ladder(&self) -> bool {
        self.fleet.stage_count() > 1 || !self.fleet.refused.is_empty()
    }

    /// The stage folders of every route, relative to the root, in order.
    fn ladder_folders(&self) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for (r, route) in self.fleet.routes.iter().enumerate() {
            for n in 1..=route.plan.stages.len() {
                out.push((r, n, format!("{STAGES_DIR}/{}/{n}", route.key)));
            }
        }
        out
    }

    /// What writing every stage folder under `root` would do, touching
    /// nothing (the wizard's mixed-fleet preview).
    pub fn preview_ladder(
        &self,
        root: &Path,
    ) -> Result<Vec<LadderFolder<StagePreview>>, StageError> {
        self.ladder_folders()
            .into_iter()
            .map(|(r, n, folder)| {
                let preview = self.route_stage(r, n)?.preview(&root.join(&folder))?;
                Ok(self.folder(r, n, folder, preview))
            })
            .collect()
    }

    /// Writes every stage folder, then the ladder file. Every folder is
    /// previewed first, so bad input leaves the root as it was. Each folder
    /// is committed as a whole (ARCHITECTURE.md, "Stage commit"); `stop`
    /// ends the run between folders and before a folder's commit.
    pub fn write_ladder(
        &self,
        root: &Path,
        stop: &AtomicBool,
    ) -> Result<Vec<LadderFolder<Manifest>>, StageError> {
        self.preview_ladder(root)?;
        let mut written = Vec::new();
        for (r, n, folder) in self.ladder_folders() {
            let manifest = self
                .route_stage(r, n)?
                .apply_until(&root.join(&folder), stop)?;
            written.push(self.folder(r, n, folder, manifest));
        }
        let ladder = self.ladder_manifest(&written, SystemTime::now());
        let path = root.join(LADDER_NAME);
        let json = serde_json::to_vec_pretty(&ladder).expect("a ladder always serializes");
        write_atomic(&path, &json).map_err(|source| StageError::Io { path, source })?;
        Ok(written)
    }

    fn folder<T>(&self, route: usize, stage: usize, folder: String, result: T) -> LadderFolder<T> {
        let r = &self.fleet.routes[route];
        LadderFolder {
            route,
            key: r.key.clone(),
            stage,
            folder,
            phones: r.all_phones().collect(),
            result,
        }
    }

    fn ladder_manifest(
        &self,
        written: &[LadderFolder<Manifest>],
        now: SystemTime,
    ) -> LadderManifest {
        LadderManifest {
            target: self.checked.to.to_string(),
            routes: self
                .fleet
                .routes
                .iter()
                .enumerate()
                .map(|(i, r)| LadderRoute {
                    key: r.key.clone(),
                    route: r.plan.route.to_string(),
                    title: r.title().to_string(),
                    stages: written
                        .iter()
                        .filter(|f| f.route == i)
                        .map(|f| LadderStage {
                            folder: f.folder.clone(),
                            target: f.result.target.clone(),
                            installs_image: r.plan.stages[f.stage - 1].installs_image,
                        })
                        .collect(),
                    phones: r.phones.clone(),
                    assumed: r.assumed.clone(),
                    eras: r.eras.iter().map(|e| e.id().to_string()).collect(),
                    start: r.start.clone(),
                })
                .collect(),
            refused: self
                .fleet
                .refused
                .iter()
                .map(|r| LadderRefused {
                    from: r.from.to_string(),
                    reason: r.refusal.to_string(),
                    phones: r.phones.clone(),
                    eras: r.eras.iter().map(|e| e.id().to_string()).collect(),
                })
                .collect(),
            unknown: if self.fleet.routes.iter().any(|r| !r.eras.is_empty()) {
                self.checked
                    .phones
                    .iter()
                    .filter(|p| matches!(p.from, crate::session::StartLoad::Unknown))
                    .map(|p| p.mac)
                    .collect()
            } else {
                Vec::new()
            },
            written_at: clock::iso(now),
        }
    }
}

/// Takes the ladder out of a root (`prepare --stage N`: every phone is
/// then answered from the top level, as another server would). Returns
/// whether there was one. Only our own bookkeeping file is removed; the
/// stage folders stay.
pub fn remove_ladder(root: &Path) -> Result<bool, StageError> {
    let path: PathBuf = root.join(LADDER_NAME);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StageError::Io { path, source }),
    }
}
