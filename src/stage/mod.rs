//! Writing one stage of a plan into a TFTP root.
//!
//! [`StageWriter`] turns a checked session, a plan and the firmware
//! packages into the files a stage needs ([`StageWriter::planned`]), compares
//! them with what the root already holds ([`StageWriter::preview`]) and
//! writes them ([`StageWriter::apply`]). The rules (matrix.md §3):
//!
//! - every file that names an image names the same one (the loader's name
//!   in OS79XX.TXT where the package itself does so);
//! - files that would contradict the stage (another image, stale
//!   SEPDefault.cnf, the configs of the protocol being left, different
//!   content under a name we write) are moved into `backup-YYYYMMDD-HHMMSS/`
//!   under the root, never deleted; identical files are left alone;
//! - everything is computed and checked before the root is touched, so bad
//!   input leaves it as it was; writes are atomic; package files are
//!   unpacked byte for byte, CRC-checked, with exact case;
//! - a manifest (`convert79xx-manifest.json`) records what was written,
//!   moved and why, and which files the phones will fetch.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{self, ConfigError};
use crate::firmware::{FileRole, FirmwarePackage, PackageError, PackageSet};
use crate::load::{LoadName, Protocol};
use crate::plan::{FileKind, Plan, PlannedFile, RemoveKind, Stage};
use crate::session::Checked;

mod apply;
mod job;
pub mod scan;

pub use apply::{BACKUP_PREFIX, MANIFEST_NAME, is_bookkeeping_name};
pub use job::{Job, JobError};

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Made by a config writer.
    Generated(Vec<u8>),
    /// Unpacked byte for byte from the package at this index of the set.
    Package {
        package: usize,
        entry: String,
        size: u64,
        crc32: u32,
    },
}

/// One file the stage puts at the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWrite {
    pub name: String,
    pub source: Source,
    pub why: String,
}

impl PlannedWrite {
    pub fn size(&self) -> u64 {
        match &self.source {
            Source::Generated(b) => b.len() as u64,
            Source::Package { size, .. } => *size,
        }
    }
}

/// A file already in the root that the stage moves into the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMove {
    pub name: String,
    pub why: String,
}

/// What applying a stage would do to a root, computed without touching it.
#[derive(Debug, Clone)]
pub struct StagePreview {
    /// 1-based.
    pub stage: usize,
    pub stages: usize,
    pub route: String,
    /// The load the stage installs, in the package's spelling.
    pub target: String,
    /// Files to write (new or replacing a moved one).
    pub write: Vec<PlannedWrite>,
    /// Files already there with the right content.
    pub unchanged: Vec<PlannedWrite>,
    pub moves: Vec<PlannedMove>,
    pub notes: Vec<String>,
    pub actions: Vec<String>,
}

/// Why a stage could not be written. Bad input leaves the root untouched.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(
        "there is no stage {asked}: the route {route} has {stages} stage(s); use 1 to {stages}"
    )]
    NoSuchStage {
        asked: usize,
        stages: usize,
        route: String,
    },
    #[error("stage {stage} ({route}) writes no files: {why}")]
    NothingToWrite {
        stage: usize,
        route: String,
        why: String,
    },
    #[error("stage {stage} needs {load}, and {detail}")]
    MissingPackage {
        stage: usize,
        load: String,
        detail: String,
    },
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    GkDefault(#[from] config::gkdefault::GkError),
    #[error("{0}")]
    Package(#[from] PackageError),
    #[error("TFTP root {path}: {why}")]
    Root { path: PathBuf, why: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "internal error: stage {stage} would name both {a} and {b}; nothing was written (please report this)"
    )]
    Inconsistent { stage: usize, a: String, b: String },
}

const PASSWORD_NOTE: &str = "SIP<MAC>.cnf holds the line passwords in clear text:";
const PASSWORD_WHY: &str = "the phone reads them only that way. Anyone who can read the TFTP root, or ask the TFTP server for the file, can read them: serve it only while converting.";

/// Writes one stage of a plan for a session.
pub struct StageWriter<'a> {
    session: &'a Checked,
    plan: &'a Plan,
    stage_no: usize,
    packages: &'a PackageSet,
}

impl<'a> StageWriter<'a> {
    /// `stage_no` is 1-based.
    pub fn new(
        session: &'a Checked,
        plan: &'a Plan,
        stage_no: usize,
        packages: &'a PackageSet,
    ) -> Result<Self, StageError> {
        if stage_no == 0 || stage_no > plan.stages.len() {
            return Err(StageError::NoSuchStage {
                asked: stage_no,
                stages: plan.stages.len(),
                route: plan.route.to_string(),
            });
        }
        Ok(StageWriter {
            session,
            plan,
            stage_no,
            packages,
        })
    }

    pub fn stage(&self) -> &'a Stage {
        &self.plan.stages[self.stage_no - 1]
    }

    /// The load this stage installs, in the spelling of the package that has it.
    pub fn target(&self) -> String {
        self.respell(self.stage().target.as_str())
    }

    /// A load name in the spelling of the package that holds it (file names
    /// must match what the phone will ask for). A loader stays a loader.
    fn respell(&self, image: &str) -> String {
        let Ok(parsed) = LoadName::parse(image) else {
            return image.to_string();
        };
        let load = parsed.value;
        let loads = package_loads(self.packages);
        loads
            .iter()
            .find(|l| l.as_str() == load.as_str())
            .or_else(|| {
                loads.iter().find(|l| {
                    l.same_load(&load) && l.is_universal_loader() == load.is_universal_loader()
                })
            })
            .unwrap_or(&load)
            .as_str()
            .to_string()
    }

    fn missing(&self, load: &str, detail: String) -> StageError {
        StageError::MissingPackage {
            stage: self.stage_no,
            load: load.to_string(),
            detail,
        }
    }

    /// The package that supplies the stage's target, complete.
    fn target_package(&self) -> Result<(usize, &'a FirmwarePackage), StageError> {
        let target = &self.stage().target;
        let found = to_package_name(target).and_then(|t| self.packages.find(&t)).ok_or_else(|| {
            let have: Vec<String> = self
                .packages
                .packages()
                .iter()
                .map(|p| p.display_name())
                .collect();
            self.missing(
                target.as_str(),
                format!(
                    "no firmware package holds it: add the {target} package (its zip) to the session's firmware list{}",
                    if have.is_empty() {
                        String::new()
                    } else {
                        format!(" (listed now: {})", have.join(", "))
                    }
                ),
            )
        })?;
        if !found.missing.is_empty() {
            return Err(self.missing(
                target.as_str(),
                format!(
                    "{} lacks {}: download the full package again",
                    found.package.display_name(),
                    found.missing.join(", ")
                ),
            ));
        }
        let idx = self
            .packages
            .packages()
            .iter()
            .position(|p| std::ptr::eq(p, found.package))
            .expect("found in the set");
        Ok((idx, found.package))
    }

    /// A package file by exact name: the target's package first, then any.
    fn package_file(&self, name: &str) -> Option<(usize, &'a FirmwarePackage, String)> {
        let pkgs = self.packages.packages();
        let order: Vec<usize> = match self.target_package() {
            Ok((i, _)) => std::iter::once(i)
                .chain((0..pkgs.len()).filter(|j| *j != i))
                .collect(),
            Err(_) => (0..pkgs.len()).collect(),
        };
        for i in &order {
            if pkgs[*i].file(name).is_some() {
                return Some((*i, &pkgs[*i], name.to_string()));
            }
        }
        // Another spelling of the same load (P0S3-08-12-00.sb2 for P0S3-8-12-00.sb2).
        let (stem, ext) = name.rsplit_once('.')?;
        let load = LoadName::parse(stem).ok()?.value;
        for i in order {
            if let Some(sp) = to_package_name(&load).and_then(|l| pkgs[i].spelling_of(&l)) {
                let alt = format!("{}.{ext}", sp.as_str());
                if pkgs[i].file(&alt).is_some() {
                    return Some((i, &pkgs[i], alt));
                }
            }
        }
        None
    }

    fn package_write(
        &self,
        i: usize,
        pkg: &FirmwarePackage,
        entry: &str,
        why: &str,
    ) -> PlannedWrite {
        let f = pkg.file(entry).expect("checked by the caller");
        PlannedWrite {
            name: f.name.clone(),
            source: Source::Package {
                package: i,
                entry: f.name.clone(),
                size: f.size,
                crc32: f.crc32,
            },
            why: why.to_string(),
        }
    }

    /// Every file the stage puts at the root, independent of what is there.
    pub fn planned(&self) -> Result<Vec<PlannedWrite>, StageError> {
        self.planned_with_notes().map(|(w, _)| w)
    }

    /// [`planned`](Self::planned), plus warnings met on the way (lines of
    /// gkdefault.txt that cfgfmt would skip too).
    fn planned_with_notes(&self) -> Result<(Vec<PlannedWrite>, Vec<String>), StageError> {
        let stage = self.stage();
        let mut warnings = Vec::new();
        let s = self.session;
        if stage.files.is_empty() {
            return Err(StageError::NothingToWrite {
                stage: self.stage_no,
                route: self.plan.route.to_string(),
                why: "it is a checklist of steps (see the plan's actions), not files".into(),
            });
        }
        // `dial_template: dialplan` only when the stage serves dialplan.xml.
        let sip = config::SipSettings {
            dialplan: stage.files.iter().any(|f| f.kind == FileKind::Dialplan),
            ..s.sip.clone()
        };
        let mut out: Vec<PlannedWrite> = Vec::new();
        let mut package_writes: Vec<PlannedWrite> = Vec::new();
        let generated = |name: String, bytes: Vec<u8>, why: &str| PlannedWrite {
            name,
            source: Source::Generated(bytes),
            why: why.to_string(),
        };
        let image_of = |f: &PlannedFile| -> String {
            self.respell(f.image.as_deref().unwrap_or(stage.target.as_str()))
        };
        for f in &stage.files {
            match &f.kind {
                FileKind::Os79xxTxt => out.push(generated(
                    f.name.clone(),
                    config::os79xx::os79xx_txt(&image_of(f))?,
                    &f.why,
                )),
                FileKind::SipDefault { minimal } => {
                    let image = image_of(f);
                    let bytes = if *minimal {
                        config::sipdefault::sipdefault_minimal(&image)?
                    } else {
                        config::sipdefault::sipdefault_full(&image, &sip)?
                    };
                    out.push(generated("SIPDefault.cnf".into(), bytes, &f.why));
                }
                FileKind::SipPerPhone => {
                    let image = image_of(f);
                    // A phone leaving SIP needs only the image to fetch; lines
                    // would only make the file longer for a SIP 2.x reader.
                    let leaving_sip = stage.target.protocol() != Protocol::Sip;
                    for p in &s.phones {
                        let bytes = if leaving_sip {
                            config::sipmac::sipmac_minimal(&image)?
                        } else {
                            if p.lines.iter().any(|l| l.password.is_some())
                                && !warnings
                                    .iter()
                                    .any(|w: &String| w.starts_with(PASSWORD_NOTE))
                            {
                                warnings.push(format!("{PASSWORD_NOTE} {}", PASSWORD_WHY));
                            }
                            config::sipmac::sipmac_cnf(&p.mac, p.model, &p.lines, &sip, &image)?
                        };
                        out.push(generated(
                            config::sipmac::sipmac_name(&p.mac),
                            bytes,
                            &f.why,
                        ));
                    }
                }
                FileKind::XmlDefault => out.push(generated(
                    "XMLDefault.cnf.xml".into(),
                    config::xml::xmldefault(&image_of(f), s.callmanager.as_deref())?,
                    &f.why,
                )),
                FileKind::SepPerPhone => {
                    let image = image_of(f);
                    for p in &s.phones {
                        out.push(generated(
                            config::xml::sep_name(&p.mac),
                            config::xml::sep_cnf_xml(p.model, &image, s.callmanager.as_deref())?,
                            &f.why,
                        ));
                    }
                }
                FileKind::Dialplan => out.push(generated(
                    f.name.clone(),
                    config::dialplan::dialplan_xml(&[])?,
                    &f.why,
                )),
                FileKind::RingList => {
                    let tones = self.ring_tones();
                    let list: Vec<config::ringlist::RingTone> = tones
                        .iter()
                        .map(|(_, _, n)| config::ringlist::RingTone::from_file(n))
                        .collect();
                    if let Some(bytes) = config::ringlist::ringlist_dat(&list)? {
                        out.push(generated(f.name.clone(), bytes, &f.why));
                        for (i, pkg, name) in tones {
                            package_writes.push(self.package_write(
                                i,
                                pkg,
                                &name,
                                "ring tone listed in RINGLIST.DAT",
                            ));
                        }
                    } else if !f.optional {
                        return Err(self.missing(
                            stage.target.as_str(),
                            "RINGLIST.DAT needs ring tones (.pcm/.raw) and no package carries any"
                                .into(),
                        ));
                    }
                }
                FileKind::GkDefault => {
                    let txt = self.package_file("gkdefault.txt");
                    let ptag = self.package_file("sip_ptag.dat");
                    match (txt, ptag) {
                        (Some((_, tp, tn)), Some((_, pp, pn))) => {
                            let text = String::from_utf8_lossy(&tp.read(&tn)?).into_owned();
                            let table = String::from_utf8_lossy(&pp.read(&pn)?).into_owned();
                            let compiled = config::gkdefault::compile(&text, &table)?;
                            warnings.extend(compiled.warnings);
                            out.push(generated(f.name.clone(), compiled.bytes, &f.why));
                        }
                        _ if f.optional => {}
                        _ => {
                            return Err(self.missing(
                                stage.target.as_str(),
                                "gkdefault.cfg is built from gkdefault.txt and sip_ptag.dat, and no package carries both".into(),
                            ));
                        }
                    }
                }
                FileKind::FromPackage if f.name == "*" => {
                    let (i, pkg) = self.target_package()?;
                    for pf in pkg.files() {
                        package_writes.push(self.package_write(i, pkg, &pf.name, &f.why));
                    }
                }
                FileKind::FromPackage => {
                    if f.name.contains('<') {
                        continue;
                    }
                    match self.package_file(&f.name) {
                        Some((i, pkg, name)) => {
                            package_writes.push(self.package_write(i, pkg, &name, &f.why))
                        }
                        None if f.optional => {}
                        None => {
                            // Name the package that should have held it.
                            self.target_package()?;
                            return Err(self.missing(
                                stage.target.as_str(),
                                format!("no firmware package holds {}: add the package that contains it", f.name),
                            ));
                        }
                    }
                }
                FileKind::Alias { of } => {
                    let Some((_, pkg, name)) = self.package_file(of) else {
                        return Err(self.missing(
                            stage.target.as_str(),
                            format!(
                                "{} is served under the alias {}, and no package holds {of}",
                                of, f.name
                            ),
                        ));
                    };
                    out.push(generated(f.name.clone(), pkg.read(&name)?, &f.why));
                }
            }
        }
        // Generated files win over package files of the same name (our
        // OS79XX.TXT over the zip's); the first package copy wins otherwise.
        let mut names: BTreeSet<String> = out.iter().map(|w| w.name.clone()).collect();
        for w in package_writes {
            if names.insert(w.name.clone()) {
                out.push(w);
            }
        }
        self.check_consistent(&out)?;
        Ok((out, warnings))
    }

    /// Ring tone files (.pcm/.raw) the packages carry, target's first.
    fn ring_tones(&self) -> Vec<(usize, &'a FirmwarePackage, String)> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let pkgs = self.packages.packages();
        let first = self.target_package().ok().map(|(i, _)| i);
        let order = first
            .into_iter()
            .chain((0..pkgs.len()).filter(|j| Some(*j) != first));
        for i in order {
            for f in pkgs[i].files() {
                if f.role == FileRole::Ringtone && seen.insert(f.name.clone()) {
                    out.push((i, &pkgs[i], f.name.clone()));
                }
            }
        }
        out
    }

    /// The image names the stage's files name (read from the bytes, so the
    /// check covers what is really written).
    fn named_images(
        &self,
        writes: &[PlannedWrite],
    ) -> Result<BTreeMap<String, String>, StageError> {
        let mut named = BTreeMap::new();
        for w in writes {
            let Some(kind) = scan::config_kind(&w.name) else {
                continue;
            };
            let bytes = match &w.source {
                Source::Generated(b) => b.clone(),
                Source::Package { package, entry, .. } => {
                    self.packages.packages()[*package].read(entry)?
                }
            };
            for image in scan::named_images(kind, &bytes) {
                named.entry(image).or_insert_with(|| w.name.clone());
            }
        }
        Ok(named)
    }

    /// Every file names the target, or (OS79XX.TXT) the target's loader.
    fn check_consistent(&self, writes: &[PlannedWrite]) -> Result<(), StageError> {
        let named = self.named_images(writes)?;
        let app = |n: &str| -> String {
            LoadName::parse(n)
                .map(|p| p.value.application().as_str().to_string())
                .unwrap_or_else(|_| n.to_string())
        };
        let mut apps = named.keys().map(|n| (app(n), n));
        if let Some((first_app, first)) = apps.next() {
            for (a, n) in apps {
                if a != first_app {
                    return Err(StageError::Inconsistent {
                        stage: self.stage_no,
                        a: first.clone(),
                        b: n.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Compare the planned files with the root: what to write, what is
    /// already right, what to move aside and why. Reads the root only.
    pub fn preview(&self, root: &Path) -> Result<StagePreview, StageError> {
        let (planned, warnings) = self.planned_with_notes()?;
        let allowed: BTreeSet<String> = self.named_images(&planned)?.into_keys().collect();
        let existing = apply::list_root(root)?;
        let stage = self.stage();
        let mut write = Vec::new();
        let mut unchanged = Vec::new();
        let mut moves: Vec<PlannedMove> = Vec::new();
        let planned_names: BTreeSet<String> = planned.iter().map(|w| w.name.clone()).collect();
        let push_move = |name: &str, why: String, moves: &mut Vec<PlannedMove>| {
            if !moves.iter().any(|m| m.name == name) {
                moves.push(PlannedMove {
                    name: name.to_string(),
                    why,
                });
            }
        };
        for w in &planned {
            let path = root.join(&w.name);
            if path.is_dir() {
                return Err(StageError::Root {
                    path: root.to_path_buf(),
                    why: format!(
                        "a folder named {} is in the way of the file this stage writes: rename or move that folder",
                        w.name
                    ),
                });
            }
        }
        for w in planned {
            for e in existing.keys() {
                if e != &w.name
                    && e.eq_ignore_ascii_case(&w.name)
                    && !planned_names.contains(e.as_str())
                {
                    push_move(
                        e,
                        format!(
                            "differs only in letter case from {}, which this stage writes: phones ask for exact names, and a case-insensitive server could serve the wrong one",
                            w.name
                        ),
                        &mut moves,
                    );
                }
            }
            match existing.get(&w.name) {
                None => write.push(w),
                Some(path) => {
                    if apply::same_content(path, &w.source)? {
                        unchanged.push(w);
                    } else {
                        push_move(
                            &w.name,
                            format!("replaced by this stage's {} (its content differs)", w.name),
                            &mut moves,
                        );
                        write.push(w);
                    }
                }
            }
        }
        let target = self.target();
        for (name, path) in &existing {
            if planned_names.contains(name) || moves.iter().any(|m| &m.name == name) {
                continue;
            }
            if let Some(r) = stage
                .remove
                .iter()
                .find(|r| removal_applies(r.kind, name, &allowed, &target))
            {
                push_move(name, r.why.clone(), &mut moves);
                continue;
            }
            if let Some(kind) = scan::config_kind(name) {
                let bytes = fs::read(path).map_err(|source| StageError::Io {
                    path: path.clone(),
                    source,
                })?;
                let other: Vec<String> = scan::named_images(kind, &bytes)
                    .into_iter()
                    .filter(|i| !allowed.contains(i))
                    .collect();
                if !other.is_empty() {
                    push_move(
                        name,
                        format!(
                            "names {} while this stage's files name {target}: a phone reading both could flip between images",
                            other.join(", ")
                        ),
                        &mut moves,
                    );
                }
            }
        }
        Ok(StagePreview {
            stage: self.stage_no,
            stages: self.plan.stages.len(),
            route: self.plan.route.to_string(),
            target,
            write,
            unchanged,
            moves,
            notes: stage
                .notes
                .iter()
                .chain(self.plan.notes.iter())
                .map(|n| n.text.clone())
                .chain(self.session.notes.iter().cloned())
                .chain(warnings)
                .collect(),
            actions: stage.actions.iter().map(|a| a.text.clone()).collect(),
        })
    }

    /// Write the stage into `root` (created when missing). Everything is
    /// checked first; on any error the root is left as it was.
    pub fn apply(&self, root: &Path) -> Result<apply::Manifest, StageError> {
        let preview = self.preview(root)?;
        apply::apply(&preview, self.packages, root)
    }
}

/// `firmware` names loads with its own small type; the two meet by name.
fn to_package_name(load: &LoadName) -> Option<crate::firmware::LoadName> {
    crate::firmware::load_name(load.as_str())
}

/// Every load the packages hold, as `load` names.
pub(crate) fn package_loads(packages: &PackageSet) -> Vec<LoadName> {
    packages
        .packages()
        .iter()
        .flat_map(|p| p.loads())
        .filter_map(|l| LoadName::parse(l.as_str()).ok().map(|p| p.value))
        .collect()
}

/// Whether a planned removal covers an existing file.
fn removal_applies(kind: RemoveKind, name: &str, allowed: &BTreeSet<String>, target: &str) -> bool {
    match kind {
        RemoveKind::SipConfigs => {
            name == "SIPDefault.cnf" || scan::is_per_phone(name, "SIP", ".cnf")
        }
        RemoveKind::SccpXml => {
            name == "XMLDefault.cnf.xml" || scan::is_per_phone(name, "SEP", ".cnf.xml")
        }
        RemoveKind::SepDefault => name == "SEPDefault.cnf",
        RemoveKind::OtherImages => {
            let Some((stem, ext)) = name.rsplit_once('.') else {
                return false;
            };
            crate::firmware::IMAGE_EXTENSIONS.contains(&ext)
                && LoadName::parse(stem).is_ok()
                && stem != target
                && !allowed.contains(stem)
        }
    }
}

pub use apply::{Manifest, ManifestFile, ManifestMove};
