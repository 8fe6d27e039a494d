//! Where a datagram on the listening socket arrived: the address
//! the client sent it to and the interface it came in on.
//!
//! A server bound to the wildcard address hears every network of the
//! machine. Asking the kernel for each datagram's destination lets the
//! caller keep one interface only (`TftpServerBuilder::accept`), and lets
//! each transfer answer from the address the client asked. Linux gives both
//! in one `IP_PKTINFO` message; the BSDs and macOS give `IP_RECVDSTADDR`
//! and `IP_RECVIF`. Elsewhere (Windows) nothing is known: a caller there
//! binds the interface's address instead.

use async_io::Async;
use std::io;
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// Where one datagram arrived; `None` where the system does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arrival {
    /// The destination address in the datagram's IP header.
    pub local: Option<IpAddr>,
    /// The index of the interface it came in on.
    pub interface: Option<u32>,
}

impl Arrival {
    /// The address a transfer should answer from: the one the client
    /// asked, when it is one this machine can bind (not a broadcast).
    pub(crate) fn reply_from(&self, listening: IpAddr) -> IpAddr {
        match self.local {
            Some(IpAddr::V4(ip))
                if !ip.is_broadcast() && !ip.is_multicast() && !ip.is_unspecified() =>
            {
                IpAddr::V4(ip)
            }
            _ => listening,
        }
    }
}

/// Whether this system reports where datagrams arrived.
pub const ARRIVAL_KNOWN: bool = cfg!(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
));

#[cfg(any(target_os = "linux", target_os = "android"))]
mod imp {
    use super::*;
    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };
    use std::io::IoSliceMut;
    use std::net::Ipv4Addr;
    use std::os::fd::AsRawFd;

    pub(super) fn enable(socket: &UdpSocket) -> io::Result<()> {
        setsockopt(socket, sockopt::Ipv4PacketInfo, &true)?;
        Ok(())
    }

    pub(super) fn recv(
        socket: &UdpSocket,
        buf: &mut [u8],
    ) -> io::Result<(usize, SocketAddr, Arrival)> {
        let mut iov = [IoSliceMut::new(buf)];
        let mut space = super::control_space();
        let msg = recvmsg::<SockaddrStorage>(
            socket.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::empty(),
        )?;
        let mut arrival = Arrival::default();
        // Control data cut short (MSG_CTRUNC) leaves the arrival unknown:
        // the caller drops that datagram, the server goes on.
        for cmsg in msg.cmsgs().into_iter().flatten() {
            if let ControlMessageOwned::Ipv4PacketInfo(info) = cmsg {
                arrival.local = Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    info.ipi_addr.s_addr,
                ))));
                arrival.interface = u32::try_from(info.ipi_ifindex).ok();
            }
        }
        Ok((msg.bytes, super::peer(msg.address)?, arrival))
    }
}

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
mod imp {
    use super::*;
    use nix::sys::socket::{
        ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
    };
    use std::io::IoSliceMut;
    use std::net::Ipv4Addr;
    use std::os::fd::AsRawFd;

    pub(super) fn enable(socket: &UdpSocket) -> io::Result<()> {
        setsockopt(socket, sockopt::Ipv4RecvDstAddr, &true)?;
        setsockopt(socket, sockopt::Ipv4RecvIf, &true)?;
        Ok(())
    }

    pub(super) fn recv(
        socket: &UdpSocket,
        buf: &mut [u8],
    ) -> io::Result<(usize, SocketAddr, Arrival)> {
        let mut iov = [IoSliceMut::new(buf)];
        let mut space = super::control_space();
        let msg = recvmsg::<SockaddrStorage>(
            socket.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::empty(),
        )?;
        let mut arrival = Arrival::default();
        // Control data cut short (MSG_CTRUNC) leaves the arrival unknown:
        // the caller drops that datagram, the server goes on.
        for cmsg in msg.cmsgs().into_iter().flatten() {
            match cmsg {
                ControlMessageOwned::Ipv4RecvDstAddr(addr) => {
                    arrival.local = Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(addr.s_addr))));
                }
                ControlMessageOwned::Ipv4RecvIf(dl) => {
                    arrival.interface = Some(u32::from(dl.sdl_index));
                }
                _ => {}
            }
        }
        Ok((msg.bytes, super::peer(msg.address)?, arrival))
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
mod imp {
    use super::*;

    pub(super) fn enable(_socket: &UdpSocket) -> io::Result<()> {
        Ok(())
    }

    pub(super) fn recv(
        socket: &UdpSocket,
        buf: &mut [u8],
    ) -> io::Result<(usize, SocketAddr, Arrival)> {
        let (len, peer) = socket.recv_from(buf)?;
        Ok((len, peer, Arrival::default()))
    }
}

#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
fn peer(address: Option<nix::sys::socket::SockaddrStorage>) -> io::Result<SocketAddr> {
    let address = address
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "datagram without sender"))?;
    if let Some(v4) = address.as_sockaddr_in() {
        return Ok(SocketAddr::V4((*v4).into()));
    }
    if let Some(v6) = address.as_sockaddr_in6() {
        return Ok(SocketAddr::V6((*v6).into()));
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "datagram from a non-IP sender",
    ))
}

/// Room for the control messages: more than they need, because the
/// BSDs' `IP_RECVIF` carries a `sockaddr_dl` longer than the struct when
/// the interface name and link address are long (`bridge100`).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
fn control_space() -> Vec<u8> {
    vec![0u8; 256]
}

/// Asks the kernel to say where each datagram arrives.
pub(crate) fn enable(socket: &Async<UdpSocket>) -> io::Result<()> {
    imp::enable(socket.get_ref())
}

/// Receives one datagram with where it arrived.
pub(crate) async fn recv(
    socket: &Async<UdpSocket>,
    buf: &mut [u8],
) -> io::Result<(usize, SocketAddr, Arrival)> {
    socket.read_with(|s| imp::recv(s, buf)).await
}
