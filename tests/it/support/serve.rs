//! TFTP servers as real processes on 127.0.0.1: `convert79xx serve --json`
//! (its JSON event lines collected as they come) and tftp-hpa's `in.tftpd`
//! for comparison.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The `convert79xx` binary cargo built for this test or bench.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_convert79xx"))
}

/// A UDP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("no free UDP port on 127.0.0.1")
}

#[derive(Default)]
struct Events {
    lines: Vec<Value>,
    /// Lines on stdout that were not JSON (a contract break).
    not_json: Vec<String>,
    closed: bool,
}

/// A running `convert79xx serve DIR --bind 127.0.0.1 --port N --json`.
pub struct Serve {
    child: Child,
    pub addr: SocketAddr,
    events: Arc<(Mutex<Events>, Condvar)>,
    stderr_path: PathBuf,
    _stderr_dir: tempfile::TempDir,
}

impl Serve {
    /// Start the server on a free loopback port and wait for its
    /// `listening` line. Panics (with the server's stderr) if it does not
    /// come within 20 s.
    pub fn start(root: &Path) -> Serve {
        Serve::start_with(root, &[])
    }

    pub fn start_with(root: &Path, extra: &[&str]) -> Serve {
        Serve::start_command(root, extra, |_| {})
    }

    /// Started with at most `limit` open files (soft and hard), as on a
    /// system whose limit cannot be raised.
    #[cfg(unix)]
    pub fn start_with_open_files(root: &Path, limit: u64) -> Serve {
        Serve::start_command(root, &[], |cmd| {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is async-signal-safe; nothing else runs
            // between fork and exec.
            unsafe {
                cmd.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, limit, limit));
            }
        })
    }

    fn start_command(root: &Path, extra: &[&str], configure: impl FnOnce(&mut Command)) -> Serve {
        let port = free_port();
        let stderr_dir = tempfile::tempdir().unwrap();
        let stderr_path = stderr_dir.path().join("serve.stderr");
        let mut command = super::convert79xx();
        command
            .arg("serve")
            .arg(root)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--json"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap());
        configure(&mut command);
        let mut child = command.spawn().expect("cannot start convert79xx serve");
        let events: Arc<(Mutex<Events>, Condvar)> = Arc::default();
        let stdout = child.stdout.take().unwrap();
        let ev = Arc::clone(&events);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let (lock, cv) = &*ev;
                let mut e = lock.lock().unwrap();
                match serde_json::from_str::<Value>(&line) {
                    Ok(v) => e.lines.push(v),
                    Err(_) => e.not_json.push(line),
                }
                cv.notify_all();
            }
            let (lock, cv) = &*ev;
            lock.lock().unwrap().closed = true;
            cv.notify_all();
        });
        let mut s = Serve {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            events,
            stderr_path,
            _stderr_dir: stderr_dir,
        };
        match s.wait_event(Duration::from_secs(20), |v| v["event"] == "listening") {
            Some(v) => {
                if let Some(a) = v["addr"].as_str().and_then(|a| a.parse().ok()) {
                    s.addr = a;
                }
            }
            None => panic!(
                "convert79xx serve did not print a `listening` event within 20 s\nstdout: {:?}\nstderr: {}",
                s.events(),
                s.stderr()
            ),
        }
        s
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// All JSON event lines so far.
    pub fn events(&self) -> Vec<Value> {
        self.events.0.lock().unwrap().lines.clone()
    }

    /// Stdout lines that were not JSON.
    pub fn not_json(&self) -> Vec<String> {
        self.events.0.lock().unwrap().not_json.clone()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Wait until an event matching `pred` has been printed (at any time so
    /// far) or `timeout` passes.
    pub fn wait_event(&self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        let (lock, cv) = &*self.events;
        let mut e = lock.lock().unwrap();
        loop {
            if let Some(v) = e.lines.iter().find(|v| pred(v)) {
                return Some(v.clone());
            }
            let now = Instant::now();
            if now >= deadline || e.closed {
                return None;
            }
            e = cv.wait_timeout(e, deadline - now).unwrap().0;
        }
    }

    /// Wait until `count` events match `pred`; returns those seen.
    pub fn wait_events(
        &self,
        timeout: Duration,
        count: usize,
        pred: impl Fn(&Value) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        let (lock, cv) = &*self.events;
        let mut e = lock.lock().unwrap();
        loop {
            let found: Vec<Value> = e.lines.iter().filter(|v| pred(v)).cloned().collect();
            let now = Instant::now();
            if found.len() >= count || now >= deadline || e.closed {
                return found;
            }
            e = cv.wait_timeout(e, deadline - now).unwrap().0;
        }
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Peak resident memory of the server process (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmHWM")
    }

    /// Stop with SIGTERM and return every JSON line it printed, the
    /// `summary` with each phone's journey last.
    pub fn stop(mut self) -> Vec<Value> {
        self.interrupt();
        let _ = self.child.wait();
        let (lock, cv) = &*self.events;
        let mut e = lock.lock().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !e.closed && Instant::now() < deadline {
            e = cv.wait_timeout(e, Duration::from_millis(100)).unwrap().0;
        }
        e.lines.clone()
    }

    /// SIGTERM, as an admin's Ctrl-C would. Windows has no signal to send
    /// another process: there the server is ended and prints no summary.
    fn interrupt(&mut self) {
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        #[cfg(not(unix))]
        let _ = self.child.kill();
    }

    /// Stop with SIGTERM, as an admin's Ctrl-C would, and wait for the exit.
    pub fn terminate(mut self) -> Option<ExitStatus> {
        self.interrupt();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A field of /proc/PID/status in KiB (VmHWM, VmRSS).
pub fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// Resident memory of a process and all its descendants, in KiB (one sample).
pub fn tree_rss_kib(pid: u32) -> u64 {
    let mut total = proc_status_kib(pid, "VmRSS").unwrap_or(0);
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    for c in children.split_whitespace().filter_map(|c| c.parse().ok()) {
        total += tree_rss_kib(c);
    }
    total
}

/// tftp-hpa's `in.tftpd` in standalone mode on a loopback port, serving
/// `root` (chrooted with -s). It forks one process per transfer.
pub struct InTftpd {
    child: Child,
    pub addr: SocketAddr,
}

pub const IN_TFTPD: &str = "/usr/sbin/in.tftpd";

impl InTftpd {
    pub fn start(root: &Path) -> std::io::Result<InTftpd> {
        let port = free_port();
        let child = Command::new(IN_TFTPD)
            .args(["--foreground", "--listen", "--secure", "--user", "root"])
            .args(["--address", &format!("127.0.0.1:{port}")])
            .args(["--blocksize", "65464"])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let s = InTftpd {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        // Wait until it answers: a request for a missing file gets an ERROR.
        let probe = UdpSocket::bind("127.0.0.1:0")?;
        probe.set_read_timeout(Some(Duration::from_millis(100)))?;
        let rrq = super::packet::rrq("no-such-file-probe", &[]);
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut buf = [0u8; 600];
        while Instant::now() < deadline {
            probe.send_to(&rrq, s.addr)?;
            if probe.recv_from(&mut buf).is_ok() {
                return Ok(s);
            }
        }
        Err(std::io::Error::other("in.tftpd did not answer within 5 s"))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for InTftpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
