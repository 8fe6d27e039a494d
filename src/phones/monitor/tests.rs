use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::*;
use crate::model::Mac;
use crate::phones::StagePosition;

const MAC: &str = "000E84C060A6";

/// Wed Nov 06 11:58:51 2002, the tech note's first line.
fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_036_583_931)
}

fn client(port: u16) -> SocketAddr {
    SocketAddr::from(([10, 1, 1, 1], port))
}

fn stage(stage: usize, stages: usize) -> StageExpectations {
    StageExpectations {
        target_image: Some("P0S3-8-12-00".into()),
        files: [
            "OS79XX.TXT",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "P003-8-12-00.sbn",
            "SIPDefault.cnf",
            "SIP000E84C060A6.cnf",
            "SIP001E4A123456.cnf",
        ]
        .map(String::from)
        .to_vec(),
        known_macs: vec![MAC.parse().unwrap(), "001E4A123456".parse().unwrap()],
        position: Some(StagePosition {
            stage,
            stages,
            route: "R3".into(),
        }),
    }
}

fn fetch(c: SocketAddr, file: &str, size: u64) -> [TftpEvent; 2] {
    [
        TftpEvent::Request {
            client: c,
            file: file.into(),
            served: None,
            size,
            mode: crate::tftp::TransferMode::Octet,
        },
        TftpEvent::Done {
            client: c,
            file: file.into(),
            bytes: size,
        },
    ]
}

fn feed(m: &mut Monitor, events: impl IntoIterator<Item = TftpEvent>) -> Vec<String> {
    let now = Instant::now();
    for e in events {
        m.apply_at(e, now, at());
    }
    m.take_lines()
}

#[test]
fn the_text_log_in_the_tech_notes_words() {
    let mut m = Monitor::new(stage(1, 2), LogFormat::Text);
    let listening = TftpEvent::Listening {
        addr: "0.0.0.0:69".parse().unwrap(),
        root: "/srv/tftp".into(),
        how: crate::msg::Msg::verbatim(
            "Listening on 0.0.0.0:69, answering only on en5 (192.0.2.2)",
        ),
    };
    let mut events = vec![
        listening,
        TftpEvent::Phone {
            client: client(5000),
            mac: MAC.parse().unwrap(),
        },
    ];
    events.extend(fetch(client(5000), "SIP000E84C060A6.cnf", 17));
    events.push(TftpEvent::NotFound {
        client: client(5001),
        file: "CTLSEP000E84C060A6.tlv".into(),
    });
    events.push(TftpEvent::NotFound {
        client: client(5002),
        file: "SIP001E4A0000FF.cnf".into(),
    });
    let lines = feed(&mut m, events);
    let s = "Wed Nov 06 11:58:51 2002";
    assert_eq!(
        lines,
        [
            format!(
                "{s}: Serving /srv/tftp read-only. Listening on 0.0.0.0:69, answering only on en5 (192.0.2.2)."
            ),
            format!(
                "{s}: Stage 1 of 2 (R3): phones are moved to P0S3-8-12-00; 7 files to serve for 2 known phones. When every phone is done, prepare stage 2 and serve again."
            ),
            format!("{s}: Phone 00:0e:84:c0:60:a6 is at 10.1.1.1"),
            format!("{s}: Phone 00:0e:84:c0:60:a6 (10.1.1.1): asking for config"),
            format!("{s}: Sending 'SIP000E84C060A6.cnf' file to 10.1.1.1 in binary mode"),
            format!("{s}: Successful. ('SIP000E84C060A6.cnf' to 10.1.1.1, 17 bytes)"),
            format!("{s}: Phone 00:0e:84:c0:60:a6 (10.1.1.1): configured"),
            format!(
                "{s}: File 'CTLSEP000E84C060A6.tlv' not found for 10.1.1.1 (normal: no security trust list)"
            ),
            // The same IP now asks for another MAC's file: a second phone behind it.
            format!("{s}: File 'SIP001E4A0000FF.cnf' not found for 10.1.1.1"),
            format!("{s}: Phone 00:1e:4a:00:00:ff (10.1.1.1): asking for config"),
            format!(
                "{s}: Phone 00:1e:4a:00:00:ff: unknown phone 00:1e:4a:00:00:ff asked for SIP001E4A0000FF.cnf: it is not in the session. Add it (MAC 001E4A0000FF) to the session and write the files again?"
            ),
        ]
    );
    // The same hint about a newer file is not said again.
    let again = feed(
        &mut m,
        [TftpEvent::NotFound {
            client: client(5003),
            file: "SEP001E4A0000FF.cnf.xml".into(),
        }],
    );
    assert_eq!(
        again,
        [format!(
            "{s}: File 'SEP001E4A0000FF.cnf.xml' not found for 10.1.1.1"
        )]
    );
    let stray = m.journeys().get("001E4A0000FF".parse().unwrap()).unwrap();
    assert_eq!(stray.hints.len(), 1);
    assert!(
        stray.hints[0]
            .to_string()
            .contains("SEP001E4A0000FF.cnf.xml")
    );

    m.stopped_at(Instant::now(), at());
    let summary = m.take_lines();
    assert_eq!(summary[0], format!("{s}: Stopped. 2 phones seen."));
    assert!(
        summary[1].starts_with(
            "  00:0e:84:c0:60:a6 at 10.1.1.1: configured; 1 file fetched, 0 failed, 1 not found; last seen"
        ),
        "{summary:#?}"
    );
    assert!(summary[3].starts_with("    hint: unknown phone 00:1e:4a:00:00:ff asked for SEP"));
}

#[test]
fn image_progress_is_said_each_quarter_once_and_kept_in_the_journey() {
    let mut m = Monitor::new(stage(1, 1), LogFormat::Text);
    let c = client(6000);
    feed(
        &mut m,
        [TftpEvent::Request {
            client: c,
            file: "P0S3-8-12-00.sb2".into(),
            served: None,
            size: 1000,
            mode: crate::tftp::TransferMode::Octet,
        }],
    );
    let p = |bytes| TftpEvent::Progress {
        client: c,
        file: "P0S3-8-12-00.sb2".into(),
        bytes,
        size: 1000,
    };
    let said = feed(&mut m, [100, 260, 300, 510, 990].map(p));
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said[0].ends_with("  'P0S3-8-12-00.sb2' to 10.1.1.1: 25% (260 of 1000 bytes)"));
    assert!(said[1].contains("50%") && said[2].contains("75%"));
    let j = m.journeys().by_ip(c.ip()).unwrap();
    let progress = j.in_flight["P0S3-8-12-00.sb2"];
    assert_eq!((progress.bytes, progress.size), (990, 1000));
    assert_eq!(progress.fraction(), 0.99);
    // In --json, in-flight files are names.
    let json = serde_json::to_value(j).unwrap();
    assert_eq!(json["in_flight"], serde_json::json!(["P0S3-8-12-00.sb2"]));

    let cnf = TftpEvent::Progress {
        client: c,
        file: "SIPDefault.cnf".into(),
        bytes: 900,
        size: 1000,
    };
    assert!(feed(&mut m, [cnf]).is_empty());
}

#[test]
fn json_lines_are_the_events_a_stage_line_and_a_summary() {
    let mut m = Monitor::new(stage(2, 2), LogFormat::Json);
    let mut events = vec![TftpEvent::Listening {
        addr: "127.0.0.1:6969".parse().unwrap(),
        root: "/srv/tftp".into(),
        how: crate::msg::Msg::verbatim(
            "Listening on 127.0.0.1:6969, answering only requests sent to 127.0.0.1",
        ),
    }];
    events.extend(fetch(client(1), "SIP000E84C060A6.cnf", 5));
    let lines = feed(&mut m, events.clone());
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(lines[0], events[0].to_json());
    let stage: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(stage["event"], "stage");
    assert_eq!(
        (stage["stage"].as_u64(), stage["stages"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(stage["target"], "P0S3-8-12-00");
    assert_eq!(stage["known_macs"][0], "00:0e:84:c0:60:a6");
    assert_eq!(lines[3], events[2].to_json());

    m.stopped_at(Instant::now(), at());
    let summary = m.take_lines();
    let v: serde_json::Value = serde_json::from_str(&summary[0]).unwrap();
    assert_eq!(v["event"], "summary");
    let phone = &v["phones"][0];
    assert_eq!(phone["mac"], "00:0e:84:c0:60:a6");
    assert_eq!(phone["phase"], "configured");
    assert_eq!(phone["finished"], true);
    assert_eq!(phone["hints"], serde_json::json!([]));
}

/// A phone is done with an earlier stage once back on its new image; with
/// the last, once configured.
#[test]
fn finished_depends_on_the_stage() {
    let c = client(7000);
    let boot = |m: &mut Monitor| {
        let mut events = vec![];
        for f in ["P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.sbn"] {
            events.extend(fetch(c, f, 10));
        }
        events.extend(fetch(c, "SIPDefault.cnf", 10));
        feed(m, events);
        let j = m.journeys().by_ip(c.ip()).unwrap();
        (j.phase, j.finished)
    };
    let mut earlier = Monitor::new(stage(1, 2), LogFormat::Text);
    assert_eq!(boot(&mut earlier), (Phase::BackOnNewImage, true));
    let mut last = Monitor::new(stage(2, 2), LogFormat::Text);
    assert_eq!(boot(&mut last), (Phase::BackOnNewImage, false));
    // Its files: the shared ones and its own, not the other phone's.
    let j = last.journeys().by_ip(c.ip()).unwrap();
    assert_eq!((j.files_done, j.files_expected), (4, 5));
    feed(&mut last, fetch(c, "SIP000E84C060A6.cnf", 10));
    let j = last.journeys().by_ip(c.ip()).unwrap();
    assert_eq!((j.phase, j.finished), (Phase::Configured, true));
    assert_eq!(j.mac, Some(MAC.parse::<Mac>().unwrap()));
    // Finished: it needed no more than it fetched (issue 21: not "5 / 6").
    assert_eq!((j.files_done, j.files_expected), (5, 5));
}

#[test]
fn a_lease_names_the_phone_before_it_asks_for_a_file() {
    let mac: Mac = MAC.parse().unwrap();
    let ip = std::net::Ipv4Addr::new(10, 1, 1, 1);
    let vendor = Some(crate::dhcp::VendorClass::from_bytes(
        b"Cisco Systems, Inc. IP Phone CP-7960G\0",
    ));
    for format in [LogFormat::Text, LogFormat::Json] {
        let mut m = Monitor::new(stage(1, 1), format);
        m.apply_at(
            DhcpEvent::DhcpAck {
                mac,
                ip,
                vendor: vendor.clone(),
                lease_secs: 600,
            },
            Instant::now(),
            at(),
        );
        let said = m.take_lines();
        let j = m.journeys().get(mac).expect("known by its lease");
        assert_eq!(
            j.phase,
            crate::phones::Phase::HasAddress,
            "only an address: it has asked for nothing yet"
        );
        let lines = feed(&mut m, fetch(client(50000), "OS79XX.TXT", 20));
        let j = m.journeys().get(mac).expect("known by its lease");
        assert_eq!(j.phase, crate::phones::Phase::AskingForConfig);
        assert_eq!(j.ip, Some(std::net::IpAddr::V4(ip)));
        assert_eq!(
            j.fetched,
            ["OS79XX.TXT"],
            "a file naming no MAC counts for it"
        );
        assert_eq!(
            m.phones().count(),
            1,
            "no anonymous phone at the same address"
        );
        match format {
            LogFormat::Text => {
                assert_eq!(
                    said,
                    [
                        "Wed Nov 06 11:58:51 2002: DHCP: 00:0e:84:c0:60:a6 has 10.1.1.1 for 600 s (Cisco Systems, Inc. IP Phone CP-7960G)"
                    ]
                );
                assert!(
                    lines.iter().any(|l| l.contains("Phone 00:0e:84:c0:60:a6")),
                    "{lines:?}"
                );
            }
            LogFormat::Json => {
                let v: serde_json::Value = serde_json::from_str(&said[0]).unwrap();
                assert_eq!(v["event"], "dhcp_ack");
                assert_eq!(v["mac"], "00:0e:84:c0:60:a6");
                assert_eq!(v["ip"], "10.1.1.1");
                assert_eq!(v["vendor"], "Cisco Systems, Inc. IP Phone CP-7960G");
            }
        }
    }
}
