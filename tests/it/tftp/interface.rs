//! Serving one interface only (issue 15): the service bound to the
//! wildcard with an interface chosen answers requests for that interface's
//! address and drops the others, with one log line per sender; a refused
//! specific-address bind falls back to that; the report says how it bound.
//! Linux: datagrams' destinations come from IP_PKTINFO, and the namespace
//! test needs `ip` and root.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Duration;

use convert79xx::host::Ipv4Interface;
use convert79xx::host::find_interface;
use convert79xx::tftp::client::{FetchOptions, fetch};
use convert79xx::tftp::{ServeConfig, TftpEvent, TftpService};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::support::netns::Bench;
use crate::support::{have_program, random_bytes, skip};

const FILE: &str = "OS79XX.TXT";

fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE), random_bytes(15, 3000)).unwrap();
    dir
}

fn lo() -> Ipv4Interface {
    let lo = find_interface("lo").expect("Linux has lo");
    assert_eq!(lo.addr, Ipv4Addr::LOCALHOST, "{lo:?}");
    lo
}

/// The wildcard, kept to `iface`.
fn kept_to(root: &Path, iface: Ipv4Interface) -> ServeConfig {
    let mut c = ServeConfig::new(root);
    c.bind = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    c.interface = Some(iface);
    c.port = 0;
    c.timeout = Duration::from_millis(300);
    c.max_retries = 3;
    c
}

/// Sends a read request from `from` to `to`; whether anything came back
/// within 1.5 s (a server's retransmissions come every 0.3 s here).
fn answered(from: IpAddr, to: SocketAddr) -> bool {
    let sock = UdpSocket::bind((from, 0)).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut rrq = vec![0, 1];
    rrq.extend_from_slice(FILE.as_bytes());
    rrq.extend_from_slice(b"\0octet\0");
    sock.send_to(&rrq, to).unwrap();
    let mut buf = [0u8; 600];
    sock.recv_from(&mut buf).is_ok()
}

async fn fetch_ok(server: SocketAddr) {
    let opts = FetchOptions {
        give_up_after: Duration::from_secs(3),
        ..FetchOptions::default()
    };
    let got = fetch(server, FILE, &opts)
        .await
        .unwrap_or_else(|e| panic!("{server}: {e}"));
    assert_eq!(got.data.len(), 3000);
}

fn drain(rx: &mut UnboundedReceiver<TftpEvent>) -> Vec<TftpEvent> {
    let mut seen = vec![];
    while let Ok(e) = rx.try_recv() {
        seen.push(e);
    }
    seen
}

fn how(events: &[TftpEvent]) -> String {
    match events.first() {
        Some(TftpEvent::Listening { how, .. }) => how.to_string(),
        other => panic!("first event {other:?}"),
    }
}

fn dropped(events: &[TftpEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            TftpEvent::Rejected { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wildcard_kept_to_lo_answers_127_0_0_1_and_drops_127_0_0_2() {
    let dir = root();
    let mut svc = TftpService::start(kept_to(dir.path(), lo())).unwrap();
    let mut rx = svc.take_events().unwrap();
    let port = svc.local_addr().port();
    assert!(
        svc.local_addr().ip().is_unspecified(),
        "{}",
        svc.local_addr()
    );

    fetch_ok(SocketAddr::from(([127, 0, 0, 1], port))).await;
    if have_program("tftp") {
        let out_dir = tempfile::tempdir().unwrap();
        let out = out_dir.path().join("got");
        let mut child = crate::support::KillOnDrop::spawn(
            std::process::Command::new("tftp")
                .args(["127.0.0.1", &port.to_string()])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null()),
        );
        use std::io::Write;
        writeln!(
            child.stdin.take().unwrap(),
            "mode octet\nget {FILE} {}\nquit",
            out.display()
        )
        .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(std::fs::read(&out).unwrap().len(), 3000, "tftp-hpa's copy");
    } else {
        skip("tftp-hpa's `tftp` is not installed (the client check of this test)");
    }
    // 127.0.0.2 is on lo too, but it is not the chosen address.
    let other = SocketAddr::from(([127, 0, 0, 2], port));
    assert!(!answered(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9)), other));
    assert!(!answered(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9)), other));
    svc.shutdown().await;

    let events = drain(&mut rx);
    assert_eq!(
        how(&events),
        format!(
            "Listening on 0.0.0.0:{port}, answering only on lo (127.0.0.1) (requests for other addresses are dropped and logged once per sender)"
        )
    );
    // One line for the sender, however many it sent.
    assert_eq!(
        dropped(&events),
        ["sent to 127.0.0.2, not to the served interface lo (127.0.0.1) (dropped, not answered)"],
        "{events:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_bind_falls_back_to_the_wildcard_and_says_why() {
    let dir = root();
    let mut config = kept_to(dir.path(), lo());
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.refuse_specific_binds = true;
    let mut svc = TftpService::start(config).unwrap();
    let mut rx = svc.take_events().unwrap();
    let port = svc.local_addr().port();
    assert!(
        svc.local_addr().ip().is_unspecified(),
        "{}",
        svc.local_addr()
    );
    assert!(
        svc.report().to_string().starts_with(&format!(
            "Listening on 0.0.0.0:{port}, answering only on lo (127.0.0.1)"
        )),
        "{}",
        svc.report()
    );
    fetch_ok(SocketAddr::from(([127, 0, 0, 1], port))).await;
    assert!(!answered(
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        SocketAddr::from(([127, 0, 0, 3], port))
    ));
    svc.shutdown().await;
    let events = drain(&mut rx);
    let warning = events
        .iter()
        .find_map(|e| match e {
            TftpEvent::Warning { text } => Some(text.clone()),
            _ => None,
        })
        .expect("the fallback is said");
    assert!(
        warning.contains("Linux refused port 0 on 127.0.0.1 alone"),
        "{warning}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interface_address_alone_is_bound_on_linux() {
    let dir = root();
    let mut config = kept_to(dir.path(), lo());
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let svc = TftpService::start(config).unwrap();
    let local = svc.local_addr();
    assert_eq!(local.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert_eq!(
        svc.report().to_string(),
        format!("Listening on {local}, answering only on lo (127.0.0.1)")
    );
    fetch_ok(local).await;
    svc.shutdown().await;
}

/// The "done when" of issue 15: served on 0.0.0.0 with lo chosen, a
/// request to an address on another interface (a veth end in a namespace
/// this test makes) gets no answer, from this computer or from the other
/// end; the request to 127.0.0.1 does. Then the veth chosen instead is
/// served to the other end (so the silence was the filter's).
#[test]
fn only_the_chosen_interface_is_answered_across_namespaces() {
    let bench = match Bench::new() {
        Ok(b) => b,
        Err(why) => {
            skip(format_args!("no network namespaces here ({why})"));
            return;
        }
    };
    bench.address_client(2).unwrap();
    let veth_ip = bench.ip(1);
    let client_ip = IpAddr::V4(bench.ip(2));
    let server_if = bench.server_if.clone();
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let server = bench.server.spawn(move || async move {
        let dir = root();
        let mut events = vec![];
        for iface in [lo(), find_interface(&server_if).expect("the veth end")] {
            let mut svc = TftpService::start(kept_to(dir.path(), iface)).unwrap();
            let mut rx = svc.take_events().unwrap();
            let port = svc.local_addr().port();
            port_tx.send(port).unwrap();
            if events.is_empty() {
                // lo chosen: from inside, 127.0.0.1 is answered and the
                // veth's address is not.
                fetch_ok(SocketAddr::from(([127, 0, 0, 1], port))).await;
                let veth = SocketAddr::new(IpAddr::V4(veth_ip), port);
                assert!(
                    !answered(IpAddr::V4(Ipv4Addr::UNSPECIFIED), veth),
                    "{veth} answered with lo chosen"
                );
            }
            // The other end's turn (the service runs on a thread of its own).
            done_rx.recv().unwrap();
            svc.shutdown().await;
            events.push(drain(&mut rx));
        }
        events
    });

    // lo chosen: the other end asks the veth's address, in vain.
    let port = port_rx.recv().unwrap();
    let to = SocketAddr::new(IpAddr::V4(veth_ip), port);
    let asked = bench
        .client
        .spawn(move || async move { answered(client_ip, to) })
        .join()
        .unwrap();
    assert!(!asked, "{to} answered the other end with lo chosen");
    done_tx.send(()).unwrap();

    // The veth chosen: the other end is served.
    let port = port_rx.recv().unwrap();
    let to = SocketAddr::new(IpAddr::V4(veth_ip), port);
    bench
        .client
        .spawn(move || async move { fetch_ok(to).await })
        .join()
        .unwrap();
    done_tx.send(()).unwrap();

    let events = server.join().unwrap();
    let with_lo = &events[0];
    assert!(how(with_lo).contains("answering only on lo (127.0.0.1)"));
    let drops = dropped(with_lo);
    assert!(
        drops.iter().any(|d| d.starts_with(&format!(
            "sent to {veth_ip}, not to the served interface lo"
        ))),
        "{with_lo:#?}"
    );
    assert!(
        events[1]
            .iter()
            .any(|e| matches!(e, TftpEvent::Done { client, .. } if client.ip() == client_ip)),
        "{:#?}",
        events[1]
    );
}
