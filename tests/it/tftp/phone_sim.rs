//! Simulated 7940/7960 phones boot through a prepared root on 127.0.0.1,
//! in the request order of docs/boot-sequences.md §2, and the journeys built from
//! the service's events follow them to "configured".

use crate::support::random_bytes;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use convert79xx::model::{Mac, PhoneModel};
use convert79xx::phones::{Hint, Journeys, Phase, StageExpectations};
use convert79xx::tftp::sim::SimPhone;
use convert79xx::tftp::{ServeConfig, TftpEvent, TftpService};

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
            br#"<device><devicePool><callManagerGroup><members><member priority="0"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort></ports><processNodeName>192.0.2.20</processNodeName></callManager></member></members></callManagerGroup></devicePool><loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>"#.to_vec(),
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
            "OS79XX.TXT",
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
        report.boots[0].requests[1].bytes, None,
        "CTLSEP is not found"
    );
    assert_eq!(report.boots[0].requests[4].bytes, Some(739 * 1024));
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
    let stray_result = stray.run().await.unwrap();
    assert!(
        !stray_result.configured,
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
            && said.contains("Add it (MAC 001E4A0000FF) to the session and write the files again"),
        "{said}"
    );
    assert!(
        stray.not_found.contains(&"SIP001E4A0000FF.cnf".to_string()),
        "{:?}",
        stray.not_found
    );
    assert_eq!(stray.ip, Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 99))));
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
        &first[3..],
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

// ---- The simulated phone's own rules, one test per row of
// docs/field-facts.md §7 (docs/routes.md §1). Each root is written by hand
// here, never by the product's writers, so these pin the phone and nothing
// else.

mod rules {
    use super::*;
    use convert79xx::load::Protocol;
    use convert79xx::tftp::RunningService;
    use convert79xx::tftp::sim::{SimError, SimReport};

    const CM_GROUP: &str = "<callManagerGroup><members><member priority=\"0\"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort></ports><processNodeName>192.0.2.20</processNodeName></callManager></member></members></callManagerGroup>";

    /// XMLDefault.cnf.xml naming `image` for both models, with a callManagerGroup.
    fn xml_default(image: &str) -> String {
        format!(
            "<Default>{CM_GROUP}<loadInformation8 model=\"IP Phone 7940\">{image}</loadInformation8><loadInformation7 model=\"IP Phone 7960\">{image}</loadInformation7></Default>"
        )
    }

    fn sep_xml(image: &str) -> String {
        format!(
            "<device><devicePool>{CM_GROUP}</devicePool><loadInformation model=\"IP Phone 7960\">{image}</loadInformation></device>"
        )
    }

    /// A root holding exactly these files, served on 127.0.0.1.
    fn serve(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, RunningService) {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let svc = TftpService::start(config(dir.path())).unwrap();
        (dir, svc)
    }

    fn img(seed: u64) -> Vec<u8> {
        random_bytes(seed, 700)
    }

    fn txt(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    fn mac() -> Mac {
        MAC.parse().unwrap()
    }

    async fn boot(svc: &RunningService, installed: &str) -> Result<SimReport, SimError> {
        SimPhone::new(mac(), PhoneModel::Cp7960, installed, svc.local_addr())
            .run()
            .await
    }

    fn asked(r: &SimReport, boot: usize) -> Vec<&str> {
        r.boots[boot]
            .requests
            .iter()
            .map(|q| q.file.as_str())
            .collect()
    }

    fn all_asked(r: &SimReport) -> Vec<&str> {
        r.boots
            .iter()
            .flat_map(|b| b.requests.iter().map(|q| q.file.as_str()))
            .collect()
    }

    /// §7.1: an SCCP phone ignores OS79XX.TXT naming an SCCP load or the
    /// loader (both P003…) and obeys a P0S3… name.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_1_four_characters_sccp() {
        for ignored in ["P003-8-12-00", "P00308010200"] {
            let (_d, svc) = serve(&[
                ("OS79XX.TXT", txt(&format!("{ignored}\n"))),
                ("P003-8-12-00.sbn", img(1)),
                ("P00308010200.sbn", img(2)),
            ]);
            let r = boot(&svc, "P00305000101").await.unwrap();
            assert_eq!(r.image, "P00305000101", "{ignored}: {:?}", r.boots);
            assert_eq!(r.boots.len(), 1);
            assert_eq!(
                asked(&r, 0),
                [
                    "OS79XX.TXT",
                    "SEP000E84C060A6.cnf.xml",
                    "XMLDefault.cnf.xml"
                ]
            );
            svc.shutdown().await;
        }
        let (_d, svc) = serve(&[
            ("OS79XX.TXT", txt("P0S3-06-3-00\n")),
            ("P0S3-06-3-00.sbn", img(3)),
        ]);
        let r = boot(&svc, "P00305000101").await.unwrap();
        assert_eq!(asked(&r, 0), ["OS79XX.TXT", "P0S3-06-3-00.sbn"]);
        assert_eq!(r.image, "P0S3-06-3-00");
        svc.shutdown().await;
    }

    /// §7.1: a SIP phone ignores P0S3… names in OS79XX.TXT and obeys P003….
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_1_four_characters_sip() {
        let (_d, svc) = serve(&[
            ("OS79XX.TXT", txt("P0S3-06-3-00\n")),
            ("P0S3-06-3-00.bin", img(1)),
            ("SIPDefault.cnf", txt("image_version: P0S3-04-4-00\n")),
        ]);
        let r = boot(&svc, "P0S3-04-4-00").await.unwrap();
        assert_eq!(r.image, "P0S3-04-4-00");
        assert!(!all_asked(&r).contains(&"P0S3-06-3-00.bin"));
        svc.shutdown().await;
        let (_d, svc) = serve(&[
            ("OS79XX.TXT", txt("P00304020300\n")),
            ("P00304020300.bin", img(2)),
        ]);
        let r = boot(&svc, "P0S3-04-4-00").await.unwrap();
        assert_eq!(asked(&r, 0), ["OS79XX.TXT", "P00304020300.bin"]);
        assert_eq!(r.image, "P00304020300");
        svc.shutdown().await;
    }

    /// §7.2: an SCCP load older than 3.x reads OS79XX.TXT and SEPDefault.cnf
    /// only, never the XML files, and fetches `.bin`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_2_non_xml_sccp_reads_only_sepdefault() {
        let (_d, svc) = serve(&[
            ("XMLDefault.cnf.xml", txt(&xml_default("P0030301"))),
            ("SEP000E84C060A6.cnf.xml", txt(&sep_xml("P0030301"))),
            ("P0030301.bin", img(1)),
        ]);
        let r = boot(&svc, "P0030205").await.unwrap();
        assert_eq!(asked(&r, 0), ["OS79XX.TXT", "SEPDefault.cnf"]);
        assert_eq!((r.image.as_str(), r.configured), ("P0030205", false));
        svc.shutdown().await;
        let (_d, svc) = serve(&[
            ("OS79XX.TXT", txt("P0S3-06-3-00\n")),
            ("P0S3-06-3-00.bin", img(2)),
            ("P0S3-06-3-00.sbn", img(3)),
        ]);
        let r = boot(&svc, "P0030205").await.unwrap();
        assert_eq!(asked(&r, 0), ["OS79XX.TXT", "P0S3-06-3-00.bin"]);
        svc.shutdown().await;
    }

    /// §7.3: an XML-capable SCCP load reads SEP<MAC>.cnf.xml, then
    /// XMLDefault.cnf.xml, obeys loadInformation, and before the loader era
    /// fetches one file: `.sbn` when it runs a signed load, `.bin` when not
    /// (§7.7). It does not know `.loads`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_3_xml_sccp_and_one_file_per_image() {
        let (_d, svc) = serve(&[
            ("XMLDefault.cnf.xml", txt(&xml_default("P00306030100"))),
            ("P00306030100.bin", img(1)),
            ("P00306030100.sbn", img(2)),
            ("P00304020300.bin", img(3)),
        ]);
        let r = boot(&svc, "P00305000101").await.unwrap();
        assert_eq!(
            asked(&r, 0),
            [
                "OS79XX.TXT",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml",
                "P00306030100.sbn"
            ]
        );
        assert_eq!((r.image.as_str(), r.configured), ("P00306030100", true));
        svc.shutdown().await;
        // Unsigned 3.1 takes the .bin, from its own SEP<MAC>.cnf.xml.
        let (_d, svc) = serve(&[
            ("SEP000E84C060A6.cnf.xml", txt(&sep_xml("P00304020300"))),
            ("XMLDefault.cnf.xml", txt(&xml_default("P0030301"))),
            ("P00304020300.bin", img(3)),
        ]);
        let r = boot(&svc, "P0030301").await.unwrap();
        assert_eq!(
            asked(&r, 0),
            ["OS79XX.TXT", "SEP000E84C060A6.cnf.xml", "P00304020300.bin"]
        );
        assert_eq!(r.image, "P00304020300");
        svc.shutdown().await;
        // Named the SIP 8.12 application, a pre-loader load asks for its
        // .sbn, which does not exist: stuck.
        let (_d, svc) = serve(&[
            ("XMLDefault.cnf.xml", txt(&xml_default("P0S3-8-12-00"))),
            ("P0S3-8-12-00.loads", img(4)),
            ("P0S3-8-12-00.sb2", img(5)),
        ]);
        let e = boot(&svc, "P00305000101").await.unwrap_err();
        assert!(
            matches!(&e, SimError::MissingImage { file, .. } if file == "P0S3-8-12-00.sbn"),
            "{e}"
        );
        svc.shutdown().await;
    }

    /// §7.3, §7.4: SCCP ≤5.x to SIP ≥7 in two stages. The XML names the
    /// loader, the phone fetches its .sbn and waits there; once the XML names
    /// the application, the loader fetches `.loads` + `.sb2`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_4_loader_from_sccp_takes_load_information() {
        let stage2 = [
            ("P003-8-12-00.sbn", img(1)),
            ("P003-8-12-00.bin", img(2)),
            ("P0S3-8-12-00.loads", img(3)),
            ("P0S3-8-12-00.sb2", img(4)),
        ];
        let mut files = stage2.to_vec();
        files.push(("XMLDefault.cnf.xml", txt(&xml_default("P003-8-12-00"))));
        let (dir, svc) = serve(&files);
        let mut phone = SimPhone::new(mac(), PhoneModel::Cp7940, "P00305000101", svc.local_addr());
        let r = phone.run().await.unwrap();
        assert_eq!(asked(&r, 0).last(), Some(&"P003-8-12-00.sbn"));
        assert_eq!(
            asked(&r, 1),
            [
                "CTLSEP000E84C060A6.tlv",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml"
            ]
        );
        assert!(r.on_loader && !r.configured && r.image == "P003-8-12-00");
        assert_eq!(phone.awaiting_application, Some(Protocol::Sccp));
        // Stage 2: the configs name the application.
        std::fs::write(
            dir.path().join("XMLDefault.cnf.xml"),
            xml_default("P0S3-8-12-00"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("SIPDefault.cnf"),
            "image_version: P0S3-8-12-00\nproxy1_address: \"192.0.2.10\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("SIP000E84C060A6.cnf"),
            "image_version: P0S3-8-12-00\nline1_name: \"101\"\nline1_password: \"s3cret\"\n",
        )
        .unwrap();
        let r = phone.run().await.unwrap();
        assert_eq!(
            asked(&r, 0),
            [
                "CTLSEP000E84C060A6.tlv",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml",
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2"
            ]
        );
        assert_eq!((r.image.as_str(), r.configured), ("P0S3-8-12-00", true));
        assert!(!r.on_loader);
        assert_eq!(r.sip.get("line1_name").map(String::as_str), Some("101"));
        assert_eq!(
            r.sip.get("proxy1_address").map(String::as_str),
            Some("192.0.2.10")
        );
        svc.shutdown().await;
    }

    /// §7.4, §7.6: without an XML config with a callManagerGroup the loader
    /// stops at "Protocol Application Invalid".
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_4_loader_needs_a_call_manager_group() {
        let (_d, svc) = serve(&[
            ("SIPDefault.cnf", txt("image_version: P0S3-8-12-00\n")),
            ("P0S3-8-12-00.loads", img(3)),
            ("P0S3-8-12-00.sb2", img(4)),
        ]);
        let e = boot(&svc, "P003-8-12-00").await.unwrap_err();
        assert!(
            matches!(e, SimError::ProtocolApplicationInvalid { .. }),
            "{e}"
        );
        svc.shutdown().await;
        let (_d, svc) = serve(&[
            (
                "XMLDefault.cnf.xml",
                txt(
                    "<Default><loadInformation7 model=\"IP Phone 7960\">P0S3-8-12-00</loadInformation7></Default>",
                ),
            ),
            ("P0S3-8-12-00.loads", img(3)),
            ("P0S3-8-12-00.sb2", img(4)),
        ]);
        let e = boot(&svc, "P003-8-12-00").await.unwrap_err();
        assert!(e.to_string().contains("without a callManagerGroup"), "{e}");
        svc.shutdown().await;
    }

    /// §7.4, §7.6: a SIP 6.x phone obeys OS79XX.TXT naming the loader; the
    /// loader, come from SIP, takes image_version (with the XML there) and
    /// refuses configs that disagree.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_6_loader_from_sip_takes_image_version() {
        let files = |xml_image: &str| {
            vec![
                ("OS79XX.TXT", txt("P003-8-12-00\n")),
                ("XMLDefault.cnf.xml", txt(&xml_default(xml_image))),
                ("SIPDefault.cnf", txt("image_version: P0S3-8-12-00\n")),
                (
                    "SIP000E84C060A6.cnf",
                    txt("image_version: P0S3-8-12-00\nline1_name: 102\n"),
                ),
                ("P003-8-12-00.sbn", img(1)),
                ("P0S3-8-12-00.loads", img(3)),
                ("P0S3-8-12-00.sb2", img(4)),
            ]
        };
        let (_d, svc) = serve(&files("P0S3-8-12-00"));
        let r = boot(&svc, "P0S3-06-3-00").await.unwrap();
        assert_eq!(asked(&r, 0), ["OS79XX.TXT", "P003-8-12-00.sbn"]);
        assert!(r.boots[1].loader);
        assert_eq!(
            asked(&r, 1),
            [
                "CTLSEP000E84C060A6.tlv",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml",
                "SIPDefault.cnf",
                "./SIP000E84C060A6.cnf",
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2"
            ]
        );
        assert!(r.configured && r.image == "P0S3-8-12-00");
        assert_eq!(r.sip.get("line1_name").map(String::as_str), Some("102"));
        svc.shutdown().await;
        let (_d, svc) = serve(&files("P0S3-08-11-00"));
        let e = boot(&svc, "P0S3-06-3-00").await.unwrap_err();
        assert!(matches!(e, SimError::Conflict { .. }), "{e}");
        svc.shutdown().await;
    }

    /// §7.5: a loader-era SIP load that reads an XML config naming an SCCP
    /// load goes back to SCCP.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_5_loader_era_sip_goes_back_to_sccp_by_xml() {
        let (_d, svc) = serve(&[
            ("XMLDefault.cnf.xml", txt(&xml_default("P00308010200"))),
            ("P00308010200.loads", img(1)),
            ("P00308010200.sb2", img(2)),
            ("P00308010200.sbn", img(3)),
        ]);
        let r = boot(&svc, "P0S3-8-12-00").await.unwrap();
        assert_eq!(
            asked(&r, 0),
            [
                "CTLSEP000E84C060A6.tlv",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml",
                "P00308010200.loads",
                "P00308010200.sb2",
                "P00308010200.sbn"
            ]
        );
        assert_eq!(
            asked(&r, 1),
            [
                "OS79XX.TXT",
                "CTLSEP000E84C060A6.tlv",
                "SEP000E84C060A6.cnf.xml",
                "XMLDefault.cnf.xml"
            ]
        );
        assert_eq!((r.image.as_str(), r.configured), ("P00308010200", true));
        svc.shutdown().await;
    }

    /// §7.7: a signed SIP 5.x/6.x phone fetches the `.sbn` of a single image.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_7_signed_sip_fetches_sbn() {
        let (_d, svc) = serve(&[
            ("SIPDefault.cnf", txt("image_version: P00305000101\n")),
            ("P00305000101.bin", img(1)),
            ("P00305000101.sbn", img(2)),
        ]);
        let r = boot(&svc, "P0S3-06-3-00").await.unwrap();
        assert_eq!(
            asked(&r, 0),
            [
                "OS79XX.TXT",
                "SIPDefault.cnf",
                "./SIP000E84C060A6.cnf",
                "P00305000101.sbn"
            ]
        );
        assert_eq!(r.image, "P00305000101");
        svc.shutdown().await;
    }

    /// §7.10: an SCCP 6.x load of the loader era needs `.loads` + `.sb2`
    /// after its `.bin` (and the XML that names it); a single image does not.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn r7_10_both_sccp_6_layouts() {
        let files = [
            ("OS79XX.TXT", txt("P00306030100\n")),
            ("XMLDefault.cnf.xml", txt(&xml_default("P00306030100"))),
            ("P00306030100.bin", img(1)),
            ("P00306030100.loads", img(2)),
            ("P00306030100.sb2", img(3)),
        ];
        for loader_era in [false, true] {
            let (_d, svc) = serve(&files);
            let mut phone =
                SimPhone::new(mac(), PhoneModel::Cp7960, "P0S3-04-4-00", svc.local_addr());
            phone.sccp6_loader_era = loader_era;
            let r = phone.run().await.unwrap();
            assert_eq!(asked(&r, 0), ["OS79XX.TXT", "P00306030100.bin"]);
            let fetched_app = all_asked(&r).contains(&"P00306030100.sb2");
            assert_eq!(fetched_app, loader_era, "{:?}", r.boots);
            assert_eq!((r.image.as_str(), r.configured), ("P00306030100", true));
            svc.shutdown().await;
        }
    }

    /// matrix R4b: SIP 2.1 and earlier refuse names longer than 8.3, for
    /// every name they act on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sip_2_1_takes_8_3_names_only() {
        for (file, text) in [
            ("OS79XX.TXT", "P00304020300\n"),
            ("SIPDefault.cnf", "image_version: P0S3-8-12-00\n"),
        ] {
            let (_d, svc) = serve(&[(file, txt(text))]);
            let e = boot(&svc, "P0S30201").await.unwrap_err();
            assert!(matches!(e, SimError::NameTooLong { .. }), "{file}: {e}");
            svc.shutdown().await;
        }
        let (_d, svc) = serve(&[("OS79XX.TXT", txt("P0030402\n")), ("P0030402.bin", img(1))]);
        assert_eq!(boot(&svc, "P0S30201").await.unwrap().image, "P0030402");
        svc.shutdown().await;
    }

    /// The project's rule the phone enforces: two files it reads in one boot
    /// must not name different images.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn disagreeing_sip_configs_stop_the_phone() {
        let (_d, svc) = serve(&[
            ("SIPDefault.cnf", txt("image_version: P0S3-8-12-00\n")),
            ("SIP000E84C060A6.cnf", txt("image_version: P0S3-08-11-00\n")),
        ]);
        let e = boot(&svc, "P0S3-8-12-00").await.unwrap_err();
        assert!(matches!(e, SimError::Conflict { .. }), "{e}");
        svc.shutdown().await;
    }
}
