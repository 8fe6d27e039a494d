//! TFTP packets built and read byte by byte (RFC 1350, 2347, 7440), so the
//! tests can send anything, well-formed or not.

pub const RRQ: u16 = 1;
pub const WRQ: u16 = 2;
pub const DATA: u16 = 3;
pub const ACK: u16 = 4;
pub const ERROR: u16 = 5;
pub const OACK: u16 = 6;

/// A read or write request with raw name, mode and option bytes.
pub fn request(opcode: u16, name: &[u8], mode: &[u8], opts: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut p = opcode.to_be_bytes().to_vec();
    p.extend_from_slice(name);
    p.push(0);
    p.extend_from_slice(mode);
    p.push(0);
    for (k, v) in opts {
        p.extend_from_slice(k);
        p.push(0);
        p.extend_from_slice(v);
        p.push(0);
    }
    p
}

/// An octet-mode read request with string options.
pub fn rrq(name: &str, opts: &[(&str, &str)]) -> Vec<u8> {
    let opts: Vec<(&[u8], &[u8])> = opts
        .iter()
        .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
        .collect();
    request(RRQ, name.as_bytes(), b"octet", &opts)
}

pub fn ack(block: u16) -> Vec<u8> {
    let mut p = ACK.to_be_bytes().to_vec();
    p.extend_from_slice(&block.to_be_bytes());
    p
}

pub fn error(code: u16, msg: &str) -> Vec<u8> {
    let mut p = ERROR.to_be_bytes().to_vec();
    p.extend_from_slice(&code.to_be_bytes());
    p.extend_from_slice(msg.as_bytes());
    p.push(0);
    p
}

/// A packet as received from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Data {
        block: u16,
        payload: Vec<u8>,
    },
    OAck(Vec<(String, String)>),
    Error {
        code: u16,
        msg: String,
    },
    /// Anything else a server should never send a client.
    Other(Vec<u8>),
}

impl Incoming {
    pub fn parse(buf: &[u8]) -> Incoming {
        if buf.len() < 2 {
            return Incoming::Other(buf.to_vec());
        }
        let op = u16::from_be_bytes([buf[0], buf[1]]);
        let rest = &buf[2..];
        match op {
            DATA if rest.len() >= 2 => Incoming::Data {
                block: u16::from_be_bytes([rest[0], rest[1]]),
                payload: rest[2..].to_vec(),
            },
            ERROR if rest.len() >= 2 => {
                let msg = &rest[2..];
                let end = msg.iter().position(|&b| b == 0).unwrap_or(msg.len());
                Incoming::Error {
                    code: u16::from_be_bytes([rest[0], rest[1]]),
                    msg: String::from_utf8_lossy(&msg[..end]).into_owned(),
                }
            }
            OACK => {
                let mut fields = rest
                    .split(|&b| b == 0)
                    .map(|s| String::from_utf8_lossy(s).to_ascii_lowercase());
                let mut opts = Vec::new();
                while let (Some(k), Some(v)) = (fields.next(), fields.next()) {
                    if !k.is_empty() {
                        opts.push((k, v));
                    }
                }
                Incoming::OAck(opts)
            }
            _ => Incoming::Other(buf.to_vec()),
        }
    }
}

/// The value of one option in an OACK.
pub fn oack_value(opts: &[(String, String)], name: &str) -> Option<u64> {
    opts.iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}
