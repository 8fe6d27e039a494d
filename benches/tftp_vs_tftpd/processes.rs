//! The real-client scenario (issue 14): N tftp-hpa `tftp` processes at
//! once, one per phone, 512-byte lock-step with no options, as a bench of
//! phones loads a laptop that is also running other programs. Each client
//! is its own process competing for the cores, unlike the in-process
//! clients of the first scenario, which share one process and are cheap.
//!
//! The clients all come from 127.0.0.1: tftp-hpa's client has no option to
//! choose its source address, and each transfer has its own client port
//! anyway, which is what both servers key transfers on.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// A client still running after this is killed and counted as failed, so a
/// round is bounded in time whatever the server does.
const CLIENT_LIMIT: Duration = Duration::from_secs(60);

/// One round of N client processes against one server.
pub struct Round {
    pub wall: Duration,
    pub failed: usize,
    /// Files that arrived but differ from the image.
    pub differ: usize,
    /// The server's user+system CPU time spent in the round (for in.tftpd
    /// its listener and every child it forked).
    pub cpu: Duration,
    /// Peak memory seen while it ran, KiB (summed over the process tree).
    pub peak_kib: u64,
}

/// How often the server's process tree is sampled. Reading /proc costs
/// the bench CPU too, more for in.tftpd's many children: kept coarse.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);

/// One look at /proc/PID/stat: (user+system CPU ticks, resident KiB).
fn stat(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: the fields start after its ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ')' the state is field 3 of proc(5): field N is index N - 3.
    let num = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
    let ticks = num(14)? + num(15)?;
    let rss_kib = num(24)? * 4;
    Some((ticks, rss_kib))
}

fn children(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|c| c.parse().ok())
        .collect()
}

/// Samples a server's process tree while a round runs: peak summed RSS,
/// and CPU time summed over the listener and every child seen. in.tftpd's
/// children are reaped without their times being added to the listener,
/// so they are read while they live; the last interval of each is missed
/// (a few ms of CPU per round).
struct TreeSampler {
    stop: Arc<AtomicBool>,
    handle: thread::JoinHandle<(u64, u64)>,
}

impl TreeSampler {
    fn start(pid: u32) -> TreeSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let s = Arc::clone(&stop);
        let handle = thread::spawn(move || {
            let start_ticks = stat(pid).map_or(0, |(t, _)| t);
            let mut last: HashMap<u32, u64> = HashMap::new();
            let mut peak_kib = 0;
            loop {
                let done = s.load(Ordering::Relaxed);
                let mut rss = 0;
                for p in std::iter::once(pid).chain(children(pid)) {
                    if let Some((ticks, kib)) = stat(p) {
                        last.insert(p, ticks);
                        rss += kib;
                    }
                }
                peak_kib = peak_kib.max(rss);
                if done {
                    break;
                }
                thread::sleep(SAMPLE_EVERY);
            }
            let ticks: u64 = last.values().sum::<u64>() - start_ticks;
            (ticks, peak_kib)
        });
        TreeSampler { stop, handle }
    }

    /// (CPU ticks used since the start, peak RSS in KiB).
    fn finish(self) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or((0, 0))
    }
}

/// Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// Runs `clients` tftp-hpa processes against `addr`: all are started and
/// wait on their stdin, then all get their `get` command at once; the wall
/// time runs from then until the last one has exited.
pub fn round(
    addr: SocketAddr,
    clients: usize,
    image_name: &str,
    want: &[u8],
    server_pid: u32,
    out: &Path,
) -> Round {
    let mut children: Vec<Child> = (0..clients)
        .map(|_| {
            Command::new("tftp")
                .arg(addr.ip().to_string())
                .arg(addr.port().to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("cannot start tftp (apt-get install tftp-hpa)")
        })
        .collect();
    let paths: Vec<_> = (0..clients).map(|i| out.join(format!("got-{i}"))).collect();
    for p in &paths {
        let _ = std::fs::remove_file(p);
    }
    // Let every client finish starting (dynamic linking, reading its
    // stdin) before the clock starts.
    thread::sleep(Duration::from_millis(300));
    let sampler = TreeSampler::start(server_pid);
    let start = Instant::now();
    for (child, path) in children.iter_mut().zip(&paths) {
        let mut stdin = child.stdin.take().expect("piped stdin");
        let script = format!("mode octet\nget {image_name} {}\nquit\n", path.display());
        let _ = stdin.write_all(script.as_bytes());
        // Dropping stdin closes it: the client reads EOF after `quit`.
    }
    // Whether each client exited with success; None while it runs.
    let mut exited: Vec<Option<bool>> = vec![None; clients];
    while exited.iter().any(Option::is_none) && start.elapsed() < CLIENT_LIMIT {
        for (child, e) in children.iter_mut().zip(exited.iter_mut()) {
            if e.is_none()
                && let Ok(Some(status)) = child.try_wait()
            {
                *e = Some(status.success());
            }
        }
        thread::sleep(Duration::from_millis(2));
    }
    let wall = start.elapsed();
    let (cpu_ticks_used, peak_kib) = sampler.finish();
    for child in &mut children {
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
        }
        let _ = child.wait();
    }
    let mut ok = 0;
    let mut differ = 0;
    for (i, p) in paths.iter().enumerate() {
        match std::fs::read(p) {
            Ok(got) if got == want && exited[i] == Some(true) => ok += 1,
            Ok(got) if got != want && got.len() == want.len() => differ += 1,
            _ => {}
        }
        let _ = std::fs::remove_file(p);
    }
    Round {
        wall,
        failed: clients - ok,
        differ,
        cpu: Duration::from_secs_f64(cpu_ticks_used as f64 / TICKS_PER_SEC),
        peak_kib,
    }
}
