//! Unpacking into a TFTP root, all or nothing: every file streams into a
//! temporary file beside its target and is CRC-checked; only when all of
//! them passed are they renamed into place. On any error the temporaries go
//! and the folder is as it was.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{FirmwarePackage, PackageError, PackageFile, stream};
use crate::fsutil::{TEMP_PREFIX, sync_dir};

/// A file put in place by an unpack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnpackedFile {
    /// Exact name, as the phone will request it.
    pub name: String,
    /// Where it now is.
    pub path: PathBuf,
    pub size: u64,
    pub crc32: u32,
    /// Whether a file of that name was there before and got replaced.
    pub replaced: bool,
}

impl FirmwarePackage {
    /// Unpack `only` these files (all when `None`) into `dest_dir`, with
    /// exact case, CRC-checked. Refuses, writing nothing, when any target
    /// name (in any letter case) already exists there.
    pub fn unpack_into(
        &self,
        dest_dir: &Path,
        only: Option<&[&str]>,
    ) -> Result<Vec<UnpackedFile>, PackageError> {
        self.unpack(dest_dir, only, false)
    }

    /// Like [`unpack_into`](Self::unpack_into) but replaces existing files of
    /// the same name. For the stage writer, which backs them up first.
    pub fn unpack_into_replacing(
        &self,
        dest_dir: &Path,
        only: Option<&[&str]>,
    ) -> Result<Vec<UnpackedFile>, PackageError> {
        self.unpack(dest_dir, only, true)
    }

    fn unpack(
        &self,
        dest_dir: &Path,
        only: Option<&[&str]>,
        overwrite: bool,
    ) -> Result<Vec<UnpackedFile>, PackageError> {
        let meta = fs::metadata(dest_dir).map_err(|e| PackageError::io(dest_dir, e))?;
        if !meta.is_dir() {
            return Err(PackageError::DestinationNotAFolder {
                path: dest_dir.to_path_buf(),
            });
        }
        let selected = self.select(only)?;
        let existing = existing_names(dest_dir, &selected, overwrite)?;

        let mut temps = Temps::default();
        let mut staged: Vec<(&PackageFile, PathBuf)> = Vec::new();
        let written = stream::for_each(self, &selected, |file, reader| {
            let (tmp, mut out) = temps.create(dest_dir, &file.name)?;
            io::copy(reader, &mut out)
                .and_then(|_| out.flush())
                .and_then(|()| out.sync_all())
                .map_err(|e| PackageError::io(&tmp, e))?;
            staged.push((file, tmp));
            Ok(())
        });
        if let Err(e) = written {
            temps.remove_all();
            return Err(e);
        }

        let mut done: Vec<UnpackedFile> = Vec::new();
        for (file, tmp) in &staged {
            let target = dest_dir.join(&file.name);
            if let Err(e) = fs::rename(tmp, &target) {
                // Put the folder back: new files go; replaced ones cannot
                // come back (the stage writer holds their backups).
                for d in done.iter().filter(|d| !d.replaced) {
                    let _ = fs::remove_file(&d.path);
                }
                temps.remove_all();
                return Err(PackageError::io(&target, e));
            }
            temps.forget(tmp);
            done.push(UnpackedFile {
                name: file.name.clone(),
                path: target,
                size: file.size,
                crc32: file.crc32,
                replaced: existing.contains(&file.name),
            });
        }
        sync_dir(dest_dir);
        Ok(done)
    }

    /// Names among `only` (all when `None`) that `dest_dir` already holds
    /// byte for byte (same exact name, size and CRC): nothing to unpack or
    /// back up for those.
    pub fn identical_in(
        &self,
        dest_dir: &Path,
        only: Option<&[&str]>,
    ) -> Result<Vec<String>, PackageError> {
        let mut same = Vec::new();
        for file in self.select(only)? {
            let target = dest_dir.join(&file.name);
            let Ok(meta) = fs::symlink_metadata(&target) else {
                continue;
            };
            if !meta.is_file() || meta.len() != file.size {
                continue;
            }
            // The exact name must be there, not a case variant of it.
            let exact = fs::read_dir(dest_dir)
                .map_err(|e| PackageError::io(dest_dir, e))?
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_str() == Some(file.name.as_str()));
            if !exact {
                continue;
            }
            let f = File::open(&target).map_err(|e| PackageError::io(&target, e))?;
            let (size, crc) = stream::crc_of(io::Read::take(f, file.size + 1))
                .map_err(|e| PackageError::io(&target, e))?;
            if size == file.size && crc == file.crc32 {
                same.push(file.name.clone());
            }
        }
        Ok(same)
    }

    /// The files to unpack, refusing names the package does not hold.
    fn select(&self, only: Option<&[&str]>) -> Result<Vec<&PackageFile>, PackageError> {
        match only {
            None => Ok(self.files().iter().collect()),
            Some(names) => {
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                for name in names {
                    let file = self.require(name)?;
                    if seen.insert(file.name.as_str()) {
                        out.push(file);
                    }
                }
                Ok(out)
            }
        }
    }
}

/// Names among `selected` already present in `dest` (compared without case,
/// since a case-insensitive file system would merge them). Without
/// `overwrite` any is a conflict; with it, only exact-name regular files may
/// be replaced (never a folder, never a same-name-other-case file).
fn existing_names(
    dest: &Path,
    selected: &[&PackageFile],
    overwrite: bool,
) -> Result<HashSet<String>, PackageError> {
    let mut present: Vec<(String, fs::FileType)> = Vec::new();
    for entry in fs::read_dir(dest).map_err(|e| PackageError::io(dest, e))? {
        let entry = entry.map_err(|e| PackageError::io(dest, e))?;
        let ft = entry
            .file_type()
            .map_err(|e| PackageError::io(entry.path(), e))?;
        present.push((entry.file_name().to_string_lossy().into_owned(), ft));
    }
    let mut conflicts = Vec::new();
    let mut replaced = HashSet::new();
    for file in selected {
        for (name, ft) in &present {
            if !name.eq_ignore_ascii_case(&file.name) {
                continue;
            }
            if overwrite && *name == file.name && !ft.is_dir() {
                replaced.insert(name.clone());
            } else {
                conflicts.push(name.clone());
            }
        }
    }
    if conflicts.is_empty() {
        Ok(replaced)
    } else {
        conflicts.sort();
        Err(PackageError::Conflicts {
            path: dest.to_path_buf(),
            names: conflicts,
        })
    }
}

/// Temporary files created so far, removed on failure.
#[derive(Default)]
struct Temps(Vec<PathBuf>);

impl Temps {
    /// A new temporary file beside `name` in `dir` (never an existing one).
    fn create(&mut self, dir: &Path, name: &str) -> Result<(PathBuf, File), PackageError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!("{TEMP_PREFIX}{}-u{n}-{name}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| PackageError::io(&tmp, e))?;
        self.0.push(tmp.clone());
        Ok((tmp, file))
    }

    fn forget(&mut self, tmp: &Path) {
        self.0.retain(|t| t != tmp);
    }

    fn remove_all(&mut self) {
        for t in self.0.drain(..) {
            let _ = fs::remove_file(&t);
        }
    }
}
