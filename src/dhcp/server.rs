//! Starting the bench DHCP server on one interface, after the probe, and
//! the messages for what can stop it.

use std::io;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::events::{DhcpEvent, ProbeResult};
use super::leases::Leases;
use super::message::{SERVER_PORT, ServerIdentity};
use super::pool::{Pool, PoolError};
use super::probe::{PROBE_TIME, probe_for_servers};
use super::responder::Responder;
use super::socket::bind_on_interface;
use crate::bind::{BindFailure, BindRequest, BindStrategy, Front, NextStep, Os, after_failure};
use crate::host::{Ipv4Interface, find_interface, ipv4_interfaces, only_interface};
use crate::model::Mac;
use crate::msg;
use crate::msg::Msg;

/// A short lease: a bench lasts an afternoon, and phones that leave it
/// should not keep an address for long.
pub const LEASE_TIME: Duration = Duration::from_secs(10 * 60);

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct DhcpConfig {
    /// The interface facing the phones; its address is the TFTP server.
    pub interface: Ipv4Interface,
    /// Addresses to hand out (default: [`Pool::default_for`] the interface).
    pub pool: Option<Pool>,
    /// Option 3, only when given (a bench rarely has a router).
    pub router: Option<Ipv4Addr>,
    pub lease_time: Duration,
    /// Phones of the session: answered whatever their vendor class.
    pub session_macs: Vec<Mac>,
    /// Skip the probe for other DHCP servers.
    pub force: bool,
    /// How long the probe listens.
    pub probe_time: Duration,
}

impl DhcpConfig {
    /// The pool to serve, after checking the pool and router against the
    /// interface (so a front end can refuse bad input before serving).
    pub fn checked_pool(&self) -> Result<Pool, DhcpError> {
        let iface = &self.interface;
        let pool = match self.pool {
            Some(pool) => {
                pool.check_on(iface)?;
                pool
            }
            None => Pool::default_for(iface)?,
        };
        if let Some(router) = self.router
            && !iface.on_subnet(router)
        {
            return Err(DhcpError::RouterOffSubnet {
                router,
                interface: iface.name.clone(),
                network: Ipv4Addr::from(u32::from(iface.addr) & u32::from(iface.netmask)),
                prefix: iface.prefix_len(),
            });
        }
        Ok(pool)
    }

    pub fn new(interface: Ipv4Interface) -> Self {
        DhcpConfig {
            interface,
            pool: None,
            router: None,
            lease_time: LEASE_TIME,
            session_macs: vec![],
            force: false,
            probe_time: PROBE_TIME,
        }
    }
}

/// Why the DHCP server did not start. Each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum DhcpError {
    // Bad input: the user named something that cannot work.
    #[error("{}", self.msg())]
    NoSuchInterface { name: String, available: Msg },
    #[error("{}", self.msg())]
    ChooseInterface { available: Msg },
    #[error("{}", self.msg())]
    NoInterface,
    #[error("{0}")]
    Pool(#[from] PoolError),
    #[error("{}", self.msg())]
    RouterOffSubnet {
        router: Ipv4Addr,
        interface: String,
        network: Ipv4Addr,
        prefix: u8,
    },
    // The computer or the network is not ready.
    #[error("{}", self.msg())]
    PortBusy { port: u16, interface: String },
    #[error("{}", self.msg())]
    NeedsPrivilege { port: u16, message: Msg },
    #[error("{}", self.msg())]
    Bind {
        port: u16,
        interface: String,
        source: io::Error,
    },
    #[error("{}", self.msg())]
    OtherServer { interface: String, server: Ipv4Addr },
    #[error("{}", self.msg())]
    NoRuntime,
}

fn busy_message(port: u16, interface: &str) -> Msg {
    if port == SERVER_PORT {
        let others = if cfg!(windows) {
            "Internet Connection Sharing, Tftpd64's DHCP server"
        } else if cfg!(target_os = "macos") {
            "Internet Sharing, Tftpd64 under Wine"
        } else {
            "dnsmasq, isc-dhcp-server, kea"
        };
        msg!(
            "dhcp.error.port_busy",
            "UDP port {port} on {interface} is already in use by another DHCP server on this computer ({others}, {vm}). Stop it, or leave DHCP to it and set its options 150 and 66 to this computer.",
            port = port,
            interface = interface,
            others = others,
            vm => if cfg!(any(windows, target_os = "macos")) {
                msg!("dhcp.error.vm_service", "a VM network service")
            } else {
                msg!("dhcp.error.vm_service_libvirt", "a VM network service such as libvirt's")
            },
        )
    } else {
        msg!(
            "dhcp.error.client_port",
            "UDP port {port} on {interface} is held by a DHCP client, so the probe for other DHCP servers cannot listen. Give {interface} a fixed address instead of DHCP, or, if you are sure no other DHCP server is on it, skip the probe with --dhcp-force.",
            port = port,
            interface = interface,
        )
    }
}

impl DhcpError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> Msg {
        match self {
            DhcpError::NoSuchInterface { name, available } => msg!(
                "dhcp.error.no_such_interface",
                "there is no network interface named \"{name}\" with an IPv4 address. {available}",
                name = name,
                available => available.clone(),
            ),
            DhcpError::ChooseInterface { available } => msg!(
                "dhcp.error.choose_interface",
                "this computer has several network interfaces; choose the one facing the phones with --dhcp-interface. {available}",
                available => available.clone(),
            ),
            DhcpError::NoInterface => msg!(
                "dhcp.error.no_interface",
                "this computer has no network interface with an IPv4 address. Connect it to the phones' switch and give that interface a fixed address such as 192.168.10.1/24."
            ),
            DhcpError::Pool(e) => e.msg(),
            DhcpError::RouterOffSubnet {
                router,
                interface,
                network,
                prefix,
            } => msg!(
                "dhcp.error.router_off_subnet",
                "the router {router} is not on {interface}'s subnet {network}/{prefix}: give a router on the subnet, or none (a bench needs none)",
                router = router,
                interface = interface,
                network = network,
                prefix = prefix,
            ),
            DhcpError::PortBusy { port, interface } => busy_message(*port, interface),
            DhcpError::NeedsPrivilege { message, .. } => message.clone(),
            DhcpError::Bind {
                port,
                interface,
                source,
            } => msg!(
                "dhcp.error.bind",
                "cannot use UDP port {port} on {interface}: {error}",
                port = port,
                interface = interface,
                error = source,
            ),
            DhcpError::OtherServer { interface, server } => msg!(
                "dhcp.error.other_server",
                "another DHCP server ({server}) answered on {interface}, so this computer will not hand out addresses: two DHCP servers on one network give PCs wrong addresses. Take the bench (this computer, the switch and the phones) off the office network, or leave DHCP to the office server and set its options 150 and 66 to this computer as the Network step shows. If you are sure, --dhcp-force skips this check.",
                server = server,
                interface = interface,
            ),
            DhcpError::NoRuntime => msg!(
                "dhcp.error.no_runtime",
                "the DHCP server needs a tokio runtime (internal error)"
            ),
        }
    }
}

/// The message for a refused port (crate::bind owns the per-OS wording);
/// on Linux, tying a socket to one interface also needed CAP_NET_RAW
/// before kernel 5.7.
fn privilege_message(iface: &Ipv4Interface, port: u16) -> Msg {
    let request = BindRequest {
        address: iface.addr.into(),
        interface: Some(iface.name.clone()),
        port,
    };
    // The DHCP socket is the wildcard kept to the interface: no retry left.
    let tried = BindStrategy::WildcardKeeping {
        port,
        address: request.address,
        interface: request.interface.clone(),
    };
    let message = match after_failure(
        Os::current(),
        Front::Cli,
        &request,
        &tried,
        BindFailure::PermissionDenied,
    ) {
        NextStep::GiveUp { message, .. } => message,
        NextStep::Retry { why, .. } => Msg::verbatim(why),
    };
    if cfg!(target_os = "linux") {
        msg!(
            "dhcp.error.cap_net_raw",
            "{message} The DHCP server also ties its socket to {interface}: on Linux before 5.7 that needs `cap_net_raw` too (setcap 'cap_net_bind_service,cap_net_raw=+ep'), or run it with sudo.",
            message => message,
            interface = iface.name,
        )
    } else {
        message
    }
}

impl DhcpError {
    /// Whether the user's input was at fault (an interface, pool or router
    /// that cannot work), rather than this computer or the network.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            DhcpError::NoSuchInterface { .. }
                | DhcpError::ChooseInterface { .. }
                | DhcpError::NoInterface
                | DhcpError::Pool(_)
                | DhcpError::RouterOffSubnet { .. }
        )
    }
}

/// Maps a socket failure on `port` of `iface` to the message the user needs.
pub(super) fn bind_error(iface: &Ipv4Interface, port: u16, source: io::Error) -> DhcpError {
    match source.kind() {
        io::ErrorKind::AddrInUse => DhcpError::PortBusy {
            port,
            interface: iface.name.clone(),
        },
        io::ErrorKind::PermissionDenied => DhcpError::NeedsPrivilege {
            port,
            message: privilege_message(iface, port),
        },
        _ if source.raw_os_error() == Some(19) && cfg!(target_os = "linux") => {
            // ENODEV: the interface went away between listing and binding.
            DhcpError::NoSuchInterface {
                name: iface.name.clone(),
                available: available_text(),
            }
        }
        _ => DhcpError::Bind {
            port,
            interface: iface.name.clone(),
            source,
        },
    }
}

/// "Interfaces here: eth0 (192.168.1.5), …" for the messages.
fn available_text() -> Msg {
    let list: Vec<String> = ipv4_interfaces()
        .iter()
        .filter(|i| !i.addr.is_loopback())
        .map(|i| format!("{} ({}/{})", i.name, i.addr, i.prefix_len()))
        .collect();
    if list.is_empty() {
        msg!(
            "dhcp.interfaces.none",
            "No interface here has an IPv4 address."
        )
    } else {
        msg!(
            "dhcp.interfaces.here",
            "Interfaces here: {list}.",
            list = list.join(", "),
        )
    }
}

/// The interface named by the user, or the only one when none is named.
pub fn choose_interface(name: Option<&str>) -> Result<Ipv4Interface, DhcpError> {
    match name {
        Some(name) => find_interface(name).ok_or_else(|| DhcpError::NoSuchInterface {
            name: name.to_string(),
            available: available_text(),
        }),
        None => only_interface().ok_or_else(|| {
            if ipv4_interfaces().iter().any(|i| !i.addr.is_loopback()) {
                DhcpError::ChooseInterface {
                    available: available_text(),
                }
            } else {
                DhcpError::NoInterface
            }
        }),
    }
}

/// The bench DHCP server.
pub struct DhcpServer;

impl DhcpServer {
    /// Checks the pool and router, binds port 67 on the interface, probes
    /// for other servers (unless forced) and starts answering. Events,
    /// starting with `dhcp_probe`, go to `events` (also when the probe
    /// refuses). Must be called inside a tokio runtime.
    pub async fn start(
        config: DhcpConfig,
        events: UnboundedSender<DhcpEvent>,
    ) -> Result<RunningDhcp, DhcpError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| DhcpError::NoRuntime)?;
        let pool = config.checked_pool()?;
        let iface = config.interface.clone();
        // Port 67 first: a missing privilege or a local DHCP server is
        // reported before the probe's seconds of waiting.
        let socket = bind_on_interface(&iface, SERVER_PORT)
            .map_err(|e| bind_error(&iface, SERVER_PORT, e))?;
        let (result, server) = if config.force {
            (ProbeResult::Skipped, None)
        } else {
            match probe_for_servers(&iface, config.probe_time).await? {
                Some(server) => (ProbeResult::OtherServer, Some(server)),
                None => (ProbeResult::Clear, None),
            }
        };
        let _ = events.send(DhcpEvent::DhcpProbe {
            interface: iface.name.clone(),
            result,
            server,
        });
        if let Some(server) = server {
            return Err(DhcpError::OtherServer {
                interface: iface.name.clone(),
                server,
            });
        }
        // What arrived during the probe (its own DISCOVER among it) is
        // stale; phones retransmit.
        let mut buf = [0u8; 2048];
        while socket.try_recv_from(&mut buf).is_ok() {}

        let mut reserved = vec![iface.addr];
        reserved.extend(config.router);
        let responder = Responder::new(
            ServerIdentity {
                addr: iface.addr,
                netmask: iface.netmask,
                router: config.router,
            },
            Leases::new(pool, reserved, &config.session_macs),
            config.lease_time,
            events.clone(),
            Instant::now(),
        );
        let _ = events.send(DhcpEvent::DhcpListening {
            interface: iface.name.clone(),
            addr: iface.addr,
            pool: pool.to_string(),
        });
        let (stop_tx, stop_rx) = oneshot::channel();
        let task = runtime.spawn(serve(socket, responder, stop_rx));
        Ok(RunningDhcp {
            interface: iface,
            pool,
            stop: Some(stop_tx),
            task: Some(task),
        })
    }
}

/// Answers packets one at a time until told to stop: each takes
/// microseconds, so a queue of phones booting at once drains quickly.
async fn serve(socket: UdpSocket, mut responder: Responder, mut stop: oneshot::Receiver<()>) {
    // Larger than any DHCP message on Ethernet; a longer datagram is cut
    // and then fails the parser's checks.
    let mut buf = vec![0u8; 2048];
    loop {
        tokio::select! {
            _ = &mut stop => return,
            received = socket.recv_from(&mut buf) => match received {
                Ok((n, from)) => {
                    let from = match from.ip() {
                        std::net::IpAddr::V4(ip) => ip,
                        std::net::IpAddr::V6(_) => continue,
                    };
                    if let Some(out) = responder.handle(&buf[..n], from, Instant::now()) {
                        let _ = socket.send_to(&out.bytes, out.to).await;
                    }
                }
                // e.g. an ICMP error for an earlier reply (Windows reports
                // them on the next receive); never spin on a failing socket.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }
}

/// A started DHCP server. Dropping it stops it too (without waiting).
pub struct RunningDhcp {
    interface: Ipv4Interface,
    pool: Pool,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningDhcp {
    /// The interface served; its address is what phones get as TFTP server.
    pub fn interface(&self) -> &Ipv4Interface {
        &self.interface
    }

    pub fn pool(&self) -> Pool {
        self.pool
    }

    /// Stops answering; the port is free when this returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningDhcp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
