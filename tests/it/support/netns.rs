//! Network namespaces joined by veth pairs, made and removed by the test
//! itself, for the DHCP tests: broadcasts and port 67/68 stay inside them,
//! never on a real network. Needs root (or CAP_SYS_ADMIN) and `ip`
//! (iproute2); [`Bench::new`] says why when it cannot make them.
//!
//! Addresses come from 198.18.0.0/15 (RFC 2544, for benchmarking), one /24
//! per bench, and exist only inside the namespaces.

use std::fs::File;
use std::future::Future;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A network namespace, deleted (with its end of every veth) on drop.
pub struct Netns {
    pub name: String,
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out: Output = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run `ip` (iproute2): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`ip {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

impl Netns {
    fn create(name: String) -> Result<Netns, String> {
        ip(&["netns", "add", &name])?;
        let ns = Netns { name };
        ip(&["-n", &ns.name, "link", "set", "lo", "up"])?;
        Ok(ns)
    }

    /// `program args…` run inside the namespace.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, program]);
        c
    }

    /// Moves the calling thread into this namespace; threads it starts
    /// afterwards are born there too (a wizard and its runtime, say).
    pub fn enter(&self) {
        enter(&self.name);
    }

    /// Runs `f` on a thread of its own that lives in this namespace, in a
    /// tokio runtime of that thread: every socket it opens is inside.
    pub fn spawn<F, Fut, T>(&self, f: F) -> std::thread::JoinHandle<T>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = T>,
        T: Send + 'static,
    {
        let name = self.name.clone();
        std::thread::spawn(move || {
            enter(&name);
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(f())
        })
    }
}

/// Moves the calling thread into the namespace named `name`.
fn enter(name: &str) {
    let path = format!("/run/netns/{name}");
    let file = File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    nix::sched::setns(file, nix::sched::CloneFlags::CLONE_NEWNET)
        .unwrap_or_else(|e| panic!("setns {path}: {e}"));
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = ip(&["netns", "del", &self.name]);
    }
}

/// Two namespaces joined by a veth pair: `server` has `server_if` with
/// `server_ip`/24, `client` has `client_if` up and without an address (a
/// phone before DHCP).
pub struct Bench {
    // Dropped first-to-last: the namespaces go, their veth ends with them.
    pub server: Netns,
    pub client: Netns,
    pub server_if: String,
    pub client_if: String,
    /// The third byte of 198.18.x.0/24.
    pub subnet: u8,
}

impl Bench {
    /// A fresh pair, or why not (not root, no `ip`, no namespaces here).
    pub fn new() -> Result<Bench, String> {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let tag = format!("{}n{n}", std::process::id() % 1_000_000);
        let server = Netns::create(format!("c79-{tag}-srv"))?;
        let client = Netns::create(format!("c79-{tag}-cli"))?;
        // Interface names: at most 15 bytes.
        let server_if = format!("c79s{tag}");
        let client_if = format!("c79c{tag}");
        ip(&[
            "link",
            "add",
            &server_if,
            "netns",
            &server.name,
            "type",
            "veth",
            "peer",
            "name",
            &client_if,
            "netns",
            &client.name,
        ])?;
        let subnet = (std::process::id() as u8).wrapping_add(n as u8);
        ip(&[
            "-n",
            &server.name,
            "addr",
            "add",
            &format!("198.18.{subnet}.1/24"),
            "dev",
            &server_if,
        ])?;
        ip(&["-n", &server.name, "link", "set", &server_if, "up"])?;
        ip(&["-n", &client.name, "link", "set", &client_if, "up"])?;
        Ok(Bench {
            server,
            client,
            server_if,
            client_if,
            subnet,
        })
    }

    /// An address on the bench's /24.
    pub fn ip(&self, last: u8) -> std::net::Ipv4Addr {
        std::net::Ipv4Addr::new(198, 18, self.subnet, last)
    }

    /// Gives the client end an address (for a client that sends from a
    /// socket rather than a raw one).
    pub fn address_client(&self, last: u8) -> Result<(), String> {
        ip(&[
            "-n",
            &self.client.name,
            "addr",
            "add",
            &format!("{}/24", self.ip(last)),
            "dev",
            &self.client_if,
        ])
    }

    /// The client end's MAC.
    pub fn client_mac(&self) -> convert79xx::model::Mac {
        let path = format!("/sys/class/net/{}/address", self.client_if);
        let out = self
            .client
            .command("cat")
            .arg(&path)
            .output()
            .expect("cat runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}
