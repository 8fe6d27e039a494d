//! A raw TFTP read client for the tests and the benchmark. It can drop a
//! seeded random share of the DATA packets it receives and of the ACKs it
//! sends (packet loss without root or tc), and it counts how many copies of
//! each block the server sent, which is how Sorcerer's Apprentice
//! duplication shows (RFC 1123 §4.2.3.1): every duplicate ACK answered with
//! another DATA doubles the traffic.

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use super::packet::{self, Incoming};

/// Packet loss the client simulates, as probabilities in 0..1.
#[derive(Clone, Copy, Debug)]
pub struct Loss {
    /// Share of received DATA packets thrown away unread.
    pub data: f64,
    /// Share of ACKs "sent" that never leave the client.
    pub ack: f64,
    pub seed: u64,
}

impl Loss {
    pub const NONE: Loss = Loss {
        data: 0.0,
        ack: 0.0,
        seed: 0,
    };

    /// The same share lost in both directions.
    pub fn both(share: f64, seed: u64) -> Loss {
        Loss {
            data: share,
            ack: share,
            seed,
        }
    }
}

/// How to fetch one file.
#[derive(Clone, Debug)]
pub struct Fetch {
    pub blksize: Option<u16>,
    pub windowsize: Option<u16>,
    /// RFC 2349 `timeout` asked of the server, in seconds.
    pub timeout_secs: Option<u8>,
    /// Ask for `tsize` (RFC 2349).
    pub tsize: bool,
    pub loss: Loss,
    /// Send every ACK twice: a correct server ignores the second copy; one
    /// with the Sorcerer's Apprentice bug answers it with a second DATA.
    pub duplicate_acks: bool,
    /// The client's own timer: re-send the last ACK after this long silent.
    pub retransmit_after: Duration,
    /// Give up when no new block arrived for this long.
    pub give_up_after: Duration,
    /// After the final ACK, stay this long to re-ACK a repeated last block
    /// (its ACK may have been lost).
    pub linger: Duration,
}

impl Default for Fetch {
    fn default() -> Self {
        Fetch {
            blksize: None,
            windowsize: None,
            timeout_secs: None,
            tsize: false,
            loss: Loss::NONE,
            duplicate_acks: false,
            retransmit_after: Duration::from_millis(1500),
            give_up_after: Duration::from_secs(30),
            linger: Duration::ZERO,
        }
    }
}

/// What one fetch received and sent.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The client's own address, as the server's events name it.
    pub client: Option<SocketAddr>,
    pub bytes: Vec<u8>,
    pub blksize: usize,
    pub windowsize: usize,
    pub oack: Option<Vec<(String, String)>>,
    /// DATA packets received per block (absolute block number from 1, so
    /// a roll-over past 65535 keeps counting), before any simulated loss.
    pub copies: BTreeMap<u64, u32>,
    pub data_packets: u64,
    pub data_dropped: u64,
    pub acks_sent: u64,
    pub acks_dropped: u64,
    /// Packets from an unexpected address, or not DATA/OACK/ERROR.
    pub stray_packets: u64,
    pub elapsed: Duration,
}

impl Report {
    /// The most copies of any one block the server sent.
    pub fn max_copies(&self) -> u32 {
        self.copies.values().copied().max().unwrap_or(0)
    }

    /// DATA packets beyond one per block.
    pub fn extra_copies(&self) -> u64 {
        self.copies
            .values()
            .map(|&c| u64::from(c.saturating_sub(1)))
            .sum()
    }
}

#[derive(Debug)]
pub enum FetchError {
    /// The server answered with an ERROR packet.
    Server {
        code: u16,
        msg: String,
        report: Box<Report>,
    },
    /// No new block for `give_up_after`.
    Stalled {
        report: Box<Report>,
    },
    Io(io::Error),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Server { code, msg, report } => write!(
                f,
                "server error {code} \"{msg}\" after {} bytes",
                report.bytes.len()
            ),
            FetchError::Stalled { report } => {
                write!(f, "stalled after {} bytes", report.bytes.len())
            }
            FetchError::Io(e) => write!(f, "io: {e}"),
        }
    }
}

impl From<io::Error> for FetchError {
    fn from(e: io::Error) -> Self {
        FetchError::Io(e)
    }
}

fn request_for(name: &str, f: &Fetch) -> Vec<u8> {
    let mut opts: Vec<(String, String)> = Vec::new();
    if let Some(b) = f.blksize {
        opts.push(("blksize".into(), b.to_string()));
    }
    if let Some(t) = f.timeout_secs {
        opts.push(("timeout".into(), t.to_string()));
    }
    if f.tsize {
        opts.push(("tsize".into(), "0".into()));
    }
    if let Some(w) = f.windowsize {
        opts.push(("windowsize".into(), w.to_string()));
    }
    let opts: Vec<(&str, &str)> = opts.iter().map(|(k, v)| (&k[..], &v[..])).collect();
    packet::rrq(name, &opts)
}

struct Acker<'a> {
    sock: &'a UdpSocket,
    rng: fastrand::Rng,
    loss_ack: f64,
    duplicate: bool,
}

impl Acker<'_> {
    fn ack(&mut self, to: SocketAddr, block: u16, report: &mut Report) -> io::Result<()> {
        let copies = if self.duplicate { 2 } else { 1 };
        for _ in 0..copies {
            report.acks_sent += 1;
            if self.rng.f64() < self.loss_ack {
                report.acks_dropped += 1;
                continue;
            }
            self.sock.send_to(&packet::ack(block), to)?;
        }
        Ok(())
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Fetch `name` from the TFTP server at `server`.
pub fn fetch(server: SocketAddr, name: &str, f: &Fetch) -> Result<Report, FetchError> {
    let start = Instant::now();
    let sock = UdpSocket::bind(SocketAddr::new(server.ip(), 0))?;
    sock.set_read_timeout(Some(f.retransmit_after))?;
    let mut data_rng = fastrand::Rng::with_seed(f.loss.seed);
    let mut acker = Acker {
        sock: &sock,
        rng: fastrand::Rng::with_seed(f.loss.seed ^ 0x9e37_79b9_7f4a_7c15),
        loss_ack: f.loss.ack,
        duplicate: f.duplicate_acks,
    };
    let mut r = Report {
        client: sock.local_addr().ok(),
        blksize: 512,
        windowsize: 1,
        ..Report::default()
    };
    let rrq = request_for(name, f);
    sock.send_to(&rrq, server)?;

    let mut peer: Option<SocketAddr> = None;
    let mut next: u64 = 1; // absolute number of the next block wanted
    let mut since_ack = 0usize;
    let mut prev_was_dup = false;
    let mut last_progress = Instant::now();
    let mut finished_at: Option<Instant> = None;
    let mut final_block = 0u16;
    let mut buf = vec![0u8; 65536 + 4];

    loop {
        if let Some(t) = finished_at
            && t.elapsed() >= f.linger
        {
            break;
        }
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e) if is_timeout(&e) => {
                if finished_at.is_some() {
                    continue;
                }
                if last_progress.elapsed() >= f.give_up_after {
                    r.elapsed = start.elapsed();
                    return Err(FetchError::Stalled {
                        report: Box::new(r),
                    });
                }
                match peer {
                    None => {
                        sock.send_to(&rrq, server)?;
                    }
                    Some(p) => acker.ack(p, (next - 1) as u16, &mut r)?,
                }
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if from.ip() != server.ip() {
            r.stray_packets += 1;
            continue;
        }
        match peer {
            None => peer = Some(from),
            Some(p) if p != from => {
                r.stray_packets += 1;
                let _ = sock.send_to(&packet::error(5, "Unknown transfer ID"), from);
                continue;
            }
            Some(_) => {}
        }
        let peer_addr = from;
        match Incoming::parse(&buf[..n]) {
            Incoming::OAck(opts) if next == 1 && r.oack.is_none() => {
                r.blksize = packet::oack_value(&opts, "blksize").unwrap_or(512) as usize;
                r.windowsize = packet::oack_value(&opts, "windowsize").unwrap_or(1) as usize;
                r.oack = Some(opts);
                last_progress = Instant::now();
                acker.ack(peer_addr, 0, &mut r)?;
            }
            Incoming::OAck(_) => {
                // A repeated OACK: our ACK 0 was lost.
                if next == 1 {
                    acker.ack(peer_addr, 0, &mut r)?;
                } else {
                    r.stray_packets += 1;
                }
            }
            Incoming::Data { block, payload } => {
                r.data_packets += 1;
                let offset = i64::from(block.wrapping_sub(next as u16) as i16);
                let abs = next as i64 + offset;
                if abs >= 1 {
                    *r.copies.entry(abs as u64).or_insert(0) += 1;
                }
                if data_rng.f64() < f.loss.data {
                    r.data_dropped += 1;
                    continue;
                }
                if finished_at.is_some() {
                    if block == final_block {
                        acker.ack(peer_addr, block, &mut r)?;
                        finished_at = Some(Instant::now());
                    }
                    continue;
                }
                if offset == 0 {
                    r.bytes.extend_from_slice(&payload);
                    next += 1;
                    since_ack += 1;
                    prev_was_dup = false;
                    last_progress = Instant::now();
                    if payload.len() < r.blksize {
                        final_block = block;
                        acker.ack(peer_addr, block, &mut r)?;
                        finished_at = Some(Instant::now());
                        if f.linger.is_zero() {
                            break;
                        }
                    } else if since_ack >= r.windowsize {
                        acker.ack(peer_addr, block, &mut r)?;
                        since_ack = 0;
                    }
                } else {
                    // A repeat of an earlier block (our ACK was lost) or a
                    // block past a gap (a DATA was lost): say where we are,
                    // once per run of such packets (every time in lock-step).
                    if r.windowsize == 1 || !prev_was_dup {
                        acker.ack(peer_addr, (next - 1) as u16, &mut r)?;
                        since_ack = 0;
                    }
                    prev_was_dup = true;
                }
            }
            Incoming::Error { code, msg } => {
                r.elapsed = start.elapsed();
                return Err(FetchError::Server {
                    code,
                    msg,
                    report: Box::new(r),
                });
            }
            Incoming::Other(_) => r.stray_packets += 1,
        }
    }
    r.elapsed = start.elapsed();
    Ok(r)
}

/// What the server did after the client went silent mid-transfer.
#[derive(Debug, Default)]
pub struct SilenceReport {
    /// The client's own address, as the server's events name it.
    pub client: Option<SocketAddr>,
    /// Blocks received before going silent.
    pub blocks_before: u64,
    /// The block the client never acknowledged.
    pub unacked_block: u16,
    /// DATA packets that came after going silent, with their arrival time
    /// counted from the moment the client went silent.
    pub resent: Vec<(Duration, u16)>,
    /// An ERROR the server sent when it gave up, if any.
    pub error: Option<(u16, String)>,
    /// How long after going silent the last packet (DATA or ERROR) came.
    pub last_packet_after: Duration,
}

/// How a client stops in the middle of a transfer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    /// Stops acknowledging, says nothing (a phone that lost power).
    Silent,
    /// Sends an ERROR packet, as a phone that aborts does.
    Abort,
}

/// Fetch `name` normally for `ack_blocks` blocks, then stop as `stop` says
/// and watch what the server sends until it is quiet for `quiet` (or
/// `watch_at_most` has passed).
pub fn fetch_then_stop(
    server: SocketAddr,
    name: &str,
    f: &Fetch,
    ack_blocks: u64,
    stop: Stop,
    quiet: Duration,
    watch_at_most: Duration,
) -> io::Result<SilenceReport> {
    let sock = UdpSocket::bind(SocketAddr::new(server.ip(), 0))?;
    sock.set_read_timeout(Some(Duration::from_millis(200)))?;
    sock.send_to(&request_for(name, f), server)?;
    let mut rep = SilenceReport {
        client: sock.local_addr().ok(),
        ..SilenceReport::default()
    };
    let mut blksize = 512usize;
    let mut silent_since: Option<Instant> = None;
    let mut last_packet = Instant::now();
    let begun = Instant::now();
    let mut buf = vec![0u8; 65536 + 4];
    loop {
        if let Some(s) = silent_since {
            if last_packet.elapsed() >= quiet || s.elapsed() >= watch_at_most {
                break;
            }
        } else if begun.elapsed() >= watch_at_most {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the server sent no data to go silent on",
            ));
        }
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e) if is_timeout(&e) => continue,
            Err(e) => return Err(e),
        };
        last_packet = Instant::now();
        match Incoming::parse(&buf[..n]) {
            Incoming::OAck(opts) => {
                blksize = packet::oack_value(&opts, "blksize").unwrap_or(512) as usize;
                if silent_since.is_none() {
                    sock.send_to(&packet::ack(0), from)?;
                }
            }
            Incoming::Data { block, payload } => match silent_since {
                Some(s) => rep.resent.push((s.elapsed(), block)),
                None if rep.blocks_before < ack_blocks && payload.len() == blksize => {
                    rep.blocks_before += 1;
                    sock.send_to(&packet::ack(block), from)?;
                }
                None => {
                    rep.unacked_block = block;
                    silent_since = Some(Instant::now());
                    if stop == Stop::Abort {
                        sock.send_to(&packet::error(0, "aborted by the user"), from)?;
                    }
                }
            },
            Incoming::Error { code, msg } => {
                rep.error = Some((code, msg));
                if silent_since.is_some() {
                    rep.last_packet_after = silent_since.map(|s| s.elapsed()).unwrap_or_default();
                    break;
                }
                return Err(io::Error::other(format!(
                    "server error before going silent: {:?}",
                    rep.error
                )));
            }
            Incoming::Other(_) => {}
        }
        if let Some(s) = silent_since {
            rep.last_packet_after = s.elapsed();
        }
    }
    Ok(rep)
}
