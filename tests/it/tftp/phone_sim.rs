//! Simulated 7940/7960 phones boot through a prepared root on 127.0.0.1,
//! in the request order of docs/boot-sequences.md §2, and the journeys built from
//! the service's events follow them to "configured".

use crate::support::random_bytes;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use convert79xx::model::{Mac, PhoneModel};
use convert79xx::tftp::sim::SimPhone;
use convert79xx::tftp::{
    Hint, Journeys, Phase, ServeConfig, StageExpectations, TftpEvent, TftpService,
};

const MAC: &str = "000E84C060A6";

/// A root for stage "SCCP 8.1(2) → SIP 8.12" written by hand (real names and
/// layouts, random image bytes) until the stage writer lands.
fn sccp_to_sip_root(dir: &Path, macs: &[&str]) -> Vec<String> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("OS79XX.TXT".into(), b"P003-8-12-00".to_vec()),
        (
            "XMLDefault.cnf.xml".into(),
            br#"<Default><callManagerGroup><members><member priority="0"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort></ports><processNodeName>IP</processNodeName></callManager></member></members></callManagerGroup><loadInformation8 model="IP Phone 7940">P0S3-8-12-00</loadInformation8><loadInformation7 model="IP Phone 7960">P0S3-8-12-00</loadInformation7></Default>"#.to_vec(),
        ),
        ("P0S3-8-12-00.loads".into(), b"P0S3-8-12-00.sb2\nP003-8-12-00.sbn\n".to_vec()),
        ("P0S3-8-12-00.sb2".into(), random_bytes(1, 739 * 1024)),
        ("P003-8-12-00.sbn".into(), random_bytes(2, 128 * 1024 + 17)),
        ("P003-8-12-00.bin".into(), random_bytes(3, 128 * 1024)),
        (
            "SIPDefault.cnf".into(),
            b"image_version: P0S3-8-12-00\nproxy1_address: \"192.0.2.10\"\nproxy1_port: 5060\nproxy_register: 1\ndial_template: dialplan\n".to_vec(),
        ),
        ("dialplan.xml".into(), br#"<DIALTEMPLATE><TEMPLATE MATCH="*" Timeout="5"/></DIALTEMPLATE>"#.to_vec()),
    ];
    for mac in macs {
        files.push((
            format!("SEP{mac}.cnf.xml"),
            br#"<device><loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>"#.to_vec(),
        ));
        files.push((
            format!("SIP{mac}.cnf"),
            format!("line1_name: \"1600\"\nline1_authname: \"1600\"\n# {mac}\n").into_bytes(),
        ));
    }
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    files.into_iter().map(|(n, _)| n).collect()
}

fn config(root: &Path) -> ServeConfig {
    let mut c = ServeConfig::new(root);
    c.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    c.port = 0;
    c.timeout = Duration::from_millis(500);
    c.max_retries = 3;
    c
}

/// The journeys, each phone's phase changes, and every event.
type Followed = (Journeys, HashMap<Mac, Vec<Phase>>, Vec<TftpEvent>);

/// Records each phone's phase changes while the events flow.
fn follow(
    mut rx: tokio::sync::mpsc::UnboundedReceiver<TftpEvent>,
    stage: StageExpectations,
) -> tokio::task::JoinHandle<Followed> {
    tokio::spawn(async move {
        let mut js = Journeys::new(Some(stage));
        let mut phases: HashMap<Mac, Vec<Phase>> = HashMap::new();
        let mut all = vec![];
        while let Some(e) = rx.recv().await {
            js.apply(&e);
            for j in js.phones() {
                if let Some(mac) = j.mac {
                    let seen = phases.entry(mac).or_default();
                    if seen.last() != Some(&j.phase) {
                        seen.push(j.phase);
                    }
                }
            }
            all.push(e);
        }
        (js, phases, all)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sccp_phone_boots_to_sip_and_ends_configured() {
    let dir = tempfile::tempdir().unwrap();
    let files = sccp_to_sip_root(dir.path(), &[MAC]);
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files,
        known_macs: vec![mac],
        position: None,
    };
    let mut svc = TftpService::start(config(dir.path())).unwrap();
    let watcher = follow(svc.take_events().unwrap(), stage);

    let mut phone = SimPhone::new(mac, PhoneModel::Cp7960, "P00308010200", svc.local_addr());
    let report = phone.run().await.unwrap();
    svc.shutdown().await;
    let (js, phases, events) = watcher.await.unwrap();

    // The request order of docs/boot-sequences.md §2.
    let order: Vec<Vec<&str>> = report
        .boots
        .iter()
        .map(|b| b.requests.iter().map(|r| r.file.as_str()).collect())
        .collect();
    assert_eq!(
        order[0],
        [
            "CTLSEP000E84C060A6.tlv",
            "SEP000E84C060A6.cnf.xml",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "P003-8-12-00.sbn"
        ]
    );
    assert_eq!(
        &order[1][..5],
        [
            "CTLSEP000E84C060A6.tlv",
            "SEP000E84C060A6.cnf.xml",
            "P0S3-8-12-00.loads",
            "SIPDefault.cnf",
            "./SIP000E84C060A6.cnf"
        ]
    );
    let mut last_two = order[1][5..].to_vec();
    last_two.sort();
    assert_eq!(last_two, ["RINGLIST.DAT", "dialplan.xml"]);
    assert_eq!(
        report.boots[0].requests[0].bytes, None,
        "CTLSEP is not found"
    );
    assert_eq!(report.boots[0].requests[3].bytes, Some(739 * 1024));
    assert!(report.configured);
    assert_eq!(report.image, "P0S3-8-12-00");

    // The journey, from the events alone.
    assert_eq!(
        phases[&mac],
        [
            Phase::AskingForConfig,
            Phase::FetchingImage,
            Phase::ImageFetched,
            Phase::BackOnNewImage,
            Phase::Configured
        ]
    );
    let j = js.get(mac).unwrap();
    for f in [
        "SEP000E84C060A6.cnf.xml",
        "P0S3-8-12-00.sb2",
        "P003-8-12-00.sbn",
        "SIPDefault.cnf",
        "SIP000E84C060A6.cnf",
        "dialplan.xml",
    ] {
        assert!(
            j.fetched.contains(&f.to_string()),
            "{f} not in {:?}",
            j.fetched
        );
    }
    assert!(j.failed.is_empty(), "{:?}", j.failed);
    assert!(j.not_found.contains(&"CTLSEP000E84C060A6.tlv".to_string()));
    assert!(j.not_found.contains(&"RINGLIST.DAT".to_string()));
    assert!(j.hints.is_empty(), "{:?}", j.hints);
    assert_eq!(js.phones().count(), 1);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, TftpEvent::Phone { .. }))
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_phones_at_once_and_an_unknown_one_gets_a_hint() {
    // Each phone needs its own IP: 127.0.0.x beyond .1 exists on Linux, not everywhere.
    if std::net::UdpSocket::bind("127.0.0.10:0").is_err() {
        crate::support::skip("this system has no 127.0.0.10 loopback address for a second phone");
        return;
    }
    let macs = ["001E4A000001", "001E4A000002", "001E4A000003"];
    let dir = tempfile::tempdir().unwrap();
    let files = sccp_to_sip_root(dir.path(), &macs);
    let known: Vec<Mac> = macs[..2].iter().map(|m| m.parse().unwrap()).collect();
    // The third phone's files are in the root, but the session does not list it,
    // and a fourth phone has no files at all.
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files,
        known_macs: known.clone(),
        position: None,
    };
    let mut svc = TftpService::start(config(dir.path())).unwrap();
    let addr: SocketAddr = svc.local_addr();
    let watcher = follow(svc.take_events().unwrap(), stage);

    let mut tasks = tokio::task::JoinSet::new();
    for (i, m) in macs.iter().enumerate() {
        let mut phone = SimPhone::new(m.parse().unwrap(), PhoneModel::Cp7940, "P00308010200", addr);
        phone.fetch.local_ip = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 10 + i as u8)));
        tasks.spawn(async move { phone.run().await });
    }
    let mut stray = SimPhone::new(
        "001E4A0000FF".parse().unwrap(),
        PhoneModel::Cp7960,
        "P0S3-8-12-00",
        addr,
    );
    stray.fetch.local_ip = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 99)));
    let stray_result = stray.run().await;
    assert!(
        stray_result.is_err(),
        "a phone without SIP<MAC>.cnf cannot get configured"
    );
    while let Some(r) = tasks.join_next().await {
        assert!(r.unwrap().unwrap().configured);
    }
    svc.shutdown().await;
    let (js, _phases, _) = watcher.await.unwrap();
    assert_eq!(js.phones().count(), 4);
    for m in &macs {
        let j = js.get(m.parse().unwrap()).unwrap();
        assert_eq!(j.phase, Phase::Configured, "{m}: {j:?}");
    }
    let third = js.get(macs[2].parse().unwrap()).unwrap();
    assert!(
        !third.known
            && third
                .hints
                .iter()
                .any(|h| matches!(h, Hint::UnknownPhone { .. })),
        "{:?}",
        third.hints
    );
    // The stray phone asked for several files of its own that are not
    // there: one "add it?" hint, not one per file.
    let stray = js.get("001E4A0000FF".parse().unwrap()).unwrap();
    assert!(!stray.known);
    assert_eq!(stray.hints.len(), 1, "{:?}", stray.hints);
    let said = stray.hints[0].to_string();
    assert!(
        said.contains("unknown phone 00:1e:4a:00:00:ff")
            && said.contains("Add it (MAC 001E4A0000FF) and prepare again"),
        "{said}"
    );
    assert!(
        stray.not_found.contains(&"SIP001E4A0000FF.cnf".to_string()),
        "{:?}",
        stray.not_found
    );
    assert_eq!(stray.ip, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 99)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_sip_phone_goes_through_os79xx_and_the_loader() {
    // An old SIP load asks OS79XX.TXT first (no MAC in the name: the
    // journey must still count it for the phone once its MAC shows up),
    // takes the universal loader, then SIP 8.12.
    let dir = tempfile::tempdir().unwrap();
    let files = sccp_to_sip_root(dir.path(), &[MAC]);
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files,
        known_macs: vec![mac],
        position: None,
    };
    let mut svc = TftpService::start(config(dir.path())).unwrap();
    let watcher = follow(svc.take_events().unwrap(), stage);
    let mut phone = SimPhone::new(mac, PhoneModel::Cp7940, "P0S3-04-4-00", svc.local_addr());
    let report = phone.run().await.unwrap();
    svc.shutdown().await;
    let (js, phases, _) = watcher.await.unwrap();
    let first: Vec<&str> = report.boots[0]
        .requests
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(first, ["OS79XX.TXT", "P003-8-12-00.bin"]);
    assert_eq!(report.boots.len(), 3);
    assert_eq!(report.boots[1].image, "P003-8-12-00");
    assert!(report.configured && report.image == "P0S3-8-12-00");
    let j = js.get(mac).unwrap();
    assert_eq!(
        &j.fetched[..2],
        ["OS79XX.TXT", "P003-8-12-00.bin"],
        "requests before the MAC count for the phone"
    );
    assert_eq!(js.phones().count(), 1);
    assert_eq!(phases[&mac].last(), Some(&Phase::Configured));
    assert!(
        phases[&mac].contains(&Phase::ImageFetched)
            && phases[&mac].contains(&Phase::BackOnNewImage),
        "{:?}",
        phases[&mac]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opaque_descriptor_and_leftover_images_still_reach_configured() {
    // Real .loads contents are not public (the synthetic packages hold
    // random bytes); old image files may still sit in the root.
    let dir = tempfile::tempdir().unwrap();
    let mut files = sccp_to_sip_root(dir.path(), &[MAC]);
    std::fs::write(dir.path().join("P0S3-8-12-00.loads"), random_bytes(11, 458)).unwrap();
    std::fs::write(dir.path().join("P00308010200.sb2"), random_bytes(12, 4096)).unwrap();
    files.push("P00308010200.sb2".into());
    let mac: Mac = MAC.parse().unwrap();
    let stage = StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files,
        known_macs: vec![mac],
        position: None,
    };
    let mut svc = TftpService::start(config(dir.path())).unwrap();
    let watcher = follow(svc.take_events().unwrap(), stage);
    let report = SimPhone::new(mac, PhoneModel::Cp7960, "P00308010200", svc.local_addr())
        .run()
        .await
        .unwrap();
    svc.shutdown().await;
    let (_, phases, _) = watcher.await.unwrap();
    let first: Vec<&str> = report.boots[0]
        .requests
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(
        &first[2..],
        ["P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.sbn"]
    );
    assert_eq!(
        phases[&mac],
        [
            Phase::AskingForConfig,
            Phase::FetchingImage,
            Phase::ImageFetched,
            Phase::BackOnNewImage,
            Phase::Configured
        ]
    );
}
