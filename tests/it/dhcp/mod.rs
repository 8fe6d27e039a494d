//! The bench DHCP server in network namespaces, against real clients
//! (busybox `udhcpc`, ISC `dhclient`), a real other server (`dnsmasq`) and
//! hostile packets. Each test makes its own namespaces and veth pair and
//! removes them (support/netns.rs); where it cannot (not root), it skips.

mod attacks;
mod clients;
mod ladder;
mod malformed;
mod neighbours;
mod probe;
mod serve_cli;

use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use convert79xx::dhcp::{DhcpConfig, DhcpEvent, DhcpServer};

use convert79xx::host::find_interface;
use tokio::sync::oneshot;

use crate::support::netns::Bench;
use crate::support::{KillOnDrop, have_program, skip};

/// A bench, or None after reporting why not (a skip).
fn bench_or_skip(programs: &[&str]) -> Option<Bench> {
    for p in programs {
        if !have_program(p) {
            skip(format!(
                "`{p}` is not installed (.ci/install-deps installs it)"
            ));
            return None;
        }
    }
    match Bench::new() {
        Ok(b) => Some(b),
        Err(why) => {
            skip(format!(
                "cannot make network namespaces here (needs root): {why}"
            ));
            None
        }
    }
}

/// The DHCP server running inside the bench's server namespace, its
/// events forwarded to the test thread.
struct NsServer {
    events: mpsc::Receiver<DhcpEvent>,
    seen: Vec<DhcpEvent>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NsServer {
    /// Starts it; Err carries the start error's message, and `seen` the
    /// events sent before it (the probe's).
    fn start(
        bench: &Bench,
        configure: impl FnOnce(&mut DhcpConfig) + Send + 'static,
    ) -> Result<NsServer, (String, Vec<DhcpEvent>)> {
        let name = bench.server_if.clone();
        let (ev_tx, ev_rx) = mpsc::channel();
        let (started_tx, started_rx) = mpsc::channel();
        let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
        let thread = bench.server.spawn(move || async move {
            let iface = find_interface(&name).expect("the bench interface has an address");
            let mut config = DhcpConfig::new(iface);
            configure(&mut config);
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let started = DhcpServer::start(config, tx).await;
            while let Ok(e) = rx.try_recv() {
                let _ = ev_tx.send(e);
            }
            let running = match started {
                Ok(r) => {
                    let _ = started_tx.send(Ok(()));
                    r
                }
                Err(e) => {
                    let _ = started_tx.send(Err(e.to_string()));
                    return;
                }
            };
            loop {
                tokio::select! {
                    _ = &mut stop_rx => break,
                    Some(e) = rx.recv() => { let _ = ev_tx.send(e); }
                }
            }
            running.shutdown().await;
        });
        let started = started_rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| Err("the server did not start within 20 s".into()));
        let mut server = NsServer {
            events: ev_rx,
            seen: vec![],
            stop: Some(stop_tx),
            thread: Some(thread),
        };
        server.collect();
        match started {
            Ok(()) => Ok(server),
            Err(e) => Err((e, std::mem::take(&mut server.seen))),
        }
    }

    /// Takes every event that arrived so far into `seen`.
    fn collect(&mut self) -> &[DhcpEvent] {
        self.seen.extend(self.events.try_iter());
        &self.seen
    }

    /// Waits up to `within` for an event matching `want`.
    fn wait_for(
        &mut self,
        within: Duration,
        want: impl Fn(&DhcpEvent) -> bool,
    ) -> Option<DhcpEvent> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(e) = self.collect().iter().find(|e| want(e)) {
                return Some(e.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.events.recv_timeout(left) {
                Ok(e) => self.seen.push(e),
                Err(_) => return None,
            }
        }
    }
}

impl Drop for NsServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const LOADER_ERA_7960: &str = "Cisco Systems, Inc. IP Phone CP-7960G";

/// A udhcpc event script: on `bound`/`renew` it puts the address on the
/// interface, as a phone does (a renewal is answered by unicast to it);
/// then each event's environment goes into `DIR/EVENT.env`, so a test that
/// sees the file may use the address.
fn write_script(dir: &Path) -> std::path::PathBuf {
    let script = dir.join("udhcpc.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             case \"$1\" in bound|renew) ip addr flush dev \"$interface\"; ip addr add \"$ip/$mask\" dev \"$interface\";; esac\n\
             env > '{dir}/'\"$1\".env.tmp && mv '{dir}/'\"$1\".env.tmp '{dir}/'\"$1\".env\n",
            dir = dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// One event's variables, once its file appears (None after `within`).
fn wait_env(dir: &Path, event: &str, within: Duration) -> Option<Vec<(String, String)>> {
    let path = dir.join(format!("{event}.env"));
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Some(
                text.lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn var<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn udhcpc(bench: &Bench, script: &Path, extra: &[&str]) -> KillOnDrop {
    let child = bench
        .client
        .command("busybox")
        .args([
            "udhcpc",
            "-f",
            "-i",
            &bench.client_if,
            "-V",
            LOADER_ERA_7960,
        ])
        .args(["-O", "150", "-O", "66", "-t", "5", "-T", "1", "-s"])
        .arg(script)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("busybox runs");
    KillOnDrop::new(child)
}
