//! `convert79xx serve --dhcp --json` on a bench: a phone (udhcpc posing as
//! a 7960) gets its address, then fetches OS79XX.TXT with tftp-hpa, and
//! the journeys put that file, which names no MAC, under its MAC.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{KillOnDrop, LOADER_ERA_7960, bench_or_skip, udhcpc, var, wait_env, write_script};
use crate::support::serve::bin;

/// Waits up to `within` for a JSON line matching `want`.
fn wait_line(
    lines: &Mutex<Vec<Value>>,
    within: Duration,
    want: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = lines.lock().unwrap().iter().find(|v| want(v)) {
            return Some(v.clone());
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_phone_leased_by_serve_dhcp_fetches_a_file_under_its_mac() {
    let Some(bench) = bench_or_skip(&["busybox", "tftp"]) else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("OS79XX.TXT"), "P0S3-8-12-00\n").unwrap();
    let mut child = bench
        .server
        .command(bin().to_str().unwrap())
        .env("LC_ALL", "C")
        .arg("serve")
        .arg(root.path())
        .args(["--json", "--dhcp", "--dhcp-interface", &bench.server_if])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convert79xx runs");
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let serve = KillOnDrop::new(child);
    let lines = Arc::new(Mutex::new(Vec::<Value>::new()));
    let reader = {
        let lines = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let v = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                lines.lock().unwrap().push(v);
            }
        })
    };
    let listening = wait_line(&lines, Duration::from_secs(20), |v| {
        v["event"] == "dhcp_listening"
    });
    if listening.is_none() {
        drop(serve);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut err).unwrap();
        panic!(
            "no dhcp_listening line; stderr:\n{err}\nstdout: {:?}",
            lines.lock().unwrap()
        );
    }
    let probe = wait_line(&lines, Duration::ZERO, |v| v["event"] == "dhcp_probe").unwrap();
    assert_eq!(probe["result"], "clear");
    assert_eq!(probe["interface"], bench.server_if.as_str());

    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path());
    let _phone = udhcpc(&bench, &script, &["-q"]);
    let bound = wait_env(dir.path(), "bound", Duration::from_secs(15)).expect("a lease");
    let ip = var(&bound, "ip").unwrap().to_string();
    let mac = bench.client_mac().colon();
    for event in ["dhcp_offer", "dhcp_ack"] {
        let v = wait_line(&lines, Duration::from_secs(5), |v| v["event"] == event)
            .unwrap_or_else(|| panic!("no {event} line"));
        assert_eq!(v["mac"], mac.as_str(), "{v}");
        assert_eq!(v["ip"], ip.as_str(), "{v}");
        assert_eq!(v["vendor"], LOADER_ERA_7960, "{v}");
    }

    // The phone, at its leased address, asks for a file naming no MAC.
    let fetched = dir.path().join("OS79XX.TXT");
    let out = bench
        .client
        .command("tftp")
        .arg(bench.ip(1).to_string())
        .args(["-m", "binary", "-c", "get", "OS79XX.TXT"])
        .arg(&fetched)
        .output()
        .expect("tftp runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&fetched).unwrap(), "P0S3-8-12-00\n");
    wait_line(&lines, Duration::from_secs(5), |v| v["event"] == "done").expect("done line");

    let pid = nix::unistd::Pid::from_raw(serve.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    reader.join().unwrap();
    let summary = wait_line(&lines, Duration::ZERO, |v| v["event"] == "summary").expect("summary");
    let phones = summary["phones"].as_array().unwrap();
    assert_eq!(
        phones.len(),
        1,
        "one phone, not one by MAC and one by address: {summary}"
    );
    assert_eq!(phones[0]["mac"], mac.as_str());
    assert_eq!(phones[0]["ip"], ip.as_str());
    assert_eq!(phones[0]["fetched"], serde_json::json!(["OS79XX.TXT"]));
}
