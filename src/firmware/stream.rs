//! Reading package files with every byte counted and CRC-checked, so a
//! lying size, a zip bomb or a corrupt download fails while reading, before
//! anything it produced is put in place.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use zip::ZipArchive;
use zip::read::ZipReadOptions;

use super::{FirmwarePackage, PackageError, PackageFile, PackageKind};

/// Size and CRC-32 of everything `reader` yields.
pub(crate) fn crc_of(mut reader: impl Read) -> io::Result<(u64, u32)> {
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, hasher.finalize()))
}

/// Hand each of `files` to `consume` as a reader that fails (with the
/// matching [`PackageError`]) on more bytes than listed, fewer bytes, or a
/// CRC mismatch. The check at the end fires before the reader reports end of
/// file, so a consumer that copies to EOF never sees unchecked data as whole.
pub(super) fn for_each<'f>(
    pkg: &FirmwarePackage,
    files: &[&'f PackageFile],
    mut consume: impl FnMut(&'f PackageFile, &mut dyn Read) -> Result<(), PackageError>,
) -> Result<(), PackageError> {
    match pkg.kind() {
        PackageKind::Zip => {
            let path = pkg.path();
            let archive_file = File::open(path).map_err(|e| PackageError::io(path, e))?;
            let mut archive = ZipArchive::new(BufReader::new(archive_file)).map_err(|e| {
                PackageError::Truncated {
                    path: path.to_path_buf(),
                    detail: super::error::zip_words(&e),
                }
            })?;
            for file in files {
                let (index, raw_name) = file
                    .index
                    .as_ref()
                    .expect("zip package files carry their index");
                let index = *index;
                let options = ZipReadOptions::new()
                    .ignore_crc32(true)
                    .enforce_header_consistency(true);
                let mut entry = archive
                    .by_index_with_options(index, options)
                    .map_err(|e| entry_error(path, &file.name, e.to_string()))?;
                // The archive may have been replaced since it was listed.
                if entry.name().ok().as_deref() != Some(raw_name.as_str()) {
                    return Err(PackageError::ChangedOnDisk {
                        path: path.to_path_buf(),
                        entry: file.name.clone(),
                    });
                }
                run(path, file, false, &mut entry, &mut consume)?;
            }
        }
        PackageKind::Folder | PackageKind::Image => {
            let path = pkg.path();
            for file in files {
                let file_path = if pkg.kind() == PackageKind::Folder {
                    path.join(&file.name)
                } else {
                    path.to_path_buf()
                };
                let mut f = File::open(&file_path).map_err(|e| PackageError::io(&file_path, e))?;
                run(path, file, true, &mut f, &mut consume)?;
            }
        }
    }
    Ok(())
}

/// A zip entry that cannot be opened: a header trick or plain damage.
fn entry_error(path: &Path, entry: &str, detail: String) -> PackageError {
    let (path, entry) = (path.to_path_buf(), entry.to_string());
    if detail.contains("header inconsistency") {
        PackageError::HeaderMismatch {
            path,
            entry,
            detail,
        }
    } else {
        PackageError::Damaged {
            path,
            entry,
            detail,
        }
    }
}

fn run<'f>(
    pkg: &Path,
    file: &'f PackageFile,
    on_disk: bool,
    inner: &mut dyn Read,
    consume: &mut impl FnMut(&'f PackageFile, &mut dyn Read) -> Result<(), PackageError>,
) -> Result<(), PackageError> {
    let mut checked = Checked {
        inner,
        pkg,
        file,
        on_disk,
        count: 0,
        hasher: crc32fast::Hasher::new(),
        failure: None,
        done: false,
    };
    let result = consume(file, &mut checked);
    let result = result.and_then(|()| {
        // Make sure the end-of-file checks ran even if the consumer stopped early.
        io::copy(&mut checked, &mut io::sink())
            .map(|_| ())
            .map_err(|e| PackageError::io(pkg, e))
    });
    match (result, checked.failure.take()) {
        (_, Some(failure)) => Err(failure),
        (Err(e), None) => Err(e),
        (Ok(()), None) => Ok(()),
    }
}

struct Checked<'a> {
    inner: &'a mut dyn Read,
    pkg: &'a Path,
    file: &'a PackageFile,
    /// A folder or lone image: a mismatch means the file changed since open.
    on_disk: bool,
    count: u64,
    hasher: crc32fast::Hasher,
    failure: Option<PackageError>,
    done: bool,
}

impl Checked<'_> {
    fn fail(&mut self, error: PackageError) -> io::Error {
        let message = error.to_string();
        self.failure.get_or_insert(error);
        io::Error::new(io::ErrorKind::InvalidData, message)
    }

    fn changed_or(&self, error: PackageError) -> PackageError {
        if self.on_disk {
            PackageError::ChangedOnDisk {
                path: self.pkg.to_path_buf(),
                entry: self.file.name.clone(),
            }
        } else {
            error
        }
    }

    fn beyond_declared(&self) -> PackageError {
        self.changed_or(PackageError::ExpandsBeyondDeclared {
            path: self.pkg.to_path_buf(),
            entry: self.file.name.clone(),
            declared: self.file.size,
        })
    }
}

impl Read for Checked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(f) = &self.failure {
            return Err(io::Error::new(io::ErrorKind::InvalidData, f.to_string()));
        }
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        // Never ask for more than one byte past the declared size.
        let room = self.file.size.saturating_sub(self.count).saturating_add(1);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                let text = e.to_string();
                let error = if text.contains("declared uncompressed size") {
                    self.beyond_declared()
                } else {
                    self.changed_or(PackageError::Damaged {
                        path: self.pkg.to_path_buf(),
                        entry: self.file.name.clone(),
                        detail: text,
                    })
                };
                return Err(self.fail(error));
            }
        };
        self.count += n as u64;
        if self.count > self.file.size {
            let error = self.beyond_declared();
            return Err(self.fail(error));
        }
        self.hasher.update(&buf[..n]);
        if n == 0 {
            if self.count != self.file.size {
                let error = self.changed_or(PackageError::Damaged {
                    path: self.pkg.to_path_buf(),
                    entry: self.file.name.clone(),
                    detail: format!(
                        "{} bytes where the listing says {}",
                        self.count, self.file.size
                    ),
                });
                return Err(self.fail(error));
            }
            let actual = self.hasher.clone().finalize();
            if actual != self.file.crc32 {
                let error = self.changed_or(PackageError::CrcMismatch {
                    path: self.pkg.to_path_buf(),
                    entry: self.file.name.clone(),
                    expected: self.file.crc32,
                    actual,
                });
                return Err(self.fail(error));
            }
            self.done = true;
        }
        Ok(n)
    }
}
