//! The ladder's rules on plain events: who is answered from which stage,
//! when a phone moves on, when it is stuck. The real service and phones
//! run in tests/it/tftp/ladder.rs.

use super::*;
use crate::phones::expectations::StagePosition;
use crate::stage::{LadderRefused, LadderRoute, LadderStage};
use crate::tftp::Answer;
use std::time::Duration;

fn mac(n: u8) -> Mac {
    Mac::new([0, 0x1e, 0x4a, 0, 0, n])
}

fn client(n: u8) -> SocketAddr {
    SocketAddr::new(IpAddr::from([127, 0, 0, n]), 50000)
}

fn stage(route: &str, n: usize, of: usize, target: &str, files: &[&str]) -> StageExpectations {
    StageExpectations {
        target_image: Some(target.into()),
        files: files.iter().map(|f| f.to_string()).collect(),
        known_macs: vec![],
        position: Some(StagePosition {
            stage: n,
            stages: of,
            route: route.into(),
        }),
    }
}

/// R2 (two stages) for phone 1, R3 (one stage) for phones 2 and 3, phone 9
/// refused; in a root whose stage folders hold shared files, the same in
/// every folder (`XMLDefault.cnf.xml`) or not (`OS79XX.TXT`).
fn ladder() -> (tempfile::TempDir, Ladder) {
    let dir = tempfile::tempdir().unwrap();
    let manifest = LadderManifest {
        target: "P0S3-8-12-00".into(),
        routes: vec![
            LadderRoute {
                key: "R3-P00308010200".into(),
                route: "R3".into(),
                title: "SCCP 8.1(2) to SIP 8.12".into(),
                stages: vec![LadderStage {
                    folder: "stages/R3-P00308010200/1".into(),
                    target: "P0S3-8-12-00".into(),
                    installs_image: true,
                }],
                phones: vec![mac(2), mac(3)],
                assumed: vec![],
                eras: vec![],
                start: None,
            },
            LadderRoute {
                key: "R2-P00305000101".into(),
                route: "R2".into(),
                title: "SCCP 5.0(1.1) to SIP 8.12".into(),
                stages: vec![
                    LadderStage {
                        folder: "stages/R2-P00305000101/1".into(),
                        target: "P003-8-12-00".into(),
                        installs_image: true,
                    },
                    LadderStage {
                        folder: "stages/R2-P00305000101/2".into(),
                        target: "P0S3-8-12-00".into(),
                        installs_image: true,
                    },
                ],
                phones: vec![mac(1)],
                assumed: vec![],
                eras: vec![],
                start: None,
            },
        ],
        refused: vec![LadderRefused {
            from: "P0S3-8-12-00".into(),
            reason: "already there".into(),
            phones: vec![mac(9)],
            eras: vec![],
        }],
        unknown: vec![],
        written_at: String::new(),
    };
    let app = ["P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.sbn"];
    let expect = vec![
        vec![stage("R3", 1, 1, "P0S3-8-12-00", &app)],
        vec![
            stage(
                "R2",
                1,
                2,
                "P003-8-12-00",
                &["P003-8-12-00.sbn", "P003-8-12-00.bin"],
            ),
            stage("R2", 2, 2, "P0S3-8-12-00", &app),
        ],
    ];
    for r in &manifest.routes {
        for s in &r.stages {
            let folder = dir.path().join(&s.folder);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("OS79XX.TXT"), &s.target).unwrap();
            std::fs::write(folder.join("XMLDefault.cnf.xml"), "<Default/>").unwrap();
            for mac in &r.phones {
                std::fs::write(folder.join(format!("SEP{}.cnf.xml", mac.upper())), "x").unwrap();
                std::fs::write(folder.join(format!("SIP{}.cnf", mac.upper())), "x").unwrap();
            }
        }
    }
    let mut climbs = BTreeMap::new();
    climbs.insert(mac(1), Climb::new(1));
    climbs.insert(mac(2), Climb::new(0));
    climbs.insert(mac(3), Climb::new(0));
    let ladder = Ladder {
        root: dir.path().to_path_buf(),
        manifest,
        expect,
        climbs,
        refused: [(mac(9), crate::msg::Msg::verbatim("already there"))].into(),
        places: Places::new(false),
        anonymous: HashMap::new(),
        said: HashMap::new(),
        claims_said: HashSet::new(),
        shared: SharedFiles::default(),
        saving: false,
        warnings: vec![],
        recog: Recognising::default(),
    };
    (dir, ladder)
}

fn from(answer: &Answer) -> &str {
    match answer {
        Answer::From(name) => name,
        Answer::Refuse(why) => panic!("refused: {why}"),
        Answer::NotFound => panic!("not found"),
    }
}

fn request(client: SocketAddr, file: &str) -> TftpEvent {
    TftpEvent::Request {
        client,
        file: file.into(),
        served: None,
        size: 1,
        mode: crate::tftp::TransferMode::Octet,
    }
}

fn failed(client: SocketAddr, file: &str) -> TftpEvent {
    TftpEvent::Failed {
        client,
        file: file.into(),
        bytes: 0,
        reason: crate::tftp::FailReason::Aborted("x".into()),
    }
}

fn done(client: SocketAddr, file: &str) -> TftpEvent {
    TftpEvent::Done {
        client,
        file: file.into(),
        bytes: 1,
    }
}

#[test]
fn each_phone_is_answered_from_its_own_stage_and_the_unplaced_only_with_what_all_stages_share() {
    let (_root, mut l) = ladder();
    // Not placed: OS79XX.TXT differs between the stages it could be on
    // (issue 20: it was answered from the stage most phones are on).
    let (a, events) = l.answer(client(1), "OS79XX.TXT");
    assert_eq!(a, Answer::NotFound);
    assert!(
        matches!(&events[..], [TftpEvent::Unplaced { why, mac: None, .. }] if why.contains("not placed yet")),
        "{events:?}"
    );
    // The same in every one of them: sent (from the first).
    let (a, events) = l.answer(client(1), "XMLDefault.cnf.xml");
    assert_eq!(from(&a), "stages/R3-P00308010200/1/XMLDefault.cnf.xml");
    assert!(events.is_empty(), "said once: {events:?}");
    // Its own MAC places it, on R2.
    let (a, events) = l.answer(client(1), "SEP001E4A000001.cnf.xml");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/SEP001E4A000001.cnf.xml");
    assert!(
        matches!(&events[..], [TftpEvent::Phone { .. }, TftpEvent::Answered { why, stage: 1, .. }] if why.contains("an earlier request naming its MAC")),
        "{events:?}"
    );
    // Said once; shared names now come from its own stage too.
    let (a, events) = l.answer(client(1), "./XMLDefault.cnf.xml");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/XMLDefault.cnf.xml");
    assert!(events.is_empty(), "{events:?}");
    // A phone the session does not list: the common stage, and why.
    let (a, events) = l.answer(client(7), "SEP001E4A000007.cnf.xml");
    assert_eq!(from(&a), "stages/R3-P00308010200/1/SEP001E4A000007.cnf.xml");
    assert!(
        matches!(&events[..], [TftpEvent::Phone { .. }, TftpEvent::Answered { why, .. }] if why.contains("not in the session")),
        "{events:?}"
    );
    // A refused phone gets nothing but its reason.
    let (a, _) = l.answer(client(9), "SEP001E4A000009.cnf.xml");
    assert!(
        matches!(a, Answer::Refuse(ref why) if why.contains("already there")),
        "{a:?}"
    );
}

#[test]
fn a_phone_moves_on_when_back_after_its_whole_image() {
    let (_root, mut l) = ladder();
    let c = client(1);
    l.answer(c, "SEP001E4A000001.cnf.xml");
    assert!(l.saw(&done(c, "P003-8-12-00.sbn")).is_empty());
    assert_eq!(
        l.position(mac(1)).unwrap().stage,
        1,
        "not before it is back"
    );
    let (a, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(
        matches!(&events[0], TftpEvent::StageDone { stage: 1, stages: 2, load, .. } if load == "P003-8-12-00"),
        "{events:?}"
    );
    assert!(
        matches!(&events[1], TftpEvent::Answered { stage: 2, .. }),
        "{events:?}"
    );
    assert_eq!(from(&a), "stages/R2-P00305000101/2/CTLSEP001E4A000001.tlv");
    // Stage 2: the loader reads its configs, then fetches the application.
    l.saw(&done(c, "P0S3-8-12-00.loads"));
    let (_, events) = l.answer(c, "SIPDefault.cnf");
    assert!(events.is_empty(), "no image yet, no stage done: {events:?}");
    l.saw(&done(c, "P0S3-8-12-00.sb2"));
    let (a, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(
        matches!(
            &events[..],
            [TftpEvent::StageDone {
                stage: 2,
                stages: 2,
                ..
            }]
        ),
        "{events:?}"
    );
    assert_eq!(from(&a), "stages/R2-P00305000101/2/CTLSEP001E4A000001.tlv");
    let p = l.position(mac(1)).unwrap();
    assert!(p.completed && p.stage == 2 && p.done.len() == 2, "{p:?}");
    // Done for good: later boots do not move it again.
    let (_, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn what_an_address_fetched_before_it_was_placed_counts_for_its_phone() {
    let (_root, mut l) = ladder();
    let c = client(1);
    // Asks OS79XX.TXT and fetches the loader before naming its MAC.
    l.answer(c, "OS79XX.TXT");
    l.saw(&TftpEvent::Request {
        client: c,
        file: "P003-8-12-00.sbn".into(),
        served: None,
        size: 1,
        mode: crate::tftp::TransferMode::Octet,
    });
    l.saw(&done(c, "P003-8-12-00.sbn"));
    let (a, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(
        matches!(
            &events[..],
            [
                TftpEvent::Phone { .. },
                TftpEvent::StageDone { stage: 1, .. },
                ..
            ]
        ),
        "{events:?}"
    );
    assert_eq!(from(&a), "stages/R2-P00305000101/2/CTLSEP001E4A000001.tlv");
}

#[test]
fn three_attempts_at_a_missing_image_make_a_phone_stuck_once() {
    let (_root, mut l) = ladder();
    let c = client(2);
    l.answer(c, "SEP001E4A000002.cnf.xml");
    let missing = TftpEvent::NotFound {
        client: c,
        file: "P0S3-8-12-00.sb2".into(),
    };
    assert!(l.saw(&missing).is_empty());
    assert!(l.saw(&missing).is_empty());
    let events = l.saw(&missing);
    match &events[..] {
        [
            TftpEvent::Stuck {
                mac: m,
                file,
                reason,
                ..
            },
        ] => {
            assert_eq!((*m, file.as_str()), (mac(2), "P0S3-8-12-00.sb2"));
            assert!(reason.contains("asked 3 times"), "{reason}");
            assert!(reason.contains("stages/R3-P00308010200/1"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(l.saw(&missing).is_empty(), "said once");
}

#[test]
fn a_vendor_class_that_changes_to_the_loaders_counts_as_the_image_fetched() {
    let (_root, mut l) = ladder();
    let c = client(1);
    let ip = c.ip();
    let old = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0");
    let new = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone CP-7960G\0");
    l.lease(ip, mac(1), Some(&old));
    // Placed by its lease before it names its MAC.
    let (a, _) = l.answer(c, "OS79XX.TXT");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/OS79XX.TXT");
    // It asks for its image; the server never sees the transfer end well.
    l.saw(&request(c, "P003-8-12-00.sbn"));
    l.saw(&failed(c, "P003-8-12-00.sbn"));
    l.lease(ip, mac(1), Some(&new));
    let (a, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(
        matches!(&events[0], TftpEvent::StageDone { stage: 1, .. }),
        "{events:?}"
    );
    assert_eq!(from(&a), "stages/R2-P00305000101/2/CTLSEP001E4A000001.tlv");
}

#[test]
fn the_common_stage_follows_the_phones() {
    let (_root, mut l) = ladder();
    assert_eq!(l.common(), (0, 0));
    for n in [2, 3] {
        let c = client(n);
        l.answer(c, &format!("SEP001E4A00000{n}.cnf.xml"));
        l.saw(&done(c, "P0S3-8-12-00.sb2"));
        l.saw(&done(c, "P003-8-12-00.sbn"));
        l.answer(c, &format!("CTLSEP001E4A00000{n}.tlv"));
        assert!(l.position(mac(n)).unwrap().completed);
    }
    // Two phones still on R3's only stage (completed), one on R2's first.
    assert_eq!(l.common(), (0, 0));
}

/// The reason a phone is held back is the planner's, in the user's
/// language, when the ladder file holds exactly the planner's English.
#[test]
fn a_held_back_phone_hears_the_planners_words() {
    let (_root, mut l) = ladder();
    let from = crate::load::LoadSpec::parse("P0S3-8-12-00").unwrap().value;
    let refusal = crate::plan::Planner::default()
        .plan(&from, &from)
        .unwrap_err();
    l.refused.insert(
        mac(9),
        refusal_words(
            &LadderRefused {
                from: "P0S3-8-12-00".into(),
                reason: refusal.to_string(),
                phones: vec![mac(9)],
                eras: vec![],
            },
            "P0S3-8-12-00",
        ),
    );
    let (a, _) = l.answer(client(9), "SEP001E4A000009.cnf.xml");
    let Answer::Refuse(why) = a else {
        panic!("{a:?}")
    };
    assert!(why.contains("already there"), "{why}");
    let pt = why.render(crate::msg::Lang::PtBr);
    assert!(
        pt.contains("está retido") && pt.contains("já está lá"),
        "{pt}"
    );
    assert!(!pt.contains('\n'), "one line: {pt}");
}

/// Issue 20, "forged journeys": from another address, a request naming
/// phone 1's MAC, the loader in full and the MAC again gave `stage_done`
/// for phone 1, which had fetched nothing. Now they count for no phone.
#[test]
fn requests_naming_a_phone_from_another_address_do_not_count_for_it() {
    let (_root, mut l) = ladder();
    let (own, forger) = (client(1), client(50));
    l.answer(own, "SEP001E4A000001.cnf.xml");
    let (a, events) = l.answer(forger, "SEP001E4A000001.cnf.xml");
    // Answered as one of the phones not placed yet (R3's, which has no
    // such file): never from phone 1's stage.
    assert_eq!(from(&a), "stages/R3-P00308010200/1/SEP001E4A000001.cnf.xml");
    match &events[..] {
        [
            TftpEvent::Unplaced {
                mac: Some(m), why, ..
            },
        ] => {
            assert_eq!(*m, mac(1));
            assert!(why.contains("claimed by another address"), "{why}");
            assert!(why.contains("127.0.0.1"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    l.saw(&request(forger, "P003-8-12-00.sbn"));
    assert!(l.saw(&done(forger, "P003-8-12-00.sbn")).is_empty());
    let (_, events) = l.answer(forger, "SEP001E4A000001.cnf.xml");
    assert!(events.is_empty(), "said once per sender: {events:?}");
    for _ in 0..3 {
        assert!(l.saw(&failed(forger, "P003-8-12-00.sbn")).is_empty());
    }
    let p = l.position(mac(1)).unwrap();
    assert!(p.stage == 1 && p.done.is_empty(), "{p:?}");
    assert!(l.climbs[&mac(1)].stuck.is_none());
    // The phone itself is answered from its own stage all along.
    let (a, events) = l.answer(own, "CTLSEP001E4A000001.tlv");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/CTLSEP001E4A000001.tlv");
    assert!(events.is_empty(), "{events:?}");
}

/// Issue 20: a forged DHCP request for phone 1 with the loader's vendor
/// class moved it to stage 2 without any file fetched.
#[test]
fn a_vendor_class_change_without_the_image_asked_for_moves_no_phone() {
    let (_root, mut l) = ladder();
    let c = client(1);
    let old = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0");
    let new = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone CP-7960G\0");
    l.lease(c.ip(), mac(1), Some(&old));
    l.answer(c, "SEP001E4A000001.cnf.xml");
    l.lease(c.ip(), mac(1), Some(&new));
    let (a, events) = l.answer(c, "CTLSEP001E4A000001.tlv");
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/CTLSEP001E4A000001.tlv");
}

/// Issue 20: stuck is the phone's own, and a complete fetch ends it.
#[test]
fn a_stuck_phone_that_fetches_the_file_in_full_is_stuck_no_longer() {
    let (_root, mut l) = ladder();
    let c = client(2);
    l.answer(c, "SEP001E4A000002.cnf.xml");
    let sb2 = "P0S3-8-12-00.sb2";
    l.saw(&failed(c, sb2));
    l.saw(&failed(c, sb2));
    assert!(matches!(
        &l.saw(&failed(c, sb2))[..],
        [TftpEvent::Stuck { .. }]
    ));
    assert!(l.climbs[&mac(2)].stuck.is_some());
    l.saw(&done(c, sb2));
    assert!(l.climbs[&mac(2)].stuck.is_none(), "fetched in full");
    // Counting starts again: two more failures are not three.
    assert!(l.saw(&failed(c, sb2)).is_empty());
    // Rejecting the image (fetched in full three times) stays stuck.
    let (_root, mut l) = ladder();
    l.answer(c, "SEP001E4A000002.cnf.xml");
    l.saw(&done(c, sb2));
    l.saw(&done(c, sb2));
    assert!(matches!(
        &l.saw(&done(c, sb2))[..],
        [TftpEvent::Stuck { .. }]
    ));
    l.saw(&done(c, sb2));
    assert!(l.climbs[&mac(2)].stuck.is_some());
}

/// Issue 20: a real move re-binds a phone: a new lease at once; without
/// one, its old address silent for a while and a new boot elsewhere.
#[test]
fn a_phone_that_really_moved_is_followed() {
    let (_root, l) = ladder();
    let mut l = l.rebind_after(Duration::from_millis(200));
    let (old, new, newer) = (client(1), client(21), client(22));
    l.answer(old, "SEP001E4A000001.cnf.xml");
    // Not while its address is heard from.
    let (a, _) = l.answer(new, "CTLSEP001E4A000001.tlv");
    assert_eq!(from(&a), "stages/R3-P00308010200/1/CTLSEP001E4A000001.tlv");
    std::thread::sleep(Duration::from_millis(250));
    let (a, events) = l.answer(new, "CTLSEP001E4A000001.tlv");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/CTLSEP001E4A000001.tlv");
    assert!(
        matches!(&events[..], [TftpEvent::Phone { client, .. }, ..] if *client == new),
        "{events:?}"
    );
    // The old address is no phone's now: answered as one of those not
    // placed yet (phones 2 and 3, on R3).
    let (a, _) = l.answer(old, "OS79XX.TXT");
    assert_eq!(from(&a), "stages/R3-P00308010200/1/OS79XX.TXT");
    // A lease moves it at once.
    l.lease(newer.ip(), mac(1), None);
    let (a, _) = l.answer(newer, "OS79XX.TXT");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/OS79XX.TXT");
}

/// Issue 23: with a route for recognised phones, a phone the session does
/// not list is sent nothing that could change its flash until what it asks
/// for decides its era; then it is answered from that era's route.
#[test]
fn a_phone_nobody_described_is_held_then_recognised_onto_its_route() {
    let (_dir, mut l) = ladder();
    l.manifest.routes[1].eras = vec!["sccp-pre-loader".into(), "sccp-loader-era".into()];
    l.manifest.routes[1].start = Some("sccp 5.0(1.1)".into());
    l.recog.enabled = true;
    l.recog.target = Some("sip 8.12".parse().unwrap());
    // Not placed yet: OS79XX.TXT differs between the stages it could be on.
    let (a, _) = l.answer(client(7), "OS79XX.TXT");
    assert!(matches!(a, Answer::NotFound), "{a:?}");
    // Its XML config names its MAC, and with OS79XX.TXT before it, says
    // XML-capable SCCP: recognised onto R2, answered from its stage 1.
    let (a, events) = l.answer(client(7), "SEP001E4A000007.cnf.xml");
    assert_eq!(from(&a), "stages/R2-P00305000101/1/SEP001E4A000007.cnf.xml");
    let recognised = events
        .iter()
        .find_map(|e| match e {
            TftpEvent::Recognised {
                mac, route, eras, ..
            } => Some((*mac, route.clone(), eras.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no recognised event: {events:?}"));
    assert_eq!(recognised.0, mac(7));
    assert_eq!(recognised.1, "R2-P00305000101");
    assert_eq!(recognised.2, ["sccp-pre-loader", "sccp-loader-era"]);
    assert_eq!(l.position(mac(7)).unwrap().route, 1);

    // Another: CTLSEP and its XML fit SCCP 8.x, SIP 8.x and the loader.
    // (A trust list names no image: it may be answered, never written.)
    let (_, events) = l.answer(client(8), "CTLSEP001E4A000008.tlv");
    let (a, _) = l.answer(client(8), "SEP001E4A000008.cnf.xml");
    assert!(matches!(a, Answer::NotFound), "held: {a:?}");
    assert!(
        events.iter().any(
            |e| matches!(e, TftpEvent::Unplaced { why, .. } if why.contains("being recognised"))
        ),
        "{events:?}"
    );
    // Its own .loads says SIP 8.x, for which no route was written: held,
    // with the reason.
    let (a, events) = l.answer(client(8), "SEP001E4A000008.cnf.xml");
    assert!(matches!(a, Answer::NotFound), "{a:?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TftpEvent::Unrecognised { question, .. } if question.contains("App Load ID"))),
        "asked again: the question: {events:?}"
    );
    let (a, events) = l.answer(client(8), "P0S3-8-11-00.loads");
    assert!(
        matches!(a, Answer::Refuse(ref w) if w.contains("wrote no route")),
        "{a:?}"
    );
    assert!(
        events.iter().any(
            |e| matches!(e, TftpEvent::Recognised { load: Some(l), .. } if l == "P0S3-8-11-00")
        ),
        "{events:?}"
    );

    // Clues that disagree hold it and ask.
    let (_, _) = l.answer(client(10), "SEPDefault.cnf");
    let (a, events) = l.answer(client(10), "SIP001E4A00000A.cnf");
    assert!(matches!(a, Answer::NotFound), "{a:?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TftpEvent::Unrecognised { question, .. } if question.contains("disagrees"))),
        "{events:?}"
    );
}

/// Issue 23: the oldest SCCP loads name no MAC in what they ask for, so
/// they are placed by the neighbour table (or a lease). Recognised by
/// SEPDefault.cnf after being refused OS79XX.TXT, the one file that moves
/// them, they are held for that boot and answered from their route from
/// the next (docs/recognition.md §4).
#[test]
fn the_oldest_sccp_is_recognised_by_sepdefault_and_moved_from_its_next_boot() {
    let (_dir, mut l) = ladder();
    l.manifest.routes[0].eras = vec!["sccp-text".into()];
    l.manifest.routes[0].start = Some("sccp 2.x".into());
    l.recog.enabled = true;
    l.recog.target = Some("sip 8.12".parse().unwrap());
    let now = Instant::now();
    l.places
        .neighbours
        .learned(client(7).ip(), Some(mac(7)), now);
    let (a, _) = l.answer_at(client(7), "OS79XX.TXT", now);
    assert!(matches!(a, Answer::NotFound), "undecided: {a:?}");
    let (a, events) = l.answer_at(client(7), "SEPDefault.cnf", now);
    assert!(matches!(a, Answer::NotFound), "held for this boot: {a:?}");
    assert!(
        events.iter().any(
            |e| matches!(e, TftpEvent::Recognised { route, .. } if route == "R3-P00308010200")
        ),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TftpEvent::Unplaced { why, .. } if why.contains("next boot"))),
        "{events:?}"
    );
    // Its next boot: OS79XX.TXT from its route.
    let (a, _) = l.answer_at(client(7), "OS79XX.TXT", now);
    assert_eq!(from(&a), "stages/R3-P00308010200/1/OS79XX.TXT");
}
