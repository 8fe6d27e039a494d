//! Putting a previewed stage on disk: backups first, then package files,
//! then generated files, then the manifest. A failure part way undoes what
//! was done, so the root ends as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{PlannedWrite, Source, StageError, StagePreview};
use crate::clock;
use crate::firmware::PackageSet;
use crate::fsutil::{is_temp_name, write_atomic};

/// The manifest's file name in the TFTP root.
pub const MANIFEST_NAME: &str = "convert79xx-manifest.json";

/// How the folders that replaced files are moved into start.
pub const BACKUP_PREFIX: &str = "backup-";

/// Whether a name in the root is our own bookkeeping (the manifest, a
/// backup folder, a temporary file): never served to a phone, whatever
/// its case (a backup holds the previous passwords).
pub fn is_bookkeeping_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == MANIFEST_NAME || lower.starts_with(BACKUP_PREFIX) || is_temp_name(name)
}

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
    pub notes: Vec<String>,
    pub actions: Vec<String>,
    pub written_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub size: u64,
    /// `generated` or the package file name it came from.
    pub source: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestMove {
    pub name: String,
    /// Where it went, relative to the root.
    pub to: String,
    pub why: String,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StageError + '_ {
    move |source| StageError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Regular files at the top of the root, by exact name (our temporary
/// files and manifest excluded). A missing root is an empty one.
pub(super) fn list_root(root: &Path) -> Result<BTreeMap<String, PathBuf>, StageError> {
    let mut out = BTreeMap::new();
    match fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(StageError::Root {
                path: root.to_path_buf(),
                why: "is a file, not a folder: give a folder for the TFTP root".into(),
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
        if is_temp_name(&name) || name == MANIFEST_NAME {
            continue;
        }
        let kind = entry.file_type().map_err(io(root))?;
        if kind.is_file() {
            out.insert(name, entry.path());
        } else if !kind.is_dir() {
            // A link or a device: never follow or replace it.
            out.insert(name, entry.path());
        }
    }
    Ok(out)
}

/// Whether the file at `path` already holds exactly `source`.
pub(super) fn same_content(path: &Path, source: &Source) -> Result<bool, StageError> {
    let meta = fs::symlink_metadata(path).map_err(io(path))?;
    if !meta.is_file() {
        return Ok(false);
    }
    match source {
        Source::Generated(bytes) => {
            Ok(meta.len() == bytes.len() as u64 && fs::read(path).map_err(io(path))? == *bytes)
        }
        Source::Package { size, crc32, .. } => {
            if meta.len() != *size {
                return Ok(false);
            }
            let mut f = fs::File::open(path).map_err(io(path))?;
            let mut h = crc32fast::Hasher::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = f.read(&mut buf).map_err(io(path))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            Ok(h.finalize() == *crc32)
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

/// What has been done so far, to undo on failure.
#[derive(Default)]
struct Undo {
    created_root: bool,
    backup_dir: Option<PathBuf>,
    moved: Vec<(PathBuf, PathBuf)>,
    written: Vec<PathBuf>,
}

impl Undo {
    fn run(self, root: &Path) {
        for p in self.written.iter().rev() {
            let _ = fs::remove_file(p);
        }
        for (from, to) in self.moved.iter().rev() {
            let _ = fs::rename(to, from);
        }
        if let Some(d) = &self.backup_dir {
            let _ = fs::remove_dir(d);
        }
        if self.created_root {
            let _ = fs::remove_dir(root);
        }
    }
}

pub(super) fn apply(
    preview: &StagePreview,
    packages: &PackageSet,
    root: &Path,
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
    // The previous manifest is ours, but a record the user may want: it goes
    // into the backup folder with the rest, never overwritten.
    let mut moves = preview.moves.clone();
    if !idle && root.join(MANIFEST_NAME).is_file() {
        moves.push(super::PlannedMove {
            name: MANIFEST_NAME.to_string(),
            why: "the previous stage's manifest, kept as a record".into(),
        });
    }
    let mut undo = Undo::default();
    let result = (|| -> Result<Option<String>, StageError> {
        if idle {
            return Ok(None);
        }
        if !root.exists() {
            fs::create_dir_all(root).map_err(io(root))?;
            undo.created_root = true;
        }
        let mut backup_name = None;
        if !moves.is_empty() {
            let base = format!("{BACKUP_PREFIX}{}", clock::compact(now));
            let mut name = base.clone();
            let mut n = 2;
            while root.join(&name).exists() {
                name = format!("{base}-{n}");
                n += 1;
            }
            let dir = root.join(&name);
            fs::create_dir(&dir).map_err(io(&dir))?;
            undo.backup_dir = Some(dir.clone());
            for m in &moves {
                let from = root.join(&m.name);
                let to = dir.join(&m.name);
                fs::rename(&from, &to).map_err(io(&from))?;
                undo.moved.push((from, to));
            }
            backup_name = Some(name);
        }
        for (i, entries) in &by_package {
            let done = packages.packages()[*i].unpack_into(root, Some(entries))?;
            undo.written.extend(done.into_iter().map(|d| d.path));
        }
        for w in &preview.write {
            if let Source::Generated(bytes) = &w.source {
                let path = root.join(&w.name);
                write_atomic(&path, bytes).map_err(io(&path))?;
                undo.written.push(path);
            }
        }
        Ok(backup_name)
    })();
    let backup_dir = match result {
        Ok(b) => b,
        Err(e) => {
            undo.run(root);
            return Err(e);
        }
    };

    let mut expected: Vec<String> = preview
        .write
        .iter()
        .chain(&preview.unchanged)
        .map(|w| w.name.clone())
        .collect();
    expected.sort();
    let manifest = Manifest {
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
    };
    if idle {
        return Ok(manifest);
    }
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest always serializes");
    let path = root.join(MANIFEST_NAME);
    write_atomic(&path, &json).map_err(io(&path))?;
    Ok(manifest)
}
