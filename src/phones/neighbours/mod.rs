//! The operating system's neighbour (ARP) table: the MAC of the device at
//! an address on the bench LAN, asked before a phone's first answer (issue
//! 20). A phone asks for this computer's address before its first TFTP
//! request, so the table usually has it already; when it has not (the
//! phone knew our MAC from before), the address is asked for once, actively,
//! and the table read again for a short, bounded time.
//!
//! No crate does this for the three systems without running `ip`/`arp`
//! commands or raw sockets, so each system's own interface is used:
//! Linux's `/proc/net/arp` (the kernel's IPv4 neighbour table, readable
//! without privileges), Windows' `GetIpNetTable2` and `ResolveIpNetEntry2`
//! (windows-sys), macOS's routing sysctl (`NET_RT_FLAGS` + `RTF_LLINFO`).
//! Elsewhere nothing is found and the other ways of placing a phone apply.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::time::{Duration, Instant};

use crate::model::Mac;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(any(target_os = "macos", test))]
mod macos;
#[cfg(windows)]
mod windows;

/// How long the table is watched after asking the network: a device on
/// the LAN answers ARP within milliseconds.
pub const RESOLVE_WAIT: Duration = Duration::from_millis(150);
/// How long an address's answer (found or not) is kept before the table
/// is read again for it.
const REMEMBERED: Duration = Duration::from_secs(60);
/// Addresses asked for actively in any [`PROBE_WINDOW`]: a flood of
/// requests from addresses that never answer ARP costs at most this many
/// waits of [`RESOLVE_WAIT`] on the path that opens files.
const PROBES_PER_WINDOW: usize = 4;
const PROBE_WINDOW: Duration = Duration::from_secs(10);
/// Addresses remembered; beyond, the oldest answers are forgotten.
const MAX_REMEMBERED: usize = 4096;

/// The MAC the table holds for `ip` now, if any (no network traffic).
pub fn read(ip: Ipv4Addr) -> Option<Mac> {
    #[cfg(target_os = "linux")]
    return linux::read(ip);
    #[cfg(windows)]
    return windows::read(ip);
    #[cfg(target_os = "macos")]
    return macos::read(ip);
    #[allow(unreachable_code)]
    {
        let _ = ip;
        None
    }
}

/// Makes the system ask the network who `ip` is (an ARP request). Returns
/// at once; the answer lands in the table.
fn ask(ip: Ipv4Addr) {
    #[cfg(windows)]
    windows::ask(ip);
    #[cfg(not(windows))]
    {
        // Sending anything to an address on the LAN needs its MAC: one
        // empty datagram to the discard port makes the kernel resolve it.
        if let Ok(s) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) {
            let _ = s.send_to(&[], (ip, 9));
        }
    }
}

/// The MAC of the device at `ip`: read from the table, else (when `wait`
/// is given) asked for and read again until `wait` has passed. Never for
/// this computer's own addresses or loopback, which have no neighbours.
pub fn resolve(ip: IpAddr, wait: Option<Duration>) -> Option<Mac> {
    let IpAddr::V4(v4) = ip else { return None };
    if !on_a_lan(v4) {
        return None;
    }
    if let Some(mac) = read(v4) {
        return Some(mac);
    }
    let wait = wait?;
    ask(v4);
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        if let Some(mac) = read(v4) {
            return Some(mac);
        }
    }
    None
}

/// Whether `ip` can have a neighbour entry: not loopback, not broadcast or
/// multicast, not one of this computer's own addresses (as the system lists
/// its interfaces: asking whether the address can be bound is not the same
/// everywhere; Wine, for one, binds any address).
fn on_a_lan(ip: Ipv4Addr) -> bool {
    let own = || {
        if_addrs::get_if_addrs()
            .map(|list| list.iter().any(|i| i.ip() == IpAddr::V4(ip)))
            // The list unreadable: the old test, a bind only our own
            // addresses allow on Linux, macOS and Windows.
            .unwrap_or_else(|_| UdpSocket::bind((ip, 0)).is_ok())
    };
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() || own())
}

/// What the table said per address, and how many active lookups were
/// made lately: the part kept by the ladder.
#[derive(Debug, Default)]
pub struct Neighbours {
    /// Read the table at all (off in tests of plain rules).
    pub enabled: bool,
    answers: HashMap<IpAddr, (Option<Mac>, Instant)>,
    probes: VecDeque<Instant>,
}

/// What to do for an address not known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The answer is remembered.
    Known(Option<Mac>),
    /// Read the table; ask the network for `Some(wait)`.
    Resolve(Option<Duration>),
}

impl Neighbours {
    pub fn new(enabled: bool) -> Self {
        Neighbours {
            enabled,
            ..Default::default()
        }
    }

    /// What is known of `ip`, or how to learn it.
    pub fn lookup(&mut self, ip: IpAddr, now: Instant) -> Lookup {
        if !self.enabled {
            return Lookup::Known(None);
        }
        if let Some((mac, at)) = self.answers.get(&ip)
            && now.duration_since(*at) < REMEMBERED
        {
            return Lookup::Known(*mac);
        }
        while self
            .probes
            .front()
            .is_some_and(|t| now.duration_since(*t) >= PROBE_WINDOW)
        {
            self.probes.pop_front();
        }
        if self.probes.len() < PROBES_PER_WINDOW {
            self.probes.push_back(now);
            Lookup::Resolve(Some(RESOLVE_WAIT))
        } else {
            Lookup::Resolve(None)
        }
    }

    /// What the table said about `ip`.
    pub fn learned(&mut self, ip: IpAddr, mac: Option<Mac>, now: Instant) {
        if self.answers.len() >= MAX_REMEMBERED && !self.answers.contains_key(&ip) {
            self.answers
                .retain(|_, (_, at)| now.duration_since(*at) < REMEMBERED);
            if self.answers.len() >= MAX_REMEMBERED {
                self.answers.clear();
            }
        }
        self.answers.insert(ip, (mac, now));
    }

    /// The remembered answer for `ip`, without reading anything.
    pub fn remembered(&self, ip: IpAddr) -> Option<Mac> {
        self.answers.get(&ip).and_then(|(m, _)| *m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_own_addresses_have_no_neighbours() {
        assert!(!on_a_lan(Ipv4Addr::LOCALHOST));
        assert!(!on_a_lan(Ipv4Addr::new(127, 0, 0, 9)));
        assert!(!on_a_lan(Ipv4Addr::BROADCAST));
        // 192.0.2.0/24 (documentation) is nobody's address here.
        assert!(on_a_lan(Ipv4Addr::new(192, 0, 2, 7)));
        assert_eq!(
            resolve("127.0.0.5".parse().unwrap(), Some(RESOLVE_WAIT)),
            None
        );
    }

    #[test]
    fn active_lookups_are_bounded_and_answers_remembered() {
        let mut n = Neighbours::new(true);
        let now = Instant::now();
        let ip = |i: u8| IpAddr::from([192, 0, 2, i]);
        for i in 0..PROBES_PER_WINDOW as u8 {
            assert_eq!(n.lookup(ip(i), now), Lookup::Resolve(Some(RESOLVE_WAIT)));
            n.learned(ip(i), None, now);
        }
        assert_eq!(n.lookup(ip(100), now), Lookup::Resolve(None), "read only");
        assert_eq!(n.lookup(ip(0), now), Lookup::Known(None), "remembered");
        let later = now + PROBE_WINDOW;
        assert_eq!(
            n.lookup(ip(101), later),
            Lookup::Resolve(Some(RESOLVE_WAIT))
        );
        assert_eq!(
            n.lookup(ip(0), now + REMEMBERED),
            Lookup::Resolve(Some(RESOLVE_WAIT)),
            "asked again after a while"
        );
        assert_eq!(
            Neighbours::new(false).lookup(ip(1), now),
            Lookup::Known(None)
        );
    }
}
