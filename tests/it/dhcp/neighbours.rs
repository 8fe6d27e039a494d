//! Issue 20: a phone is placed before its first answer by what the
//! operating system's neighbour table says is at its address, even when
//! the table has no entry yet (the server asks the network). In network
//! namespaces joined by a veth pair: the phone's MAC is its veth end's.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, SocketAddr};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::model::PhoneModel;
use convert79xx::tftp::sim::SimPhone;
use serde_json::Value;

use super::{KillOnDrop, bench_or_skip};
use crate::support::serve::bin;

fn run(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The phone knows the server's MAC already (a permanent entry), so it
/// sends no ARP request the server could learn from; the server's table
/// is empty. Its first request names no MAC (SIP 6.3 asks OS79XX.TXT),
/// yet it is answered from its own stage, placed by the neighbour table.
/// Failed before the fix: "not placed yet", answered from the stage most
/// phones are on (the table was read, never asked).
#[test]
fn a_phone_is_placed_by_the_neighbour_table_before_its_first_answer() {
    let Some(bench) = bench_or_skip(&["ip"]) else {
        return;
    };
    let phone_mac = bench.client_mac();
    let dir = tempfile::tempdir().unwrap();
    let zip = SyntheticPackage::sip_8_12().small();
    zip.zip(dir.path());
    // The phone on SIP 6.3 (R8) and another on SCCP 5.0 (R2): their
    // stages' shared files differ.
    let session = dir.path().join("session.toml");
    std::fs::write(
        &session,
        format!(
            "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nfirmware = [{:?}]\n\
             [sip]\nproxy = \"192.0.2.10\"\n[sccp]\ncallmanager = \"192.0.2.20\"\n\
             [[phones]]\nmac = \"00:1e:4a:00:00:01\"\nfrom = \"sccp 5.0(1.1)\"\n\
             [[phones]]\nmac = \"{}\"\nfrom = \"sip 6.3\"\nlines = [{{ extension = \"203\", password = \"pw\" }}]\n",
            zip.zip_name(),
            phone_mac.colon()
        ),
    )
    .unwrap();
    let root = dir.path().join("tftp");
    let prepared = crate::support::convert79xx()
        .args(["prepare"])
        .arg(&session)
        .arg("--out")
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        prepared.status.success(),
        "{}",
        String::from_utf8_lossy(&prepared.stderr)
    );

    let mut child = bench
        .server
        .command(bin().to_str().unwrap())
        .env("LC_ALL", "C")
        .arg("serve")
        .arg(&root)
        .arg("--json")
        .arg("--session")
        .arg(&session)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("convert79xx runs");
    let stdout = child.stdout.take().unwrap();
    let serve = KillOnDrop::new(child);
    let lines = Arc::new(Mutex::new(Vec::<Value>::new()));
    let reader = {
        let lines = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str(&line) {
                    lines.lock().unwrap().push(v);
                }
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !lines
        .lock()
        .unwrap()
        .iter()
        .any(|v| v["event"] == "listening")
    {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    bench.address_client(2).unwrap();
    let server_ip = bench.ip(1);
    let server_mac = run(bench
        .server
        .command("cat")
        .arg(format!("/sys/class/net/{}/address", bench.server_if)));
    run(bench.client.command("ip").args([
        "neigh",
        "replace",
        &server_ip.to_string(),
        "lladdr",
        &server_mac,
        "dev",
        &bench.client_if,
        "nud",
        "permanent",
    ]));
    run(bench
        .server
        .command("ip")
        .args(["neigh", "flush", "dev", &bench.server_if]));

    let server = SocketAddr::new(IpAddr::V4(server_ip), 69);
    let phone_ip = bench.ip(2);
    let report = bench
        .client
        .spawn(move || async move {
            let mut p = SimPhone::new(phone_mac, PhoneModel::Cp7960, "P0S3-06-3-00", server);
            p.fetch.local_ip = Some(IpAddr::V4(phone_ip));
            p.fetch.retransmit_after = Duration::from_millis(500);
            p.fetch.give_up_after = Duration::from_secs(3);
            p.run().await
        })
        .join()
        .unwrap();
    let report = report.unwrap_or_else(|e| panic!("stuck: {e}"));
    assert_eq!(report.image, "P0S3-8-12-00", "{report:?}");
    let pid = nix::unistd::Pid::from_raw(serve.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    reader.join().unwrap();
    let events = lines.lock().unwrap().clone();
    let mine = |v: &&Value| {
        v["client"]
            .as_str()
            .is_some_and(|c| c.starts_with(&format!("{phone_ip}:")))
    };
    let first = events
        .iter()
        .filter(mine)
        .find(|v| v["event"] != "phone")
        .expect("a request");
    assert_eq!(first["event"], "answered", "{events:?}");
    assert!(
        first["why"]
            .as_str()
            .unwrap()
            .contains("neighbour (ARP) table"),
        "{first}"
    );
    assert!(
        first["route"].as_str().unwrap().starts_with("R8-"),
        "{first}"
    );
    assert!(
        !events.iter().filter(mine).any(|v| v["event"] == "unplaced"),
        "{events:?}"
    );
}
