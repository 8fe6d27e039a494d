//! A TFTP read client (RFC 1350 with the blksize, timeout, tsize and
//! windowsize options) for the simulated phone, the tests and the benches;
//! built only with the `test-support` feature.
//!
//! Besides fetching, it misbehaves on purpose to exercise the server: it
//! loses a seeded random share of the DATA packets it receives and of the
//! ACKs it sends (packet loss without root or tc), sends every ACK twice,
//! aborts with an ERROR, or goes silent mid-transfer ([`fetch_then_stop`]).
//! It counts the copies of each block the server sent, which is how
//! Sorcerer's Apprentice duplication shows (RFC 1123 §4.2.3.1): every
//! duplicate ACK answered with another DATA doubles the traffic.
//!
//! The hostile-packet tests keep a packet codec of their own
//! (`tests/it/support/packet.rs`), so the server is also checked against a
//! second implementation.

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;
use tokio::time::timeout;

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const DATA: u16 = 3;
const ACK: u16 = 4;
const ERROR: u16 = 5;
const OACK: u16 = 6;

/// Packet loss the client simulates, as shares in 0..1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Loss {
    /// Share of received DATA packets thrown away unread.
    pub data: f64,
    /// Share of ACKs "sent" that never leave the client.
    pub ack: f64,
    /// Seed of the draws, so a failing run can be replayed.
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

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// `blksize` option to ask (none: plain 512-byte blocks, as the phones do).
    pub block_size: Option<u16>,
    /// `windowsize` option to ask.
    pub window_size: Option<u16>,
    /// Ask `tsize` (the server answers the file size).
    pub tsize: bool,
    /// `timeout` option to ask of the server, in seconds (RFC 2349).
    pub server_timeout: Option<u8>,
    /// Repeat our last packet after this long without one from the server.
    pub retransmit_after: Duration,
    /// Give up when no new block came for this long.
    pub give_up_after: Duration,
    /// Packets to pretend lost.
    pub loss: Loss,
    /// Send every ACK twice: a correct server ignores the second copy; one
    /// with the Sorcerer's Apprentice bug answers it with a second DATA.
    pub duplicate_acks: bool,
    /// After the final ACK, stay this long to re-ACK a repeated last block
    /// (our ACK may have been lost): RFC 1350's dally.
    pub linger: Duration,
    /// Send an ERROR and stop after receiving this many blocks (a phone that aborts).
    pub abort_after: Option<u32>,
    /// Our own address (tests give each simulated phone its own 127.x.y.z).
    pub local_ip: Option<IpAddr>,
    /// Our own port (with `local_ip`; none: any free one).
    pub local_port: Option<u16>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            block_size: None,
            window_size: None,
            tsize: false,
            server_timeout: None,
            retransmit_after: Duration::from_secs(1),
            give_up_after: Duration::from_secs(6),
            loss: Loss::NONE,
            duplicate_acks: false,
            linger: Duration::ZERO,
            abort_after: None,
            local_ip: None,
            local_port: None,
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("file not found on the server: {0}")]
    NotFound(String),
    #[error("the server refused (code {code}): {message}")]
    Refused { code: u16, message: String },
    #[error("no answer from the TFTP server at {server} (after {bytes} bytes)")]
    Timeout { server: SocketAddr, bytes: usize },
    #[error("aborted by us after {0} blocks")]
    Aborted(u32),
    #[error("TFTP protocol error: {0}")]
    Protocol(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What a fetch brought back, and every packet it saw and sent.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub data: Vec<u8>,
    /// The size the server announced in its OACK, if asked.
    pub tsize: Option<u64>,
    /// Block size and window size in use.
    pub block_size: u16,
    pub window_size: u16,
    /// The options the server acknowledged, if it sent an OACK.
    pub oack: Option<Vec<(String, String)>>,
    /// Our own address, as the server's events name it.
    pub client: SocketAddr,
    /// DATA packets received per block (absolute block number from 1, so a
    /// roll-over past 65535 keeps counting), before any simulated loss.
    pub copies: BTreeMap<u64, u32>,
    pub data_packets: u64,
    /// DATA packets we pretended to lose.
    pub data_dropped: u64,
    pub acks_sent: u64,
    /// ACKs we pretended to lose.
    pub acks_dropped: u64,
    /// Packets from an unexpected address, or not DATA, OACK or ERROR.
    pub stray_packets: u64,
    pub elapsed: Duration,
}

impl Fetched {
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

async fn local_socket(server: SocketAddr, opts: &FetchOptions) -> io::Result<UdpSocket> {
    if let Some(ip) = opts.local_ip {
        return UdpSocket::bind(SocketAddr::new(ip, opts.local_port.unwrap_or(0))).await;
    }
    let any: IpAddr = match server.ip() {
        IpAddr::V4(ip) if ip.is_loopback() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    UdpSocket::bind(SocketAddr::new(any, 0)).await
}

fn request(op: u16, file: &str, opts: &FetchOptions) -> Vec<u8> {
    let mut p = op.to_be_bytes().to_vec();
    p.extend_from_slice(file.as_bytes());
    p.push(0);
    p.extend_from_slice(b"octet\0");
    let mut opt = |k: &str, v: String| {
        p.extend_from_slice(k.as_bytes());
        p.push(0);
        p.extend_from_slice(v.as_bytes());
        p.push(0);
    };
    if let Some(b) = opts.block_size {
        opt("blksize", b.to_string());
    }
    if let Some(t) = opts.server_timeout {
        opt("timeout", t.to_string());
    }
    if opts.tsize {
        opt("tsize", "0".into());
    }
    if let Some(w) = opts.window_size {
        opt("windowsize", w.to_string());
    }
    p
}

fn ack(block: u16) -> [u8; 4] {
    let mut a = [0u8; 4];
    a[..2].copy_from_slice(&ACK.to_be_bytes());
    a[2..].copy_from_slice(&block.to_be_bytes());
    a
}

fn error_packet(code: u16, msg: &str) -> Vec<u8> {
    let mut p = ERROR.to_be_bytes().to_vec();
    p.extend_from_slice(&code.to_be_bytes());
    p.extend_from_slice(msg.as_bytes());
    p.push(0);
    p
}

/// What a packet from the server is; DATA and ERROR need their 2-byte
/// block number or code.
fn opcode(pkt: &[u8]) -> Option<u16> {
    let op = u16::from_be_bytes([*pkt.first()?, *pkt.get(1)?]);
    (op == OACK || pkt.len() >= 4).then_some(op)
}

fn parse_error(pkt: &[u8]) -> FetchError {
    let code = u16::from_be_bytes([pkt[2], pkt[3]]);
    let message = String::from_utf8_lossy(&pkt[4..])
        .trim_end_matches('\0')
        .to_string();
    if code == 1 {
        FetchError::NotFound(message)
    } else {
        FetchError::Refused { code, message }
    }
}

fn parse_oack(body: &[u8]) -> Vec<(String, String)> {
    let parts: Vec<String> = body
        .split(|b| *b == 0)
        .map(|s| String::from_utf8_lossy(s).to_ascii_lowercase())
        .collect();
    parts
        .chunks(2)
        .filter(|c| c.len() == 2 && !c[0].is_empty())
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

/// One option's number in an OACK, or a protocol error if it is not one.
fn oack_number<T: std::str::FromStr>(
    opts: &[(String, String)],
    name: &str,
) -> Result<Option<T>, FetchError> {
    match opts.iter().find(|(k, _)| k == name) {
        None => Ok(None),
        Some((_, v)) => v
            .parse()
            .map(Some)
            .map_err(|_| FetchError::Protocol(format!("bad {name} {v}"))),
    }
}

/// Sends ACKs, losing and doubling them as the options say.
struct Acker<'a> {
    sock: &'a UdpSocket,
    rng: fastrand::Rng,
    loss: f64,
    copies: usize,
}

impl Acker<'_> {
    fn new<'a>(sock: &'a UdpSocket, opts: &FetchOptions) -> Acker<'a> {
        Acker {
            sock,
            rng: fastrand::Rng::with_seed(opts.loss.seed ^ 0x9e37_79b9_7f4a_7c15),
            loss: opts.loss.ack,
            copies: if opts.duplicate_acks { 2 } else { 1 },
        }
    }

    async fn ack(&mut self, to: SocketAddr, block: u16, got: &mut Fetched) -> io::Result<()> {
        for _ in 0..self.copies {
            got.acks_sent += 1;
            if self.rng.f64() < self.loss {
                got.acks_dropped += 1;
                continue;
            }
            self.sock.send_to(&ack(block), to).await?;
        }
        Ok(())
    }
}

/// Fetches `file` from the TFTP server at `server`.
pub async fn fetch(
    server: SocketAddr,
    file: &str,
    opts: &FetchOptions,
) -> Result<Fetched, FetchError> {
    let started = Instant::now();
    let sock = local_socket(server, opts).await?;
    let mut acker = Acker::new(&sock, opts);
    let mut data_rng = fastrand::Rng::with_seed(opts.loss.seed);
    let mut got = Fetched {
        data: Vec::new(),
        tsize: None,
        block_size: 512,
        window_size: 1,
        oack: None,
        client: sock.local_addr()?,
        copies: BTreeMap::new(),
        data_packets: 0,
        data_dropped: 0,
        acks_sent: 0,
        acks_dropped: 0,
        stray_packets: 0,
        elapsed: Duration::ZERO,
    };
    let rrq = request(RRQ, file, opts);
    sock.send_to(&rrq, server).await?;

    let mut peer: Option<SocketAddr> = None;
    let mut next: u64 = 1; // absolute number of the next block wanted
    let mut since_ack: u16 = 0;
    let mut prev_was_repeat = false;
    let mut last_progress = Instant::now();
    let mut finished_at: Option<Instant> = None;
    let mut final_block = 0u16;
    let mut buf = vec![0u8; 65536 + 4];
    loop {
        let wait = match finished_at {
            Some(t) => match opts.linger.checked_sub(t.elapsed()) {
                Some(left) if !left.is_zero() => left.min(opts.retransmit_after),
                _ => break,
            },
            None => opts.retransmit_after,
        };
        let (len, from) = match timeout(wait, sock.recv_from(&mut buf)).await {
            Ok(r) => r?,
            Err(_) if finished_at.is_some() => continue,
            Err(_) => {
                if last_progress.elapsed() >= opts.give_up_after {
                    return Err(FetchError::Timeout {
                        server,
                        bytes: got.data.len(),
                    });
                }
                match peer {
                    None => {
                        sock.send_to(&rrq, server).await?;
                    }
                    Some(p) => acker.ack(p, (next - 1) as u16, &mut got).await?,
                }
                continue;
            }
        };
        if from.ip() != server.ip() {
            got.stray_packets += 1;
            continue;
        }
        match peer {
            None => peer = Some(from),
            Some(p) if p != from => {
                got.stray_packets += 1;
                let _ = sock
                    .send_to(&error_packet(5, "Unknown transfer ID"), from)
                    .await;
                continue;
            }
            Some(_) => {}
        }
        let pkt = &buf[..len];
        match opcode(pkt) {
            Some(ERROR) => return Err(parse_error(pkt)),
            Some(OACK) => {
                if next > 1 {
                    got.stray_packets += 1;
                } else if got.oack.is_none() {
                    let options = parse_oack(&pkt[2..]);
                    got.block_size = oack_number(&options, "blksize")?.unwrap_or(512);
                    got.window_size = oack_number(&options, "windowsize")?.unwrap_or(1);
                    got.tsize = oack_number(&options, "tsize").ok().flatten();
                    got.oack = Some(options);
                    last_progress = Instant::now();
                    acker.ack(from, 0, &mut got).await?;
                } else {
                    // A repeated OACK: our ACK 0 was lost.
                    acker.ack(from, 0, &mut got).await?;
                }
            }
            Some(DATA) => {
                got.data_packets += 1;
                let block = u16::from_be_bytes([pkt[2], pkt[3]]);
                let payload = &pkt[4..];
                let offset = i64::from(block.wrapping_sub(next as u16) as i16);
                if let Ok(abs) = u64::try_from(next as i64 + offset)
                    && abs >= 1
                {
                    *got.copies.entry(abs).or_insert(0) += 1;
                }
                if data_rng.f64() < opts.loss.data {
                    got.data_dropped += 1;
                    continue;
                }
                if finished_at.is_some() {
                    if block == final_block {
                        acker.ack(from, block, &mut got).await?;
                        finished_at = Some(Instant::now());
                    }
                    continue;
                }
                if offset != 0 {
                    // A repeat of an earlier block (our ACK was lost) or a
                    // block past a gap (a DATA was lost): say where we are,
                    // once per run of such packets (every time in lock-step).
                    if got.window_size == 1 || !prev_was_repeat {
                        acker.ack(from, (next - 1) as u16, &mut got).await?;
                        since_ack = 0;
                    }
                    prev_was_repeat = true;
                    continue;
                }
                got.data.extend_from_slice(payload);
                next += 1;
                since_ack += 1;
                prev_was_repeat = false;
                last_progress = Instant::now();
                if let Some(limit) = opts.abort_after
                    && next > u64::from(limit)
                {
                    sock.send_to(&error_packet(0, "aborted by client"), from)
                        .await?;
                    return Err(FetchError::Aborted(limit));
                }
                if payload.len() < usize::from(got.block_size) {
                    final_block = block;
                    acker.ack(from, block, &mut got).await?;
                    finished_at = Some(Instant::now());
                    if opts.linger.is_zero() {
                        break;
                    }
                } else if since_ack >= got.window_size {
                    acker.ack(from, block, &mut got).await?;
                    since_ack = 0;
                }
            }
            _ => got.stray_packets += 1,
        }
    }
    got.elapsed = started.elapsed();
    Ok(got)
}

/// Tries to upload; returns the server's refusal (a read-only server must refuse).
pub async fn try_upload(
    server: SocketAddr,
    file: &str,
    timeout_after: Duration,
) -> Result<(), FetchError> {
    let sock = local_socket(server, &FetchOptions::default()).await?;
    sock.send_to(&request(WRQ, file, &FetchOptions::default()), server)
        .await?;
    let mut buf = [0u8; 1024];
    let (len, _) = timeout(timeout_after, sock.recv_from(&mut buf))
        .await
        .map_err(|_| FetchError::Timeout { server, bytes: 0 })??;
    let pkt = &buf[..len];
    if opcode(pkt) == Some(ERROR) {
        return Err(parse_error(pkt));
    }
    Ok(())
}

/// How a client stops in the middle of a transfer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    /// Stops acknowledging, says nothing (a phone that lost power).
    Silent,
    /// Sends an ERROR packet, as a phone that aborts does.
    Abort,
}

/// What the server did after the client stopped mid-transfer.
#[derive(Debug)]
pub struct SilenceReport {
    /// Our own address, as the server's events name it.
    pub client: SocketAddr,
    /// Blocks received before stopping.
    pub blocks_before: u64,
    /// The block the client never acknowledged.
    pub unacked_block: u16,
    /// DATA packets that came after stopping, with their arrival time
    /// counted from the moment the client stopped.
    pub resent: Vec<(Duration, u16)>,
    /// An ERROR the server sent when it gave up, if any.
    pub error: Option<(u16, String)>,
    /// How long after stopping the last packet (DATA or ERROR) came.
    pub last_packet_after: Duration,
}

/// Fetches `file` normally for `ack_blocks` blocks, then stops as `stop`
/// says and watches what the server sends until it is quiet for `quiet`
/// (or `watch_at_most` has passed).
pub async fn fetch_then_stop(
    server: SocketAddr,
    file: &str,
    opts: &FetchOptions,
    ack_blocks: u64,
    stop: Stop,
    quiet: Duration,
    watch_at_most: Duration,
) -> io::Result<SilenceReport> {
    let sock = local_socket(server, opts).await?;
    sock.send_to(&request(RRQ, file, opts), server).await?;
    let mut rep = SilenceReport {
        client: sock.local_addr()?,
        blocks_before: 0,
        unacked_block: 0,
        resent: Vec::new(),
        error: None,
        last_packet_after: Duration::ZERO,
    };
    let mut block_size = 512usize;
    let mut stopped_at: Option<Instant> = None;
    let mut last_packet = Instant::now();
    let begun = Instant::now();
    let mut buf = vec![0u8; 65536 + 4];
    loop {
        if let Some(s) = stopped_at {
            if last_packet.elapsed() >= quiet || s.elapsed() >= watch_at_most {
                break;
            }
        } else if begun.elapsed() >= watch_at_most {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the server sent no data to stop on",
            ));
        }
        let Ok(received) = timeout(Duration::from_millis(200), sock.recv_from(&mut buf)).await
        else {
            continue;
        };
        let (len, from) = received?;
        last_packet = Instant::now();
        let pkt = &buf[..len];
        if opcode(pkt) == Some(OACK) {
            let options = parse_oack(&pkt[2..]);
            block_size = oack_number(&options, "blksize")
                .ok()
                .flatten()
                .unwrap_or(512);
            if stopped_at.is_none() {
                sock.send_to(&ack(0), from).await?;
            }
        } else if opcode(pkt) == Some(DATA) {
            let block = u16::from_be_bytes([pkt[2], pkt[3]]);
            match stopped_at {
                Some(s) => rep.resent.push((s.elapsed(), block)),
                None if rep.blocks_before < ack_blocks && len - 4 == block_size => {
                    rep.blocks_before += 1;
                    sock.send_to(&ack(block), from).await?;
                }
                None => {
                    rep.unacked_block = block;
                    stopped_at = Some(Instant::now());
                    if stop == Stop::Abort {
                        sock.send_to(&error_packet(0, "aborted by the user"), from)
                            .await?;
                    }
                }
            }
        } else if opcode(pkt) == Some(ERROR) {
            let code = u16::from_be_bytes([pkt[2], pkt[3]]);
            let msg = &pkt[4..];
            let end = msg.iter().position(|&b| b == 0).unwrap_or(msg.len());
            rep.error = Some((code, String::from_utf8_lossy(&msg[..end]).into_owned()));
            let Some(s) = stopped_at else {
                return Err(io::Error::other(format!(
                    "server error before stopping: {:?}",
                    rep.error
                )));
            };
            rep.last_packet_after = s.elapsed();
            break;
        }
        if let Some(s) = stopped_at {
            rep.last_packet_after = s.elapsed();
        }
    }
    Ok(rep)
}

/// What the self-check found: the file it fetched and how long it took.
#[derive(Debug, Clone)]
pub struct SelfCheck {
    pub file: String,
    pub bytes: usize,
    pub took: Duration,
}

/// Why the self-check failed, in words for the user.
#[derive(Debug, thiserror::Error)]
pub enum SelfCheckError {
    #[error("the TFTP root {0} holds no file to test with; prepare a stage first")]
    EmptyRoot(String),
    #[error(
        "the server answered, but '{file}' arrived different from the file on disk ({got} bytes instead of {want})"
    )]
    Differs {
        file: String,
        got: usize,
        want: usize,
    },
    #[error(
        "fetching '{file}' from our own server failed: {source}. Another program may hold the port, or a firewall blocks UDP {port}."
    )]
    Fetch {
        file: String,
        port: u16,
        source: FetchError,
    },
}

/// Fetches one file of `root` from our own running server (at `served`,
/// as `RunningService::local_addr` gives it) and compares it with the disk:
/// is the server really answering? `OS79XX.TXT` is preferred; otherwise
/// the smallest file. (Test support: the wizard has no such check.)
pub async fn self_check(
    served: SocketAddr,
    root: &std::path::Path,
) -> Result<SelfCheck, SelfCheckError> {
    let empty = || SelfCheckError::EmptyRoot(root.display().to_string());
    let mut candidates: Vec<(u64, String)> = std::fs::read_dir(root)
        .map_err(|_| empty())?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let meta = e.metadata().ok()?;
            (meta.is_file() && !name.starts_with('.')).then_some((meta.len(), name))
        })
        .collect();
    candidates.sort();
    let file = candidates
        .iter()
        .find(|(_, n)| n == "OS79XX.TXT")
        .or(candidates.first())
        .map(|(_, n)| n.clone())
        .ok_or_else(empty)?;
    let want = std::fs::read(root.join(&file)).map_err(|_| empty())?;
    // A service on all addresses is reached through loopback.
    let target = match served.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), served.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), served.port())
        }
        _ => served,
    };
    let started = std::time::Instant::now();
    let got = fetch(target, &file, &FetchOptions::default())
        .await
        .map_err(|source| SelfCheckError::Fetch {
            file: file.clone(),
            port: served.port(),
            source,
        })?;
    if got.data != want {
        return Err(SelfCheckError::Differs {
            file,
            got: got.data.len(),
            want: want.len(),
        });
    }
    Ok(SelfCheck {
        file,
        bytes: want.len(),
        took: started.elapsed(),
    })
}
