//! How to listen on a phone port (TFTP 69, DHCP 67) on one interface, and
//! what to tell the user when the operating system says no.
//!
//! The rules differ per OS, and a double-clicked program has no `sudo`:
//! - **Linux**: ports below 1024 need `CAP_NET_BIND_SERVICE` for any
//!   address, wildcard or not. With it, binding the interface's own address
//!   is what keeps other networks out.
//! - **macOS** (10.14 and later): an ordinary user may bind ports below 1024
//!   on the wildcard address only; a specific address needs root. So the
//!   program binds the wildcard and keeps only what arrived on the chosen
//!   interface.
//! - **Windows**: no privileged ports. A refused bind means another program
//!   holds the port; what stops a first run instead is the firewall prompt
//!   and the "Public" profile a bench switch gets.
//!
//! Everything here is a pure function of (OS, request, error kind), so the
//! choice is tested for all three systems on any of them.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::msg::Msg;

/// The operating systems whose rules differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
    /// BSDs and the rest: treated like Linux (privileged ports, any address).
    OtherUnix,
}

impl Os {
    /// The OS this program was built for.
    pub fn current() -> Os {
        if cfg!(target_os = "linux") {
            Os::Linux
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::OtherUnix
        }
    }

    /// Its name as users know it.
    pub fn label(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::MacOs => "macOS",
            Os::Windows => "Windows",
            Os::OtherUnix => "this system",
        }
    }
}

/// Who will read the message: a GUI user cannot prefix a double-click with
/// `sudo`, a CLI user can set a capability once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    Wizard,
    Cli,
}

/// What the user asked to serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindRequest {
    /// The address of the bench interface, or the wildcard for "everywhere"
    /// (only the CLI without `--bind`/`--interface` asks for that).
    pub address: IpAddr,
    /// The interface's name when known (`eth0`, `en5`, `Ethernet 2`).
    pub interface: Option<String>,
    pub port: u16,
}

impl BindRequest {
    /// Serve every address: the CLI's default without `--bind`.
    pub fn everywhere(port: u16) -> Self {
        BindRequest {
            address: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            interface: None,
            port,
        }
    }

    fn is_specific(&self) -> bool {
        !self.address.is_unspecified()
    }
}

/// How the socket is bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindStrategy {
    /// Bind this address; the kernel delivers only datagrams sent to it.
    Address(SocketAddr),
    /// Bind the wildcard address and keep only datagrams that arrived on the
    /// interface (or were sent to its address); the rest are dropped by us.
    WildcardKeeping {
        port: u16,
        address: IpAddr,
        interface: Option<String>,
    },
    /// Bind the wildcard address and serve everything (asked for).
    Everywhere { port: u16 },
}

impl BindStrategy {
    /// The socket address to pass to `bind`.
    pub fn socket_addr(&self) -> SocketAddr {
        match self {
            BindStrategy::Address(addr) => *addr,
            BindStrategy::WildcardKeeping { port, address, .. } => {
                let any = if address.is_ipv6() {
                    IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
                } else {
                    IpAddr::V4(Ipv4Addr::UNSPECIFIED)
                };
                SocketAddr::new(any, *port)
            }
            BindStrategy::Everywhere { port } => {
                SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), *port)
            }
        }
    }

    /// The one line the monitor logs and the Serve step shows: where the
    /// socket is bound (`local`, with its real port) and whom it answers.
    /// `interface` names the served interface for an [`Address`] bind.
    ///
    /// [`Address`]: BindStrategy::Address
    pub fn describe(&self, local: SocketAddr, interface: Option<&str>) -> Msg {
        let on = |address: &IpAddr, name: Option<&str>| match name {
            Some(name) => format!("{name} ({address})"),
            None => format!("{address}"),
        };
        match self {
            BindStrategy::Address(addr) => match interface {
                Some(name) => crate::msg!(
                    "bind.listening.on",
                    "Listening on {local}, answering only on {on}",
                    local = local,
                    on = on(&addr.ip(), Some(name)),
                ),
                None => crate::msg!(
                    "bind.listening.address",
                    "Listening on {local}, answering only requests sent to {address}",
                    local = local,
                    address = addr.ip(),
                ),
            },
            BindStrategy::WildcardKeeping {
                address, interface, ..
            } => crate::msg!(
                "bind.listening.kept",
                "Listening on {local}, answering only on {on} (requests for other addresses are dropped and logged once per sender)",
                local = local,
                on = on(address, interface.as_deref()),
            ),
            BindStrategy::Everywhere { .. } => crate::msg!(
                "bind.listening.everywhere",
                "Listening on {local}, answering every network this computer is on (choose an interface to serve only the bench)",
                local = local,
            ),
        }
    }
}

/// Why a bind failed, reduced to what decides the next step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindFailure {
    /// EACCES / WSAEACCES.
    PermissionDenied,
    /// EADDRINUSE / WSAEADDRINUSE.
    InUse,
    /// EADDRNOTAVAIL: the address is not on this machine (any more).
    NotHere,
    Other,
}

impl BindFailure {
    pub fn from_io(error: &io::Error) -> BindFailure {
        match error.kind() {
            io::ErrorKind::PermissionDenied => BindFailure::PermissionDenied,
            io::ErrorKind::AddrInUse => BindFailure::InUse,
            io::ErrorKind::AddrNotAvailable => BindFailure::NotHere,
            _ => BindFailure::Other,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// Try this instead; `why` is logged so the user knows how it bound.
    Retry { strategy: BindStrategy, why: String },
    /// Nothing the program can do by itself: show this. `can_fix` is true
    /// when the program offers to do the fix for the user (the Windows
    /// firewall rule), so the front end shows a button.
    GiveUp { message: Msg, can_fix: bool },
}

/// The first strategy for a request on an OS.
///
/// macOS goes straight to the wildcard for a port below 1024: a specific
/// address would need root there, and the wildcard does not. Port 0 (any
/// free port, for tests) is not below 1024: the system picks a high one.
pub fn first_strategy(os: Os, request: &BindRequest) -> BindStrategy {
    if !request.is_specific() {
        return BindStrategy::Everywhere { port: request.port };
    }
    if os == Os::MacOs && (1..1024).contains(&request.port) {
        return keeping(request);
    }
    BindStrategy::Address(SocketAddr::new(request.address, request.port))
}

fn keeping(request: &BindRequest) -> BindStrategy {
    BindStrategy::WildcardKeeping {
        port: request.port,
        address: request.address,
        interface: request.interface.clone(),
    }
}

/// The next step after `tried` failed with `failure`.
pub fn after_failure(
    os: Os,
    front: Front,
    request: &BindRequest,
    tried: &BindStrategy,
    failure: BindFailure,
) -> NextStep {
    let port = request.port;
    match failure {
        BindFailure::PermissionDenied => {
            // A specific address refused where the wildcard may be allowed
            // (macOS, and any system where the rule is per address).
            if matches!(tried, BindStrategy::Address(_)) && os != Os::Windows {
                return NextStep::Retry {
                    strategy: keeping(request),
                    why: format!(
                        "{} refused port {port} on {} alone; listening on all addresses instead and answering only the bench interface.",
                        os.label(),
                        request.address
                    ),
                };
            }
            NextStep::GiveUp {
                message: privilege_message(os, front, port),
                can_fix: false,
            }
        }
        BindFailure::InUse => NextStep::GiveUp {
            message: in_use_message(os, front, port),
            can_fix: false,
        },
        BindFailure::NotHere => NextStep::GiveUp {
            message: match front {
                Front::Wizard => crate::msg!(
                    "bind.not_here.wizard",
                    "{address} is no longer an address of this computer (was the cable or Wi-Fi changed?). Go back to the Network step and choose the bench interface again.",
                    address = request.address,
                ),
                Front::Cli => crate::msg!(
                    "bind.not_here.cli",
                    "{address} is not an address of this computer. Give one of its own addresses with --bind, or an interface with --interface.",
                    address = request.address,
                ),
            },
            can_fix: false,
        },
        BindFailure::Other => NextStep::GiveUp {
            message: crate::msg!(
                "bind.other",
                "cannot listen on UDP port {port} ({addr}).",
                port = port,
                addr = tried.socket_addr(),
            ),
            can_fix: false,
        },
    }
}

fn privilege_message(os: Os, front: Front, port: u16) -> Msg {
    let how = match (os, front) {
        (Os::Linux | Os::OtherUnix, Front::Cli) => crate::msg!(
            "bind.privilege.unix_cli",
            "Ports below 1024 need a capability: give it to the program once with `sudo setcap 'cap_net_bind_service=+ep' {exe}` and run it as yourself again.",
            exe = exe_path(),
        ),
        (Os::Linux | Os::OtherUnix, Front::Wizard) => crate::msg!(
            "bind.privilege.unix_wizard",
            "Ports below 1024 need a capability that an administrator gives the program once, in a terminal: `setcap 'cap_net_bind_service=+ep' {exe}` (as root). Then start the wizard again as usual.",
            exe = exe_path(),
        ),
        (Os::MacOs, _) => crate::msg!(
            "bind.privilege.macos",
            "macOS 10.14 and later let any user listen on all addresses; this Mac refused even that, so it is older or managed by a profile that forbids it. Update macOS, or ask whoever manages this Mac."
        ),
        (Os::Windows, _) => crate::msg!(
            "bind.privilege.windows",
            "Windows has no privileged ports, so another program holds this port exclusively (Tftpd64, SolarWinds TFTP, a phone vendor's tool). Close it and press Start again."
        ),
    };
    crate::msg!(
        "bind.privilege",
        "{os} does not let this program listen on UDP port {port}. {how}",
        os => match os {
            Os::OtherUnix => crate::msg!("bind.os.other", "this system"),
            os => Msg::verbatim(os.label()),
        },
        port = port,
        how => how,
    )
}

fn in_use_message(os: Os, front: Front, port: u16) -> Msg {
    let who = match os {
        Os::Windows => crate::msg!(
            "bind.in_use.windows",
            "Tftpd64/Tftpd32, SolarWinds TFTP Server or another TFTP tool"
        ),
        Os::MacOs => crate::msg!(
            "bind.in_use.macos",
            "macOS's own tftpd (started by launchd when enabled), or another TFTP tool"
        ),
        Os::Linux | Os::OtherUnix => {
            crate::msg!("bind.in_use.unix", "tftpd-hpa, atftpd or dnsmasq")
        }
    };
    match front {
        Front::Cli => crate::msg!(
            "bind.in_use.cli",
            "UDP port {port} is already in use by another TFTP server, most likely {who}. Stop that program and start again (for tests only, --port picks another port; the phones always use 69).",
            port = port,
            who => who,
        ),
        Front::Wizard => crate::msg!(
            "bind.in_use.wizard",
            "UDP port {port} is already in use by another TFTP server, most likely {who}. Stop that program and start again.",
            port = port,
            who => who,
        ),
    }
}

fn exe_path() -> String {
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "/path/to/convert79xx".into())
}

/// What a Windows user must check when the bind succeeded but nothing
/// arrives: the firewall and the network profile. `command` is the one
/// elevated action the program offers to run for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallAdvice {
    pub message: Msg,
    pub command: Vec<String>,
}

/// The inbound rule for this program on the phone ports (69, and 67 on a
/// bench), as `netsh` arguments: run through one elevation prompt.
pub fn windows_firewall_advice(exe: &str, ports: &[u16]) -> FirewallAdvice {
    let list = ports
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",");
    FirewallAdvice {
        message: crate::msg!(
            "bind.firewall.check",
            "No phone has asked for a file yet. Windows Defender Firewall may be dropping the requests: a switch with no internet is usually given the \"Public\" network profile, where new programs are blocked. Allow convert79xx for UDP {ports} (the button asks for administrator approval for this one rule), or set the bench network to \"Private\" in Settings > Network & internet > (the bench adapter) > Network profile type.",
            ports = list,
        ),
        command: vec![
            "netsh".into(),
            "advfirewall".into(),
            "firewall".into(),
            "add".into(),
            "rule".into(),
            "name=convert79xx phones".into(),
            "dir=in".into(),
            "action=allow".into(),
            "protocol=UDP".into(),
            format!("localport={list}"),
            format!("program={exe}"),
            "profile=any".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bench(port: u16) -> BindRequest {
        BindRequest {
            address: "192.0.2.2".parse().unwrap(),
            interface: Some("en5".into()),
            port,
        }
    }

    const ALL: [Os; 3] = [Os::Linux, Os::MacOs, Os::Windows];

    #[test]
    fn macos_binds_the_wildcard_for_phone_ports_and_keeps_the_interface() {
        let s = first_strategy(Os::MacOs, &bench(69));
        assert!(
            matches!(s, BindStrategy::WildcardKeeping { port: 69, .. }),
            "{s:?}"
        );
        assert_eq!(s.socket_addr(), "0.0.0.0:69".parse().unwrap());
        let line = s.describe("0.0.0.0:69".parse().unwrap(), None).to_string();
        assert_eq!(
            line,
            "Listening on 0.0.0.0:69, answering only on en5 (192.0.2.2) (requests for other addresses are dropped and logged once per sender)"
        );
        // A test port needs no privilege: the address itself.
        assert_eq!(
            first_strategy(Os::MacOs, &bench(6969)),
            BindStrategy::Address("192.0.2.2:6969".parse().unwrap())
        );
        assert_eq!(
            first_strategy(Os::MacOs, &bench(0)),
            BindStrategy::Address("192.0.2.2:0".parse().unwrap())
        );
    }

    #[test]
    fn linux_and_windows_bind_the_bench_address_itself() {
        for os in [Os::Linux, Os::Windows] {
            assert_eq!(
                first_strategy(os, &bench(69)),
                BindStrategy::Address("192.0.2.2:69".parse().unwrap()),
                "{os:?}"
            );
        }
        let s = first_strategy(Os::Windows, &bench(69));
        let at = "192.0.2.2:69".parse().unwrap();
        assert_eq!(
            s.describe(at, Some("Ethernet 2")).to_string(),
            "Listening on 192.0.2.2:69, answering only on Ethernet 2 (192.0.2.2)"
        );
        assert_eq!(
            s.describe(at, None).to_string(),
            "Listening on 192.0.2.2:69, answering only requests sent to 192.0.2.2"
        );
    }

    #[test]
    fn no_address_means_everywhere_and_says_so() {
        for os in ALL {
            let s = first_strategy(os, &BindRequest::everywhere(69));
            assert_eq!(s, BindStrategy::Everywhere { port: 69 });
            assert!(
                s.describe("0.0.0.0:69".parse().unwrap(), None)
                    .contains("every network")
            );
        }
    }

    #[test]
    fn a_refused_address_falls_back_to_the_filtered_wildcard_except_on_windows() {
        for os in [Os::Linux, Os::MacOs] {
            let tried = BindStrategy::Address("192.0.2.2:69".parse().unwrap());
            let next = after_failure(
                os,
                Front::Wizard,
                &bench(69),
                &tried,
                BindFailure::PermissionDenied,
            );
            match next {
                NextStep::Retry { strategy, why } => {
                    assert!(matches!(strategy, BindStrategy::WildcardKeeping { .. }));
                    assert!(why.contains(os.label()), "{why}");
                }
                other => panic!("{os:?}: {other:?}"),
            }
        }
        let tried = BindStrategy::Address("192.0.2.2:69".parse().unwrap());
        match after_failure(
            Os::Windows,
            Front::Wizard,
            &bench(69),
            &tried,
            BindFailure::PermissionDenied,
        ) {
            NextStep::GiveUp { message, .. } => {
                assert!(message.contains("no privileged ports"), "{message}");
                assert!(message.contains("Tftpd64"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_wizard_message_says_sudo_or_administrator_rights_for_the_program() {
        let request = bench(69);
        for os in ALL {
            for failure in [
                BindFailure::PermissionDenied,
                BindFailure::InUse,
                BindFailure::NotHere,
                BindFailure::Other,
            ] {
                for tried in [first_strategy(os, &request), keeping(&request)] {
                    if let NextStep::GiveUp { message, .. } =
                        after_failure(os, Front::Wizard, &request, &tried, failure)
                    {
                        assert!(!message.contains("sudo"), "{os:?} {failure:?}: {message}");
                        assert!(
                            !message.contains("as administrator"),
                            "{os:?} {failure:?}: {message}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn linux_cli_keeps_the_setcap_advice() {
        let request = bench(69);
        let next = after_failure(
            Os::Linux,
            Front::Cli,
            &request,
            &keeping(&request),
            BindFailure::PermissionDenied,
        );
        match next {
            NextStep::GiveUp { message, .. } => assert!(message.contains("setcap"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn messages_name_the_os_and_the_likely_other_program() {
        let request = bench(69);
        let tried = first_strategy(Os::Windows, &request);
        let NextStep::GiveUp { message, .. } = after_failure(
            Os::Windows,
            Front::Wizard,
            &request,
            &tried,
            BindFailure::InUse,
        ) else {
            panic!()
        };
        assert!(message.contains("Tftpd64"), "{message}");
        let NextStep::GiveUp { message, .. } = after_failure(
            Os::MacOs,
            Front::Cli,
            &request,
            &keeping(&request),
            BindFailure::InUse,
        ) else {
            panic!()
        };
        assert!(
            message.contains("macOS's own tftpd") && message.contains("--port"),
            "{message}"
        );
        let NextStep::GiveUp { message, .. } = after_failure(
            Os::Linux,
            Front::Wizard,
            &request,
            &tried,
            BindFailure::NotHere,
        ) else {
            panic!()
        };
        assert!(message.contains("Network step"), "{message}");
    }

    #[test]
    fn the_windows_firewall_rule_is_one_netsh_command_for_this_program() {
        let advice = windows_firewall_advice(r"C:\Tools\convert79xx.exe", &[69, 67]);
        assert_eq!(advice.command[0], "netsh");
        assert!(advice.command.contains(&"localport=69,67".to_string()));
        assert!(
            advice
                .command
                .contains(&r"program=C:\Tools\convert79xx.exe".to_string())
        );
        assert!(advice.message.contains("Public"), "{}", advice.message);
        assert!(
            advice
                .message
                .render(crate::msg::Lang::PtBr)
                .contains("\"Pública\""),
            "{}",
            advice.message.render(crate::msg::Lang::PtBr)
        );
    }

    #[test]
    fn io_errors_map_to_failures() {
        use io::ErrorKind as K;
        assert_eq!(
            BindFailure::from_io(&K::PermissionDenied.into()),
            BindFailure::PermissionDenied
        );
        assert_eq!(
            BindFailure::from_io(&K::AddrInUse.into()),
            BindFailure::InUse
        );
        assert_eq!(
            BindFailure::from_io(&K::AddrNotAvailable.into()),
            BindFailure::NotHere
        );
        assert_eq!(BindFailure::from_io(&K::Other.into()), BindFailure::Other);
    }
}
