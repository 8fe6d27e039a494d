//! Assembling stages: the files, removals, steps and notes of one boot
//! cycle, from the route's choices ([`Shape`]). Every route goes through
//! here, so every stage keeps the same rules (one image per stage, minimal
//! SIPDefault.cnf for SIP 2.x readers).

use super::files::{self, os79xx_name};
use super::reader::{Reader, xml_capable_sccp};
use super::text;
use super::{Alternative, FileKind, Note, Planner, RemoveKind, RouteId, Stage};
use crate::load::{Layout, LoadName, LoadSpec, Protocol};
use crate::msg;
use crate::msg::Msg;

/// Route-specific choices for one stage; everything else follows from what
/// the running load reads (docs/routes.md §1).
#[derive(Default)]
pub(super) struct Shape {
    /// Unpack every file of the target package (the tech note says so for
    /// R3, R5 stage 2, R7, and it keeps the zip's OS79XX.TXT and ring tones).
    pub(super) whole: bool,
    /// Add gkdefault.cfg when the package allows (R6).
    pub(super) gk: bool,
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

    /// The package layout of a load: by its version, else (SCCP 6.x) by the
    /// user's package that holds it; `None` when neither tells.
    pub(super) fn layout_of(&self, load: &LoadName) -> Option<Layout> {
        load.layout_by_version().or_else(|| {
            self.p
                .layouts
                .iter()
                .find(|(l, _)| l.same_file_set(load))
                .map(|(_, layout)| *layout)
        })
    }

    /// What a load reads, with its layout where known.
    pub(super) fn reader(&self, spec: &LoadSpec) -> Reader {
        let layout = match spec {
            LoadSpec::Name(n) => self.layout_of(n),
            family => family.load_name().layout_by_version(),
        };
        Reader::of(spec, layout)
    }

    /// One stage from what the phone runs now to `need`: the files the
    /// running load obeys name the target, and so do the files every load
    /// the phone passes through on the way reads (docs/routes.md §2).
    pub(super) fn stage(&mut self, need: LoadSpec, shape: Shape, from: &LoadSpec) {
        let running = self.running(from);
        let reader = self.reader(&running);
        let target = self.resolve(&need);
        let target_layout = self.layout_of(&target);
        let first = self.stages.is_empty();
        let t = target.as_str().to_string();
        let named = shape.alias.clone().unwrap_or_else(|| t.clone());
        let loader_stage = target.is_universal_loader();
        let target_sip = target.protocol() == Protocol::Sip && !loader_stage;
        let mut files = Vec::new();
        let mut notes = Vec::new();

        let os_name = match &shape.alias {
            Some(a) => a.clone(),
            None => os79xx_name(&target).as_str().to_string(),
        };
        files.push(files::os79xx(
            &os_name,
            os79xx_why(reader, &os_name, &running),
        ));

        // SIPDefault.cnf and SIP<MAC>.cnf: for a SIP reader, and for the SIP
        // target once it boots.
        let sip_2x = |s: &LoadSpec| s.protocol() == Protocol::Sip && s.major() <= 2;
        let target_spec = LoadSpec::Name(target.clone());
        if target_sip {
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
                msg!(
                    "plan.why.sipdefault",
                    "read by the SIP load; image_version names the load to run"
                ),
            ));
            if !minimal {
                files.push(files::sip_per_phone(
                    &named,
                    msg!(
                        "plan.why.sipmac",
                        "per-phone lines (name, auth name, password, display name); overrides SIPDefault.cnf"
                    ),
                ));
                files.push(files::dialplan());
                files.push(files::ring_list());
            }
        } else if reader.reads_sip_configs() {
            files.push(files::sip_default(
                &named,
                true,
                msg!(
                    "plan.why.sipdefault_to_sccp",
                    "read by the running SIP load: image_version = the SCCP load sends it there"
                ),
            ));
            files.push(files::sip_per_phone(
                &named,
                msg!(
                    "plan.why.sipmac_to_sccp",
                    "its image_version overrides SIPDefault.cnf, so it names the same load"
                ),
            ));
        }

        // The XML configs: whenever a load on the way reads them. The
        // running load itself; the loader a one-file fetch of a loader-era
        // load arrives as (it needs a callManagerGroup, 7.4, 7.6); and an
        // XML-capable SCCP target, so its first boot stays put.
        let through_loader = loader_stage
            || (reader.fetches_one_file() && target_layout != Some(Layout::SingleImage));
        let xml = reader.reads_xml() || through_loader || xml_capable_sccp(&target);
        if xml {
            let why = xml_why(reader, &target, through_loader);
            files.push(files::xml_default(&t, why.clone()));
            files.push(files::sep_per_phone(&t, why));
        }
        if shape.gk {
            files.push(files::gk_default());
        }
        if shape.whole {
            files.push(files::whole_package(&target));
        }
        files.extend(files::image_files(&target, target_layout));
        if let Some(a) = &shape.alias {
            files.push(files::alias(a, &target));
            notes.push(Note::warning(msg!(
                "plan.note.alias",
                "{a} is a short name for {t}; once the phone runs SCCP, the next stage (or you) replaces every {a} in OS79XX.TXT with the real name.",
                a = a,
                t = t,
            )));
        }
        if !running.is_signed() && target.is_signed() {
            notes.push(text::signed_note(&target));
        }
        notes.extend(text::assumptions(reader, &running, &target, target_layout));
        let mut remove = vec![
            files::removal(
                RemoveKind::SepDefault,
                msg!(
                    "plan.remove.sepdefault",
                    "very old SCCP loads read SEPDefault.cnf; a stale one naming another image makes the phone flip"
                ),
            ),
            files::removal(
                RemoveKind::OtherImages,
                msg!(
                    "plan.remove.other_images_why",
                    "a stray config naming one of them would be obeyed"
                ),
            ),
        ];
        if !xml {
            remove.push(files::removal(
                RemoveKind::SccpXml,
                msg!(
                    "plan.remove.xml",
                    "XMLDefault.cnf.xml / SEP<MAC>.cnf.xml naming another load would be read by SCCP and the loader"
                ),
            ));
        }
        if !files.iter().any(|f| f.kind == FileKind::SipPerPhone) {
            remove.push(files::removal(
                RemoveKind::SipConfigs,
                msg!(
                    "plan.remove.sip",
                    "no load of this stage reads the SIP configs; left alone they name an old image"
                ),
            ));
        }
        self.stages.push(Stage {
            title: msg!(
                "plan.title.stage",
                "{from} → {to}",
                from => describe(&running),
                to => describe(&target_spec),
            ),
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
        let mut notes = vec![Note::info(msg!(
            "plan.note.full_config",
            "The phone now runs {target}; this stage gives it the full configuration the minimal SIPDefault.cnf left out.",
            target = target,
        ))];
        if target.version().major() <= 2 {
            notes.push(Note::warning(msg!(
                "plan.note.sip2_short",
                "{target} is SIP 2.x: keep SIPDefault.cnf short (settings per phone go in SIP<MAC>.cnf) or it fails with \"W210 TFTP buffer full\".",
                target = target,
            )));
        }
        self.stages.push(Stage {
            title: msg!(
                "plan.title.configure",
                "configure {load}",
                load => describe(&LoadSpec::Name(target.clone())),
            ),
            need: LoadSpec::Name(target.clone()),
            running: LoadSpec::Name(target.clone()),
            installs_image: false,
            files: vec![
                files::os79xx(
                    &os79xx_name(&target).to_string(),
                    msg!(
                        "plan.why.os79xx_unchanged",
                        "unchanged: still names the installed load"
                    ),
                ),
                files::sip_default(
                    t,
                    false,
                    msg!(
                        "plan.why.sipdefault_full",
                        "the full file: proxy, port, registration, time; image_version unchanged"
                    ),
                ),
                files::sip_per_phone(
                    t,
                    msg!(
                        "plan.why.sipmac_lines",
                        "per-phone lines (name, auth name, password, display name)"
                    ),
                ),
                files::dialplan(),
                files::ring_list(),
            ],
            actions: text::config_stage_actions(&target),
            notes,
            remove: vec![files::removal(
                RemoveKind::SccpXml,
                msg!(
                    "plan.remove.xml_first",
                    "XMLDefault.cnf.xml / SEP<MAC>.cnf.xml naming another load would be read first"
                ),
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
                summary: msg!(
                    "plan.alt.cucm",
                    "phones registered to CUCM 5.x/6.x: Bulk Administration migrates them, no TFTP files"
                ),
                how: Msg::verbatim("--cucm"),
            });
        }
    }

    pub(super) fn xml_departure_note(&mut self) {
        let note = Note::departs(msg!(
            "plan.note.call_manager_group",
            "XML configs carry a callManagerGroup with your CallManager/CME address (else this computer's): without it the loader shows \"Protocol Application Invalid\"."
        ));
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Why OS79XX.TXT holds what it holds, for the running load (7.1).
fn os79xx_why(reader: Reader, name: &str, running: &LoadSpec) -> Msg {
    let prefix = |s: &str| s.chars().take(4).collect::<String>();
    let obeyed = prefix(name) != prefix(running.load_name().as_str());
    match reader {
        Reader::SccpText | Reader::SccpXml { .. } | Reader::SipOld { .. } if obeyed => {
            msg!(
                "plan.why.os79xx_obeyed",
                "read at boot by the running load, which obeys a name whose first four characters differ from its own"
            )
        }
        Reader::SccpText | Reader::SccpXml { .. } | Reader::SipOld { .. } => {
            msg!(
                "plan.why.os79xx_ignored",
                "read at boot and ignored by the running load (same first four characters); written so no stale name is obeyed"
            )
        }
        _ => {
            msg!(
                "plan.why.os79xx_unread",
                "not read by the running load; names this stage's load as Cisco's package does, for any phone that reads it"
            )
        }
    }
}

/// Why the XML configs are there, for the loads of the stage.
fn xml_why(reader: Reader, target: &LoadName, through_loader: bool) -> Msg {
    if target.is_universal_loader() {
        return msg!(
            "plan.why.xml_loader",
            "read by the running SCCP load: loadInformation names the universal loader, which it fetches as one file; the loader then waits for the next stage"
        );
    }
    let mut why = match reader {
        Reader::SccpXml { .. } => msg!(
            "plan.why.xml_sccp",
            "read by the running SCCP load: loadInformation names the load to fetch"
        ),
        Reader::SipLoaderEra => msg!(
            "plan.why.xml_sip",
            "read first by the running SIP load; it must name the same load as image_version"
        ),
        Reader::Loader => msg!(
            "plan.why.xml_by_loader",
            "read by the loader: loadInformation names the application it fetches (.loads + .sb2)"
        ),
        _ => msg!(
            "plan.why.xml_passing",
            "read by the loads the phone passes through"
        ),
    };
    if through_loader {
        why = msg!(
            "plan.why.xml_arrival_loader",
            "{why}; the loader the phone arrives on needs it, with a callManagerGroup, or it stops at \"Protocol Application Invalid\"",
            why => why,
        );
    }
    if target.protocol() == Protocol::Sccp {
        why = msg!(
            "plan.why.xml_sccp_target",
            "{why}; the SCCP target reads it at its first boot and stays on this load",
            why => why,
        );
    }
    why
}

/// "SIP 8.12 (P0S3-8-12-00)" or "SCCP 3.x".
pub(super) fn describe(spec: &LoadSpec) -> Msg {
    match spec {
        LoadSpec::Name(n) if n.is_universal_loader() => msg!(
            "load.universal_loader",
            "universal loader {version} ({name})",
            version = n.version(),
            name = n,
        ),
        LoadSpec::Name(n) => Msg::verbatim(format!("{} {} ({n})", n.protocol(), n.version())),
        f => Msg::verbatim(f.to_string()),
    }
}
