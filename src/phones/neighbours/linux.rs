//! Linux: `/proc/net/arp`, the kernel's IPv4 neighbour table of this
//! process's network namespace, readable without privileges.

use std::net::{IpAddr, Ipv4Addr};

use crate::model::Mac;

pub fn read(ip: Ipv4Addr) -> Option<Mac> {
    let text = std::fs::read_to_string("/proc/net/arp").ok()?;
    find(&text, ip)
}

/// Reads `/proc/net/arp`'s text: a header line, then `IP HW-type Flags
/// HW-address Mask Device` per entry. Incomplete entries (flags 0x0, MAC
/// all zeros) are skipped.
pub fn find(table: &str, ip: Ipv4Addr) -> Option<Mac> {
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [addr, _hw, flags, mac, ..] = cols.as_slice() else {
            return None;
        };
        if addr.parse::<IpAddr>().ok()? != IpAddr::V4(ip) || *flags == "0x0" {
            return None;
        }
        let mac: Mac = mac.parse().ok()?;
        (mac.bytes() != [0; 6]).then_some(mac)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
IP address       HW type     Flags       HW address            Mask     Device
10.1.1.7         0x1         0x2         00:0e:84:c0:60:a6     *        eth0
10.1.1.8         0x1         0x0         00:00:00:00:00:00     *        eth0
";

    #[test]
    fn complete_entries_only() {
        let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(
            find(TABLE, ip("10.1.1.7")).map(|m| m.upper()),
            Some("000E84C060A6".to_string())
        );
        assert_eq!(find(TABLE, ip("10.1.1.8")), None);
        assert_eq!(find(TABLE, ip("10.1.1.9")), None);
        assert_eq!(find("", ip("10.1.1.7")), None);
    }
}
