//! Putting a previewed stage on disk as a whole: its files are written
//! into the staging folder, then moved into place, with the files they
//! replace moved into the backup folder, in one journaled commit (see
//! `commit`). Bad input, a failure or Ctrl-C before the commit leaves the
//! root as it was; a crash after it is finished by the next run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::commit::{Journal, Staging};
use super::names::{MANIFEST_NAME, STAGING_DIR, backup_dir_base};
use super::{PlannedMove, PlannedWrite, Source, StageError, StagePreview, scan};
use crate::clock;
use crate::firmware::PackageSet;
use crate::fsutil::{describe_kind, is_temp_name, open_regular, read_bounded};
use crate::msg::Msg;

/// What a stage wrote, moved and expects; saved in the root and returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// 1-based stage number.
    pub stage: usize,
    pub stages: usize,
    pub route: String,
    /// The load this stage installs (package spelling).
    pub target: String,
    pub written: Vec<ManifestFile>,
    /// Files already in place with the right content.
    pub unchanged: Vec<ManifestFile>,
    pub moved: Vec<ManifestMove>,
    /// The backup folder (relative to the root), when anything was moved.
    pub backup_dir: Option<String>,
    /// Every file this stage serves: what the phones are expected to fetch.
    pub expected: Vec<String>,
    pub notes: Vec<Msg>,
    pub actions: Vec<Msg>,
    pub written_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub size: u64,
    /// `generated` or the package file name it came from.
    pub source: String,
    pub why: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestMove {
    pub name: String,
    /// Where it went, relative to the root.
    pub to: String,
    pub why: Msg,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StageError + '_ {
    move |source| StageError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Config files longer than this are no phone's: they are moved aside
/// unread rather than read into memory.
pub(super) const CONFIG_READ_LIMIT: u64 = 1024 * 1024;

/// An entry at the top of the root.
#[derive(Debug, Clone)]
pub(super) struct RootEntry {
    pub path: PathBuf,
    /// What it is when it is not a regular file ("a symbolic link", ...):
    /// the stage never reads, follows or replaces such an entry.
    pub not_regular: Option<&'static str>,
}

impl RootEntry {
    /// Refuse to touch an entry that is not a regular file, naming it and
    /// saying what to do.
    pub fn require_regular(&self) -> Result<(), StageError> {
        match self.not_regular {
            None => Ok(()),
            Some(what) => Err(StageError::NotRegular {
                path: self.path.clone(),
                what,
            }),
        }
    }
}

/// The entries at the top of the root that are not folders, by exact name
/// (our bookkeeping excluded). A missing root is an empty one. Nothing is
/// followed or opened: links, FIFOs and devices are listed as what they are.
pub(super) fn list_root(root: &Path) -> Result<BTreeMap<String, RootEntry>, StageError> {
    let mut out = BTreeMap::new();
    match fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(StageError::Root {
                path: root.to_path_buf(),
                why: crate::msg!(
                    "stage.root.a_file",
                    "is a file, not a folder: give a folder for the TFTP root"
                ),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(root)(e)),
    }
    for entry in fs::read_dir(root).map_err(io(root))? {
        let entry = entry.map_err(io(root))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if is_temp_name(&name) || name == MANIFEST_NAME || name == STAGING_DIR {
            continue;
        }
        let kind = entry.file_type().map_err(io(root))?;
        if kind.is_dir() {
            continue;
        }
        let not_regular = (!kind.is_file()).then(|| describe_kind(&kind));
        out.insert(
            name,
            RootEntry {
                path: entry.path(),
                not_regular,
            },
        );
    }
    Ok(out)
}

/// A regular file's bytes, at most `limit` of them (`None` when longer);
/// never through a link, never blocking on a FIFO.
pub(super) fn read_regular(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, StageError> {
    open_regular(path)
        .and_then(|f| read_bounded(f, limit))
        .map_err(io(path))
}

/// Whether the regular file at `path` already holds exactly `source`.
pub(super) fn same_content(path: &Path, source: &Source) -> Result<bool, StageError> {
    let f = open_regular(path).map_err(io(path))?;
    let len = f.metadata().map_err(io(path))?.len();
    match source {
        Source::Generated(bytes) => Ok(len == bytes.len() as u64
            && read_bounded(f, len).map_err(io(path))?.as_deref() == Some(bytes.as_slice())),
        Source::Package { size, crc32, .. } => {
            if len != *size {
                return Ok(false);
            }
            let (n, crc) =
                crate::firmware::crc_of(std::io::Read::take(f, size + 1)).map_err(io(path))?;
            Ok(n == *size && crc == *crc32)
        }
    }
}

fn manifest_file(w: &PlannedWrite, packages: &PackageSet) -> ManifestFile {
    ManifestFile {
        name: w.name.clone(),
        size: w.size(),
        source: match &w.source {
            Source::Generated(_) => "generated".into(),
            Source::Package { package, .. } => packages.packages()[*package].display_name(),
        },
        why: w.why.clone(),
    }
}

/// Write a previewed stage into `root` as a whole. `stop` (Ctrl-C) is
/// heeded until the commit starts: the staged files go and the root is as
/// it was.
pub(super) fn apply(
    preview: &StagePreview,
    packages: &PackageSet,
    root: &Path,
    stop: &AtomicBool,
) -> Result<Manifest, StageError> {
    // Check every package file involved before touching anything.
    let mut by_package: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for w in &preview.write {
        if let Source::Package { package, entry, .. } = &w.source {
            by_package.entry(*package).or_default().push(entry);
        }
    }
    for i in by_package.keys() {
        packages.packages()[*i].verify()?;
    }

    let now = SystemTime::now();
    // Nothing to change: leave the root exactly as it is, manifest included.
    let idle = preview.write.is_empty() && preview.moves.is_empty() && root.is_dir();
    if idle {
        tighten_private(root, &preview.unchanged);
        return Ok(manifest(preview, packages, &[], None, now));
    }
    // The previous manifest is ours, but a record the user may want: it goes
    // into the backup folder with the rest, never overwritten.
    let mut moves = preview.moves.clone();
    if root.join(MANIFEST_NAME).is_file() {
        moves.push(PlannedMove {
            name: MANIFEST_NAME.to_string(),
            why: crate::msg!(
                "stage.move.old_manifest",
                "the previous stage's manifest, kept as a record"
            ),
        });
    }

    let stopped = || {
        if stop.load(Ordering::Relaxed) {
            Err(StageError::Interrupted)
        } else {
            Ok(())
        }
    };
    let (staging, _) = Staging::open(root)?;
    for (i, entries) in &by_package {
        stopped()?;
        packages.packages()[*i].unpack_into(staging.new_dir(), Some(entries))?;
    }
    for w in &preview.write {
        if let Source::Generated(bytes) = &w.source {
            stopped()?;
            staging.write(&w.name, bytes, scan::is_per_phone_config(&w.name))?;
        }
    }
    let backup_dir = (!moves.is_empty()).then(|| unique_backup_name(root, now));
    let manifest = manifest(preview, packages, &moves, backup_dir.clone(), now);
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest always serializes");
    staging.write(MANIFEST_NAME, &json, false)?;
    stopped()?;

    // Images first, then the configs that name them, the manifest last: a
    // phone asking mid-commit never finds a config naming a missing image.
    let (images, configs): (Vec<&PlannedWrite>, Vec<&PlannedWrite>) = preview
        .write
        .iter()
        .partition(|w| matches!(w.source, Source::Package { .. }));
    let journal = Journal {
        backup_dir,
        moves: moves.iter().map(|m| m.name.clone()).collect(),
        installs: images
            .iter()
            .chain(&configs)
            .map(|w| w.name.clone())
            .chain([MANIFEST_NAME.to_string()])
            .collect(),
    };
    staging.commit(&journal)?;
    tighten_private(root, &preview.unchanged);
    Ok(manifest)
}

/// A free backup folder name: `backup-YYYYMMDD-HHMMSS`, then `-2`, `-3`...
fn unique_backup_name(root: &Path, now: SystemTime) -> String {
    let base = backup_dir_base(now);
    let mut name = base.clone();
    let mut n = 2;
    while fs::symlink_metadata(root.join(&name)).is_ok() {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Per-phone configs already right but left readable by others (written by
/// an earlier version): owner-only, as a new one is written. Best effort.
fn tighten_private(root: &Path, unchanged: &[PlannedWrite]) {
    #[cfg(unix)]
    for w in unchanged
        .iter()
        .filter(|w| scan::is_per_phone_config(&w.name))
    {
        use std::os::unix::fs::PermissionsExt;
        let path = root.join(&w.name);
        if let Ok(meta) = fs::symlink_metadata(&path)
            && meta.is_file()
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = (root, unchanged);
}

fn manifest(
    preview: &StagePreview,
    packages: &PackageSet,
    moves: &[PlannedMove],
    backup_dir: Option<String>,
    now: SystemTime,
) -> Manifest {
    let mut expected: Vec<String> = preview
        .write
        .iter()
        .chain(&preview.unchanged)
        .map(|w| w.name.clone())
        .collect();
    expected.sort();
    Manifest {
        stage: preview.stage,
        stages: preview.stages,
        route: preview.route.clone(),
        target: preview.target.clone(),
        written: preview
            .write
            .iter()
            .map(|w| manifest_file(w, packages))
            .collect(),
        unchanged: preview
            .unchanged
            .iter()
            .map(|w| manifest_file(w, packages))
            .collect(),
        moved: moves
            .iter()
            .map(|m| ManifestMove {
                name: m.name.clone(),
                to: format!("{}/{}", backup_dir.as_deref().unwrap_or(""), m.name),
                why: m.why.clone(),
            })
            .collect(),
        backup_dir,
        expected,
        notes: preview.notes.clone(),
        actions: preview.actions.clone(),
        written_at: clock::iso(now),
    }
}
