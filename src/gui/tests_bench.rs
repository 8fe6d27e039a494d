//! The Network step's bench mode, for real: the wizard runs inside a network
//! namespace (its thread and every thread it starts), checks for other DHCP
//! servers on the bench interface, and while serving hands a simulated 7960
//! in the other namespace its address; the lease table and the Serve step
//! show it. Needs root for the namespaces (skips loudly otherwise).

use std::net::Ipv4Addr;
use std::time::Duration;

use convert79xx::dhcp::sim::boot_phones;
use convert79xx::host::Ipv4Interface;
use convert79xx::model::Mac;
use egui_kittest::kittest::Queryable;

use super::app::Step;
use super::tests::{english, harness, readme_shot, wait_until};

// Shared with the integration tests; not every helper is used here.
#[allow(dead_code)]
#[path = "../../tests/it/support/netns.rs"]
mod netns;
#[path = "../../tests/it/support/skip.rs"]
mod skip;

const VENDOR: &[u8] = b"Cisco Systems, Inc. IP Phone CP-7960G\0";

#[test]
fn bench_mode_checks_the_wire_hands_out_an_address_and_shows_the_lease() {
    let bench = match netns::Bench::new() {
        Ok(b) => b,
        Err(why) => {
            skip::skip(format!(
                "cannot make network namespaces here (needs root): {why}"
            ));
            return;
        }
    };
    bench.address_client(250).unwrap();
    bench.server.enter();
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("OS79XX.TXT"), "P0S3-8-12-00\n").unwrap();

    let mut h = harness(english());
    let server_ip = std::net::IpAddr::V4(bench.ip(1));
    {
        let app = h.state_mut();
        assert!(
            app.work
                .interfaces
                .iter()
                .any(|i| std::net::IpAddr::V4(i.addr) == server_ip),
            "the wizard lists the namespace's interfaces: {:?}",
            app.work.interfaces
        );
        app.input.address = Some(server_ip);
        app.input.tftp_dir = root.path().display().to_string();
        app.work.serve.port = "0".into();
        app.step = Step::Network;
    }
    h.run_steps(2);
    h.get_by_label("Bench: this computer hands out addresses")
        .click();
    h.run_steps(2);
    h.get_by_label(&format!("Interface: {} ({server_ip})", bench.server_if));
    h.get_by_label("Leases appear here once serving has started on the Serve step.");
    h.get_by_label("Check for other DHCP servers").click();
    wait_until(&mut h, "the check", |app| app.work.bench.probe.is_some());
    h.get_by_label("No other DHCP server answered: this computer can hand out the addresses.");
    // The force checkbox sits behind its warning.
    assert!(
        h.query_by_label("Skip the check for other DHCP servers")
            .is_none()
    );
    h.get_by_label("If you know better").click();
    h.run_steps(2);
    h.get_by_label_contains("gives PCs wrong addresses");
    h.get_by_label("Skip the check for other DHCP servers");

    h.state_mut().step = Step::Serve;
    h.run_steps(1);
    h.get_by_label("Start serving").click();
    wait_until(&mut h, "the DHCP server to start", |app| {
        app.work
            .serve
            .log
            .iter()
            .any(|l| l.contains("DHCP: serving Cisco phones on"))
    });
    // Issue 21 item 11: serving, the Serve step does not say "once
    // serving has started".
    assert_eq!(
        h.query_all_by_label_contains("once serving has started")
            .count(),
        0
    );
    h.get_by_label_contains("No phone has asked for an address yet");

    let mac = Mac::new([0x00, 0x1e, 0x4a, 0x12, 0x34, 0x56]);
    let client = Ipv4Interface {
        name: bench.client_if.clone(),
        addr: bench.ip(250),
        netmask: Ipv4Addr::new(255, 255, 255, 0),
        index: None,
    };
    let phone = bench.client.spawn(move || async move {
        boot_phones(
            &client,
            &[mac],
            VENDOR,
            Duration::from_secs(1),
            Duration::from_secs(10),
        )
        .await
    });
    let outcome = phone.join().unwrap().expect("the phone's socket");
    let lease = outcome.leases.first().expect("the phone got an address");
    let ip = lease.ack.yiaddr.to_string();
    wait_until(&mut h, "the lease in the table and the phone row", |app| {
        app.work.bench.leases.len() == 1 && app.work.serve.phones.iter().any(|p| p.ip == ip)
    });
    // The Serve step: the phone's row at its leased address, and the lease.
    for text in ["00:1E:4A:12:34:56", ip.as_str()] {
        let shown = h.query_all_by_label(text).count();
        assert!(
            shown >= 2,
            "the phone's row and its lease show {text} ({shown})"
        );
    }
    h.get_by_label("Cisco Systems, Inc. IP Phone CP-7960G (loader era)");
    // The Network step's table shows the same.
    h.state_mut().step = Step::Network;
    h.run_steps(2);
    h.get_by_label("Cisco Systems, Inc. IP Phone CP-7960G (loader era)");
    h.get_by_label(&ip);
    readme_shot(&mut h, "screenshot-bench");

    h.state_mut().step = Step::Serve;
    h.run_steps(1);
    h.get_by_label("Stop").click();
    wait_until(&mut h, "the service to stop", |app| {
        app.work.serve.handle.is_none()
    });
}
