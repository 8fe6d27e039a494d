//! Firmware packages: a Cisco zip, its unpacked folder, or a lone image file.
//!
//! Opening a package lists it and refuses anything hostile before a byte is
//! unpacked (path tricks, links, case collisions, zip bombs, encryption).
//! Loads are identified by file name; a load's file set is checked for
//! completeness; every byte read is CRC-checked; unpacking is all or nothing.

mod error;
pub(crate) mod naming;
mod open;
mod policy;
mod set;
mod stream;
mod unpack;

use std::path::{Path, PathBuf};

pub use error::PackageError;
pub use naming::IMAGE_EXTENSIONS;

use crate::load::{Layout, LoadName};
use crate::msg;
use crate::msg::Msg;
pub use policy::Limits;
pub use set::{Found, Lack, PackageSet};
pub(crate) use stream::crc_of;
pub use unpack::UnpackedFile;

/// Companion files are small; reading one into memory is bounded by this.
const MAX_COMPANION: u64 = 1024 * 1024;

/// What a package is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// A zip archive (Cisco's `cmterm-…zip` or `P0S3-8-12-00.zip`).
    Zip,
    /// A folder holding the unpacked files at its top level.
    Folder,
    /// One image file on its own (old loads: `P0S30203.bin`).
    Image,
}

/// What a file in a package is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRole {
    /// Part of a load: `.bin`, `.sbn`, `.loads` or `.sb2`.
    Image { load: LoadName, ext: String },
    /// `OS79XX.TXT`: names the image old loads and the loader boot.
    Os79xxTxt,
    /// `gkdefault.txt`: source of the binary `gkdefault.cfg` profile.
    GkDefault,
    /// `sip_ptag.dat`: the tag table `gkdefault.cfg` is compiled with.
    SipPtag,
    /// `RINGLIST.DAT`: the ring tone list.
    RingList,
    /// A ring tone (`.pcm` / `.raw`).
    Ringtone,
    /// `dialplan.xml`.
    DialPlan,
    /// Anything else (read-me files and the like).
    Other,
}

impl FileRole {
    fn of(name: &str) -> FileRole {
        if let Some(image) = naming::image_file(name) {
            return FileRole::Image {
                load: image.load,
                ext: image.ext,
            };
        }
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "os79xx.txt" => FileRole::Os79xxTxt,
            "gkdefault.txt" => FileRole::GkDefault,
            "sip_ptag.dat" => FileRole::SipPtag,
            "ringlist.dat" => FileRole::RingList,
            "dialplan.xml" => FileRole::DialPlan,
            _ if lower.ends_with(".pcm") || lower.ends_with(".raw") => FileRole::Ringtone,
            _ => FileRole::Other,
        }
    }

    /// Whether this is a companion the config writers care about.
    pub fn is_companion(&self) -> bool {
        !matches!(self, FileRole::Image { .. } | FileRole::Other)
    }
}

/// One file of a package, as listed (zip: the central directory; folder and
/// image: read once at open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Exact name, as the phone will request it.
    pub name: String,
    /// Unpacked size in bytes.
    pub size: u64,
    /// CRC-32 every read is checked against.
    pub crc32: u32,
    pub role: FileRole,
    /// Zip entry index and its full name in the archive, for zips.
    pub(crate) index: Option<(usize, String)>,
}

/// An opened firmware package. Opening already refused anything hostile in
/// its listing; reading checks sizes and CRCs as it goes.
#[derive(Debug, Clone)]
pub struct FirmwarePackage {
    path: PathBuf,
    kind: PackageKind,
    files: Vec<PackageFile>,
    limits: Limits,
}

impl FirmwarePackage {
    /// Open a zip, a folder or a lone image file, with the default limits.
    pub fn open(path: impl AsRef<Path>) -> Result<FirmwarePackage, PackageError> {
        Self::open_with_limits(path, Limits::default())
    }

    /// Open with explicit limits (tests and unusual packages).
    pub fn open_with_limits(
        path: impl AsRef<Path>,
        limits: Limits,
    ) -> Result<FirmwarePackage, PackageError> {
        let path = path.as_ref().to_path_buf();
        let (kind, files) = open::list(&path, &limits)?;
        if !files
            .iter()
            .any(|f| matches!(f.role, FileRole::Image { .. }))
        {
            if let Some(mgcp) = files.iter().find(|f| is_mgcp_image(&f.name)) {
                return Err(PackageError::Mgcp {
                    path,
                    entry: mgcp.name.clone(),
                });
            }
            return Err(PackageError::NoLoads { path });
        }
        Ok(FirmwarePackage {
            path,
            kind,
            files,
            limits,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> PackageKind {
        self.kind
    }

    /// The package's file name (`P0S3-8-12-00.zip`), for messages.
    pub fn display_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }

    /// Every file, in package order.
    pub fn files(&self) -> &[PackageFile] {
        &self.files
    }

    /// The file with exactly this name.
    pub fn file(&self, name: &str) -> Option<&PackageFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Every load the package has files for (the universal loader included),
    /// in Cisco's spelling, sorted by name.
    pub fn loads(&self) -> Vec<LoadName> {
        let mut loads: Vec<LoadName> = Vec::new();
        for f in &self.files {
            if let FileRole::Image { load, .. } = &f.role
                && !loads.iter().any(|l| l.as_str() == load.as_str())
            {
                loads.push(load.clone());
            }
        }
        loads.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        loads
    }

    /// The loads a phone runs (everything but the universal loader).
    pub fn application_loads(&self) -> Vec<LoadName> {
        self.loads()
            .into_iter()
            .filter(|l| !l.is_universal_loader())
            .collect()
    }

    /// The universal application loader (`P003-8-12-00`), if the package has one.
    pub fn loader(&self) -> Option<LoadName> {
        self.loads().into_iter().find(|l| l.is_universal_loader())
    }

    /// Companion files: OS79XX.TXT, gkdefault.txt, sip_ptag.dat, RINGLIST.DAT,
    /// ring tones, dialplan.xml.
    pub fn companions(&self) -> Vec<&PackageFile> {
        self.files
            .iter()
            .filter(|f| f.role.is_companion())
            .collect()
    }

    /// This package's spelling of `load`, if it holds that load under any
    /// spelling (`P0S3-08-12-00` finds `P0S3-8-12-00`).
    pub fn spelling_of(&self, load: &LoadName) -> Option<LoadName> {
        let loads = self.loads();
        loads
            .iter()
            .find(|l| l.as_str() == load.as_str())
            .or_else(|| loads.iter().find(|l| l.same_file_set(load)))
            .cloned()
    }

    /// The file names a phone fetches to install `load`, in this package's
    /// spelling: the files of its layout ([`LoadName::files`]), the layout
    /// decided with what this package holds ([`Self::layout_of`]).
    pub fn needed_for(&self, load: &LoadName) -> Vec<String> {
        let load = self.spelling_of(load).unwrap_or_else(|| load.clone());
        let loads = self.loads();
        load.files(self.layout_of(&load))
            .into_iter()
            .map(|f| {
                // Use the package's spelling of the loader where it has one.
                let (stem, ext) = f
                    .name
                    .rsplit_once('.')
                    .expect("load files have an extension");
                match loads.iter().find(|l| l.as_str().eq_ignore_ascii_case(stem)) {
                    Some(l) => format!("{}.{ext}", l.as_str()),
                    None => f.name,
                }
            })
            .collect()
    }

    /// How this package lays out `load` (the rule is [`LoadName::layout_in_package`]):
    /// holding its `.loads` or `.sb2`, in any letter case, makes it loader layout.
    pub fn layout_of(&self, load: &LoadName) -> Layout {
        let load = self.spelling_of(load).unwrap_or_else(|| load.clone());
        let has = |ext: &str| self.has_case_insensitive(&format!("{}.{ext}", load.as_str()));
        load.layout_in_package(has("loads") || has("sb2"))
    }

    /// Files `load` needs that this package lacks (exact names; empty when
    /// complete). A file present only in another letter case counts as missing,
    /// since phones ask for exact names.
    pub fn missing_for(&self, load: &LoadName) -> Vec<String> {
        self.needed_for(load)
            .into_iter()
            .filter(|n| self.file(n).is_none())
            .collect()
    }

    /// `Ok` when the package holds every file `load` needs; otherwise an
    /// error that names the missing files and how to get them.
    pub fn check_complete(&self, load: &LoadName) -> Result<(), PackageError> {
        let missing = self.missing_for(load);
        if missing.is_empty() {
            return Ok(());
        }
        // A file that is the right one under another spelling (letter case,
        // the letter O for the zero) only needs renaming.
        let misspelled = |m: &str, f: &PackageFile| {
            f.name.eq_ignore_ascii_case(m)
                || match (naming::image_file(m), &f.role) {
                    (Some(want), FileRole::Image { load, ext }) => {
                        load.as_str() == want.load.as_str() && *ext == want.ext
                    }
                    _ => false,
                }
        };
        let family = naming::family_msg(load);
        let renames: Vec<Msg> = missing
            .iter()
            .filter_map(|m| {
                self.files.iter().find(|f| misspelled(m, f)).map(|f| {
                    msg!(
                        "package.hint.rename_one",
                        "{have} must be named {want}",
                        have = f.name,
                        want = m,
                    )
                })
            })
            .collect();
        let hint = if !renames.is_empty() {
            msg!(
                "package.hint.rename",
                "{renames} (phones ask for exact names): rename it or download the package again",
                renames => Msg::list(renames),
            )
        } else {
            match self.kind {
                PackageKind::Zip => msg!(
                    "package.hint.zip",
                    "download the full {family} package (cmterm-7940-7960-…zip or {load}.zip) again",
                    family => family,
                    load = load.as_str(),
                ),
                PackageKind::Folder => msg!(
                    "package.hint.folder",
                    "unpack the whole {family} package into this folder, or give the zip itself",
                    family => family,
                ),
                PackageKind::Image => msg!(
                    "package.hint.image",
                    "a single image is not enough for {family}: give the whole package (the zip or its folder)",
                    family => family,
                ),
            }
        };
        Err(PackageError::Incomplete {
            path: self.path.clone(),
            load: load.as_str().to_string(),
            missing,
            hint: Box::new(hint),
        })
    }

    /// Read every file through the size limits and check each CRC.
    pub fn verify(&self) -> Result<(), PackageError> {
        let all: Vec<&PackageFile> = self.files.iter().collect();
        stream::for_each(self, &all, |_, reader| {
            std::io::copy(reader, &mut std::io::sink())
                .map(|_| ())
                .map_err(|e| PackageError::io(&self.path, e))
        })
    }

    /// Read one small file (OS79XX.TXT, gkdefault.txt), CRC-checked.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, PackageError> {
        let file = self.require(name)?;
        if file.size > MAX_COMPANION {
            return Err(PackageError::EntryTooLarge {
                path: self.path.clone(),
                entry: name.to_string(),
                size: file.size,
                limit: MAX_COMPANION,
            });
        }
        let mut out = Vec::with_capacity(file.size as usize);
        stream::for_each(self, &[file], |_, reader| {
            std::io::copy(reader, &mut out)
                .map(|_| ())
                .map_err(|e| PackageError::io(&self.path, e))
        })?;
        Ok(out)
    }

    fn require(&self, name: &str) -> Result<&PackageFile, PackageError> {
        self.file(name).ok_or_else(|| PackageError::NotInPackage {
            path: self.path.clone(),
            entry: name.to_string(),
            hint: Box::new(
                match self
                    .files
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(name))
                {
                    Some(f) => msg!(
                        "package.hint.case",
                        "it has {name} (names are case-sensitive)",
                        name = f.name,
                    ),
                    None => msg!(
                        "package.hint.holds",
                        "it holds {names}",
                        names = self
                            .files
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                },
            ),
        })
    }

    fn has_case_insensitive(&self, name: &str) -> bool {
        self.files.iter().any(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The limits this package was opened (and is read) with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// `P0M3…` image files: MGCP loads, recognised to say so.
fn is_mgcp_image(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    (upper.starts_with("P0M3") || upper.starts_with("POM3"))
        && IMAGE_EXTENSIONS
            .iter()
            .any(|ext| upper.ends_with(&format!(".{}", ext.to_ascii_uppercase())))
}
