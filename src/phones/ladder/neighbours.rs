//! The operating system's neighbour (ARP) table, where it can be read
//! without privileges: Linux's `/proc/net/arp`. A phone on the bench LAN
//! asks for this computer's address before its first TFTP request, so the
//! table usually has it; elsewhere (macOS, Windows) this finds nothing and
//! the other ways of placing a phone apply.

use std::net::IpAddr;

use crate::model::Mac;

/// The MAC the neighbour table holds for `ip`, if it can be read.
pub fn mac_of(ip: IpAddr) -> Option<Mac> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let text = std::fs::read_to_string("/proc/net/arp").ok()?;
    find(&text, ip)
}

/// Reads `/proc/net/arp`'s text: a header line, then `IP HW-type Flags
/// HW-address Mask Device` per entry. Incomplete entries (flags 0x0, MAC
/// all zeros) are skipped.
pub fn find(table: &str, ip: IpAddr) -> Option<Mac> {
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [addr, _hw, flags, mac, ..] = cols.as_slice() else {
            return None;
        };
        if addr.parse::<IpAddr>().ok()? != ip || *flags == "0x0" {
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
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            find(TABLE, ip("10.1.1.7")).map(|m| m.upper()),
            Some("000E84C060A6".to_string())
        );
        assert_eq!(find(TABLE, ip("10.1.1.8")), None);
        assert_eq!(find(TABLE, ip("10.1.1.9")), None);
        assert_eq!(find("", ip("10.1.1.7")), None);
    }
}
