//! Assembling stages: the files, removals, steps and notes of one boot
//! cycle, from the route's choices ([`Shape`]). Every route goes through
//! here, so every stage keeps the same rules (one image per stage, minimal
//! SIPDefault.cnf for SIP 2.x readers).

use super::files::{self, os79xx_name};
use super::text;
use super::{Alternative, FileKind, Note, Planner, RemoveKind, RouteId, Stage};
use crate::load::{LoadName, LoadSpec, Protocol};

/// Route-specific choices for one stage.
#[derive(Default)]
pub(super) struct Shape {
    /// Unpack every file of the target package (R3, R5 stage 2, R7).
    pub(super) whole: bool,
    /// Write XMLDefault.cnf.xml and SEP<MAC>.cnf.xml naming the target.
    pub(super) xml: bool,
    /// Add gkdefault.cfg when the package allows (R6).
    pub(super) gk: bool,
    /// Only NAME.bin, even for a loader-era SCCP load (R5 stage 1: the tech
    /// note's "binary image").
    pub(super) bin_only: bool,
    /// R4b: serve the image under this 8.3 name.
    pub(super) alias: Option<String>,
}

pub(super) struct Builder<'a> {
    pub(super) p: &'a Planner,
    pub(super) notes: Vec<Note>,
    pub(super) stages: Vec<Stage>,
    pub(super) alternatives: Vec<Alternative>,
    pub(super) via: Vec<RouteId>,
}

impl Builder<'_> {
    /// What the phone runs at the start of the next stage.
    pub(super) fn running(&self, from: &LoadSpec) -> LoadSpec {
        match self.stages.last() {
            Some(s) => LoadSpec::Name(s.target.clone()),
            None => from.clone(),
        }
    }

    /// A concrete name for a spec: the given name, a matching load from the
    /// user's packages (the highest), or Cisco's name for the family.
    pub(super) fn resolve(&mut self, need: &LoadSpec) -> LoadName {
        if let LoadSpec::Name(n) = need {
            return n.clone();
        }
        let found = self
            .p
            .available
            .iter()
            .filter(|n| need.accepts(n))
            .max()
            .cloned();
        match found {
            Some(n) => n,
            None => {
                let n = need.load_name();
                let note = text::placeholder_note(&n, &need.to_string());
                if need.version().is_none() && !self.notes.contains(&note) {
                    self.notes.push(note);
                }
                n
            }
        }
    }

    pub(super) fn stage(&mut self, need: LoadSpec, shape: Shape, from: &LoadSpec) {
        let running = self.running(from);
        let target = self.resolve(&need);
        let first = self.stages.is_empty();
        let t = target.as_str().to_string();
        let named = shape.alias.clone().unwrap_or_else(|| t.clone());
        let mut files = Vec::new();
        let mut notes = Vec::new();
        let os_name = match &shape.alias {
            Some(a) => a.clone(),
            None => os79xx_name(&target).as_str().to_string(),
        };
        files.push(files::os79xx(
            &os_name,
            if os_name == t || shape.alias.is_some() {
                "read at boot by old loads and by the universal loader"
            } else {
                "read at boot by old loads; names the loader of the same load, as Cisco's package does"
            },
        ));
        let sip_2x = |s: &LoadSpec| s.protocol() == Protocol::Sip && s.major() <= 2;
        let target_spec = LoadSpec::Name(target.clone());
        let running_sip = running.protocol() == Protocol::Sip;
        if target.protocol() == Protocol::Sip {
            let minimal = sip_2x(&running) || sip_2x(&target_spec);
            if minimal {
                let reader = if sip_2x(&running) {
                    &running
                } else {
                    &target_spec
                };
                notes.push(text::minimal_sipdefault_note(&reader.to_string()));
            }
            files.push(files::sip_default(
                &named,
                minimal,
                "read by the SIP load; image_version names the load to run",
            ));
            if !minimal {
                files.push(files::sip_per_phone(
                    &named,
                    "per-phone lines (name, auth name, password, display name); overrides SIPDefault.cnf",
                ));
                files.push(files::dialplan());
                files.push(files::ring_list());
            }
        } else if running_sip {
            files.push(files::sip_default(
                &named,
                true,
                "read by the running SIP load: image_version = the SCCP load sends it to SCCP",
            ));
            files.push(files::sip_per_phone(
                &named,
                "its image_version overrides SIPDefault.cnf, so it names the SCCP load too",
            ));
        }
        if shape.xml {
            let why = match target.protocol() {
                Protocol::Sip => {
                    "read first by SCCP 6+ and the loader; loadInformation names the SIP load"
                }
                Protocol::Sccp => {
                    "read by SCCP 6+ after the switch, so the first SCCP boot stays on this load"
                }
            };
            files.push(files::xml_default(&t, why));
            files.push(files::sep_per_phone(&t, why));
        }
        if shape.gk {
            files.push(files::gk_default(&t));
        }
        if shape.whole {
            files.push(files::whole_package(&target));
        }
        if shape.bin_only {
            files.push(super::PlannedFile {
                name: format!("{t}.bin"),
                kind: FileKind::FromPackage,
                why: "the binary image the old SIP load fetches through OS79XX.TXT".into(),
                image: None,
                optional: false,
            });
        } else {
            files.extend(files::image_files(&target));
        }
        if let Some(a) = &shape.alias {
            files.push(files::alias(a, &target));
            notes.push(Note::warning(format!(
                "{a} is a short name for {t}; once the phone runs SCCP, the next stage (or you) replaces every {a} in OS79XX.TXT with the real name."
            )));
        }
        if !running.is_signed() && target.is_signed() {
            notes.push(text::signed_note(&target));
        }
        let mut remove = vec![
            files::removal(
                RemoveKind::SepDefault,
                "very old SCCP loads read SEPDefault.cnf; a stale one naming another image makes the phone flip",
            ),
            files::removal(
                RemoveKind::OtherImages,
                "a stray config naming one of them would be obeyed",
            ),
        ];
        if !shape.xml {
            remove.push(files::removal(
                RemoveKind::SccpXml,
                "XMLDefault.cnf.xml / SEP<MAC>.cnf.xml naming another load would be read first by SCCP 6+ and the loader",
            ));
        }
        if !running_sip && target.protocol() != Protocol::Sip {
            remove.push(files::removal(
                RemoveKind::SipConfigs,
                "SIP configs are no longer read; left alone they name an old image",
            ));
        }
        self.stages.push(Stage {
            title: format!("{} → {}", describe(&running), describe(&target_spec)),
            actions: text::image_stage_actions(&target, first),
            target,
            need,
            running,
            installs_image: true,
            files,
            notes,
            remove,
        });
    }

    /// After a minimal SIPDefault.cnf on the final load, one more stage
    /// writes the full configuration.
    pub(super) fn finish_config_stage(&mut self) {
        let Some(last) = self.stages.last() else {
            return;
        };
        let minimal_sip = last.target.protocol() == Protocol::Sip
            && last
                .files
                .iter()
                .any(|f| f.kind == FileKind::SipDefault { minimal: true });
        if !minimal_sip {
            return;
        }
        let target = last.target.clone();
        let t = target.as_str();
        let mut notes = vec![Note::info(format!(
            "The phone now runs {target}; this stage gives it the full configuration the minimal SIPDefault.cnf left out."
        ))];
        if target.version().major() <= 2 {
            notes.push(Note::warning(format!(
                "{target} is SIP 2.x: keep SIPDefault.cnf short (settings per phone go in SIP<MAC>.cnf) or it fails with \"W210 TFTP buffer full\"."
            )));
        }
        self.stages.push(Stage {
            title: format!("configure {}", describe(&LoadSpec::Name(target.clone()))),
            need: LoadSpec::Name(target.clone()),
            running: LoadSpec::Name(target.clone()),
            installs_image: false,
            files: vec![
                files::os79xx(
                    &os79xx_name(&target).to_string(),
                    "unchanged: still names the installed load",
                ),
                files::sip_default(
                    t,
                    false,
                    "the full file: proxy, port, registration, time; image_version unchanged",
                ),
                files::sip_per_phone(
                    t,
                    "per-phone lines (name, auth name, password, display name)",
                ),
                files::dialplan(),
                files::ring_list(),
            ],
            actions: text::config_stage_actions(&target),
            notes,
            remove: vec![files::removal(
                RemoveKind::SccpXml,
                "XMLDefault.cnf.xml / SEP<MAC>.cnf.xml naming another load would be read first",
            )],
            target,
        });
    }

    pub(super) fn plan_notes(&mut self, from: &LoadSpec, to: &LoadSpec) {
        if self
            .stages
            .iter()
            .any(|s| s.files.iter().any(|f| f.kind == FileKind::Os79xxTxt))
        {
            self.notes.push(text::os79xx_note());
            self.notes.push(text::letter_o_note());
        }
        if !self.stages.is_empty() && self.stages.iter().all(|s| !s.files.is_empty()) {
            self.notes.push(text::production_network_note());
            self.notes.push(text::factory_reset_note());
        }
        if let Some(m) = self.p.model {
            self.notes.push(text::model_note(m));
        }
        if from.protocol() != to.protocol() && from.is_signed() && !self.p.cucm {
            self.alternatives.push(Alternative {
                route: RouteId::Cm,
                summary: "phones registered to CUCM 5.x/6.x: Bulk Administration migrates them, no TFTP files".into(),
                how: "--cucm".into(),
            });
        }
    }

    pub(super) fn xml_departure_note(&mut self) {
        self.notes.push(Note::departs(
            "XML configs carry a callManagerGroup (your CallManager/CME address when given): without it SCCP 6+ shows \"Protocol Application Invalid\".",
        ));
    }
}

/// "SIP 8.12 (P0S3-8-12-00)" or "SCCP 3.x".
pub(super) fn describe(spec: &LoadSpec) -> String {
    match spec {
        LoadSpec::Name(n) => format!("{} {} ({n})", n.protocol(), n.version()),
        f => f.to_string(),
    }
}
