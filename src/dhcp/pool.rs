//! The addresses the bench server hands out, and who holds which.
//!
//! Leases live in memory only, for one run: a phone that asks again gets the
//! address it had, and addresses nobody held yet go out before an expired
//! lease is given to another phone.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;
use std::time::{Duration, Instant};

use crate::host::Ipv4Interface;
use crate::model::Mac;
use crate::msg;
use crate::msg::Msg;

/// A range of addresses, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
}

/// Why a pool cannot be used; each message says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("{}", self.msg())]
    Syntax(String),
    #[error("{}", self.msg())]
    Reversed(Pool),
    #[error("{}", self.msg())]
    OffSubnet {
        pool: Pool,
        interface: String,
        network: Ipv4Addr,
        prefix: u8,
        /// A pool that would do, when the subnet has room for one.
        example: Option<Pool>,
    },
    #[error("{}", self.msg())]
    SubnetTooSmall {
        interface: String,
        addr: Ipv4Addr,
        prefix: u8,
    },
}

impl PoolError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> Msg {
        match self {
            PoolError::Syntax(text) => msg!(
                "dhcp.pool.syntax",
                "\"{text}\" is not an address range: give two IPv4 addresses joined by a dash, e.g. 192.168.10.100-192.168.10.199",
                text = text,
            ),
            PoolError::Reversed(pool) => msg!(
                "dhcp.pool.reversed",
                "the pool {pool} ends before it starts: give the lower address first",
                pool = pool,
            ),
            PoolError::OffSubnet {
                pool,
                interface,
                network,
                prefix,
                example: Some(example),
            } => msg!(
                "dhcp.pool.off_subnet_example",
                "the pool {pool} is not on {interface}'s subnet {network}/{prefix}: give addresses inside it, e.g. {example}",
                pool = pool,
                interface = interface,
                network = network,
                prefix = prefix,
                example = example,
            ),
            PoolError::OffSubnet {
                pool,
                interface,
                network,
                prefix,
                example: None,
            } => msg!(
                "dhcp.pool.off_subnet",
                "the pool {pool} is not on {interface}'s subnet {network}/{prefix}: give addresses inside it",
                pool = pool,
                interface = interface,
                network = network,
                prefix = prefix,
            ),
            PoolError::SubnetTooSmall {
                interface,
                addr,
                prefix,
            } => msg!(
                "dhcp.pool.too_small",
                "{interface} has the address {addr}/{prefix}, a subnet with no room for phones: give the interface an address such as 192.168.10.1/24 first",
                interface = interface,
                addr = addr,
                prefix = prefix,
            ),
        }
    }
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl FromStr for Pool {
    type Err = PoolError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || PoolError::Syntax(text.to_string());
        let (a, b) = text.split_once('-').ok_or_else(syntax)?;
        let first: Ipv4Addr = a.trim().parse().map_err(|_| syntax())?;
        let last: Ipv4Addr = b.trim().parse().map_err(|_| syntax())?;
        let pool = Pool { first, last };
        if u32::from(first) > u32::from(last) {
            return Err(PoolError::Reversed(pool));
        }
        Ok(pool)
    }
}

impl Pool {
    /// The default pool on an interface's subnet: `.100`–`.199` of the /24
    /// holding its address when the subnet is that large, else every host
    /// address of the subnet. This computer's own address is never handed
    /// out (see [`Leases`]), even when it falls inside.
    pub fn default_for(iface: &Ipv4Interface) -> Result<Pool, PoolError> {
        let prefix = iface.prefix_len();
        let addr = u32::from(iface.addr);
        if prefix > 30 {
            return Err(PoolError::SubnetTooSmall {
                interface: iface.name.clone(),
                addr: iface.addr,
                prefix,
            });
        }
        if prefix <= 24 {
            let block = addr & 0xFFFF_FF00;
            return Ok(Pool {
                first: Ipv4Addr::from(block + 100),
                last: Ipv4Addr::from(block + 199),
            });
        }
        let mask = u32::from(iface.netmask);
        let network = addr & mask;
        let broadcast = network | !mask;
        Ok(Pool {
            first: Ipv4Addr::from(network + 1),
            last: Ipv4Addr::from(broadcast - 1),
        })
    }

    /// Checks a pool the user gave against the interface: both ends on its
    /// subnet, and neither the network nor the broadcast address.
    pub fn check_on(&self, iface: &Ipv4Interface) -> Result<(), PoolError> {
        let mask = u32::from(iface.netmask);
        let network = u32::from(iface.addr) & mask;
        let broadcast = network | !mask;
        let inside = |ip: Ipv4Addr| {
            let ip = u32::from(ip);
            iface.on_subnet(ip.into()) && ip != network && ip != broadcast
        };
        if inside(self.first) && inside(self.last) {
            return Ok(());
        }
        Err(PoolError::OffSubnet {
            pool: *self,
            interface: iface.name.clone(),
            network: Ipv4Addr::from(network),
            prefix: iface.prefix_len(),
            example: Pool::default_for(iface).ok(),
        })
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        (u32::from(self.first)..=u32::from(self.last)).contains(&u32::from(ip))
    }

    fn addresses(&self) -> impl Iterator<Item = Ipv4Addr> {
        (u32::from(self.first)..=u32::from(self.last)).map(Ipv4Addr::from)
    }
}

/// More leases than any bench holds; a client inventing MACs must not grow
/// the table without end.
pub const MAX_LEASES: usize = 4096;

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
}

impl Lease {
    fn live(&self, now: Instant) -> bool {
        self.state != LeaseState::Released && self.expires > now
    }
}

/// How long an offered address is kept for the phone it was offered to.
pub const OFFER_HOLD: Duration = Duration::from_secs(60);

/// Who holds which address of the pool.
#[derive(Debug)]
pub struct Leases {
    pool: Pool,
    /// Addresses never handed out: this computer's, the router's.
    reserved: Vec<Ipv4Addr>,
    by_mac: HashMap<Mac, Lease>,
    by_ip: HashMap<Ipv4Addr, Mac>,
    /// Addresses a phone found in use by someone else (DHCPDECLINE).
    declined: HashSet<Ipv4Addr>,
}

impl Leases {
    pub fn new(pool: Pool, reserved: Vec<Ipv4Addr>) -> Self {
        Leases {
            pool,
            reserved,
            by_mac: HashMap::new(),
            by_ip: HashMap::new(),
            declined: HashSet::new(),
        }
    }

    pub fn pool(&self) -> Pool {
        self.pool
    }

    /// The lease a phone holds or held in this run.
    pub fn get(&self, mac: Mac) -> Option<&Lease> {
        self.by_mac.get(&mac)
    }

    /// Whether `ip` may go to `mac` now: in the pool, not reserved or
    /// declined, and nobody else holds it.
    fn free_for(&self, ip: Ipv4Addr, mac: Mac, now: Instant) -> bool {
        if !self.pool.contains(ip) || self.reserved.contains(&ip) || self.declined.contains(&ip) {
            return false;
        }
        match self.by_ip.get(&ip) {
            None => true,
            Some(holder) if *holder == mac => true,
            Some(holder) => !self.by_mac[holder].live(now),
        }
    }

    /// The address to offer `mac`: the one it had, else the one it asks
    /// for if free, else the first never handed out, else the first whose
    /// lease ran out. None when the pool is full.
    pub fn offer(
        &mut self,
        mac: Mac,
        requested: Option<Ipv4Addr>,
        now: Instant,
    ) -> Option<Ipv4Addr> {
        let kept = self
            .by_mac
            .get(&mac)
            .copied()
            .filter(|l| self.free_for(l.ip, mac, now));
        let lease = match kept {
            // A phone that boots again keeps its bound lease as it is.
            Some(l) if l.state == LeaseState::Bound && l.live(now) => l,
            Some(l) => Lease {
                ip: l.ip,
                state: LeaseState::Offered,
                expires: now + OFFER_HOLD,
            },
            None => Lease {
                ip: self.pick(mac, requested, now)?,
                state: LeaseState::Offered,
                expires: now + OFFER_HOLD,
            },
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
        let usable = |ip: &Ipv4Addr| !self.reserved.contains(ip) && !self.declined.contains(ip);
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
    /// `mac`'s or free, else None (the server answers NAK).
    pub fn request(
        &mut self,
        mac: Mac,
        ip: Ipv4Addr,
        lease_time: Duration,
        now: Instant,
    ) -> Option<Ipv4Addr> {
        if !self.free_for(ip, mac, now) {
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
            },
        );
        Some(ip)
    }

    /// A DHCPRELEASE: the address is free again, though the phone gets it
    /// back if it asks before anyone else needs it. True if `mac` held `ip`.
    pub fn release(&mut self, mac: Mac, ip: Ipv4Addr, now: Instant) -> bool {
        match self.by_mac.get_mut(&mac) {
            Some(lease) if lease.ip == ip => {
                lease.state = LeaseState::Released;
                lease.expires = now;
                true
            }
            _ => false,
        }
    }

    /// A DHCPDECLINE: someone else uses `ip`; never hand it out again in
    /// this run. True if `mac` held it.
    pub fn decline(&mut self, mac: Mac, ip: Ipv4Addr) -> bool {
        match self.by_mac.get(&mac) {
            Some(lease) if lease.ip == ip => {
                self.by_mac.remove(&mac);
                self.by_ip.remove(&ip);
                self.declined.insert(ip);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface(addr: [u8; 4], prefix: u8) -> Ipv4Interface {
        Ipv4Interface {
            name: "eth1".into(),
            addr: addr.into(),
            netmask: Ipv4Addr::from(u32::MAX << (32 - prefix)),
            index: None,
        }
    }

    fn mac(n: u8) -> Mac {
        Mac::new([0, 0x1e, 0x4a, 0, 0, n])
    }

    #[test]
    fn default_pool_sits_on_the_subnet() {
        let p = Pool::default_for(&iface([192, 168, 10, 1], 24)).unwrap();
        assert_eq!(p.to_string(), "192.168.10.100-192.168.10.199");
        let p = Pool::default_for(&iface([10, 0, 5, 7], 16)).unwrap();
        assert_eq!(p.to_string(), "10.0.5.100-10.0.5.199");
        let p = Pool::default_for(&iface([192, 168, 10, 129], 28)).unwrap();
        assert_eq!(p.to_string(), "192.168.10.129-192.168.10.142");
        assert!(matches!(
            Pool::default_for(&iface([192, 168, 10, 1], 31)),
            Err(PoolError::SubnetTooSmall { .. })
        ));
    }

    #[test]
    fn user_pools_are_checked() {
        let i = iface([192, 168, 10, 1], 24);
        let ok: Pool = "192.168.10.20 - 192.168.10.30".parse().unwrap();
        assert!(ok.check_on(&i).is_ok());
        let off: Pool = "192.168.11.20-192.168.11.30".parse().unwrap();
        let msg = off.check_on(&i).unwrap_err().to_string();
        assert!(msg.contains("192.168.10.0/24"), "{msg}");
        assert!(msg.contains("e.g. 192.168.10.100-192.168.10.199"), "{msg}");
        let broadcast: Pool = "192.168.10.250-192.168.10.255".parse().unwrap();
        assert!(broadcast.check_on(&i).is_err());
        assert!(matches!(
            "192.168.10.30-192.168.10.20".parse::<Pool>(),
            Err(PoolError::Reversed(_))
        ));
        assert!(matches!(
            "192.168.10.30".parse::<Pool>(),
            Err(PoolError::Syntax(_))
        ));
    }

    #[test]
    fn same_mac_same_address_and_own_address_skipped() {
        let own = Ipv4Addr::new(192, 168, 10, 100);
        let pool: Pool = "192.168.10.100-192.168.10.102".parse().unwrap();
        let mut leases = Leases::new(pool, vec![own]);
        let now = Instant::now();
        let a = leases.offer(mac(1), None, now).unwrap();
        assert_eq!(a, Ipv4Addr::new(192, 168, 10, 101));
        assert_eq!(
            leases.request(mac(1), a, Duration::from_secs(600), now),
            Some(a)
        );
        let b = leases.offer(mac(2), Some(a), now).unwrap();
        assert_eq!(
            b,
            Ipv4Addr::new(192, 168, 10, 102),
            "a held address is not given away"
        );
        assert_eq!(leases.offer(mac(3), None, now), None, "pool full");
        assert_eq!(
            leases.request(mac(3), a, Duration::from_secs(600), now),
            None
        );
        assert_eq!(leases.offer(mac(1), None, now), Some(a));
        // Released, it still comes back to the same phone first.
        assert!(leases.release(mac(1), a, now));
        assert_eq!(leases.offer(mac(1), None, now), Some(a));
    }

    #[test]
    fn expired_leases_are_reused_after_fresh_addresses() {
        let pool: Pool = "192.168.10.100-192.168.10.101".parse().unwrap();
        let mut leases = Leases::new(pool, vec![]);
        let t0 = Instant::now();
        let short = Duration::from_secs(10);
        let a = leases.offer(mac(1), None, t0).unwrap();
        leases.request(mac(1), a, short, t0).unwrap();
        let later = t0 + Duration::from_secs(3600);
        let b = leases.offer(mac(2), None, later).unwrap();
        assert_ne!(a, b, "a never-used address goes first");
        leases.request(mac(2), b, short, later).unwrap();
        assert_eq!(
            leases.offer(mac(3), None, later),
            Some(a),
            "then an expired one"
        );
        assert_eq!(leases.get(mac(1)), None);
    }

    #[test]
    fn declined_addresses_stay_out() {
        let pool: Pool = "192.168.10.100-192.168.10.101".parse().unwrap();
        let mut leases = Leases::new(pool, vec![]);
        let now = Instant::now();
        let a = leases.offer(mac(1), None, now).unwrap();
        assert!(leases.decline(mac(1), a));
        let b = leases.offer(mac(1), None, now).unwrap();
        assert_ne!(a, b);
        assert_eq!(leases.offer(mac(2), None, now), None);
    }
}
