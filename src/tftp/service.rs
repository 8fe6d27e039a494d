//! Starting and stopping the TFTP service, and the messages for a port that
//! cannot be bound.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::server::TftpServerBuilder;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::sync::oneshot;

use super::events::TftpEvent;
use super::handler::{Answers, RootHandler, Shared};
use super::listen::{listen_with, refused};
use super::policy::Root;
use crate::bind::{BindFailure, BindRequest, BindStrategy, Front, NextStep, Os};
use crate::host::{Ipv4Interface, TFTP_PORT};
use crate::msg;
use crate::msg::Msg;

/// How long a graceful stop waits for the last ACK of a transfer that has
/// sent its whole file: a phone that got its config should be counted as
/// having it, not as cut off by the stop.
pub const LAST_ACK_GRACE: Duration = Duration::from_millis(500);

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The prepared TFTP root.
    pub root: PathBuf,
    /// The address to listen on (default: all IPv4 addresses). With an
    /// `interface`, either its address (the OS's rules then choose how to
    /// bind, see [`crate::bind`]) or the wildcard (bound as it is, and
    /// kept to the interface).
    pub bind: IpAddr,
    /// Serve this interface only (the bench): requests sent to another
    /// address, or arriving on another interface, are dropped.
    pub interface: Option<Ipv4Interface>,
    /// Who reads the bind errors: a wizard user is never told to use sudo.
    pub front: Front,
    /// UDP port (default 69; 0 picks a free one, for tests).
    pub port: u16,
    /// Retransmit timeout. Clients' own `timeout` option is declined (left
    /// out of the OACK, as RFC 2347 allows) because telling a finished
    /// transfer from a dead one depends on knowing it.
    pub timeout: Duration,
    /// Retransmissions of a block before the transfer is given up. Kept
    /// small: the server's default (async-tftp's, 100 × 3 s) hides a dead
    /// phone for 5 minutes.
    pub max_retries: u32,
    /// Largest block size granted to a client asking `blksize`
    /// (1468 fits an Ethernet frame without IP fragments).
    pub block_size_limit: u16,
    /// Largest window granted to a client asking `windowsize` (RFC 7440).
    pub window_size_limit: u16,
    /// Least time between two progress events of one transfer.
    pub progress_every: Duration,
    /// Who answers which request from which file, when that depends on
    /// the phone (a ladder: see [`Ladder`](crate::phones::Ladder)); none: the root as it is.
    pub answers: Option<Arc<dyn Answers>>,
    /// Most transfers at once; more are answered "busy". `None`: sized
    /// from the open-file limit ([`transfer_cap`]).
    pub max_transfers: Option<usize>,
    /// Serve even a root that looks like it holds secrets ([`root_secrets`]).
    pub force: bool,
    /// Tests: the OS refuses every bind to a specific address with
    /// EACCES, as macOS does below port 1024, so the fallback runs here.
    #[cfg(any(test, feature = "test-support"))]
    pub refuse_specific_binds: bool,
}

impl ServeConfig {
    /// Defaults: all addresses, port 69, 1 s timeout, 9 retries. A block is
    /// sent up to 10 times: with 20% of DATA packets lost it is lost for
    /// good with odds 0.2^10 ≈ 1e-7 (0.36^10 ≈ 4e-5 if ACKs are lost as
    /// often). A dead or aborted transfer is reported failed after 10 s.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeConfig {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            interface: None,
            front: Front::Cli,
            port: TFTP_PORT,
            timeout: Duration::from_secs(1),
            max_retries: 9,
            block_size_limit: 1468,
            window_size_limit: 32,
            progress_every: Duration::from_millis(500),
            answers: None,
            max_transfers: None,
            force: false,
            #[cfg(any(test, feature = "test-support"))]
            refuse_specific_binds: false,
        }
    }

    /// How long a dead transfer takes to be reported failed.
    pub fn give_up_time(&self) -> Duration {
        self.timeout * (self.max_retries + 1)
    }
}

/// Why the service could not start. Each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{}", self.msg())]
    Root { root: PathBuf, source: io::Error },
    #[error("{}", self.msg())]
    RootNotFolder { root: PathBuf },
    #[error("{message}")]
    PortBusy { addr: SocketAddr, message: Msg },
    #[error("{message}")]
    NeedsPrivilege { addr: SocketAddr, message: Msg },
    #[error("{message}")]
    AddressNotHere { addr: SocketAddr, message: Msg },
    #[error("{}", self.msg())]
    NotOnInterface {
        bind: IpAddr,
        interface: String,
        address: Ipv4Addr,
    },
    #[error("{}", self.msg())]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("{}", self.msg())]
    NoRuntime,
    #[error("{}", self.msg())]
    RootHoldsSecrets { root: PathBuf, found: Vec<Msg> },
}

impl ServeError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> Msg {
        match self {
            ServeError::Root { root, source } => msg!(
                "serve.error.root",
                "the TFTP root {root} cannot be used: {error}. Check the folder exists (run `convert79xx prepare` first) and that you may read it.",
                root = root.display(),
                error = source,
            ),
            ServeError::RootNotFolder { root } => msg!(
                "serve.error.root_not_folder",
                "the TFTP root {root} is not a folder.",
                root = root.display(),
            ),
            ServeError::PortBusy { message, .. }
            | ServeError::NeedsPrivilege { message, .. }
            | ServeError::AddressNotHere { message, .. } => message.clone(),
            ServeError::NotOnInterface {
                bind,
                interface,
                address,
            } => msg!(
                "serve.error.not_on_interface",
                "{bind} is not the address of interface {interface} ({address}). Give --bind {address}, or --bind 0.0.0.0 to listen on all addresses and answer only {interface}, or leave --bind out.",
                bind = bind,
                interface = interface,
                address = address,
            ),
            ServeError::Bind { addr, source } => msg!(
                "serve.error.bind",
                "cannot listen on UDP {addr}: {error}",
                addr = addr,
                error = source,
            ),
            ServeError::NoRuntime => msg!(
                "serve.error.no_runtime",
                "the TFTP service needs a tokio runtime (internal error)"
            ),
            ServeError::RootHoldsSecrets { root, found } => msg!(
                "serve.error.secrets",
                "{root} does not look like a folder made for the phones: it holds {found}. Everything readable in it could be fetched by anyone on the network.",
                root = root.display(),
                found => Msg::list(found.iter().cloned()),
            ),
        }
    }
}

/// Maps a bind failure of the command line to the message the user needs
/// (this OS's rules: [`crate::bind`]).
pub fn bind_error(addr: SocketAddr, source: io::Error) -> ServeError {
    let failure = BindFailure::from_io(&source);
    let request = BindRequest {
        address: addr.ip(),
        interface: None,
        port: addr.port(),
    };
    // As if the wildcard was refused too: nothing left to fall back to.
    let tried = BindStrategy::Everywhere { port: addr.port() };
    match crate::bind::after_failure(Os::current(), Front::Cli, &request, &tried, failure) {
        NextStep::GiveUp { message, .. } => refused(addr, failure, message, source),
        NextStep::Retry { .. } => ServeError::Bind { addr, source },
    }
}

/// File descriptors a transfer holds: its socket (one descriptor, shared
/// with the list that wakes it at a stop) and its file.
pub const FDS_PER_TRANSFER: u64 = 2;

/// Most transfers at once, from the open-file limit (raised to the hard
/// limit first where the OS allows): each holds [`FDS_PER_TRANSFER`], and
/// a few dozen descriptors are kept for everything else (the listening
/// socket, the root, the folders an open walks through, the ladder's
/// state, the DHCP server), so a request past the cap is told "busy"
/// before the process runs out. At most 4096, so a flood of requests that
/// never acknowledge holds a bounded amount of memory (a window of at
/// most 32 blocks each).
pub fn transfer_cap() -> usize {
    const KEEP: u64 = 64;
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let cap = limit.saturating_sub(KEEP) / FDS_PER_TRANSFER;
    usize::try_from(cap).unwrap_or(usize::MAX).clamp(16, 4096)
}

/// What makes a folder unsafe to serve whole: a session file (it holds
/// the phones' passwords), a system folder (`/etc`, the filesystem root)
/// or a home folder (its dotfiles). Hidden and `.toml` files are never
/// served anyway; this is about the folder being the wrong one.
pub fn root_secrets(root: &Path) -> Vec<Msg> {
    let mut found = vec![];
    if root.parent().is_none() {
        found.push(msg!(
            "serve.secrets.file_system",
            "the whole file system (it is the root folder)"
        ));
    }
    if root.starts_with("/etc") || root.join("etc/passwd").is_file() {
        found.push(msg!(
            "serve.secrets.etc",
            "the system's configuration (/etc)"
        ));
    } else if let Some(system) = SYSTEM_FOLDERS.iter().find(|s| is_system(root, s)) {
        found.push(msg!(
            "serve.secrets.system",
            "the operating system's own files ({folder})",
            folder = system,
        ));
    }
    if directories::BaseDirs::new()
        .is_some_and(|b| dunce::canonicalize(b.home_dir()).is_ok_and(|home| home == root))
    {
        found.push(msg!("serve.secrets.home", "your home folder"));
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return found;
    };
    let mut dotfiles = vec![];
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            found.push(msg!(
                "serve.secrets.session",
                "{name} (a session file with the phones' passwords)",
                name = name,
            ));
        } else if HOME_DOTFILES.contains(&lower.as_str()) {
            dotfiles.push(name);
        }
    }
    if !dotfiles.is_empty() {
        dotfiles.sort();
        found.push(msg!(
            "serve.secrets.dotfiles",
            "a home folder's dotfiles ({names})",
            names = dotfiles.join(", "),
        ));
    }
    found
}

/// Names that only a home folder holds.
/// Folders of the operating system itself: never a TFTP root, nor
/// anything under them (`/var`, `/srv` and `/tmp` are where TFTP roots
/// usually are, so they are not here).
const SYSTEM_FOLDERS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/lib",
    "/lib64",
    "/proc",
    "/sbin",
    "/sys",
    "/usr",
    "/System",
    "/Library",
    "C:\\Windows",
    "C:\\Program Files",
];

/// Whether `root` is `system` or under it (Windows: case ignored).
fn is_system(root: &Path, system: &str) -> bool {
    if cfg!(windows) {
        let root = root.to_string_lossy().to_ascii_lowercase();
        let root = root.trim_start_matches(r"\\?\");
        let system = system.to_ascii_lowercase();
        root == system || root.starts_with(&format!("{system}\\"))
    } else {
        root.starts_with(system)
    }
}

const HOME_DOTFILES: &[&str] = &[
    ".ssh",
    ".gnupg",
    ".bashrc",
    ".bash_history",
    ".zshrc",
    ".zsh_history",
    ".profile",
    ".netrc",
    ".aws",
    ".kube",
];

/// The TFTP service: read-only, on our server (`super::server`, which
/// began as async-tftp). Requests and opens are taken on a thread of
/// their own ("tftp"); each transfer then runs on a thread of its own
/// ("tftp-transfer"), so a busy machine shares its CPU
/// with transfers as it does with in.tftpd's children. Events come out on
/// a tokio channel, each phone's in the order its packets came (a phone's
/// next request waits for the end of the transfer whose last ACK came
/// before it).
pub struct TftpService;

impl TftpService {
    /// Binds and starts serving. Must be called inside a tokio runtime.
    /// The first event on the channel is `listening`.
    pub fn start(config: ServeConfig) -> Result<RunningService, ServeError> {
        // The events are read on tokio; a caller without it never drains them.
        tokio::runtime::Handle::try_current().map_err(|_| ServeError::NoRuntime)?;
        let root = dunce::canonicalize(&config.root).map_err(|source| ServeError::Root {
            root: config.root.clone(),
            source,
        })?;
        // The one rule the wizard's Files step also asks before writing.
        match super::refuse_folder(&config.root) {
            Some(ServeError::RootHoldsSecrets { .. }) if config.force => {}
            Some(refused) => return Err(refused),
            None => {}
        }
        let handle = Root::open(&root).map_err(|source| ServeError::Root {
            root: config.root.clone(),
            source,
        })?;
        let max_transfers = config.max_transfers.unwrap_or_else(transfer_cap);
        let listener = listen_with(&config, Os::current(), |addr| {
            #[cfg(any(test, feature = "test-support"))]
            if config.refuse_specific_binds && !addr.ip().is_unspecified() {
                return Err(io::ErrorKind::PermissionDenied.into());
            }
            UdpSocket::bind(addr)
        })?;
        let socket = listener.socket;
        let local_addr = socket.local_addr().map_err(|source| ServeError::Bind {
            addr: listener.strategy.socket_addr(),
            source,
        })?;

        let (tx, rx) = unbounded_channel();
        let mut shared = Shared::new(handle, tx, config.progress_every);
        shared.answers = config.answers.clone();
        shared.keep = listener.keep.clone();
        let shared = Arc::new(shared);
        let _ = shared.events.send(TftpEvent::Listening {
            addr: local_addr,
            root: root.display().to_string(),
            how: listener.report.clone(),
        });
        if let Some(why) = listener.fallback {
            let _ = shared.events.send(TftpEvent::Warning { text: why });
        }
        let hook = Arc::clone(&shared);
        let mut builder = TftpServerBuilder::new(
            RootHandler {
                shared: Arc::clone(&shared),
            },
            socket,
        );
        if let Some(keep) = listener.keep {
            builder = builder.accept(move |peer, arrival| keep.keeps(peer, arrival));
        }
        let builder = builder
            .max_transfers(max_transfers)
            .on_rejected(move |client, why| hook.rejected(*client, why))
            .timeout(config.timeout)
            .max_send_retries(config.max_retries)
            .ignore_client_timeout()
            .block_size_limit(config.block_size_limit)
            .window_size_limit(config.window_size_limit);
        let server = builder.build().map_err(|e| ServeError::Bind {
            addr: local_addr,
            source: io::Error::other(e.to_string()),
        })?;
        // The server's request loop runs on async-io: on a thread of its
        // own, driving the async-io reactor itself, a request costs no
        // cross-thread wake-up. Dropping the server stops and joins the
        // transfer threads, before `done` is sent.
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (done_tx, done_rx) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("tftp".into())
            .spawn(move || {
                async_io::block_on(futures_lite::future::or(
                    async {
                        // Ends only if the socket itself fails.
                        let _ = server.serve().await;
                    },
                    async {
                        let _ = stop_rx.await;
                    },
                ));
                let _ = done_tx.send(());
            })
            .map_err(|e| ServeError::Bind {
                addr: local_addr,
                source: e,
            })?;
        Ok(RunningService {
            local_addr,
            report: listener.report,
            root,
            shared,
            stop: Some(stop_tx),
            stopped: Some(done_rx),
            events: Some(rx),
        })
    }
}

/// A started service. Dropping it stops it too (without waiting).
pub struct RunningService {
    local_addr: SocketAddr,
    report: crate::msg::Msg,
    root: PathBuf,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    stopped: Option<oneshot::Receiver<()>>,
    events: Option<UnboundedReceiver<TftpEvent>>,
}

impl RunningService {
    /// The address actually bound (the port is real even when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The canonical root being served.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How it bound and whom it answers, in one line ("Listening on
    /// 0.0.0.0:69, answering only on en5 (192.0.2.2) …").
    pub fn report(&self) -> &crate::msg::Msg {
        &self.report
    }

    /// The event channel; `None` once taken. Drain it: it is unbounded.
    pub fn take_events(&mut self) -> Option<UnboundedReceiver<TftpEvent>> {
        self.events.take()
    }

    fn shutdown_now(&mut self) {
        if !self.shared.stopping.swap(true, Ordering::SeqCst) {
            self.shared.flush_refusals();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops serving. A transfer that has sent its whole file gets up to
    /// [`LAST_ACK_GRACE`] for the phone's last ACK; transfers still running
    /// after that are reported `failed` with reason `stopped`. The port is
    /// free when this returns.
    pub async fn shutdown(mut self) {
        let deadline = tokio::time::Instant::now() + LAST_ACK_GRACE;
        while self.shared.finishing.load(Ordering::SeqCst) > 0
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.shutdown_now();
        if let Some(stopped) = self.stopped.take() {
            let _ = stopped.await;
        }
    }
}

impl Drop for RunningService {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11: the cap is sized from the open-file limit, raised first:
    /// 2,000 silent requests at the default limit of 1024 starved phones.
    #[test]
    fn the_transfer_cap_follows_the_raised_open_file_limit() {
        let cap = transfer_cap();
        assert!((16..=4096).contains(&cap), "{cap}");
        #[cfg(unix)]
        {
            let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
            assert!(soft == hard || soft >= 8192, "soft {soft}, hard {hard}");
            assert!(
                cap as u64 <= soft / FDS_PER_TRANSFER,
                "{cap} transfers need {FDS_PER_TRANSFER} descriptors each"
            );
        }
    }

    #[test]
    fn a_root_with_secrets_is_named_for_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("OS79XX.TXT"), b"x").unwrap();
        assert!(root_secrets(&root).is_empty());
        std::fs::write(root.join("Bench.TOML"), b"").unwrap();
        std::fs::create_dir(root.join(".ssh")).unwrap();
        let found = crate::msg::Msg::list(root_secrets(&root)).to_string();
        assert!(
            found.contains("Bench.TOML") && found.contains(".ssh"),
            "{found}"
        );
        #[cfg(unix)]
        {
            assert!(!root_secrets(Path::new("/")).is_empty());
            assert!(!root_secrets(Path::new("/etc")).is_empty());
        }
    }
}
