//! Every route of docs/routes.md §2, end to end on synthetic packages the test
//! builds: plan the session, write each stage into one TFTP root in turn
//! (as a real conversion does), and check after each stage that every file
//! naming an image names the stage's load, that the images it names are
//! there and complete, byte for byte, and that the refusals refuse.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use std::collections::BTreeMap;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::load::{Layout, LoadName};
use convert79xx::model::PhoneModel;
use convert79xx::plan::{FileKind, RouteId};
use convert79xx::session::Session;
use convert79xx::stage::scan::{config_kind, named_images};
use convert79xx::stage::{Job, JobError, MANIFEST_NAME, StageError};
use convert79xx::tftp::sim::SimPhone;

struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// Loads whose synthetic packages the session lists.
    packages: &'static [&'static str],
    /// Extra `[conversion]` keys.
    options: &'static str,
    route: RouteId,
    /// The load each stage installs, in order.
    targets: &'static [&'static str],
    /// How the SCCP 6.x packages are laid out (docs/load-names.md §5).
    sccp6: Layout,
}

const BASE: Case = Case {
    name: "",
    from: "",
    to: "",
    packages: &[],
    options: "",
    route: RouteId::R8,
    targets: &[],
    sccp6: Layout::SingleImage,
};

const CASES: &[Case] = &[
    Case {
        name: "R1 SCCP 3.x to SIP 6.x",
        from: "P0030301",
        to: "P0S3-06-3-00",
        packages: &["P0S3-06-3-00"],
        options: "",
        route: RouteId::R1,
        targets: &["P0S3-06-3-00"],
        ..BASE
    },
    Case {
        name: "R1 SCCP 5.x to SIP 6.x",
        from: "P00305000101",
        to: "P0S3-06-3-00",
        packages: &["P0S3-06-3-00"],
        options: "",
        route: RouteId::R1,
        targets: &["P0S3-06-3-00"],
        ..BASE
    },
    Case {
        name: "R1a safe route via SIP 2.3",
        from: "P0030301",
        to: "P0S3-04-4-00",
        packages: &["P0S30203", "P0S3-04-4-00"],
        options: "safe_route = true",
        route: RouteId::R1a,
        targets: &["P0S30203", "P0S3-04-4-00", "P0S3-04-4-00"],
        ..BASE
    },
    Case {
        name: "R2 SCCP 3.x to SIP 7.x",
        from: "P0030301",
        to: "P0S3-07-4-00",
        packages: &["P0S3-07-4-00"],
        options: "",
        route: RouteId::R2,
        targets: &["P003-07-4-00", "P0S3-07-4-00"],
        ..BASE
    },
    Case {
        name: "R3 SCCP 8.1(2) to SIP 8.12",
        from: "sccp 8.1(2)",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        options: "",
        route: RouteId::R3,
        targets: &["P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R4 SIP 4.x to SCCP 5.x",
        from: "P0S3-04-4-00",
        to: "P00305000101",
        packages: &["P00305000101"],
        options: "",
        route: RouteId::R4,
        targets: &["P00305000101"],
        ..BASE
    },
    Case {
        name: "R4a SIP 3.x to SCCP 5.x via SCCP 4.x",
        from: "P0S3-03-0-00",
        to: "P00305000101",
        packages: &["P00304020300", "P00305000101"],
        options: "",
        route: RouteId::R4a,
        targets: &["P00304020300", "P00305000101"],
        ..BASE
    },
    Case {
        name: "R4b SIP 2.1 to SCCP under an 8.3 alias",
        from: "P0S30201",
        to: "P00304020300",
        packages: &["P00304020300"],
        options: "",
        route: RouteId::R4b,
        targets: &["P00304020300"],
        ..BASE
    },
    Case {
        name: "R5 SIP 4.x to SCCP 8.1(2) via SCCP 6.3",
        from: "P0S3-04-4-00",
        to: "P00308010200",
        packages: &["P00306030100", "P00308010200"],
        options: "",
        route: RouteId::R5,
        targets: &["P00306030100", "P00308010200"],
        ..BASE
    },
    Case {
        name: "R6 SIP 6.3 to SCCP 8.1(2), gkdefault.cfg built",
        from: "P0S3-06-3-00",
        to: "P00308010200",
        packages: &["P0S3-06-3-00", "P00308010200"],
        options: "",
        route: RouteId::R6,
        targets: &["P00308010200"],
        ..BASE
    },
    Case {
        name: "R7 SIP 8.12 to SCCP 8.1(2)",
        from: "P0S3-8-12-00",
        to: "P00308010200",
        packages: &["P00308010200"],
        options: "",
        route: RouteId::R7,
        targets: &["P00308010200"],
        ..BASE
    },
    Case {
        name: "R8 SIP 8.11 to SIP 8.12",
        from: "P0S3-08-11-00",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        options: "",
        route: RouteId::R8,
        targets: &["P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R8 SCCP 8.0(5) to SCCP 8.1(2)",
        from: "P00308000500",
        to: "P00308010200",
        packages: &["P00308010200"],
        options: "",
        route: RouteId::R8,
        targets: &["P00308010200"],
        ..BASE
    },
    Case {
        name: "R2 SCCP 5.0(1.1) to SIP 8.12 through the loader",
        from: "sccp 5.0(1.1)",
        to: "sip 8.12",
        packages: &["P0S3-8-12-00"],
        route: RouteId::R2,
        targets: &["P003-8-12-00", "P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R2 SCCP 2.x to SIP 8.12 through SIP 6.3",
        from: "sccp 2.x",
        to: "sip 8.12",
        packages: &["P0S3-06-3-00", "P0S3-8-12-00"],
        route: RouteId::R2,
        targets: &["P0S3-06-3-00", "P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R3 single-image SCCP 6.3 to SIP 8.12 through the loader",
        from: "P00306030100",
        to: "sip 8.12",
        packages: &["P0S3-8-12-00"],
        route: RouteId::R3,
        targets: &["P003-8-12-00", "P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R5 through a loader-layout SCCP 6.3",
        from: "P0S3-04-4-00",
        to: "P00308010200",
        packages: &["P00306030100", "P00308010200"],
        route: RouteId::R5,
        targets: &["P00306030100", "P00308010200"],
        sccp6: Layout::Loader,
        ..BASE
    },
    Case {
        name: "R7 SIP 8.12 to SCCP 5.0(1.1)",
        from: "P0S3-8-12-00",
        to: "P00305000101",
        packages: &["P00305000101"],
        route: RouteId::R7,
        targets: &["P00305000101"],
        ..BASE
    },
    Case {
        name: "R8 SIP 6.3 to SIP 8.12 through the loader",
        from: "P0S3-06-3-00",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        route: RouteId::R8,
        targets: &["P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R8 SIP 2.1 to SIP 8.12 through SIP 2.3",
        from: "P0S30201",
        to: "P0S3-8-12-00",
        packages: &["P0S30203", "P0S3-8-12-00"],
        route: RouteId::R8,
        targets: &["P0S30203", "P0S3-8-12-00", "P0S3-8-12-00"],
        ..BASE
    },
    Case {
        name: "R8 SCCP 5.0(1.1) to SCCP 8.1(2) by XML",
        from: "P00305000101",
        to: "P00308010200",
        packages: &["P00308010200"],
        route: RouteId::R8,
        targets: &["P00308010200"],
        ..BASE
    },
    Case {
        name: "R8 SCCP 3.1 to SCCP 4.2(3) by XML",
        from: "P0030301",
        to: "P00304020300",
        packages: &["P00304020300"],
        route: RouteId::R8,
        targets: &["P00304020300"],
        ..BASE
    },
];

const MACS: [&str; 2] = ["00:1e:4a:12:34:56", "001e.4a12.3457"];

fn session_text(case: &Case, zips: &[String], options: &str) -> String {
    let firmware: Vec<String> = zips.iter().map(|z| format!("{z:?}")).collect();
    format!(
        r#"[conversion]
from = "{}"
to = "{}"
model = "7960"
firmware = [{}]
{options}
[sip]
proxy = "192.0.2.10"
sntp = "192.0.2.1"
timezone = "CET"
[sccp]
callmanager = "192.0.2.20"
[[phones]]
mac = "{}"
model = "7940"
lines = [{{ extension = "101", password = "s3cret", display_name = "Reception" }}]
[[phones]]
mac = "{}"
lines = [{{ extension = "102" }}, {{ extension = "103" }}]
"#,
        case.from,
        case.to,
        firmware.join(", "),
        MACS[0],
        MACS[1]
    )
}

fn build(case: &Case, dir: &Path) -> (Vec<SyntheticPackage>, Session) {
    let pkgs: Vec<SyntheticPackage> = case
        .packages
        .iter()
        .map(|l| {
            let by_version = l.parse::<LoadName>().unwrap().layout_by_version();
            SyntheticPackage::for_load_in(l, by_version.unwrap_or(case.sccp6))
                .small()
                .with_ringtones()
        })
        .collect();
    let zips: Vec<String> = pkgs
        .iter()
        .map(|p| {
            p.zip(dir);
            p.zip_name().to_string()
        })
        .collect();
    let path = dir.join("session.toml");
    fs::write(&path, session_text(case, &zips, case.options)).unwrap();
    (pkgs, Session::load(&path).unwrap())
}

/// The application a name belongs to (a loader belongs to its SIP load).
fn app(name: &str) -> String {
    LoadName::parse(name)
        .map(|p| p.value.application().as_str().to_string())
        .unwrap_or_else(|_| name.to_string())
}

/// Check one stage's root: consistent names, complete images, exact bytes.
fn check_root(
    case: &Case,
    stage: usize,
    root: &Path,
    pkgs: &[SyntheticPackage],
    alias: Option<&str>,
) {
    let at = format!("{} stage {stage}", case.name);
    let target = case.targets[stage - 1];
    let mut named = BTreeSet::new();
    for e in fs::read_dir(root).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if !e.file_type().unwrap().is_file() {
            assert!(
                name.starts_with("backup-"),
                "{at}: unexpected folder {name}"
            );
            continue;
        }
        assert!(
            !name.starts_with(".convert79xx-tmp-"),
            "{at}: temp file left: {name}"
        );
        if let Some(kind) = config_kind(&name) {
            for image in named_images(kind, &fs::read(e.path()).unwrap()) {
                let ok = app(&image) == app(target) || Some(image.as_str()) == alias;
                assert!(
                    ok,
                    "{at}: {name} names {image}, the stage installs {target}"
                );
                named.insert(image);
            }
        }
    }
    assert!(
        !named.is_empty(),
        "{at}: no file names an image (\"No Load Specified\")"
    );
    for image in &named {
        let has = |ext: &str| root.join(format!("{image}.{ext}")).is_file();
        assert!(
            has("bin") || has("loads"),
            "{at}: {image} is named but neither {image}.bin nor {image}.loads is served"
        );
        if has("loads") {
            assert!(has("sb2"), "{at}: {image}.loads without {image}.sb2");
        }
    }
    // Every file that came from a package is byte for byte the package's.
    let manifest: convert79xx::stage::Manifest =
        serde_json::from_slice(&fs::read(root.join(MANIFEST_NAME)).unwrap()).unwrap();
    assert_eq!(app(&manifest.target), app(target), "{at}: manifest target");
    for f in manifest.written.iter().filter(|f| f.source != "generated") {
        let expected = pkgs
            .iter()
            .find_map(|p| p.bytes(&f.name))
            .unwrap_or_else(|| panic!("{at}: {} is in no package", f.name));
        assert_eq!(
            fs::read(root.join(&f.name)).unwrap(),
            expected,
            "{at}: {}",
            f.name
        );
    }
    for m in &manifest.moved {
        assert!(
            root.join(&m.to).is_file(),
            "{at}: moved {} is not at {}",
            m.name,
            m.to
        );
    }
}

/// The files at the top of a TFTP root, as a server would serve them.
fn disk_root(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The two phones of the session, on the plan's first load.
fn sim_phones(case: &Case, first: &str) -> Vec<SimPhone> {
    [(MACS[0], PhoneModel::Cp7940), (MACS[1], PhoneModel::Cp7960)]
        .into_iter()
        .map(|(mac, model)| {
            let mut p = SimPhone::new(
                mac.parse().unwrap(),
                model,
                first,
                "127.0.0.1:69".parse().unwrap(),
            );
            p.sccp6_loader_era = case.sccp6 == Layout::Loader;
            p
        })
        .collect()
}

/// Boots every phone from the root as it is on disk after `stage` was
/// written; each must reach the stage's load (waiting on the loader when
/// that is what the stage installs). Returns the reports.
fn boot_from_disk(
    case: &Case,
    stage: usize,
    target: &LoadName,
    root: &Path,
    phones: &mut [SimPhone],
) -> Vec<convert79xx::tftp::sim::SimReport> {
    let files = disk_root(root);
    phones
        .iter_mut()
        .map(|phone| {
            let at = format!("{} stage {stage}, phone {}", case.name, phone.mac);
            let r = futures_lite::future::block_on(phone.run_on(&files))
                .unwrap_or_else(|e| panic!("{at}: stuck: {e}"));
            if target.is_universal_loader() {
                assert!(r.on_loader && r.image == target.as_str(), "{at}: {r:?}");
            } else {
                assert!(
                    !r.on_loader && app(&r.image) == app(target.as_str()),
                    "{at}: ends on {} instead of {target}: {r:?}",
                    r.image
                );
            }
            r
        })
        .collect()
}

#[test]
fn every_route_writes_consistent_complete_stages() {
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let (pkgs, session) = build(case, dir.path());
        let job = Job::from_session(session).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let plan = &job.plan;
        assert!(
            plan.route == case.route || plan.via.contains(&case.route),
            "{}: planned {} (via {:?})",
            case.name,
            plan.route,
            plan.via
        );
        let targets: Vec<String> = plan
            .stages
            .iter()
            .map(|s| s.target.as_str().to_string())
            .collect();
        assert_eq!(
            targets.iter().map(|t| app(t)).collect::<Vec<_>>(),
            case.targets.iter().map(|t| app(t)).collect::<Vec<_>>(),
            "{}: stage targets",
            case.name
        );
        let root = dir.path().join("tftp");
        let mut phones = sim_phones(case, plan.stages[0].running.load_name().as_str());
        for n in 1..=plan.stages.len() {
            let stage = &plan.stages[n - 1];
            let alias = stage.files.iter().find_map(|f| match &f.kind {
                FileKind::Alias { .. } => f.name.strip_suffix(".bin").map(str::to_string),
                _ => None,
            });
            let manifest = job
                .stage(n)
                .and_then(|w| w.apply(&root))
                .unwrap_or_else(|e| panic!("{} stage {n}: {e}", case.name));
            check_root(case, n, &root, &pkgs, alias.as_deref());
            // Per-phone files for both phones whenever the stage has them.
            for f in &stage.files {
                let per_phone = match f.kind {
                    FileKind::SipPerPhone => Some(("SIP", ".cnf")),
                    FileKind::SepPerPhone => Some(("SEP", ".cnf.xml")),
                    _ => None,
                };
                if let Some((prefix, suffix)) = per_phone {
                    for mac in ["001E4A123456", "001E4A123457"] {
                        let name = format!("{prefix}{mac}{suffix}");
                        assert!(
                            root.join(&name).is_file(),
                            "{} stage {n}: {name} missing",
                            case.name
                        );
                    }
                }
                if let FileKind::SipDefault { minimal: true } = f.kind {
                    let text = fs::read_to_string(root.join("SIPDefault.cnf")).unwrap();
                    assert_eq!(
                        text.lines().count(),
                        1,
                        "{} stage {n}: minimal SIPDefault.cnf: {text}",
                        case.name
                    );
                }
            }
            if case.route == RouteId::R6 {
                assert!(
                    manifest.written.iter().any(|f| f.name == "gkdefault.cfg"),
                    "{}: gkdefault.cfg not built",
                    case.name
                );
                assert!(
                    fs::read(root.join("gkdefault.cfg"))
                        .unwrap()
                        .starts_with(b"#ata")
                );
            }
            // Writing the same stage again changes nothing.
            let again = job.stage(n).unwrap().apply(&root).unwrap();
            assert!(
                again.written.is_empty() && again.moved.is_empty(),
                "{} stage {n} is not idempotent: {again:?}",
                case.name
            );
            // The phones boot from these files to the stage's load.
            let reports = boot_from_disk(case, n, &stage.target, &root, &mut phones);
            if n == plan.stages.len() {
                for (r, (ext, pw)) in reports.iter().zip([("101", Some("s3cret")), ("102", None)]) {
                    assert!(r.configured, "{}: ends unconfigured: {r:?}", case.name);
                    if plan.to.protocol() == convert79xx::load::Protocol::Sip {
                        assert_eq!(
                            r.sip.get("line1_name").map(String::as_str),
                            Some(ext),
                            "{}",
                            case.name
                        );
                        assert_eq!(
                            r.sip.get("line1_password").map(String::as_str),
                            pw,
                            "{}",
                            case.name
                        );
                        assert_eq!(
                            r.sip.get("proxy1_address").map(String::as_str),
                            Some("192.0.2.10"),
                            "{}",
                            case.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn refusals_refuse_and_write_nothing() {
    let refused = [
        ("F: signed SIP to pre-5.0 SIP", "P0S3-8-12-00", "P0S30203"),
        ("F: signed SCCP to pre-5.0 SCCP", "P00308010200", "P0030301"),
        ("F: signed SIP to pre-5.0 SCCP", "P0S3-06-3-00", "P0030301"),
        ("SCCP before 3.x reads no XML", "sccp 2.x", "P0030301"),
    ];
    for (what, from, to) in refused {
        let dir = tempfile::tempdir().unwrap();
        let case = Case {
            name: what,
            from,
            to,
            packages: &["P0S30203"],
            options: "",
            route: RouteId::R8,
            targets: &[],
            ..BASE
        };
        let (_, session) = build(&case, dir.path());
        match Job::from_session(session) {
            Err(JobError::Refused(r)) => assert!(!r.reason.to_string().is_empty(), "{what}"),
            Err(e) => panic!("{what}: wrong error {e}"),
            Ok(j) => panic!("{what}: planned {:?}", j.plan.route),
        }
    }
    // MGCP is recognised and refused when the session is read.
    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        name: "MGCP",
        from: "P0M3-07-4-00",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        options: "",
        route: RouteId::R8,
        targets: &[],
        ..BASE
    };
    let (_, session) = build(&case, dir.path());
    let e = Job::from_session(session).unwrap_err().to_string();
    assert!(e.contains("conversion.from") && e.contains("MGCP"), "{e}");
}

#[test]
fn cucm_route_has_no_files_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        name: "CM",
        from: "P00308010200",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        options: "cucm = true",
        route: RouteId::Cm,
        targets: &[],
        ..BASE
    };
    let (_, session) = build(&case, dir.path());
    let job = Job::from_session(session).unwrap();
    assert_eq!(job.plan.route, RouteId::Cm);
    let root = dir.path().join("tftp");
    let e = job.stage(1).and_then(|w| w.apply(&root)).unwrap_err();
    assert!(matches!(e, StageError::NothingToWrite { .. }), "{e}");
    assert!(!root.exists());
}

#[test]
fn a_missing_intermediate_package_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        name: "R5 without SCCP 6.3",
        from: "P0S3-04-4-00",
        to: "P00308010200",
        packages: &["P00308010200"],
        options: "",
        route: RouteId::R5,
        targets: &[],
        ..BASE
    };
    let (_, session) = build(&case, dir.path());
    let job = Job::from_session(session).unwrap();
    let root = dir.path().join("tftp");
    let e = job.stage(1).and_then(|w| w.apply(&root)).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, StageError::MissingPackage { .. }), "{msg}");
    assert!(msg.contains("P003060"), "names the SCCP 6.3 load: {msg}");
    assert!(!root.exists(), "nothing written");
}

/// Issue 2's "done when": `prepare` for SCCP 8.1(2) to SIP 8.12, run as the
/// real binary, then served on 127.0.0.1 to simulated phones (one 7940,
/// one 7960) that boot through it to "configured" on SIP 8.12.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepared_sccp_to_sip_root_is_served_to_simulated_phones() {
    use convert79xx::model::Mac;
    use convert79xx::phones::{LogFormat, Monitor, Pace, Phase, StageExpectations, Update};
    use convert79xx::tftp::ServeConfig;
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        name: "R3 served",
        from: "P00308010200",
        to: "P0S3-8-12-00",
        packages: &["P0S3-8-12-00"],
        options: "",
        route: RouteId::R3,
        targets: &["P0S3-8-12-00"],
        ..BASE
    };
    build(&case, dir.path());
    let root = dir.path().join("tftp");
    let out = crate::support::convert79xx()
        .arg("prepare")
        .arg(dir.path().join("session.toml"))
        .arg("--out")
        .arg(&root)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: convert79xx::stage::Manifest = serde_json::from_slice(&out.stdout).unwrap();

    // The serve monitor judges the phones by the manifest in the root.
    let macs: Vec<Mac> = MACS.iter().map(|m| m.parse().unwrap()).collect();
    let (stage, warnings) = StageExpectations::read_root(&root).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(stage, StageExpectations::from_manifest(&manifest));
    let mut known = stage.known_macs.clone();
    known.sort();
    let mut want = macs.clone();
    want.sort();
    assert_eq!(known, want, "the phones the stage wrote files for");
    let mut config = ServeConfig::new(&root);
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.port = 0;
    config.timeout = Duration::from_millis(500);
    config.max_retries = 3;
    // Each phone from its own address, so the monitor tells them apart.
    let ips = [Ipv4Addr::new(127, 0, 0, 51), Ipv4Addr::new(127, 0, 0, 52)];
    if ips
        .iter()
        .any(|ip| std::net::UdpSocket::bind((*ip, 0)).is_err())
    {
        println!("SKIPPED: this system has no 127.0.0.51/52 loopback addresses for two phones");
        return;
    }
    let (serving, mut updates) = Monitor::new(stage, LogFormat::Text)
        .serve(config, Pace::VIEW)
        .unwrap();
    for ((mac, model), ip) in macs
        .iter()
        .zip([PhoneModel::Cp7940, PhoneModel::Cp7960])
        .zip(ips)
    {
        let mut phone = SimPhone::new(*mac, model, "P00308010200", serving.local_addr());
        phone.fetch.local_ip = Some(IpAddr::V4(ip));
        let report = phone
            .run()
            .await
            .unwrap_or_else(|e| panic!("{mac}: stuck: {e}"));
        assert!(report.configured, "{mac}");
        assert_eq!(report.image, "P0S3-8-12-00");
    }
    let monitor = serving.finish().await.expect("the monitor ends");
    let journeys = monitor.journeys();
    // What a window would have seen: lines, the phones, then the end.
    let mut seen = vec![];
    while let Some(u) = updates.recv().await {
        seen.push(u);
    }
    assert!(matches!(seen.last(), Some(Update::Stopped)), "{seen:?}");
    let Some(Update::Phones(last_view)) = seen.iter().rev().nth(1) else {
        panic!("the phones before the end: {seen:?}");
    };
    assert_eq!(last_view.len(), 2);
    assert!(last_view.iter().all(|j| j.finished), "{last_view:?}");
    for mac in &macs {
        let j = journeys.get(*mac).unwrap();
        assert_eq!(j.phase, Phase::Configured, "{mac}: {j:?}");
        assert!(j.finished, "{mac}: {j:?}");
        assert!(j.failed.is_empty(), "{mac}: {:?}", j.failed);
        assert!(j.hints.is_empty(), "{mac}: {:?}", j.hints);
        for f in [
            format!("SIP{mac}.cnf"),
            "SIPDefault.cnf".into(),
            "P0S3-8-12-00.sb2".into(),
        ] {
            assert!(j.fetched.contains(&f), "{mac}: {f} not in {:?}", j.fetched);
        }
    }
}

/// The same routes as a user runs them: `convert79xx prepare --stage N` and
/// the real `convert79xx serve` on 127.0.0.1 for every stage, the two
/// simulated phones booting over TFTP from each stage to the next, ending
/// on the target with their accounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_over_the_real_serve() {
    let ips = [
        std::net::Ipv4Addr::new(127, 0, 0, 71),
        std::net::Ipv4Addr::new(127, 0, 0, 72),
    ];
    if ips
        .iter()
        .any(|ip| std::net::UdpSocket::bind((*ip, 0)).is_err())
    {
        crate::support::skip("this system has no 127.0.0.71/72 loopback addresses for two phones");
        return;
    }
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let (_, session) = build(case, dir.path());
        let plan = Job::from_session(session).unwrap().plan;
        let session = dir.path().join("session.toml");
        let root = dir.path().join("tftp");
        let mut phones = sim_phones(case, plan.stages[0].running.load_name().as_str());
        // Each phone from its own address, so the monitor tells them apart.
        for (phone, ip) in phones.iter_mut().zip(ips) {
            phone.fetch.local_ip = Some(std::net::IpAddr::V4(ip));
        }
        for (i, stage) in plan.stages.iter().enumerate() {
            let n = i + 1;
            let out = crate::support::convert79xx()
                .arg("prepare")
                .arg(&session)
                .arg("--out")
                .arg(&root)
                .args(["--stage", &n.to_string(), "--json"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{} prepare --stage {n}: {}",
                case.name,
                String::from_utf8_lossy(&out.stderr)
            );
            let serve = crate::support::serve::Serve::start_with(
                &root,
                &["--session", session.to_str().unwrap()],
            );
            let mut reports = Vec::new();
            for phone in &mut phones {
                phone.server = serve.addr;
                let r = phone.run().await.unwrap_or_else(|e| {
                    panic!("{} stage {n}, {}: stuck: {e}", case.name, phone.mac)
                });
                let arrived = if stage.target.is_universal_loader() {
                    r.on_loader && r.image == stage.target.as_str()
                } else {
                    !r.on_loader && app(&r.image) == app(stage.target.as_str())
                };
                assert!(arrived, "{} stage {n}, {}: {r:?}", case.name, phone.mac);
                reports.push(r);
            }
            // The serve monitor sees both phones finish the stage, nothing failed.
            let events = serve.stop();
            let summary = events
                .iter()
                .rfind(|e| e["event"] == "summary")
                .unwrap_or_else(|| panic!("{} stage {n}: no summary: {events:?}", case.name));
            for mac in MACS {
                let mac: convert79xx::model::Mac = mac.parse().unwrap();
                let j = summary["phones"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|j| j["mac"] == mac.colon())
                    .unwrap_or_else(|| panic!("{} stage {n}: no journey for {mac}", case.name));
                assert_eq!(j["finished"], true, "{} stage {n}: {j:#}", case.name);
                assert_eq!(
                    j["failed"],
                    serde_json::json!([]),
                    "{} stage {n}: {j:#}",
                    case.name
                );
            }
            if n == plan.stages.len() {
                for (r, ext) in reports.iter().zip(["101", "102"]) {
                    assert!(r.configured, "{}: {r:?}", case.name);
                    if plan.to.protocol() == convert79xx::load::Protocol::Sip {
                        assert_eq!(
                            r.sip.get("line1_name").map(String::as_str),
                            Some(ext),
                            "{}",
                            case.name
                        );
                    }
                }
            }
        }
    }
}

/// The XML files' processNodeName is the session's CallManager/CME address,
/// else this computer's, never a placeholder, and the stage says which; a
/// time zone that is not a Cisco abbreviation is refused with the list
/// (docs/routes.md §4.7, docs/files.md §11).
#[test]
fn process_node_name_and_time_zone() {
    let case = Case {
        name: "R7 without a CallManager address",
        from: "P0S3-8-12-00",
        to: "P00308010200",
        packages: &["P00308010200"],
        route: RouteId::R7,
        targets: &["P00308010200"],
        ..BASE
    };
    let dir = tempfile::tempdir().unwrap();
    build(&case, dir.path());
    let path = dir.path().join("session.toml");
    let with_cm = fs::read_to_string(&path).unwrap();
    let without_cm = with_cm.replace("[sccp]\ncallmanager = \"192.0.2.20\"\n", "");
    assert_ne!(with_cm, without_cm);
    fs::write(&path, &without_cm).unwrap();
    let job = Job::load(&path).unwrap();
    let root = dir.path().join("tftp");
    let writer = job.stage(1).unwrap();
    match convert79xx::host::default_address() {
        Some(ip) => {
            let preview = writer.preview(&root).unwrap();
            assert!(
                preview
                    .notes
                    .iter()
                    .any(|n| n.contains(&format!("this computer ({ip})"))),
                "{:#?}",
                preview.notes
            );
            writer.apply(&root).unwrap();
            for f in ["XMLDefault.cnf.xml", "SEP001E4A123456.cnf.xml"] {
                let xml = fs::read_to_string(root.join(f)).unwrap();
                assert!(
                    xml.contains(&format!("<processNodeName>{ip}</processNodeName>")),
                    "{f}: {xml}"
                );
            }
        }
        None => {
            let e = writer.apply(&root).unwrap_err().to_string();
            assert!(e.contains("callmanager") && e.contains("[sccp]"), "{e}");
        }
    }
    // Serving on a chosen address (`[serve] bind`, the wizard's Network
    // step): the files name that one (issue 21 item 5).
    fs::write(
        &path,
        format!("{without_cm}[serve]\nbind = \"192.0.2.77:69\"\n"),
    )
    .unwrap();
    let job = Job::load(&path).unwrap();
    job.stage(1).unwrap().apply(&root).unwrap();
    for f in ["XMLDefault.cnf.xml", "SEP001E4A123456.cnf.xml"] {
        let xml = fs::read_to_string(root.join(f)).unwrap();
        assert!(
            xml.contains("<processNodeName>192.0.2.77</processNodeName>"),
            "{f}: {xml}"
        );
    }
    // With the address: that address, in devicePool in the device file.
    fs::write(&path, &with_cm).unwrap();
    let job = Job::load(&path).unwrap();
    job.stage(1).unwrap().apply(&root).unwrap();
    let xml = fs::read_to_string(root.join("SEP001E4A123456.cnf.xml")).unwrap();
    let pool = xml.find("<devicePool>").expect("devicePool");
    let node = xml
        .find("<processNodeName>192.0.2.20</processNodeName>")
        .expect("the address");
    assert!(
        pool < node && node < xml.find("</devicePool>").unwrap(),
        "{xml}"
    );
    // Europe/Berlin is not a time zone the phone takes.
    fs::write(
        &path,
        with_cm.replace("timezone = \"CET\"", "timezone = \"Europe/Berlin\""),
    )
    .unwrap();
    let e = Job::load(&path).unwrap_err().to_string();
    assert!(e.contains("sip.timezone") && e.contains("CET, MET"), "{e}");
}
