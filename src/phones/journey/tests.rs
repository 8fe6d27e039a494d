use std::net::SocketAddr;

use super::*;

fn c(ip: &str, port: u16) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), port)
}

fn req(client: SocketAddr, f: &str) -> TftpEvent {
    TftpEvent::Request {
        client,
        file: f.into(),
        served: None,
        size: 1,
        mode: crate::tftp::TransferMode::Octet,
    }
}
fn done(client: SocketAddr, f: &str) -> TftpEvent {
    TftpEvent::Done {
        client,
        file: f.into(),
        bytes: 1,
    }
}
fn nf(client: SocketAddr, f: &str) -> TftpEvent {
    TftpEvent::NotFound {
        client,
        file: f.into(),
    }
}

const MAC: &str = "000E84C060A6";

#[test]
fn sccp_to_sip_journey_through_every_phase() {
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files: [
            "OS79XX.TXT",
            "SEP000E84C060A6.cnf.xml",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "P003-8-12-00.sbn",
            "SIPDefault.cnf",
            "SIP000E84C060A6.cnf",
        ]
        .map(String::from)
        .to_vec(),
        known_macs: vec![mac],
        position: None,
    };
    let mut js = Journeys::new(Some(stage));
    let p = |port| c("10.1.1.1", port);
    let mut phases = vec![];
    let mut feed = |js: &mut Journeys, e: TftpEvent| {
        js.apply(&e);
        let ph = js.by_ip("10.1.1.1".parse().unwrap()).unwrap().phase;
        if phases.last() != Some(&ph) {
            phases.push(ph);
        }
    };
    feed(&mut js, nf(p(1), "CTLSEP000E84C060A6.tlv"));
    for f in [
        "SEP000E84C060A6.cnf.xml",
        "P0S3-8-12-00.loads",
        "P0S3-8-12-00.sb2",
        "P003-8-12-00.sbn",
    ] {
        feed(&mut js, req(p(2), f));
        feed(&mut js, done(p(2), f));
    }
    // reboot on SIP; OS79XX.TXT carries no MAC and still counts for it
    feed(&mut js, nf(p(3), "CTLSEP000E84C060A6.tlv"));
    feed(&mut js, req(p(3), "OS79XX.TXT"));
    feed(&mut js, done(p(3), "OS79XX.TXT"));
    for f in ["SIPDefault.cnf", "./SIP000E84C060A6.cnf"] {
        feed(&mut js, req(p(4), f));
        feed(&mut js, done(p(4), f));
    }
    assert_eq!(
        phases,
        [
            Phase::AskingForConfig,
            Phase::FetchingImage,
            Phase::ImageFetched,
            Phase::BackOnNewImage,
            Phase::Configured
        ]
    );
    let j = js.get(mac).unwrap();
    assert!(j.fetched.contains(&"OS79XX.TXT".to_string()));
    assert!(j.fetched.contains(&"SIP000E84C060A6.cnf".to_string()));
    assert_eq!(j.image.as_deref(), Some("P0S3-8-12-00"));
    assert!(j.hints.is_empty(), "{:?}", j.hints);
    assert_eq!(js.phones().count(), 1);
}

#[test]
fn invented_macs_do_not_grow_without_end() {
    let mut js = Journeys::new(None);
    for i in 0..(MAX_PHONES as u64 + 50) {
        let mac = Mac::new((i + 1).to_be_bytes()[2..].try_into().unwrap());
        let [_, a, b, d] = (i as u32).to_be_bytes();
        js.apply(&nf(
            c(&format!("10.{a}.{b}.{d}"), 1),
            &format!("SEP{}.cnf.xml", mac.upper()),
        ));
    }
    assert_eq!(js.phones.len(), MAX_PHONES);
}

/// Issue 11: one MAC claimed from ever new (spoofed) addresses keeps one
/// address per phone: the first (issue 20: the others' claims do not
/// count; each stays an address of its own, within the bound).
#[test]
fn a_mac_claimed_from_many_addresses_keeps_one() {
    let mut js = Journeys::new(None);
    let mac: Mac = "00:1e:4a:12:34:56".parse().unwrap();
    for i in 0..10_000u32 {
        let [_, a, b, d] = i.to_be_bytes();
        js.apply(&nf(
            c(&format!("10.{a}.{b}.{d}"), 1),
            &format!("SEP{}.cnf.xml", mac.upper()),
        ));
    }
    assert_eq!(js.ip_to_mac.len(), 1);
    assert_eq!(js.phones.len(), 1);
    assert_eq!(js.anonymous.len(), MAX_PHONES);
    let first: IpAddr = "10.0.0.0".parse().unwrap();
    assert_eq!(js.by_ip(first).and_then(|j| j.mac), Some(mac));
    assert_eq!(js.get(mac).unwrap().ip, Some(first));
    let last: IpAddr = "10.0.39.15".parse().unwrap();
    assert_eq!(js.by_ip(last).and_then(|j| j.mac), None);
}

#[test]
fn requests_before_the_mac_merge_into_the_phone() {
    let mut js = Journeys::new(None);
    js.apply(&req(c("10.1.1.9", 5), "OS79XX.TXT"));
    js.apply(&done(c("10.1.1.9", 5), "OS79XX.TXT"));
    assert_eq!(js.phones().count(), 1);
    assert!(js.phones().next().unwrap().mac.is_none());
    js.apply(&req(c("10.1.1.9", 6), "SEP000E84C060A6.cnf.xml"));
    assert_eq!(js.phones().count(), 1);
    let j = js.get(MAC.parse().unwrap()).unwrap();
    assert_eq!(j.fetched, ["OS79XX.TXT"]);
}

#[test]
fn unknown_phone_and_missing_files_get_hints() {
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files: vec!["SIPDefault.cnf".into()],
        known_macs: vec!["001E4A123456".parse().unwrap()],
        position: None,
    };
    let mut js = Journeys::new(Some(stage));
    js.apply(&nf(c("10.1.1.2", 5), "./SIP000E84C060A6.cnf"));
    let mac: Mac = MAC.parse().unwrap();
    let j = js.get(mac).unwrap();
    assert!(!j.known);
    let unknown = |f: &str| Hint::UnknownPhone {
        mac,
        asked_for: Some(f.into()),
    };
    assert_eq!(j.hints, [unknown("SIP000E84C060A6.cnf")]);
    // asking for another per-phone file keeps one "add it?" hint, naming the newest file
    js.apply(&nf(c("10.1.1.2", 8), "SEP000E84C060A6.cnf.xml"));
    let j = js.get(mac).unwrap();
    assert_eq!(j.hints, [unknown("SEP000E84C060A6.cnf.xml")]);
    js.apply(&nf(c("10.1.1.2", 6), "P00308010200.loads"));
    let j = js.get(mac).unwrap();
    assert_eq!(
        j.hints[1],
        Hint::OtherImage {
            asked_for: "P00308010200.loads".into(),
            installs: "P0S3-8-12-00".into()
        }
    );
    assert!(
        j.hints[1]
            .to_string()
            .contains("this stage installs P0S3-8-12-00")
    );
    // a trust list that is not there is normal: no hint
    let before = j.hints.len();
    js.apply(&nf(c("10.1.1.2", 7), "CTLSEP000E84C060A6.tlv"));
    assert_eq!(js.get(MAC.parse().unwrap()).unwrap().hints.len(), before);
}

#[test]
fn a_stage_without_xml_configs_ends_back_on_its_image_without_hints() {
    // R5 stage 1: the old SIP load reads OS79XX.TXT and takes SCCP 6.3's
    // .bin; the stage writes no XML config, so on SCCP 6.3 the phone
    // finds none and waits there for stage 2.
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P00306030100".into()),
        files: ["OS79XX.TXT", "P00306030100.bin", "SIPDefault.cnf"]
            .map(String::from)
            .to_vec(),
        known_macs: vec![mac],
        position: None,
    };
    let mut js = Journeys::new(Some(stage.clone()));
    let p = c("10.1.1.4", 1);
    for f in ["OS79XX.TXT", "P00306030100.bin"] {
        js.apply(&req(p, f));
        js.apply(&done(p, f));
    }
    js.apply(&nf(p, "CTLSEP000E84C060A6.tlv"));
    js.apply(&nf(p, "SEP000E84C060A6.cnf.xml"));
    js.apply(&nf(p, "XMLDefault.cnf.xml"));
    let j = js.get(mac).unwrap();
    assert_eq!(j.phase, Phase::BackOnNewImage);
    assert!(j.hints.is_empty(), "{:?}", j.hints);

    // A stage that writes SEP files, but not this phone's: say so.
    let mut with_xml = stage;
    with_xml.files.push("SEP001E4A123456.cnf.xml".into());
    let mut js = Journeys::new(Some(with_xml));
    js.apply(&nf(p, "SEP000E84C060A6.cnf.xml"));
    let j = js.get(mac).unwrap();
    assert_eq!(
        j.hints,
        [Hint::DeviceConfigMissing {
            file: "SEP000E84C060A6.cnf.xml".into()
        }]
    );
}

#[test]
fn sip_to_sccp_ends_configured_on_the_device_config() {
    let mut js = Journeys::new(None);
    let p = c("10.1.1.3", 9);
    for e in [
        req(p, "SIPDefault.cnf"),
        done(p, "SIPDefault.cnf"),
        req(p, "SIP000E84C060A6.cnf"),
        done(p, "SIP000E84C060A6.cnf"),
        req(p, "P00308010200.loads"),
        done(p, "P00308010200.loads"),
        req(p, "P00308010200.sb2"),
        done(p, "P00308010200.sb2"),
    ] {
        js.apply(&e);
    }
    assert_eq!(
        js.get(MAC.parse().unwrap()).unwrap().phase,
        Phase::ImageFetched
    );
    for e in [
        req(p, "SEP000E84C060A6.cnf.xml"),
        done(p, "SEP000E84C060A6.cnf.xml"),
    ] {
        js.apply(&e);
    }
    assert_eq!(
        js.get(MAC.parse().unwrap()).unwrap().phase,
        Phase::Configured
    );
}

/// Issue 11: every unique refused or missing name was kept forever per
/// phone with a linear search (200,000 took 116 MB and 164 s of CPU).
/// Now each list keeps MAX_LISTED and counts the rest; the hints a real
/// phone needs are not pushed out by the flood.
#[test]
fn a_flood_of_bogus_names_is_counted_not_stored() {
    use crate::phones::journey::MAX_LISTED;
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files: vec!["SIPDefault.cnf".into()],
        known_macs: vec!["001E4A123456".parse().unwrap()],
        position: None,
    };
    let mut js = Journeys::new(Some(stage));
    let attacker = c("10.1.1.66", 4000);
    js.apply(&req(c("10.1.1.66", 4000), "SEP00000000BEEF.cnf.xml"));
    for i in 0..20_000 {
        js.apply(&TftpEvent::NotFound {
            client: attacker,
            file: format!("bogus-{i}.cnf"),
        });
        js.apply(&TftpEvent::Denied {
            client: attacker,
            file: format!("../bogus-{i}"),
            reason: crate::msg::Msg::verbatim("name climbs out with '..'"),
        });
        js.apply(&TftpEvent::Failed {
            client: attacker,
            file: format!("bogus-{i}.sb2"),
            bytes: 0,
            reason: crate::tftp::FailReason::Timeout,
        });
    }
    let j = js.by_ip(attacker.ip()).unwrap();
    assert_eq!(j.not_found.len(), MAX_LISTED);
    assert_eq!(j.not_found.len() as u64 + j.not_found_more, 20_000);
    assert_eq!(j.failed.len(), MAX_LISTED);
    assert_eq!(j.failed.len() as u64 + j.failed_more, 20_000);
    assert_eq!(j.failed.last().unwrap().file, "bogus-19999.sb2");
    assert!(j.hints.len() <= MAX_LISTED && j.hints_more > 0);
    assert!(
        j.hints
            .iter()
            .any(|h| matches!(h, Hint::UnknownPhone { .. })),
        "the unknown-phone hint stays: {:?}",
        j.hints
    );
}

fn failed(client: SocketAddr, f: &str, reason: crate::tftp::FailReason) -> TftpEvent {
    TftpEvent::Failed {
        client,
        file: f.into(),
        bytes: 512,
        reason,
    }
}

/// Issue 21: a file first not found (answered from another stage before
/// the phone was placed) and a transfer that stopped, both fetched in
/// full later, are the phone's history, not its problems now.
#[test]
fn problems_a_later_success_resolved_are_history() {
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files: [
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "SIPDefault.cnf",
            "SIP000E84C060A6.cnf",
        ]
        .map(String::from)
        .to_vec(),
        known_macs: vec![mac],
        position: None,
    };
    let mut js = Journeys::new(Some(stage));
    let p = |port| c("10.1.1.1", port);
    js.apply(&nf(p(1), "CTLSEP000E84C060A6.tlv"));
    js.apply(&nf(p(2), "SIPDefault.cnf"));
    js.apply(&req(p(3), "P0S3-8-12-00.sb2"));
    js.apply(&failed(
        p(3),
        "P0S3-8-12-00.sb2",
        crate::tftp::FailReason::Aborted("disk full".into()),
    ));
    let j = js.by_ip("10.1.1.1".parse().unwrap()).unwrap();
    assert_eq!(j.hints.len(), 2, "{:?}", j.hints);
    assert_eq!(j.failed.len(), 1);
    for f in ["P0S3-8-12-00.loads", "./P0S3-8-12-00.sb2", "SIPDefault.cnf"] {
        js.apply(&req(p(4), f));
        js.apply(&done(p(4), f));
    }
    js.apply(&req(p(5), "SIP000E84C060A6.cnf"));
    js.apply(&done(p(5), "SIP000E84C060A6.cnf"));
    let j = js.get(mac).unwrap();
    assert!(j.finished);
    assert!(j.hints.is_empty(), "{:?}", j.hints);
    assert!(j.failed.is_empty(), "{:?}", j.failed);
    // The trust list was never fetched: still "not found", as is normal.
    assert_eq!(j.not_found, ["CTLSEP000E84C060A6.tlv"]);
    let history: Vec<String> = j.history.iter().map(|r| r.message().to_string()).collect();
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(
        history.iter().any(
            |h| h.contains("SIPDefault.cnf, which this stage does not provide")
                && h.contains("SIPDefault.cnf was fetched in full later")
        ),
        "{history:?}"
    );
    assert!(
        history
            .iter()
            .any(|h| h.contains("P0S3-8-12-00.sb2: aborted: disk full")),
        "{history:?}"
    );
    // Each stage file it fetched counts once, against its stage.
    assert_eq!((j.files_done, j.files_expected), (4, 4));
}

/// Issue 21: a phone stuck on its stage that later finished it is no
/// longer stuck; the climb is its history.
#[test]
fn a_stuck_phone_that_finished_its_stage_is_not_stuck() {
    use crate::phones::ladder::{LadderView, Position, RouteView};
    let mac: Mac = MAC.parse().unwrap();
    let stage = |target: &str| StageExpectations {
        target_image: Some(target.into()),
        files: vec![format!("{target}.loads")],
        known_macs: vec![mac],
        position: None,
    };
    let mut js = Journeys::new(None);
    js.set_ladder(LadderView {
        routes: vec![RouteView {
            key: "R2-P00305000101".into(),
            route: "R2".into(),
            title: "SCCP 5.0(1.1) to SIP 8.12".into(),
            stages: vec![stage("P003-8-12-00"), stage("P0S3-8-12-00")],
            eras: vec![],
            phones: vec![mac],
        }],
        positions: [(
            mac,
            Position {
                route: 0,
                stage: 1,
                done: vec![],
                completed: false,
            },
        )]
        .into(),
        refused: Default::default(),
    });
    let client = c("10.1.1.1", 9);
    js.apply(&TftpEvent::Stuck {
        client,
        mac,
        file: "P003-8-12-00.sbn".into(),
        reason: crate::msg::Msg::verbatim("asked 3 times"),
    });
    assert!(matches!(
        js.get(mac).unwrap().hints[..],
        [Hint::Stuck { .. }]
    ));
    js.apply(&TftpEvent::StageDone {
        client,
        mac,
        route: "R2-P00305000101".into(),
        stage: 1,
        stages: 2,
        load: "P003-8-12-00".into(),
    });
    let j = js.get(mac).unwrap();
    assert!(j.hints.is_empty(), "{:?}", j.hints);
    assert_eq!(j.ladder.as_ref().unwrap().stuck, None);
    assert_eq!(
        j.history
            .iter()
            .map(|r| r.message().to_string())
            .collect::<Vec<_>>(),
        ["earlier: stuck: asked 3 times (resolved: stage 1 was done later)"]
    );
}

/// Issue 21 item 12: every phone of the session is listed from the start,
/// as not seen yet, until it asks for something.
#[test]
fn session_phones_are_listed_before_they_ask() {
    let a: Mac = MAC.parse().unwrap();
    let b: Mac = "001E4A123456".parse().unwrap();
    let stage = StageExpectations {
        known_macs: vec![a, b],
        ..Default::default()
    };
    let mut js = Journeys::new(Some(stage));
    let all = js.all();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|j| j.phase == Phase::NotSeen && j.ip.is_none())
    );
    assert_eq!(js.phones().count(), 0, "none seen");
    js.apply(&nf(c("10.1.1.1", 1), "SEP000E84C060A6.cnf.xml"));
    let all = js.all();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].mac, Some(a));
    assert_eq!(all[0].phase, Phase::AskingForConfig);
    assert_eq!((all[1].mac, all[1].phase), (Some(b), Phase::NotSeen));
}
