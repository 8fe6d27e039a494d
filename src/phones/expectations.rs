//! What the stage in a TFTP root expects of the phones: the load it moves
//! them to, the files it serves, the phones it was written for, and where
//! it sits in the route. The journeys judge every request against it.
//!
//! It comes from the manifest `prepare` (or the wizard's Write) leaves in
//! the root, so the front ends never assemble it by hand.

use std::collections::BTreeSet;
use std::path::Path;

use super::hint::Hint;
use super::phase::Phase;
use crate::model::Mac;
use crate::msg;
use crate::msg::Msg;
use crate::stage::{MANIFEST_NAME, Manifest};
use crate::tftp::names::{
    FileKind, bare_name, classify, image_stem, loader_stem, mac_in_file_name,
};

/// What the current stage put in the root, so requests can be judged
/// against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageExpectations {
    /// The load this stage moves phones to (e.g. `P0S3-8-12-00`).
    pub target_image: Option<String>,
    /// Every file the stage wrote, as phones ask for it (`OS79XX.TXT`, `P0S3-8-12-00.sb2`, …).
    pub files: Vec<String>,
    /// MACs of the phones in the session. Empty: no session, every phone counts as known.
    pub known_macs: Vec<Mac>,
    /// Which stage of the route this is; `None` when only the root's files are known.
    pub position: Option<StagePosition>,
}

/// Where a stage sits in its route (from the manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePosition {
    /// 1-based.
    pub stage: usize,
    pub stages: usize,
    /// The route's id (`R3`, `R5`, …).
    pub route: String,
}

impl StagePosition {
    pub fn is_last(&self) -> bool {
        self.stage >= self.stages
    }
}

impl StageExpectations {
    /// What can be told from the root alone: its files, and the target
    /// image when exactly one `.loads` descriptor is there. No MACs.
    pub fn from_root(root: &Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(root)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if !name.starts_with('.') && name != MANIFEST_NAME && entry.file_type()?.is_file() {
                files.push(name);
            }
        }
        files.sort();
        let descriptors: Vec<&String> = files
            .iter()
            .filter(|f| classify(f) == FileKind::ImageDescriptor)
            .collect();
        let target_image = match descriptors.as_slice() {
            [one] => Some(image_stem(one).to_string()),
            _ => None,
        };
        Ok(StageExpectations {
            target_image,
            files,
            known_macs: vec![],
            position: None,
        })
    }

    /// What a stage's manifest says: the load it installs, every file it
    /// serves, the phones it wrote their own files for (none: every phone
    /// counts as known), and which stage of the route it is.
    pub fn from_manifest(manifest: &Manifest) -> Self {
        let mut known_macs: Vec<Mac> = manifest
            .expected
            .iter()
            .filter_map(|f| mac_in_file_name(f))
            .collect();
        known_macs.sort();
        known_macs.dedup();
        StageExpectations {
            target_image: Some(manifest.target.clone()),
            files: manifest.expected.clone(),
            known_macs,
            position: Some(StagePosition {
                stage: manifest.stage,
                stages: manifest.stages,
                route: manifest.route.clone(),
            }),
        }
    }

    /// What a root expects: its manifest when one was written, else its
    /// files. The warnings say what a person should know before serving
    /// (an unreadable manifest, files of the stage that are gone). `Err`:
    /// the root itself cannot be read.
    pub fn read_root(root: &Path) -> std::io::Result<(Self, Vec<Msg>)> {
        let mut warnings = vec![];
        let Some(manifest) = read_manifest(root, &mut warnings) else {
            return Ok((Self::from_root(root)?, warnings));
        };
        let missing: Vec<&str> = manifest
            .expected
            .iter()
            .filter(|f| !root.join(f).is_file())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let (root, files, stage) = (root.display(), missing.join(", "), manifest.stage);
            warnings.push(if missing.len() == 1 {
                msg!(
                    "serve.warning.lacks_one",
                    "{root} lacks {files} of stage {stage}: phones asking for it will be told \"not found\". Prepare this stage again (`convert79xx prepare`, or Write on the wizard's Files step).",
                    root = root,
                    files = files,
                    stage = stage,
                )
            } else {
                msg!(
                    "serve.warning.lacks",
                    "{root} lacks {files} of stage {stage}: phones asking for them will be told \"not found\". Prepare this stage again (`convert79xx prepare`, or Write on the wizard's Files step).",
                    root = root,
                    files = files,
                    stage = stage,
                )
            });
        }
        Ok((Self::from_manifest(&manifest), warnings))
    }

    /// The phase at which a phone is done with this stage: configured
    /// after the last stage; back on the new image after an earlier one,
    /// where it waits for the next stage to be served.
    pub fn done_at(&self) -> Phase {
        match &self.position {
            Some(p) if !p.is_last() => Phase::BackOnNewImage,
            _ => Phase::Configured,
        }
    }

    /// How many of the stage's files are for the phone with `mac`: every
    /// shared file, and of the per-phone ones only its own.
    pub fn files_for(&self, mac: Option<Mac>) -> usize {
        self.files
            .iter()
            .filter(|f| mac_in_file_name(f).is_none_or(|m| Some(m) == mac))
            .count()
    }

    /// How many of those files are among `fetched` (lower-case names).
    pub fn files_fetched_by(&self, mac: Option<Mac>, fetched: &BTreeSet<String>) -> usize {
        self.files
            .iter()
            .filter(|f| mac_in_file_name(f).is_none_or(|m| Some(m) == mac))
            .filter(|f| fetched.contains(&f.to_ascii_lowercase()))
            .count()
    }

    fn has_file(&self, name: &str) -> bool {
        let name = bare_name(name);
        self.files.iter().any(|f| f.eq_ignore_ascii_case(name))
    }

    pub(super) fn knows(&self, mac: Mac) -> bool {
        self.known_macs.is_empty() || self.known_macs.contains(&mac)
    }

    /// Whether the payload files done so far make the whole image: for a
    /// loader-era target its application `.sb2` (a phone already on the
    /// loader fetches only `.loads` + `.sb2`: docs/routes.md §1); else one
    /// file of every image name the stage holds for its target (`.sbn` and
    /// `.bin` are alternatives). Image files of other loads do not count.
    pub(super) fn image_complete(&self, done: &BTreeSet<String>) -> Option<bool> {
        if let Some(t) = &self.target_image {
            let application = format!("{t}.sb2").to_ascii_lowercase();
            if self
                .files
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&application))
            {
                return Some(done.iter().any(|d| d.eq_ignore_ascii_case(&application)));
            }
        }
        let wanted: Option<[String; 2]> = self
            .target_image
            .as_ref()
            .map(|t| [t.to_ascii_lowercase(), loader_stem(t).to_ascii_lowercase()]);
        let stems: BTreeSet<String> = self
            .files
            .iter()
            .filter(|f| classify(f) == FileKind::ImagePayload)
            .map(|f| image_stem(f).to_ascii_lowercase())
            .filter(|stem| wanted.as_ref().is_none_or(|w| w.contains(stem)))
            .collect();
        if stems.is_empty() {
            return None;
        }
        Some(
            stems
                .iter()
                .all(|stem| done.iter().any(|d| image_stem(d) == stem)),
        )
    }
}

/// The manifest `prepare` wrote into the root. None when there is none;
/// an unreadable one is a warning and the root's files are used instead.
fn read_manifest(root: &Path, warnings: &mut Vec<Msg>) -> Option<Manifest> {
    let path = root.join(MANIFEST_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warnings.push(msg!(
                "serve.warning.manifest_unreadable",
                "cannot read {path}: {error}; judging the phones by the root's files instead",
                path = path.display(),
                error = e,
            ));
            return None;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            warnings.push(msg!(
                "serve.warning.not_a_manifest",
                "{path} is not a manifest convert79xx wrote ({error}); judging the phones by the root's files instead. `convert79xx prepare` writes a new one.",
                path = path.display(),
                error = e,
            ));
            None
        }
    }
}

/// What to tell the user when a phone asks for a file the root lacks
/// (`stage`: what the root expects, when known).
pub(super) fn missing_file_hint(
    name: &str,
    kind: FileKind,
    stage: Option<&StageExpectations>,
) -> Option<Hint> {
    let unknown = |mac: Mac| Hint::UnknownPhone {
        mac,
        asked_for: Some(name.to_string()),
    };
    match kind {
        // Normal: phones carry on without these.
        FileKind::TrustList | FileKind::DefaultConfig | FileKind::SipExtra => None,
        FileKind::Profile => None,
        FileKind::SipPhone => {
            let mac = mac_in_file_name(name)?;
            Some(if stage.is_none_or(|s| s.knows(mac)) {
                Hint::SipConfigMissing {
                    file: name.to_string(),
                }
            } else {
                unknown(mac)
            })
        }
        FileKind::DeviceConfig => {
            let mac = mac_in_file_name(name)?;
            match stage {
                Some(s) if !s.knows(mac) => Some(unknown(mac)),
                Some(s) if s.has_file("XMLDefault.cnf.xml") => None,
                // The stage writes no XML config at all: none is expected.
                Some(s)
                    if !s
                        .files
                        .iter()
                        .any(|f| classify(f) == FileKind::DeviceConfig) =>
                {
                    None
                }
                _ => Some(Hint::DeviceConfigMissing {
                    file: name.to_string(),
                }),
            }
        }
        FileKind::ImageDescriptor | FileKind::ImagePayload => {
            Some(match stage.and_then(|s| s.target_image.as_deref()) {
                Some(target) if !image_stem(name).eq_ignore_ascii_case(target) => {
                    Hint::OtherImage {
                        asked_for: name.to_string(),
                        installs: target.to_string(),
                    }
                }
                _ => Hint::ImageMissing {
                    asked_for: name.to_string(),
                },
            })
        }
        FileKind::SipDefault | FileKind::OsTxt | FileKind::Other => Some(Hint::NotProvided {
            file: name.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(stage: usize, stages: usize, expected: &[&str]) -> Manifest {
        Manifest {
            stage,
            stages,
            route: "R3".into(),
            target: "P0S3-8-12-00".into(),
            written: vec![],
            unchanged: vec![],
            moved: vec![],
            backup_dir: None,
            expected: expected.iter().map(|s| s.to_string()).collect(),
            notes: vec![],
            actions: vec![],
            written_at: String::new(),
        }
    }

    /// A phone on the loader fetches only `.loads` + `.sb2`; a single image
    /// needs one of its `.bin`/`.sbn` (docs/routes.md §1).
    #[test]
    fn the_application_completes_a_loader_era_image() {
        let stage = |target: &str, files: &[&str]| StageExpectations {
            target_image: Some(target.into()),
            files: files.iter().map(|f| f.to_string()).collect(),
            known_macs: vec![],
            position: None,
        };
        let done = |names: &[&str]| names.iter().map(|n| n.to_ascii_lowercase()).collect();
        let sip = stage(
            "P0S3-8-12-00",
            &[
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2",
                "P003-8-12-00.sbn",
                "P003-8-12-00.bin",
            ],
        );
        assert_eq!(
            sip.image_complete(&done(&["P003-8-12-00.sbn"])),
            Some(false)
        );
        assert_eq!(sip.image_complete(&done(&["P0S3-8-12-00.sb2"])), Some(true));
        let single = stage("P00305000101", &["P00305000101.bin", "P00305000101.sbn"]);
        assert_eq!(
            single.image_complete(&done(&["P00305000101.sbn"])),
            Some(true)
        );
        let loader = stage("P003-8-12-00", &["P003-8-12-00.bin", "P003-8-12-00.sbn"]);
        assert_eq!(loader.image_complete(&done(&[])), Some(false));
        assert_eq!(
            loader.image_complete(&done(&["P003-8-12-00.bin"])),
            Some(true)
        );
    }

    #[test]
    fn a_manifest_gives_target_files_phones_and_position() {
        let files = [
            "OS79XX.TXT",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "SEP000E84C060A6.cnf.xml",
            "SIP000E84C060A6.cnf",
            "SIP001E4A123456.cnf",
            "SIPDefault.cnf",
        ];
        let stage = StageExpectations::from_manifest(&manifest(1, 1, &files));
        assert_eq!(stage.target_image.as_deref(), Some("P0S3-8-12-00"));
        assert_eq!(stage.files, files);
        let macs: Vec<String> = stage.known_macs.iter().map(|m| m.upper()).collect();
        assert_eq!(macs, ["000E84C060A6", "001E4A123456"]);
        assert_eq!(stage.done_at(), Phase::Configured);
        // Shared files and the phone's own three, not the other phone's.
        assert_eq!(stage.files_for(Some("000E84C060A6".parse().unwrap())), 6);
        assert_eq!(stage.files_for(None), 4);

        // The root alone: the manifest itself is not a file for phones.
        let dir = tempfile::tempdir().unwrap();
        for f in &files {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        std::fs::write(dir.path().join(MANIFEST_NAME), b"{").unwrap();
        let (root, warnings) = StageExpectations::read_root(dir.path()).unwrap();
        assert_eq!(root.files, files);
        assert_eq!(root.target_image.as_deref(), Some("P0S3-8-12-00"));
        assert!(root.known_macs.is_empty() && root.position.is_none());
        assert!(
            warnings[0].contains("is not a manifest convert79xx wrote"),
            "{warnings:?}"
        );

        // With its manifest: the stage, and the files it lacks said.
        let m = manifest(1, 2, &["OS79XX.TXT", "P00306030100.bin"]);
        std::fs::write(
            dir.path().join(MANIFEST_NAME),
            serde_json::to_vec(&m).unwrap(),
        )
        .unwrap();
        let (read, warnings) = StageExpectations::read_root(dir.path()).unwrap();
        assert_eq!(read, StageExpectations::from_manifest(&m));
        assert_eq!(read.done_at(), Phase::BackOnNewImage);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("lacks P00306030100.bin of stage 1"),
            "{warnings:?}"
        );
    }
}
