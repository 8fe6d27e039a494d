//! Benchmark: `convert79xx serve` against tftp-hpa's `in.tftpd`, same
//! machine, same run, same client, loopback only.
//!
//! 1. 100 concurrent clients each fetch a 2 MB image in 512-byte lock-step
//!    blocks (no options, as the phones do): wall time, failures. The
//!    clients are threads of this process ("in-process").
//! 2. The same with real tftp-hpa `tftp` processes, one per phone, at 50
//!    and 100 clients (issue 14): wall time, failures, byte-identical
//!    checks, both servers' CPU time per GB served. Many runnable processes
//!    competing for the cores is what a user's laptop looks like.
//! 3. One client over a blksize/windowsize sweep (median of 7 runs each).
//!
//! Memory: peak resident set of our server process (VmHWM), and for
//! in.tftpd the peak summed RSS of its listener and the per-transfer
//! processes it forks (sampled every 10 ms).
//!
//! Run: `cargo bench --no-default-features --bench tftp_vs_tftpd`
//! (env BENCH_CLIENTS and BENCH_MB change the first scenario's size,
//! BENCH_PROCESS_CLIENTS the second's client counts, e.g. `50,100`;
//! BENCH_ONLY=inprocess|processes|sweep runs one scenario).

#[path = "tftp_vs_tftpd/processes.rs"]
mod processes;

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use convert79xx::tftp::client::{FetchOptions, fetch};
use support::block_on;
use support::serve::{self, InTftpd, Serve};

const IMAGE: &str = "P0S3-8-12-00.sb2";
/// Runs per sweep point; the median is reported.
const SINGLE_RUNS: usize = 7;

struct Swarm {
    wall: Duration,
    ok: usize,
    failed: usize,
    /// Peak memory seen while it ran, KiB.
    peak_kib: u64,
}

/// Samples a process tree's RSS until stopped; returns the peak in KiB.
struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    handle: Option<thread::JoinHandle<()>>,
}

impl RssSampler {
    fn start(pid: u32) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (Arc::clone(&stop), Arc::clone(&peak));
        let handle = thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(serve::tree_rss_kib(pid), Ordering::Relaxed);
                thread::sleep(Duration::from_millis(10));
            }
        });
        RssSampler {
            stop,
            peak,
            handle: Some(handle),
        }
    }

    fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

fn swarm(addr: std::net::SocketAddr, clients: usize, want: &Arc<Vec<u8>>, pid: u32) -> Swarm {
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let want = Arc::clone(want);
            thread::spawn(move || {
                barrier.wait();
                let f = FetchOptions {
                    give_up_after: Duration::from_secs(30),
                    ..FetchOptions::default()
                };
                matches!(block_on(fetch(addr, IMAGE, &f)), Ok(r) if r.data == *want)
            })
        })
        .collect();
    let sampler = RssSampler::start(pid);
    barrier.wait();
    let start = Instant::now();
    let results: Vec<bool> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let wall = start.elapsed();
    let peak_kib = sampler.finish();
    let ok = results.iter().filter(|&&b| b).count();
    Swarm {
        wall,
        ok,
        failed: clients - ok,
        peak_kib,
    }
}

struct Single {
    median: Duration,
    /// blksize/windowsize the server granted (from its OACK).
    granted: (usize, usize),
    failed: usize,
}

fn single(
    addr: std::net::SocketAddr,
    want: &[u8],
    blksize: Option<u16>,
    windowsize: Option<u16>,
) -> Single {
    let mut times = Vec::new();
    let mut granted = (512, 1);
    let mut failed = 0;
    for _ in 0..SINGLE_RUNS {
        let f = FetchOptions {
            block_size: blksize,
            window_size: windowsize,
            give_up_after: Duration::from_secs(30),
            ..FetchOptions::default()
        };
        match block_on(fetch(addr, IMAGE, &f)) {
            Ok(r) if r.data == want => {
                times.push(r.elapsed);
                granted = (usize::from(r.block_size), usize::from(r.window_size));
            }
            _ => failed += 1,
        }
    }
    times.sort();
    Single {
        median: times.get(times.len() / 2).copied().unwrap_or_default(),
        granted,
        failed,
    }
}

/// The round with the median wall time (failures and memory as in that round).
fn median_swarm(mut rounds: Vec<Swarm>) -> Swarm {
    rounds.sort_by_key(|s| s.wall);
    let mid = rounds.len() / 2;
    rounds.swap_remove(mid)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The 1-minute load average: other work on the machine skews the times.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would run us
    // as a test with no arguments: stay quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "tftp_vs_tftpd: run with `cargo bench --no-default-features --bench tftp_vs_tftpd`"
        );
        return;
    }
    let only = std::env::var("BENCH_ONLY").ok();
    let run = |scenario: &str| only.as_deref().is_none_or(|o| o == scenario);
    let clients = env_or("BENCH_CLIENTS", 100);
    let mb = env_or("BENCH_MB", 2);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    let image = Arc::new(support::random_bytes(2026, mb * 1024 * 1024));
    std::fs::write(root.join(IMAGE), &*image).unwrap();
    // in.tftpd chroots into the root and drops to the `tftp` user by
    // default; we run it as root so the private temp folder is readable.
    let tftpd_ok = support::have_program(serve::IN_TFTPD);

    println!(
        "# convert79xx serve vs tftp-hpa in.tftpd\n\nMachine: {} cores, {}, load average {} at start. Loopback 127.0.0.1. Image {} MiB of random bytes.\n",
        thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        load_average(),
        mb
    );

    let ours = Serve::start(&root);
    let theirs = if tftpd_ok {
        match InTftpd::start(&root) {
            Ok(t) => Some(t),
            Err(e) => {
                println!("SKIPPED in.tftpd: {e}");
                None
            }
        }
    } else {
        println!("SKIPPED in.tftpd: not installed (apt-get install tftpd-hpa)");
        None
    };
    let rounds = env_or("BENCH_ROUNDS", 3);
    let mut verdicts: Vec<String> = Vec::new();

    if run("inprocess") {
        in_process(
            &ours,
            theirs.as_ref(),
            clients,
            mb,
            rounds,
            &image,
            &mut verdicts,
        );
    }
    if run("processes") {
        let counts: Vec<usize> = std::env::var("BENCH_PROCESS_CLIENTS")
            .ok()
            .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![50, 100]);
        if support::have_program("tftp") {
            let out = dir.path().join("got");
            std::fs::create_dir(&out).unwrap();
            for n in counts {
                real_clients(
                    &ours,
                    theirs.as_ref(),
                    n,
                    mb,
                    rounds,
                    &image,
                    &out,
                    &mut verdicts,
                );
            }
        } else {
            println!(
                "SKIPPED real-client scenario: `tftp` not installed (apt-get install tftp-hpa)\n"
            );
        }
    }
    if run("sweep") {
        sweep(&ours, theirs.as_ref(), &image, &mut verdicts);
    }

    let ours_hwm = ours.peak_rss_kib().unwrap_or(0);
    println!(
        "\nPeak memory of `convert79xx serve` over the whole run (VmHWM): {}.",
        mib(ours_hwm)
    );
    println!("\nLoad average at the end: {}.", load_average());
    println!("\n## Targets\n");
    for v in &verdicts {
        println!("- {v}");
    }
    println!(
        "- peak memory < 40 MB: {} ({})",
        if ours_hwm < 40 * 1000 * 1000 / 1024 {
            "PASS"
        } else {
            "MISS"
        },
        mib(ours_hwm)
    );
    drop(theirs);
    let _ = ours.terminate();
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

/// Scenario 1: in-process clients, the two servers alternating.
fn in_process(
    ours: &Serve,
    theirs: Option<&InTftpd>,
    clients: usize,
    mb: usize,
    rounds: usize,
    image: &Arc<Vec<u8>>,
    verdicts: &mut Vec<String>,
) {
    // Alternate the servers over several rounds so neither gets a warmer
    // machine; report each one's median round.
    let mut ours_rounds = Vec::new();
    let mut theirs_rounds = Vec::new();
    for round in 1..=rounds {
        ours_rounds.push(swarm(ours.addr, clients, image, ours.pid()));
        eprintln!(
            "round {round}: serve VmRSS {} VmHWM {}",
            mib(serve::proc_status_kib(ours.pid(), "VmRSS").unwrap_or(0)),
            mib(ours.peak_rss_kib().unwrap_or(0))
        );
        if let Some(t) = theirs {
            theirs_rounds.push(swarm(t.addr, clients, image, t.pid()));
        }
    }
    let ours_hwm_after_swarm = ours.peak_rss_kib().unwrap_or(0);
    let ours_failed_rounds: usize = ours_rounds.iter().map(|s| s.failed).sum();
    let ours_swarm = median_swarm(ours_rounds);
    let theirs_swarm = (!theirs_rounds.is_empty()).then(|| median_swarm(theirs_rounds));

    println!(
        "## {clients} concurrent in-process clients x {mb} MiB, 512-byte blocks, no options (median of {rounds} alternating rounds)\n"
    );
    println!("| server | wall time | ok | failed | peak memory | time ratio (ours / in.tftpd) |");
    println!("|---|---|---|---|---|---|");
    let ratio = theirs_swarm
        .as_ref()
        .map(|t| ours_swarm.wall.as_secs_f64() / t.wall.as_secs_f64());
    println!(
        "| convert79xx serve | {} | {} | {} | {} (VmHWM) | {} |",
        ms(ours_swarm.wall),
        ours_swarm.ok,
        ours_swarm.failed,
        mib(ours_hwm_after_swarm.max(ours_swarm.peak_kib)),
        ratio.map_or_else(|| "n/a".into(), |r| format!("{r:.2}"))
    );
    if let Some(t) = &theirs_swarm {
        println!(
            "| in.tftpd (tftp-hpa) | {} | {} | {} | {} (summed RSS of listener + forked children, sampled; shared pages counted per process) | 1.00 |",
            ms(t.wall),
            t.ok,
            t.failed,
            mib(t.peak_kib)
        );
    }
    println!();
    verdicts.push(format!(
        "in-process, {clients} clients: time ratio <= 1.0: {}; failures: {}",
        match ratio {
            Some(r) => format!("{} ({r:.2})", pass(r <= 1.0)),
            None => "not measured (no in.tftpd)".into(),
        },
        ours_failed_rounds
    ));
}

/// Scenario 2: `n` real tftp-hpa client processes, the servers alternating
/// (which goes first swaps each round).
#[allow(clippy::too_many_arguments)]
fn real_clients(
    ours: &Serve,
    theirs: Option<&InTftpd>,
    n: usize,
    mb: usize,
    rounds: usize,
    image: &Arc<Vec<u8>>,
    out: &std::path::Path,
    verdicts: &mut Vec<String>,
) {
    let one = |addr, pid| processes::round(addr, n, IMAGE, image, pid, out);
    let mut ours_rounds = Vec::new();
    let mut theirs_rounds = Vec::new();
    for round in 1..=rounds {
        let ours_first = round % 2 == 1;
        if ours_first {
            ours_rounds.push(one(ours.addr, ours.pid()));
        }
        if let Some(t) = theirs {
            theirs_rounds.push(one(t.addr, t.pid()));
        }
        if !ours_first {
            ours_rounds.push(one(ours.addr, ours.pid()));
        }
        eprintln!(
            "{n} processes, round {round}: ours {} ms, in.tftpd {} ms, load {}",
            ours_rounds.last().map_or(0, |r| r.wall.as_millis()),
            theirs_rounds.last().map_or(0, |r| r.wall.as_millis()),
            load_average()
        );
    }
    let gb = (n * mb * 1024 * 1024) as f64 / 1e9;
    let failed = |rs: &[processes::Round]| rs.iter().map(|r| r.failed).sum::<usize>();
    let differ = |rs: &[processes::Round]| rs.iter().map(|r| r.differ).sum::<usize>();
    let cpu_per_gb = |rs: &[processes::Round]| {
        rs.iter().map(|r| r.cpu.as_secs_f64()).sum::<f64>() / (gb * rs.len() as f64)
    };
    let walls = |rs: &[processes::Round]| {
        rs.iter()
            .map(|r| format!("{:.2}", r.wall.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let median = |rs: &[processes::Round]| {
        let mut w: Vec<Duration> = rs.iter().map(|r| r.wall).collect();
        w.sort();
        w[w.len() / 2]
    };
    let ours_median = median(&ours_rounds);
    let ratio = (!theirs_rounds.is_empty())
        .then(|| ours_median.as_secs_f64() / median(&theirs_rounds).as_secs_f64());
    let ours_peak = ours_rounds.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    println!(
        "## {n} real tftp-hpa client processes x {mb} MiB, 512-byte blocks, no options ({rounds} alternating rounds)\n"
    );
    println!(
        "| server | wall time (median) | rounds (s) | failed | differing | CPU s per GB served | peak memory | time ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| convert79xx serve | {} | {} | {} of {} | {} | {:.2} | {} (VmHWM) | {} |",
        ms(ours_median),
        walls(&ours_rounds),
        failed(&ours_rounds),
        n * rounds,
        differ(&ours_rounds),
        cpu_per_gb(&ours_rounds),
        mib(ours.peak_rss_kib().unwrap_or(0).max(ours_peak)),
        ratio.map_or_else(|| "n/a".into(), |r| format!("{r:.2}"))
    );
    if !theirs_rounds.is_empty() {
        println!(
            "| in.tftpd (tftp-hpa) | {} | {} | {} of {} | {} | {:.2} | {} (summed RSS, sampled) | 1.00 |",
            ms(median(&theirs_rounds)),
            walls(&theirs_rounds),
            failed(&theirs_rounds),
            n * rounds,
            differ(&theirs_rounds),
            cpu_per_gb(&theirs_rounds),
            mib(theirs_rounds.iter().map(|r| r.peak_kib).max().unwrap_or(0)),
        );
    }
    println!();
    verdicts.push(format!(
        "real clients, {n} processes: time ratio <= 0.8: {}; zero failures: {} ({} failed, {} differing)",
        match ratio {
            Some(r) => format!("{} ({r:.2})", pass(r <= 0.8)),
            None => "not measured (no in.tftpd)".into(),
        },
        pass(failed(&ours_rounds) == 0),
        failed(&ours_rounds),
        differ(&ours_rounds)
    ));
}

/// Scenario 3: one client over a blksize x windowsize sweep.
fn sweep(ours: &Serve, theirs: Option<&InTftpd>, image: &[u8], verdicts: &mut Vec<String>) {
    println!("## One client, blksize x windowsize sweep (median of {SINGLE_RUNS})\n");
    println!(
        "| asked blksize/windowsize | ours: granted | ours | in.tftpd: granted | in.tftpd | ratio |"
    );
    println!("|---|---|---|---|---|---|");
    let points: [(Option<u16>, Option<u16>); 7] = [
        (None, None),
        (Some(1428), None),
        (Some(1428), Some(4)),
        (Some(1428), Some(16)),
        (Some(1468), Some(32)),
        (Some(8192), None),
        (Some(8192), Some(16)),
    ];
    let mut sweep_failures = 0;
    for (b, w) in points {
        let o = single(ours.addr, image, b, w);
        sweep_failures += o.failed;
        eprintln!(
            "sweep {b:?}/{w:?}: serve VmRSS {} VmHWM {}",
            mib(serve::proc_status_kib(ours.pid(), "VmRSS").unwrap_or(0)),
            mib(ours.peak_rss_kib().unwrap_or(0))
        );
        let t = theirs.map(|t| single(t.addr, image, b, w));
        let asked = format!(
            "{}/{}",
            b.map_or("-".into(), |b| b.to_string()),
            w.map_or("-".into(), |w| w.to_string())
        );
        let (tg, tt, ratio) = match &t {
            Some(t) => {
                sweep_failures += t.failed;
                (
                    format!("{}/{}", t.granted.0, t.granted.1),
                    ms(t.median),
                    format!("{:.2}", o.median.as_secs_f64() / t.median.as_secs_f64()),
                )
            }
            None => ("n/a".into(), "n/a".into(), "n/a".into()),
        };
        println!(
            "| {asked} | {}/{} | {} | {tg} | {tt} | {ratio} |",
            o.granted.0,
            o.granted.1,
            ms(o.median)
        );
    }
    verdicts.push(format!(
        "sweep: zero failures: {} ({sweep_failures})",
        pass(sweep_failures == 0)
    ));
}
