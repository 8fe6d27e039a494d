//! A UDP socket on one interface only, able to send and receive broadcasts.
//!
//! A DHCP server must hear broadcasts to 255.255.255.255 and answer on the
//! same wire, never on every interface of the laptop. Linux ties the socket
//! to the device (SO_BINDTODEVICE) and binds the wildcard address so
//! broadcasts arrive; macOS does the same with IP_BOUND_IF; Windows has
//! neither, and binding the interface's own address both receives its
//! broadcasts and sends out of it.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use socket2::{Domain, Protocol, Socket, Type};

use crate::host::Ipv4Interface;

/// Binds UDP `port` on `iface` alone, broadcast allowed, non-blocking.
pub fn bind_on_interface(iface: &Ipv4Interface, port: u16) -> io::Result<tokio::net::UdpSocket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    socket.set_reuse_address(true)?;
    socket.set_broadcast(true)?;
    let bind_ip = tie_to_interface(&socket, iface)?;
    socket.bind(&SocketAddr::V4(SocketAddrV4::new(bind_ip, port)).into())?;
    socket.set_nonblocking(true)?;
    tokio::net::UdpSocket::from_std(socket.into())
}

/// Ties the socket to the interface; returns the address to bind.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "fuchsia"))]
fn tie_to_interface(socket: &Socket, iface: &Ipv4Interface) -> io::Result<Ipv4Addr> {
    socket.bind_device(Some(iface.name.as_bytes()))?;
    Ok(Ipv4Addr::UNSPECIFIED)
}

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "tvos",
    target_os = "watchos",
    target_os = "visionos",
    target_os = "illumos",
    target_os = "solaris"
))]
fn tie_to_interface(socket: &Socket, iface: &Ipv4Interface) -> io::Result<Ipv4Addr> {
    let index = iface
        .index
        .and_then(std::num::NonZeroU32::new)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("the system gave no index for interface {}", iface.name),
            )
        })?;
    socket.bind_device_by_index_v4(Some(index))?;
    Ok(Ipv4Addr::UNSPECIFIED)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "fuchsia",
    target_os = "macos",
    target_os = "ios",
    target_os = "tvos",
    target_os = "watchos",
    target_os = "visionos",
    target_os = "illumos",
    target_os = "solaris"
)))]
fn tie_to_interface(_socket: &Socket, iface: &Ipv4Interface) -> io::Result<Ipv4Addr> {
    Ok(iface.addr)
}
