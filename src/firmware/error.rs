//! Everything that can be wrong with a firmware package, each case saying
//! what is wrong, where, and what to do about it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a firmware package was refused or could not be read. Every variant
/// names the package (and the entry, where there is one) and its message
/// ends with a fix.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{}: {source}: check the path and that you may read it", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} does not exist: check the path (firmware paths in a session file are relative to that file)", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: this is not a zip file (starts with {starts_with}): give the firmware zip as downloaded from Cisco, its unpacked folder, or a single image file", path.display())]
    NotAZip { path: PathBuf, starts_with: String },
    #[error("{}: this is a tar archive, not a zip: unpack it (tar -xf) and give the folder", path.display())]
    TarArchive { path: PathBuf },
    #[error("{}: neither a zip, a folder nor a firmware image (images are named like P0S3-8-12-00.loads, P00308010200.sb2 or P0S30203.bin): give the firmware package", path.display())]
    NotAPackage { path: PathBuf },
    #[error("{}: the zip is truncated or damaged ({detail}): download it again", path.display())]
    Truncated { path: PathBuf, detail: String },
    #[error("{} holds no Cisco 7940/7960 firmware image (no P003…/P0S3… .bin, .sbn, .loads or .sb2 file): give the firmware package instead", path.display())]
    NoLoads { path: PathBuf },
    #[error("{}: \"{entry}\" is an MGCP load (P0M3…): recognised, but convert79xx moves phones between SCCP and SIP only; give the SCCP or SIP package", path.display())]
    Mgcp { path: PathBuf, entry: String },
    #[error("{}: entry \"{entry}\" climbs out of the folder with \"..\" (zip-slip): refused; nothing was written; download the package from Cisco again", path.display())]
    ZipSlip { path: PathBuf, entry: String },
    #[error("{}: entry \"{entry}\" has an absolute path or drive letter: refused, a firmware zip holds plain file names; nothing was written; download the package from Cisco again", path.display())]
    AbsolutePath { path: PathBuf, entry: String },
    #[error("{}: entry \"{entry}\" contains a backslash, which would act as a folder separator on Windows: refused; nothing was written; download the package from Cisco again", path.display())]
    Backslash { path: PathBuf, entry: String },
    #[error("{}: entry \"{entry}\" has a name no TFTP root should hold ({why}): refused; download the package from Cisco again", path.display())]
    BadName {
        path: PathBuf,
        entry: String,
        why: &'static str,
    },
    #[error("{}: entry \"{entry}\" is a symbolic link: refused, firmware packages hold only plain files; nothing was written; download the package from Cisco again", path.display())]
    Symlink { path: PathBuf, entry: String },
    #[error("{}: \"{entry}\" is not a plain file (a device, pipe or socket): refused; remove it or give the package's files only", path.display())]
    NotRegular { path: PathBuf, entry: String },
    #[error("{}: \"{first}\" and \"{second}\" differ only in letter case; phones ask for exact names and some systems cannot hold both: refused; download the package from Cisco again", path.display())]
    CaseCollision {
        path: PathBuf,
        first: String,
        second: String,
    },
    #[error("{}: \"{entry}\" appears twice: refused, it is not clear which copy is real; download the package from Cisco again", path.display())]
    Duplicate { path: PathBuf, entry: String },
    #[error("{}: \"{entry}\" is inside a folder; Cisco firmware zips are flat and the phone fetches every file from the TFTP root: put the files at the top level of the zip or folder", path.display())]
    NestedFolder { path: PathBuf, entry: String },
    #[error("{}: \"{entry}\" is encrypted (password-protected): refused; give the package as Cisco ships it, without a password", path.display())]
    Encrypted { path: PathBuf, entry: String },
    #[error("{}: \"{entry}\" would expand to {}, more than the {} any 7940/7960 firmware file needs (a zip bomb?): refused; download the package from Cisco again", path.display(), human(*size), human(*limit))]
    EntryTooLarge {
        path: PathBuf,
        entry: String,
        size: u64,
        limit: u64,
    },
    #[error("{}: the package would expand to {} in all, more than the {} a 7940/7960 firmware package needs (a zip bomb?): refused; give only the firmware package", path.display(), human(*total), human(*limit))]
    TotalTooLarge {
        path: PathBuf,
        total: u64,
        limit: u64,
    },
    #[error("{}: \"{entry}\" expands {ratio} times its stored size, beyond reason for firmware (a zip bomb?): refused; download the package from Cisco again", path.display())]
    CompressionRatio {
        path: PathBuf,
        entry: String,
        ratio: u64,
    },
    #[error("{}: \"{entry}\" expands past the {declared} bytes the zip declares for it (a zip bomb or a damaged zip): refused; nothing was written; download the package again", path.display())]
    ExpandsBeyondDeclared {
        path: PathBuf,
        entry: String,
        declared: u64,
    },
    #[error("{}: {count} entries, far more than a firmware package holds: refused; give only the firmware package", path.display())]
    TooManyEntries { path: PathBuf, count: usize },
    #[error("{}: entries overlap inside the zip (a zip bomb trick): refused; download the package from Cisco again", path.display())]
    OverlappingEntries { path: PathBuf },
    #[error("{}: the zip's local header for \"{entry}\" disagrees with its directory ({detail}), a way to smuggle another name or size past a check: refused; nothing was written; download the package from Cisco again", path.display())]
    HeaderMismatch {
        path: PathBuf,
        entry: String,
        detail: String,
    },
    #[error("{}: \"{entry}\" is damaged ({detail}): download the package again", path.display())]
    Damaged {
        path: PathBuf,
        entry: String,
        detail: String,
    },
    #[error("{}: \"{entry}\" fails its CRC check (expected {expected:08x}, got {actual:08x}): the download is corrupt; nothing was written; download the package again", path.display())]
    CrcMismatch {
        path: PathBuf,
        entry: String,
        expected: u32,
        actual: u32,
    },
    #[error("{}: \"{entry}\" changed since the package was opened (size or CRC differs): open the package again", path.display())]
    ChangedOnDisk { path: PathBuf, entry: String },
    #[error("{}: no file \"{entry}\" in this package: {hint}", path.display())]
    NotInPackage {
        path: PathBuf,
        entry: String,
        hint: String,
    },
    #[error("{} is not a folder: give the TFTP root folder to unpack into", path.display())]
    DestinationNotAFolder { path: PathBuf },
    #[error("{} already holds {}: nothing was written; move them aside first (prepare backs them up for you)", path.display(), names.join(", "))]
    Conflicts { path: PathBuf, names: Vec<String> },
    #[error("{}: {}", path.display(), Incomplete(load, missing, hint))]
    Incomplete {
        path: PathBuf,
        load: String,
        missing: Vec<String>,
        hint: String,
    },
}

/// "1.1 GB (1153433600 bytes)": sizes a person can read, exact bytes kept.
fn human(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB ({bytes} bytes)", bytes as f64 / 1e9)
    } else if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

struct Incomplete<'a>(&'a String, &'a Vec<String>, &'a String);

impl fmt::Display for Incomplete<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Incomplete(load, missing, hint) = self;
        write!(f, "lacks {} needed for {load}: {hint}", missing.join(", "))
    }
}

impl PackageError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        let path = path.into();
        if source.kind() == io::ErrorKind::NotFound {
            PackageError::NotFound { path }
        } else {
            PackageError::Io { path, source }
        }
    }

    /// Whether the package itself is hostile or broken (as opposed to a
    /// missing path, a conflict at the destination or an incomplete set).
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            PackageError::Io { .. }
                | PackageError::NotFound { .. }
                | PackageError::Conflicts { .. }
                | PackageError::Incomplete { .. }
                | PackageError::NotInPackage { .. }
                | PackageError::DestinationNotAFolder { .. }
        )
    }
}
