//! Route selection (docs/routes.md §3): which route a pair of loads takes, the
//! refusals, and the stages each route is made of.

use super::builder::{Builder, Shape, describe};
use super::files;
use super::reader::Reader;
use super::text;
use super::{Alternative, Note, Plan, Planner, Refusal, RouteId, Stage};
use crate::load::{Layout, LoadSpec, Protocol, Version, VersionReq};
use crate::msg;
use crate::msg::Msg;

pub fn plan(p: &Planner, from: &LoadSpec, to: &LoadSpec) -> Result<Plan, Refusal> {
    let mut notes = Vec::new();
    let from = application_of(from, &mut notes);
    let to = application_of(to, &mut notes);
    refuse_same(&from, &to)?;
    refuse_signed_downgrade(&from, &to)?;
    let mut b = Builder {
        p,
        notes,
        stages: Vec::new(),
        alternatives: Vec::new(),
        via: Vec::new(),
    };
    let route = if p.cucm && from.protocol() != to.protocol() {
        b.cucm(&from, &to)
    } else {
        b.route(&from, &to)?
    };
    b.finish_config_stage();
    b.plan_notes(&from, &to);
    Ok(Plan {
        route,
        via: b.via,
        from,
        to,
        model: p.model,
        stages: b.stages,
        notes: b.notes,
        alternatives: b.alternatives,
    })
}

/// A universal loader name stands for the SIP load it belongs to.
fn application_of(spec: &LoadSpec, notes: &mut Vec<Note>) -> LoadSpec {
    match spec {
        LoadSpec::Name(n) if n.is_universal_loader() => {
            let app = n.application();
            notes.push(Note::info(msg!(
                "plan.note.universal_loader_of",
                "{n} is the universal loader of SIP {version}: planned as {app}.",
                n = n,
                version = n.version(),
                app = app,
            )));
            LoadSpec::Name(app)
        }
        other => other.clone(),
    }
}

fn refuse_same(from: &LoadSpec, to: &LoadSpec) -> Result<(), Refusal> {
    if from.protocol() != to.protocol() || from.major() != to.major() {
        return Ok(());
    }
    match (from.version(), to.version()) {
        (Some(a), Some(b)) if a == b => Err(Refusal {
            reason: msg!(
                "plan.refusal.already_there",
                "already there: the phone runs {from}, which is {protocol} {version}",
                from = from,
                protocol = from.protocol(),
                version = a,
            ),
            hint: Some(msg!(
                "plan.hint.nothing_to_convert",
                "Nothing to convert. Check Settings → Status → Firmware Versions on the phone if unsure."
            )),
        }),
        (Some(_), None) | (None, None) => Err(Refusal {
            reason: msg!(
                "plan.refusal.already_in",
                "already there: {from} is already in {to}",
                from = from,
                to = to,
            ),
            hint: Some(msg!(
                "plan.hint.exact_version",
                "Give the exact target version (e.g. '{example}'), or the exact version the phone runs (Settings → Status → Firmware Versions).",
                example = format!(
                    "{} {}.12",
                    to.protocol().to_string().to_lowercase(),
                    to.major()
                ),
            )),
        }),
        _ => Ok(()),
    }
}

fn refuse_signed_downgrade(from: &LoadSpec, to: &LoadSpec) -> Result<(), Refusal> {
    if from.is_signed() && !to.is_signed() {
        return Err(Refusal {
            reason: msg!(
                "plan.refusal.signed_downgrade",
                "refused: {from} is signed (5.0 or later) and {to} is not; a phone running a signed load rejects every pre-5.0 image with \"Image Authentication Failed\", and this cannot be undone",
                from = from,
                to = to,
            ),
            hint: Some(msg!(
                "plan.hint.signed_target",
                "Pick a {protocol} target of 5.0 or later (e.g. '{example}').",
                protocol = to.protocol(),
                example = match to.protocol() {
                    Protocol::Sip => "sip 8.12",
                    Protocol::Sccp => "sccp 8.1(2)",
                },
            )),
        });
    }
    Ok(())
}

impl Builder<'_> {
    fn route(&mut self, from: &LoadSpec, to: &LoadSpec) -> Result<RouteId, Refusal> {
        let (fm, tm) = (from.major(), to.major());
        Ok(match (from.protocol(), to.protocol()) {
            (Protocol::Sccp, Protocol::Sip) => {
                if fm >= 6 {
                    self.r3(from, to)
                } else if tm >= 7 {
                    self.r2(from, to)
                } else if fm < 5 && (tm == 3 || tm == 4) {
                    if self.p.safe_route {
                        self.r1a(from, to)
                    } else {
                        self.r1(from, to, true)
                    }
                } else {
                    self.r1(from, to, false)
                }
            }
            (Protocol::Sip, Protocol::Sccp) => {
                if fm >= 7 {
                    self.r7(from, to)
                } else if fm >= 5 {
                    self.r6(from, to)
                } else {
                    self.sip_old_to_sccp(from, to)
                }
            }
            _ => return self.r8(from, to),
        })
    }

    // ---- SCCP → SIP ----

    fn r1(&mut self, from: &LoadSpec, to: &LoadSpec, offer_safe: bool) -> RouteId {
        self.stage(to.clone(), Shape::default(), from);
        if offer_safe {
            self.notes.push(Note::warning(msg!(
                "plan.note.state_error",
                "If SIP 3.x/4.x fails to install and the TFTP server log shows \"State Error\", take the safe route via SIP 2.3 (R1a)."
            )));
            self.alternatives.push(Alternative {
                route: RouteId::R1a,
                summary: msg!(
                    "plan.alt.safe",
                    "safe two-stage route: SIP 2.3 (P0S30203) first, then the target"
                ),
                how: Msg::verbatim("--safe"),
            });
        }
        RouteId::R1
    }

    fn r1a(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        self.notes.push(Note::info(msg!(
            "plan.note.safe_route",
            "Safe route from the tech note: old SCCP loads can fail straight to SIP 3.x/4.x (\"State Error\" in the TFTP log); SIP 2.3 first, then the target."
        )));
        self.stage(sip_2_3(), Shape::default(), from);
        self.stage(to.clone(), Shape::default(), from);
        self.alternatives.push(Alternative {
            route: RouteId::R1,
            summary: msg!("plan.alt.direct", "direct route in one stage"),
            how: msg!("plan.how.without", "without {option}", option = "--safe"),
        });
        RouteId::R1a
    }

    /// SCCP ≤5.x to SIP ≥7: the SCCP load ignores OS79XX.TXT naming the
    /// loader (same first four characters) and cannot fetch `.loads`, so the
    /// XML names the loader first, then the application (docs/routes.md §4.1).
    fn r2(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        if from.major() < 3 {
            return self.old_sccp_to_loader_era(from, to);
        }
        self.notes.push(Note::departs(msg!(
            "plan.note.r2_departs",
            "The tech note only sets image_version, which an SCCP load never reads, and its OS79XX.TXT names the universal loader, which an SCCP load ignores (both names start P003). So this route takes two stages: the XML configs name the loader, then the application."
        )));
        self.through_loader(from, to);
        RouteId::R2
    }

    /// Two stages through the universal loader named in the XML configs.
    fn through_loader(&mut self, from: &LoadSpec, to: &LoadSpec) {
        let app = self.resolve(to);
        let loader = app.loader_name();
        self.stage(LoadSpec::Name(loader), Shape::default(), from);
        self.stage(
            LoadSpec::Name(app),
            Shape {
                whole: true,
                ..Shape::default()
            },
            from,
        );
        self.xml_departure_note();
    }

    /// SCCP before 3.x reads no XML: only a `P0S3…` name in OS79XX.TXT moves
    /// it, so it goes to a SIP single image first, then into the loader era.
    fn old_sccp_to_loader_era(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        self.notes.push(Note::assumption(msg!(
            "plan.note.old_sccp",
            "SCCP before 3.x is taken not to read the XML configs [U], and only a SIP name in OS79XX.TXT moves it: it goes to SIP 6.3 first, then into the loader era. If the server log shows it asking for SEP<MAC>.cnf.xml or XMLDefault.cnf.xml, it is XML-capable: plan from 'sccp 3.x' instead."
        )));
        self.via.push(RouteId::R1);
        self.stage(sip_6_3(), Shape::default(), from);
        self.stage(
            to.clone(),
            Shape {
                whole: true,
                ..Shape::default()
            },
            from,
        );
        self.xml_departure_note();
        RouteId::R2
    }

    fn r3(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        self.notes.push(Note::departs(msg!(
            "plan.note.r3_departs",
            "Besides unpacking the zip and the SIP configs of the tech note, XMLDefault.cnf.xml and SEP<MAC>.cnf.xml name the SIP load with a callManagerGroup: SCCP reads them (it ignores the zip's OS79XX.TXT, whose loader name starts P003 like its own), and without callManagerGroup the loader stops at \"Protocol Application Invalid\"."
        )));
        if to.major() < 7 {
            self.notes.push(Note::info(msg!(
                "plan.note.r3_sip5",
                "The tech note covers SCCP 6+ to SIP 7+; SIP 5.x/6.x takes the same XML route."
            )));
        }
        let knows_loads = self.reader(from) == (Reader::SccpXml { loader_era: true });
        let target_loader_era = self.resolve(to).layout_by_version() == Some(Layout::Loader);
        if target_loader_era && !knows_loads {
            // An SCCP 6.x load of unknown or single-image layout cannot
            // fetch the application's .loads: R2's two stages.
            self.through_loader(from, to);
            return RouteId::R3;
        }
        self.stage(
            to.clone(),
            Shape {
                whole: true,
                ..Shape::default()
            },
            from,
        );
        RouteId::R3
    }

    // ---- SIP → SCCP ----

    /// SIP ≤4.x to SCCP: R4, R4a, R5, with R4b on top for SIP ≤2.1.
    fn sip_old_to_sccp(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        let base = if to.major() >= 6 {
            RouteId::R5
        } else if to.major() == 5 && from.major() <= 3 {
            RouteId::R4a
        } else {
            RouteId::R4
        };
        let first_sccp = match base {
            RouteId::R5 => sccp_6_3(),
            RouteId::R4a => LoadSpec::Family {
                protocol: Protocol::Sccp,
                version: VersionReq::Major(4),
            },
            _ => to.clone(),
        };
        let mut alias = None;
        let mut route = base;
        if from.needs_8_3_names() {
            let name = self.resolve(&first_sccp);
            if !name.fits_8_3() {
                route = RouteId::R4b;
                self.via.push(base);
                self.notes.push(Note::info(msg!(
            "plan.note.sip21_8_3",
            "SIP 2.1 and earlier refuse SCCP names longer than 8.3 (xxxxxxxx.bin); {name} is longer.",
            name = name
        )));
                if self.p.alias_for_8_3 {
                    alias = Some(files::alias_name(&name));
                    self.alternatives.push(Alternative {
                        route: RouteId::R4b,
                        summary: msg!(
                            "plan.alt.upgrade_first",
                            "upgrade SIP to 2.3 first (P0S30203), then go to SCCP with the real name"
                        ),
                        how: Msg::verbatim("--no-alias"),
                    });
                } else {
                    self.via.insert(0, RouteId::R8);
                    self.stage(sip_2_3(), Shape::default(), from);
                    self.alternatives.push(Alternative {
                        route: RouteId::R4b,
                        summary: msg!(
                            "plan.alt.alias",
                            "serve {name} under a short 8.3 alias, one stage less",
                            name = name,
                        ),
                        how: msg!(
                            "plan.how.without",
                            "without {option}",
                            option = "--no-alias"
                        ),
                    });
                }
            }
        }
        match base {
            RouteId::R5 => {
                self.notes.push(Note::info(msg!(
            "plan.note.r5",
            "From SIP 4.x or earlier the tech note goes to SCCP 6.3 first (OS79XX.TXT and the SIP configs name it), then unpacks the target zip."
        )));
                self.stage(
                    first_sccp,
                    Shape {
                        alias,
                        ..Shape::default()
                    },
                    from,
                );
                let reached = self.stages.last().map(|s| s.target.clone());
                if !reached.is_some_and(|r| to.matches(&r)) {
                    self.stage(
                        to.clone(),
                        Shape {
                            whole: true,
                            ..Shape::default()
                        },
                        from,
                    );
                }
                self.xml_departure_note();
            }
            RouteId::R4a => {
                self.notes.push(Note::info(msg!(
                    "plan.note.r4a",
                    "From SIP 3.x or earlier the tech note goes to the latest SCCP 4.x before 5.x."
                )));
                self.stage(
                    first_sccp,
                    Shape {
                        alias,
                        ..Shape::default()
                    },
                    from,
                );
                self.stage(to.clone(), Shape::default(), from);
            }
            _ => {
                self.notes.push(Note::departs(msg!(
            "plan.note.r4_departs",
            "The tech note only edits OS79XX.TXT; SIPDefault.cnf and SIP<MAC>.cnf name the SCCP load too, so no config names the old SIP image."
        )));
                self.stage(
                    to.clone(),
                    Shape {
                        alias,
                        ..Shape::default()
                    },
                    from,
                );
            }
        }
        route
    }

    fn r6(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        self.notes.push(Note::departs(msg!(
            "plan.note.r6_departs",
            "The tech note's gkdefault.txt/cfgfmt route belongs to the 7905/7912, not the 7940/7960: the field route sets image_version to the SCCP load in SIPDefault.cnf with OS79XX.TXT naming the same load. gkdefault.cfg is still built natively (no Windows-only cfgfmt.exe) when the SIP package carries gkdefault.txt and sip_ptag.dat, and left as shipped: its upgradecode is not rewritten to name the SCCP load."
        )));
        let whole = to.major() >= 6;
        self.stage(
            to.clone(),
            Shape {
                gk: true,
                whole,
                ..Shape::default()
            },
            from,
        );
        self.xml_departure_note();
        self.alternatives.push(Alternative {
            route: RouteId::R8,
            summary: msg!(
                "plan.alt.r8_detour",
                "field detour if the phone ignores image_version: SIP 8.12 first (R8), then SCCP (R7)"
            ),
            how: msg!(
                "plan.how.r8_detour",
                "plan --from <this> --to 'sip 8.12', then --from 'sip 8.12' --to <target>"
            ),
        });
        RouteId::R6
    }

    fn r7(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        self.notes.push(Note::departs(msg!(
            "plan.note.r7_departs",
            "The tech note names a 'load_information' parameter that does not exist; image_version names the SCCP load in SIPDefault.cnf and in every SIP<MAC>.cnf, and for SCCP 6+ XMLDefault.cnf.xml and SEP<MAC>.cnf.xml carry loadInformation and a callManagerGroup (your CallManager/CME address when given) so the first SCCP boot stays put."
        )));
        self.stage(
            to.clone(),
            Shape {
                whole: true,
                ..Shape::default()
            },
            from,
        );
        self.xml_departure_note();
        RouteId::R7
    }

    // ---- same protocol ----

    fn r8(&mut self, from: &LoadSpec, to: &LoadSpec) -> Result<RouteId, Refusal> {
        if to.version() < from.version() && from.version().is_some() {
            self.notes.push(Note::info(msg!(
            "plan.note.downgrade",
            "{to} is older than {from}: a downgrade within the signed or the unsigned line is allowed.",
            to = to,
            from = from
        )));
        }
        let shape = Shape {
            whole: to.major() >= 6,
            ..Shape::default()
        };
        match to.protocol() {
            Protocol::Sccp if from.major() < 3 => {
                return Err(Refusal {
                    reason: msg!(
                        "plan.refusal.sccp_no_xml",
                        "{from} reads no XML config and obeys only a SIP name in OS79XX.TXT, so no file this tool writes moves it to another SCCP load",
                        from = from,
                    ),
                    hint: Some(msg!(
                        "plan.hint.via_sip",
                        "Convert it to SIP first (plan --to 'sip 4.4'), then from SIP to {to}.",
                        to = to,
                    )),
                });
            }
            Protocol::Sip if from.needs_8_3_names() && !self.resolve(to).fits_8_3() => {
                let target = self.resolve(to);
                self.notes.push(Note::assumption(msg!(
            "plan.note.sip21_detour",
            "SIP 2.1 and earlier refuse load names longer than 8.3; the tech note says so for SCCP names, and this plan takes it for every name the phone reads [I]: it goes to SIP 2.3 (P0S30203) first. If {from} takes {target} directly, the first stage is only a detour.",
            from = from,
            target = target
        )));
                self.stage(sip_2_3(), Shape::default(), from);
            }
            _ => {}
        }
        let loader_era = self.resolve(to).layout_by_version() == Some(Layout::Loader);
        if to.protocol() == Protocol::Sip
            && loader_era
            && self.reader(&self.running(from)).fetches_one_file()
        {
            self.notes.push(Note::departs(msg!(
            "plan.note.loader_era_xml",
            "Into the loader era the universal loader reads the XML configs as well as image_version: XMLDefault.cnf.xml and SEP<MAC>.cnf.xml name the same SIP load with a callManagerGroup, or the phone stops at \"Protocol Application Invalid\" (docs/routes.md §4.2)."
        )));
        }
        self.stage(to.clone(), shape, from);
        Ok(RouteId::R8)
    }
    // ---- CUCM ----

    fn cucm(&mut self, from: &LoadSpec, to: &LoadSpec) -> RouteId {
        let target = self.resolve(to);
        self.stages.push(Stage {
            title: msg!(
                "plan.title.cucm",
                "CUCM migration {from} → {to}",
                from => describe(from),
                to => describe(to),
            ),
            need: to.clone(),
            running: from.clone(),
            installs_image: true,
            files: Vec::new(),
            actions: text::cucm_actions(to.protocol() == Protocol::Sip),
            notes: vec![Note::info(msg!(
            "plan.note.cucm_pushes",
            "CUCM pushes {target} itself; set it as the device default load for the model if it is not already.",
            target = target
        ))],
            remove: Vec::new(),
            target,
        });
        self.notes.push(Note::info(msg!(
            "plan.note.cucm",
            "Phones on Cisco Unified CM 5.x/6.x are migrated in CUCM; no TFTP files are written."
        )));
        RouteId::Cm
    }
}

fn sip_2_3() -> LoadSpec {
    LoadSpec::Family {
        protocol: Protocol::Sip,
        version: VersionReq::Exact(Version::new(2, 3)),
    }
}

fn sip_6_3() -> LoadSpec {
    LoadSpec::Family {
        protocol: Protocol::Sip,
        version: VersionReq::Exact(Version::new(6, 3)),
    }
}

fn sccp_6_3() -> LoadSpec {
    LoadSpec::Family {
        protocol: Protocol::Sccp,
        version: VersionReq::Exact(Version::new(6, 3)),
    }
}
