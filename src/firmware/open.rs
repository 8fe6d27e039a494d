//! Listing a package: what kind it is, which files it holds, and the
//! refusals that need no more than the listing.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::Path;

use zip::{CompressionMethod, ZipArchive};

use super::policy::{self, Limits};
use super::{FileRole, PackageError, PackageFile, PackageKind, naming, stream};

const ZIP_MAGICS: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];

pub(super) fn list(
    path: &Path,
    limits: &Limits,
) -> Result<(PackageKind, Vec<PackageFile>), PackageError> {
    let meta = fs::metadata(path).map_err(|e| PackageError::io(path, e))?;
    if meta.is_dir() {
        return Ok((PackageKind::Folder, list_folder(path, limits)?));
    }
    if !meta.is_file() {
        return Err(PackageError::NotRegular {
            path: path.to_path_buf(),
            entry: path.display().to_string(),
        });
    }
    let head = read_head(path)?;
    if ZIP_MAGICS.iter().any(|m| head.starts_with(m)) {
        return Ok((PackageKind::Zip, list_zip(path, limits)?));
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return Err(PackageError::TarArchive {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_zip_name = name.to_ascii_lowercase().ends_with(".zip");
    if !is_zip_name && naming::image_file(&name).is_some() {
        return Ok((PackageKind::Image, list_image(path, &name, limits)?));
    }
    if is_zip_name {
        return Err(PackageError::NotAZip {
            path: path.to_path_buf(),
            starts_with: describe_head(&head),
        });
    }
    Err(PackageError::NotAPackage {
        path: path.to_path_buf(),
    })
}

fn read_head(path: &Path) -> Result<Vec<u8>, PackageError> {
    let mut head = Vec::with_capacity(512);
    File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|e| PackageError::io(path, e))?;
    Ok(head)
}

/// The first bytes of a file, shown so a user can tell what it really is
/// (an HTML error page saved as `.zip` is the classic).
fn describe_head(head: &[u8]) -> String {
    if head.is_empty() {
        return "nothing: the file is empty".to_string();
    }
    let shown = &head[..head.len().min(16)];
    if shown
        .iter()
        .all(|b| b.is_ascii_graphic() || *b == b' ' || *b == b'\n' || *b == b'\r' || *b == b'\t')
    {
        format!("\"{}\"", String::from_utf8_lossy(shown).escape_debug())
    } else {
        shown
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The name of a compression method this build cannot read, or `None` for
/// the ones firmware packages use (stored, deflate, deflate64): `zip` is
/// built with those alone (Cargo.toml).
fn unsupported_method(method: CompressionMethod) -> Option<String> {
    let supported = [
        CompressionMethod::Stored,
        CompressionMethod::Deflated,
        CompressionMethod::Deflate64,
    ];
    if supported.contains(&method) {
        return None;
    }
    Some(match method.to_string().as_str() {
        "Unknown" => "an unknown method".to_string(),
        "Bzip2" => "bzip2".to_string(),
        "Lzma" => "LZMA".to_string(),
        "Xz" => "XZ".to_string(),
        "Zstd" => "Zstandard (zstd)".to_string(),
        "Ppmd" => "PPMd".to_string(),
        "Aes" => "AES encryption".to_string(),
        other => other.to_string(),
    })
}

fn list_zip(path: &Path, limits: &Limits) -> Result<Vec<PackageFile>, PackageError> {
    let file = File::open(path).map_err(|e| PackageError::io(path, e))?;
    let mut archive =
        ZipArchive::new(BufReader::new(file)).map_err(|e| PackageError::Truncated {
            path: path.to_path_buf(),
            detail: super::error::zip_words(&e),
        })?;
    if archive.len() > limits.max_entries {
        return Err(PackageError::TooManyEntries {
            path: path.to_path_buf(),
            count: archive.len(),
        });
    }
    if archive.has_duplicate_names() {
        let start = archive.central_directory_start();
        return Err(PackageError::Duplicate {
            path: path.to_path_buf(),
            entry: first_duplicate(path, start).unwrap_or_else(|| "a name".to_string()),
        });
    }

    struct Listed {
        index: usize,
        raw: String,
        parts: Vec<String>,
        is_dir: bool,
        size: u64,
        stored: u64,
        crc32: u32,
    }
    let mut listed = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|e| PackageError::Truncated {
                path: path.to_path_buf(),
                detail: super::error::zip_words(&e),
            })?;
        let raw = entry.name().map_err(|_| PackageError::BadName {
            path: path.to_path_buf(),
            entry: String::from_utf8_lossy(entry.name_raw()).into_owned(),
            why: crate::msg!("package.name.not_text", "a name that is not valid text"),
        })?;
        let raw = raw.into_owned();
        let parts = policy::split_entry_name(path, &raw)?;
        let parts: Vec<String> = parts.into_iter().map(str::to_string).collect();
        if policy::is_ignorable(&raw) {
            continue;
        }
        if entry.is_symlink() {
            return Err(PackageError::Symlink {
                path: path.to_path_buf(),
                entry: raw,
            });
        }
        if let Some(mode) = entry.unix_mode() {
            let kind = mode & 0o170000;
            if kind != 0 && kind != 0o100000 && kind != 0o040000 {
                return Err(PackageError::NotRegular {
                    path: path.to_path_buf(),
                    entry: raw,
                });
            }
        }
        if entry.encrypted() {
            return Err(PackageError::Encrypted {
                path: path.to_path_buf(),
                entry: raw,
            });
        }
        if let Some(method) = unsupported_method(entry.compression()) {
            return Err(PackageError::UnsupportedMethod {
                path: path.to_path_buf(),
                entry: raw,
                method,
            });
        }
        listed.push(Listed {
            index,
            raw: raw.clone(),
            is_dir: entry.is_dir(),
            size: entry.size(),
            stored: entry.compressed_size(),
            crc32: entry.crc32(),
            parts,
        });
    }

    // Cisco zips are flat; a repack may wrap everything in one folder.
    let wrapper = {
        let first = listed
            .iter()
            .find(|l| !l.is_dir)
            .map(|l| l.parts[0].clone());
        first.filter(|w| {
            listed.iter().all(|l| {
                if l.is_dir {
                    l.parts.len() == 1 && &l.parts[0] == w
                } else {
                    l.parts.len() == 2 && &l.parts[0] == w
                }
            })
        })
    };
    let strip = usize::from(wrapper.is_some());
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for l in &listed {
        if l.is_dir {
            if wrapper.is_none() {
                return Err(PackageError::NestedFolder {
                    path: path.to_path_buf(),
                    entry: format!("{}/", l.parts.join("/")),
                });
            }
            continue;
        }
        if l.parts.len() != 1 + strip {
            return Err(PackageError::NestedFolder {
                path: path.to_path_buf(),
                entry: l.parts.join("/"),
            });
        }
        let name = l.parts[strip].clone();
        limits.check_entry(path, &name, l.size, Some(l.stored))?;
        total = total.saturating_add(l.size);
        files.push(PackageFile {
            role: FileRole::of(&name),
            name,
            size: l.size,
            crc32: l.crc32,
            index: Some((l.index, l.raw.clone())),
        });
    }
    policy::check_case_collisions(path, files.iter().map(|f| f.name.as_str()))?;
    limits.check_total(path, total)?;
    match archive.has_overlapping_entries() {
        Ok(false) => {}
        Ok(true) => {
            return Err(PackageError::OverlappingEntries {
                path: path.to_path_buf(),
            });
        }
        Err(e) => {
            return Err(PackageError::Truncated {
                path: path.to_path_buf(),
                detail: super::error::zip_words(&e),
            });
        }
    }
    Ok(files)
}

fn list_folder(dir: &Path, limits: &Limits) -> Result<Vec<PackageFile>, PackageError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| PackageError::io(dir, e))? {
        let entry = entry.map_err(|e| PackageError::io(dir, e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(PackageError::BadName {
                path: dir.to_path_buf(),
                entry: entry.file_name().to_string_lossy().into_owned(),
                why: crate::msg!("package.name.not_text", "a name that is not valid text"),
            });
        };
        if name.starts_with('.') || policy::is_ignorable(&name) {
            continue; // hidden files, our own temp files, Finder files
        }
        let ft = entry
            .file_type()
            .map_err(|e| PackageError::io(entry.path(), e))?;
        if ft.is_symlink() {
            return Err(PackageError::Symlink {
                path: dir.to_path_buf(),
                entry: name,
            });
        }
        if ft.is_dir() {
            continue; // only files at the top level count
        }
        if !ft.is_file() {
            return Err(PackageError::NotRegular {
                path: dir.to_path_buf(),
                entry: name,
            });
        }
        policy::split_entry_name(dir, &name)?;
        names.push(name);
    }
    names.sort();
    policy::check_case_collisions(dir, names.iter().map(String::as_str))?;
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for name in names {
        let file = describe_file(dir, &dir.join(&name), &name, limits)?;
        total = total.saturating_add(file.size);
        files.push(file);
    }
    limits.check_total(dir, total)?;
    Ok(files)
}

fn list_image(path: &Path, name: &str, limits: &Limits) -> Result<Vec<PackageFile>, PackageError> {
    Ok(vec![describe_file(path, path, name, limits)?])
}

/// Size and CRC of a plain file, read once through the size limit.
fn describe_file(
    pkg: &Path,
    file_path: &Path,
    name: &str,
    limits: &Limits,
) -> Result<PackageFile, PackageError> {
    let size = fs::metadata(file_path)
        .map_err(|e| PackageError::io(file_path, e))?
        .len();
    limits.check_entry(pkg, name, size, None)?;
    let f = File::open(file_path).map_err(|e| PackageError::io(file_path, e))?;
    let (read, crc32) =
        stream::crc_of(f.take(size + 1)).map_err(|e| PackageError::io(file_path, e))?;
    if read != size {
        return Err(PackageError::ChangedOnDisk {
            path: pkg.to_path_buf(),
            entry: name.to_string(),
        });
    }
    Ok(PackageFile {
        name: name.to_string(),
        size,
        crc32,
        role: FileRole::of(name),
        index: None,
    })
}

/// The first name the central directory lists twice. The zip reader keeps
/// one entry per name, so this walks the raw records (46-byte headers).
fn first_duplicate(path: &Path, cd_start: u64) -> Option<String> {
    use std::io::{Seek, SeekFrom};
    let mut f = File::open(path).ok()?;
    f.seek(SeekFrom::Start(cd_start)).ok()?;
    let mut cd = Vec::new();
    f.take(16 * 1024 * 1024).read_to_end(&mut cd).ok()?;
    let mut seen = std::collections::HashSet::new();
    let mut at = 0usize;
    let u16_at = |b: &[u8], i: usize| usize::from(u16::from_le_bytes([b[i], b[i + 1]]));
    while cd.len() >= at + 46 && cd[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] {
        let (n, x, c) = (
            u16_at(&cd, at + 28),
            u16_at(&cd, at + 30),
            u16_at(&cd, at + 32),
        );
        let name = cd.get(at + 46..at + 46 + n)?;
        let name = String::from_utf8_lossy(name).into_owned();
        if !seen.insert(name.clone()) {
            return Some(name);
        }
        at += 46 + n + x + c;
    }
    None
}
