//! This computer on the network: the address the phones on the bench most
//! likely see, its IPv4 interfaces, and the one port phones ask for. Both
//! the TFTP and the DHCP servers (and the session) use these, so they live
//! below all three.

mod interfaces;

pub use interfaces::{Ipv4Interface, find_interface, ipv4_interfaces, only_interface};

/// The port phones ask for; they cannot be told another.
pub const TFTP_PORT: u16 = 69;

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

/// The IPv4 address this computer sends from by default: the source address
/// the operating system picks for a route out (no packet is sent; a UDP
/// "connect" only chooses the route). `None` without a route.
pub fn default_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // TEST-NET-1 (RFC 5737): any routed address does, and none is contacted.
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}
