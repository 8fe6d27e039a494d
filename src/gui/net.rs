//! This computer's addresses, per interface, for the Network step.

use std::net::IpAddr;

/// One address of one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iface {
    pub name: String,
    pub addr: IpAddr,
}

/// IPv4 addresses the phones could reach (the 7940/7960 speak IPv4 only),
/// loopback last so it is never the default choice.
pub fn interfaces() -> Vec<Iface> {
    let mut list: Vec<Iface> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.ip().is_ipv4())
        .map(|i| Iface {
            addr: i.ip(),
            name: i.name,
        })
        .collect();
    list.sort_by_key(|i| (i.addr.is_loopback(), i.name.clone()));
    list
}
