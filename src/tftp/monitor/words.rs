//! The log's words: every sentence the `serve` command and the wizard's
//! Serve step print about the service and the phones, in the style of
//! Cisco's tech note (`Wed Nov 06 11:58:51 2002: Sending 'OS79XX.TXT' file
//! to 10.1.1.1 in binary mode`, then `Successful.`), and the same things as
//! JSON for `serve --json`. One home, so the two front ends cannot drift.

use std::net::IpAddr;
use std::time::{Instant, SystemTime};

use crate::dhcp::{DhcpEvent, ProbeResult, VendorClass};
use crate::model::{Mac, list_macs};
use crate::tftp::events::{TftpEvent, TransferMode, log_safe};
use crate::tftp::expectations::StageExpectations;
use crate::tftp::hint::Hint;
use crate::tftp::journey::{LadderProgress, PhoneJourney};
use crate::tftp::ladder::{LadderView, Position, RouteView};
use crate::tftp::names::{FileKind, bare_name, classify};

/// A log line: the time as the tech note writes it, then the text. Names
/// in it come from the network: [`log_safe`] keeps them from forging a
/// line or driving the terminal.
pub(super) fn stamped(at: SystemTime, text: &str) -> String {
    format!("{}: {}", crate::clock::log_stamp(at), log_safe(text))
}

/// The line for an event (none for progress: see [`quarter`]).
pub(super) fn event(e: &TftpEvent) -> Option<String> {
    Some(match e {
        TftpEvent::Listening { root, how, .. } => format!("Serving {root} read-only. {how}."),
        TftpEvent::Request {
            client,
            file,
            served,
            mode,
            ..
        } => {
            let mode = match mode {
                TransferMode::Octet => "binary",
                TransferMode::Netascii => "netascii",
            };
            let mut l = format!("Sending '{file}' file to {} in {mode} mode", client.ip());
            // Per-phone answers serve from a stage folder: only a name found
            // in another case is worth saying (the folder was said already).
            if let Some(s) = served {
                let leaf = s.rsplit('/').next().unwrap_or(s);
                let asked = bare_name(file);
                let asked = asked.rsplit('/').next().unwrap_or(asked);
                if leaf != asked {
                    l.push_str(&format!(" (found as '{leaf}', case ignored)"));
                }
            }
            l
        }
        TftpEvent::Progress { .. } => return None,
        TftpEvent::Done {
            client,
            file,
            bytes,
        } => format!("Successful. ('{file}' to {}, {bytes} bytes)", client.ip()),
        TftpEvent::Failed {
            client,
            file,
            bytes,
            reason,
        } => format!(
            "Failed ({reason}). ('{file}' to {}, after {bytes} bytes)",
            client.ip()
        ),
        TftpEvent::NotFound { client, file } => {
            let normal = if classify(file) == FileKind::TrustList {
                " (normal: no security trust list)"
            } else {
                ""
            };
            format!("File '{file}' not found for {}{normal}", client.ip())
        }
        TftpEvent::Denied {
            client,
            file,
            reason,
        } => format!("Refused '{file}' from {}: {reason}", client.ip()),
        TftpEvent::Phone { client, mac } => {
            format!("Phone {} is at {}", mac.colon(), client.ip())
        }
        TftpEvent::Rejected {
            client,
            reason,
            count,
        } => format!(
            "Ignored {count} packet{} from {}: {reason}",
            if *count == 1 { "" } else { "s" },
            client.ip()
        ),
        TftpEvent::Answered {
            client,
            route,
            stage,
            stages,
            folder,
            why,
            ..
        } => format!(
            "Answering {} from stage {stage} of {stages} of {route} ({folder}): {why}",
            client.ip()
        ),
        TftpEvent::StageDone {
            mac,
            route,
            stage,
            stages,
            load,
            ..
        } => {
            let next = if stage < stages {
                format!("now answered from stage {} of {stages}", stage + 1)
            } else {
                "that was its last stage".to_string()
            };
            format!(
                "Phone {}: stage {stage} of {stages} of {route} done, it runs {load}; {next}.",
                mac.colon()
            )
        }
        TftpEvent::Stuck {
            mac, file, reason, ..
        } => format!("Phone {} is stuck on {file}: {reason}", mac.colon()),
        TftpEvent::Warning { text } => format!("Warning: {text}"),
    })
}

/// The line the log says for a bench DHCP server event.
pub(super) fn dhcp(e: &DhcpEvent) -> String {
    let vendor = |v: &Option<VendorClass>| match v {
        Some(v) => format!(" ({v})"),
        None => String::new(),
    };
    match e {
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::Clear,
            ..
        } => format!("DHCP: no other DHCP server answered on {interface}"),
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::OtherServer,
            server,
        } => format!(
            "DHCP: another DHCP server answered on {interface}{}",
            server.map(|s| format!(" from {s}")).unwrap_or_default()
        ),
        DhcpEvent::DhcpProbe {
            interface,
            result: ProbeResult::Skipped,
            ..
        } => format!("DHCP: probe for other servers on {interface} skipped (forced)"),
        DhcpEvent::DhcpListening {
            interface,
            addr,
            pool,
        } => format!("DHCP: serving Cisco phones on {interface} ({addr}), addresses {pool}"),
        DhcpEvent::DhcpOffer { mac, ip, vendor: v } => {
            format!("DHCP: offered {ip} to {}{}", mac.colon(), vendor(v))
        }
        DhcpEvent::DhcpAck {
            mac,
            ip,
            vendor: v,
            lease_secs,
        } => format!(
            "DHCP: {} has {ip} for {lease_secs} s{}",
            mac.colon(),
            vendor(v)
        ),
        DhcpEvent::DhcpNak { mac, ip } => {
            format!("DHCP: refused {ip} to {}: not its address", mac.colon())
        }
        DhcpEvent::DhcpRelease { mac, ip } => {
            format!("DHCP: {} gave back {ip}", mac.colon())
        }
        DhcpEvent::DhcpDecline { mac, ip } => format!(
            "DHCP: {} found {ip} in use by another device; not handing it out again",
            mac.colon()
        ),
        DhcpEvent::DhcpIgnored { mac, vendor: v } => format!(
            "DHCP: ignoring {}{}: not a Cisco IP phone of this session",
            mac.colon(),
            match v {
                Some(v) => format!(" (vendor class \"{v}\")"),
                None => " (no vendor class)".to_string(),
            }
        ),
        DhcpEvent::DhcpPoolFull { mac } => format!(
            "DHCP: no address left for {}: the pool is full; give a larger address range.",
            mac.colon()
        ),
    }
}

/// Image downloads take a while at 512 bytes a packet: each quarter is
/// said once (`quarter` is 1, 2 or 3).
pub(super) fn quarter(file: &str, ip: IpAddr, quarter: u64, bytes: u64, size: u64) -> String {
    format!(
        "  '{file}' to {ip}: {}% ({bytes} of {size} bytes)",
        quarter * 25
    )
}

/// A phone reached a new phase.
pub(super) fn phase(j: &PhoneJourney) -> String {
    format!("Phone {} ({}): {}", j.label(), j.ip, j.phase.describe())
}

pub(super) fn hint(j: &PhoneJourney, hint: &Hint) -> String {
    format!("Phone {}: {hint}", j.label())
}

/// What is said about the stage right after the listening line, when the
/// root's manifest tells which stage it is.
pub(super) fn stage_intro(stage: &StageExpectations) -> Option<String> {
    let p = stage.position.as_ref()?;
    let mut text = format!(
        "Stage {} of {} ({}): phones are moved to {}; {} files to serve",
        p.stage,
        p.stages,
        p.route,
        stage.target_image.as_deref().unwrap_or("?"),
        stage.files.len()
    );
    let known = stage.known_macs.len();
    if known > 0 {
        text.push_str(&format!(
            " for {known} known phone{}",
            if known == 1 { "" } else { "s" }
        ));
    }
    text.push('.');
    if !p.is_last() {
        text.push_str(&format!(
            " When every phone is done, prepare stage {} and serve again.",
            p.stage + 1
        ));
    }
    Some(text)
}

/// What is said about the ladder right after the listening line: each
/// route with its phones, once.
pub(super) fn ladder_intro(view: &LadderView) -> Vec<String> {
    let mut out = vec![format!(
        "Each phone is answered from the files of its own stage and moves to its next stage by itself ({} route{}):",
        view.routes.len(),
        if view.routes.len() == 1 { "" } else { "s" }
    )];
    for r in &view.routes {
        out.push(format!(
            "  {} ({}, {} stage{}): {}",
            r.key,
            r.title,
            r.stages.len(),
            if r.stages.len() == 1 { "" } else { "s" },
            list_macs(&r.phones)
        ));
    }
    for (mac, reason) in &view.refused {
        out.push(format!(
            "  held back, route refused: {}: {}",
            mac.colon(),
            reason.replace('\n', " ")
        ));
    }
    out
}

/// The same as one `ladder` JSON object.
pub(super) fn ladder_json(view: &LadderView) -> String {
    let routes: Vec<serde_json::Value> = view
        .routes
        .iter()
        .map(|r| {
            serde_json::json!({
                "route": r.key,
                "id": r.route,
                "title": r.title,
                "stages": r.stages.len(),
                "phones": r.phones,
            })
        })
        .collect();
    let refused: Vec<serde_json::Value> = view
        .refused
        .iter()
        .map(|(mac, reason)| serde_json::json!({ "mac": mac, "reason": reason }))
        .collect();
    serde_json::json!({ "event": "ladder", "routes": routes, "refused": refused }).to_string()
}

/// Where a phone ended on its route, in a few words.
fn ladder_where(l: &LadderProgress) -> String {
    let done: Vec<String> = l.done.iter().map(|d| d.stage.to_string()).collect();
    let done = if done.is_empty() {
        "no stage done".to_string()
    } else {
        format!(
            "stage{} {} done",
            if done.len() == 1 { "" } else { "s" },
            done.join(", ")
        )
    };
    let at = if l.completed {
        format!("all {} done", l.stages)
    } else {
        format!("on stage {} of {}", l.stage, l.stages)
    };
    let stuck = if l.stuck.is_some() { ", stuck" } else { "" };
    format!("{} ({}): {done}, {at}{stuck}", l.route, l.title)
}

/// The same as one `stage` JSON object.
pub(super) fn stage_json(stage: &StageExpectations) -> Option<String> {
    let p = stage.position.as_ref()?;
    Some(
        serde_json::json!({
            "event": "stage",
            "stage": p.stage,
            "stages": p.stages,
            "route": p.route,
            "target": stage.target_image,
            "files": stage.files,
            "known_macs": stage.known_macs,
        })
        .to_string(),
    )
}

/// Every phone's journey when serving stops: one stamped line, then one
/// indented line per phone and per failure or hint.
pub(super) fn summary<'a>(
    phones: impl Iterator<Item = &'a PhoneJourney>,
    now: Instant,
    at: SystemTime,
) -> Vec<String> {
    let phones: Vec<_> = phones.collect();
    let mut out = vec![stamped(
        at,
        &format!(
            "Stopped. {} phone{} seen.",
            phones.len(),
            if phones.len() == 1 { "" } else { "s" }
        ),
    )];
    for j in phones {
        let route = match &j.ladder {
            Some(l) => format!(" — {}", ladder_where(l)),
            None => String::new(),
        };
        out.push(format!(
            "  {} at {}: {}{route}; {} file{} fetched, {} failed, {} not found; last seen {} s ago",
            j.label(),
            j.ip,
            j.phase.describe(),
            j.fetched.len(),
            if j.fetched.len() == 1 { "" } else { "s" },
            j.failed.len() as u64 + j.failed_more,
            j.not_found.len() as u64 + j.not_found_more,
            now.saturating_duration_since(j.last_seen).as_secs()
        ));
        for f in &j.failed {
            out.push(log_safe(&format!("    failed: {} ({})", f.file, f.reason)).into_owned());
        }
        if j.failed_more > 0 {
            out.push(format!(
                "    ({} earlier failures not listed)",
                j.failed_more
            ));
        }
        for h in &j.hints {
            out.push(log_safe(&format!("    hint: {h}")).into_owned());
        }
        if j.hints_more > 0 {
            out.push(format!("    ({} more hints not kept)", j.hints_more));
        }
    }
    out
}

/// The phones of the ladder that never asked for a file, and where they
/// still are (a line each).
pub(super) fn unseen(view: &LadderView, seen: &[Mac]) -> Vec<String> {
    unseen_phones(view, seen)
        .map(|(mac, r, p)| {
            format!(
                "  {} not seen — {} ({}): on stage {} of {}",
                mac.colon(),
                r.key,
                r.title,
                p.stage,
                r.stages.len()
            )
        })
        .collect()
}

fn unseen_phones<'a>(
    view: &'a LadderView,
    seen: &'a [Mac],
) -> impl Iterator<Item = (Mac, &'a RouteView, &'a Position)> + 'a {
    view.positions
        .iter()
        .filter(move |(mac, _)| !seen.contains(mac))
        .filter_map(|(mac, p)| Some((*mac, view.routes.get(p.route)?, p)))
}

/// The journeys as data: the last line of `serve --json`; with a ladder,
/// the phones that never asked for a file too.
pub(super) fn summary_json<'a>(
    phones: impl Iterator<Item = &'a PhoneJourney>,
    ladder: Option<&LadderView>,
) -> String {
    let phones: Vec<&PhoneJourney> = phones.collect();
    let mut v = serde_json::json!({ "event": "summary", "phones": phones });
    if let Some(view) = ladder {
        let seen: Vec<Mac> = phones.iter().filter_map(|j| j.mac).collect();
        let unseen: Vec<serde_json::Value> = unseen_phones(view, &seen)
            .map(|(mac, r, p)| {
                serde_json::json!({ "mac": mac, "route": r.key, "stage": p.stage, "stages": r.stages.len() })
            })
            .collect();
        v["unseen"] = unseen.into();
    }
    v.to_string()
}
