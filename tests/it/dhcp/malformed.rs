//! Hostile DHCP packets: truncated, with another magic cookie, with
//! options running past the end, and 1,000 random ones. None gets an
//! answer, and the server still answers a phone afterwards.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use convert79xx::dhcp::message::discover;
use convert79xx::dhcp::{CLIENT_PORT, DhcpEvent, SERVER_PORT, bind_on_interface, parse_answer};
use convert79xx::host::Ipv4Interface;
use convert79xx::model::Mac;

use super::{NsServer, bench_or_skip};

const CISCO: &[u8] = b"Cisco Systems, Inc. IP Phone CP-7960G\0";
/// RFC 2131 §2: where the magic cookie and the options start.
const COOKIE_AT: usize = 236;
const OPTIONS_AT: usize = 240;

/// Hand-made bad packets, each built from a real Cisco DISCOVER.
fn malformed(mac: Mac) -> Vec<(String, Vec<u8>)> {
    let good = discover(mac, 0x1234, Some(CISCO));
    let end = good.iter().rposition(|b| *b == 255).unwrap();
    let mut cases: Vec<(String, Vec<u8>)> = (0..=end)
        .map(|len| (format!("truncated to {len} bytes"), good[..len].to_vec()))
        .collect();
    for (i, cookie) in [[0, 0, 0, 0], [99, 130, 83, 98], [0x63, 0x53, 0x82, 0x63]]
        .into_iter()
        .enumerate()
    {
        let mut p = good.clone();
        p[COOKIE_AT..OPTIONS_AT].copy_from_slice(&cookie);
        cases.push((format!("wrong magic cookie {i}"), p));
    }
    // Every option in turn claims more bytes than are left.
    let mut at = OPTIONS_AT;
    while good[at] != 255 {
        let mut p = good[..=end].to_vec();
        p[at + 1] = 255;
        cases.push((
            format!("option {} length past the end", good[at]),
            p.clone(),
        ));
        // And the same with the END byte gone.
        p.truncate(end);
        cases.push((format!("option {} past the end, no END", good[at]), p));
        at += 2 + good[at + 1] as usize;
    }
    let mut no_end = good[..end].to_vec();
    no_end.extend([0u8; 60]);
    cases.push(("options never closed by END".into(), no_end));
    let mut reply = good.clone();
    reply[0] = 2;
    cases.push(("a BOOTREPLY".into(), reply));
    for hlen in [0u8, 5, 7, 16, 17, 255] {
        let mut p = good.clone();
        p[2] = hlen;
        cases.push((format!("hardware address length {hlen}"), p));
    }
    let mut relayed = good.clone();
    relayed[24..28].copy_from_slice(&[10, 9, 8, 7]);
    cases.push(("relayed (giaddr set)".into(), relayed));
    cases
}

/// 1,000 random packets (seeded, so a failure replays): random bytes of
/// random length, and a real header and cookie followed by random options.
fn random_packets(mac: Mac) -> Vec<Vec<u8>> {
    let mut rng = fastrand::Rng::with_seed(0xD4C9);
    let header = &discover(mac, 0x4321, Some(CISCO))[..OPTIONS_AT];
    (0..1000)
        .map(|i| {
            let len = rng.usize(0..=600);
            let mut tail = vec![0u8; len];
            rng.fill(&mut tail);
            if i % 2 == 0 {
                tail
            } else {
                [header, &tail].concat()
            }
        })
        .collect()
}

#[test]
fn malformed_and_random_packets_get_no_answer_and_do_not_stop_the_server() {
    let Some(bench) = bench_or_skip(&[]) else {
        return;
    };
    bench.address_client(250).unwrap();
    let mut server = NsServer::start(&bench, |c| c.probe_time = Duration::from_secs(1))
        .unwrap_or_else(|(e, _)| panic!("server did not start: {e}"));
    let hostile_mac: Mac = "02:00:00:ba:d0:01".parse().unwrap();
    let phone_mac: Mac = "00:1e:4a:00:00:01".parse().unwrap();
    let iface = Ipv4Interface {
        name: bench.client_if.clone(),
        addr: bench.ip(250),
        netmask: Ipv4Addr::new(255, 255, 255, 0),
        index: None,
    };
    let cases = malformed(hostile_mac);
    let randoms = random_packets(hostile_mac);
    let count = cases.len() + randoms.len();
    let (answers, offer) = bench
        .client
        .spawn(move || async move {
            let socket = bind_on_interface(&iface, CLIENT_PORT).unwrap();
            let to = SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT);
            for (what, packet) in &cases {
                socket
                    .send_to(packet, to)
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
            }
            for packet in &randoms {
                socket.send_to(packet, to).await.unwrap();
            }
            let mut answers = vec![];
            let mut buf = vec![0u8; 2048];
            // Anything answered arrives long before this.
            while let Ok(Ok((n, from))) =
                tokio::time::timeout(Duration::from_secs(2), socket.recv_from(&mut buf)).await
            {
                answers.push((from, buf[..n].to_vec()));
            }
            // Still serving: a phone gets its offer.
            socket
                .send_to(&discover(phone_mac, 77, Some(CISCO)), to)
                .await
                .unwrap();
            let offer = tokio::time::timeout(Duration::from_secs(5), socket.recv_from(&mut buf))
                .await
                .ok()
                .and_then(|r| r.ok())
                .and_then(|(n, _)| parse_answer(&buf[..n]));
            (answers, offer)
        })
        .join()
        .unwrap();
    assert!(
        answers.is_empty(),
        "{} of {count} hostile packets were answered: {:?}",
        answers.len(),
        answers
            .iter()
            .map(|(from, p)| (from, parse_answer(p)))
            .collect::<Vec<_>>()
    );
    let offer = offer.expect("the server answers a phone after the hostile packets");
    assert_eq!(offer.mac, Some(phone_mac));
    let events = server.collect();
    assert!(
        events.iter().all(|e| match e {
            DhcpEvent::DhcpOffer { mac, .. } | DhcpEvent::DhcpAck { mac, .. } => *mac == phone_mac,
            DhcpEvent::DhcpIgnored { mac, .. } => *mac == hostile_mac,
            _ => true,
        }),
        "{events:?}"
    );
    let ignored = events
        .iter()
        .filter(|e| matches!(e, DhcpEvent::DhcpIgnored { .. }))
        .count();
    assert!(ignored <= 1, "one line per ignored MAC: {ignored}");
}
