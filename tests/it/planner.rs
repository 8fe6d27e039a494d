//! Every route of docs/routes.md §2, table-driven: from, to and options in; route
//! id, stage targets and key files out. Invariants every plan must keep are
//! checked on every row.

use convert79xx::load::{Layout, LoadName, LoadSpec, Protocol};
use convert79xx::model::PhoneModel;
use convert79xx::plan::{FileKind, NoteKind, Plan, Planner, RemoveKind, RouteId, Where};

fn spec(s: &str) -> LoadSpec {
    LoadSpec::parse(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .value
}

fn name(s: &str) -> LoadName {
    LoadName::parse(s).unwrap().value
}

struct Case {
    from: &'static str,
    to: &'static str,
    safe: bool,
    cucm: bool,
    alias: bool,
    available: &'static [&'static str],
    route: RouteId,
    via: &'static [RouteId],
    /// The load each stage installs, in order.
    targets: &'static [&'static str],
    /// (stage index, file name, the image it must name or "" for none)
    files: &'static [(usize, &'static str, &'static str)],
}

const BASE: Case = Case {
    from: "",
    to: "",
    safe: false,
    cucm: false,
    alias: true,
    available: &[],
    route: RouteId::R8,
    via: &[],
    targets: &[],
    files: &[],
};

fn cases() -> Vec<Case> {
    use RouteId::*;
    vec![
        // R1: SCCP ≤3.x → SIP ≤6.x: OS79XX.TXT names the SIP load, NAME.bin.
        Case {
            from: "P0030301",
            to: "P0S3-06-3-00",
            route: R1,
            targets: &["P0S3-06-3-00"],
            files: &[
                (0, "OS79XX.TXT", "P0S3-06-3-00"),
                (0, "P0S3-06-3-00.bin", ""),
                (0, "SIPDefault.cnf", "P0S3-06-3-00"),
                (0, "SIP<MAC>.cnf", "P0S3-06-3-00"),
            ],
            ..BASE
        },
        // R1: SCCP 5.x → SIP 5.x/6.x.
        Case {
            from: "P00305000101",
            to: "sip 6.3",
            route: R1,
            targets: &["P0S3-06-3-00"],
            files: &[
                (0, "OS79XX.TXT", "P0S3-06-3-00"),
                (0, "P0S3-06-3-00.bin", ""),
                (0, "P0S3-06-3-00.sbn", ""),
            ],
            ..BASE
        },
        // R1 to SIP 2.3: SIP 2.x reads SIPDefault.cnf, so minimal, then a config stage.
        Case {
            from: "sccp 3.x",
            to: "P0S30203",
            route: R1,
            targets: &["P0S30203", "P0S30203"],
            files: &[
                (0, "SIPDefault.cnf", "P0S30203"),
                (1, "SIP<MAC>.cnf", "P0S30203"),
            ],
            ..BASE
        },
        // R1 to SIP 4.x without --safe: one stage (R1a offered).
        Case {
            from: "sccp 3.1",
            to: "P0S3-04-4-00",
            route: R1,
            targets: &["P0S3-04-4-00"],
            files: &[(0, "P0S3-04-4-00.bin", "")],
            ..BASE
        },
        // R1a: via SIP 2.3, whose minimal SIPDefault.cnf needs a config stage at the end.
        Case {
            from: "sccp 3.1",
            to: "P0S3-04-4-00",
            safe: true,
            route: R1a,
            targets: &["P0S30203", "P0S3-04-4-00", "P0S3-04-4-00"],
            files: &[
                (0, "OS79XX.TXT", "P0S30203"),
                (0, "P0S30203.bin", ""),
                (1, "OS79XX.TXT", "P0S3-04-4-00"),
                (1, "SIPDefault.cnf", "P0S3-04-4-00"),
                (2, "SIP<MAC>.cnf", "P0S3-04-4-00"),
            ],
            ..BASE
        },
        // R2: SCCP ≤5.x → SIP 7.x in two stages: the XML names the loader,
        // then the application (docs/routes.md §4.1).
        Case {
            from: "SCCP 3.x",
            to: "POS3-07-4-00",
            route: R2,
            targets: &["P003-07-4-00", "P0S3-07-4-00"],
            files: &[
                (0, "OS79XX.TXT", "P003-07-4-00"),
                (0, "XMLDefault.cnf.xml", "P003-07-4-00"),
                (0, "SEP<MAC>.cnf.xml", "P003-07-4-00"),
                (0, "P003-07-4-00.bin", ""),
                (0, "P003-07-4-00.sbn", ""),
                (1, "XMLDefault.cnf.xml", "P0S3-07-4-00"),
                (1, "SEP<MAC>.cnf.xml", "P0S3-07-4-00"),
                (1, "SIPDefault.cnf", "P0S3-07-4-00"),
                (1, "SIP<MAC>.cnf", "P0S3-07-4-00"),
                (1, "P0S3-07-4-00.loads", ""),
                (1, "P0S3-07-4-00.sb2", ""),
            ],
            ..BASE
        },
        // Issue 8's example: SCCP 5.0(1.1) → SIP 8.12.
        Case {
            from: "sccp 5.0(1.1)",
            to: "sip 8.12",
            route: R2,
            targets: &["P003-8-12-00", "P0S3-8-12-00"],
            files: &[
                (0, "SEP<MAC>.cnf.xml", "P003-8-12-00"),
                (0, "P003-8-12-00.sbn", ""),
                (1, "*", ""),
                (1, "SEP<MAC>.cnf.xml", "P0S3-8-12-00"),
            ],
            ..BASE
        },
        // R2 from SCCP before 3.x: no XML read, so SIP 6.3 first.
        Case {
            from: "sccp 2.x",
            to: "sip 8.12",
            route: R2,
            via: &[R1],
            targets: &["P0S3-06-3-00", "P0S3-8-12-00"],
            files: &[
                (0, "OS79XX.TXT", "P0S3-06-3-00"),
                (0, "P0S3-06-3-00.bin", ""),
                (1, "OS79XX.TXT", "P003-8-12-00"),
                (1, "XMLDefault.cnf.xml", "P0S3-8-12-00"),
                (1, "SIPDefault.cnf", "P0S3-8-12-00"),
            ],
            ..BASE
        },
        // R3: SCCP ≥6 → SIP ≥7: whole zip plus XML configs naming the SIP load.
        Case {
            from: "P00308010200",
            to: "P0S3-8-12-00",
            route: R3,
            targets: &["P0S3-8-12-00"],
            files: &[
                (0, "*", ""),
                (0, "OS79XX.TXT", "P003-8-12-00"),
                (0, "SIPDefault.cnf", "P0S3-8-12-00"),
                (0, "SIP<MAC>.cnf", "P0S3-8-12-00"),
                (0, "XMLDefault.cnf.xml", "P0S3-8-12-00"),
                (0, "SEP<MAC>.cnf.xml", "P0S3-8-12-00"),
                (0, "dialplan.xml", ""),
            ],
            ..BASE
        },
        // R4: SIP ≤4.x → SCCP ≤5.x.
        Case {
            from: "P0S3-04-4-00",
            to: "P00305000101",
            route: R4,
            targets: &["P00305000101"],
            files: &[
                (0, "OS79XX.TXT", "P00305000101"),
                (0, "P00305000101.bin", ""),
                (0, "SIPDefault.cnf", "P00305000101"),
            ],
            ..BASE
        },
        Case {
            from: "P0S30203",
            to: "P0030301",
            route: R4,
            targets: &["P0030301"],
            files: &[(0, "OS79XX.TXT", "P0030301")],
            ..BASE
        },
        // R4a: SIP ≤3.x → SCCP 5.x through the latest SCCP 4.x the packages hold.
        Case {
            from: "P0S3-03-0-00",
            to: "sccp 5.0(1.1)",
            available: &["P00304010200", "P00304020300", "P00308010200"],
            route: R4a,
            targets: &["P00304020300", "P00305000101"],
            files: &[
                (0, "OS79XX.TXT", "P00304020300"),
                (1, "OS79XX.TXT", "P00305000101"),
            ],
            ..BASE
        },
        // R4b on R5: SIP 2.1 gets the SCCP 6.3 image under an 8.3 alias.
        Case {
            from: "P0S30201",
            to: "P00308010200",
            route: R4b,
            via: &[R5],
            targets: &["P00306030000", "P00308010200"],
            files: &[
                (0, "OS79XX.TXT", "P0030603"),
                (0, "SIPDefault.cnf", "P0030603"),
                (0, "P0030603.bin", ""),
                (0, "P00306030000.bin", ""),
                (1, "*", ""),
                (1, "SEP<MAC>.cnf.xml", "P00308010200"),
            ],
            ..BASE
        },
        // R4b, the other option: upgrade SIP to 2.3 first.
        Case {
            from: "P0S30201",
            to: "P00308010200",
            alias: false,
            route: R4b,
            via: &[R8, R5],
            targets: &["P0S30203", "P00306030000", "P00308010200"],
            files: &[
                (0, "OS79XX.TXT", "P0S30203"),
                (1, "OS79XX.TXT", "P00306030000"),
            ],
            ..BASE
        },
        // SIP 2.1 → SCCP 5.x with no package for 4.x: the stand-in name fits 8.3, so no R4b.
        Case {
            from: "P0S30201",
            to: "P00305000101",
            route: R4a,
            targets: &["P0030400", "P00305000101"],
            files: &[(0, "OS79XX.TXT", "P0030400")],
            ..BASE
        },
        // R4b on R4a.
        Case {
            from: "sip 2.x",
            to: "sccp 5.x",
            available: &["P00304020300"],
            route: R4b,
            via: &[R4a],
            targets: &["P00304020300", "P00305000000"],
            files: &[
                (0, "OS79XX.TXT", "P0030402"),
                (1, "OS79XX.TXT", "P00305000000"),
            ],
            ..BASE
        },
        Case {
            from: "sip 2.1",
            to: "P00305000101",
            available: &["P00304020300"],
            route: R4b,
            via: &[R4a],
            targets: &["P00304020300", "P00305000101"],
            files: &[(0, "OS79XX.TXT", "P0030402"), (0, "P0030402.bin", "")],
            ..BASE
        },
        // R5: SIP ≤4.x → SCCP ≥6.x in two stages via SCCP 6.3.
        Case {
            from: "P0S3-04-4-00",
            to: "P00308010200",
            route: R5,
            targets: &["P00306030000", "P00308010200"],
            files: &[
                (0, "OS79XX.TXT", "P00306030000"),
                (0, "P00306030000.bin", ""),
                (0, "SIPDefault.cnf", "P00306030000"),
                (1, "*", ""),
                (1, "XMLDefault.cnf.xml", "P00308010200"),
                (1, "P00308010200.loads", ""),
            ],
            ..BASE
        },
        // R6: SIP 5.x/6.x → SCCP ≥5.x, field route plus optional gkdefault.cfg.
        Case {
            from: "P0S3-06-3-00",
            to: "P00308010200",
            route: R6,
            targets: &["P00308010200"],
            files: &[
                (0, "SIPDefault.cnf", "P00308010200"),
                (0, "SIP<MAC>.cnf", "P00308010200"),
                (0, "OS79XX.TXT", "P00308010200"),
                (0, "gkdefault.cfg", ""),
            ],
            ..BASE
        },
        // R7: SIP ≥7.x → SCCP ≥5.x.
        Case {
            from: "P0S3-8-12-00",
            to: "P0030801SR02",
            route: R7,
            targets: &["P0030801SR02"],
            files: &[
                (0, "*", ""),
                (0, "SIPDefault.cnf", "P0030801SR02"),
                (0, "SIP<MAC>.cnf", "P0030801SR02"),
                (0, "SEP<MAC>.cnf.xml", "P0030801SR02"),
                (0, "XMLDefault.cnf.xml", "P0030801SR02"),
            ],
            ..BASE
        },
        // R8: same protocol.
        Case {
            from: "P0S3-08-5-00",
            to: "sip 8.12",
            route: R8,
            targets: &["P0S3-8-12-00"],
            files: &[
                (0, "SIPDefault.cnf", "P0S3-8-12-00"),
                (0, "OS79XX.TXT", "P003-8-12-00"),
            ],
            ..BASE
        },
        Case {
            from: "P00308000500",
            to: "P00308010200",
            route: R8,
            targets: &["P00308010200"],
            files: &[(0, "SEP<MAC>.cnf.xml", "P00308010200"), (0, "*", "")],
            ..BASE
        },
        Case {
            from: "P0S30202",
            to: "P0S30203",
            route: R8,
            targets: &["P0S30203", "P0S30203"],
            files: &[(0, "SIPDefault.cnf", "P0S30203")],
            ..BASE
        },
        // R8 into the loader era: OS79XX.TXT names the loader the SIP phone
        // obeys, and the XML configs are there for the loader (§4.2).
        Case {
            from: "P0S3-06-3-00",
            to: "P0S3-8-12-00",
            route: R8,
            targets: &["P0S3-8-12-00"],
            files: &[
                (0, "OS79XX.TXT", "P003-8-12-00"),
                (0, "XMLDefault.cnf.xml", "P0S3-8-12-00"),
                (0, "SEP<MAC>.cnf.xml", "P0S3-8-12-00"),
                (0, "SIPDefault.cnf", "P0S3-8-12-00"),
                (0, "P003-8-12-00.sbn", ""),
            ],
            ..BASE
        },
        // SIP 2.1 reads 8.3 names only: SIP 2.3 first, then the loader era.
        Case {
            from: "P0S30201",
            to: "P0S3-8-12-00",
            route: R8,
            targets: &["P0S30203", "P0S3-8-12-00", "P0S3-8-12-00"],
            files: &[
                (0, "SIPDefault.cnf", "P0S30203"),
                (1, "OS79XX.TXT", "P003-8-12-00"),
                (1, "XMLDefault.cnf.xml", "P0S3-8-12-00"),
            ],
            ..BASE
        },
        // SCCP → SCCP below 6.x: the XML files, never OS79XX.TXT (§4.4).
        Case {
            from: "P00305000101",
            to: "P00308010200",
            route: R8,
            targets: &["P00308010200"],
            files: &[
                (0, "XMLDefault.cnf.xml", "P00308010200"),
                (0, "SEP<MAC>.cnf.xml", "P00308010200"),
                (0, "P00308010200.sbn", ""),
                (0, "*", ""),
            ],
            ..BASE
        },
        Case {
            from: "P0030301",
            to: "P00304020300",
            route: R8,
            targets: &["P00304020300"],
            files: &[
                (0, "SEP<MAC>.cnf.xml", "P00304020300"),
                (0, "P00304020300.bin", ""),
            ],
            ..BASE
        },
        // SCCP 6.x of unknown layout → SIP ≥7: R2's two stages.
        Case {
            from: "sccp 6.3",
            to: "sip 8.12",
            route: R3,
            targets: &["P003-8-12-00", "P0S3-8-12-00"],
            files: &[(0, "XMLDefault.cnf.xml", "P003-8-12-00")],
            ..BASE
        },
        // SIP ≥7 → a single SCCP image.
        Case {
            from: "P0S3-8-12-00",
            to: "P00305000101",
            route: R7,
            targets: &["P00305000101"],
            files: &[
                (0, "XMLDefault.cnf.xml", "P00305000101"),
                (0, "SIPDefault.cnf", "P00305000101"),
                (0, "P00305000101.sbn", ""),
            ],
            ..BASE
        },
        // CM: CUCM 5.x/6.x checklist, no files.
        Case {
            from: "P00308010200",
            to: "sip 8.12",
            cucm: true,
            route: Cm,
            targets: &["P0S3-8-12-00"],
            ..BASE
        },
    ]
}

fn planner(c: &Case) -> Planner {
    Planner {
        safe_route: c.safe,
        cucm: c.cucm,
        alias_for_8_3: c.alias,
        model: Some(PhoneModel::Cp7960),
        available: c.available.iter().map(|s| name(s)).collect(),
        layouts: Vec::new(),
    }
}

/// What every plan must keep, whatever the route.
fn check_invariants(label: &str, plan: &Plan) {
    for (i, s) in plan.stages.iter().enumerate() {
        // Stages chain: each starts where the previous one ended.
        if i > 0 {
            assert_eq!(
                s.running,
                LoadSpec::Name(plan.stages[i - 1].target.clone()),
                "{label} stage {i}"
            );
        }
        // Every file that names an image names this stage's load (or its 8.3 alias).
        let alias = s.files.iter().find_map(|f| match &f.kind {
            FileKind::Alias { .. } => Some(f.name.trim_end_matches(".bin").to_string()),
            _ => None,
        });
        for f in s.files.iter().filter(|f| f.image.is_some()) {
            let img = f.image.as_deref().unwrap();
            if alias.as_deref() == Some(img) {
                continue;
            }
            assert!(
                name(img).same_load(&s.target),
                "{label} stage {i}: {} names {img}, stage installs {}",
                f.name,
                s.target
            );
        }
        // A SIP 2.x reader gets the minimal SIPDefault.cnf.
        let sip2 = |p: Protocol, major: u16| p == Protocol::Sip && major <= 2;
        let reader_2x = s.installs_image
            && (sip2(s.running.protocol(), s.running.major())
                || sip2(s.target.protocol(), s.target.version().major()));
        if let Some(f) = s.files.iter().find(|f| f.name == "SIPDefault.cnf")
            && reader_2x
        {
            assert_eq!(
                f.kind,
                FileKind::SipDefault { minimal: true },
                "{label} stage {i}"
            );
        }
        // A stage never moves aside a kind of file it writes.
        let writes_xml = s.files.iter().any(|f| f.kind == FileKind::XmlDefault);
        let removes_xml = s.remove.iter().any(|r| r.kind == RemoveKind::SccpXml);
        assert!(!(writes_xml && removes_xml), "{label} stage {i}");
        assert!(!s.actions.is_empty(), "{label} stage {i} has no actions");
        // A stage with files names the one that moves the phone on.
        if !s.files.is_empty() {
            let mover = s
                .moved_by()
                .unwrap_or_else(|| panic!("{label} stage {i}: no file moves the phone"));
            assert!(s.files.iter().any(|f| f.name == mover), "{label} stage {i}");
        }
    }
    // Each note is said once.
    for (i, n) in plan.notes.iter().enumerate() {
        assert!(
            !plan.notes[..i].contains(n),
            "{label}: repeated note {}",
            n.text
        );
    }
    // The plan ends on the requested load.
    assert!(
        plan.to.matches(&plan.stages.last().unwrap().target),
        "{label}: ends on {}",
        plan.stages.last().unwrap().target
    );
}

#[test]
fn every_route_of_the_matrix() {
    for c in cases() {
        let label = format!(
            "{} → {} (safe {}, cucm {}, alias {})",
            c.from, c.to, c.safe, c.cucm, c.alias
        );
        let plan = planner(&c)
            .plan(&spec(c.from), &spec(c.to))
            .unwrap_or_else(|r| panic!("{label}: refused: {r}"));
        assert_eq!(plan.route, c.route, "{label}");
        assert_eq!(plan.via, c.via, "{label}");
        let targets: Vec<&str> = plan.stages.iter().map(|s| s.target.as_str()).collect();
        assert_eq!(targets, c.targets, "{label}");
        for (stage, file, image) in c.files {
            let f = plan.stages[*stage]
                .files
                .iter()
                .find(|f| f.name == *file)
                .unwrap_or_else(|| panic!("{label}: stage {stage} lacks {file}"));
            assert_eq!(f.image.as_deref().unwrap_or(""), *image, "{label}: {file}");
        }
        check_invariants(&label, &plan);
        serde_json::to_value(&plan).unwrap();
    }
}

/// The file each running load obeys: OS79XX.TXT when it names the other
/// protocol's prefix, the XML config from SIP 7.x on back to SCCP, the SIP
/// config between SIP loads; a signed image after an unsigned one is marked.
#[test]
fn each_stage_names_the_file_that_moves_the_phone() {
    let plan = |from: &str, to: &str| Planner::default().plan(&spec(from), &spec(to)).unwrap();
    let p = plan("P00308010200", "P0S3-06-3-00");
    assert_eq!(p.stages[0].moved_by(), Some("OS79XX.TXT"));
    // OS79XX.TXT would name the loader, P003… like SCCP's own: ignored
    let p = plan("P00308010200", "P0S3-8-12-00");
    assert_eq!(p.stages[0].moved_by(), Some("SEP<MAC>.cnf.xml"));
    let p = plan("P0S3-8-12-00", "P00308010200");
    assert_eq!(p.stages[0].moved_by(), Some("SEP<MAC>.cnf.xml"));
    let p = plan("P0S3-08-7-00", "P0S3-8-12-00");
    assert_eq!(p.stages[0].moved_by(), Some("SIP<MAC>.cnf"));
    let p = plan("P00303020214", "P0S3-8-12-00");
    assert!(
        p.stages.iter().any(|s| s.irreversible()),
        "an unsigned 3.x phone taking a signed 8.12 image: {:?}",
        p.stages
            .iter()
            .map(|s| s.target.to_string())
            .collect::<Vec<_>>()
    );
    assert!(
        plan("P0S3-07-5-00", "P0S3-8-12-00")
            .stages
            .iter()
            .all(|s| !s.irreversible())
    );
}

#[test]
fn refusals_carry_their_reason() {
    let cases = [
        ("P0S3-8-12-00", "P0030301", "Image Authentication Failed"),
        ("P00308010200", "sip 4.4", "Image Authentication Failed"),
        ("sccp 5.x", "sip 2.3", "Image Authentication Failed"),
        ("P0S3-8-12-00", "sip 8.12", "already there"),
        ("P0S3-08-12-00", "P0S3-8-12-00", "already there"),
        ("P0S3-8-12-00", "sip 8.x", "already there"),
        ("sccp 2.x", "sccp 3.1", "reads no XML config"),
    ];
    for (from, to, text) in cases {
        let r = Planner::default().plan(&spec(from), &spec(to)).unwrap_err();
        assert!(r.reason.contains(text), "{from} → {to}: {r}");
        assert!(r.hint.is_some(), "{from} → {to}");
    }
}

#[test]
fn departures_from_the_tech_note_are_noted() {
    let departs = |from: &str, to: &str, needle: &str| {
        let plan = Planner::default().plan(&spec(from), &spec(to)).unwrap();
        assert!(
            plan.notes
                .iter()
                .any(|n| n.kind == NoteKind::DepartsFromTechNote && n.text.contains(needle)),
            "{from} → {to}: no departure note containing {needle:?}: {:#?}",
            plan.notes
        );
    };
    departs("P0S3-06-3-00", "P00308010200", "7905/7912");
    departs("P00308010200", "P0S3-8-12-00", "callManagerGroup");
    departs("P00308010200", "P0S3-8-12-00", "trailing space");
    departs("P0S3-8-12-00", "P00308010200", "load_information");
}

#[test]
fn signed_step_is_warned_and_alternatives_offered() {
    let plan = Planner::default()
        .plan(&spec("sccp 3.1"), &spec("sip 8.12"))
        .unwrap();
    let warned = plan.stages[0]
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Warning && n.text.contains("cannot be undone"));
    assert!(warned);
    let plan = Planner::default()
        .plan(&spec("sccp 3.1"), &spec("sip 4.4"))
        .unwrap();
    assert!(
        plan.alternatives
            .iter()
            .any(|a| a.route == RouteId::R1a && a.how.to_string() == "--safe")
    );
    let plan = Planner::default()
        .plan(&spec("sip 6.3"), &spec("sccp 8.1(2)"))
        .unwrap();
    assert!(plan.alternatives.iter().any(|a| a.route == RouteId::R8));
    let plan = Planner {
        cucm: true,
        ..Planner::default()
    }
    .plan(&spec("sip 8.12"), &spec("sccp 8.1(2)"))
    .unwrap();
    assert!(plan.stages[0].files.is_empty());
    assert!(plan.stages[0].actions.iter().all(|a| a.who == Where::Cucm));
    assert!(
        plan.stages[0]
            .actions
            .iter()
            .any(|a| a.text.contains("Auto Registration Phone Protocol"))
    );
}

/// Routes that rest on an inferred [I] or unconfirmed [U] fact say so, with
/// the symptom that would show it wrong (docs/routes.md §4.10); the 5.x →
/// SCCP 8.0(5)+ warning (§4.9).
#[test]
fn assumptions_name_their_symptom() {
    let notes = |from: &str, to: &str| -> Vec<(NoteKind, String)> {
        let plan = Planner::default().plan(&spec(from), &spec(to)).unwrap();
        plan.notes
            .iter()
            .chain(plan.stages.iter().flat_map(|s| s.notes.iter()))
            .map(|n| (n.kind, n.text.to_string()))
            .collect()
    };
    let has = |from: &str, to: &str, kind: NoteKind, needles: &[&str]| {
        let all = notes(from, to);
        assert!(
            all.iter()
                .any(|(k, t)| *k == kind && needles.iter().all(|n| t.contains(n))),
            "{from} → {to}: no {kind:?} note with {needles:?}: {all:#?}"
        );
    };
    use NoteKind::{Assumption, Warning};
    // The loader step of R2, and what the phone shows if it goes wrong.
    has(
        "sccp 5.0(1.1)",
        "sip 8.12",
        Assumption,
        &[
            "[I]",
            "universal loader P003-8-12-00",
            "Protocol Application Invalid",
        ],
    );
    has(
        "sccp 5.0(1.1)",
        "sip 8.12",
        Assumption,
        &["stays on the loader", "P0S3-8-12-00.loads"],
    );
    // SIP 5.x/6.x reading OS79XX.TXT is unconfirmed.
    has(
        "sip 6.3",
        "sip 8.12",
        Assumption,
        &["[U]", "never asking for OS79XX.TXT", "P003-8-12-00"],
    );
    // A signed phone fetching a single image's .sbn is inferred.
    has(
        "sccp 5.0(1.1)",
        "sip 6.3",
        Assumption,
        &["[I]", "P0S3-06-3-00.sbn"],
    );
    // SCCP 6.x layouts.
    has("sccp 6.3", "sip 8.12", Assumption, &["[U]", "SCCP 6.3"]);
    has(
        "sip 4.4",
        "sccp 8.1(2)",
        Assumption,
        &["[U]", "Protocol Application Invalid"],
    );
    // A loader-era load taking a single image.
    has(
        "sip 8.12",
        "sccp 5.0(1.1)",
        Assumption,
        &["[I]", "P00305000101.loads"],
    );
    // SCCP 3.x as XML-capable.
    has(
        "sccp 3.1",
        "sccp 4.2(3)",
        Assumption,
        &["[U]", "SEPDefault.cnf"],
    );
    // 5.x to SCCP 8.0(5) or later, not to 8.0(4).
    has("sccp 5.0(1.1)", "sccp 8.1(2)", Warning, &["8.0(4)"]);
    assert!(
        !notes("sccp 5.0(1.1)", "sccp 8.0(4)")
            .iter()
            .any(|(_, t)| t.contains("8.0(5) and later")),
        "8.0(4) needs no warning"
    );
    // The common route rests on nothing unconfirmed.
    assert!(
        !notes("sccp 8.1(2)", "sip 8.12")
            .iter()
            .any(|(k, _)| *k == Assumption),
        "{:#?}",
        notes("sccp 8.1(2)", "sip 8.12")
    );
}

#[test]
fn model_facts_appear() {
    for (model, lines, tag) in [
        (PhoneModel::Cp7940, 2, "loadInformation8"),
        (PhoneModel::Cp7960, 6, "loadInformation7"),
    ] {
        let plan = Planner {
            model: Some(model),
            ..Planner::default()
        }
        .plan(&spec("sccp 8.1(2)"), &spec("sip 8.12"))
        .unwrap();
        let note = plan.notes.iter().find(|n| n.text.contains(tag)).expect(tag);
        assert!(
            note.text.contains(&format!("{lines} line buttons")),
            "{}",
            note.text
        );
    }
}

#[test]
fn edge_cases_letter_o_sr_ordering_and_families() {
    // Letter O typed for the zero plans like the digit.
    let p = Planner::default();
    let a = p
        .plan(&spec("POO308010200"), &spec("POS3-8-12-00"))
        .unwrap();
    assert_eq!(a.route, RouteId::R3);
    assert_eq!(a.stages[0].target.as_str(), "P0S3-8-12-00");
    // SR builds are newer than their base: an upgrade, no downgrade note.
    let sr = p
        .plan(&spec("P00308010200"), &spec("P0030801SR02"))
        .unwrap();
    assert!(!sr.notes.iter().any(|n| n.text.contains("older")));
    let back = p
        .plan(&spec("P0030801SR02"), &spec("P00308010200"))
        .unwrap();
    assert!(back.notes.iter().any(|n| n.text.contains("older")));
    // 8.12 is newer than 8.5.
    let down = p
        .plan(&spec("P0S3-8-12-00"), &spec("P0S3-08-5-00"))
        .unwrap();
    assert!(down.notes.iter().any(|n| n.text.contains("older")));
    // A bare family picks the highest available load, or says it stands in.
    let fam = Planner {
        available: vec![
            name("P0S3-08-5-00"),
            name("P0S3-8-12-00"),
            name("P0S3-08-11-00"),
        ],
        ..Planner::default()
    }
    .plan(&spec("SCCP 3.x"), &spec("SIP 8.x"))
    .unwrap();
    assert_eq!(fam.stages.last().unwrap().target.as_str(), "P0S3-8-12-00");
    let placeholder = p.plan(&spec("SCCP 3.x"), &spec("SIP 7.x")).unwrap();
    assert_eq!(placeholder.route, RouteId::R2);
    assert!(
        placeholder
            .notes
            .iter()
            .any(|n| n.text.contains("stands for"))
    );
    // The universal loader name stands for its SIP load.
    let l = p.plan(&spec("P003-8-12-00"), &spec("sccp 8.1(2)")).unwrap();
    assert_eq!(l.route, RouteId::R7);
    assert_eq!(l.from.to_string(), "P0S3-8-12-00");
}

// ---- Every route boots the simulated phone (docs/routes.md §1) ----

use std::collections::BTreeMap;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::tftp::sim::{SimPhone, SimReport};

const SIM_MAC: &str = "001E4A123456";

/// The files of one stage as the phone finds them, rendered here from the
/// plan's data alone (never by the product's writers): each config holds
/// just the image name the plan says it names, the XML files a
/// callManagerGroup. `loader_layout`: SCCP 6.x packages are loader layout.
fn stage_root(stage: &convert79xx::plan::Stage, loader_layout: bool) -> BTreeMap<String, Vec<u8>> {
    let mut root = BTreeMap::new();
    let group = "<callManagerGroup><members><member priority=\"0\"><callManager><processNodeName>192.0.2.20</processNodeName></callManager></member></members></callManagerGroup>";
    let to_sip = stage.target.protocol() == Protocol::Sip && !stage.target.is_universal_loader();
    for f in &stage.files {
        let img = f.image.clone().unwrap_or_default();
        let mut put = |name: String, text: String| {
            root.insert(name, text.into_bytes());
        };
        match &f.kind {
            FileKind::Os79xxTxt => put(f.name.clone(), format!("{img}\n")),
            FileKind::SipDefault { .. } => put(f.name.clone(), format!("image_version: {img}\n")),
            FileKind::SipPerPhone => {
                let lines = if to_sip { "line1_name: 101\n" } else { "" };
                put(
                    format!("SIP{SIM_MAC}.cnf"),
                    format!("image_version: {img}\n{lines}"),
                )
            }
            FileKind::XmlDefault => put(
                f.name.clone(),
                format!(
                    "<Default>{group}<loadInformation8 model=\"IP Phone 7940\">{img}</loadInformation8><loadInformation7 model=\"IP Phone 7960\">{img}</loadInformation7></Default>"
                ),
            ),
            FileKind::SepPerPhone => put(
                format!("SEP{SIM_MAC}.cnf.xml"),
                format!(
                    "<device><devicePool>{group}</devicePool><loadInformation model=\"IP Phone 7960\">{img}</loadInformation></device>"
                ),
            ),
            FileKind::FromPackage if f.name == "*" => {
                // The stage's own files win over the package's (its OS79XX.TXT).
                let layout = if loader_layout {
                    Layout::Loader
                } else {
                    Layout::SingleImage
                };
                let pkg = match stage.target.layout_by_version() {
                    Some(_) => SyntheticPackage::for_load(stage.target.as_str()),
                    None => SyntheticPackage::for_load_in(stage.target.as_str(), layout),
                };
                for n in pkg.names() {
                    if !stage
                        .files
                        .iter()
                        .any(|g| g.name == n && g.kind != FileKind::FromPackage)
                    {
                        put(n, "image".into());
                    }
                }
            }
            FileKind::FromPackage if f.optional && !loader_layout => {}
            FileKind::Alias { .. } | FileKind::FromPackage => put(f.name.clone(), "image".into()),
            _ => put(f.name.clone(), "other".into()),
        }
    }
    root
}

/// Boots the simulated phone from the plan's first load through every stage,
/// or says where it got stuck or ended elsewhere.
fn boot_through(label: &str, plan: &Plan, loader_layout: bool) -> Result<Vec<SimReport>, String> {
    let first = &plan.stages[0].running;
    let mut phone = SimPhone::new(
        SIM_MAC.parse().unwrap(),
        PhoneModel::Cp7960,
        first.load_name().as_str(),
        "127.0.0.1:69".parse().unwrap(),
    );
    phone.sccp6_loader_era = loader_layout;
    let mut reports = Vec::new();
    for (i, stage) in plan.stages.iter().enumerate() {
        let at = format!("{label} stage {}", i + 1);
        let root = stage_root(stage, loader_layout);
        let r = futures_lite::future::block_on(phone.run_on(&root)).map_err(|e| {
            format!(
                "{at}: the phone on {} is stuck: {e}; root: {:?}",
                stage.running,
                root.keys().collect::<Vec<_>>()
            )
        })?;
        let target = &stage.target;
        let arrived = if target.is_universal_loader() {
            r.on_loader && r.image == target.as_str()
        } else {
            !r.on_loader && name(&r.image).same_load(target)
        };
        if !arrived {
            return Err(format!(
                "{at}: ends on {} instead of {target}: {r:?}",
                r.image
            ));
        }
        reports.push(r);
    }
    let last = reports.last().unwrap();
    if !last.configured {
        return Err(format!("{label}: ends unconfigured: {last:?}"));
    }
    if plan.to.protocol() == Protocol::Sip
        && last.sip.get("line1_name").map(String::as_str) != Some("101")
    {
        return Err(format!("{label}: ends without its SIP account: {last:?}"));
    }
    Ok(reports)
}

#[test]
fn every_route_boots_the_simulated_phone() {
    let mut stuck = Vec::new();
    for c in cases().into_iter().filter(|c| !c.cucm) {
        let plan = planner(&c).plan(&spec(c.from), &spec(c.to)).unwrap();
        let sccp6 = plan
            .stages
            .iter()
            .any(|s| s.target.protocol() == Protocol::Sccp && s.target.version().major() == 6);
        for loader_layout in if sccp6 {
            vec![false, true]
        } else {
            vec![false]
        } {
            let label = format!(
                "{} → {} (safe {}, alias {}, SCCP 6 loader layout {loader_layout})",
                c.from, c.to, c.safe, c.alias
            );
            if let Err(e) = boot_through(&label, &plan, loader_layout) {
                stuck.push(e);
            }
        }
    }
    assert!(
        stuck.is_empty(),
        "{} route(s) do not boot:\n{}",
        stuck.len(),
        stuck.join("\n")
    );
}
