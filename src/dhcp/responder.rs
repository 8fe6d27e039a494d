//! What the server answers to each packet, apart from any socket: the
//! Cisco filter, the limits, the leases, and the events.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

use dhcproto::v4::MessageType;
use tokio::sync::mpsc::UnboundedSender;

use super::events::{DhcpEvent, Forged};
use super::leases::{Leases, MAX_LEASES};
use super::limits::{Every, Limits};
use super::message::{ClientMessage, ServerIdentity, destination, nak, parse_request, reply};
use super::vendor::{VendorClass, is_cisco_phone};
use crate::model::Mac;

/// How often a line about a flood (a full pool, dropped messages, forged
/// RELEASEs and DECLINEs) may be said: the log stays bounded.
pub const NOTICE_EVERY: Duration = Duration::from_secs(60);

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
    limits: Limits,
    /// MACs already reported ignored: one line each, not one per packet.
    ignored: HashSet<Mac>,
    pool_full: Every,
    dropped: Every,
    forged: Every,
    events: UnboundedSender<DhcpEvent>,
}

impl Responder {
    pub fn new(
        server: ServerIdentity,
        leases: Leases,
        lease_time: Duration,
        events: UnboundedSender<DhcpEvent>,
        now: Instant,
    ) -> Self {
        Responder {
            server,
            limits: Limits::new(leases.pool().size(), now),
            leases,
            lease_time,
            ignored: HashSet::new(),
            pool_full: Every::new(NOTICE_EVERY),
            dropped: Every::new(NOTICE_EVERY),
            forged: Every::new(NOTICE_EVERY),
            events,
        }
    }

    fn emit(&self, event: DhcpEvent) {
        let _ = self.events.send(event);
    }

    /// Whether this server answers the client: a Cisco phone by its vendor
    /// class, a phone of the session, or one it already gave an address.
    fn answers(&self, message: &ClientMessage) -> bool {
        message.vendor.as_deref().is_some_and(is_cisco_phone)
            || self.leases.is_session(message.mac)
            || self.leases.get(message.mac).is_some()
    }

    /// The reply to one packet that came from `from` (its source address),
    /// if it gets one. Malformed packets, clients this server does not
    /// serve and messages over the limits get none.
    pub fn handle(&mut self, packet: &[u8], from: Ipv4Addr, now: Instant) -> Option<Outgoing> {
        let message = parse_request(packet)?;
        let mac = message.mac;
        let vendor = message.vendor.as_deref().map(VendorClass::from_bytes);
        if !self.answers(&message) {
            // Beyond MAX_LEASES MACs it stays quiet.
            if self.ignored.len() < MAX_LEASES && self.ignored.insert(mac) {
                self.emit(DhcpEvent::DhcpIgnored { mac, vendor });
            }
            return None;
        }
        if matches!(
            message.kind,
            MessageType::Discover | MessageType::Request | MessageType::Inform
        ) {
            let known = self.leases.is_session(mac) || self.leases.is_bound(mac, now);
            if !self.limits.allow(mac, known, now) {
                if let Some(dropped) = self.dropped.due(now) {
                    self.emit(DhcpEvent::DhcpDropped { dropped });
                }
                return None;
            }
        }
        match message.kind {
            MessageType::Discover => {
                let Some(ip) = self.leases.offer(mac, message.requested_ip, now) else {
                    if self.pool_full.due(now).is_some() {
                        self.emit(DhcpEvent::DhcpPoolFull { mac });
                    }
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
                // RENEWING or REBINDING: sent from the address it names as its own.
                let renewing = message.ciaddr == asked && from == asked;
                match self
                    .leases
                    .request(mac, asked, renewing, self.lease_time, now)
                {
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
                let ip = message.ciaddr;
                if self.leases.release(mac, ip, from, now) {
                    self.emit(DhcpEvent::DhcpRelease { mac, ip });
                } else {
                    self.not_holder(Forged::Release, mac, ip, from, now);
                }
                None
            }
            MessageType::Decline => {
                let ip = message.requested_ip?;
                if self.leases.decline(mac, ip, from, now) {
                    self.emit(DhcpEvent::DhcpDecline { mac, ip });
                } else {
                    self.not_holder(Forged::Decline, mac, ip, from, now);
                }
                None
            }
            MessageType::Inform if !message.ciaddr.is_unspecified() => {
                Some(self.answer(&message, MessageType::Ack, Ipv4Addr::UNSPECIFIED))
            }
            _ => None,
        }
    }

    /// A RELEASE or DECLINE that did not count: said (once a minute) when
    /// it named a phone's live lease, which is what a forger aims at.
    fn not_holder(&mut self, kind: Forged, mac: Mac, ip: Ipv4Addr, from: Ipv4Addr, now: Instant) {
        let aimed = self.leases.get(mac).is_some_and(|l| l.ip == ip);
        if aimed && self.forged.due(now).is_some() {
            self.emit(DhcpEvent::DhcpNotHolder {
                kind,
                mac,
                ip,
                from,
            });
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
    const NONE: Ipv4Addr = Ipv4Addr::UNSPECIFIED;
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
            Leases::new(pool, vec![SERVER], session),
            Duration::from_secs(600),
            tx,
            Instant::now(),
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
        let offer = r.handle(&discover(mac, 1, Some(CISCO)), NONE, now).unwrap();
        let o = parse_answer(&offer.bytes).unwrap();
        assert_eq!(o.kind, MessageType::Offer);
        let ack = r
            .handle(&request(mac, 2, o.yiaddr, SERVER, Some(CISCO)), NONE, now)
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
                NONE,
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
                r.handle(&discover(laptop, xid, Some(b"MSFT 5.0")), NONE, now),
                None
            );
        }
        assert_eq!(drain(&mut rx).len(), 1, "one line per ignored MAC");
        assert!(
            r.handle(&discover(session_phone, 1, None), NONE, now)
                .is_some()
        );
    }

    #[test]
    fn a_request_for_someone_elses_address_is_refused() {
        let (mut r, mut rx) = responder(&[]);
        let a = Mac::new([0, 0x1e, 0x4a, 0, 0, 1]);
        let b = Mac::new([0, 0x1e, 0x4a, 0, 0, 2]);
        let now = Instant::now();
        let offer = parse_answer(
            &r.handle(&discover(a, 1, Some(CISCO)), NONE, now)
                .unwrap()
                .bytes,
        )
        .unwrap();
        let nak = r
            .handle(&request(b, 2, offer.yiaddr, SERVER, Some(CISCO)), NONE, now)
            .unwrap();
        assert_eq!(parse_answer(&nak.bytes).unwrap().kind, MessageType::Nak);
        assert_eq!(nak.to.ip(), &Ipv4Addr::BROADCAST);
        assert!(
            drain(&mut rx)
                .iter()
                .any(|e| matches!(e, DhcpEvent::DhcpNak { .. }))
        );
    }

    fn mac(n: u16) -> Mac {
        Mac::new([2, 0, 0, 0, (n >> 8) as u8, n as u8])
    }

    #[test]
    fn a_full_pool_is_said_once_a_minute() {
        let (mut r, mut rx) = responder(&[]);
        let t0 = Instant::now();
        let answered = (0..200)
            .filter(|n| {
                r.handle(&discover(mac(*n), 1, Some(CISCO)), NONE, t0)
                    .is_some()
            })
            .count();
        assert_eq!(answered, 11, "the pool holds 11");
        let full = |events: &[DhcpEvent]| {
            events
                .iter()
                .filter(|e| matches!(e, DhcpEvent::DhcpPoolFull { .. }))
                .count()
        };
        assert_eq!(full(&drain(&mut rx)), 1);
        let later = t0 + NOTICE_EVERY;
        r.handle(&discover(mac(500), 1, Some(CISCO)), NONE, later);
        r.handle(&discover(mac(501), 1, Some(CISCO)), NONE, later);
        // The offers ran out: these two got addresses, then it is full again.
        for n in 502..520 {
            r.handle(&discover(mac(n), 1, Some(CISCO)), NONE, later);
        }
        assert_eq!(full(&drain(&mut rx)), 1);
    }

    #[test]
    fn a_flood_from_one_mac_is_cut_and_said_once() {
        let (mut r, mut rx) = responder(&[]);
        let t0 = Instant::now();
        let answered = (0..1000)
            .filter(|xid| {
                r.handle(&discover(mac(1), *xid, Some(CISCO)), NONE, t0)
                    .is_some()
            })
            .count();
        assert_eq!(answered, crate::dhcp::limits::PER_MAC_BURST as usize);
        let events = drain(&mut rx);
        let dropped: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, DhcpEvent::DhcpDropped { .. }))
            .collect();
        assert_eq!(dropped, [&DhcpEvent::DhcpDropped { dropped: 1 }]);
        assert!(events.len() <= 17, "{} lines", events.len());
        // Another phone is still answered.
        assert!(
            r.handle(&discover(mac(2), 1, Some(CISCO)), NONE, t0)
                .is_some()
        );
        // A minute later, the count of what was left unanswered.
        for xid in 0..100 {
            r.handle(&discover(mac(1), xid, Some(CISCO)), NONE, t0 + NOTICE_EVERY);
        }
        let dropped = drain(&mut rx)
            .into_iter()
            .find(|e| matches!(e, DhcpEvent::DhcpDropped { .. }));
        assert!(
            matches!(dropped, Some(DhcpEvent::DhcpDropped { dropped }) if dropped > 900),
            "{dropped:?}"
        );
    }

    #[test]
    fn a_release_from_another_address_is_said_and_changes_nothing() {
        let (mut r, mut rx) = responder(&[]);
        let phone = mac(1);
        let now = Instant::now();
        let o = parse_answer(
            &r.handle(&discover(phone, 1, Some(CISCO)), NONE, now)
                .unwrap()
                .bytes,
        )
        .unwrap();
        r.handle(&request(phone, 2, o.yiaddr, SERVER, Some(CISCO)), NONE, now)
            .unwrap();
        let release = {
            let mut p = request(phone, 3, o.yiaddr, SERVER, None);
            let m = parse_request(&p).unwrap();
            assert_eq!(m.kind, MessageType::Request);
            // ciaddr = the phone's address, message type RELEASE
            p[12..16].copy_from_slice(&o.yiaddr.octets());
            let at = p.windows(3).position(|w| w == [53, 1, 3]).unwrap();
            p[at + 2] = 7;
            p
        };
        let forger = Ipv4Addr::new(192, 168, 10, 50);
        assert_eq!(r.handle(&release, forger, now), None);
        let events = drain(&mut rx);
        assert!(
            events.contains(&DhcpEvent::DhcpNotHolder {
                kind: Forged::Release,
                mac: phone,
                ip: o.yiaddr,
                from: forger,
            }),
            "{events:?}"
        );
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, DhcpEvent::DhcpRelease { .. }))
        );
        // From the phone's own address, it counts.
        assert_eq!(r.handle(&release, o.yiaddr, now), None);
        assert!(
            drain(&mut rx)
                .iter()
                .any(|e| matches!(e, DhcpEvent::DhcpRelease { .. }))
        );
    }
}
