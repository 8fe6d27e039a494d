//! Previewing and writing a session's stages into a TFTP folder: the top
//! level for any TFTP server and, when phones need different files, each
//! phone's stages in folders of their own for the built-in server. The
//! `prepare` command and the wizard's Files step both write through here,
//! with a stop flag and every note.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::stage::{
    Job, LadderFolder, Manifest, StageError, StagePreview, StageWriter, remove_ladder,
};

/// Which files a write makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole conversion: stage 1 at the top and, when phones need
    /// different files (several routes or stages, or a refused route),
    /// every phone's stages in folders of their own (`prepare`, the
    /// wizard's first stage).
    Conversion,
    /// Stage `n` (1-based) of the route most phones take, at the top only,
    /// for another TFTP server (`prepare --stage N`, the wizard's later
    /// stages).
    Stage(usize),
}

impl Scope {
    /// The stage written at the top level (1-based).
    pub fn top_stage(self) -> usize {
        match self {
            Scope::Conversion => 1,
            Scope::Stage(n) => n,
        }
    }

    /// Whether this write makes each phone's stage folders.
    fn ladder(self, job: &Job) -> bool {
        self == Scope::Conversion && job.needs_ladder()
    }
}

/// What a write would do, touching nothing.
#[derive(Debug, Clone)]
pub struct Preview {
    pub top: StagePreview,
    /// Each stage folder of the ladder (empty when none is written).
    pub folders: Vec<LadderFolder<StagePreview>>,
}

/// What a write did.
#[derive(Debug, Clone)]
pub struct Written {
    /// The top level's manifest (its notes are the stage's).
    pub top: Manifest,
    /// Each stage folder written; `None` when no ladder was written.
    pub folders: Option<Vec<LadderFolder<Manifest>>>,
    /// Each phone's stage folders of an earlier write were removed: the
    /// built-in server now answers every phone from the top level (a note
    /// each front end words for its user).
    pub ladder_removed: bool,
}

impl Written {
    /// Some file written names this computer's own address (the XML
    /// files' processNodeName, when the session gives no CallManager/CME
    /// address): written for another address, they must be written again.
    pub fn names_this_computer(&self) -> bool {
        let folders = self.folders.iter().flatten().map(|f| &f.result);
        std::iter::once(&self.top)
            .chain(folders)
            .flat_map(|m| m.notes.iter())
            .any(|n| n.id == crate::stage::PROCESS_NODE_NOTE)
    }
}

/// The writer of the top level's stage.
fn top_writer(job: &Job, scope: Scope) -> Result<StageWriter<'_>, StageError> {
    job.stage(scope.top_stage())
}

/// What writing `scope` into `root` would do, every folder checked,
/// nothing touched.
pub fn preview(job: &Job, scope: Scope, root: &Path) -> Result<Preview, StageError> {
    let top = top_writer(job, scope)?.preview(root)?;
    let folders = if scope.ladder(job) {
        job.preview_ladder(root)?
    } else {
        Vec::new()
    };
    Ok(Preview { top, folders })
}

/// Writes `scope` into `root`: each folder atomically, files in the way
/// moved into a backup folder (ARCHITECTURE.md, "Stage commit"). Every
/// folder is checked before anything is written, so bad input leaves the
/// root as it was. `stop` ends the write before a folder's commit
/// ([`StageError::Interrupted`]); a commit begun is finished first.
pub fn write(
    job: &Job,
    scope: Scope,
    root: &Path,
    stop: &AtomicBool,
) -> Result<Written, StageError> {
    let writer = top_writer(job, scope)?;
    if !scope.ladder(job) {
        // One stage for every phone: a ladder left by an earlier write
        // would make the built-in server answer per phone from folders
        // this write did not make.
        let top = writer.apply_until(root, stop)?;
        let ladder_removed = remove_ladder(root)?;
        return Ok(Written {
            top,
            folders: None,
            ladder_removed,
        });
    }
    job.preview_ladder(root)?;
    let top = writer.apply_until(root, stop)?;
    let folders = job.write_ladder(root, stop)?;
    Ok(Written {
        top,
        folders: Some(folders),
        ladder_removed: false,
    })
}
