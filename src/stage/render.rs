//! Building a stage's files, independent of what the root holds: one
//! function per kind of planned file, all naming the stage's image in the
//! spelling of the package that has it, then checked to name one load.

use crate::msg::Msg;
use std::collections::{BTreeMap, BTreeSet};

use super::{PlannedWrite, Source, StageError, StageWriter, scan};
use crate::config::{self, SipSettings};
use crate::firmware::{FileRole, FirmwarePackage};
use crate::load::{LoadName, Protocol};
use crate::plan::{FileKind, PlannedFile};

fn password_note() -> Msg {
    crate::msg!(
        "stage.note.passwords",
        "SIP<MAC>.cnf holds the line passwords in clear text: the phone reads them only that way. Anyone who can read the TFTP root, or ask the TFTP server for the file, can read them: serve it only while converting."
    )
}

/// What rendering a stage collects: files made by the config writers,
/// files taken from packages (a generated file wins over a package file of
/// the same name: our OS79XX.TXT over the zip's), and warnings.
#[derive(Default)]
struct Rendered {
    generated: Vec<PlannedWrite>,
    from_packages: Vec<PlannedWrite>,
    warnings: Vec<Msg>,
}

impl Rendered {
    fn generate(&mut self, name: impl Into<String>, bytes: Vec<u8>, why: &Msg) {
        self.generated.push(PlannedWrite {
            name: name.into(),
            source: Source::Generated(bytes),
            why: why.clone(),
        });
    }

    /// Generated files, then package files under names not taken yet (the
    /// first package copy wins).
    fn into_writes(self) -> (Vec<PlannedWrite>, Vec<Msg>) {
        let mut out = self.generated;
        let mut names: BTreeSet<String> = out.iter().map(|w| w.name.clone()).collect();
        for w in self.from_packages {
            if names.insert(w.name.clone()) {
                out.push(w);
            }
        }
        (out, self.warnings)
    }
}

impl<'a> StageWriter<'a> {
    /// Every file the stage puts at the root, independent of what is there.
    pub fn planned(&self) -> Result<Vec<PlannedWrite>, StageError> {
        self.planned_with_notes().map(|(w, _)| w)
    }

    /// [`planned`](Self::planned), plus warnings met on the way (clear-text
    /// passwords, lines of gkdefault.txt that cfgfmt would skip too).
    pub(super) fn planned_with_notes(&self) -> Result<(Vec<PlannedWrite>, Vec<Msg>), StageError> {
        let stage = self.stage();
        if stage.files.is_empty() {
            return Err(StageError::NothingToWrite {
                stage: self.stage_no,
                route: self.plan.route.to_string(),
                why: crate::msg!(
                    "stage.nothing.checklist",
                    "it is a checklist of steps (see the plan's actions), not files"
                ),
            });
        }
        // `dial_template: dialplan` only when the stage serves dialplan.xml.
        let sip = SipSettings {
            dialplan: stage.files.iter().any(|f| f.kind == FileKind::Dialplan),
            ..self.session.sip.clone()
        };
        let mut r = Rendered::default();
        for f in &stage.files {
            match &f.kind {
                FileKind::Os79xxTxt => self.os79xx_txt(f, &mut r)?,
                FileKind::SipDefault { minimal } => self.sip_default(f, *minimal, &sip, &mut r)?,
                FileKind::SipPerPhone => self.sip_per_phone(f, &sip, &mut r)?,
                FileKind::XmlDefault => self.xml_default(f, &mut r)?,
                FileKind::SepPerPhone => self.sep_per_phone(f, &mut r)?,
                FileKind::Dialplan => {
                    r.generate(f.name.clone(), config::dialplan::dialplan_xml(&[])?, &f.why)
                }
                FileKind::RingList => self.ring_list(f, &mut r)?,
                FileKind::GkDefault => self.gk_default(f, &mut r)?,
                FileKind::FromPackage if f.name == "*" => self.whole_package(f, &mut r)?,
                FileKind::FromPackage => self.package_file_of(f, &mut r)?,
                FileKind::Alias { of } => self.alias(f, of, &mut r)?,
            }
        }
        let (out, warnings) = r.into_writes();
        self.check_consistent(&out)?;
        Ok((out, warnings))
    }

    /// The image a planned file names, in the package's spelling.
    fn image_of(&self, f: &PlannedFile) -> String {
        self.respell(f.image.as_deref().unwrap_or(self.stage().target.as_str()))
    }

    fn os79xx_txt(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let bytes = config::os79xx::os79xx_txt(&self.image_of(f))?;
        r.generate(f.name.clone(), bytes, &f.why);
        Ok(())
    }

    fn sip_default(
        &self,
        f: &PlannedFile,
        minimal: bool,
        sip: &SipSettings,
        r: &mut Rendered,
    ) -> Result<(), StageError> {
        let image = self.image_of(f);
        let bytes = if minimal {
            config::sipdefault::sipdefault_minimal(&image)?
        } else {
            config::sipdefault::sipdefault_full(&image, sip)?
        };
        r.generate("SIPDefault.cnf", bytes, &f.why);
        Ok(())
    }

    fn sip_per_phone(
        &self,
        f: &PlannedFile,
        sip: &SipSettings,
        r: &mut Rendered,
    ) -> Result<(), StageError> {
        let image = self.image_of(f);
        // A phone leaving SIP needs only the image to fetch; lines would
        // only make the file longer for a SIP 2.x reader.
        let leaving_sip = self.stage().target.protocol() != Protocol::Sip;
        for p in &self.session.phones {
            let bytes = if leaving_sip {
                config::sipmac::sipmac_minimal(&image)?
            } else {
                let note = password_note();
                if p.lines.iter().any(|l| l.password.is_some()) && !r.warnings.contains(&note) {
                    r.warnings.push(note);
                }
                config::sipmac::sipmac_cnf(&p.mac, p.model, &p.lines, sip, &image)?
            };
            r.generate(config::sipmac::sipmac_name(&p.mac), bytes, &f.why);
        }
        Ok(())
    }

    fn xml_default(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let node = self.process_node(r)?;
        let bytes = config::xml::xmldefault(&self.image_of(f), &node)?;
        r.generate("XMLDefault.cnf.xml", bytes, &f.why);
        Ok(())
    }

    fn sep_per_phone(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let image = self.image_of(f);
        let node = self.process_node(r)?;
        for p in &self.session.phones {
            let bytes = config::xml::sep_cnf_xml(p.model, &image, &node)?;
            r.generate(config::xml::sep_name(&p.mac), bytes, &f.why);
        }
        Ok(())
    }

    /// The XML files' `processNodeName`: the session's CallManager/CME
    /// address, else this computer's (docs/files.md §4), said in a warning:
    /// the one it serves on (`[serve] bind`, the wizard's chosen address),
    /// else its default one.
    fn process_node(&self, r: &mut Rendered) -> Result<String, StageError> {
        if let Some(cm) = &self.session.callmanager {
            return Ok(cm.clone());
        }
        let served = self
            .session
            .bind
            .map(|b| b.ip())
            .filter(|ip| !ip.is_unspecified());
        let ip = served
            .or_else(crate::host::default_address)
            .ok_or(StageError::NoCallManager)?;
        let note = crate::msg!(
            "stage.note.process_node",
            "The session gives no CallManager/CME address, so the XML files name this computer ({ip}) as processNodeName; set callmanager under [sccp] when the phones should register elsewhere.",
            ip = ip,
        );
        debug_assert_eq!(note.id, super::PROCESS_NODE_NOTE);
        if !r.warnings.contains(&note) {
            r.warnings.push(note);
        }
        Ok(ip.to_string())
    }

    /// RINGLIST.DAT and the ring tones it lists, when a package carries any.
    fn ring_list(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let tones = self.ring_tones();
        let list: Vec<config::ringlist::RingTone> = tones
            .iter()
            .map(|(_, _, n)| config::ringlist::RingTone::from_file(n))
            .collect();
        if let Some(bytes) = config::ringlist::ringlist_dat(&list)? {
            r.generate(f.name.clone(), bytes, &f.why);
            for (i, pkg, name) in tones {
                r.from_packages.push(self.package_write(
                    i,
                    pkg,
                    &name,
                    &crate::msg!("stage.why.ring_tone", "ring tone listed in RINGLIST.DAT"),
                ));
            }
        } else if !f.optional {
            return Err(self.missing(
                self.stage().target.as_str(),
                crate::msg!(
                    "stage.missing.ring_tones",
                    "RINGLIST.DAT needs ring tones (.pcm/.raw) and no package carries any"
                ),
            ));
        }
        Ok(())
    }

    /// gkdefault.cfg compiled natively from gkdefault.txt and sip_ptag.dat.
    fn gk_default(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let txt = self.package_file("gkdefault.txt");
        let ptag = self.package_file("sip_ptag.dat");
        match (txt, ptag) {
            (Some((_, tp, tn)), Some((_, pp, pn))) => {
                let text = String::from_utf8_lossy(&tp.read(&tn)?).into_owned();
                let table = String::from_utf8_lossy(&pp.read(&pn)?).into_owned();
                let compiled = config::gkdefault::compile(&text, &table)?;
                r.warnings.extend(compiled.warnings);
                if let Some(image) = config::gkdefault::upgrade_image(&text) {
                    r.warnings.push(crate::msg!(
                        "stage.note.gk_upgrade",
                        "gkdefault.cfg is compiled from the package's gkdefault.txt as shipped: its upgradecode names {image}, not {target}. The 7940/7960 follow image_version and OS79XX.TXT; the profile is for a 7905/7912 (docs/files.md).",
                        image = image,
                        target = self.stage().target,
                    ));
                }
                r.generate(f.name.clone(), compiled.bytes, &f.why);
                Ok(())
            }
            _ if f.optional => Ok(()),
            _ => Err(self.missing(
                self.stage().target.as_str(),
                crate::msg!(
                    "stage.missing.gk",
                    "gkdefault.cfg is built from gkdefault.txt and sip_ptag.dat, and no package carries both"
                ),
            )),
        }
    }

    /// Every file of the target's package (`*`), which must be complete.
    fn whole_package(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        let (i, pkg) = self.target_package()?;
        for pf in pkg.files() {
            r.from_packages
                .push(self.package_write(i, pkg, &pf.name, &f.why));
        }
        Ok(())
    }

    /// One named file from a package (an image file of the target).
    fn package_file_of(&self, f: &PlannedFile, r: &mut Rendered) -> Result<(), StageError> {
        if f.name.contains('<') {
            return Ok(());
        }
        match self.package_file(&f.name) {
            Some((i, pkg, name)) => {
                r.from_packages
                    .push(self.package_write(i, pkg, &name, &f.why));
                Ok(())
            }
            None if f.optional => Ok(()),
            None => {
                // Name the package that should have held it.
                self.target_package()?;
                Err(self.missing(
                    self.stage().target.as_str(),
                    crate::msg!(
                        "stage.missing.file",
                        "no firmware package holds {name}: add the package that contains it",
                        name = f.name,
                    ),
                ))
            }
        }
    }

    /// A package file served under another name (R4b's 8.3 alias).
    fn alias(&self, f: &PlannedFile, of: &str, r: &mut Rendered) -> Result<(), StageError> {
        let Some((_, pkg, name)) = self.package_file(of) else {
            return Err(self.missing(
                self.stage().target.as_str(),
                crate::msg!(
                    "stage.missing.alias",
                    "{of} is served under the alias {alias}, and no package holds {of}",
                    of = of,
                    alias = f.name,
                ),
            ));
        };
        r.generate(f.name.clone(), pkg.read(&name)?, &f.why);
        Ok(())
    }

    /// A load name in the spelling of the package that holds it (file names
    /// must match what the phone will ask for). A loader stays a loader.
    pub(super) fn respell(&self, image: &str) -> String {
        match LoadName::parse(image) {
            Ok(parsed) => self
                .packages
                .spelling_of(&parsed.value)
                .unwrap_or(parsed.value)
                .as_str()
                .to_string(),
            Err(_) => image.to_string(),
        }
    }

    fn missing(&self, load: &str, detail: Msg) -> StageError {
        StageError::MissingPackage {
            stage: self.stage_no,
            load: load.to_string(),
            detail,
        }
    }

    /// The package that supplies the stage's target, complete.
    fn target_package(&self) -> Result<(usize, &'a FirmwarePackage), StageError> {
        let target = &self.stage().target;
        let found = self.packages.find(target).ok_or_else(|| {
            let have: Vec<String> = self
                .packages
                .packages()
                .iter()
                .map(|p| p.display_name())
                .collect();
            self.missing(
                target.as_str(),
                if have.is_empty() {
                    crate::msg!(
                        "stage.missing.target",
                        "no firmware package holds it: add the {target} package (its zip) to the session's firmware list",
                        target = target,
                    )
                } else {
                    crate::msg!(
                        "stage.missing.target_listed",
                        "no firmware package holds it: add the {target} package (its zip) to the session's firmware list (listed now: {listed})",
                        target = target,
                        listed = have.join(", "),
                    )
                },
            )
        })?;
        if !found.missing.is_empty() {
            return Err(self.missing(
                target.as_str(),
                crate::msg!(
                    "stage.missing.incomplete",
                    "{package} lacks {files}: download the full package again",
                    package = found.package.display_name(),
                    files = found.missing.join(", "),
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
            if let Some(sp) = pkgs[i].spelling_of(&load) {
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
        why: &Msg,
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
            why: why.clone(),
        }
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
    pub(super) fn named_images(
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

    /// Every file names the target, or (OS79XX.TXT) the target's loader,
    /// or (R4b) the target's 8.3 alias.
    fn check_consistent(&self, writes: &[PlannedWrite]) -> Result<(), StageError> {
        let named = self.named_images(writes)?;
        let aliases: Vec<(String, String)> = self
            .stage()
            .files
            .iter()
            .filter_map(|f| match &f.kind {
                FileKind::Alias { of } => Some((
                    f.name.trim_end_matches(".bin").to_string(),
                    of.trim_end_matches(".bin").to_string(),
                )),
                _ => None,
            })
            .collect();
        let app = |n: &str| -> String {
            let n = aliases
                .iter()
                .find(|(a, _)| a == n)
                .map_or(n, |(_, of)| of.as_str());
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
}
