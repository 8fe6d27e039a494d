//! Writing files without ever losing one (atomic replace, durable folders),
//! and reading only what is really a file.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target. A crash leaves either the
/// old file or the new one, never half of one. The temporary name starts
/// with `.convert79xx-tmp-` so a leftover is recognisable (and never served).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let tmp = temp_path(dir, &file_name);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Prefix of every temporary file this crate creates.
pub const TEMP_PREFIX: &str = ".convert79xx-tmp-";

fn temp_path(dir: &Path, file_name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        "{TEMP_PREFIX}{}-{n}-{file_name}",
        std::process::id()
    ))
}

/// Whether a file name is one of our temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX)
}

/// Open `path` for reading only when it is a regular file: never through a
/// symbolic link (on Unix the open itself refuses one, so a link swapped in
/// after a check is refused too), and never blocking on a FIFO or reading a
/// device. Anything else is an `InvalidInput` error saying what it is.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let not_regular = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("is {what}, not a regular file"),
        )
    };
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        match fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(not_regular("a symbolic link"));
            }
            Err(e) => return Err(e),
        }
    };
    #[cfg(not(unix))]
    let file = {
        let meta = fs::symlink_metadata(path)?;
        if !meta.is_file() {
            return Err(not_regular(describe_kind(&meta.file_type())));
        }
        File::open(path)?
    };
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(not_regular(describe_kind(&kind)));
    }
    Ok(file)
}

/// Read at most `limit` bytes of a file; `None` when it holds more.
pub fn read_bounded(file: File, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// What a folder entry is, in words ("a symbolic link", "a FIFO (named
/// pipe)", ...), for messages about entries that are not regular files.
pub fn describe_kind(kind: &fs::FileType) -> &'static str {
    if kind.is_file() {
        return "a regular file";
    }
    if kind.is_dir() {
        return "a folder";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "neither a file nor a folder"
}

/// Make every file written under `dir` durable before anything points at
/// them: on Linux one `syncfs` of the file system holding `dir` (one call
/// instead of one fsync per file, which is what makes 10,000 phones quick),
/// elsewhere an fsync of each regular file; then the folder itself.
pub fn sync_files_under(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let d = File::open(dir)?;
        // SAFETY: `syncfs` only reads the descriptor, which `d` keeps open
        // for the duration of the call.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::OpenOptions::new()
                .write(true)
                .open(entry.path())?
                .sync_all()?;
        }
    }
    sync_dir(dir);
    Ok(())
}

/// Persist a folder's entries (renames, new files). Best effort: not every
/// platform can open a folder.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension: Windows opens
/// the device instead of a file, so such a name is never read or written.
pub fn is_windows_device_name(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && matches!(stem.as_bytes()[3], b'1'..=b'9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("OS79XX.TXT");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"P0S3-8-12-00").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"P0S3-8-12-00");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("SIPDefault.cnf");
        fs::write(&file, b"image_version: P0S3-8-12-00\n").unwrap();
        let bytes = read_bounded(open_regular(&file).unwrap(), 1024).unwrap();
        assert_eq!(
            bytes.as_deref(),
            Some(&b"image_version: P0S3-8-12-00\n"[..])
        );
        assert_eq!(read_bounded(open_regular(&file).unwrap(), 4).unwrap(), None);

        let link = dir.path().join("OS79XX.TXT");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = open_regular(&link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        let e = open_regular(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("a device"), "{e}");
        assert!(open_regular(dir.path()).is_err());
    }
}
