//! The whole conversion as a user runs it, with real processes and real
//! UDP on 127.0.0.1: a session file and synthetic firmware packages on
//! disk, `convert79xx prepare` writing a stage into a TFTP root,
//! `convert79xx serve --json --session` serving it, and simulated
//! 7940/7960 phones booting through it the way docs/boot-sequences.md says.
//! Everything checked comes from what the processes print (the JSON event
//! lines, the journeys summary), the files on disk and what the phones saw.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::model::{Mac, PhoneModel};
use convert79xx::tftp::names::loader_stem;
use convert79xx::tftp::sim::{SimPhone, SimReport, cnf_value, load_information};
use serde_json::Value;

use crate::support::KillOnDrop;

/// One phone of the session and the account it should end up with.
struct Phone {
    mac: &'static str,
    model: PhoneModel,
    extension: &'static str,
    password: &'static str,
    /// Its own loopback address, so the server tells the phones apart.
    ip: Ipv4Addr,
}

const PHONES: [Phone; 2] = [
    Phone {
        mac: "00:1e:4a:12:34:56",
        model: PhoneModel::Cp7940,
        extension: "101",
        password: "s3cret-101",
        ip: Ipv4Addr::new(127, 0, 0, 41),
    },
    Phone {
        mac: "001E.4A12.3457",
        model: PhoneModel::Cp7960,
        extension: "102",
        password: "s3cret-102",
        ip: Ipv4Addr::new(127, 0, 0, 42),
    },
];

impl Phone {
    fn mac(&self) -> Mac {
        self.mac.parse().unwrap()
    }
    fn model_name(&self) -> &'static str {
        match self.model {
            PhoneModel::Cp7940 => "7940",
            _ => "7960",
        }
    }
}

/// The phones need their own addresses: 127.0.0.x beyond .1 exists on
/// Linux, not everywhere.
fn loopback_addresses_exist() -> bool {
    PHONES
        .iter()
        .all(|p| std::net::UdpSocket::bind((p.ip, 0)).is_ok())
}

/// Writes the synthetic packages (real sizes, or a hundredth when
/// `small`) and the session file; returns its path.
fn session(dir: &Path, from: &str, to: &str, loads: &[&str], small: bool) -> std::path::PathBuf {
    let zips: Vec<String> = loads
        .iter()
        .map(|l| {
            let p = SyntheticPackage::for_load(l);
            let p = if small { p.small() } else { p };
            p.zip(dir);
            format!("{:?}", p.zip_name())
        })
        .collect();
    let mut text = format!(
        "[conversion]\nfrom = \"{from}\"\nto = \"{to}\"\nfirmware = [{}]\n\
         [sip]\nproxy = \"192.0.2.10\"\n[sccp]\ncallmanager = \"192.0.2.20\"\n",
        zips.join(", ")
    );
    for p in &PHONES {
        text.push_str(&format!(
            "[[phones]]\nmac = \"{}\"\nmodel = \"{}\"\nlines = [{{ extension = \"{}\", password = \"{}\" }}]\n",
            p.mac,
            p.model_name(),
            p.extension,
            p.password
        ));
    }
    let path = dir.join("session.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `convert79xx prepare SESSION --out ROOT --stage N --json`: the manifest.
fn prepare(session: &Path, root: &Path, stage: usize) -> Value {
    let out = crate::support::convert79xx()
        .arg("prepare")
        .arg(session)
        .arg("--out")
        .arg(root)
        .args(["--stage", &stage.to_string(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "prepare --stage {stage} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("prepare --json prints the manifest")
}

/// A running `convert79xx serve ROOT --bind 127.0.0.1 --port 0 --json --session S`.
struct Server {
    child: KillOnDrop,
    addr: SocketAddr,
    lines: mpsc::Receiver<Value>,
    reader: JoinHandle<()>,
    first: Vec<Value>,
}

impl Server {
    fn start(root: &Path, session: &Path) -> Server {
        let mut child = KillOnDrop::spawn(
            crate::support::convert79xx()
                .arg("serve")
                .arg(root)
                .args(["--bind", "127.0.0.1", "--port", "0", "--json", "--session"])
                .arg(session)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        );
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let line = line.unwrap();
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let listening = match lines.recv_timeout(Duration::from_secs(20)) {
            Ok(v) => v,
            Err(_) => {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "serve said nothing: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        };
        assert_eq!(listening["event"], "listening", "{listening}");
        let addr: SocketAddr = listening["addr"].as_str().unwrap().parse().unwrap();
        assert_ne!(addr.port(), 0);
        Server {
            child,
            addr,
            lines,
            reader,
            first: vec![listening],
        }
    }

    /// SIGINT, a clean exit, and every line it printed.
    fn stop(mut self) -> Vec<Value> {
        let ok = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -INT");
        let out = self.child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "serve exits 0 on SIGINT: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.reader.join().unwrap();
        self.first.extend(self.lines.try_iter());
        self.first
    }
}

/// Boots every phone at once, each from its own address; each must end
/// on a load (`configured` or not, as `configured` says).
async fn boot(phones: Vec<SimPhone>, configured: bool) -> Vec<SimPhone> {
    let tasks: Vec<_> = phones
        .into_iter()
        .map(|mut p| {
            tokio::spawn(async move {
                let r = p.run().await;
                (p, r)
            })
        })
        .collect();
    let mut out = vec![];
    for t in tasks {
        let (p, r) = t.await.unwrap();
        let report: SimReport = r.unwrap_or_else(|e| panic!("{} got stuck: {e}", p.mac));
        assert_eq!(report.configured, configured, "{}: {report:?}", p.mac);
        assert_eq!(report.image, p.installed);
        out.push(p);
    }
    out
}

fn sim_phones(addr: SocketAddr, installed: &str) -> Vec<SimPhone> {
    PHONES
        .iter()
        .map(|p| {
            let mut s = SimPhone::new(p.mac(), p.model, installed, addr);
            s.fetch.local_ip = Some(IpAddr::V4(p.ip));
            s
        })
        .collect()
}

/// The events about one client address, in order.
fn events_of(events: &[Value], ip: Ipv4Addr) -> Vec<&Value> {
    let prefix = format!("{ip}:");
    events
        .iter()
        .filter(|e| e["client"].as_str().is_some_and(|c| c.starts_with(&prefix)))
        .collect()
}

/// Where `done` for `file` (as asked) is in a phone's events.
fn done_at(events: &[&Value], file: &str) -> Option<usize> {
    events
        .iter()
        .position(|e| e["event"] == "done" && e["file"] == file)
}

fn size(root: &Path, name: &str) -> u64 {
    std::fs::metadata(root.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .len()
}

/// The journey of `mac` in the summary line.
fn journey(summary: &Value, mac: Mac) -> &Value {
    let phones = summary["phones"].as_array().expect("summary has phones");
    phones
        .iter()
        .find(|j| j["mac"] == mac.colon())
        .unwrap_or_else(|| panic!("no journey for {mac}: {summary:#}"))
}

/// The stage line and the summary line of a serve run.
fn stage_and_summary(events: &[Value]) -> (&Value, &Value) {
    assert_eq!(events[1]["event"], "stage", "{:#}", events[1]);
    let last = events.last().unwrap();
    assert_eq!(last["event"], "summary", "{last:#}");
    (&events[1], last)
}

/// What every serve run must show for each phone: it fetched the image
/// files its config names, each in full, and ended `configured` as a
/// known phone with nothing failed.
fn check_image_fetched(root: &Path, events: &[Value], p: &Phone, named: &str) -> Vec<usize> {
    let mine = events_of(events, p.ip);
    assert!(
        mine.iter()
            .any(|e| e["event"] == "phone" && e["mac"] == p.mac().colon()),
        "{}: no phone event from {}",
        p.mac,
        p.ip
    );
    // The descriptor when the image has one, the old-style .bin otherwise;
    // then the payload files.
    let mut at = vec![];
    for file in image_files(root, named) {
        let i = done_at(&mine, &file)
            .unwrap_or_else(|| panic!("{}: {file} not fetched: {mine:#?}", p.mac));
        assert_eq!(
            mine[i]["bytes"].as_u64(),
            Some(size(root, &file)),
            "{}: {file} fetched in full",
            p.mac
        );
        at.push(i);
    }
    at
}

/// The files an image's name makes a phone fetch from this root.
fn image_files(root: &Path, image: &str) -> Vec<String> {
    let loads = format!("{image}.loads");
    if root.join(&loads).is_file() {
        let mut files = vec![loads, format!("{image}.sb2")];
        // The loader the SIP image needs (P003-…), or the SCCP image's own.
        files.push(format!("{}.sbn", loader_stem(image)));
        files
    } else {
        vec![format!("{image}.bin")]
    }
}

fn check_journey_configured(summary: &Value, p: &Phone) {
    let j = journey(summary, p.mac());
    assert_eq!(j["phase"], "configured", "{}: {j:#}", p.mac);
    assert_eq!(j["ip"], p.ip.to_string(), "{}: {j:#}", p.mac);
    assert_eq!(j["known"], true, "{}: {j:#}", p.mac);
    assert_eq!(j["failed"], serde_json::json!([]), "{}: {j:#}", p.mac);
    assert_eq!(j["hints"], serde_json::json!([]), "{}: {j:#}", p.mac);
}

/// Issue 2's "done when": SCCP 8.1(2) to SIP 8.12 for a 7940 and a 7960.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sccp_8_1_2_to_sip_8_12_prepared_served_and_booted() {
    if !loopback_addresses_exist() {
        crate::support::skip("this system has no 127.0.0.41/42 loopback addresses for two phones");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = session(
        dir.path(),
        "P00308010200",
        "P0S3-8-12-00",
        &["P0S3-8-12-00"],
        false,
    );
    let root = dir.path().join("tftp");
    let manifest = prepare(&session, &root, 1);
    assert_eq!(manifest["target"], "P0S3-8-12-00");
    assert_eq!(
        (manifest["stage"].as_u64(), manifest["stages"].as_u64()),
        (Some(1), Some(1))
    );

    let server = Server::start(&root, &session);
    let phones = boot(sim_phones(server.addr, "P00308010200"), true).await;
    let events = server.stop();
    let (stage, summary) = stage_and_summary(&events);
    assert_eq!(stage["target"], "P0S3-8-12-00");
    assert_eq!(stage["files"], manifest["expected"]);
    let known: Vec<String> = PHONES.iter().map(|p| p.mac().colon()).collect();
    assert_eq!(stage["known_macs"], serde_json::json!(known));
    assert_eq!(
        summary["phones"].as_array().unwrap().len(),
        2,
        "{summary:#}"
    );

    for (p, sim) in PHONES.iter().zip(&phones) {
        let mac = p.mac().upper();
        assert_eq!(sim.installed, "P0S3-8-12-00", "{mac} runs SIP 8.12");
        // The image its config names: its own SEP<MAC>.cnf.xml, as served.
        let device = format!("SEP{mac}.cnf.xml");
        let xml = std::fs::read_to_string(root.join(&device)).unwrap();
        let named = load_information(&xml, p.model).expect("the config names an image");
        assert_eq!(named, "P0S3-8-12-00", "{device}");
        let image_at = check_image_fetched(&root, &events, p, &named);

        // Back on the new image: the SIP boot, its own SIP<MAC>.cnf last.
        let mine = events_of(&events, p.ip);
        let own = format!("./SIP{mac}.cnf");
        let own_at = done_at(&mine, &own).unwrap_or_else(|| panic!("{own} not fetched"));
        let default_at = done_at(&mine, "SIPDefault.cnf").expect("SIPDefault.cnf fetched");
        let last_image = *image_at.iter().max().unwrap();
        assert!(
            last_image < default_at && default_at < own_at,
            "{mac}: image, then SIPDefault.cnf, then {own}: {mine:#?}"
        );
        assert_eq!(mine[own_at]["bytes"].as_u64(), Some(size(&root, &own[2..])));
        // No other phone's files went to this one.
        for other in PHONES.iter().filter(|o| o.mac != p.mac) {
            let theirs = other.mac().upper();
            assert!(
                !mine
                    .iter()
                    .any(|e| e["file"].as_str().is_some_and(|f| f.contains(&theirs))),
                "{mac} was sent {theirs}'s files"
            );
        }
        // ... carrying its own account.
        let cnf = std::fs::read_to_string(root.join(&own[2..])).unwrap();
        assert_eq!(
            cnf_value(&cnf, "image_version").as_deref(),
            Some("P0S3-8-12-00")
        );
        assert_eq!(cnf_value(&cnf, "line1_name").as_deref(), Some(p.extension));
        assert_eq!(
            cnf_value(&cnf, "line1_password").as_deref(),
            Some(p.password)
        );
        assert_eq!(
            cnf_value(&cnf, "proxy1_address").as_deref(),
            Some("192.0.2.10")
        );

        check_journey_configured(summary, p);
        let j = journey(summary, p.mac());
        let fetched: Vec<&str> = j["fetched"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(fetched.contains(&&own[2..]), "{fetched:?}");
        assert!(fetched.contains(&"P0S3-8-12-00.sb2"), "{fetched:?}");
        assert_eq!(j["image"], "P0S3-8-12-00");
    }
}

/// A two-stage route (R5, SIP 4.x to SCCP 8.1(2) through SCCP 6.3): stage 1
/// served, the phones settle on SCCP 6.3; `prepare --stage 2` into the same
/// root, served again, and they reach SCCP 8.1(2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stage_route_sip_4_to_sccp_8_1_2_through_6_3() {
    if !loopback_addresses_exist() {
        crate::support::skip("this system has no 127.0.0.41/42 loopback addresses for two phones");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = session(
        dir.path(),
        "P0S3-04-4-00",
        "P00308010200",
        &["P00306030100", "P00308010200"],
        true,
    );
    let root = dir.path().join("tftp");

    // Stage 1: the old SIP load reads OS79XX.TXT and takes SCCP 6.3's .bin.
    let manifest = prepare(&session, &root, 1);
    assert_eq!(manifest["route"], "R5");
    assert_eq!(
        (manifest["stage"].as_u64(), manifest["stages"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(manifest["target"], "P00306030100");
    let server = Server::start(&root, &session);
    // Stage 1 also writes the XML configs naming SCCP 6.3: on SCCP 6.3 the
    // phones read them and stay there, configured, until stage 2
    // (docs/routes.md §4.4).
    let phones = boot(sim_phones(server.addr, "P0S3-04-4-00"), true).await;
    let events = server.stop();
    let (stage, summary) = stage_and_summary(&events);
    assert_eq!(stage["target"], "P00306030100");
    assert_eq!(stage["stages"], 2);
    let os79xx = std::fs::read_to_string(root.join("OS79XX.TXT")).unwrap();
    assert_eq!(
        os79xx.trim(),
        "P00306030100",
        "OS79XX.TXT names stage 1's image"
    );
    for (p, sim) in PHONES.iter().zip(&phones) {
        assert_eq!(sim.installed, "P00306030100", "{} runs SCCP 6.3", p.mac);
        let mine = events_of(&events, p.ip);
        let os_at = done_at(&mine, "OS79XX.TXT").expect("OS79XX.TXT fetched");
        let image_at = check_image_fetched(&root, &events, p, "P00306030100");
        assert!(os_at < image_at[0], "{}: OS79XX.TXT, then the image", p.mac);
        // Back on SCCP 6.3: its own XML config, naming the load it runs.
        let device = format!("SEP{}.cnf.xml", p.mac().upper());
        let xml = std::fs::read_to_string(root.join(&device)).unwrap();
        assert_eq!(
            load_information(&xml, p.model).as_deref(),
            Some("P00306030100")
        );
        assert!(
            mine.iter()
                .skip(image_at[0])
                .any(|e| e["event"] == "done" && e["file"] == device),
            "{}: {mine:#?}",
            p.mac
        );
        check_journey_configured(summary, p);
        assert_eq!(journey(summary, p.mac())["image"], "P00306030100");
    }
    // Stage 2 into the same root: stage 1's configs move aside.
    let manifest = prepare(&session, &root, 2);
    assert_eq!(manifest["target"], "P00308010200");
    assert_eq!(manifest["stage"], 2);
    assert!(
        manifest["backup_dir"].is_string(),
        "stage 1's files that name SCCP 6.3 are moved aside: {manifest:#}"
    );
    let server = Server::start(&root, &session);
    let installed = &phones[0].installed;
    let phones = boot(sim_phones(server.addr, installed), true).await;
    let events = server.stop();
    let (stage, summary) = stage_and_summary(&events);
    assert_eq!(stage["target"], "P00308010200");
    assert_eq!(stage["stage"], 2);
    for (p, sim) in PHONES.iter().zip(&phones) {
        assert_eq!(sim.installed, "P00308010200", "{} runs SCCP 8.1(2)", p.mac);
        let device = format!("SEP{}.cnf.xml", p.mac().upper());
        let xml = std::fs::read_to_string(root.join(&device)).unwrap();
        let named = load_information(&xml, p.model).expect("the config names an image");
        assert_eq!(named, "P00308010200", "{device}");
        let image_at = check_image_fetched(&root, &events, p, &named);
        // Back on the new image: its config once more, after the image.
        let mine = events_of(&events, p.ip);
        let last_config = mine
            .iter()
            .rposition(|e| e["event"] == "done" && e["file"] == device)
            .unwrap();
        assert!(
            *image_at.iter().max().unwrap() < last_config,
            "{}: image, then {device} again: {mine:#?}",
            p.mac
        );
        check_journey_configured(summary, p);
        assert_eq!(journey(summary, p.mac())["image"], "P00308010200");
    }
}
