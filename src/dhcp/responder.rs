//! What the server answers to each packet, apart from any socket: the
//! Cisco filter, the leases, and the events.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

use dhcproto::v4::MessageType;
use tokio::sync::mpsc::UnboundedSender;

use super::events::DhcpEvent;
use super::message::{ClientMessage, ServerIdentity, destination, nak, parse_request, reply};
use super::pool::{Leases, MAX_LEASES};
use super::vendor::{VendorClass, is_cisco_phone};
use crate::model::Mac;

/// A reply and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub bytes: Vec<u8>,
    pub to: SocketAddrV4,
}

pub struct Responder {
    server: ServerIdentity,
    leases: Leases,
    lease_time: Duration,
    session_macs: HashSet<Mac>,
    /// MACs already reported ignored or pool-full: one line each, not one per packet.
    reported: HashSet<(Mac, bool)>,
    events: UnboundedSender<DhcpEvent>,
}

impl Responder {
    pub fn new(
        server: ServerIdentity,
        leases: Leases,
        lease_time: Duration,
        session_macs: &[Mac],
        events: UnboundedSender<DhcpEvent>,
    ) -> Self {
        Responder {
            server,
            leases,
            lease_time,
            session_macs: session_macs.iter().copied().collect(),
            reported: HashSet::new(),
            events,
        }
    }

    fn emit(&self, event: DhcpEvent) {
        let _ = self.events.send(event);
    }

    /// Reports something about `mac` once per run (`pool_full` tells the
    /// two kinds apart); beyond [`MAX_LEASES`] MACs it stays quiet.
    fn emit_once(&mut self, mac: Mac, pool_full: bool, event: DhcpEvent) {
        if self.reported.len() < MAX_LEASES && self.reported.insert((mac, pool_full)) {
            self.emit(event);
        }
    }

    /// Whether this server answers the client: a Cisco phone by its vendor
    /// class, a phone of the session, or one it already gave an address.
    fn answers(&self, message: &ClientMessage) -> bool {
        message.vendor.as_deref().is_some_and(is_cisco_phone)
            || self.session_macs.contains(&message.mac)
            || self.leases.get(message.mac).is_some()
    }

    /// The reply to one packet, if it gets one. Malformed packets and
    /// clients this server does not serve get none.
    pub fn handle(&mut self, packet: &[u8], now: Instant) -> Option<Outgoing> {
        let message = parse_request(packet)?;
        let mac = message.mac;
        let vendor = message.vendor.as_deref().map(VendorClass::from_bytes);
        if !self.answers(&message) {
            self.emit_once(mac, false, DhcpEvent::DhcpIgnored { mac, vendor });
            return None;
        }
        match message.kind {
            MessageType::Discover => {
                let Some(ip) = self.leases.offer(mac, message.requested_ip, now) else {
                    self.emit_once(mac, true, DhcpEvent::DhcpPoolFull { mac });
                    return None;
                };
                self.emit(DhcpEvent::DhcpOffer { mac, ip, vendor });
                Some(self.answer(&message, MessageType::Offer, ip))
            }
            MessageType::Request => {
                if message.server_id.is_some_and(|s| s != self.server.addr) {
                    // It took another server's offer (only possible when forced).
                    return None;
                }
                let asked = message
                    .requested_ip
                    .or(Some(message.ciaddr).filter(|ip| !ip.is_unspecified()))?;
                match self.leases.request(mac, asked, self.lease_time, now) {
                    Some(ip) => {
                        self.emit(DhcpEvent::DhcpAck {
                            mac,
                            ip,
                            vendor,
                            lease_secs: self.lease_time.as_secs(),
                        });
                        Some(self.answer(&message, MessageType::Ack, ip))
                    }
                    None => {
                        self.emit(DhcpEvent::DhcpNak { mac, ip: asked });
                        Some(Outgoing {
                            bytes: nak(&message, self.server.addr),
                            to: destination(&message, MessageType::Nak),
                        })
                    }
                }
            }
            MessageType::Release => {
                if self.leases.release(mac, message.ciaddr, now) {
                    self.emit(DhcpEvent::DhcpRelease {
                        mac,
                        ip: message.ciaddr,
                    });
                }
                None
            }
            MessageType::Decline => {
                let ip = message.requested_ip?;
                if self.leases.decline(mac, ip) {
                    self.emit(DhcpEvent::DhcpDecline { mac, ip });
                }
                None
            }
            MessageType::Inform if !message.ciaddr.is_unspecified() => {
                Some(self.answer(&message, MessageType::Ack, Ipv4Addr::UNSPECIFIED))
            }
            _ => None,
        }
    }

    fn answer(&self, message: &ClientMessage, kind: MessageType, ip: Ipv4Addr) -> Outgoing {
        let lease = (!ip.is_unspecified()).then_some(self.lease_time);
        Outgoing {
            bytes: reply(message, kind, ip, lease, &self.server),
            to: destination(message, kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dhcp::message::{discover, parse_answer, request};
    use crate::dhcp::pool::Pool;
    use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

    const CISCO: &[u8] = b"Cisco Systems, Inc. IP Phone\0";
    const SERVER: Ipv4Addr = Ipv4Addr::new(192, 168, 10, 1);

    fn responder(session: &[Mac]) -> (Responder, UnboundedReceiver<DhcpEvent>) {
        let (tx, rx) = unbounded_channel();
        let pool: Pool = "192.168.10.100-192.168.10.110".parse().unwrap();
        let server = ServerIdentity {
            addr: SERVER,
            netmask: Ipv4Addr::new(255, 255, 255, 0),
            router: Some(Ipv4Addr::new(192, 168, 10, 254)),
        };
        let r = Responder::new(
            server,
            Leases::new(pool, vec![SERVER]),
            Duration::from_secs(600),
            session,
            tx,
        );
        (r, rx)
    }

    fn drain(rx: &mut UnboundedReceiver<DhcpEvent>) -> Vec<DhcpEvent> {
        std::iter::from_fn(|| rx.try_recv().ok()).collect()
    }

    #[test]
    fn a_phone_gets_offer_then_ack() {
        let (mut r, mut rx) = responder(&[]);
        let mac = Mac::new([0, 0x1e, 0x4a, 1, 2, 3]);
        let now = Instant::now();
        let offer = r.handle(&discover(mac, 1, Some(CISCO)), now).unwrap();
        let o = parse_answer(&offer.bytes).unwrap();
        assert_eq!(o.kind, MessageType::Offer);
        let ack = r
            .handle(&request(mac, 2, o.yiaddr, SERVER, Some(CISCO)), now)
            .unwrap();
        let a = parse_answer(&ack.bytes).unwrap();
        assert_eq!((a.kind, a.yiaddr), (MessageType::Ack, o.yiaddr));
        let events = drain(&mut rx);
        assert!(matches!(events[0], DhcpEvent::DhcpOffer { .. }));
        assert!(matches!(
            events[1],
            DhcpEvent::DhcpAck {
                lease_secs: 600,
                ..
            }
        ));
        // A request naming another server's offer is not answered.
        assert_eq!(
            r.handle(
                &request(
                    mac,
                    3,
                    o.yiaddr,
                    Ipv4Addr::new(192, 168, 10, 2),
                    Some(CISCO)
                ),
                now
            ),
            None
        );
    }

    #[test]
    fn others_are_ignored_once_session_phones_are_served() {
        let session_phone = Mac::new([0, 0x1e, 0x4a, 9, 9, 9]);
        let (mut r, mut rx) = responder(&[session_phone]);
        let laptop = Mac::new([0x3c, 0x22, 0xfb, 1, 2, 3]);
        let now = Instant::now();
        for xid in 0..5 {
            assert_eq!(
                r.handle(&discover(laptop, xid, Some(b"MSFT 5.0")), now),
                None
            );
        }
        assert_eq!(drain(&mut rx).len(), 1, "one line per ignored MAC");
        assert!(r.handle(&discover(session_phone, 1, None), now).is_some());
    }

    #[test]
    fn a_request_for_someone_elses_address_is_refused() {
        let (mut r, mut rx) = responder(&[]);
        let a = Mac::new([0, 0x1e, 0x4a, 0, 0, 1]);
        let b = Mac::new([0, 0x1e, 0x4a, 0, 0, 2]);
        let now = Instant::now();
        let offer =
            parse_answer(&r.handle(&discover(a, 1, Some(CISCO)), now).unwrap().bytes).unwrap();
        let nak = r
            .handle(&request(b, 2, offer.yiaddr, SERVER, Some(CISCO)), now)
            .unwrap();
        assert_eq!(parse_answer(&nak.bytes).unwrap().kind, MessageType::Nak);
        assert_eq!(nak.to.ip(), &Ipv4Addr::BROADCAST);
        assert!(
            drain(&mut rx)
                .iter()
                .any(|e| matches!(e, DhcpEvent::DhcpNak { .. }))
        );
    }
}
