//! Issue 10: one `serve` run converts a mixed fleet, each phone answered
//! from the files of its own stage and moved up its route by itself. Real
//! `prepare` and `serve` processes, simulated phones (docs/field-facts.md
//! §7) on their own loopback addresses, so the server can only tell them
//! apart by their requests.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::model::PhoneModel;
use convert79xx::tftp::sim::{SimError, SimPhone, SimReport};
use serde_json::Value;

use crate::support::serve::Serve;

/// SCCP 5.0(1.1) (R2: the loader named in the XML, then the application),
/// SCCP 8.1(2) (R3, one stage), SIP 6.3 (R8 into the loader era: one stage
/// the phone crosses in two boots, the loader then the application), each
/// with its own line.
pub(crate) const FLEET: [(&str, &str, &str, &str); 3] = [
    ("00:1e:4a:00:00:01", "sccp 5.0(1.1)", "P00305000101", "201"),
    ("00:1e:4a:00:00:02", "P00308010200", "P00308010200", "202"),
    ("00:1e:4a:00:00:03", "sip 6.3", "P0S3-06-3-00", "203"),
];

pub(crate) const TARGET: &str = "P0S3-8-12-00";

pub(crate) struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    /// The session (phones with their own `from`) and the SIP 8.12 zip.
    pub(crate) fn new() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let zip = SyntheticPackage::sip_8_12().small();
        zip.zip(dir.path());
        let mut text = format!(
            "[conversion]\nfrom = \"P00308010200\"\nto = \"{TARGET}\"\nfirmware = [{:?}]\n\
             [sip]\nproxy = \"192.0.2.10\"\n[sccp]\ncallmanager = \"192.0.2.20\"\n",
            zip.zip_name()
        );
        for (mac, from, _, ext) in FLEET {
            text.push_str(&format!(
                "[[phones]]\nmac = \"{mac}\"\nfrom = \"{from}\"\nlines = [{{ extension = \"{ext}\", password = \"pw{ext}\" }}]\n"
            ));
        }
        fs::write(dir.path().join("session.toml"), text).unwrap();
        Bench { dir }
    }

    pub(crate) fn session(&self) -> PathBuf {
        self.dir.path().join("session.toml")
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().join("tftp")
    }

    /// `convert79xx prepare SESSION --out ROOT --json`, no `--stage`.
    pub(crate) fn prepare(&self) -> Value {
        crate::support::prepare_json(&self.session(), &self.root())
    }

    pub(crate) fn serve(&self) -> Serve {
        self.serve_with(&[])
    }

    /// `serve ROOT --session SESSION EXTRA…`.
    pub(crate) fn serve_with(&self, extra: &[&str]) -> Serve {
        let session = self.session();
        let mut args = vec!["--session", session.to_str().unwrap()];
        args.extend(extra);
        Serve::start_with(&self.root(), &args)
    }
}

/// Loopback addresses 127.0.0.N for each phone, or a skip.
pub(crate) fn addresses(first: u8, n: u8) -> Option<Vec<Ipv4Addr>> {
    let ips: Vec<Ipv4Addr> = (first..first + n)
        .map(|i| Ipv4Addr::new(127, 0, 0, i))
        .collect();
    if ips.iter().any(|ip| UdpSocket::bind((*ip, 0)).is_err()) {
        crate::support::skip(format!(
            "this system has no loopback addresses 127.0.0.{first}..{}",
            first + n - 1
        ));
        return None;
    }
    Some(ips)
}

pub(crate) fn phone(mac: &str, installed: &str, serve: &Serve, ip: Ipv4Addr) -> SimPhone {
    let mut p = SimPhone::new(
        mac.parse().unwrap(),
        PhoneModel::Cp7960,
        installed,
        serve.addr,
    );
    p.fetch.local_ip = Some(IpAddr::V4(ip));
    p.fetch.retransmit_after = Duration::from_millis(500);
    p.fetch.give_up_after = Duration::from_secs(3);
    p
}

pub(crate) fn converted(r: &Result<SimReport, SimError>, mac: &str, ext: &str) {
    let r = r.as_ref().unwrap_or_else(|e| panic!("{mac}: stuck: {e}"));
    assert_eq!(r.image, TARGET, "{mac}: {r:?}");
    assert!(!r.on_loader && r.configured, "{mac}: {r:?}");
    assert_eq!(
        r.sip.get("line1_name").map(String::as_str),
        Some(ext),
        "{mac}"
    );
    assert_eq!(
        r.sip.get("line1_password").map(String::as_str),
        Some(format!("pw{ext}").as_str()),
        "{mac}: its own account"
    );
}

pub(crate) fn of_mac<'a>(events: &'a [Value], kind: &str, mac: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|v| v["event"] == kind && v["mac"] == mac)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_serve_run_converts_a_mixed_fleet_with_no_action_between_stages() {
    let Some(ips) = addresses(61, 3) else { return };
    let bench = Bench::new();
    let prepared = bench.prepare();
    // Stage 1 of the route most phones take stays at the top for other
    // servers; every (route, stage) has its folder.
    assert_eq!(prepared["stage"], 1);
    let folders = prepared["ladder"]["folders"].as_array().unwrap();
    assert_eq!(folders.len(), 4, "{folders:?}");
    let serve = bench.serve();
    let mut phones: Vec<SimPhone> = FLEET
        .iter()
        .zip(&ips)
        .map(|((mac, _, installed, _), ip)| phone(mac, installed, &serve, *ip))
        .collect();
    let [a, b, c] = &mut phones[..] else {
        unreachable!()
    };
    // At once, as on a real bench: each is told apart by its own requests.
    let (ra, rb, rc) = tokio::join!(a.run(), b.run(), c.run());
    for (r, (mac, _, _, ext)) in [ra, rb, rc].iter().zip(FLEET) {
        converted(r, mac, ext);
    }
    let events = serve.stop();
    // Each phone's stages were done in order, with the load each installed.
    for ((mac, _, _, _), want) in FLEET.iter().zip([
        &[(1, "P003-8-12-00"), (2, TARGET)][..],
        &[(1, TARGET)][..],
        &[(1, TARGET)][..],
    ]) {
        let done: Vec<(u64, &str)> = of_mac(&events, "stage_done", mac)
            .iter()
            .map(|v| (v["stage"].as_u64().unwrap(), v["load"].as_str().unwrap()))
            .collect();
        let want: Vec<(u64, &str)> = want.iter().map(|(s, l)| (*s as u64, *l)).collect();
        assert_eq!(done, want, "{mac}");
        assert!(of_mac(&events, "stuck", mac).is_empty(), "{mac}");
    }
    // The summary: every phone on its route, all stages done, finished.
    let summary = events
        .iter()
        .find(|v| v["event"] == "summary")
        .unwrap_or_else(|| panic!("no summary: {events:?}"));
    for (mac, _, _, _) in FLEET {
        let p = summary["phones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["mac"] == mac)
            .unwrap_or_else(|| panic!("{mac} not in {summary}"));
        assert_eq!(p["finished"], true, "{p}");
        assert_eq!(p["ladder"]["completed"], true, "{p}");
        assert!(p["ladder"]["route"].as_str().unwrap().contains('-'), "{p}");
    }
    assert_eq!(summary["unseen"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_not_in_the_session_gets_the_common_stage_and_the_hint() {
    let Some(ips) = addresses(64, 1) else { return };
    let bench = Bench::new();
    bench.prepare();
    let serve = bench.serve();
    let stranger = "00:1e:4a:00:00:99";
    let mut p = phone(stranger, "P00308010200", &serve, ips[0]);
    let r = p.run().await.unwrap_or_else(|e| panic!("stuck: {e}"));
    // The stage most phones are on (each route has one phone: the first).
    assert_eq!(r.image, "P003-8-12-00", "{r:?}");
    let events = serve.stop();
    let answered = of_mac(&events, "answered", stranger);
    assert!(
        answered
            .iter()
            .any(|v| v["why"].as_str().unwrap().contains("not in the session")),
        "{answered:?}"
    );
    let summary = events.iter().find(|v| v["event"] == "summary").unwrap();
    let j = summary["phones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["mac"] == stranger)
        .unwrap();
    assert_eq!(j["known"], false);
    assert!(
        j["hints"].to_string().contains("Add it (MAC 001E4A000099)"),
        "{j}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_stuck_on_a_missing_file_is_reported_within_three_attempts() {
    let Some(ips) = addresses(65, 1) else { return };
    let bench = Bench::new();
    let prepared = bench.prepare();
    let folder = prepared["ladder"]["folders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["route"].as_str().unwrap().starts_with("R3-"))
        .unwrap()["folder"]
        .as_str()
        .unwrap()
        .to_string();
    fs::remove_file(bench.root().join(&folder).join(format!("{TARGET}.sb2"))).unwrap();
    let serve = bench.serve();
    let (mac, _, installed, _) = FLEET[1];
    let mut p = phone(mac, installed, &serve, ips[0]);
    for attempt in 1..=3 {
        let e = p.run().await.expect_err("the image is missing");
        assert!(matches!(e, SimError::MissingImage { .. }), "{e}");
        let stuck = serve.wait_event(Duration::from_secs(if attempt < 3 { 1 } else { 5 }), |v| {
            v["event"] == "stuck" && v["mac"] == mac
        });
        if attempt < 3 {
            assert!(stuck.is_none(), "stuck after {attempt} attempts: {stuck:?}");
        } else {
            let stuck = stuck.expect("stuck after three attempts");
            let reason = stuck["reason"].as_str().unwrap();
            assert_eq!(stuck["file"], format!("{TARGET}.sb2"));
            assert!(reason.contains(&folder), "{reason}");
            assert!(reason.contains("asked 3 times"), "{reason}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_serve_mid_ladder_resumes_where_each_phone_was() {
    let Some(ips) = addresses(66, 1) else { return };
    let bench = Bench::new();
    bench.prepare();
    let (mac, _, installed, ext) = FLEET[0];
    let serve = bench.serve();
    // Two boots: the loader from stage 1, then the application from stage
    // 2; the phone is flashing it when the server goes away.
    let mut p = phone(mac, installed, &serve, ips[0]);
    p.max_boots = 2;
    assert!(matches!(p.run().await, Err(SimError::BootLoop(2))));
    assert_eq!(p.installed, TARGET);
    // The server has taken the last acknowledgement before it goes away.
    let sb2 = format!("{TARGET}.sb2");
    serve
        .wait_event(Duration::from_secs(5), |v| {
            v["event"] == "done" && v["file"] == sb2
        })
        .expect("the application was fetched");
    let first = serve.stop();
    assert_eq!(of_mac(&first, "stage_done", mac).len(), 1, "{first:?}");
    let state = bench.root().join(convert79xx::phones::STATE_NAME);
    assert!(state.is_file(), "where the phones are is kept in the root");

    let serve = bench.serve();
    p.server = serve.addr;
    p.max_boots = 6;
    converted(&p.run().await, mac, ext);
    let second = serve.stop();
    let done: Vec<u64> = of_mac(&second, "stage_done", mac)
        .iter()
        .map(|v| v["stage"].as_u64().unwrap())
        .collect();
    assert_eq!(done, [2], "stage 2 done on its return, stage 1 not again");
    let answered = of_mac(&second, "answered", mac);
    assert!(
        !answered.is_empty() && answered.iter().all(|v| v["stage"] == 2),
        "never answered from stage 1 again: {answered:?}"
    );
    let requested_loader = second.iter().any(|v| {
        v["event"] == "request" && v["file"].as_str().unwrap().starts_with("P003-8-12-00")
    });
    assert!(!requested_loader, "no stage-1 image fetched again");
}
