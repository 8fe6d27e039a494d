//! This computer's IPv4 interfaces: the one the bench server binds, and the
//! list the wizard offers.

use std::net::Ipv4Addr;

/// One IPv4 address of one interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Interface {
    /// The system's name (`eth0`, `en5`, `Ethernet 2`).
    pub name: String,
    pub addr: Ipv4Addr,
    pub netmask: Ipv4Addr,
    /// The OS's interface index (macOS binds a socket by it).
    pub index: Option<u32>,
}

impl Ipv4Interface {
    /// Prefix length of the netmask (24 for 255.255.255.0).
    pub fn prefix_len(&self) -> u8 {
        u32::from(self.netmask).leading_ones() as u8
    }

    /// Whether `ip` is on this interface's subnet.
    pub fn on_subnet(&self, ip: Ipv4Addr) -> bool {
        let mask = u32::from(self.netmask);
        u32::from(ip) & mask == u32::from(self.addr) & mask
    }
}

/// IPv4 interfaces that could face phones (the 7940/7960 speak IPv4 only),
/// loopback last so it is never the default choice. Empty if the system
/// cannot list them.
pub fn ipv4_interfaces() -> Vec<Ipv4Interface> {
    let mut list: Vec<Ipv4Interface> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.addr {
            if_addrs::IfAddr::V4(v4) => Some(Ipv4Interface {
                name: i.name,
                addr: v4.ip,
                netmask: v4.netmask,
                index: i.index,
            }),
            if_addrs::IfAddr::V6(_) => None,
        })
        .collect();
    list.sort_by_key(|i| (i.addr.is_loopback(), i.name.clone()));
    list
}

/// The interface named `name` (its first IPv4 address).
pub fn find_interface(name: &str) -> Option<Ipv4Interface> {
    ipv4_interfaces().into_iter().find(|i| i.name == name)
}

/// The interface to serve when none is named: the only non-loopback one
/// with an address. None when there are several (the user must choose)
/// or none.
pub fn only_interface() -> Option<Ipv4Interface> {
    let mut candidates = ipv4_interfaces()
        .into_iter()
        .filter(|i| !i.addr.is_loopback() && !i.addr.is_link_local());
    let first = candidates.next()?;
    candidates.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_subnet() {
        let i = Ipv4Interface {
            name: "eth1".into(),
            addr: Ipv4Addr::new(192, 168, 10, 1),
            netmask: Ipv4Addr::new(255, 255, 255, 0),
            index: None,
        };
        assert_eq!(i.prefix_len(), 24);
        assert!(i.on_subnet(Ipv4Addr::new(192, 168, 10, 200)));
        assert!(!i.on_subnet(Ipv4Addr::new(192, 168, 11, 1)));
    }
}
