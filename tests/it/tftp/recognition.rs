//! Issue 23: phones nobody described. Simulated phones (docs/field-facts.md
//! §7) on every starting load of the route table boot against one real
//! `serve`, half of them listed with `from = "unknown"` and half not listed
//! at all; each is recognised from what it asks for and converted by its
//! own route. Loopback only: each phone has its own 127.0.0.x.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::load::{Layout, LoadName};
use convert79xx::model::PhoneModel;
use convert79xx::tftp::client::{FetchError, FetchOptions, fetch};
use convert79xx::tftp::sim::{SimPhone, SimReport};
use serde_json::Value;

use super::ladder::{addresses, of_mac};
use crate::support::serve::Serve;

/// The starts of docs/routes.md §2 a phone to SIP 8.12 may be on.
/// (SCCP before 3.x asks for OS79XX.TXT and SEPDefault.cnf, neither of
/// which names its MAC: on loopback nothing places it, so it is booted
/// with a DHCP lease in tests/it/dhcp/recognition.rs.)
const TO_SIP: &[&str] = &[
    "P0030301",      // SCCP 3.1 (R2)
    "P00305000101",  // SCCP 5.0(1.1) (R2)
    "P00306030100",  // SCCP 6.3, single image (R3 through the loader)
    "P00308000500",  // SCCP 8.0(5) (R3)
    "P00308010200",  // SCCP 8.1(2) (R3)
    "P0S30202",      // SIP 2.2 (R8 into the loader era)
    "P0S3-03-0-00",  // SIP 3.0
    "P0S3-04-4-00",  // SIP 4.4
    "P0S3-06-3-00",  // SIP 6.3
    "P0S3-07-4-00",  // SIP 7.4 (R8)
    "P0S3-08-11-00", // SIP 8.11 (R8)
];

/// The starts a phone to SCCP 8.1(2) may be on (SCCP before 3.x has no
/// route there: G14, tested apart).
const TO_SCCP: &[&str] = &[
    "P0030301",     // SCCP 3.1 (R8 by XML)
    "P00305000101", // SCCP 5.0(1.1)
    "P00306030100", // SCCP 6.3
    "P00308000500", // SCCP 8.0(5)
    "P0S3-03-0-00", // SIP 3.0 (R5 through SCCP 6.3)
    "P0S3-04-4-00", // SIP 4.4 (R5)
    "P0S3-06-3-00", // SIP 6.3 (R5, safe for 5.x/6.x too)
    "P0S3-07-4-00", // SIP 7.4 (R7)
    "P0S3-8-12-00", // SIP 8.12 (R7)
];

struct Bench {
    dir: tempfile::TempDir,
}

fn mac(group: u8, i: usize) -> String {
    format!("00:1e:4a:23:{group:02x}:{i:02x}")
}

impl Bench {
    /// The session: `listed` phones with `from = "unknown"` and a line
    /// each (`ext` 300 + i), the packages every open route needs.
    fn new(target: &'static str, listed: &[(String, String)]) -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let mut zips = Vec::new();
        for load in [
            "P0S3-8-12-00",
            "P0S3-06-3-00",
            "P00308010200",
            "P00306030100",
        ] {
            let layout = load
                .parse::<LoadName>()
                .unwrap()
                .layout_by_version()
                .unwrap_or(Layout::SingleImage);
            let p = SyntheticPackage::for_load_in(load, layout).small();
            p.zip(dir.path());
            zips.push(format!("{:?}", p.zip_name()));
        }
        let mut text = format!(
            "[conversion]\nfrom = \"P00308010200\"\nto = \"{target}\"\nfirmware = [{}]\n\
             [sip]\nproxy = \"192.0.2.10\"\n[sccp]\ncallmanager = \"192.0.2.20\"\n",
            zips.join(", ")
        );
        for (mac, from) in listed {
            let ext = ext_of(mac);
            text.push_str(&format!(
                "[[phones]]\nmac = \"{mac}\"\nfrom = \"{from}\"\nlines = [{{ extension = \"{ext}\", password = \"pw{ext}\" }}]\n"
            ));
        }
        fs::write(dir.path().join("session.toml"), text).unwrap();
        Bench { dir }
    }

    fn session(&self) -> PathBuf {
        self.dir.path().join("session.toml")
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("tftp")
    }

    fn prepare(&self) -> Value {
        crate::support::prepare_json(&self.session(), &self.root())
    }

    fn serve(&self) -> Serve {
        let session = self.session();
        Serve::start_with(&self.root(), &["--session", session.to_str().unwrap()])
    }
}

fn ext_of(mac: &str) -> String {
    let last = u8::from_str_radix(&mac[mac.len() - 2..], 16).unwrap();
    format!("{}", 300 + u32::from(last))
}

fn sim(mac: &str, installed: &str, server: SocketAddr, ip: Ipv4Addr) -> SimPhone {
    let mut p = SimPhone::new(mac.parse().unwrap(), PhoneModel::Cp7960, installed, server);
    p.fetch.local_ip = Some(IpAddr::V4(ip));
    p.fetch.retransmit_after = Duration::from_millis(500);
    p.fetch.give_up_after = Duration::from_secs(3);
    p
}

/// Boots the phone until it settles on the target, twice at most: a phone
/// recognised after it was refused the OS79XX.TXT that moves it waits for
/// its next boot (docs/recognition.md §4). The report and how many
/// power-ups it took, or what went wrong.
async fn boot_to(mut p: SimPhone, target: String) -> Result<(SimReport, usize), String> {
    let from = p.installed.clone();
    let mut last = None;
    for power_ups in 1..=2 {
        let r = p
            .run()
            .await
            .map_err(|e| format!("{} from {from}: stuck: {e}", p.mac))?;
        if r.image == target && !r.on_loader {
            return Ok((r, power_ups));
        }
        last = Some(r);
    }
    Err(format!(
        "{} from {from}: not on {target} after two power-ups: {last:?}",
        p.mac
    ))
}

/// The first event of `kind` about `mac`.
fn event<'a>(events: &'a [Value], kind: &str, mac: &str) -> Option<&'a Value> {
    of_mac(events, kind, mac).into_iter().next()
}

/// Every start, listed as unknown and not listed, in one serve run: each
/// ends on the target (SIP: with its own line when listed).
async fn every_start_converts(group: u8, first_ip: u8, target: &'static str, starts: &[&str]) {
    let n = starts.len();
    let Some(ips) = addresses(first_ip, (2 * n) as u8) else {
        return;
    };
    let listed: Vec<(String, String)> = (0..n)
        .map(|i| (mac(group, i), "unknown".to_string()))
        .collect();
    let bench = Bench::new(target, &listed);
    let prepared = bench.prepare();
    // The manifest says which routes serve which eras, every one of them.
    let folders = prepared["ladder"]["folders"].as_array().unwrap();
    let mut eras: Vec<&str> = folders
        .iter()
        .filter(|f| f["stage"] == 1)
        .flat_map(|f| f["eras"].as_array().into_iter().flatten())
        .map(|e| e.as_str().unwrap())
        .collect();
    eras.sort();
    eras.dedup();
    let sip = target.starts_with("P0S3");
    let want: &[&str] = if sip {
        &[
            "sccp-loader-era",
            "sccp-pre-loader",
            "sccp-text",
            "sip-loader-era",
            "sip-pre-loader",
        ]
    } else {
        // SCCP before 3.x has no route to SCCP (G14): held with the reason.
        &[
            "sccp-loader-era",
            "sccp-pre-loader",
            "sip-loader-era",
            "sip-pre-loader",
        ]
    };
    assert_eq!(eras, want, "{prepared}");
    if !sip {
        let refused = prepared["ladder"]["refused"].as_array().unwrap();
        assert!(
            refused
                .iter()
                .any(|r| r["eras"] == serde_json::json!(["sccp-text"])),
            "{prepared}"
        );
    }
    let serve = bench.serve();
    let mut tasks = Vec::new();
    for (i, load) in starts.iter().enumerate() {
        for (m, ip) in [(mac(group, i), ips[i]), (mac(group, 0x80 + i), ips[n + i])] {
            let p = sim(&m, load, serve.addr, ip);
            tasks.push((
                m,
                load.to_string(),
                tokio::spawn(boot_to(p, target.to_string())),
            ));
        }
    }
    let mut failures = Vec::new();
    let mut done = Vec::new();
    for (m, load, t) in tasks {
        match t.await.unwrap() {
            Ok((r, ups)) => done.push((m, load, r, ups)),
            Err(e) => failures.push(e),
        }
    }
    let events = serve.stop();
    assert!(failures.is_empty(), "{failures:#?}\n{events:#?}");
    for (m, load, r, ups) in &done {
        let listed = listed.iter().any(|(l, _)| l == m);
        let rec = event(&events, "recognised", m)
            .unwrap_or_else(|| panic!("{m} from {load}: no recognised event"));
        assert!(!rec["route"].as_str().unwrap().is_empty(), "{rec}");
        assert!(!rec["evidence"].as_array().unwrap().is_empty(), "{rec}");
        if load.starts_with("P0S3-07") || load.starts_with("P0S3-08") || load.starts_with("P0S3-8")
        {
            assert_eq!(rec["load"], load.as_str(), "its own .loads names it: {rec}");
        }
        // Only the loads moved by OS79XX.TXT wait for a second power-up.
        let by_os_txt = load.starts_with("P0S3") && !rec["load"].is_string();
        assert_eq!(
            *ups,
            if by_os_txt { 2 } else { 1 },
            "{m} from {load}: {rec}"
        );
        if sip {
            assert_eq!(
                r.configured, listed,
                "{m} from {load}: its own SIP<MAC>.cnf: {r:?}"
            );
            if listed {
                let ext = ext_of(m);
                assert_eq!(r.sip.get("line1_name"), Some(&ext), "{m} from {load}");
            }
        } else {
            assert!(r.configured, "{m} from {load}: {r:?}");
        }
        // Nothing that could change its flash before it was recognised.
        assert!(of_mac(&events, "stuck", m).is_empty(), "{m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_start_listed_unknown_or_not_listed_converts_to_sip_8_12() {
    every_start_converts(0x01, 101, "P0S3-8-12-00", TO_SIP).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_start_listed_unknown_or_not_listed_converts_to_sccp_8_1_2() {
    every_start_converts(0x02, 131, "P00308010200", TO_SCCP).await;
}

/// Evidence that disagrees holds the phone: nothing that could change its
/// flash is sent, and the question says what to read on the phone and
/// where to write it. Written in the session file, it moves the phone on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_that_disagrees_holds_the_phone_and_the_answer_moves_it_on() {
    let Some(ips) = addresses(161, 1) else { return };
    let m = mac(0x03, 1);
    let bench = Bench::new("P0S3-8-12-00", &[(m.clone(), "unknown".into())]);
    bench.prepare();
    let serve = bench.serve();
    let opts = FetchOptions {
        local_ip: Some(IpAddr::V4(ips[0])),
        retransmit_after: Duration::from_millis(500),
        give_up_after: Duration::from_secs(3),
        ..FetchOptions::default()
    };
    let upper = m.replace(':', "").to_ascii_uppercase();
    // A SIP 8.x load's own .loads, then the text config only the oldest
    // SCCP loads read: no era fits both.
    for file in ["P0S3-8-12-00.loads".to_string(), format!("SEP{upper}.cnf")] {
        assert!(
            matches!(
                fetch(serve.addr, &file, &opts).await,
                Err(FetchError::NotFound(_))
            ),
            "{file}"
        );
    }
    for file in [
        format!("SIP{upper}.cnf"),
        "SIPDefault.cnf".into(),
        "OS79XX.TXT".into(),
    ] {
        assert!(
            fetch(serve.addr, &file, &opts).await.is_err(),
            "held: {file} is not sent"
        );
    }
    let asked = serve
        .wait_event(Duration::from_secs(5), |v| {
            v["event"] == "unrecognised" && v["mac"] == m.as_str()
        })
        .expect("the question");
    let question = asked["question"].as_str().unwrap();
    assert!(
        question.contains("Settings > Status > Firmware Versions")
            && question.contains("App Load ID")
            && question.contains("disagrees"),
        "{question}"
    );
    let events = serve.stop();
    assert!(event(&events, "recognised", &m).is_none(), "{events:?}");

    // The answer, in the session file: its own route now.
    let session = fs::read_to_string(bench.session()).unwrap();
    fs::write(
        bench.session(),
        session.replace("from = \"unknown\"", "from = \"P00308010200\""),
    )
    .unwrap();
    bench.prepare();
    let serve = bench.serve();
    let p = sim(&m, "P00308010200", serve.addr, ips[0]);
    let (r, ups) = boot_to(p, "P0S3-8-12-00".into()).await.unwrap();
    assert_eq!(ups, 1);
    assert_eq!(r.sip.get("line1_name"), Some(&ext_of(&m)));
    serve.stop();
}
