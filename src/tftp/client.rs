//! A small TFTP client (RFC 1350 with blksize, tsize and windowsize), enough
//! for the simulated phone, the wizard's self-check and the tests. It can
//! pretend to lose packets and abort a transfer, to exercise the server.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::time::timeout;

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const DATA: u16 = 3;
const ACK: u16 = 4;
const ERROR: u16 = 5;
const OACK: u16 = 6;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// `blksize` option to ask (none: plain 512-byte blocks, as the phones do).
    pub block_size: Option<u16>,
    /// `windowsize` option to ask.
    pub window_size: Option<u16>,
    /// Ask `tsize` (the server answers the file size).
    pub tsize: bool,
    /// Wait this long for a packet before repeating our last one.
    pub timeout: Duration,
    /// Repeats before giving up.
    pub retries: u32,
    /// Pretend every n-th DATA packet received was lost (n ≥ 2).
    pub drop_every: Option<u32>,
    /// Send an ERROR and stop after receiving this many blocks (a phone that aborts).
    pub abort_after: Option<u32>,
    /// Our own address (tests give each simulated phone its own 127.x.y.z).
    pub local_ip: Option<IpAddr>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            block_size: None,
            window_size: None,
            tsize: false,
            timeout: Duration::from_secs(1),
            retries: 5,
            drop_every: None,
            abort_after: None,
            local_ip: None,
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
    #[error("no answer from the TFTP server at {0}")]
    Timeout(SocketAddr),
    #[error("aborted by us after {0} blocks")]
    Aborted(u32),
    #[error("TFTP protocol error: {0}")]
    Protocol(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub data: Vec<u8>,
    /// The size the server announced in its OACK, if asked.
    pub tsize: Option<u64>,
    /// Block size and window size in use.
    pub block_size: u16,
    pub window_size: u16,
    /// DATA packets we pretended to lose.
    pub dropped: u32,
}

async fn local_socket(server: SocketAddr, local_ip: Option<IpAddr>) -> io::Result<UdpSocket> {
    if let Some(ip) = local_ip {
        return UdpSocket::bind(SocketAddr::new(ip, 0)).await;
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

/// Fetches `file` from the TFTP server at `server`.
pub async fn fetch(
    server: SocketAddr,
    file: &str,
    opts: &FetchOptions,
) -> Result<Fetched, FetchError> {
    let sock = local_socket(server, opts.local_ip).await?;
    let rrq = request(RRQ, file, opts);
    let mut peer: Option<SocketAddr> = None;
    let mut last_sent: Vec<u8> = rrq.clone();
    let mut block_size: u16 = 512;
    let mut window: u16 = 1;
    let mut tsize = None;
    let mut data = Vec::new();
    let mut expected: u16 = 1;
    let mut in_window: u16 = 0;
    let mut received: u32 = 0;
    let mut blocks: u32 = 0;
    let mut dropped = 0;
    let mut misses = 0;
    let mut buf = vec![0u8; 65536];
    sock.send_to(&rrq, server).await?;
    loop {
        let (len, from) = match timeout(opts.timeout, sock.recv_from(&mut buf)).await {
            Ok(r) => r?,
            Err(_) => {
                misses += 1;
                if misses > opts.retries {
                    return Err(FetchError::Timeout(server));
                }
                sock.send_to(&last_sent, peer.unwrap_or(server)).await?;
                continue;
            }
        };
        if from.ip() != server.ip() || peer.is_some_and(|p| p != from) || len < 4 {
            continue;
        }
        let pkt = &buf[..len];
        let op = u16::from_be_bytes([pkt[0], pkt[1]]);
        match op {
            ERROR => return Err(parse_error(pkt)),
            OACK if peer.is_none() => {
                peer = Some(from);
                for (k, v) in parse_oack(&pkt[2..]) {
                    match k.as_str() {
                        "blksize" => {
                            block_size = v
                                .parse()
                                .map_err(|_| FetchError::Protocol(format!("bad blksize {v}")))?
                        }
                        "windowsize" => {
                            window = v
                                .parse()
                                .map_err(|_| FetchError::Protocol(format!("bad windowsize {v}")))?
                        }
                        "tsize" => tsize = v.parse().ok(),
                        _ => {}
                    }
                }
                last_sent = ack(0).to_vec();
                sock.send_to(&last_sent, from).await?;
                misses = 0;
            }
            DATA => {
                if peer.is_none() {
                    peer = Some(from);
                }
                received += 1;
                if let Some(n) = opts.drop_every
                    && n >= 2
                    && received.is_multiple_of(n)
                {
                    dropped += 1;
                    continue;
                }
                misses = 0;
                let block = u16::from_be_bytes([pkt[2], pkt[3]]);
                let payload = &pkt[4..];
                if block != expected {
                    // A repeat or a gap: acknowledge the last block we hold in order.
                    in_window = 0;
                    last_sent = ack(expected.wrapping_sub(1)).to_vec();
                    sock.send_to(&last_sent, from).await?;
                    continue;
                }
                data.extend_from_slice(payload);
                blocks += 1;
                expected = expected.wrapping_add(1);
                in_window += 1;
                if let Some(limit) = opts.abort_after
                    && blocks >= limit
                {
                    sock.send_to(&error_packet(0, "aborted by client"), from)
                        .await?;
                    return Err(FetchError::Aborted(blocks));
                }
                let last = payload.len() < block_size as usize;
                if last || in_window >= window {
                    in_window = 0;
                    last_sent = ack(block).to_vec();
                    sock.send_to(&last_sent, from).await?;
                }
                if last {
                    return Ok(Fetched {
                        data,
                        tsize,
                        block_size,
                        window_size: window,
                        dropped,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Tries to upload; returns the server's refusal (a read-only server must refuse).
pub async fn try_upload(
    server: SocketAddr,
    file: &str,
    timeout_after: Duration,
) -> Result<(), FetchError> {
    let sock = local_socket(server, None).await?;
    sock.send_to(&request(WRQ, file, &FetchOptions::default()), server)
        .await?;
    let mut buf = [0u8; 1024];
    let (len, _) = timeout(timeout_after, sock.recv_from(&mut buf))
        .await
        .map_err(|_| FetchError::Timeout(server))??;
    let pkt = &buf[..len];
    if len >= 4 && u16::from_be_bytes([pkt[0], pkt[1]]) == ERROR {
        return Err(parse_error(pkt));
    }
    Ok(())
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
/// the wizard's "is the server really answering?" check. `OS79XX.TXT` is
/// preferred; otherwise the smallest file.
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
