//! Before answering anyone: is another DHCP server on this wire?
//!
//! A second DHCP server on an office network hands out wrong addresses to
//! every PC, so the bench server first asks like a phone would (a DISCOVER
//! from a random MAC with a Cisco vendor class, so servers that answer only
//! phones answer too) and listens for offers.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use dhcproto::v4::MessageType;
use tokio::time::{Instant, timeout_at};

use super::message::{CLIENT_PORT, SERVER_PORT, discover, parse_answer};
use super::server::{DhcpError, bind_error};
use super::socket::bind_on_interface;
use crate::host::Ipv4Interface;
use crate::model::Mac;

/// How long the probe listens by default: a little over 3 s, because
/// dnsmasq first pings the address it means to offer and waits 3 s for an
/// echo before it answers.
pub const PROBE_TIME: Duration = Duration::from_millis(3500);
/// Between two DISCOVERs of the probe: one lost packet must not hide a server.
const RESEND_EVERY: Duration = Duration::from_secs(1);

/// The vendor class the probe sends: a loader-era 7960's.
const PROBE_VENDOR: &[u8] = b"Cisco Systems, Inc. IP Phone CP-7960G\0";

/// Asks for an address on `iface` and listens for `wait`. Returns the first
/// other server that offered one (its server identifier, else the address
/// it sent from), or None when nobody answered.
pub async fn probe_for_servers(
    iface: &Ipv4Interface,
    wait: Duration,
) -> Result<Option<Ipv4Addr>, DhcpError> {
    let socket =
        bind_on_interface(iface, CLIENT_PORT).map_err(|e| bind_error(iface, CLIENT_PORT, e))?;
    let mac = random_local_mac();
    let xid = fastrand::u32(..);
    let packet = discover(mac, xid, Some(PROBE_VENDOR));
    let to = SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT);
    let deadline = Instant::now() + wait;
    socket
        .send_to(&packet, to)
        .await
        .map_err(|e| bind_error(iface, CLIENT_PORT, e))?;
    let mut resend = Instant::now() + RESEND_EVERY;
    let mut buf = vec![0u8; 2048];
    loop {
        match timeout_at(resend.min(deadline), socket.recv_from(&mut buf)).await {
            Err(_) if Instant::now() >= deadline => return Ok(None),
            Err(_) => {
                resend += RESEND_EVERY;
                let _ = socket.send_to(&packet, to).await;
            }
            Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(10)).await,
            Ok(Ok((n, from))) => {
                if let Some(answer) = parse_answer(&buf[..n])
                    && answer.xid == xid
                    && matches!(answer.kind, MessageType::Offer | MessageType::Ack)
                {
                    let from = match from {
                        SocketAddr::V4(v4) => Some(*v4.ip()),
                        SocketAddr::V6(_) => None,
                    };
                    return Ok(answer.server_id.or(from));
                }
            }
        }
    }
}

/// A random locally administered unicast MAC, so the probe never poses as
/// a real device.
fn random_local_mac() -> Mac {
    let mut bytes = [0u8; 6];
    fastrand::fill(&mut bytes);
    bytes[0] = (bytes[0] & 0xFC) | 0x02;
    Mac::new(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn probe_macs_are_local_unicast() {
        for _ in 0..100 {
            let b = super::random_local_mac().bytes();
            assert_eq!(b[0] & 0x03, 0x02);
        }
    }
}
