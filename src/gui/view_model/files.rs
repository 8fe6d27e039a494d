//! The Files step's values: the core's preview and write of a stage.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use convert79xx::convert;
use convert79xx::convert::Job;
use convert79xx::convert::write::{Preview, Scope};
use convert79xx::msg::Msg;
use convert79xx::session::Session;

use super::colons;

/// Every file a stage writes or moves aside, before anything is touched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviewView {
    pub stage: usize,
    pub writes: Vec<(String, Msg)>,
    /// Already in place with the right content.
    pub unchanged: Vec<String>,
    pub moves: Vec<(String, Msg)>,
    /// The stage folders of a mixed fleet (or a route of several stages):
    /// each phone is served from its own, by the built-in server.
    pub folders: Vec<FolderView>,
}

/// One stage folder of the ladder, before it is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FolderView {
    /// Relative to the TFTP folder (`stages/R2-P00305000101/1`).
    pub folder: String,
    /// `R2-P00305000101`.
    pub route: String,
    pub stage: usize,
    pub stages: usize,
    /// The load the stage installs.
    pub target: String,
    pub phones: Vec<String>,
    /// Files to write, and why.
    pub writes: Vec<(String, Msg)>,
    pub unchanged: usize,
    pub moves: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrittenView {
    pub stage: usize,
    pub written: usize,
    pub moved: usize,
    pub manifest: PathBuf,
    /// Stage folders written, for the built-in server's per-phone answers.
    pub folders: usize,
    /// The stage folders of an earlier write were removed: every phone is
    /// now answered from this stage.
    pub ladder_removed: bool,
    /// Some file names this computer's address (processNodeName): written
    /// for another address, the files need Write again.
    pub names_host: bool,
}

/// The core's job for the session: checked, packages opened, route planned.
fn job(session: Session) -> Result<Job, Msg> {
    Job::from_session(session).map_err(|e| e.msg())
}

/// A folder `serve` would refuse is refused before anything is written
/// into it, in `serve`'s words (the one rule, `tftp::refuse_folder`),
/// with what to do in the wizard.
fn folder_allowed(dir: &Path) -> Result<(), Msg> {
    match convert79xx::tftp::refuse_folder(dir) {
        None => Ok(()),
        Some(e) => Err(convert79xx::msg!(
            "gui.files.folder_refused",
            "{error} The built-in server will not serve it, so nothing is written there: choose an empty folder for the phones' files (Choose…).",
            error => e.msg(),
        )),
    }
}

/// What the wizard's stage `stage` (0-based) writes: the first, the whole
/// conversion (as `prepare` does: each phone's stages in folders of their
/// own when phones need different files); a later one, that stage alone
/// for every phone, for users of another server (`prepare --stage N`).
fn scope(stage: usize) -> Scope {
    match stage {
        0 => Scope::Conversion,
        n => Scope::Stage(n + 1),
    }
}

/// What writing stage `stage` (0-based here, 1-based in the core) into
/// `dir` would do, touching nothing; at the first stage, each stage folder
/// of a mixed fleet too.
pub fn preview(session: Session, stage: usize, dir: &Path) -> Result<PreviewView, Msg> {
    folder_allowed(dir)?;
    let job = job(session)?;
    let Preview { top: p, folders } =
        convert::write::preview(&job, scope(stage), dir).map_err(|e| e.msg())?;
    let folders = folders
        .into_iter()
        .map(|f| FolderView {
            folder: f.folder,
            route: f.key,
            stage: f.stage,
            stages: f.result.stages,
            target: f.result.target.clone(),
            phones: colons(&f.phones),
            writes: f
                .result
                .write
                .iter()
                .map(|w| (w.name.clone(), w.why.clone()))
                .collect(),
            unchanged: f.result.unchanged.len(),
            moves: f.result.moves.len(),
        })
        .collect();
    Ok(PreviewView {
        folders,
        stage,
        writes: p
            .write
            .iter()
            .map(|w| (w.name.clone(), w.why.clone()))
            .collect(),
        unchanged: p.unchanged.iter().map(|w| w.name.clone()).collect(),
        moves: p
            .moves
            .iter()
            .map(|m| (m.name.clone(), m.why.clone()))
            .collect(),
    })
}

/// Write the stage (see [`scope`]): atomic writes, contradicting files
/// moved into a backup folder, a manifest of it all. `stop` ends it
/// before a folder's commit, as Ctrl-C does for `prepare`.
pub fn write(
    session: Session,
    stage: usize,
    dir: &Path,
    stop: &AtomicBool,
) -> Result<WrittenView, Msg> {
    folder_allowed(dir)?;
    let job = job(session)?;
    let w = convert::write::write(&job, scope(stage), dir, stop).map_err(|e| e.msg())?;
    Ok(WrittenView {
        stage,
        written: w.top.written.len(),
        moved: w.top.moved.len(),
        manifest: dir.join(convert79xx::stage::MANIFEST_NAME),
        folders: w.folders.as_ref().map_or(0, |f| f.len()),
        ladder_removed: w.ladder_removed,
        names_host: w.names_this_computer(),
    })
}
