//! Who holds which address of the pool, in memory for one run.
//!
//! A phone that asks again gets the address it had, and addresses nobody
//! held yet go out before an expired lease is given to another phone.
//! Nothing in a packet proves who sent it (issue 20), so what a client can
//! change is bounded by what it holds:
//! - a RELEASE counts only from the holder's MAC and from its address;
//! - a DECLINE counts only from the holder, still without an address, in
//!   the seconds after its ACK when a phone checks the address; the address
//!   then rests for [`DECLINE_REST`] and returns, and the holder showing it
//!   uses the address after all (a renewal from it) takes it back;
//! - an offer is kept for [`OFFER_HOLD`], seconds;
//! - the session's phones always find an address kept for them: a MAC
//!   that is not one of them gets a new address only while more are free
//!   than the session's phones without one need.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use super::pool::Pool;
use crate::model::Mac;

/// More leases than any bench holds; a client inventing MACs must not grow
/// the table without end.
pub const MAX_LEASES: usize = 4096;

/// How long an offered address is kept for the phone it was offered to: a
/// phone REQUESTs it within milliseconds, or retransmits within seconds.
pub const OFFER_HOLD: Duration = Duration::from_secs(10);

/// How long after its ACK a phone may still DECLINE its address: it checks
/// the address with ARP right away (RFC 2131 §4.4.1), within a second or two.
pub const DECLINE_WINDOW: Duration = Duration::from_secs(20);

/// How long a declined address stays out of the pool: the device using it
/// may be gone by then, and if not, the next phone declines it again.
pub const DECLINE_REST: Duration = Duration::from_secs(5 * 60);

/// Where a lease stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseState {
    /// Offered, not yet requested.
    Offered,
    /// Acknowledged: the phone uses the address.
    Bound,
    /// Given back by the phone.
    Released,
}

/// One phone's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub ip: Ipv4Addr,
    pub state: LeaseState,
    pub expires: Instant,
    /// Until when the phone may still DECLINE the address (None once it
    /// showed it uses it, by renewing).
    pub declinable_until: Option<Instant>,
}

impl Lease {
    fn live(&self, now: Instant) -> bool {
        self.state != LeaseState::Released && self.expires > now
    }
}

/// A declined address: out of the pool until `until`; `by` declined it.
#[derive(Debug, Clone, Copy)]
struct Rest {
    until: Instant,
    by: Mac,
}

/// Who holds which address of the pool.
#[derive(Debug)]
pub struct Leases {
    pool: Pool,
    /// Addresses never handed out: this computer's, the router's.
    reserved: Vec<Ipv4Addr>,
    /// The session's phones: an address is always kept for each.
    session: HashSet<Mac>,
    by_mac: HashMap<Mac, Lease>,
    by_ip: HashMap<Ipv4Addr, Mac>,
    /// Addresses a phone found in use by someone else (DHCPDECLINE).
    resting: HashMap<Ipv4Addr, Rest>,
}

impl Leases {
    pub fn new(pool: Pool, mut reserved: Vec<Ipv4Addr>, session: &[Mac]) -> Self {
        reserved.sort();
        reserved.dedup();
        Leases {
            pool,
            reserved,
            session: session.iter().copied().collect(),
            by_mac: HashMap::new(),
            by_ip: HashMap::new(),
            resting: HashMap::new(),
        }
    }

    pub fn pool(&self) -> Pool {
        self.pool
    }

    /// Whether `mac` is one of the session's phones.
    pub fn is_session(&self, mac: Mac) -> bool {
        self.session.contains(&mac)
    }

    /// The lease a phone holds or held in this run.
    pub fn get(&self, mac: Mac) -> Option<&Lease> {
        self.by_mac.get(&mac)
    }

    /// Whether `mac` holds an acknowledged lease now.
    pub fn is_bound(&self, mac: Mac, now: Instant) -> bool {
        self.by_mac
            .get(&mac)
            .is_some_and(|l| l.state == LeaseState::Bound && l.live(now))
    }

    fn holds_live(&self, mac: Mac, now: Instant) -> bool {
        self.by_mac.get(&mac).is_some_and(|l| l.live(now))
    }

    fn is_resting(&self, ip: Ipv4Addr, now: Instant) -> bool {
        self.resting.get(&ip).is_some_and(|r| r.until > now)
    }

    /// Whether `ip` may go to `mac` now: in the pool, not reserved or
    /// resting, and nobody else holds it.
    fn free_for(&self, ip: Ipv4Addr, mac: Mac, now: Instant) -> bool {
        if !self.pool.contains(ip) || self.reserved.contains(&ip) || self.is_resting(ip, now) {
            return false;
        }
        match self.by_ip.get(&ip) {
            None => true,
            Some(holder) if *holder == mac => true,
            Some(holder) => !self.by_mac[holder].live(now),
        }
    }

    /// How many addresses nobody holds now (counted from the leases, not
    /// by walking the pool: a user's pool may be a /16).
    fn free_count(&self, now: Instant) -> usize {
        let reserved = self
            .reserved
            .iter()
            .filter(|ip| self.pool.contains(**ip))
            .count();
        let resting = self
            .resting
            .iter()
            .filter(|(ip, r)| r.until > now && self.pool.contains(**ip))
            .count();
        let held = self.by_mac.values().filter(|l| l.live(now)).count();
        self.pool.size().saturating_sub(reserved + resting + held)
    }

    /// Whether `mac`, holding nothing, may take an address: always for a
    /// phone of the session; for anyone else only while more addresses are
    /// free than the session's phones holding none would need.
    fn may_take(&self, mac: Mac, now: Instant) -> bool {
        if self.session.contains(&mac) {
            return true;
        }
        let kept = self
            .session
            .iter()
            .filter(|m| !self.holds_live(**m, now))
            .count();
        self.free_count(now) > kept
    }

    /// The address to offer `mac`: the one it had, else the one it asks
    /// for if free, else the first never handed out, else the first whose
    /// lease ran out. None when the pool is full (for `mac`).
    pub fn offer(
        &mut self,
        mac: Mac,
        requested: Option<Ipv4Addr>,
        now: Instant,
    ) -> Option<Ipv4Addr> {
        if !self.holds_live(mac, now) && !self.may_take(mac, now) {
            return None;
        }
        let kept = self
            .by_mac
            .get(&mac)
            .copied()
            .filter(|l| self.free_for(l.ip, mac, now));
        let offered = |ip| Lease {
            ip,
            state: LeaseState::Offered,
            expires: now + OFFER_HOLD,
            declinable_until: None,
        };
        let lease = match kept {
            // A phone that boots again keeps its bound lease as it is.
            Some(l) if l.state == LeaseState::Bound && l.live(now) => l,
            Some(l) => offered(l.ip),
            None => offered(self.pick(mac, requested, now)?),
        };
        self.set(mac, lease);
        Some(lease.ip)
    }

    /// Whether a lease for `mac` fits under [`MAX_LEASES`], after dropping
    /// leases that ran out if need be.
    fn make_room(&mut self, mac: Mac, now: Instant) -> bool {
        if self.by_mac.contains_key(&mac) || self.by_mac.len() < MAX_LEASES {
            return true;
        }
        self.by_mac.retain(|_, l| l.live(now));
        self.by_ip.retain(|_, m| self.by_mac.contains_key(m));
        self.by_mac.len() < MAX_LEASES
    }

    fn pick(&mut self, mac: Mac, requested: Option<Ipv4Addr>, now: Instant) -> Option<Ipv4Addr> {
        if !self.make_room(mac, now) {
            return None;
        }
        if let Some(ip) = requested.filter(|ip| self.free_for(*ip, mac, now)) {
            return Some(ip);
        }
        let usable = |ip: &Ipv4Addr| !self.reserved.contains(ip) && !self.is_resting(*ip, now);
        self.pool
            .addresses()
            .filter(usable)
            .find(|ip| !self.by_ip.contains_key(ip))
            .or_else(|| {
                self.pool
                    .addresses()
                    .filter(usable)
                    .find(|ip| self.free_for(*ip, mac, now))
            })
    }

    /// Records `lease` for `mac`, dropping whatever either held before.
    fn set(&mut self, mac: Mac, lease: Lease) {
        if let Some(old) = self.by_mac.get(&mac)
            && old.ip != lease.ip
        {
            self.by_ip.remove(&old.ip);
        }
        if let Some(previous) = self.by_ip.insert(lease.ip, mac)
            && previous != mac
        {
            self.by_mac.remove(&previous);
        }
        self.by_mac.insert(mac, lease);
    }

    /// A DHCPREQUEST for `ip`: bound for `lease_time` when the address is
    /// `mac`'s or free (and `mac` may take one), else None (the server
    /// answers NAK). `renewing`: the client sent it from `ip` and names it
    /// as its own (RENEWING or REBINDING), so it uses the address; a rest
    /// in its own name then ends, since it did not find the address in use.
    pub fn request(
        &mut self,
        mac: Mac,
        ip: Ipv4Addr,
        renewing: bool,
        lease_time: Duration,
        now: Instant,
    ) -> Option<Ipv4Addr> {
        if renewing && self.resting.get(&ip).is_some_and(|r| r.by == mac) {
            self.resting.remove(&ip);
        }
        if !self.free_for(ip, mac, now) {
            return None;
        }
        if !self.holds_live(mac, now) && !self.may_take(mac, now) {
            return None;
        }
        if !self.make_room(mac, now) {
            return None;
        }
        self.set(
            mac,
            Lease {
                ip,
                state: LeaseState::Bound,
                expires: now + lease_time,
                declinable_until: (!renewing).then(|| now + DECLINE_WINDOW),
            },
        );
        Some(ip)
    }

    /// A DHCPRELEASE: the address is free again, though the phone gets it
    /// back if it asks before anyone else needs it. Counts only when `mac`
    /// holds `ip` bound and the message came from `ip` itself (`from`): a
    /// RELEASE naming a phone from another address changes nothing. True if
    /// it counted.
    pub fn release(&mut self, mac: Mac, ip: Ipv4Addr, from: Ipv4Addr, now: Instant) -> bool {
        match self.by_mac.get_mut(&mac) {
            Some(lease)
                if lease.ip == ip
                    && from == ip
                    && lease.state == LeaseState::Bound
                    && lease.live(now) =>
            {
                lease.state = LeaseState::Released;
                lease.expires = now;
                true
            }
            _ => false,
        }
    }

    /// A DHCPDECLINE: someone else uses `ip`, which then rests for
    /// [`DECLINE_REST`]. Counts only when `mac` holds `ip` bound, within
    /// [`DECLINE_WINDOW`] of its ACK, and the message came from no address
    /// (`from` unspecified: a phone declining has none). True if it counted.
    pub fn decline(&mut self, mac: Mac, ip: Ipv4Addr, from: Ipv4Addr, now: Instant) -> bool {
        let counts = from.is_unspecified()
            && self.by_mac.get(&mac).is_some_and(|l| {
                l.ip == ip
                    && l.state == LeaseState::Bound
                    && l.live(now)
                    && l.declinable_until.is_some_and(|until| now < until)
            });
        if !counts {
            return false;
        }
        self.by_mac.remove(&mac);
        self.by_ip.remove(&ip);
        self.resting.retain(|_, r| r.until > now);
        self.resting.insert(
            ip,
            Rest {
                until: now + DECLINE_REST,
                by: mac,
            },
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(n: u8) -> Mac {
        Mac::new([0, 0x1e, 0x4a, 0, 0, n])
    }

    const LEASE: Duration = Duration::from_secs(600);
    const NONE: Ipv4Addr = Ipv4Addr::UNSPECIFIED;

    fn ip(last: u8) -> Ipv4Addr {
        Ipv4Addr::new(192, 168, 10, last)
    }

    fn leases(pool: &str, session: &[Mac]) -> Leases {
        Leases::new(pool.parse().unwrap(), vec![ip(1)], session)
    }

    /// DISCOVER then REQUEST, as a phone boots: the address it got.
    fn boot(l: &mut Leases, m: Mac, now: Instant) -> Option<Ipv4Addr> {
        let offered = l.offer(m, None, now)?;
        l.request(m, offered, false, LEASE, now)
    }

    #[test]
    fn same_mac_same_address_and_own_address_skipped() {
        let own = ip(100);
        let pool: Pool = "192.168.10.100-192.168.10.102".parse().unwrap();
        let mut leases = Leases::new(pool, vec![own], &[]);
        let now = Instant::now();
        let a = leases.offer(mac(1), None, now).unwrap();
        assert_eq!(a, ip(101));
        assert_eq!(leases.request(mac(1), a, false, LEASE, now), Some(a));
        let b = leases.offer(mac(2), Some(a), now).unwrap();
        assert_eq!(b, ip(102), "a held address is not given away");
        assert_eq!(leases.offer(mac(3), None, now), None, "pool full");
        assert_eq!(leases.request(mac(3), a, false, LEASE, now), None);
        assert_eq!(leases.offer(mac(1), None, now), Some(a));
        // Released, it still comes back to the same phone first.
        assert!(leases.release(mac(1), a, a, now));
        assert_eq!(leases.offer(mac(1), None, now), Some(a));
    }

    #[test]
    fn expired_leases_are_reused_after_fresh_addresses() {
        let mut leases = leases("192.168.10.100-192.168.10.101", &[]);
        let t0 = Instant::now();
        let short = Duration::from_secs(10);
        let a = leases.offer(mac(1), None, t0).unwrap();
        leases.request(mac(1), a, false, short, t0).unwrap();
        let later = t0 + Duration::from_secs(3600);
        let b = leases.offer(mac(2), None, later).unwrap();
        assert_ne!(a, b, "a never-used address goes first");
        leases.request(mac(2), b, false, short, later).unwrap();
        assert_eq!(
            leases.offer(mac(3), None, later),
            Some(a),
            "then an expired one"
        );
        assert_eq!(leases.get(mac(1)), None);
    }

    #[test]
    fn offers_expire_in_seconds() {
        let mut leases = leases("192.168.10.100-192.168.10.100", &[]);
        let t0 = Instant::now();
        let a = leases.offer(mac(1), None, t0).unwrap();
        assert_eq!(leases.offer(mac(2), None, t0 + OFFER_HOLD / 2), None);
        assert!(OFFER_HOLD <= Duration::from_secs(10));
        assert_eq!(leases.offer(mac(2), None, t0 + OFFER_HOLD), Some(a));
    }

    #[test]
    fn a_release_counts_only_from_the_holders_address() {
        let mut leases = leases("192.168.10.100-192.168.10.101", &[]);
        let now = Instant::now();
        let a = boot(&mut leases, mac(1), now).unwrap();
        // Another address naming the phone and its address in ciaddr.
        assert!(!leases.release(mac(1), a, ip(50), now));
        assert!(!leases.release(mac(1), a, NONE, now));
        // Another MAC, from the phone's address.
        assert!(!leases.release(mac(2), a, a, now));
        assert_eq!(
            leases.offer(mac(2), Some(a), now),
            Some(ip(101)),
            "the phone's address is still its own"
        );
        assert_eq!(leases.request(mac(1), a, true, LEASE, now), Some(a));
        assert!(leases.release(mac(1), a, a, now), "the phone itself may");
    }

    #[test]
    fn a_decline_counts_only_from_the_holder_while_it_checks_its_address() {
        let mut leases = leases("192.168.10.100-192.168.10.102", &[]);
        let t0 = Instant::now();
        let a = boot(&mut leases, mac(1), t0).unwrap();
        assert!(!leases.decline(mac(2), a, NONE, t0), "not its lease");
        assert!(!leases.decline(mac(1), a, ip(50), t0), "from an address");
        // After the window, or once the phone renewed, it uses the address.
        let late = t0 + DECLINE_WINDOW;
        assert!(!leases.decline(mac(1), a, NONE, late));
        let b = boot(&mut leases, mac(2), t0).unwrap();
        assert_eq!(leases.request(mac(2), b, true, LEASE, t0), Some(b));
        assert!(!leases.decline(mac(2), b, NONE, t0), "renewed: it uses it");
        // An offer cannot be declined.
        let c = leases.offer(mac(3), None, t0).unwrap();
        assert!(!leases.decline(mac(3), c, NONE, t0));
        assert_eq!(leases.get(mac(3)).unwrap().ip, c);
    }

    #[test]
    fn a_declined_address_rests_and_returns() {
        let mut leases = leases("192.168.10.100-192.168.10.101", &[]);
        let t0 = Instant::now();
        let a = boot(&mut leases, mac(1), t0).unwrap();
        assert!(leases.decline(mac(1), a, NONE, t0 + Duration::from_secs(1)));
        let b = leases.offer(mac(1), None, t0).unwrap();
        assert_ne!(a, b, "the phone is offered another address");
        assert_eq!(leases.offer(mac(2), Some(a), t0), None, "a rests");
        let back = t0 + Duration::from_secs(1) + DECLINE_REST;
        assert_eq!(leases.offer(mac(2), Some(a), back), Some(a), "then returns");
    }

    #[test]
    fn a_phone_renewing_a_declined_address_takes_it_back() {
        // A DECLINE in the phone's name within the window (a forger sending
        // from no address): the phone's renewal shows it uses the address.
        let mut leases = leases("192.168.10.100-192.168.10.101", &[]);
        let t0 = Instant::now();
        let a = boot(&mut leases, mac(1), t0).unwrap();
        assert!(leases.decline(mac(1), a, NONE, t0));
        assert_eq!(leases.request(mac(2), a, true, LEASE, t0), None);
        assert_eq!(leases.request(mac(1), a, false, LEASE, t0), None);
        assert_eq!(leases.request(mac(1), a, true, LEASE, t0), Some(a));
        assert_eq!(leases.offer(mac(2), Some(a), t0), Some(ip(101)));
    }

    #[test]
    fn session_phones_always_find_an_address_kept() {
        let (p1, p2) = (mac(1), mac(2));
        let mut leases = leases("192.168.10.100-192.168.10.104", &[p1, p2]);
        let t0 = Instant::now();
        let strangers: Vec<_> = (10..20)
            .filter_map(|n| boot(&mut leases, mac(n), t0))
            .collect();
        assert_eq!(strangers.len(), 3, "five addresses, two kept");
        // A stranger asking for an address outright is refused too.
        assert_eq!(leases.request(mac(30), ip(103), false, LEASE, t0), None);
        assert!(boot(&mut leases, p1, t0).is_some());
        assert!(boot(&mut leases, p2, t0).is_some());
        // Session phones holding theirs, nothing is kept any more.
        assert_eq!(boot(&mut leases, mac(31), t0), None, "pool full");
        // A stranger's lease ends: the next stranger may have it.
        let later = t0 + LEASE;
        assert!(leases.request(p1, ip(103), true, LEASE, later).is_some());
        assert!(leases.request(p2, ip(104), true, LEASE, later).is_some());
        assert!(boot(&mut leases, mac(32), later).is_some());
    }
}
