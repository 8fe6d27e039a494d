//! Real DHCP clients against the bench server: busybox `udhcpc` posing as
//! a 7960 gets an address with the TFTP options and keeps it on renewal;
//! ISC `dhclient` (no Cisco vendor class) gets nothing.

use std::process::Stdio;
use std::time::Duration;

use convert79xx::dhcp::DhcpEvent;

use super::{LOADER_ERA_7960, NsServer, bench_or_skip, udhcpc, var, wait_env, write_script};

#[test]
fn udhcpc_as_a_7960_gets_an_address_with_options_150_and_66_and_renews_it() {
    let Some(bench) = bench_or_skip(&["busybox"]) else {
        return;
    };
    let mut server = NsServer::start(&bench, |c| c.probe_time = Duration::from_secs(1))
        .unwrap_or_else(|(e, _)| panic!("server did not start: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path());
    let phone = udhcpc(&bench, &script, &[]);

    let bound = wait_env(dir.path(), "bound", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("udhcpc got no lease; server saw {:?}", server.collect()));
    let ip = var(&bound, "ip").expect("ip");
    let server_ip = bench.ip(1).to_string();
    assert!(ip.starts_with(&format!("198.18.{}.", bench.subnet)), "{ip}");
    assert_ne!(ip, server_ip, "never our own address");
    assert_eq!(var(&bound, "mask"), Some("24"));
    assert_eq!(var(&bound, "serverid"), Some(server_ip.as_str()));
    assert_eq!(var(&bound, "tftp"), Some(server_ip.as_str()), "option 66");
    // udhcpc shows option 150 (unknown to it) as hex: 198.18.x.1.
    let hex150 = format!("c612{:02x}01", bench.subnet);
    assert_eq!(var(&bound, "opt150"), Some(hex150.as_str()), "option 150");
    assert_eq!(var(&bound, "lease"), Some("600"), "a 10-minute lease");
    assert_eq!(var(&bound, "router"), None, "no router unless one is given");

    let mac = bench.client_mac();
    let ack = server
        .wait_for(Duration::from_secs(5), |e| {
            matches!(e, DhcpEvent::DhcpAck { .. })
        })
        .expect("ack event");
    match ack {
        DhcpEvent::DhcpAck {
            mac: m,
            ip: a,
            vendor,
            ..
        } => {
            assert_eq!(m, mac);
            assert_eq!(a.to_string(), ip);
            assert_eq!(vendor.unwrap().as_str(), LOADER_ERA_7960);
        }
        _ => unreachable!(),
    }

    // Renewal (SIGUSR1): a unicast REQUEST from the bound address, answered
    // with the same address.
    let pid = nix::unistd::Pid::from_raw(phone.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGUSR1).unwrap();
    let renewed = wait_env(dir.path(), "renew", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no renewal; server saw {:?}", server.collect()));
    assert_eq!(
        var(&renewed, "ip"),
        Some(ip),
        "the lease renews to the same address"
    );
    drop(phone);

    // The same phone booting again gets the same address again.
    std::fs::remove_file(dir.path().join("bound.env")).unwrap();
    let _again = udhcpc(&bench, &script, &["-q"]);
    let again = wait_env(dir.path(), "bound", Duration::from_secs(15)).expect("second lease");
    assert_eq!(var(&again, "ip"), Some(ip), "same MAC, same address");
    let acks = server
        .collect()
        .iter()
        .filter(|e| matches!(e, DhcpEvent::DhcpAck { .. }))
        .count();
    assert!(acks >= 3, "bound, renewed, bound again: {acks} acks");
}

#[test]
fn dhclient_without_the_cisco_vendor_class_gets_nothing() {
    let Some(bench) = bench_or_skip(&["dhclient"]) else {
        return;
    };
    let mut server = NsServer::start(&bench, |c| c.probe_time = Duration::from_secs(1))
        .unwrap_or_else(|(e, _)| panic!("server did not start: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("dhclient.conf");
    // Give up after 6 s; the default config sends no option 60.
    std::fs::write(&conf, "timeout 6;\ninitial-interval 1;\n").unwrap();
    let lease_file = dir.path().join("dhclient.leases");
    let out = bench
        .client
        .command("dhclient")
        .args(["-1", "-d", "-v", "-cf"])
        .arg(&conf)
        .arg("-lf")
        .arg(&lease_file)
        .arg("-pf")
        .arg(dir.path().join("dhclient.pid"))
        .args(["-sf", "/bin/true", &bench.client_if])
        .stdin(Stdio::null())
        .output()
        .expect("dhclient runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "dhclient must fail to get a lease:\n{log}"
    );
    assert!(log.contains("DHCPDISCOVER"), "it did ask:\n{log}");
    assert!(!log.contains("DHCPOFFER of"), "and got no offer:\n{log}");
    assert!(log.contains("No DHCPOFFERS received"), "{log}");
    let leases = std::fs::read_to_string(&lease_file).unwrap_or_default();
    assert!(!leases.contains("lease {"), "{leases}");

    let mac = bench.client_mac();
    let events = server.collect().to_vec();
    let ignored: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, DhcpEvent::DhcpIgnored { .. }))
        .collect();
    assert_eq!(
        ignored,
        [&DhcpEvent::DhcpIgnored { mac, vendor: None }],
        "one line for the MAC, however many DISCOVERs: {events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, DhcpEvent::DhcpOffer { .. } | DhcpEvent::DhcpAck { .. })),
        "{events:?}"
    );
}
