//! Issue 10 with DHCP leases: `serve --dhcp` in a network namespace leases
//! three simulated phones their addresses, and the ladder places each by
//! its lease from its very first request (OS79XX.TXT names no MAC); each
//! converts from its own starting load in one run.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, SocketAddr};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convert79xx::dhcp::sim::boot_phones;
use convert79xx::host::find_interface;
use convert79xx::model::{Mac, PhoneModel};
use convert79xx::tftp::sim::SimPhone;
use serde_json::Value;

use super::{KillOnDrop, bench_or_skip};
use crate::support::serve::bin;
use crate::tftp::ladder::{Bench as Fleet, FLEET, converted, of_mac};

fn wait_line(lines: &Mutex<Vec<Value>>, within: Duration, want: impl Fn(&Value) -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if lines.lock().unwrap().iter().any(&want) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn leased_phones_are_placed_by_their_lease_and_convert_in_one_run() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    let fleet = Fleet::new();
    fleet.prepare();
    let mut child = bench
        .server
        .command(bin().to_str().unwrap())
        .env("LC_ALL", "C")
        .arg("serve")
        .arg(fleet.root())
        .args(["--json", "--dhcp", "--dhcp-interface", &bench.server_if])
        .arg("--session")
        .arg(fleet.session())
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
    assert!(
        wait_line(&lines, Duration::from_secs(20), |v| v["event"]
            == "dhcp_listening"),
        "serve --dhcp did not start: {:?}",
        lines.lock().unwrap()
    );

    // Leases for the three MACs, from an address of the phones' own.
    bench.address_client(2).unwrap();
    let macs: Vec<Mac> = FLEET.iter().map(|f| f.0.parse().unwrap()).collect();
    let client_if = bench.client_if.clone();
    let want = macs.clone();
    let outcome = bench
        .client
        .spawn(move || async move {
            let iface = find_interface(&client_if).expect("the phones' interface");
            boot_phones(
                &iface,
                &want,
                b"Cisco Systems, Inc. IP Phone\0",
                Duration::from_secs(1),
                Duration::from_secs(20),
            )
            .await
        })
        .join()
        .unwrap()
        .expect("the phones ask for leases");
    assert!(outcome.without.is_empty(), "{outcome:?}");
    let mut ips = Vec::new();
    for mac in &macs {
        let lease = outcome.leases.iter().find(|l| l.mac == *mac).unwrap();
        let ip = lease.ack.yiaddr;
        bench.address_client(ip.octets()[3]).unwrap();
        ips.push(ip);
    }
    // The monitor has every lease before the phones ask for a file.
    let deadline = Instant::now() + Duration::from_secs(5);
    while lines
        .lock()
        .unwrap()
        .iter()
        .filter(|v| v["event"] == "dhcp_ack")
        .count()
        < macs.len()
    {
        assert!(Instant::now() < deadline, "three dhcp_ack lines");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Each phone boots from its leased address, all at once.
    let server = SocketAddr::new(IpAddr::V4(bench.ip(1)), 69);
    let reports = bench
        .client
        .spawn(move || async move {
            let mut phones: Vec<SimPhone> = FLEET
                .iter()
                .zip(&ips)
                .map(|((mac, _, installed, _), ip)| {
                    let mut p =
                        SimPhone::new(mac.parse().unwrap(), PhoneModel::Cp7960, installed, server);
                    p.fetch.local_ip = Some(IpAddr::V4(*ip));
                    p.fetch.retransmit_after = Duration::from_millis(500);
                    p.fetch.give_up_after = Duration::from_secs(3);
                    p
                })
                .collect();
            let [a, b, c] = &mut phones[..] else {
                unreachable!()
            };
            let (ra, rb, rc) = tokio::join!(a.run(), b.run(), c.run());
            [ra, rb, rc]
        })
        .join()
        .unwrap();
    for (r, (mac, _, _, ext)) in reports.iter().zip(FLEET) {
        converted(r, mac, ext);
    }
    let pid = nix::unistd::Pid::from_raw(serve.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    reader.join().unwrap();
    let events = lines.lock().unwrap().clone();
    for (mac, _, _, _) in FLEET {
        let answered = of_mac(&events, "answered", mac);
        assert!(!answered.is_empty(), "{mac}: {events:?}");
        // Placed by its lease from the first request on: never the
        // common stage, never by a later per-MAC request.
        assert!(
            answered
                .iter()
                .all(|v| v["why"].as_str().unwrap().contains("its DHCP lease")),
            "{mac}: {answered:?}"
        );
        assert!(!of_mac(&events, "stage_done", mac).is_empty(), "{mac}");
    }
    assert!(
        !events
            .iter()
            .any(|v| v["event"] == "answered"
                && v["why"].as_str().unwrap().contains("not placed yet")),
        "every request placed"
    );
}
