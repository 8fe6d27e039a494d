//! What the bench DHCP server reports: one plain value per thing that
//! happened, and the lease table front ends fold them into.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::SystemTime;

use serde::Serialize;

use super::vendor::VendorClass;
use crate::model::Mac;

/// What the probe for other DHCP servers found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeResult {
    /// Nobody answered: this computer may hand out addresses.
    Clear,
    /// Another server offered an address: the bench is on a live network.
    OtherServer,
    /// The user chose to skip the probe.
    Skipped,
}

/// One thing the DHCP server saw or did. `--json` prints each as one line
/// tagged by `event` (`dhcp_offer`, …); `vendor` is option 60 as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DhcpEvent {
    /// The probe's outcome; `server` is the other server's address.
    DhcpProbe {
        interface: String,
        result: ProbeResult,
        #[serde(skip_serializing_if = "Option::is_none")]
        server: Option<Ipv4Addr>,
    },
    /// Serving: `addr` is this computer's address on `interface`.
    DhcpListening {
        interface: String,
        addr: Ipv4Addr,
        pool: String,
    },
    DhcpOffer {
        mac: Mac,
        ip: Ipv4Addr,
        vendor: Option<VendorClass>,
    },
    /// The phone has the address for `lease_secs`.
    DhcpAck {
        mac: Mac,
        ip: Ipv4Addr,
        vendor: Option<VendorClass>,
        lease_secs: u64,
    },
    /// The phone asked for an address that is not its to have; it starts over.
    DhcpNak { mac: Mac, ip: Ipv4Addr },
    /// The phone gave its address back.
    DhcpRelease { mac: Mac, ip: Ipv4Addr },
    /// The phone found its address in use by someone else.
    DhcpDecline { mac: Mac, ip: Ipv4Addr },
    /// A client that is not a Cisco phone of the session: never answered.
    /// Reported once per MAC.
    DhcpIgnored {
        mac: Mac,
        vendor: Option<VendorClass>,
    },
    /// No address left for this phone (said at most once a minute: `mac`
    /// is the first refused then).
    DhcpPoolFull { mac: Mac },
    /// Messages dropped over the limits (too many from one MAC, or from
    /// clients not known yet): said at most once a minute, `dropped`
    /// counting this one and those since the last time.
    DhcpDropped { dropped: u64 },
    /// A RELEASE or DECLINE naming `mac`'s lease of `ip` that did not
    /// count: not from the lease holder (sent from `from`), or a DECLINE
    /// after the phone started using the address. Said at most once a minute.
    DhcpNotHolder {
        kind: Forged,
        mac: Mac,
        ip: Ipv4Addr,
        from: Ipv4Addr,
    },
}

/// Which message a [`DhcpEvent::DhcpNotHolder`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forged {
    Release,
    Decline,
}

impl DhcpEvent {
    /// One JSON object, no newline (the `--json` line format).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialise")
    }
}

/// One phone in the lease table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaseRow {
    pub mac: Mac,
    /// The address offered or held (None once given back).
    pub ip: Option<Ipv4Addr>,
    pub vendor: Option<VendorClass>,
    /// Whether the phone acknowledged it (holds it now).
    pub bound: bool,
    #[serde(skip)]
    pub first_seen: SystemTime,
}

/// The phones the DHCP server dealt with, by MAC: what the wizard's lease
/// table shows and what tells journeys which phone an address is.
#[derive(Debug, Clone, Default)]
pub struct LeaseTable {
    rows: BTreeMap<Mac, LeaseRow>,
}

impl LeaseTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Folds one event in, timed now.
    pub fn apply(&mut self, event: &DhcpEvent) {
        self.apply_at(event, SystemTime::now());
    }

    /// Folds one event in at a given time.
    pub fn apply_at(&mut self, event: &DhcpEvent, now: SystemTime) {
        let (mac, ip, vendor, bound) = match event {
            DhcpEvent::DhcpOffer { mac, ip, vendor } => (*mac, Some(*ip), vendor, false),
            DhcpEvent::DhcpAck {
                mac, ip, vendor, ..
            } => (*mac, Some(*ip), vendor, true),
            DhcpEvent::DhcpNak { mac, .. }
            | DhcpEvent::DhcpRelease { mac, .. }
            | DhcpEvent::DhcpDecline { mac, .. } => (*mac, None, &None, false),
            _ => return,
        };
        let row = self.rows.entry(mac).or_insert_with(|| LeaseRow {
            mac,
            ip: None,
            vendor: None,
            bound: false,
            first_seen: now,
        });
        row.ip = ip;
        row.bound = bound;
        if vendor.is_some() {
            row.vendor.clone_from(vendor);
        }
    }

    pub fn rows(&self) -> impl Iterator<Item = &LeaseRow> {
        self.rows.values()
    }

    /// The phone that holds `ip`, if any.
    pub fn mac_at(&self, ip: Ipv4Addr) -> Option<Mac> {
        self.rows
            .values()
            .find(|r| r.bound && r.ip == Some(ip))
            .map(|r| r.mac)
    }

    pub fn get(&self, mac: Mac) -> Option<&LeaseRow> {
        self.rows.get(&mac)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape() {
        let mac: Mac = "00:1e:4a:12:34:56".parse().unwrap();
        let e = DhcpEvent::DhcpOffer {
            mac,
            ip: Ipv4Addr::new(192, 168, 10, 100),
            vendor: Some(VendorClass::from_bytes(
                b"Cisco Systems, Inc. IP Phone CP-7960G\0",
            )),
        };
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["event"], "dhcp_offer");
        assert_eq!(v["mac"], "00:1e:4a:12:34:56");
        assert_eq!(v["ip"], "192.168.10.100");
        assert_eq!(v["vendor"], "Cisco Systems, Inc. IP Phone CP-7960G");
        let i = DhcpEvent::DhcpIgnored { mac, vendor: None };
        let v: serde_json::Value = serde_json::from_str(&i.to_json()).unwrap();
        assert_eq!(v["event"], "dhcp_ignored");
        assert!(v["vendor"].is_null());
        let p = DhcpEvent::DhcpProbe {
            interface: "eth1".into(),
            result: ProbeResult::OtherServer,
            server: Some(Ipv4Addr::new(192, 168, 1, 1)),
        };
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["event"], "dhcp_probe");
        assert_eq!(v["result"], "other_server");
        assert_eq!(v["server"], "192.168.1.1");
    }

    #[test]
    fn the_table_keeps_vendor_and_first_seen() {
        let mac: Mac = "00:1e:4a:12:34:56".parse().unwrap();
        let ip = Ipv4Addr::new(192, 168, 10, 100);
        let old = Some(VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0"));
        let t0 = SystemTime::UNIX_EPOCH;
        let mut table = LeaseTable::new();
        table.apply_at(
            &DhcpEvent::DhcpOffer {
                mac,
                ip,
                vendor: old.clone(),
            },
            t0,
        );
        assert_eq!(table.mac_at(ip), None, "offered is not held");
        let later = t0 + std::time::Duration::from_secs(5);
        table.apply_at(
            &DhcpEvent::DhcpAck {
                mac,
                ip,
                vendor: None,
                lease_secs: 600,
            },
            later,
        );
        let row = table.get(mac).unwrap();
        assert_eq!((row.ip, row.bound, row.first_seen), (Some(ip), true, t0));
        assert_eq!(row.vendor, old);
        assert_eq!(table.mac_at(ip), Some(mac));
        table.apply_at(&DhcpEvent::DhcpRelease { mac, ip }, later);
        assert_eq!(table.mac_at(ip), None);
    }
}
