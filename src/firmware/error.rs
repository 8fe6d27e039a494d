//! Everything that can be wrong with a firmware package, each case saying
//! what is wrong, where, and what to do about it.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::msg;
use crate::msg::Msg;

/// Why a firmware package was refused or could not be read. Every variant
/// names the package (and the entry, where there is one) and its message
/// ends with a fix.
#[derive(Debug)]
pub enum PackageError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    NotFound {
        path: PathBuf,
    },
    NotAZip {
        path: PathBuf,
        starts_with: String,
    },
    TarArchive {
        path: PathBuf,
    },
    NotAPackage {
        path: PathBuf,
    },
    Truncated {
        path: PathBuf,
        /// What the zip reader found wrong, in our words ([`zip_words`]).
        detail: Msg,
    },
    NoLoads {
        path: PathBuf,
    },
    Mgcp {
        path: PathBuf,
        entry: String,
    },
    ZipSlip {
        path: PathBuf,
        entry: String,
    },
    AbsolutePath {
        path: PathBuf,
        entry: String,
    },
    Backslash {
        path: PathBuf,
        entry: String,
    },
    BadName {
        path: PathBuf,
        entry: String,
        why: Msg,
    },
    Symlink {
        path: PathBuf,
        entry: String,
    },
    NotRegular {
        path: PathBuf,
        entry: String,
    },
    CaseCollision {
        path: PathBuf,
        first: String,
        second: String,
    },
    Duplicate {
        path: PathBuf,
        entry: String,
    },
    NestedFolder {
        path: PathBuf,
        entry: String,
    },
    Encrypted {
        path: PathBuf,
        entry: String,
    },
    /// Packed with a method no firmware package uses (bzip2, LZMA, zstd…).
    UnsupportedMethod {
        path: PathBuf,
        entry: String,
        method: String,
    },
    EntryTooLarge {
        path: PathBuf,
        entry: String,
        size: u64,
        limit: u64,
    },
    TotalTooLarge {
        path: PathBuf,
        total: u64,
        limit: u64,
    },
    CompressionRatio {
        path: PathBuf,
        entry: String,
        ratio: u64,
    },
    ExpandsBeyondDeclared {
        path: PathBuf,
        entry: String,
        declared: u64,
    },
    TooManyEntries {
        path: PathBuf,
        count: usize,
    },
    OverlappingEntries {
        path: PathBuf,
    },
    HeaderMismatch {
        path: PathBuf,
        entry: String,
        detail: String,
    },
    Damaged {
        path: PathBuf,
        entry: String,
        detail: String,
    },
    CrcMismatch {
        path: PathBuf,
        entry: String,
        expected: u32,
        actual: u32,
    },
    ChangedOnDisk {
        path: PathBuf,
        entry: String,
    },
    NotInPackage {
        path: PathBuf,
        entry: String,
        hint: Box<Msg>,
    },
    DestinationNotAFolder {
        path: PathBuf,
    },
    Conflicts {
        path: PathBuf,
        names: Vec<String>,
    },
    Incomplete {
        path: PathBuf,
        load: String,
        missing: Vec<String>,
        hint: Box<Msg>,
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

impl PackageError {
    /// The error as words to render in the user's language (paths, entry
    /// names and the operating system's own text stay as they are).
    pub fn msg(&self) -> Msg {
        use PackageError as E;
        match self {
            E::Io { path, source } => msg!(
                "package.io",
                "{path}: {error}: check the path and that you may read it",
                path = path.display(),
                error = source,
            ),
            E::NotFound { path } => msg!(
                "package.not_found",
                "{path} does not exist: check the path (firmware paths in a session file are relative to that file)",
                path = path.display(),
            ),
            E::NotAZip { path, starts_with } => msg!(
                "package.not_a_zip",
                "{path}: this is not a zip file (starts with {start}): give the firmware zip as downloaded from Cisco, its unpacked folder, or a single image file",
                path = path.display(),
                start = starts_with,
            ),
            E::TarArchive { path } => msg!(
                "package.tar",
                "{path}: this is a tar archive, not a zip: unpack it (tar -xf) and give the folder",
                path = path.display(),
            ),
            E::NotAPackage { path } => msg!(
                "package.not_a_package",
                "{path}: neither a zip, a folder nor a firmware image (images are named like P0S3-8-12-00.loads, P00308010200.sb2 or P0S30203.bin): give the firmware package",
                path = path.display(),
            ),
            E::Truncated { path, detail } => msg!(
                "package.truncated",
                "{path}: the zip is truncated or damaged ({detail}): download it again",
                path = path.display(),
                detail => detail.clone(),
            ),
            E::NoLoads { path } => msg!(
                "package.no_loads",
                "{path} holds no Cisco 7940/7960 firmware image (no P003…/P0S3… .bin, .sbn, .loads or .sb2 file): give the firmware package instead",
                path = path.display(),
            ),
            E::Mgcp { path, entry } => msg!(
                "package.mgcp",
                "{path}: \"{entry}\" is an MGCP load (P0M3…): recognised, but convert79xx moves phones between SCCP and SIP only; give the SCCP or SIP package",
                path = path.display(),
                entry = entry,
            ),
            E::ZipSlip { path, entry } => msg!(
                "package.zip_slip",
                "{path}: entry \"{entry}\" climbs out of the folder with \"..\" (zip-slip): refused; nothing was written; download the package from Cisco again",
                path = path.display(),
                entry = entry,
            ),
            E::AbsolutePath { path, entry } => msg!(
                "package.absolute_path",
                "{path}: entry \"{entry}\" has an absolute path or drive letter: refused, a firmware zip holds plain file names; nothing was written; download the package from Cisco again",
                path = path.display(),
                entry = entry,
            ),
            E::Backslash { path, entry } => msg!(
                "package.backslash",
                "{path}: entry \"{entry}\" contains a backslash, which would act as a folder separator on Windows: refused; nothing was written; download the package from Cisco again",
                path = path.display(),
                entry = entry,
            ),
            E::BadName { path, entry, why } => msg!(
                "package.bad_name",
                "{path}: entry \"{entry}\" has a name no TFTP root should hold ({why}): refused; download the package from Cisco again",
                path = path.display(),
                entry = entry,
                why => why.clone(),
            ),
            E::Symlink { path, entry } => msg!(
                "package.symlink",
                "{path}: entry \"{entry}\" is a symbolic link: refused, firmware packages hold only plain files; nothing was written; download the package from Cisco again",
                path = path.display(),
                entry = entry,
            ),
            E::NotRegular { path, entry } => msg!(
                "package.not_regular",
                "{path}: \"{entry}\" is not a plain file (a device, pipe or socket): refused; remove it or give the package's files only",
                path = path.display(),
                entry = entry,
            ),
            E::CaseCollision {
                path,
                first,
                second,
            } => msg!(
                "package.case_collision",
                "{path}: \"{first}\" and \"{second}\" differ only in letter case; phones ask for exact names and some systems cannot hold both: refused; download the package from Cisco again",
                path = path.display(),
                first = first,
                second = second,
            ),
            E::Duplicate { path, entry } => msg!(
                "package.duplicate",
                "{path}: \"{entry}\" appears twice: refused, it is not clear which copy is real; download the package from Cisco again",
                path = path.display(),
                entry = entry,
            ),
            E::NestedFolder { path, entry } => msg!(
                "package.nested_folder",
                "{path}: \"{entry}\" is inside a folder; Cisco firmware zips are flat and the phone fetches every file from the TFTP root: put the files at the top level of the zip or folder",
                path = path.display(),
                entry = entry,
            ),
            E::Encrypted { path, entry } => msg!(
                "package.encrypted",
                "{path}: \"{entry}\" is encrypted (password-protected): refused; give the package as Cisco ships it, without a password",
                path = path.display(),
                entry = entry,
            ),
            E::UnsupportedMethod {
                path,
                entry,
                method,
            } => msg!(
                "package.unsupported_method",
                "{path}: \"{entry}\" is compressed with {method}, a method Cisco's firmware zips never use (they use deflate): refused; download the package from Cisco again, or re-zip the files with ordinary (deflate) compression",
                path = path.display(),
                entry = entry,
                method = method,
            ),
            E::EntryTooLarge {
                path,
                entry,
                size,
                limit,
            } => msg!(
                "package.entry_too_large",
                "{path}: \"{entry}\" would expand to {size}, more than the {limit} any 7940/7960 firmware file needs (a zip bomb?): refused; download the package from Cisco again",
                path = path.display(),
                entry = entry,
                size = human(*size),
                limit = human(*limit),
            ),
            E::TotalTooLarge { path, total, limit } => msg!(
                "package.total_too_large",
                "{path}: the package would expand to {total} in all, more than the {limit} a 7940/7960 firmware package needs (a zip bomb?): refused; give only the firmware package",
                path = path.display(),
                total = human(*total),
                limit = human(*limit),
            ),
            E::CompressionRatio { path, entry, ratio } => msg!(
                "package.compression_ratio",
                "{path}: \"{entry}\" expands {ratio} times its stored size, beyond reason for firmware (a zip bomb?): refused; download the package from Cisco again",
                path = path.display(),
                entry = entry,
                ratio = ratio,
            ),
            E::ExpandsBeyondDeclared {
                path,
                entry,
                declared,
            } => msg!(
                "package.beyond_declared",
                "{path}: \"{entry}\" expands past the {declared} bytes the zip declares for it (a zip bomb or a damaged zip): refused; nothing was written; download the package again",
                path = path.display(),
                entry = entry,
                declared = declared,
            ),
            E::TooManyEntries { path, count } => msg!(
                "package.too_many_entries",
                "{path}: {count} entries, far more than a firmware package holds: refused; give only the firmware package",
                path = path.display(),
                count = count,
            ),
            E::OverlappingEntries { path } => msg!(
                "package.overlapping",
                "{path}: entries overlap inside the zip (a zip bomb trick): refused; download the package from Cisco again",
                path = path.display(),
            ),
            E::HeaderMismatch {
                path,
                entry,
                detail,
            } => msg!(
                "package.header_mismatch",
                "{path}: the zip's local header for \"{entry}\" disagrees with its directory ({detail}), a way to smuggle another name or size past a check: refused; nothing was written; download the package from Cisco again",
                path = path.display(),
                entry = entry,
                detail = detail,
            ),
            E::Damaged {
                path,
                entry,
                detail,
            } => msg!(
                "package.damaged",
                "{path}: \"{entry}\" is damaged ({detail}): download the package again",
                path = path.display(),
                entry = entry,
                detail = detail,
            ),
            E::CrcMismatch {
                path,
                entry,
                expected,
                actual,
            } => msg!(
                "package.crc",
                "{path}: \"{entry}\" fails its CRC check (expected {expected}, got {actual}): the download is corrupt; nothing was written; download the package again",
                path = path.display(),
                entry = entry,
                expected = format!("{expected:08x}"),
                actual = format!("{actual:08x}"),
            ),
            E::ChangedOnDisk { path, entry } => msg!(
                "package.changed_on_disk",
                "{path}: \"{entry}\" changed since the package was opened (size or CRC differs): open the package again",
                path = path.display(),
                entry = entry,
            ),
            E::NotInPackage { path, entry, hint } => msg!(
                "package.not_in_package",
                "{path}: no file \"{entry}\" in this package: {hint}",
                path = path.display(),
                entry = entry,
                hint => (**hint).clone(),
            ),
            E::DestinationNotAFolder { path } => msg!(
                "package.destination_not_a_folder",
                "{path} is not a folder: give the TFTP root folder to unpack into",
                path = path.display(),
            ),
            E::Conflicts { path, names } => msg!(
                "package.conflicts",
                "{path} already holds {names}: nothing was written; move them aside first (prepare backs them up for you)",
                path = path.display(),
                names = names.join(", "),
            ),
            E::Incomplete {
                path,
                load,
                missing,
                hint,
            } => msg!(
                "package.incomplete",
                "{path}: lacks {missing} needed for {load}: {hint}",
                path = path.display(),
                missing = missing.join(", "),
                load = load,
                hint => (**hint).clone(),
            ),
        }
    }
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

/// English, as logs and JSON carry it.
/// What the zip reader said is wrong with an archive, in our words: its
/// own sentences ("invalid Zip archive: Could not find EOCD") are English
/// and name zip's internals; the system's error inside an i/o error and
/// zip's detail of a damaged directory are kept as they are.
pub fn zip_words(e: &zip::result::ZipError) -> Msg {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => Msg::verbatim(io.to_string()),
        Z::InvalidArchive(why) if why.contains("EOCD") => msg!(
            "package.zip.no_end",
            "its end, which lists the files, is missing or cut short"
        ),
        Z::InvalidArchive(why) => msg!(
            "package.zip.invalid",
            "its list of files is broken: {why}",
            why = why,
        ),
        Z::UnsupportedArchive(what) => msg!(
            "package.zip.unsupported",
            "it uses a zip feature this program cannot read: {what}",
            what = what,
        ),
        other => Msg::verbatim(other.to_string()),
    }
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.msg(), f)
    }
}

impl std::error::Error for PackageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PackageError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
