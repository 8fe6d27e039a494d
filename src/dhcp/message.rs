//! DHCP messages in and out, on dhcproto: reading a client's message
//! strictly (anything malformed is dropped unanswered) and building the
//! server's replies.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use dhcproto::v4::borrowed::Message as LazyMessage;
use dhcproto::v4::{
    DhcpOption, DhcpOptions, Flags, HType, MAGIC, Message, MessageType, Opcode, OptionCode,
};
use dhcproto::{Decoder, Encodable, Encoder};

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
    xid: u32,
    flags: Flags,
}

/// Reads a client's message; None for anything that is not a well-formed
/// DHCP request from an Ethernet client: too short, another magic cookie, an
/// option running past the end or not closed by END, no message type, a
/// reply, or relayed (this server serves its own wire only).
///
/// Only the options the server uses are decoded: dhcproto's decoders of
/// some rare options assert on bad lengths (debug builds panic), and a
/// hostile packet must never reach them.
pub fn parse_request(packet: &[u8]) -> Option<ClientMessage> {
    let message = LazyMessage::new(packet).ok()?;
    if packet.get(COOKIE_AT..OPTIONS_AT)? != MAGIC || !options_well_formed(&packet[OPTIONS_AT..]) {
        return None;
    }
    if message.opcode() != Opcode::BootRequest
        || message.htype() != HType::Eth
        || message.hlen() != 6
        || !message.giaddr().is_unspecified()
    {
        return None;
    }
    let mac = Mac::new(message.chaddr().try_into().ok()?);
    let mut request = ClientMessage {
        kind: MessageType::Unknown(0),
        mac,
        vendor: None,
        requested_ip: None,
        server_id: None,
        ciaddr: message.ciaddr(),
        xid: message.xid(),
        flags: message.flags(),
    };
    let mut kind = None;
    for option in message.opts() {
        match option.code() {
            OptionCode::MessageType
            | OptionCode::ClassIdentifier
            | OptionCode::RequestedIpAddress
            | OptionCode::ServerIdentifier => {}
            _ => continue,
        }
        match option.into_option().ok()? {
            DhcpOption::MessageType(k) => kind = Some(k),
            DhcpOption::ClassIdentifier(v) => request.vendor = Some(v),
            DhcpOption::RequestedIpAddress(ip) => request.requested_ip = Some(ip),
            DhcpOption::ServerIdentifier(ip) => request.server_id = Some(ip),
            _ => {}
        }
    }
    request.kind = kind?;
    Some(request)
}

/// Whether the options run code by code up to END without any length
/// running past the packet (dhcproto's lazy reader stops quietly at the
/// first bad one, so this walk, on its decoder, checks the lengths only).
fn options_well_formed(options: &[u8]) -> bool {
    const PAD: u8 = 0;
    const END: u8 = 255;
    let mut decoder = Decoder::new(options);
    loop {
        match decoder.read_u8() {
            Ok(END) => return true,
            Ok(PAD) => {}
            Ok(_) => {
                let Ok(len) = decoder.read_u8() else {
                    return false;
                };
                if decoder.read_slice(len.into()).is_err() {
                    return false;
                }
            }
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
    let mut message = Message::new_with_id(
        request.xid,
        request.ciaddr,
        yiaddr,
        siaddr,
        Ipv4Addr::UNSPECIFIED,
        &request.mac.bytes(),
    );
    message
        .set_opcode(Opcode::BootReply)
        .set_htype(HType::Eth)
        .set_flags(request.flags)
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

/// Reads a server's OFFER/ACK/NAK (for the probe and the simulated phone),
/// decoding only the options shown.
pub fn parse_answer(packet: &[u8]) -> Option<ServerAnswer> {
    let message = LazyMessage::new(packet).ok()?;
    if packet.get(COOKIE_AT..OPTIONS_AT)? != MAGIC
        || message.opcode() != Opcode::BootReply
        || message.hlen() > 16
    {
        return None;
    }
    let mut answer = ServerAnswer {
        kind: MessageType::Unknown(0),
        xid: message.xid(),
        mac: <[u8; 6]>::try_from(message.chaddr()).ok().map(Mac::new),
        yiaddr: message.yiaddr(),
        server_id: None,
        tftp_address: None,
        tftp_name: None,
        lease_secs: None,
    };
    let mut kind = None;
    for option in message.opts() {
        match option.code() {
            OptionCode::MessageType
            | OptionCode::ServerIdentifier
            | OptionCode::TFTPServerAddress
            | OptionCode::TFTPServerName
            | OptionCode::AddressLeaseTime => {}
            _ => continue,
        }
        match option.into_option() {
            Ok(DhcpOption::MessageType(k)) => kind = Some(k),
            Ok(DhcpOption::ServerIdentifier(ip)) => answer.server_id = Some(ip),
            Ok(DhcpOption::TFTPServerAddress(ip)) => answer.tftp_address = Some(ip),
            Ok(DhcpOption::TFTPServerName(name)) => {
                answer.tftp_name = Some(
                    String::from_utf8_lossy(&name)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            Ok(DhcpOption::AddressLeaseTime(secs)) => answer.lease_secs = Some(secs),
            _ => {}
        }
    }
    answer.kind = kind?;
    Some(answer)
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
    fn options_the_server_does_not_read_are_never_decoded() {
        // Rapid commit with a body, client FQDN and bulk-query status with
        // none: dhcproto's decoders assert on these lengths.
        let good = discover(mac(), 7, Some(CISCO));
        let end = good.iter().rposition(|b| *b == 255).unwrap();
        let mut p = good[..end].to_vec();
        p.extend([80, 1, 0, 81, 0, 151, 0, 255]);
        let m = parse_request(&p).expect("well-formed, so read");
        assert_eq!(m.vendor.as_deref(), Some(CISCO));
        assert!(parse_answer(&p).is_none(), "a request is no answer");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = fastrand::Rng::with_seed(9);
        let header = &discover(mac(), 7, Some(CISCO))[..OPTIONS_AT];
        for i in 0..20_000 {
            let mut tail = vec![0u8; rng.usize(0..400)];
            rng.fill(&mut tail);
            let packet = if i % 2 == 0 {
                tail
            } else {
                [header, &tail].concat()
            };
            let _ = parse_request(&packet);
            let _ = parse_answer(&packet);
        }
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
        let message = LazyMessage::new(&bytes).unwrap();
        assert!(message.opts().all(|o| o.code() != OptionCode::Router));
        assert!(message.flags().broadcast());
        assert_eq!(
            destination(&asked, MessageType::Offer),
            SocketAddrV4::new(Ipv4Addr::BROADCAST, CLIENT_PORT)
        );
    }
}
