//! Memory benchmark (issue 11): the peak resident set of the real
//! `convert79xx serve` while 300 phones fetch a 32 MiB image at once.
//!
//! Each transfer reads its blocks from its own file handle (no copy of
//! the file in memory), so the peak should not grow with the file's size
//! or the number of phones beyond a few KiB per transfer. Goal: under 40 MB.
//!
//! The clients check every byte (CRC-32 against the file) but keep none,
//! so the benchmark itself stays small. They ask `blksize` 1468 (lock-step,
//! as a phone would with a larger block) so the run takes about a minute
//! instead of the half hour 512-byte blocks need; `BENCH_BLKSIZE=512`
//! measures the phones' own block size.
//!
//! Run: `cargo bench --no-default-features --bench serve_memory`
//! (`BENCH_PHONES`, default 300; `BENCH_MB`, default 32; `BENCH_BLKSIZE`).

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use support::packet::{self, Incoming};
use support::serve::{Serve, proc_status_kib};

const IMAGE: &str = "P0S3-8-12-00.sb2";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one phone got: bytes and their CRC-32, or why it failed.
type Fetched = Result<(u64, u32), String>;

/// A lock-step TFTP read that hashes each block and keeps nothing.
fn fetch_hashing(server: SocketAddr, blksize: usize) -> Fetched {
    let s = UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(1)))
        .map_err(|e| e.to_string())?;
    let opts: Vec<(&str, String)> = if blksize == 512 {
        vec![]
    } else {
        vec![("blksize", blksize.to_string())]
    };
    let opts: Vec<(&str, &str)> = opts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let rrq = packet::rrq(IMAGE, &opts);
    s.send_to(&rrq, server).map_err(|e| e.to_string())?;
    let mut hasher = crc32fast::Hasher::new();
    let mut bytes = 0u64;
    let mut expected: u16 = 1;
    let mut last_ack: Option<(Vec<u8>, SocketAddr)> = None;
    let mut silent = 0;
    let mut buf = vec![0u8; 65536];
    let mut block_size = 512;
    loop {
        let (n, from) = match s.recv_from(&mut buf) {
            Ok(r) => r,
            Err(_) => {
                silent += 1;
                if silent > 10 {
                    return Err(format!("no answer after {bytes} bytes"));
                }
                match &last_ack {
                    Some((ack, to)) => s.send_to(ack, to),
                    None => s.send_to(&rrq, server),
                }
                .map_err(|e| e.to_string())?;
                continue;
            }
        };
        silent = 0;
        match Incoming::parse(&buf[..n]) {
            Incoming::OAck(o) => {
                block_size = packet::oack_value(&o, "blksize").unwrap_or(512) as usize;
                let ack = packet::ack(0);
                s.send_to(&ack, from).map_err(|e| e.to_string())?;
                last_ack = Some((ack, from));
            }
            Incoming::Data { block, payload } => {
                if block == expected {
                    hasher.update(&payload);
                    bytes += payload.len() as u64;
                    expected = expected.wrapping_add(1);
                }
                let ack = packet::ack(block);
                s.send_to(&ack, from).map_err(|e| e.to_string())?;
                if block == expected.wrapping_sub(1) && payload.len() < block_size {
                    return Ok((bytes, hasher.finalize()));
                }
                last_ack = Some((ack, from));
            }
            Incoming::Error { code, msg } => return Err(format!("ERROR {code}: {msg}")),
            Incoming::Other(_) => {}
        }
    }
}

fn main() {
    // `cargo test --benches` runs us without --bench: stay quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("serve_memory: run with `cargo bench --bench serve_memory`");
        return;
    }
    let phones = env_or("BENCH_PHONES", 300);
    let mb = env_or("BENCH_MB", 32);
    let blksize = env_or("BENCH_BLKSIZE", 1468);
    let dir = tempfile::tempdir().unwrap();
    let image = support::random_bytes(11, mb << 20);
    let want = (image.len() as u64, crc32fast::hash(&image));
    std::fs::write(dir.path().join(IMAGE), &image).unwrap();
    drop(image);

    let serve = Serve::start(dir.path());
    let idle_kib = proc_status_kib(serve.pid(), "VmRSS").unwrap_or(0);
    let start = Arc::new(Barrier::new(phones + 1));
    let clients: Vec<_> = (0..phones)
        .map(|_| {
            let start = Arc::clone(&start);
            let addr = serve.addr;
            thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || {
                    start.wait();
                    fetch_hashing(addr, blksize)
                })
                .unwrap()
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let results: Vec<Fetched> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let wall = began.elapsed();
    let peak_kib = proc_status_kib(serve.pid(), "VmHWM").unwrap_or(0);
    let ok = results.iter().filter(|r| r.as_ref() == Ok(&want)).count();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nserve_memory: {phones} phones x {mb} MiB, blksize {blksize}, lock-step, over 127.0.0.1"
    );
    println!("  wall time      {:.1} s", wall.as_secs_f64());
    println!("  byte-identical {ok} of {phones}; failed {}", phones - ok);
    for r in results.iter().filter(|r| r.as_ref() != Ok(&want)).take(3) {
        println!("    e.g. {r:?}");
    }
    println!(
        "  server RSS     {idle_kib} KiB idle, peak {peak_kib} KiB (VmHWM) = {:.1} MiB",
        peak_kib as f64 / 1024.0
    );
    println!(
        "  load average   {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let _ = serve.terminate();
}
