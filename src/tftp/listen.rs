//! Binding the TFTP port so that only the bench is served: the strategy
//! [`crate::bind`] chooses for this OS, its fallback when the OS refuses,
//! and the rule that keeps only datagrams for the chosen interface.
//!
//! Binding the interface's own address is not enough on its own (a
//! system with the weak host model delivers a datagram for that address
//! whichever interface it came in on), and on macOS it needs root. So when
//! an interface is chosen, every datagram's arrival is checked too
//! ([`Keep`]); on a wildcard bind that check is what keeps the other
//! networks out.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

use super::server::{ARRIVAL_KNOWN, Arrival};

use super::service::{ServeConfig, ServeError};
use crate::bind::{self, BindFailure, BindRequest, BindStrategy, NextStep, Os};
use crate::host::Ipv4Interface;

/// A bound listening socket and how it came to be.
#[derive(Debug)]
pub(crate) struct Listener {
    pub socket: UdpSocket,
    pub strategy: BindStrategy,
    /// The one line saying where it listens and whom it answers.
    pub report: crate::msg::Msg,
    /// Why the first strategy was not used (the OS refused it), if so.
    pub fallback: Option<String>,
    /// Which datagrams to serve, when an interface was chosen and the OS
    /// says where datagrams arrive.
    pub keep: Option<Keep>,
}

/// Which datagrams an interface-bound service serves: those sent to the
/// interface's address that came in on that interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keep {
    pub address: Ipv4Addr,
    /// The interface's index; `None` if the OS gave none (then only the
    /// address is checked).
    pub index: Option<u32>,
    /// "en5 (192.0.2.2)", for the log line of a dropped sender.
    pub label: String,
}

impl Keep {
    pub fn new(iface: &Ipv4Interface) -> Keep {
        Keep {
            address: iface.addr,
            index: iface.index,
            label: format!("{} ({})", iface.name, iface.addr),
        }
    }

    /// Whether a datagram from `peer` that arrived as `arrival` is served.
    ///
    /// One sent by this computer to itself comes in on the loopback
    /// interface whatever address it was sent to: its sender is a local
    /// address (the destination itself, or loopback), and a reply to it
    /// stays on this computer, so it is kept when the address matches.
    /// An arrival the OS did not describe is dropped: serving it could
    /// serve another network.
    pub fn keeps(&self, peer: &SocketAddr, arrival: &Arrival) -> bool {
        let Some(IpAddr::V4(local)) = arrival.local else {
            return false;
        };
        if local != self.address {
            return false;
        }
        match (self.index, arrival.interface) {
            (Some(want), Some(got)) if want != got => {
                peer.ip() == IpAddr::V4(local) || peer.ip().is_loopback()
            }
            _ => true,
        }
    }

    /// Why a datagram was dropped, for the log.
    pub fn why_dropped(&self, arrival: &Arrival) -> String {
        let to = arrival
            .local
            .map(|a| format!("sent to {a}"))
            .unwrap_or_else(|| "sent to an address the system did not report".into());
        format!(
            "{to}, not to the served interface {} (dropped, not answered)",
            self.label
        )
    }
}

impl ServeConfig {
    /// What the user asked to serve, for [`bind`]'s rules.
    fn bind_request(&self) -> BindRequest {
        BindRequest {
            address: match &self.interface {
                Some(iface) => IpAddr::V4(iface.addr),
                None => self.bind,
            },
            interface: self.interface.as_ref().map(|i| i.name.clone()),
            port: self.port,
        }
    }

    /// The first way to bind: with an interface chosen, `bind` left at the
    /// wildcard asks for the wildcard kept to the interface (where the OS
    /// can tell arrivals apart; elsewhere the interface's address), and
    /// `bind` set to the interface's address lets the OS's rules choose.
    pub(crate) fn first_strategy(&self, os: Os) -> Result<BindStrategy, ServeError> {
        let request = self.bind_request();
        let Some(iface) = &self.interface else {
            return Ok(bind::first_strategy(os, &request));
        };
        if self.bind.is_unspecified() && self.bind.is_ipv4() {
            return Ok(if ARRIVAL_KNOWN {
                BindStrategy::WildcardKeeping {
                    port: self.port,
                    address: request.address,
                    interface: request.interface,
                }
            } else {
                BindStrategy::Address(SocketAddr::new(request.address, self.port))
            });
        }
        if self.bind != IpAddr::V4(iface.addr) {
            return Err(ServeError::NotOnInterface {
                bind: self.bind,
                interface: iface.name.clone(),
                address: iface.addr,
            });
        }
        Ok(bind::first_strategy(os, &request))
    }
}

/// Binds per the first strategy, falling back as [`bind::after_failure`]
/// says. `try_bind` is the OS's bind (a parameter so the fallback can be
/// tested where the OS would not refuse).
pub(crate) fn listen_with(
    config: &ServeConfig,
    os: Os,
    mut try_bind: impl FnMut(SocketAddr) -> io::Result<UdpSocket>,
) -> Result<Listener, ServeError> {
    let request = config.bind_request();
    let mut strategy = config.first_strategy(os)?;
    let mut fallback = None;
    let socket = loop {
        let addr = strategy.socket_addr();
        let error = match try_bind(addr) {
            Ok(socket) => break socket,
            Err(e) => e,
        };
        let failure = BindFailure::from_io(&error);
        match bind::after_failure(os, config.front, &request, &strategy, failure) {
            // Each strategy is tried once: a retry of the same is a give-up.
            NextStep::Retry {
                strategy: next,
                why,
            } if fallback.is_none() && next != strategy => {
                fallback = Some(why);
                strategy = next;
            }
            NextStep::Retry { .. } => {
                return Err(ServeError::Bind {
                    addr,
                    source: error,
                });
            }
            NextStep::GiveUp { message, .. } => {
                return Err(refused(addr, failure, message, error));
            }
        }
    };
    let local = socket.local_addr().map_err(|source| ServeError::Bind {
        addr: strategy.socket_addr(),
        source,
    })?;
    let report = strategy.describe(local, config.interface.as_ref().map(|i| i.name.as_str()));
    let keep = match (&config.interface, &strategy) {
        (Some(iface), BindStrategy::Address(_) | BindStrategy::WildcardKeeping { .. })
            if ARRIVAL_KNOWN =>
        {
            Some(Keep::new(iface))
        }
        _ => None,
    };
    Ok(Listener {
        socket,
        strategy,
        report,
        fallback,
        keep,
    })
}

/// The service's error for a bind the program cannot work around.
pub(crate) fn refused(
    addr: SocketAddr,
    failure: BindFailure,
    message: crate::msg::Msg,
    source: io::Error,
) -> ServeError {
    match failure {
        BindFailure::InUse => ServeError::PortBusy { addr, message },
        BindFailure::PermissionDenied => ServeError::NeedsPrivilege { addr, message },
        BindFailure::NotHere => ServeError::AddressNotHere { addr, message },
        BindFailure::Other => ServeError::Bind { addr, source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bind::Front;

    fn lo() -> Ipv4Interface {
        Ipv4Interface {
            name: "lo".into(),
            addr: Ipv4Addr::LOCALHOST,
            netmask: Ipv4Addr::new(255, 0, 0, 0),
            index: Some(1),
        }
    }

    fn config(bind: IpAddr) -> ServeConfig {
        let mut c = ServeConfig::new("/nonexistent");
        c.bind = bind;
        c.port = 0;
        c.interface = Some(lo());
        c
    }

    /// The OS refusing every specific address with EACCES (macOS for
    /// ports below 1024), binding the wildcard for real.
    fn refusing_specific(addr: SocketAddr) -> io::Result<UdpSocket> {
        if addr.ip().is_unspecified() {
            UdpSocket::bind(addr)
        } else {
            Err(io::ErrorKind::PermissionDenied.into())
        }
    }

    #[test]
    fn a_refused_address_falls_back_to_the_wildcard_kept_to_the_interface() {
        let c = config(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let l = listen_with(&c, Os::Linux, refusing_specific).unwrap();
        assert!(
            matches!(l.strategy, BindStrategy::WildcardKeeping { .. }),
            "{:?}",
            l.strategy
        );
        let local = l.socket.local_addr().unwrap();
        assert!(local.ip().is_unspecified(), "{local}");
        let why = l.fallback.expect("the fallback is said");
        assert!(why.contains("Linux refused port 0 on 127.0.0.1"), "{why}");
        assert_eq!(
            l.report.to_string(),
            format!(
                "Listening on 0.0.0.0:{}, answering only on lo (127.0.0.1) (requests for other addresses are dropped and logged once per sender)",
                local.port()
            )
        );
        assert_eq!(l.keep, ARRIVAL_KNOWN.then(|| Keep::new(&lo())));
    }

    #[test]
    fn windows_gives_up_with_the_other_program_named_and_no_sudo() {
        let mut c = config(IpAddr::V4(Ipv4Addr::LOCALHOST));
        c.front = Front::Wizard;
        let e = listen_with(&c, Os::Windows, refusing_specific).unwrap_err();
        assert!(matches!(e, ServeError::NeedsPrivilege { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("Tftpd64") && !msg.contains("sudo"), "{msg}");
    }

    #[test]
    fn a_wildcard_refused_too_gives_up_once_with_the_os_advice() {
        let c = config(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let mut tried = vec![];
        let e = listen_with(&c, Os::Linux, |addr| {
            tried.push(addr);
            Err(io::ErrorKind::PermissionDenied.into())
        })
        .unwrap_err();
        assert_eq!(tried.len(), 2, "{tried:?}");
        assert!(e.to_string().contains("setcap"), "{e}");
    }

    #[test]
    fn an_address_off_the_interface_is_refused_before_binding() {
        let c = config("127.0.0.2".parse().unwrap());
        let e = listen_with(&c, Os::Linux, |_| unreachable!()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("127.0.0.2") && msg.contains("lo"), "{msg}");
    }

    #[test]
    fn the_interface_address_is_bound_itself_on_linux_and_the_report_names_it() {
        let c = config(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let l = listen_with(&c, Os::Linux, UdpSocket::bind).unwrap();
        let local = l.socket.local_addr().unwrap();
        assert_eq!(local.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(
            l.report.to_string(),
            format!("Listening on {local}, answering only on lo (127.0.0.1)")
        );
        assert!(l.fallback.is_none());
    }

    #[test]
    fn keep_serves_the_address_on_its_interface_and_this_computer_only() {
        let keep = Keep {
            address: Ipv4Addr::new(192, 0, 2, 2),
            index: Some(5),
            label: "en5 (192.0.2.2)".into(),
        };
        let phone: SocketAddr = "192.0.2.50:1024".parse().unwrap();
        let at = |local: &str, interface: u32| Arrival {
            local: Some(local.parse().unwrap()),
            interface: Some(interface),
        };
        assert!(keep.keeps(&phone, &at("192.0.2.2", 5)));
        // Another network, its own address or ours through the wrong wire.
        assert!(!keep.keeps(&phone, &at("198.51.100.7", 4)));
        assert!(!keep.keeps(&phone, &at("192.0.2.2", 4)));
        // This computer asking itself comes in on loopback.
        let me: SocketAddr = "192.0.2.2:5000".parse().unwrap();
        assert!(keep.keeps(&me, &at("192.0.2.2", 1)));
        // Nothing known: dropped.
        assert!(!keep.keeps(&phone, &Arrival::default()));
        assert!(
            keep.why_dropped(&at("198.51.100.7", 4))
                .contains("sent to 198.51.100.7, not to the served interface en5 (192.0.2.2)")
        );
    }
}
