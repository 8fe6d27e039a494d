//! The log's words for the bench DHCP server's events.

use crate::dhcp::{DhcpEvent, Forged, ProbeResult, VendorClass};
use crate::msg;
use crate::msg::Lang;

/// The line the log says for a bench DHCP server event.
pub(in crate::phones::monitor) fn dhcp(e: &DhcpEvent, lang: Lang) -> String {
    let vendor = |v: &Option<VendorClass>| match v {
        Some(v) => format!(" ({v})"),
        None => String::new(),
    };
    let m = match e {
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::Clear,
            ..
        } => msg!(
            "log.dhcp.probe_clear",
            "DHCP: no other DHCP server answered on {interface}",
            interface = interface
        ),
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::OtherServer,
            server: Some(server),
        } => msg!(
            "log.dhcp.probe_other_from",
            "DHCP: another DHCP server answered on {interface} from {server}",
            interface = interface,
            server = server
        ),
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::OtherServer,
            server: None,
        } => msg!(
            "log.dhcp.probe_other",
            "DHCP: another DHCP server answered on {interface}",
            interface = interface
        ),
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::Skipped,
            ..
        } => msg!(
            "log.dhcp.probe_skipped",
            "DHCP: probe for other servers on {interface} skipped (forced)",
            interface = interface
        ),
        DhcpEvent::DhcpListening {
            interface,
            addr,
            pool,
        } => msg!(
            "log.dhcp.listening",
            "DHCP: serving Cisco phones on {interface} ({addr}), addresses {pool}",
            interface = interface,
            addr = addr,
            pool = pool
        ),
        DhcpEvent::DhcpOffer { mac, ip, vendor: v } => msg!(
            "log.dhcp.offer",
            "DHCP: offered {ip} to {mac}{vendor}",
            ip = ip,
            mac = mac.colon(),
            vendor = vendor(v)
        ),
        DhcpEvent::DhcpAck {
            mac,
            ip,
            vendor: v,
            lease_secs,
        } => msg!(
            "log.dhcp.ack",
            "DHCP: {mac} has {ip} for {secs} s{vendor}",
            mac = mac.colon(),
            ip = ip,
            secs = lease_secs,
            vendor = vendor(v)
        ),
        DhcpEvent::DhcpNak { mac, ip } => msg!(
            "log.dhcp.nak",
            "DHCP: refused {ip} to {mac}: not its address",
            ip = ip,
            mac = mac.colon()
        ),
        DhcpEvent::DhcpRelease { mac, ip } => msg!(
            "log.dhcp.release",
            "DHCP: {mac} gave back {ip}",
            mac = mac.colon(),
            ip = ip
        ),
        DhcpEvent::DhcpDecline { mac, ip } => msg!(
            "log.dhcp.decline",
            "DHCP: {mac} found {ip} in use by another device; not handing it out for {minutes} min",
            mac = mac.colon(),
            ip = ip,
            minutes = crate::dhcp::DECLINE_REST.as_secs() / 60
        ),
        DhcpEvent::DhcpIgnored {
            mac,
            vendor: Some(v),
        } => msg!(
            "log.dhcp.ignored_vendor",
            "DHCP: ignoring {mac} (vendor class \"{vendor}\"): not a Cisco IP phone of this session",
            mac = mac.colon(),
            vendor = v
        ),
        DhcpEvent::DhcpIgnored { mac, vendor: None } => msg!(
            "log.dhcp.ignored",
            "DHCP: ignoring {mac} (no vendor class): not a Cisco IP phone of this session",
            mac = mac.colon()
        ),
        DhcpEvent::DhcpPoolFull { mac } => msg!(
            "log.dhcp.pool_full",
            "DHCP: no address left for {mac}: the pool is full; give a larger address range.",
            mac = mac.colon()
        ),
        DhcpEvent::DhcpDropped { dropped } => msg!(
            "log.dhcp.dropped",
            "DHCP: {dropped} messages left unanswered since the last such line: too many from one MAC or from new clients (a flood?); the session's phones are still answered",
            dropped = dropped
        ),
        DhcpEvent::DhcpNotHolder {
            kind: Forged::Release,
            mac,
            ip,
            from,
        } => msg!(
            "log.dhcp.forged_release",
            "DHCP: ignored a RELEASE of {ip} naming {mac} sent from {from}: only the phone itself, from that address, can give it back",
            ip = ip,
            mac = mac.colon(),
            from = from
        ),
        DhcpEvent::DhcpNotHolder {
            kind: Forged::Decline,
            mac,
            ip,
            from,
        } => msg!(
            "log.dhcp.forged_decline",
            "DHCP: ignored a DECLINE of {ip} naming {mac} sent from {from}: it does not come from that phone checking a new address",
            ip = ip,
            mac = mac.colon(),
            from = from
        ),
    };
    m.render(lang)
}
