//! Never a second DHCP server by accident: with `dnsmasq` serving the same
//! wire, the bench server refuses to start and names it; forced, it starts.

use std::process::Stdio;
use std::time::{Duration, Instant};

use convert79xx::dhcp::probe::PROBE_TIME;
use convert79xx::dhcp::{DhcpEvent, ProbeResult};

use super::{KillOnDrop, NsServer, bench_or_skip};

#[test]
fn another_server_on_the_wire_makes_the_probe_refuse() {
    let Some(bench) = bench_or_skip(&["dnsmasq"]) else {
        return;
    };
    // The office server lives in the other namespace, at .2.
    bench.address_client(2).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("dnsmasq.log");
    let range = format!("{},{},255.255.255.0,2m", bench.ip(50), bench.ip(60));
    let dnsmasq = bench
        .client
        .command("dnsmasq")
        .args(["--keep-in-foreground", "--port=0", "--conf-file=/dev/null"])
        .args([
            "--bind-interfaces",
            "--user=root",
            "--log-dhcp",
            "--log-facility=-",
        ])
        .arg(format!("--interface={}", bench.client_if))
        .arg(format!("--dhcp-range={range}"))
        .arg(format!(
            "--dhcp-leasefile={}",
            dir.path().join("leases").display()
        ))
        .arg(format!("--pid-file={}", dir.path().join("pid").display()))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("dnsmasq runs");
    let _dnsmasq = KillOnDrop::new(dnsmasq);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("DHCP, IP range")
    {
        assert!(Instant::now() < deadline, "dnsmasq did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let refused = NsServer::start(&bench, |_| {});
    let other = bench.ip(2);
    let (message, events) = match refused {
        Ok(_) => panic!(
            "started next to dnsmasq:\n{}",
            std::fs::read_to_string(&log).unwrap()
        ),
        Err(e) => e,
    };
    assert!(message.contains(&other.to_string()), "{message}");
    assert!(message.contains("off the office network"), "{message}");
    assert!(message.contains("--dhcp-force"), "{message}");
    assert_eq!(
        events,
        [DhcpEvent::DhcpProbe {
            interface: bench.server_if.clone(),
            result: ProbeResult::OtherServer,
            server: Some(other),
        }]
    );

    // Forced, it starts without asking.
    let mut forced = NsServer::start(&bench, |c| c.force = true)
        .unwrap_or_else(|(e, _)| panic!("forced start failed: {e}"));
    assert!(matches!(
        forced.collect().first(),
        Some(DhcpEvent::DhcpProbe {
            result: ProbeResult::Skipped,
            ..
        })
    ));
}

#[test]
fn a_quiet_wire_probes_clear() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    let started = Instant::now();
    let mut server = NsServer::start(&bench, |_| {})
        .unwrap_or_else(|(e, _)| panic!("server did not start: {e}"));
    assert!(
        started.elapsed() >= PROBE_TIME,
        "it listened {:?}",
        started.elapsed()
    );
    let events = server.collect();
    assert_eq!(
        events[0],
        DhcpEvent::DhcpProbe {
            interface: bench.server_if.clone(),
            result: ProbeResult::Clear,
            server: None,
        }
    );
    assert!(matches!(
        &events[1],
        DhcpEvent::DhcpListening { addr, pool, .. }
            if *addr == bench.ip(1) && *pool == format!("{}-{}", bench.ip(100), bench.ip(199))
    ));
}
