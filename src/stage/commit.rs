//! Committing a stage as a whole. A stage is a set of files for one
//! destination folder (the TFTP root, or a folder under it). Its files are
//! written into `DEST/.convert79xx-staging/new/` and made durable; then a
//! journal (the commit point) records which files move into the backup
//! folder and which move into place; the renames follow and the staging
//! folder goes. So an interruption at any point leaves either the old stage
//! (no journal yet: the next run removes the staging folder) or the new one
//! (journal written: the next run finishes the renames, which are safe to
//! repeat). One run at a time per folder: a lock file in the staging
//! folder. Names: [`super::names`]; the story: ARCHITECTURE.md, "Stage
//! commit".

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StageError;
use super::names::{JOURNAL_NAME, LOCK_NAME, NEW_DIR, STAGING_DIR};
use crate::fsutil::{is_temp_name, sync_dir, sync_files_under, write_atomic};

/// The commit record: enough to finish a commit from any point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Journal {
    /// The backup folder (relative to the destination), when anything moves.
    pub backup_dir: Option<String>,
    /// Names at the destination that move into the backup folder, first.
    pub moves: Vec<String>,
    /// Names in the staging folder that then move into place, in order
    /// (the manifest last).
    pub installs: Vec<String>,
}

/// What finishing an earlier, interrupted run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recovery {
    /// An earlier run had written its journal: its stage was put in place.
    pub finished: bool,
    /// An earlier run stopped before its journal: its staged files were removed.
    pub rolled_back: bool,
    /// Temporary files of earlier runs removed from the destination.
    pub temps_removed: usize,
}

impl Recovery {
    pub fn changed_anything(&self) -> bool {
        self.finished || self.rolled_back || self.temps_removed > 0
    }
}

fn io(path: &Path) -> impl FnOnce(io::Error) -> StageError + '_ {
    move |source| StageError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One run's hold on a destination folder, with the folder its new files
/// go into. Dropped before [`Staging::commit`], it removes what it staged
/// (and the destination, when it made it), leaving the folder as it was.
pub(super) struct Staging {
    dest: PathBuf,
    dir: PathBuf,
    new_dir: PathBuf,
    lock: Option<File>,
    created_dest: bool,
    /// Set once the journal is written: from then on the stage goes forward.
    committed: bool,
}

impl Staging {
    /// Take `dest` for this run (creating it when missing), after finishing
    /// or rolling back whatever an earlier run left there.
    pub fn open(dest: &Path) -> Result<(Staging, Recovery), StageError> {
        let created_dest = !dest.exists();
        if created_dest {
            fs::create_dir_all(dest).map_err(io(dest))?;
        }
        let mut staging = Staging::lock(dest, created_dest)?;
        let recovery = match staging.recover() {
            Ok(r) => r,
            Err(e) => {
                staging.committed = true; // keep the journal for the next try
                return Err(e);
            }
        };
        fs::create_dir(&staging.new_dir).map_err(io(&staging.new_dir))?;
        Ok((staging, recovery))
    }

    fn lock(dest: &Path, created_dest: bool) -> Result<Staging, StageError> {
        let dir = dest.join(STAGING_DIR);
        let path = dir.join(LOCK_NAME);
        // A run that finishes removes the lock file (and the folder) while
        // holding it; one that opened it just before would then hold a lock
        // nobody else sees. So the lock counts only while the path is still
        // the file we hold; otherwise try again.
        let mut attempts = 0;
        let lock = loop {
            attempts += 1;
            match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(io(&dir)(e)),
            }
            let lock = match OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
            {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound && attempts < 5 => continue,
                Err(e) => return Err(io(&path)(e)),
            };
            match lock.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StageError::Busy {
                        path: dest.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
            }
            if still_at(&lock, &path) || attempts >= 5 {
                break lock;
            }
        };
        Ok(Staging {
            dest: dest.to_path_buf(),
            new_dir: dir.join(NEW_DIR),
            dir,
            lock: Some(lock),
            created_dest,
            committed: false,
        })
    }

    /// The folder the new stage's files are written into.
    pub fn new_dir(&self) -> &Path {
        &self.new_dir
    }

    /// Write one new file into the staging folder. `private` files (a
    /// phone's own config, which may hold its passwords) are readable by
    /// their owner only on Unix.
    pub fn write(&self, name: &str, bytes: &[u8], private: bool) -> Result<(), StageError> {
        let path = self.new_dir.join(name);
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(if private { 0o600 } else { 0o666 });
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = opts.open(&path).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))
    }

    /// Make the staged files durable, write the journal, and move
    /// everything into place. From the journal on, an error or a crash
    /// leaves the journal for the next run, which finishes the commit.
    pub fn commit(mut self, journal: &Journal) -> Result<(), StageError> {
        sync_files_under(&self.new_dir).map_err(io(&self.new_dir))?;
        let json = serde_json::to_vec_pretty(journal).expect("a journal always serializes");
        let path = self.dir.join(JOURNAL_NAME);
        write_atomic(&path, &json).map_err(io(&path))?;
        self.committed = true;
        sync_dir(&self.dir);
        roll_forward(&self.dest, &self.new_dir, journal)?;
        self.finish();
        Ok(())
    }

    /// Finish or roll back an earlier run, and remove the temporary files
    /// earlier runs left at the destination.
    fn recover(&mut self) -> Result<Recovery, StageError> {
        let mut r = Recovery::default();
        for entry in fs::read_dir(&self.dest).map_err(io(&self.dest))? {
            let entry = entry.map_err(io(&self.dest))?;
            let name = entry.file_name();
            if is_temp_name(&name.to_string_lossy())
                && entry.file_type().map_err(io(&self.dest))?.is_file()
            {
                fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
                r.temps_removed += 1;
            }
        }
        let journal_path = self.dir.join(JOURNAL_NAME);
        match fs::read(&journal_path) {
            Ok(bytes) => {
                let journal: Journal =
                    serde_json::from_slice(&bytes).map_err(|e| StageError::Journal {
                        path: journal_path.clone(),
                        why: e.to_string(),
                    })?;
                roll_forward(&self.dest, &self.new_dir, &journal)?;
                fs::remove_file(&journal_path).map_err(io(&journal_path))?;
                r.finished = true;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&journal_path)(e)),
        }
        // Whatever else is in the staging folder is an unfinished run's.
        for entry in fs::read_dir(&self.dir).map_err(io(&self.dir))? {
            let entry = entry.map_err(io(&self.dir))?;
            if entry.file_name() == LOCK_NAME {
                continue;
            }
            let path = entry.path();
            if entry.file_type().map_err(io(&path))?.is_dir() {
                fs::remove_dir_all(&path).map_err(io(&path))?;
            } else {
                fs::remove_file(&path).map_err(io(&path))?;
            }
            r.rolled_back |= !r.finished;
        }
        Ok(r)
    }

    /// Remove the staging folder and let go of the lock. The lock file goes
    /// first, while still held: a run that opened it just before cannot
    /// take it after us (see [`Staging::lock`]'s identity check). Its handle
    /// is closed before the folder goes: on Windows a removed file that is
    /// still open stays in its folder ("delete pending") until it is
    /// closed, and the folder cannot be removed while it holds anything.
    fn finish(&mut self) {
        let _ = fs::remove_dir_all(&self.new_dir);
        let _ = fs::remove_file(self.dir.join(JOURNAL_NAME));
        let _ = fs::remove_file(self.dir.join(LOCK_NAME));
        self.lock = None;
        let _ = fs::remove_dir(&self.dir);
        sync_dir(&self.dest);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.lock.is_none() {
            return;
        }
        if self.committed {
            // The journal stays: the next run finishes what it says.
            self.lock = None;
            return;
        }
        self.finish();
        if self.created_dest {
            let _ = fs::remove_dir(&self.dest);
        }
    }
}

/// Do (or finish) what a journal says. Safe to repeat from any point: a
/// move whose target exists is done, an install whose staged file is gone
/// is done.
fn roll_forward(dest: &Path, new_dir: &Path, journal: &Journal) -> Result<(), StageError> {
    if let Some(backup) = &journal.backup_dir {
        let dir = dest.join(backup);
        if !dir.is_dir() {
            make_private_dir(&dir)?;
        }
        for name in &journal.moves {
            let from = dest.join(name);
            let to = dir.join(name);
            if fs::symlink_metadata(&to).is_ok() {
                continue;
            }
            match fs::rename(&from, &to) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&from)(e)),
            }
        }
        sync_dir(&dir);
    }
    for name in &journal.installs {
        let from = new_dir.join(name);
        let to = dest.join(name);
        match fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&to)(e)),
        }
    }
    sync_dir(dest);
    Ok(())
}

/// A backup folder keeps replaced files, earlier passwords among them: on
/// Unix only its owner may enter it.
fn make_private_dir(dir: &Path) -> Result<(), StageError> {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(io(dir))
}

/// Whether `path` still names the open file `f` (Unix; elsewhere whether
/// it still exists).
fn still_at(f: &File, path: &Path) -> bool {
    let Ok(at_path) = fs::symlink_metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        f.metadata()
            .is_ok_and(|m| m.dev() == at_path.dev() && m.ino() == at_path.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (f, at_path);
        true
    }
}

/// Finish or roll back whatever an interrupted run left in `dest`, and
/// remove temporary files of earlier runs. Does nothing (and takes no lock)
/// when there is nothing to do. `serve` may call it before serving a
/// folder, so phones never see half a commit.
pub fn recover(dest: &Path) -> Result<Recovery, StageError> {
    if !has_traces(dest)? {
        return Ok(Recovery::default());
    }
    let mut staging = Staging::lock(dest, false)?;
    match staging.recover() {
        Ok(r) => Ok(r),
        Err(e) => {
            staging.committed = true; // keep the journal for the next try
            Err(e)
        }
    }
}

/// Whether an earlier run left anything behind in `dest`.
fn has_traces(dest: &Path) -> Result<bool, StageError> {
    let entries = match fs::read_dir(dest) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(false),
        Err(e) => return Err(io(dest)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(dest))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == STAGING_DIR || is_temp_name(&name) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(path: &Path, bytes: &[u8]) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// A crash after the journal and part of the renames: the next run
    /// finishes the stage, with every replaced file in the backup.
    #[test]
    fn a_journal_is_finished_from_any_point() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path();
        let staging = dest.join(STAGING_DIR);
        let new = staging.join(NEW_DIR);
        put(&dest.join("OS79XX.TXT"), b"old os");
        put(&dest.join("SEPDefault.cnf"), b"stale");
        put(&dest.join("notes.txt"), b"mine");
        put(&new.join("OS79XX.TXT"), b"new os");
        put(&new.join("SIPDefault.cnf"), b"new sip");
        let journal = Journal {
            backup_dir: Some("backup-20260101-000000".into()),
            moves: vec!["OS79XX.TXT".into(), "SEPDefault.cnf".into()],
            installs: vec!["OS79XX.TXT".into(), "SIPDefault.cnf".into()],
        };
        put(
            &staging.join(JOURNAL_NAME),
            &serde_json::to_vec(&journal).unwrap(),
        );
        // Interrupted after the first move.
        fs::create_dir(dest.join("backup-20260101-000000")).unwrap();
        fs::rename(
            dest.join("OS79XX.TXT"),
            dest.join("backup-20260101-000000/OS79XX.TXT"),
        )
        .unwrap();

        let r = recover(dest).unwrap();
        assert!(r.finished && !r.rolled_back, "{r:?}");
        assert_eq!(fs::read(dest.join("OS79XX.TXT")).unwrap(), b"new os");
        assert_eq!(fs::read(dest.join("SIPDefault.cnf")).unwrap(), b"new sip");
        assert_eq!(fs::read(dest.join("notes.txt")).unwrap(), b"mine");
        let backup = dest.join("backup-20260101-000000");
        assert_eq!(fs::read(backup.join("OS79XX.TXT")).unwrap(), b"old os");
        assert_eq!(fs::read(backup.join("SEPDefault.cnf")).unwrap(), b"stale");
        assert!(!staging.exists(), "the staging folder stays");
        // Nothing left to do.
        assert_eq!(recover(dest).unwrap(), Recovery::default());
    }

    /// A crash before the journal: the staged files go, the folder is as
    /// it was, and temporary files of earlier runs go too.
    #[test]
    fn without_a_journal_the_staged_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path();
        put(&dest.join("OS79XX.TXT"), b"old os");
        put(&dest.join(".convert79xx-tmp-1-0-OS79XX.TXT"), b"half");
        put(
            &dest.join(STAGING_DIR).join(NEW_DIR).join("OS79XX.TXT"),
            b"ne",
        );
        let r = recover(dest).unwrap();
        assert!(
            r.rolled_back && !r.finished && r.temps_removed == 1,
            "{r:?}"
        );
        let left: Vec<_> = fs::read_dir(dest)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["OS79XX.TXT"]);
        assert_eq!(fs::read(dest.join("OS79XX.TXT")).unwrap(), b"old os");
    }

    /// A committed run leaves no staging folder behind (issue 22: on
    /// Windows it stayed, empty, while the lock file was still open).
    #[test]
    fn a_committed_stage_leaves_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("tftp");
        let (staging, _) = Staging::open(&dest).unwrap();
        staging.write("OS79XX.TXT", b"P0S3-8-12-00", false).unwrap();
        let journal = Journal {
            backup_dir: None,
            moves: vec![],
            installs: vec!["OS79XX.TXT".into()],
        };
        staging.commit(&journal).unwrap();
        let left: Vec<_> = fs::read_dir(&dest)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["OS79XX.TXT"]);
    }

    /// Two runs never write into one folder at once; dropping an
    /// uncommitted run leaves the folder as it was (and removes a
    /// destination it made).
    #[test]
    fn one_run_at_a_time_and_a_dropped_run_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("tftp");
        let (first, _) = Staging::open(&dest).unwrap();
        first.write("SIP001E4A123456.cnf", b"secret", true).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(first.new_dir().join("SIP001E4A123456.cnf"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        match Staging::open(&dest) {
            Err(StageError::Busy { .. }) => {}
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a second run got the folder"),
        }
        drop(first);
        assert!(!dest.exists(), "the folder the run made stays");
    }
}
