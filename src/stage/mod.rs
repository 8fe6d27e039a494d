//! Writing one stage of a plan into a TFTP root.
//!
//! [`StageWriter`] turns a checked session, a plan and the firmware
//! packages into the files a stage needs ([`StageWriter::planned`], in
//! `render`), compares them with what the root already holds
//! ([`StageWriter::preview`], in `preview`) and writes them
//! ([`StageWriter::apply`], in `apply`). The rules (docs/routes.md §1, docs/files.md §0):
//!
//! - every file that names an image names the same one (the loader's name
//!   in OS79XX.TXT where the package itself does so);
//! - files that would contradict the stage (another image, stale
//!   SEPDefault.cnf, the configs of the protocol being left, different
//!   content under a name we write) are moved into `backup-YYYYMMDD-HHMMSS/`
//!   under the root, never deleted; identical files are left alone;
//! - everything is computed and checked before the root is touched, so bad
//!   input leaves it as it was; writes are atomic; package files are
//!   unpacked byte for byte, CRC-checked, with exact case;
//! - a stage is committed as a whole (`commit`): written into a staging
//!   folder, then moved into place under a journal, so an interruption
//!   leaves the old stage or the new one, and the next run finishes or
//!   rolls back; only regular files in the root are read or replaced;
//! - a manifest (`convert79xx-manifest.json`) records what was written,
//!   moved and why, and which files the phones will fetch. Every name of
//!   our own bookkeeping is in `names`.

use crate::msg;
use crate::msg::Msg;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::config::{self, ConfigError};
use crate::firmware::{PackageError, PackageSet};
use crate::plan::{Plan, Stage};
use crate::session::Checked;

mod apply;
mod commit;
mod job;
mod ladder;
mod names;
mod preview;
mod render;
pub mod scan;

pub use commit::{Recovery, recover};

/// The id of the note a stage makes when its XML files name this
/// computer's own address (no CallManager/CME address in the session):
/// such files depend on the address it serves on.
pub const PROCESS_NODE_NOTE: &str = "stage.note.process_node";
pub use job::{Job, JobError, plan_fleet};
pub use ladder::{
    LADDER_NAME, LadderFolder, LadderManifest, LadderRefused, LadderRoute, LadderStage, STAGES_DIR,
    remove_ladder,
};
pub use names::{
    BACKUP_PREFIX, JOURNAL_NAME, MANIFEST_NAME, STAGING_DIR, backup_dir_base, is_bookkeeping_name,
};

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Made by a config writer.
    Generated(Vec<u8>),
    /// Unpacked byte for byte from the package at this index of the set.
    Package {
        package: usize,
        entry: String,
        size: u64,
        crc32: u32,
    },
}

/// One file the stage puts at the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWrite {
    pub name: String,
    pub source: Source,
    pub why: Msg,
}

impl PlannedWrite {
    pub fn size(&self) -> u64 {
        match &self.source {
            Source::Generated(b) => b.len() as u64,
            Source::Package { size, .. } => *size,
        }
    }
}

/// A file already in the root that the stage moves into the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMove {
    pub name: String,
    pub why: Msg,
}

/// What applying a stage would do to a root, computed without touching it.
#[derive(Debug, Clone)]
pub struct StagePreview {
    /// 1-based.
    pub stage: usize,
    pub stages: usize,
    pub route: String,
    /// The load the stage installs, in the package's spelling.
    pub target: String,
    /// Files to write (new or replacing a moved one).
    pub write: Vec<PlannedWrite>,
    /// Files already there with the right content.
    pub unchanged: Vec<PlannedWrite>,
    pub moves: Vec<PlannedMove>,
    pub notes: Vec<Msg>,
    pub actions: Vec<Msg>,
}

/// Why a stage could not be written. Bad input leaves the root untouched.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("{}", self.msg())]
    NoSuchStage {
        asked: usize,
        stages: usize,
        route: String,
    },
    #[error("{}", self.msg())]
    NothingToWrite {
        stage: usize,
        route: String,
        why: Msg,
    },
    #[error("{}", self.msg())]
    MissingPackage {
        stage: usize,
        load: String,
        detail: Msg,
    },
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    GkDefault(#[from] config::gkdefault::GkError),
    #[error("{0}")]
    Package(#[from] PackageError),
    #[error("{}", self.msg())]
    Root { path: PathBuf, why: Msg },
    #[error("{}", self.msg())]
    NotRegular { path: PathBuf, what: &'static str },
    #[error("{}", self.msg())]
    Busy { path: PathBuf },
    #[error("{}", self.msg())]
    Journal { path: PathBuf, why: String },
    #[error("{}", self.msg())]
    Interrupted,
    #[error("{}", self.msg())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.msg())]
    NoCallManager,
    #[error("{}", self.msg())]
    Inconsistent { stage: usize, a: String, b: String },
}

impl StageError {
    /// The error as words to render in the user's language (paths and the
    /// operating system's own text stay as they are).
    pub fn msg(&self) -> Msg {
        use StageError as E;
        match self {
            E::NoSuchStage {
                asked,
                stages,
                route,
            } => msg!(
                "stage.error.no_such_stage",
                "there is no stage {asked}: the route {route} has {stages} stage(s); use 1 to {stages}",
                asked = asked,
                route = route,
                stages = stages,
            ),
            E::NothingToWrite { stage, route, why } => msg!(
                "stage.error.nothing_to_write",
                "stage {stage} ({route}) writes no files: {why}",
                stage = stage,
                route = route,
                why => why.clone(),
            ),
            E::MissingPackage {
                stage,
                load,
                detail,
            } => msg!(
                "stage.error.missing_package",
                "stage {stage} needs {load}, and {detail}",
                stage = stage,
                load = load,
                detail => detail.clone(),
            ),
            E::Config(e) => e.msg(),
            E::GkDefault(e) => e.msg(),
            E::Package(e) => e.msg(),
            E::Root { path, why } => msg!(
                "stage.error.root",
                "TFTP root {path}: {why}",
                path = path.display(),
                why => why.clone(),
            ),
            E::NotRegular { path, what } => msg!(
                "stage.error.not_regular",
                "{path} is {what}, not a regular file: prepare reads and replaces only regular files in the TFTP root, and this one has a name the stage reads or replaces; move it out of the folder (or put a regular file in its place) and run prepare again",
                path = path.display(),
                what => preview::not_regular_words(what),
            ),
            E::Busy { path } => msg!(
                "stage.error.busy",
                "another prepare is writing into {path} right now; wait for it to finish, then run this one again",
                path = path.display(),
            ),
            E::Journal { path, why } => msg!(
                "stage.error.journal",
                "{path}: the record of an interrupted prepare cannot be read ({why}); look at the files in that folder, move what you want to keep, delete the folder, and run prepare again",
                path = path.display(),
                why = why,
            ),
            E::Interrupted => msg!(
                "stage.error.interrupted",
                "stopped (Ctrl-C) before anything was moved into place: the TFTP root is as it was"
            ),
            E::Io { path, source } => Msg::verbatim(format!("{}: {source}", path.display())),
            E::NoCallManager => msg!(
                "stage.error.no_callmanager",
                "the XML files need the CallManager/CME address the phones register with (processNodeName), the session gives none, and this computer has no network route to take its own address from: set callmanager = \"ADDRESS\" under [sccp] in the session"
            ),
            E::Inconsistent { stage, a, b } => msg!(
                "stage.error.inconsistent",
                "internal error: stage {stage} would name both {a} and {b}; nothing was written (please report this)",
                stage = stage,
                a = a,
                b = b,
            ),
        }
    }
}

/// Writes one stage of a plan for a session.
pub struct StageWriter<'a> {
    session: &'a Checked,
    plan: &'a Plan,
    stage_no: usize,
    packages: &'a PackageSet,
}

impl<'a> StageWriter<'a> {
    /// `stage_no` is 1-based.
    pub fn new(
        session: &'a Checked,
        plan: &'a Plan,
        stage_no: usize,
        packages: &'a PackageSet,
    ) -> Result<Self, StageError> {
        if stage_no == 0 || stage_no > plan.stages.len() {
            return Err(StageError::NoSuchStage {
                asked: stage_no,
                stages: plan.stages.len(),
                route: plan.route.to_string(),
            });
        }
        Ok(StageWriter {
            session,
            plan,
            stage_no,
            packages,
        })
    }

    pub fn stage(&self) -> &'a Stage {
        &self.plan.stages[self.stage_no - 1]
    }

    /// The load this stage installs, in the spelling of the package that has it.
    pub fn target(&self) -> String {
        self.respell(self.stage().target.as_str())
    }

    /// Write the stage into `root` (created when missing). Everything is
    /// checked first; on any error the root is left as it was.
    pub fn apply(&self, root: &Path) -> Result<apply::Manifest, StageError> {
        self.apply_until(root, &AtomicBool::new(false))
    }

    /// [`apply`](Self::apply), stopping with [`StageError::Interrupted`]
    /// (the root as it was) when `stop` is set before the commit starts;
    /// once it has started, the commit is finished. What an interrupted
    /// earlier run left in `root` is finished or rolled back first.
    pub fn apply_until(
        &self,
        root: &Path,
        stop: &AtomicBool,
    ) -> Result<apply::Manifest, StageError> {
        recover(root)?;
        let preview = self.preview(root)?;
        apply::apply(&preview, self.packages, root, stop)
    }
}

pub use apply::{Manifest, ManifestFile, ManifestMove};
