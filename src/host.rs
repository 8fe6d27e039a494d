//! This computer's address as the phones on the bench most likely see it.

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
