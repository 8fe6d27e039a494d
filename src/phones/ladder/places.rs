//! Which phone is at an address, for answering a request that names no MAC
//! (OS79XX.TXT, XMLDefault.cnf.xml, SIPDefault.cnf, the image files): the
//! MAC bound to it ([`Bindings`]: by its DHCP lease, the operating
//! system's neighbour table, or an earlier request naming its MAC), and the
//! vendor class each MAC last sent with a lease.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

use crate::dhcp::{VendorClass, VendorEra};
use crate::model::Mac;
use crate::phones::identity::{Bindings, Claim, How};
use crate::phones::neighbours::{Lookup, Neighbours};

/// MACs whose vendor class is remembered; beyond, forgotten.
const MAX_VENDORS: usize = 4096;

/// What is known of who is where.
#[derive(Debug)]
pub struct Places {
    pub bindings: Bindings,
    /// The operating system's neighbour table, read for addresses not bound.
    pub neighbours: Neighbours,
    /// The last vendor class each MAC sent with a lease (docs/field-facts.md §7.5).
    vendors: HashMap<Mac, VendorEra>,
}

impl Places {
    pub fn new(neighbours: bool) -> Self {
        Places {
            bindings: Bindings::default(),
            neighbours: Neighbours::new(neighbours),
            vendors: HashMap::new(),
        }
    }

    /// A lease of `ip` to `mac`: the MAC is bound there. Returns the era
    /// the vendor class moved from and to when it changed (a phone that
    /// left an old image for the loader or a loader-era image, §7.5).
    pub fn lease(
        &mut self,
        ip: IpAddr,
        mac: Mac,
        vendor: Option<&VendorClass>,
        now: Instant,
    ) -> (Claim, Option<(VendorEra, VendorEra)>) {
        let claim = self.bindings.claim(ip, mac, How::Lease, true, now);
        let Some(era) = vendor.map(VendorClass::era) else {
            return (claim, None);
        };
        if era == VendorEra::NotCisco {
            return (claim, None);
        }
        if self.vendors.len() >= MAX_VENDORS && !self.vendors.contains_key(&mac) {
            self.vendors.clear();
        }
        match self.vendors.insert(mac, era) {
            Some(before) if before != era => (claim, Some((before, era))),
            _ => (claim, None),
        }
    }

    /// The phone bound to `ip`, and how.
    pub fn find(&self, ip: IpAddr) -> Option<(Mac, How)> {
        self.bindings.at(ip)
    }

    /// Whether the neighbour table must be read for `ip` (it is bound to
    /// no phone and its answer is not remembered), and how long to wait.
    pub fn neighbour_lookup(&mut self, ip: IpAddr, now: Instant) -> Option<Lookup> {
        if self.bindings.at(ip).is_some() {
            return None;
        }
        match self.neighbours.lookup(ip, now) {
            Lookup::Known(_) => None,
            resolve => Some(resolve),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_binds_and_a_vendor_change_is_told() {
        let ip: IpAddr = "10.1.1.5".parse().unwrap();
        let b = Mac::new([0, 1, 2, 3, 4, 6]);
        let mut p = Places::new(false);
        let now = Instant::now();
        assert_eq!(p.find(ip), None);
        let old = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0");
        let new = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone CP-7960G\0");
        assert_eq!(p.lease(ip, b, Some(&old), now), (Claim::New, None));
        assert_eq!(p.find(ip), Some((b, How::Lease)));
        assert_eq!(p.lease(ip, b, Some(&old), now), (Claim::Same, None));
        assert_eq!(
            p.lease(ip, b, Some(&new), now).1,
            Some((VendorEra::OldImage, VendorEra::LoaderEra))
        );
        assert_eq!(p.neighbour_lookup(ip, now), None, "bound");
    }
}
