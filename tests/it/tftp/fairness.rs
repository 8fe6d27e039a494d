//! Issue 20, "TFTP fairness": what one client, or many addresses, can make
//! the server do, tried on loopback with 127.0.0.x playing the clients,
//! against the real service and with real clients (tftp-hpa `tftp`, our
//! `tftp::client`). Every flood is bounded in count and time.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use convert79xx::tftp::client::{FetchOptions, fetch};
use convert79xx::tftp::{RunningService, ServeConfig, TftpService};

use crate::support::packet::{self, Incoming};
use crate::support::serve::Serve;
use crate::support::{block_on, random_bytes};

const IMAGE: &str = "P0S3-8-12-00.sb2";

fn socket_at(ip: [u8; 4], wait_ms: u64) -> UdpSocket {
    let s = UdpSocket::bind(SocketAddr::from((ip, 0))).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(wait_ms)))
        .unwrap();
    s
}

fn recv(s: &UdpSocket) -> Option<Incoming> {
    let mut buf = [0u8; 2048];
    let (n, _) = s.recv_from(&mut buf).ok()?;
    Some(Incoming::parse(&buf[..n]))
}

fn busy(answer: &Option<Incoming>) -> bool {
    matches!(answer, Some(Incoming::Error { code: 0, msg }) if msg.contains("busy"))
}

/// A service on 127.0.0.1 serving a 200 KB image and a config.
fn service(dir: &Path, configure: impl FnOnce(&mut ServeConfig)) -> RunningService {
    std::fs::write(dir.join(IMAGE), random_bytes(20, 200_000)).unwrap();
    std::fs::write(dir.join("SIP000E84C060A6.cnf"), random_bytes(21, 3000)).unwrap();
    let mut config = ServeConfig::new(dir);
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.port = 0;
    configure(&mut config);
    TftpService::start(config).unwrap()
}

/// One address opening hundreds of transfers it never acknowledges gets
/// at most half the cap and "busy" for the rest; a phone at another
/// address (tftp-hpa, then our client) is served meanwhile. Before: the
/// flood took every transfer and the phones got "busy".
#[test]
fn one_address_flooding_transfers_leaves_room_for_the_phones() {
    if !crate::support::have_program("tftp") {
        crate::support::skip("`tftp` (tftp-hpa) is not installed; this fairness test did not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let service = service(dir.path(), |c| {
        c.max_transfers = Some(40);
        c.timeout = Duration::from_millis(500);
        c.max_retries = 5;
    });
    let addr = service.local_addr();

    // 300 requests from 127.0.0.2, each from its own port, never ACKed
    // (each waits for its answer, so none is lost in a full socket queue).
    let flood: Vec<UdpSocket> = (0..300).map(|_| socket_at([127, 0, 0, 2], 1000)).collect();
    let answers: Vec<Option<Incoming>> = flood
        .iter()
        .map(|s| {
            s.send_to(&packet::rrq(IMAGE, &[]), addr).unwrap();
            recv(s)
        })
        .collect();
    let started = answers
        .iter()
        .filter(|a| matches!(a, Some(Incoming::Data { block: 1, .. })))
        .count();
    let refused = answers.iter().filter(|a| busy(a)).count();
    assert_eq!(started + refused, 300, "{started} started, {refused} busy");
    assert!(started <= 20, "one address holds {started} of 40 transfers");

    // While the flood's transfers are held: tftp-hpa from 127.0.0.1.
    let out = dir.path().join("got.sb2");
    let status = Command::new("tftp")
        .args(["127.0.0.1", &addr.port().to_string()])
        .args(["-m", "octet", "-c", "get", IMAGE])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "tftp-hpa was refused during the flood");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(dir.path().join(IMAGE)).unwrap()
    );
    let phone = FetchOptions {
        local_ip: Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3))),
        ..FetchOptions::default()
    };
    let got = block_on(fetch(addr, "SIP000E84C060A6.cnf", &phone)).unwrap();
    assert_eq!(got.data.len(), 3000);
    drop(service);
}

/// One address asking thousands of names in a row is told "busy" past its
/// request rate (a burst of 200, then 50 a second), while another
/// address's fetch goes through. Before: every request was looked up.
#[test]
fn one_address_past_its_request_rate_is_told_busy() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let service = service(dir.path(), |_| {});
    let addr = service.local_addr();
    let s = socket_at([127, 0, 0, 4], 1000);
    let t = Instant::now();
    let mut answers = BTreeMap::new();
    for i in 0..1000 {
        s.send_to(&packet::rrq(&format!("nothing-{i}.cnf"), &[]), addr)
            .unwrap();
        let kind = match recv(&s) {
            Some(Incoming::Error { code: 1, .. }) => "not found",
            a if busy(&a) => "busy",
            other => panic!("{other:?}"),
        };
        *answers.entry(kind).or_insert(0) += 1;
    }
    let allowed = 200.0 + 50.0 * t.elapsed().as_secs_f64();
    let (found, refused) = (
        answers.get("not found").copied().unwrap_or(0),
        answers.get("busy").copied().unwrap_or(0),
    );
    assert!(
        f64::from(found) <= allowed + 1.0,
        "{answers:?} in {:?}",
        t.elapsed()
    );
    assert!(refused >= 500, "{answers:?}");
    let phone = FetchOptions {
        local_ip: Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 5))),
        ..FetchOptions::default()
    };
    assert!(block_on(fetch(addr, "SIP000E84C060A6.cnf", &phone)).is_ok());
    drop(service);
}

/// 40 requests asking blksize 1468 and windowsize 32, each acknowledging
/// only the OACK: each gets its first window once and then its first
/// block per retry, not every retry of the window. (The 2,000 such
/// requests made the server send about 960 MB; here 40 got 40 × 32 × 10
/// blocks, 18.8 MB, before.)
#[test]
fn an_unacknowledged_window_is_not_sent_again_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.sb2"), random_bytes(22, 1 << 20)).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let service = service(dir.path(), |c| {
        c.timeout = Duration::from_millis(200);
        c.max_retries = 9;
    });
    let addr = service.local_addr();
    let (tx, rx) = mpsc::channel();
    let clients: Vec<_> = (0..40u8)
        .map(|i| {
            let tx = tx.clone();
            thread::spawn(move || {
                let s = socket_at([127, 0, 1, 10 + i / 4], 800);
                let opts = [("blksize", "1468"), ("windowsize", "32")];
                s.send_to(&packet::rrq("big.sb2", &opts), addr).unwrap();
                let mut buf = [0u8; 2048];
                let (n, from) = s.recv_from(&mut buf).unwrap();
                assert!(matches!(Incoming::parse(&buf[..n]), Incoming::OAck(_)));
                s.send_to(&packet::ack(0), from).unwrap();
                let (mut blocks, mut bytes) = (0usize, 0usize);
                while let Ok((n, _)) = s.recv_from(&mut buf) {
                    if let Incoming::Data { .. } = Incoming::parse(&buf[..n]) {
                        blocks += 1;
                        bytes += n;
                    }
                }
                tx.send((blocks, bytes)).unwrap();
            })
        })
        .collect();
    drop(tx);
    for c in clients {
        c.join().unwrap();
    }
    let (blocks, bytes) = rx.iter().fold((0, 0), |(b, n), (b2, n2)| (b + b2, n + n2));
    assert!(
        blocks >= 40 * 32,
        "{blocks} blocks: the first windows did not come"
    );
    assert!(
        blocks <= 40 * (32 + 10),
        "{blocks} blocks ({bytes} bytes) for 40 requests that acknowledged nothing but the OACK"
    );
    drop(service);
}

/// A request from an address and port is dropped as a repeat only when it
/// asks the same file in the same mode. A spoofed request arriving first
/// from a phone's address and port (a socket that then closes) must not
/// make the phone's own request, for another file, be dropped and the
/// spoofer's file be what the phone gets. Before: the phone's request was
/// dropped as a "repeat", and the spoofed transfer's next retry delivered
/// the other file to it.
#[test]
fn another_file_from_the_same_address_and_port_is_a_new_request() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.cnf"), random_bytes(23, 700)).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let service = service(dir.path(), |_| {});
    let addr = service.local_addr();
    let port = {
        let spoof = socket_at([127, 0, 0, 60], 100);
        spoof.send_to(&packet::rrq("evil.cnf", &[]), addr).unwrap();
        spoof.local_addr().unwrap().port()
    };
    thread::sleep(Duration::from_millis(100));
    let phone = FetchOptions {
        local_ip: Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 60))),
        local_port: Some(port),
        give_up_after: Duration::from_secs(4),
        ..FetchOptions::default()
    };
    let got = block_on(fetch(addr, "SIP000E84C060A6.cnf", &phone)).unwrap();
    assert_eq!(
        got.data,
        std::fs::read(dir.path().join("SIP000E84C060A6.cnf")).unwrap()
    );
    drop(service);
}

/// 10,000 source addresses, each sending a request that is refused (a
/// hidden name) and a malformed packet, make a bounded log: at most the
/// overall limit of refusal events per 10 s, and one warning that counts
/// the rest. Before: one `denied` and one `rejected` event per address.
#[test]
fn refusals_from_ten_thousand_addresses_make_a_bounded_log() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
    let serve = Serve::start(dir.path());
    let t = Instant::now();
    // Each packet waits for its answer, so none is lost in a full queue.
    for n in 0..10_000u32 {
        let s = socket_at([127, 2, (n >> 8) as u8, n as u8], 1000);
        s.send_to(&packet::rrq(".hidden", &[]), serve.addr).unwrap();
        assert!(matches!(recv(&s), Some(Incoming::Error { .. })));
        s.send_to(b"\x00\x09junk", serve.addr).unwrap();
        assert!(matches!(recv(&s), Some(Incoming::Error { code: 4, .. })));
    }
    let sent_in = t.elapsed();
    // The last packets are handled within a moment.
    thread::sleep(Duration::from_secs(2));
    let events = serve.stop();
    let count = |kind: &str| events.iter().filter(|e| e["event"] == kind).count();
    let refusals = count("denied") + count("rejected");
    let windows = 1 + (sent_in.as_secs() / 10) as usize;
    assert!(
        refusals <= 100 * windows,
        "{refusals} refusal events for 10,000 addresses in {sent_in:?}"
    );
    let warned: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "warning")
        .filter_map(|e| e["text"].as_str())
        .filter(|t| t.contains("not logged one by one"))
        .collect();
    assert!(
        !warned.is_empty(),
        "no warning counted the unlogged refusals"
    );
    assert!(
        events.len() < 1000,
        "{} events for 10,000 addresses",
        events.len()
    );
}

/// With only 256 file descriptors (a hard limit that cannot be raised),
/// a flood of never-acknowledged transfers from 40 addresses is answered
/// with DATA or a clear "busy", never a misleading refusal ("could not be
/// opened safely (Too many open files); was it replaced by a link?"), and
/// each transfer holds the 2 descriptors the cap is computed from. Before:
/// the cap assumed 2 and each held 3, so the descriptors ran out first.
#[cfg(target_os = "linux")]
#[test]
fn out_of_descriptors_is_busy_and_the_cap_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(IMAGE), random_bytes(24, 100_000)).unwrap();
    let serve = Serve::start_with_open_files(dir.path(), 256);
    let fds = || {
        std::fs::read_dir(format!("/proc/{}/fd", serve.pid()))
            .unwrap()
            .count()
    };
    let before = fds();
    let sockets: Vec<UdpSocket> = (0..240)
        .map(|i| socket_at([127, 0, 2, 10 + (i % 40) as u8], 1500))
        .collect();
    let answers: Vec<Option<Incoming>> = sockets
        .iter()
        .map(|s| {
            s.send_to(&packet::rrq(IMAGE, &[]), serve.addr).unwrap();
            recv(s)
        })
        .collect();
    let held = fds() - before;
    let started = answers
        .iter()
        .filter(|a| matches!(a, Some(Incoming::Data { block: 1, .. })))
        .count();
    let refused = answers.iter().filter(|a| busy(a)).count();
    let events = serve.stop();
    // Transfers cut by the stop are `failed: stopped`; nothing else may fail.
    let misleading: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "denied" || (e["event"] == "failed" && e["reason"] != "stopped"))
        .collect();
    assert!(misleading.is_empty(), "{misleading:?}");
    assert_eq!(started + refused, 240, "{started} started, {refused} busy");
    assert!(
        started > 0 && refused > 0,
        "{started} started, {refused} busy"
    );
    assert!(
        held <= 2 * started + 4,
        "{held} descriptors for {started} transfers"
    );
}
