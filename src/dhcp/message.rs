//! DHCP messages in and out, on dhcproto: reading a client's message
//! strictly (anything malformed is dropped unanswered) and building the
//! server's replies.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use dhcproto::v4::{
    DhcpOption, DhcpOptions, Flags, HType, MAGIC, Message, MessageType, Opcode, OptionCode,
};
use dhcproto::{Decodable, Decoder, Encodable, Encoder};

use crate::model::Mac;

/// The port servers listen on.
pub const SERVER_PORT: u16 = 67;
/// The port clients listen on.
pub const CLIENT_PORT: u16 = 68;

/// RFC 2131 §2: 236 bytes of fixed fields, then the magic cookie, then options.
const COOKIE_AT: usize = 236;
const OPTIONS_AT: usize = COOKIE_AT + MAGIC.len();
/// RFC 1542 §3.4: a BOOTP message is at least 300 bytes; some old clients
/// drop shorter ones, so replies are padded to it.
const MIN_MESSAGE: usize = 300;

/// A client's message that passed every check.
#[derive(Debug, Clone)]
pub struct ClientMessage {
    pub kind: MessageType,
    pub mac: Mac,
    /// Option 60 as sent.
    pub vendor: Option<Vec<u8>>,
    /// Option 50.
    pub requested_ip: Option<Ipv4Addr>,
    /// Option 54: the server the client chose.
    pub server_id: Option<Ipv4Addr>,
    pub ciaddr: Ipv4Addr,
    message: Message,
}

/// Reads a client's message; None for anything that is not a well-formed
/// DHCP request from an Ethernet client: too short, another magic cookie, an
/// option running past the end or not closed by END, no message type, a
/// reply, or relayed (this server serves its own wire only).
pub fn parse_request(packet: &[u8]) -> Option<ClientMessage> {
    if packet.get(COOKIE_AT..OPTIONS_AT)? != MAGIC || !options_well_formed(&packet[OPTIONS_AT..]) {
        return None;
    }
    let message = Message::decode(&mut Decoder::new(packet)).ok()?;
    if message.opcode() != Opcode::BootRequest
        || message.htype() != HType::Eth
        || message.hlen() != 6
        || !message.giaddr().is_unspecified()
    {
        return None;
    }
    let mac = Mac::new(message.chaddr().try_into().ok()?);
    let opts = message.opts();
    let kind = opts.msg_type()?;
    let vendor = match opts.get(OptionCode::ClassIdentifier) {
        Some(DhcpOption::ClassIdentifier(v)) => Some(v.clone()),
        _ => None,
    };
    let requested_ip = match opts.get(OptionCode::RequestedIpAddress) {
        Some(DhcpOption::RequestedIpAddress(ip)) => Some(*ip),
        _ => None,
    };
    let server_id = match opts.get(OptionCode::ServerIdentifier) {
        Some(DhcpOption::ServerIdentifier(ip)) => Some(*ip),
        _ => None,
    };
    Some(ClientMessage {
        kind,
        mac,
        vendor,
        requested_ip,
        server_id,
        ciaddr: message.ciaddr(),
        message,
    })
}

/// Whether the options decode one by one up to END without running past
/// the packet (dhcproto's own decoder stops quietly at the first bad one).
fn options_well_formed(options: &[u8]) -> bool {
    let mut decoder = Decoder::new(options);
    loop {
        match DhcpOption::decode(&mut decoder) {
            Ok(DhcpOption::End) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// What every reply of this server carries.
#[derive(Debug, Clone)]
pub struct ServerIdentity {
    /// This computer's address on the bench: server identifier, TFTP server.
    pub addr: Ipv4Addr,
    pub netmask: Ipv4Addr,
    pub router: Option<Ipv4Addr>,
}

/// An OFFER or ACK giving `yiaddr` (INFORM's ACK: unspecified, no lease
/// time): subnet mask, router if one was given, options 150 and 66 naming
/// this computer as the TFTP server, lease time, server identifier.
pub fn reply(
    request: &ClientMessage,
    kind: MessageType,
    yiaddr: Ipv4Addr,
    lease: Option<Duration>,
    server: &ServerIdentity,
) -> Vec<u8> {
    let mut opts = DhcpOptions::new();
    opts.insert(DhcpOption::MessageType(kind));
    opts.insert(DhcpOption::ServerIdentifier(server.addr));
    if let Some(lease) = lease {
        let secs = u32::try_from(lease.as_secs()).unwrap_or(u32::MAX);
        opts.insert(DhcpOption::AddressLeaseTime(secs));
    }
    opts.insert(DhcpOption::SubnetMask(server.netmask));
    if let Some(router) = server.router {
        opts.insert(DhcpOption::Router(vec![router]));
    }
    opts.insert(DhcpOption::TFTPServerAddress(server.addr));
    opts.insert(DhcpOption::TFTPServerName(
        server.addr.to_string().into_bytes(),
    ));
    encode(answer(request, yiaddr, server.addr, opts))
}

/// A NAK: the address the client asked for is not its to have.
pub fn nak(request: &ClientMessage, server: Ipv4Addr) -> Vec<u8> {
    let mut opts = DhcpOptions::new();
    opts.insert(DhcpOption::MessageType(MessageType::Nak));
    opts.insert(DhcpOption::ServerIdentifier(server));
    let mut message = answer(request, Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED, opts);
    message.set_ciaddr(Ipv4Addr::UNSPECIFIED);
    encode(message)
}

/// Where a reply goes (RFC 2131 §4.1, no relays): to a client that has an
/// address (ciaddr) by unicast, else by broadcast, since unicasting to an
/// address the client does not hold yet needs raw sockets; a NAK always by
/// broadcast.
pub fn destination(request: &ClientMessage, kind: MessageType) -> SocketAddrV4 {
    if kind != MessageType::Nak && !request.ciaddr.is_unspecified() {
        SocketAddrV4::new(request.ciaddr, CLIENT_PORT)
    } else {
        SocketAddrV4::new(Ipv4Addr::BROADCAST, CLIENT_PORT)
    }
}

fn answer(
    request: &ClientMessage,
    yiaddr: Ipv4Addr,
    siaddr: Ipv4Addr,
    opts: DhcpOptions,
) -> Message {
    let asked = &request.message;
    let mut message = Message::new_with_id(
        asked.xid(),
        asked.ciaddr(),
        yiaddr,
        siaddr,
        Ipv4Addr::UNSPECIFIED,
        &request.mac.bytes(),
    );
    message
        .set_opcode(Opcode::BootReply)
        .set_htype(HType::Eth)
        .set_flags(asked.flags())
        .set_opts(opts);
    message
}

fn encode(message: Message) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(MIN_MESSAGE);
    message
        .encode(&mut Encoder::new(&mut bytes))
        .expect("encoding into a Vec cannot fail");
    if bytes.len() < MIN_MESSAGE {
        bytes.resize(MIN_MESSAGE, 0);
    }
    bytes
}

/// A client's DISCOVER (the probe, the simulated phone): broadcast flag
/// set, so offers come back by broadcast to a client without an address.
pub fn discover(mac: Mac, xid: u32, vendor: Option<&[u8]>) -> Vec<u8> {
    client_message(mac, xid, MessageType::Discover, vendor, &[])
}

/// A client's REQUEST for `ip` from `server` (SELECTING state).
pub fn request(
    mac: Mac,
    xid: u32,
    ip: Ipv4Addr,
    server: Ipv4Addr,
    vendor: Option<&[u8]>,
) -> Vec<u8> {
    client_message(
        mac,
        xid,
        MessageType::Request,
        vendor,
        &[
            DhcpOption::RequestedIpAddress(ip),
            DhcpOption::ServerIdentifier(server),
        ],
    )
}

fn client_message(
    mac: Mac,
    xid: u32,
    kind: MessageType,
    vendor: Option<&[u8]>,
    extra: &[DhcpOption],
) -> Vec<u8> {
    let unspecified = Ipv4Addr::UNSPECIFIED;
    let mut message = Message::new_with_id(
        xid,
        unspecified,
        unspecified,
        unspecified,
        unspecified,
        &mac.bytes(),
    );
    message.set_flags(Flags::default().set_broadcast());
    let opts = message.opts_mut();
    opts.insert(DhcpOption::MessageType(kind));
    if let Some(vendor) = vendor {
        opts.insert(DhcpOption::ClassIdentifier(vendor.to_vec()));
    }
    opts.insert(DhcpOption::ParameterRequestList(vec![
        OptionCode::SubnetMask,
        OptionCode::Router,
        OptionCode::TFTPServerName,
        OptionCode::TFTPServerAddress,
    ]));
    for option in extra {
        opts.insert(option.clone());
    }
    encode(message)
}

/// A server's answer as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAnswer {
    pub kind: MessageType,
    pub xid: u32,
    pub mac: Option<Mac>,
    pub yiaddr: Ipv4Addr,
    /// Option 54.
    pub server_id: Option<Ipv4Addr>,
    /// Option 150.
    pub tftp_address: Option<Ipv4Addr>,
    /// Option 66, as text.
    pub tftp_name: Option<String>,
    /// Option 51.
    pub lease_secs: Option<u32>,
}

/// Reads a server's OFFER/ACK/NAK (for the probe and the simulated phone).
pub fn parse_answer(packet: &[u8]) -> Option<ServerAnswer> {
    if packet.get(COOKIE_AT..OPTIONS_AT)? != MAGIC {
        return None;
    }
    let message = Message::decode(&mut Decoder::new(packet)).ok()?;
    if message.opcode() != Opcode::BootReply || message.hlen() > 16 {
        return None;
    }
    let opts = message.opts();
    let mac = <[u8; 6]>::try_from(message.chaddr()).ok().map(Mac::new);
    Some(ServerAnswer {
        kind: opts.msg_type()?,
        xid: message.xid(),
        mac,
        yiaddr: message.yiaddr(),
        server_id: match opts.get(OptionCode::ServerIdentifier) {
            Some(DhcpOption::ServerIdentifier(ip)) => Some(*ip),
            _ => None,
        },
        tftp_address: match opts.get(OptionCode::TFTPServerAddress) {
            Some(DhcpOption::TFTPServerAddress(ip)) => Some(*ip),
            _ => None,
        },
        tftp_name: match opts.get(OptionCode::TFTPServerName) {
            Some(DhcpOption::TFTPServerName(name)) => Some(
                String::from_utf8_lossy(name)
                    .trim_end_matches('\0')
                    .to_string(),
            ),
            _ => None,
        },
        lease_secs: match opts.get(OptionCode::AddressLeaseTime) {
            Some(DhcpOption::AddressLeaseTime(secs)) => Some(*secs),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CISCO: &[u8] = b"Cisco Systems, Inc. IP Phone CP-7960G\0";

    fn mac() -> Mac {
        "00:1e:4a:12:34:56".parse().unwrap()
    }

    #[test]
    fn a_discover_reads_back() {
        let packet = discover(mac(), 7, Some(CISCO));
        let m = parse_request(&packet).unwrap();
        assert_eq!(m.kind, MessageType::Discover);
        assert_eq!(m.mac, mac());
        assert_eq!(m.vendor.as_deref(), Some(CISCO));
    }

    #[test]
    fn malformed_requests_are_dropped() {
        let good = discover(mac(), 7, Some(CISCO));
        let end = good.iter().rposition(|b| *b == 255).unwrap();
        for len in 0..=end {
            assert!(parse_request(&good[..len]).is_none(), "truncated to {len}");
        }
        let mut cookie = good.clone();
        cookie[COOKIE_AT] ^= 1;
        assert!(parse_request(&cookie).is_none());
        // The first option (53, length 1) claims 200 bytes.
        let mut long = good[..OPTIONS_AT + 3].to_vec();
        long[OPTIONS_AT + 1] = 200;
        assert!(parse_request(&long).is_none());
        let mut reply_op = good.clone();
        reply_op[0] = 2;
        assert!(parse_request(&reply_op).is_none());
        let mut wide = good;
        wide[2] = 200; // hlen beyond chaddr
        assert!(parse_request(&wide).is_none());
    }

    #[test]
    fn a_reply_carries_the_tftp_options() {
        let asked = parse_request(&discover(mac(), 9, Some(CISCO))).unwrap();
        let server = ServerIdentity {
            addr: Ipv4Addr::new(192, 168, 10, 1),
            netmask: Ipv4Addr::new(255, 255, 255, 0),
            router: None,
        };
        let ip = Ipv4Addr::new(192, 168, 10, 100);
        let bytes = reply(
            &asked,
            MessageType::Offer,
            ip,
            Some(Duration::from_secs(600)),
            &server,
        );
        assert!(bytes.len() >= MIN_MESSAGE);
        let a = parse_answer(&bytes).unwrap();
        assert_eq!(a.kind, MessageType::Offer);
        assert_eq!((a.xid, a.mac, a.yiaddr), (9, Some(mac()), ip));
        assert_eq!(a.tftp_address, Some(server.addr));
        assert_eq!(a.tftp_name.as_deref(), Some("192.168.10.1"));
        assert_eq!(a.server_id, Some(server.addr));
        assert_eq!(a.lease_secs, Some(600));
        let message = Message::decode(&mut Decoder::new(&bytes)).unwrap();
        assert!(message.opts().get(OptionCode::Router).is_none());
        assert!(message.flags().broadcast());
        assert_eq!(
            destination(&asked, MessageType::Offer),
            SocketAddrV4::new(Ipv4Addr::BROADCAST, CLIENT_PORT)
        );
    }
}
