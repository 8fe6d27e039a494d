//! TFTP benchmark: the real `convert79xx serve` process, beside tftp-hpa's
//! `in.tftpd` when installed, on 127.0.0.1, in the same run.
//!
//! Scenarios (issue 3):
//! - `100x512`: 100 concurrent clients fetch a 2 MB image with no options
//!   (512-byte lock-step blocks, as the phones do);
//! - `1x1428w16`: one client, blksize 1428, windowsize 16 (10 fetches in a row).
//!
//! Reported per server and scenario: wall time, failures (errors or bytes
//! that differ), throughput, and memory: the server's peak RSS (VmHWM from
//! /proc/PID/status) and the peak summed RSS of its process tree sampled
//! every 50 ms (in.tftpd forks a child per transfer, so its parent's VmHWM
//! alone would flatter it), and the CPU time of that tree, sampled the same way.
//!
//! Run: `cargo bench --no-default-features --bench tftp_serve`
//! (`BENCH_JSON=path` also writes the results as JSON). Scenarios are a plain
//! list below so more can be added (loss, hostile clients).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use convert79xx::tftp::client::{FetchOptions, fetch};

const IMAGE: &str = "P0S3-8-12-00.sb2";
const IMAGE_LEN: usize = 2 * 1024 * 1024;
/// How often the server's process tree is sampled (more often disturbs the run).
const SAMPLE_EVERY: Duration = Duration::from_millis(50);

/// One load to put on a server.
struct Scenario {
    name: &'static str,
    clients: usize,
    /// Fetches each client makes one after the other (a single fetch of
    /// the fast scenario is too short to time well).
    rounds: usize,
    options: FetchOptions,
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "100x512",
            clients: 100,
            rounds: 1,
            options: FetchOptions {
                retransmit_after: Duration::from_secs(1),
                give_up_after: Duration::from_secs(11),
                ..Default::default()
            },
        },
        Scenario {
            name: "1x1428w16",
            clients: 1,
            rounds: 10,
            options: FetchOptions {
                block_size: Some(1428),
                window_size: Some(16),
                tsize: true,
                retransmit_after: Duration::from_secs(1),
                give_up_after: Duration::from_secs(11),
                ..Default::default()
            },
        },
    ]
}

/// A server under test: its process and address.
struct Server {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_ours(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_convert79xx"))
        .arg("serve")
        .arg(root)
        .args(["--bind", "127.0.0.1", "--port", "0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start convert79xx serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).expect("listening line");
    let addr = first["addr"].as_str().unwrap().parse().unwrap();
    // Keep reading events so the pipe never fills.
    std::thread::spawn(move || for _ in lines {});
    Server {
        name: "convert79xx serve",
        child,
        addr,
    }
}

fn find_program(name: &str) -> Option<std::path::PathBuf> {
    ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .chain(
            std::env::var_os("PATH")
                .into_iter()
                .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .map(|d| d.join(name)),
        )
        .find(|p| p.is_file())
}

fn start_in_tftpd(root: &Path) -> Option<Server> {
    let Some(program) = find_program("in.tftpd") else {
        println!("SKIPPED: in.tftpd (tftpd-hpa) is not installed; no comparison this run");
        return None;
    };
    let port = {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap().port()
    };
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut cmd = Command::new(program);
    cmd.args([
        "--listen",
        "--foreground",
        "--secure",
        "--address",
        &addr.to_string(),
    ]);
    if is_root() {
        cmd.args(["--user", "root"]);
    }
    let child = cmd
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(300));
    Some(Server {
        name: "tftp-hpa in.tftpd",
        child,
        addr,
    })
}

fn is_root() -> bool {
    status_field(std::process::id(), "Uid:").is_some_and(|v| v == 0)
}

/// A numeric field of /proc/PID/status (kB for memory fields).
fn status_field(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU ticks (utime + stime, 1/100 s) a process has used so far.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which ends with ')': rest[0] is field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    Some(f.get(11)? + f.get(12)?)
}

/// The process and all its descendants.
fn tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let p = all[i];
        if let Ok(dir) = std::fs::read_dir(format!("/proc/{p}/task")) {
            for t in dir.flatten() {
                if let Ok(children) = std::fs::read_to_string(t.path().join("children")) {
                    all.extend(
                        children
                            .split_whitespace()
                            .filter_map(|c| c.parse::<u32>().ok()),
                    );
                }
            }
        }
        i += 1;
    }
    all.sort();
    all.dedup();
    all
}

/// What the sampler saw of a server's process tree.
#[derive(Default)]
struct TreeUsage {
    /// Peak summed RSS, kB.
    peak_rss_kb: u64,
    /// Latest CPU ticks seen per process (children of in.tftpd come and go).
    ticks: std::collections::HashMap<u32, u64>,
}

/// Samples a server's process tree every 50 ms until stopped: summed RSS
/// and each process's CPU time (in.tftpd's children are not reaped into
/// its own counters, so they are read while they live).
fn sample_tree(pid: u32, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<TreeUsage> {
    std::thread::spawn(move || {
        let mut usage = TreeUsage::default();
        loop {
            let mut rss = 0;
            for p in tree(pid) {
                rss += status_field(p, "VmRSS:").unwrap_or(0);
                if let Some(t) = cpu_ticks(p) {
                    usage.ticks.insert(p, t);
                }
            }
            usage.peak_rss_kb = usage.peak_rss_kb.max(rss);
            if stop.load(Ordering::Relaxed) {
                return usage;
            }
            std::thread::sleep(SAMPLE_EVERY);
        }
    })
}

struct Outcome {
    server: &'static str,
    scenario: &'static str,
    clients: usize,
    rounds: usize,
    wall: Duration,
    cpu_s: f64,
    failures: usize,
    hwm_kb: Option<u64>,
    tree_peak_kb: u64,
    note: String,
}

fn run_scenario(
    rt: &tokio::runtime::Runtime,
    server: &Server,
    s: &Scenario,
    image: &Arc<Vec<u8>>,
) -> Outcome {
    let pid = server.child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let cpu_before = cpu_ticks(pid).unwrap_or(0);
    let sampler = sample_tree(pid, stop.clone());
    let addr = server.addr;
    let started = Instant::now();
    let (failures, note) = rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..s.clients {
            let o = s.options.clone();
            let image = image.clone();
            let rounds = s.rounds;
            set.spawn(async move {
                let mut last = Ok((0, 0));
                for _ in 0..rounds {
                    last = match fetch(addr, IMAGE, &o).await {
                        Ok(f) if f.data == *image => Ok((f.block_size, f.window_size)),
                        Ok(f) => Err(format!("{} bytes differ", f.data.len())),
                        Err(e) => Err(e.to_string()),
                    };
                    if last.is_err() {
                        break;
                    }
                }
                last
            });
        }
        let mut failures = 0;
        let mut note = String::new();
        while let Some(r) = set.join_next().await {
            match r.unwrap() {
                Ok((b, w)) => note = format!("blksize {b}, window {w}"),
                Err(e) => {
                    failures += 1;
                    note = e;
                }
            }
        }
        (failures, note)
    });
    let wall = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let usage = sampler.join().unwrap();
    let ticks: u64 = usage.ticks.values().sum::<u64>()
        - cpu_before.min(usage.ticks.get(&pid).copied().unwrap_or(0));
    let cpu_s = ticks as f64 / 100.0;
    Outcome {
        server: server.name,
        scenario: s.name,
        clients: s.clients,
        rounds: s.rounds,
        wall,
        cpu_s,
        failures,
        hwm_kb: status_field(pid, "VmHWM:"),
        tree_peak_kb: usage.peak_rss_kb,
        note,
    }
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs us
    // without it: stay out of the tests then.
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "tftp_serve: a benchmark; run it with `cargo bench --no-default-features --bench tftp_serve`"
        );
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("tftp-bench")
        .tempdir()
        .unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // in.tftpd may drop to another user: let it read the root.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let image = Arc::new(random_bytes(IMAGE_LEN));
    std::fs::write(root.join(IMAGE), image.as_slice()).unwrap();
    std::fs::write(root.join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut servers = vec![start_ours(&root)];
    servers.extend(start_in_tftpd(&root));
    let mut outcomes = vec![];
    for s in scenarios() {
        for server in &servers {
            outcomes.push(run_scenario(&rt, server, &s, &image));
        }
    }
    println!(
        "\nTFTP benchmark: {} bytes image over 127.0.0.1 ({} cores)",
        IMAGE_LEN,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<20} {:<10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11} {:>13}  note",
        "server",
        "scenario",
        "fetches",
        "wall s",
        "CPU s",
        "failures",
        "MB/s",
        "VmHWM kB",
        "tree peak kB"
    );
    let mut json = vec![];
    for o in &outcomes {
        let mbps = (o.clients * o.rounds * IMAGE_LEN) as f64 / 1e6 / o.wall.as_secs_f64();
        println!(
            "{:<20} {:<10} {:>9} {:>9.3} {:>9.2} {:>9} {:>9.1} {:>11} {:>13}  {}",
            o.server,
            o.scenario,
            format!("{}x{}", o.clients, o.rounds),
            o.wall.as_secs_f64(),
            o.cpu_s,
            o.failures,
            mbps,
            o.hwm_kb.map_or("-".into(), |k| k.to_string()),
            o.tree_peak_kb,
            o.note
        );
        json.push(serde_json::json!({
            "server": o.server, "scenario": o.scenario, "clients": o.clients, "rounds": o.rounds,
            "wall_s": o.wall.as_secs_f64(), "server_cpu_s": o.cpu_s, "failures": o.failures, "mb_per_s": mbps,
            "vm_hwm_kb": o.hwm_kb, "tree_peak_rss_kb": o.tree_peak_kb, "note": o.note,
        }));
    }
    if let Ok(path) = std::env::var("BENCH_JSON") {
        std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
        println!("results written to {path}");
    }
    let failed: usize = outcomes
        .iter()
        .filter(|o| o.server.starts_with("convert79xx"))
        .map(|o| o.failures)
        .sum();
    if failed > 0 {
        eprintln!("convert79xx serve had {failed} failed transfers");
        std::process::exit(1);
    }
}
