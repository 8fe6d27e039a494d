//! Simulated phones asking for addresses, for tests and benches: any number
//! boot at once from one socket, each DISCOVER → OFFER → REQUEST → ACK,
//! timing every answer.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use dhcproto::v4::MessageType;
use tokio::time::{Instant, timeout_at};

use super::message::{CLIENT_PORT, SERVER_PORT, ServerAnswer, discover, parse_answer, request};
use super::socket::bind_on_interface;
use crate::host::Ipv4Interface;
use crate::model::Mac;

/// A phone's lease and how long its answers took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimLease {
    pub mac: Mac,
    pub ack: ServerAnswer,
    /// From its last DISCOVER to the OFFER.
    pub offer_latency: Duration,
    /// From its last REQUEST to the ACK.
    pub ack_latency: Duration,
    /// From its first DISCOVER to the ACK.
    pub total: Duration,
}

/// How a boot of many phones ended.
#[derive(Debug, Clone, Default)]
pub struct SimOutcome {
    pub leases: Vec<SimLease>,
    /// Phones with no lease when time ran out.
    pub without: Vec<Mac>,
    /// Messages sent again because no answer came within the retry time.
    pub retransmits: usize,
}

enum Phase {
    Discovering,
    Requesting {
        offer: ServerAnswer,
        offer_latency: Duration,
    },
    Done,
}

struct Phone {
    mac: Mac,
    xid: u32,
    phase: Phase,
    first_sent: Instant,
    last_sent: Instant,
}

/// Boots `macs` at once on `iface` with option 60 `vendor`; messages with
/// no answer after `retry` are sent again, and phones still without a
/// lease after `give_up` are listed in [`SimOutcome::without`].
pub async fn boot_phones(
    iface: &Ipv4Interface,
    macs: &[Mac],
    vendor: &[u8],
    retry: Duration,
    give_up: Duration,
) -> io::Result<SimOutcome> {
    let socket = bind_on_interface(iface, CLIENT_PORT)?;
    let to = SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT);
    let base = fastrand::u32(..);
    let start = Instant::now();
    let deadline = start + give_up;
    let mut phones: Vec<Phone> = macs
        .iter()
        .enumerate()
        .map(|(i, mac)| Phone {
            mac: *mac,
            xid: base.wrapping_add(i as u32),
            phase: Phase::Discovering,
            first_sent: start,
            last_sent: start,
        })
        .collect();
    let by_xid: HashMap<u32, usize> = phones.iter().enumerate().map(|(i, p)| (p.xid, i)).collect();
    for phone in &mut phones {
        socket
            .send_to(&discover(phone.mac, phone.xid, Some(vendor)), to)
            .await?;
        phone.first_sent = Instant::now();
        phone.last_sent = phone.first_sent;
    }
    let mut outcome = SimOutcome::default();
    let mut buf = vec![0u8; 2048];
    let mut waiting = phones.len();
    while waiting > 0 {
        let next_retry = phones
            .iter()
            .filter(|p| !matches!(p.phase, Phase::Done))
            .map(|p| p.last_sent + retry)
            .min()
            .unwrap_or(deadline)
            .min(deadline);
        match timeout_at(next_retry, socket.recv_from(&mut buf)).await {
            Ok(Ok((n, _))) => {
                let now = Instant::now();
                let Some(answer) = parse_answer(&buf[..n]) else {
                    continue;
                };
                let Some(&i) = by_xid.get(&answer.xid) else {
                    continue;
                };
                let phone = &mut phones[i];
                if answer.mac != Some(phone.mac) {
                    continue;
                }
                match (&phone.phase, answer.kind) {
                    (Phase::Discovering, MessageType::Offer) => {
                        let server = answer.server_id.unwrap_or(Ipv4Addr::UNSPECIFIED);
                        let packet =
                            request(phone.mac, phone.xid, answer.yiaddr, server, Some(vendor));
                        let offer_latency = now - phone.last_sent;
                        socket.send_to(&packet, to).await?;
                        phone.last_sent = Instant::now();
                        phone.phase = Phase::Requesting {
                            offer: answer,
                            offer_latency,
                        };
                    }
                    (Phase::Requesting { offer_latency, .. }, MessageType::Ack) => {
                        outcome.leases.push(SimLease {
                            mac: phone.mac,
                            ack: answer,
                            offer_latency: *offer_latency,
                            ack_latency: now - phone.last_sent,
                            total: now - phone.first_sent,
                        });
                        phone.phase = Phase::Done;
                        waiting -= 1;
                    }
                    (Phase::Requesting { .. }, MessageType::Nak) => {
                        phone.phase = Phase::Discovering;
                        phone.last_sent = now - retry;
                    }
                    _ => {}
                }
            }
            Ok(Err(e)) => return Err(e),
            Err(_) if Instant::now() >= deadline => break,
            Err(_) => {
                let now = Instant::now();
                for phone in phones.iter_mut().filter(|p| p.last_sent + retry <= now) {
                    let packet = match &phone.phase {
                        Phase::Discovering => discover(phone.mac, phone.xid, Some(vendor)),
                        Phase::Requesting { offer, .. } => request(
                            phone.mac,
                            phone.xid,
                            offer.yiaddr,
                            offer.server_id.unwrap_or(Ipv4Addr::UNSPECIFIED),
                            Some(vendor),
                        ),
                        Phase::Done => continue,
                    };
                    socket.send_to(&packet, to).await?;
                    phone.last_sent = Instant::now();
                    outcome.retransmits += 1;
                }
            }
        }
    }
    outcome.without = phones
        .iter()
        .filter(|p| !matches!(p.phase, Phase::Done))
        .map(|p| p.mac)
        .collect();
    Ok(outcome)
}
