//! Which phone is at an address, for answering a request that names no MAC
//! (OS79XX.TXT, XMLDefault.cnf.xml, SIPDefault.cnf, the image files): its
//! DHCP lease first, else an earlier request at that address that named
//! its MAC, else the operating system's neighbour (ARP) table.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use crate::dhcp::{VendorClass, VendorEra};
use crate::model::Mac;

/// How a phone was placed at its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// More addresses than a bench has phones; beyond it old ties are dropped,
/// so a client inventing addresses cannot grow this without end.
const MAX_PLACES: usize = 4096;

/// What is known of who is where.
#[derive(Debug, Default)]
pub struct Places {
    leases: HashMap<IpAddr, Mac>,
    requests: HashMap<IpAddr, Mac>,
    /// The last vendor class each MAC sent with a lease (docs/field-facts.md §7.5).
    vendors: HashMap<Mac, VendorEra>,
    /// Read the neighbour table for addresses not placed otherwise (off in
    /// tests, whose loopback phones have no neighbour entries anyway).
    pub use_neighbours: bool,
}

impl Places {
    pub fn new() -> Self {
        Places {
            use_neighbours: true,
            ..Default::default()
        }
    }

    /// A request from `ip` named `mac`.
    pub fn tie(&mut self, ip: IpAddr, mac: Mac) {
        bounded_insert(&mut self.requests, ip, mac);
    }

    /// A lease of `ip` to `mac`. Returns the era the vendor class moved
    /// from and to when it changed (a phone that left an old image for the
    /// loader or a loader-era image, §7.5).
    pub fn lease(
        &mut self,
        ip: IpAddr,
        mac: Mac,
        vendor: Option<&VendorClass>,
    ) -> Option<(VendorEra, VendorEra)> {
        bounded_insert(&mut self.leases, ip, mac);
        let era = vendor.map(VendorClass::era)?;
        if era == VendorEra::NotCisco {
            return None;
        }
        match self.vendors.insert(mac, era) {
            Some(before) if before != era => Some((before, era)),
            _ => None,
        }
    }

    /// The phone at `ip`, and how that is known.
    pub fn find(&self, ip: IpAddr) -> Option<(Mac, How)> {
        if let Some(mac) = self.leases.get(&ip) {
            return Some((*mac, How::Lease));
        }
        if let Some(mac) = self.requests.get(&ip) {
            return Some((*mac, How::Request));
        }
        if self.use_neighbours {
            return super::neighbours::mac_of(ip).map(|mac| (mac, How::Neighbour));
        }
        None
    }
}

fn bounded_insert(map: &mut HashMap<IpAddr, Mac>, ip: IpAddr, mac: Mac) {
    if map.len() >= MAX_PLACES && !map.contains_key(&ip) {
        map.clear();
    }
    map.insert(ip, mac);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_wins_over_a_request_and_a_vendor_change_is_told() {
        let ip: IpAddr = "10.1.1.5".parse().unwrap();
        let (a, b) = (Mac::new([0, 1, 2, 3, 4, 5]), Mac::new([0, 1, 2, 3, 4, 6]));
        let mut p = Places::default();
        assert_eq!(p.find(ip), None);
        p.tie(ip, a);
        assert_eq!(p.find(ip), Some((a, How::Request)));
        let old = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0");
        let new = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone CP-7960G\0");
        assert_eq!(p.lease(ip, b, Some(&old)), None);
        assert_eq!(p.find(ip), Some((b, How::Lease)));
        assert_eq!(p.lease(ip, b, Some(&old)), None);
        assert_eq!(
            p.lease(ip, b, Some(&new)),
            Some((VendorEra::OldImage, VendorEra::LoaderEra))
        );
    }
}
