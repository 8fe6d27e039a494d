//! Who is asking (issue 20): which address each phone's MAC belongs to.
//!
//! A packet's claims are evidence, not identity: anyone on the LAN can ask
//! for `SEP<MAC>.cnf.xml`. So a MAC belongs to one address at a time.
//! It is bound by its DHCP lease, by what the operating system's neighbour
//! table says is at the address, or by the first request naming it; after
//! that, requests naming it from another address do not count for that
//! phone. It moves only when the phone really moved: a new lease for the
//! MAC, or (unless it was leased) its address silent for [`REBIND_AFTER`]
//! and then a new boot sequence (a request that starts one, naming the
//! MAC) from another address. An address is one phone's too: once its lease or the
//! neighbour table says which, another MAC named from it does not take it
//! over (an address only a request bound changes phone with the next MAC
//! it names). The ladder and the journeys both
//! follow these rules, so what is answered and what is reported agree.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::model::Mac;

/// How long a phone's address must be silent before a new boot sequence
/// naming its MAC from another address moves it there. Longer than a
/// phone is quiet while it boots on a new image it just fetched, between
/// the last block and its next request (it writes flash first).
pub const REBIND_AFTER: Duration = Duration::from_secs(600);

/// More phones than a bench holds; past it the binding heard from least
/// recently is forgotten.
const MAX_BOUND: usize = 4096;

/// How a phone's MAC was bound to its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The bench DHCP server leased it the address.
    Lease,
    /// A request from the address named the MAC (`SEP<MAC>.cnf.xml`, …).
    Request,
    /// The operating system's neighbour table has the address's MAC.
    Neighbour,
}

impl How {
    /// "placed by …", for the log.
    pub fn msg(self) -> crate::msg::Msg {
        match self {
            How::Lease => crate::msg!("ladder.placed_by.lease", "its DHCP lease"),
            How::Request => {
                crate::msg!(
                    "ladder.placed_by.request",
                    "an earlier request naming its MAC"
                )
            }
            How::Neighbour => {
                crate::msg!("ladder.placed_by.neighbour", "the neighbour (ARP) table")
            }
        }
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.msg())
    }
}

/// One MAC's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub ip: IpAddr,
    pub how: How,
    /// When the address was last heard from.
    heard: Instant,
}

/// What a claim that `ip` is `mac` came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Bound now, for the first time.
    New,
    /// It was bound to this address already.
    Same,
    /// The phone moved: bound here now, no longer at `from`.
    Moved { from: IpAddr },
    /// The MAC is bound to `holder`, which is still there: not counted.
    Held { holder: IpAddr },
    /// The address is another phone's (`by`): not counted.
    AddressTaken { by: Mac },
}

impl Claim {
    /// Whether `ip` is `mac` after the claim.
    pub fn accepted(self) -> bool {
        matches!(self, Claim::New | Claim::Same | Claim::Moved { .. })
    }
}

/// A binding kept across restarts (with the ladder's state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedBinding {
    pub mac: Mac,
    pub ip: IpAddr,
    pub how: How,
}

/// Every MAC's address, and every address's MAC.
#[derive(Debug, Clone)]
pub struct Bindings {
    macs: HashMap<Mac, Binding>,
    ips: HashMap<IpAddr, Mac>,
    /// See [`REBIND_AFTER`] (tests shorten it).
    pub rebind_after: Duration,
}

impl Default for Bindings {
    fn default() -> Self {
        Bindings {
            macs: HashMap::new(),
            ips: HashMap::new(),
            rebind_after: REBIND_AFTER,
        }
    }
}

impl Bindings {
    /// `ip` says (or is said to be) `mac`, by `how`; `boot`: the request
    /// starts a boot sequence.
    pub fn claim(&mut self, ip: IpAddr, mac: Mac, how: How, boot: bool, now: Instant) -> Claim {
        // A new lease is a real move; otherwise only a new boot after the
        // old address fell silent, and never away from a lease (the bench
        // DHCP server leases it a new address when it really moves).
        let rebind_after = self.rebind_after;
        let may_move = move |b: &Binding| {
            how == How::Lease
                || (b.how != How::Lease && boot && now.duration_since(b.heard) >= rebind_after)
        };
        if let Some(&other) = self.ips.get(&ip)
            && other != mac
        {
            // An address bound by a request alone changes phone when it
            // names another (tests replay phones one after another from
            // one address; only a device sending from it can do that).
            let held = self.macs[&other];
            let renamed = how == How::Request && held.how == How::Request;
            if !renamed && !may_move(&held) {
                return Claim::AddressTaken { by: other };
            }
            self.unbind(other);
        }
        match self.macs.get(&mac).copied() {
            Some(b) if b.ip == ip => {
                let b = self.macs.get_mut(&mac).expect("just read");
                b.heard = now;
                if how == How::Lease {
                    b.how = How::Lease;
                }
                Claim::Same
            }
            Some(b) if !may_move(&b) => Claim::Held { holder: b.ip },
            Some(b) => {
                self.ips.remove(&b.ip);
                self.bind(ip, mac, how, now);
                Claim::Moved { from: b.ip }
            }
            None => {
                self.bind(ip, mac, how, now);
                Claim::New
            }
        }
    }

    /// Binds `mac` to `ip` whatever was known (what the ladder decided, or
    /// what the saved state says).
    pub fn force(&mut self, ip: IpAddr, mac: Mac, how: How, now: Instant) {
        if let Some(other) = self.ips.get(&ip).copied()
            && other != mac
        {
            self.unbind(other);
        }
        if let Some(old) = self.macs.get(&mac).map(|b| b.ip) {
            self.ips.remove(&old);
        }
        self.bind(ip, mac, how, now);
    }

    fn bind(&mut self, ip: IpAddr, mac: Mac, how: How, now: Instant) {
        if self.macs.len() >= MAX_BOUND
            && !self.macs.contains_key(&mac)
            && let Some(oldest) = self
                .macs
                .iter()
                .min_by_key(|(_, b)| b.heard)
                .map(|(m, _)| *m)
        {
            self.unbind(oldest);
        }
        self.macs.insert(
            mac,
            Binding {
                ip,
                how,
                heard: now,
            },
        );
        self.ips.insert(ip, mac);
    }

    fn unbind(&mut self, mac: Mac) {
        if let Some(b) = self.macs.remove(&mac) {
            self.ips.remove(&b.ip);
        }
    }

    /// Something came from `ip`: its phone is still there.
    pub fn heard(&mut self, ip: IpAddr, now: Instant) {
        if let Some(mac) = self.ips.get(&ip)
            && let Some(b) = self.macs.get_mut(mac)
        {
            b.heard = b.heard.max(now);
        }
    }

    /// The phone bound to `ip`, and how.
    pub fn at(&self, ip: IpAddr) -> Option<(Mac, How)> {
        let mac = *self.ips.get(&ip)?;
        Some((mac, self.macs[&mac].how))
    }

    /// The address `mac` is bound to.
    pub fn of(&self, mac: Mac) -> Option<Binding> {
        self.macs.get(&mac).copied()
    }

    /// The bindings of the MACs `keep` says, to save.
    pub fn saved(&self, keep: impl Fn(Mac) -> bool) -> Vec<SavedBinding> {
        let mut out: Vec<SavedBinding> = self
            .macs
            .iter()
            .filter(|(m, _)| keep(**m))
            .map(|(m, b)| SavedBinding {
                mac: *m,
                ip: b.ip,
                how: b.how,
            })
            .collect();
        out.sort_by_key(|b| b.mac);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(n: u8) -> Mac {
        Mac::new([0, 0x1e, 0x4a, 0, 0, n])
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 1, 1, n])
    }

    #[test]
    fn a_mac_belongs_to_one_address_until_it_really_moves() {
        let mut b = Bindings::default();
        let t0 = Instant::now();
        assert_eq!(b.claim(ip(1), mac(1), How::Request, true, t0), Claim::New);
        assert_eq!(b.claim(ip(1), mac(1), How::Request, false, t0), Claim::Same);
        // Another address naming it, even starting a boot: not while the
        // phone's own address is heard from.
        let soon = t0 + Duration::from_secs(5);
        b.heard(ip(1), soon);
        assert_eq!(
            b.claim(ip(2), mac(1), How::Request, true, soon),
            Claim::Held { holder: ip(1) }
        );
        assert_eq!(b.at(ip(2)), None);
        // An address the neighbour table or a lease gave a phone is that
        // phone's: another MAC named from it is not.
        assert_eq!(
            b.claim(ip(9), mac(9), How::Neighbour, true, soon),
            Claim::New
        );
        assert_eq!(
            b.claim(ip(9), mac(2), How::Request, true, soon),
            Claim::AddressTaken { by: mac(9) }
        );
        // Silent long enough, then a new boot elsewhere: it moved.
        let later = soon + REBIND_AFTER;
        assert_eq!(
            b.claim(ip(2), mac(1), How::Request, false, later),
            Claim::Held { holder: ip(1) },
            "a request that starts no boot does not move it"
        );
        assert_eq!(
            b.claim(ip(2), mac(1), How::Request, true, later),
            Claim::Moved { from: ip(1) }
        );
        assert_eq!(b.at(ip(1)), None);
        assert_eq!(b.at(ip(2)), Some((mac(1), How::Request)));
        // A new lease moves it at once, and takes an address from another.
        assert_eq!(
            b.claim(ip(3), mac(1), How::Lease, false, later),
            Claim::Moved { from: ip(2) }
        );
        b.claim(ip(4), mac(2), How::Request, true, later);
        assert_eq!(b.claim(ip(4), mac(3), How::Lease, false, later), Claim::New);
        assert_eq!(b.of(mac(2)), None);
        // Leased: only a new lease moves it, however long it is silent.
        let much_later = later + 10 * REBIND_AFTER;
        assert_eq!(
            b.claim(ip(5), mac(1), How::Request, true, much_later),
            Claim::Held { holder: ip(3) }
        );
        assert_eq!(
            b.saved(|m| m == mac(1)),
            vec![SavedBinding {
                mac: mac(1),
                ip: ip(3),
                how: How::Lease
            }]
        );
    }
}
