//! Issue 20, bench DHCP: a hostile client on the bench's wire tries to
//! starve the pool or take a phone's address, and a real phone is still
//! served. Each attack is bounded in packets and time; the attacker is a
//! socket in the client namespace, the phone `dhcp::sim` or busybox
//! `udhcpc`, the server the real `DhcpServer` in the server namespace.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::{Duration, Instant};

use convert79xx::dhcp::message::{discover, request};
use convert79xx::dhcp::sim::{SimOutcome, boot_phones};
use convert79xx::dhcp::{
    CLIENT_PORT, DhcpEvent, SERVER_PORT, ServerAnswer, bind_on_interface, parse_answer,
};
use convert79xx::host::Ipv4Interface;
use convert79xx::model::Mac;
use dhcproto::v4::MessageType;
use tokio::net::UdpSocket;

use super::{NsServer, bench_or_skip, udhcpc, var, wait_env, write_script};
use crate::support::netns::Bench;

const CISCO: &[u8] = b"Cisco Systems, Inc. IP Phone CP-7960G\0";
/// RFC 2131 §2: ciaddr, and where the options start.
const CIADDR_AT: usize = 12;
const OPTIONS_AT: usize = 240;

/// `count` random locally administered MACs (seeded: a failure replays).
fn random_macs(seed: u64, count: usize) -> Vec<Mac> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|_| {
            let mut b = [0u8; 6];
            rng.fill(&mut b);
            b[0] = (b[0] | 0x02) & !0x01;
            Mac::new(b)
        })
        .collect()
}

/// A REQUEST rewritten into another message type (DECLINE, RELEASE):
/// the same chaddr, option 50 and option 54.
fn retyped(mut packet: Vec<u8>, kind: MessageType, ciaddr: Ipv4Addr) -> Vec<u8> {
    let mut at = OPTIONS_AT;
    while packet[at] != 53 {
        assert_ne!(packet[at], 255, "a message type option");
        at += 2 + packet[at + 1] as usize;
    }
    packet[at + 2] = u8::from(kind);
    packet[CIADDR_AT..CIADDR_AT + 4].copy_from_slice(&ciaddr.octets());
    packet
}

/// The client end as an interface with the address `.last` (which the
/// caller has put on it).
fn client_iface(bench: &Bench, last: u8) -> Ipv4Interface {
    Ipv4Interface {
        name: bench.client_if.clone(),
        addr: bench.ip(last),
        netmask: Ipv4Addr::new(255, 255, 255, 0),
        index: None,
    }
}

/// A socket sending from `ip` on the client end (an address of its own,
/// not the phone's); it hears no broadcasts, the test reads the server's
/// events instead.
fn attacker_socket(iface: &str, ip: Ipv4Addr) -> UdpSocket {
    let s = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::DGRAM,
        Some(socket2::Protocol::UDP),
    )
    .unwrap();
    s.set_broadcast(true).unwrap();
    s.bind_device(Some(iface.as_bytes())).unwrap();
    s.bind(&SocketAddr::V4(SocketAddrV4::new(ip, 0)).into())
        .unwrap();
    s.set_nonblocking(true).unwrap();
    UdpSocket::from_std(s.into()).unwrap()
}

const BROADCAST: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT);

/// Answers arriving on `socket` until none came for `quiet` or `cap` did.
async fn answers(socket: &UdpSocket, quiet: Duration, cap: usize) -> Vec<ServerAnswer> {
    let mut got = vec![];
    let mut buf = vec![0u8; 2048];
    while got.len() < cap {
        match tokio::time::timeout(quiet, socket.recv_from(&mut buf)).await {
            Ok(Ok((n, _))) => got.extend(parse_answer(&buf[..n])),
            _ => break,
        }
    }
    got
}

/// One phone booting after the attack, retrying every second for `within`.
async fn phone_boots(iface: &Ipv4Interface, phone: Mac, within: Duration) -> SimOutcome {
    boot_phones(iface, &[phone], CISCO, Duration::from_secs(1), within)
        .await
        .unwrap()
}

fn server_for(bench: &Bench, session: Vec<Mac>) -> NsServer {
    NsServer::start(bench, move |c| {
        c.force = true;
        c.session_macs = session;
    })
    .unwrap_or_else(|(e, _)| panic!("server did not start: {e}"))
}

#[test]
fn five_thousand_discovers_from_random_macs_leave_the_session_phone_an_address() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    bench.address_client(250).unwrap();
    let phone: Mac = "00:1e:4a:00:20:01".parse().unwrap();
    let mut server = server_for(&bench, vec![phone]);
    let iface = client_iface(&bench, 250);
    let started = Instant::now();
    let outcome = bench
        .client
        .spawn(move || async move {
            let socket = bind_on_interface(&iface, CLIENT_PORT).unwrap();
            for (i, mac) in random_macs(0xF100D, 5000).into_iter().enumerate() {
                socket
                    .send_to(&discover(mac, i as u32, Some(CISCO)), BROADCAST)
                    .await
                    .unwrap();
            }
            let offers = answers(&socket, Duration::from_millis(500), 5000).await;
            drop(socket);
            (
                offers.len(),
                phone_boots(&iface, phone, Duration::from_secs(8)).await,
            )
        })
        .join()
        .unwrap();
    let (offers, outcome) = outcome;
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        outcome.leases.len(),
        1,
        "after {offers} offers to the flood, the session's phone got no address; the server said {:?}",
        server.collect().iter().rev().take(5).collect::<Vec<_>>()
    );
    let full = server
        .collect()
        .iter()
        .filter(|e| matches!(e, DhcpEvent::DhcpPoolFull { .. }))
        .count();
    assert!(full <= 1, "a full pool is said once a minute: {full} times");
}

#[test]
fn discover_request_pairs_from_random_macs_leave_the_session_phone_an_address() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    bench.address_client(250).unwrap();
    let phone: Mac = "00:1e:4a:00:20:02".parse().unwrap();
    let mut server = server_for(&bench, vec![phone]);
    let server_ip = bench.ip(1);
    let iface = client_iface(&bench, 250);
    let (acked, outcome) = bench
        .client
        .spawn(move || async move {
            let socket = bind_on_interface(&iface, CLIENT_PORT).unwrap();
            let macs = random_macs(0x9A125, 120);
            for (i, mac) in macs.iter().enumerate() {
                socket
                    .send_to(&discover(*mac, i as u32, Some(CISCO)), BROADCAST)
                    .await
                    .unwrap();
            }
            let offers = answers(&socket, Duration::from_millis(700), macs.len()).await;
            for o in offers.iter().filter(|o| o.kind == MessageType::Offer) {
                let packet = request(o.mac.unwrap(), o.xid, o.yiaddr, server_ip, Some(CISCO));
                socket.send_to(&packet, BROADCAST).await.unwrap();
            }
            let acks = answers(&socket, Duration::from_millis(700), macs.len()).await;
            drop(socket);
            let acked = acks.iter().filter(|a| a.kind == MessageType::Ack).count();
            (
                acked,
                phone_boots(&iface, phone, Duration::from_secs(8)).await,
            )
        })
        .join()
        .unwrap();
    assert_eq!(
        outcome.leases.len(),
        1,
        "after {acked} leases to random MACs, the session's phone got no address; the server said {:?}",
        server.collect().iter().rev().take(5).collect::<Vec<_>>()
    );
}

#[test]
fn discover_decline_pairs_do_not_empty_the_pool() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    bench.address_client(250).unwrap();
    // Not a phone of the session: nothing is kept for it, the pool must be
    // there for anyone.
    let phone: Mac = "00:1e:4a:00:20:03".parse().unwrap();
    let mut server = server_for(&bench, vec![]);
    let server_ip = bench.ip(1);
    let iface = client_iface(&bench, 250);
    let (declined, outcome) = bench
        .client
        .spawn(move || async move {
            let socket = bind_on_interface(&iface, CLIENT_PORT).unwrap();
            let macs = random_macs(0xDEC1, 100);
            for (i, mac) in macs.iter().enumerate() {
                socket
                    .send_to(&discover(*mac, i as u32, Some(CISCO)), BROADCAST)
                    .await
                    .unwrap();
            }
            let offers = answers(&socket, Duration::from_millis(700), macs.len()).await;
            let mut declined = 0;
            for o in offers.iter().filter(|o| o.kind == MessageType::Offer) {
                let asked = request(o.mac.unwrap(), o.xid, o.yiaddr, server_ip, Some(CISCO));
                let decline = retyped(asked, MessageType::Decline, Ipv4Addr::UNSPECIFIED);
                socket.send_to(&decline, BROADCAST).await.unwrap();
                declined += 1;
            }
            drop(socket);
            tokio::time::sleep(Duration::from_millis(300)).await;
            // The flood's offers run out within seconds; the declines must
            // not keep the pool empty after that (on a server that counted
            // them, until a restart).
            let started = Instant::now();
            let outcome = phone_boots(&iface, phone, Duration::from_secs(15)).await;
            assert!(started.elapsed() < Duration::from_secs(15));
            (declined, outcome)
        })
        .join()
        .unwrap();
    assert!(declined > 0, "the attack got offers to decline");
    let counted = server
        .collect()
        .iter()
        .filter(|e| matches!(e, DhcpEvent::DhcpDecline { .. }))
        .count();
    assert_eq!(counted, 0, "a DECLINE of an offer never taken counted");
    assert_eq!(
        outcome.leases.len(),
        1,
        "after {declined} DISCOVER+DECLINE pairs, a phone got no address; the server said {:?}",
        server.collect().iter().rev().take(5).collect::<Vec<_>>()
    );
}

/// A phone (udhcpc) with a lease; the attacker then gets `.250` on the
/// same wire. Returns the phone's address.
fn leased_phone(bench: &Bench, server: &mut NsServer, dir: &std::path::Path) -> Ipv4Addr {
    let bound = wait_env(dir, "bound", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("udhcpc got no lease; server saw {:?}", server.collect()));
    let ip: Ipv4Addr = var(&bound, "ip").unwrap().parse().unwrap();
    bench.address_client(250).unwrap();
    ip
}

/// Sends `packets` from `.250` (unicast to the server or broadcast).
fn attack_from_250(bench: &Bench, packets: Vec<(Vec<u8>, SocketAddrV4)>) {
    let iface = bench.client_if.clone();
    let from = bench.ip(250);
    bench
        .client
        .spawn(move || async move {
            let socket = attacker_socket(&iface, from);
            for (p, to) in packets {
                socket.send_to(&p, to).await.unwrap();
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .join()
        .unwrap();
}

/// The phone renews (SIGUSR1): Some(address) if the server ACKed it.
fn renewal(phone: &crate::support::KillOnDrop, dir: &std::path::Path) -> Option<String> {
    let pid = nix::unistd::Pid::from_raw(phone.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGUSR1).unwrap();
    let renewed = wait_env(dir, "renew", Duration::from_secs(8))?;
    var(&renewed, "ip").map(str::to_string)
}

#[test]
fn a_spoofed_release_of_a_phones_lease_changes_nothing() {
    let Some(bench) = bench_or_skip(&["busybox"]) else {
        return;
    };
    let mut server = server_for(&bench, vec![]);
    let dir = tempfile::tempdir().unwrap();
    let phone = udhcpc(&bench, &write_script(dir.path()), &[]);
    let ip = leased_phone(&bench, &mut server, dir.path());
    let phone_mac = bench.client_mac();
    let attacker: Mac = "02:00:00:a7:7a:c1".parse().unwrap();
    let server_ip = bench.ip(1);
    let release = retyped(
        request(phone_mac, 7, ip, server_ip, None),
        MessageType::Release,
        ip,
    );
    attack_from_250(
        &bench,
        vec![
            (release, SocketAddrV4::new(server_ip, SERVER_PORT)),
            (discover_asking(attacker, ip), BROADCAST),
            (request(attacker, 9, ip, server_ip, Some(CISCO)), BROADCAST),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    let events = server.collect().to_vec();
    assert!(
        !events.iter().any(|e| matches!(e,
            DhcpEvent::DhcpOffer { ip: i, .. } | DhcpEvent::DhcpAck { ip: i, .. }
                if *i == ip && e_mac(e) == attacker)),
        "the attacker got the phone's {ip}: {events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, DhcpEvent::DhcpRelease { .. })),
        "a RELEASE not from the phone's address counted: {events:?}"
    );
    assert_eq!(
        renewal(&phone, dir.path()).as_deref(),
        Some(ip.to_string().as_str()),
        "the phone's renewal was not ACKed; server saw {:?}",
        server.collect()
    );
}

#[test]
fn a_spoofed_decline_of_a_phones_lease_changes_nothing() {
    let Some(bench) = bench_or_skip(&["busybox"]) else {
        return;
    };
    let mut server = server_for(&bench, vec![]);
    let dir = tempfile::tempdir().unwrap();
    let phone = udhcpc(&bench, &write_script(dir.path()), &[]);
    let ip = leased_phone(&bench, &mut server, dir.path());
    let phone_mac = bench.client_mac();
    let attacker: Mac = "02:00:00:a7:7a:c2".parse().unwrap();
    let server_ip = bench.ip(1);
    // At once after the phone's ACK, while a real phone may still decline.
    let decline = retyped(
        request(phone_mac, 7, ip, server_ip, None),
        MessageType::Decline,
        Ipv4Addr::UNSPECIFIED,
    );
    attack_from_250(
        &bench,
        vec![
            (decline, BROADCAST),
            (discover_asking(attacker, ip), BROADCAST),
            (request(attacker, 9, ip, server_ip, Some(CISCO)), BROADCAST),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    let events = server.collect().to_vec();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, DhcpEvent::DhcpDecline { .. })),
        "a DECLINE not from the phone counted: {events:?}"
    );
    assert!(
        !events.iter().any(|e| matches!(e,
            DhcpEvent::DhcpOffer { ip: i, .. } | DhcpEvent::DhcpAck { ip: i, .. }
                if *i == ip && e_mac(e) == attacker)),
        "the attacker got the phone's {ip}: {events:?}"
    );
    assert_eq!(
        renewal(&phone, dir.path()).as_deref(),
        Some(ip.to_string().as_str()),
        "the phone's renewal was not ACKed; server saw {:?}",
        server.collect()
    );
}

/// A DISCOVER asking for `ip` (option 50), as a client that had it would.
fn discover_asking(mac: Mac, ip: Ipv4Addr) -> Vec<u8> {
    let asked = request(mac, 8, ip, Ipv4Addr::UNSPECIFIED, Some(CISCO));
    retyped(asked, MessageType::Discover, Ipv4Addr::UNSPECIFIED)
}

fn e_mac(e: &DhcpEvent) -> Mac {
    match e {
        DhcpEvent::DhcpOffer { mac, .. }
        | DhcpEvent::DhcpAck { mac, .. }
        | DhcpEvent::DhcpNak { mac, .. }
        | DhcpEvent::DhcpRelease { mac, .. }
        | DhcpEvent::DhcpDecline { mac, .. }
        | DhcpEvent::DhcpIgnored { mac, .. }
        | DhcpEvent::DhcpPoolFull { mac } => *mac,
        _ => Mac::new([0; 6]),
    }
}
