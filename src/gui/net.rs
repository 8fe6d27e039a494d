//! This computer's addresses, per interface, for the Network step.

use std::net::IpAddr;

/// One address of one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iface {
    pub name: String,
    pub addr: IpAddr,
}

/// IPv4 addresses the phones could reach (the 7940/7960 speak IPv4 only),
/// loopback last so it is never the default choice; the core lists them
/// (the bench DHCP server serves the same list).
pub fn interfaces() -> Vec<Iface> {
    convert79xx::dhcp::ipv4_interfaces()
        .into_iter()
        .map(|i| Iface {
            addr: IpAddr::V4(i.addr),
            name: i.name,
        })
        .collect()
}
