//! The log's words: every sentence the `serve` command and the wizard's
//! Serve step print about the service and the phones, in the style of
//! Cisco's tech note (`Wed Nov 06 11:58:51 2002: Sending 'OS79XX.TXT' file
//! to 10.1.1.1 in binary mode`, then `Successful.`), and the same things as
//! JSON for `serve --json`. One home, so the two front ends cannot drift.
//! The sentences are [`Msg`]s rendered in the monitor's language (the
//! wizard's; the `serve` command's log stays English unless `--lang` says
//! otherwise); names, addresses and the protocol's own reasons inside them
//! are shown as they are.

use std::net::IpAddr;
use std::time::{Instant, SystemTime};

use crate::dhcp::{DhcpEvent, Forged, ProbeResult, VendorClass};
use crate::model::{Mac, list_macs};
use crate::msg;
use crate::msg::{Lang, Msg};
use crate::phones::expectations::StageExpectations;
use crate::phones::hint::Hint;
use crate::phones::journey::{LadderProgress, PhoneJourney};
use crate::phones::ladder::{LadderView, Position, RouteView};
use crate::tftp::names::{FileKind, bare_name, classify};
use crate::tftp::{TftpEvent, TransferMode, log_safe};

/// A log line: the time as the tech note writes it, then the text. Names
/// in it come from the network: [`log_safe`] keeps them from forging a
/// line or driving the terminal.
pub(super) fn stamped(at: SystemTime, text: &str) -> String {
    format!("{}: {}", crate::clock::log_stamp(at), log_safe(text))
}

/// `s` after a count other than one (English and Portuguese alike here).
fn plural(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 { "" } else { "s" }
}

/// A route's title as the ladder file keeps it ("SCCP 5.0(1.1)
/// (P00305000101) to SIP 8.12 (P0S3-8-12-00)", the English of
/// `plan.title.route`) in words to render in the log's language: the two
/// loads as they are, the word between them translated. A title that does
/// not read so is shown as it is.
pub fn route_title(title: &str) -> Msg {
    match title.split_once(" to ") {
        Some((from, to)) if !to.contains(" to ") => {
            msg!("plan.title.route", "{from} to {to}", from = from, to = to,)
        }
        _ => Msg::verbatim(title),
    }
}

/// The line for an event (none for progress: see [`quarter`]).
pub(super) fn event(e: &TftpEvent, lang: Lang) -> Option<String> {
    let m = match e {
        TftpEvent::Listening { root, how, .. } => msg!(
            "log.listening",
            "Serving {root} read-only. {how}.",
            root = root,
            how => how.clone()
        ),
        TftpEvent::Request {
            client,
            file,
            served,
            mode,
            ..
        } => {
            let mode = match mode {
                TransferMode::Octet => msg!("log.mode.binary", "binary"),
                TransferMode::Netascii => Msg::verbatim("netascii"),
            };
            let ip = client.ip();
            // Per-phone answers serve from a stage folder: only a name found
            // in another case is worth saying (the folder was said already).
            let found_as = served.as_ref().and_then(|s| {
                let leaf = s.rsplit('/').next().unwrap_or(s);
                let asked = bare_name(file);
                let asked = asked.rsplit('/').next().unwrap_or(asked);
                (leaf != asked).then(|| leaf.to_string())
            });
            match found_as {
                Some(leaf) => msg!(
                    "log.sending_found_as",
                    "Sending '{file}' file to {ip} in {mode} mode (found as '{leaf}', case ignored)",
                    file = file,
                    ip = ip,
                    mode => mode,
                    leaf = leaf
                ),
                None => msg!(
                    "log.sending",
                    "Sending '{file}' file to {ip} in {mode} mode",
                    file = file,
                    ip = ip,
                    mode => mode
                ),
            }
        }
        TftpEvent::Progress { .. } => return None,
        TftpEvent::Done {
            client,
            file,
            bytes,
        } => msg!(
            "log.done",
            "Successful. ('{file}' to {ip}, {bytes} bytes)",
            file = file,
            ip = client.ip(),
            bytes = bytes
        ),
        TftpEvent::Failed {
            client,
            file,
            bytes,
            reason,
        } => msg!(
            "log.failed",
            "Failed ({reason}). ('{file}' to {ip}, after {bytes} bytes)",
            reason = reason,
            file = file,
            ip = client.ip(),
            bytes = bytes
        ),
        TftpEvent::NotFound { client, file } if classify(file) == FileKind::TrustList => msg!(
            "log.not_found_trust_list",
            "File '{file}' not found for {ip} (normal: no security trust list)",
            file = file,
            ip = client.ip()
        ),
        TftpEvent::NotFound { client, file } => msg!(
            "log.not_found",
            "File '{file}' not found for {ip}",
            file = file,
            ip = client.ip()
        ),
        TftpEvent::Denied {
            client,
            file,
            reason,
        } => msg!(
            "log.refused",
            "Refused '{file}' from {ip}: {reason}",
            file = file,
            ip = client.ip(),
            reason => reason.clone()
        ),
        TftpEvent::Phone { client, mac } => msg!(
            "log.phone_at",
            "Phone {mac} is at {ip}",
            mac = mac.colon(),
            ip = client.ip()
        ),
        TftpEvent::Rejected {
            client,
            reason,
            count,
        } => msg!(
            "log.ignored_packets",
            "Ignored {count} packet{s} from {ip}: {reason}",
            count = count,
            s = plural(*count),
            ip = client.ip(),
            reason = reason
        ),
        TftpEvent::Answered {
            client,
            route,
            stage,
            stages,
            folder,
            why,
            ..
        } => msg!(
            "log.answering",
            "Answering {ip} from stage {stage} of {stages} of {route} ({folder}): {why}",
            ip = client.ip(),
            stage = stage,
            stages = stages,
            route = route,
            folder = folder,
            why => why.clone()
        ),
        TftpEvent::Unplaced { client, why, .. } => msg!(
            "log.unplaced",
            "Answering {ip} as no phone's: {why}",
            ip = client.ip(),
            why => why.clone()
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
                msg!(
                    "log.stage_done.next",
                    "now answered from stage {next} of {stages}",
                    next = stage + 1,
                    stages = stages
                )
            } else {
                msg!("log.stage_done.last", "that was its last stage")
            };
            msg!(
                "log.stage_done",
                "Phone {mac}: stage {stage} of {stages} of {route} done, it runs {load}; {next}.",
                mac = mac.colon(),
                stage = stage,
                stages = stages,
                route = route,
                load = load,
                next => next
            )
        }
        TftpEvent::Stuck {
            mac, file, reason, ..
        } => msg!(
            "log.stuck",
            "Phone {mac} is stuck on {file}: {reason}",
            mac = mac.colon(),
            file = file,
            reason => reason.clone()
        ),
        TftpEvent::Recognised {
            mac,
            family,
            eras,
            load,
            evidence,
            route,
            why,
            ..
        } => msg!(
            "log.recognised",
            "Phone {mac} recognised: {family} {what} ({evidence}); route {route}: {why}",
            mac = mac.colon(),
            family = family,
            what = load.clone().unwrap_or_else(|| eras.join(" or ")),
            evidence = evidence.join("; "),
            route = if route.is_empty() { "-" } else { route.as_str() },
            why => why.clone()
        ),
        TftpEvent::Unrecognised { question, .. } => question.clone(),
        TftpEvent::Warning { text } => msg!("log.warning", "Warning: {text}", text = text),
    };
    Some(m.render(lang))
}

/// The line the log says for a bench DHCP server event.
pub(super) fn dhcp(e: &DhcpEvent, lang: Lang) -> String {
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

/// Image downloads take a while at 512 bytes a packet: each quarter is
/// said once (`quarter` is 1, 2 or 3).
pub(super) fn quarter(
    file: &str,
    ip: IpAddr,
    quarter: u64,
    bytes: u64,
    size: u64,
    lang: Lang,
) -> String {
    msg!(
        "log.quarter",
        "  '{file}' to {ip}: {percent}% ({bytes} of {size} bytes)",
        file = file,
        ip = ip,
        percent = quarter * 25,
        bytes = bytes,
        size = size
    )
    .render(lang)
}

/// A phone reached a new phase.
pub(super) fn phase(j: &PhoneJourney, lang: Lang) -> String {
    msg!(
        "log.phase",
        "Phone {phone} ({ip}): {phase}",
        phone = j.label(),
        ip = j.ip_text(),
        phase => j.phase.msg()
    )
    .render(lang)
}

pub(super) fn hint(j: &PhoneJourney, hint: &Hint, lang: Lang) -> String {
    msg!(
        "log.hint",
        "Phone {phone}: {hint}",
        phone = j.label(),
        hint => hint.message()
    )
    .render(lang)
}

/// What is said about the stage right after the listening line, when the
/// root's manifest tells which stage it is.
pub(super) fn stage_intro(stage: &StageExpectations, lang: Lang) -> Option<String> {
    let p = stage.position.as_ref()?;
    let known = stage.known_macs.len();
    let for_known = if known > 0 {
        msg!(
            "log.stage_intro.known",
            " for {known} known phone{s}",
            known = known,
            s = plural(known as u64)
        )
    } else {
        Msg::verbatim("")
    };
    let then = if p.is_last() {
        Msg::verbatim("")
    } else {
        msg!(
            "log.stage_intro.then",
            " When every phone is done, prepare stage {next} and serve again.",
            next = p.stage + 1
        )
    };
    Some(
        msg!(
            "log.stage_intro",
            "Stage {stage} of {stages} ({route}): phones are moved to {image}; {files} files to serve{known}.{then}",
            stage = p.stage,
            stages = p.stages,
            route = p.route,
            image = stage.target_image.as_deref().unwrap_or("?"),
            files = stage.files.len(),
            known => for_known,
            then => then
        )
        .render(lang),
    )
}

/// What is said about the ladder right after the listening line: each
/// route with its phones, once.
pub(super) fn ladder_intro(view: &LadderView, lang: Lang) -> Vec<String> {
    let mut out = vec![msg!(
        "log.ladder_intro",
        "Each phone is answered from the files of its own stage and moves to its next stage by itself ({routes} route{s}):",
        routes = view.routes.len(),
        s = plural(view.routes.len() as u64)
    )
    .render(lang)];
    for r in &view.routes {
        out.push(
            msg!(
                "log.ladder_intro.route",
                "  {key} ({title}, {stages} stage{s}): {phones}",
                key = r.key,
                title => route_title(&r.title),
                stages = r.stages.len(),
                s = plural(r.stages.len() as u64),
                phones = list_macs(&r.phones)
            )
            .render(lang),
        );
    }
    for (mac, reason) in &view.refused {
        out.push(
            msg!(
                "log.ladder_intro.held_back",
                "  held back, route refused: {mac}: {reason}",
                mac = mac.colon(),
                reason = reason.replace('\n', " ")
            )
            .render(lang),
        );
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
                "eras": r.eras,
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
fn ladder_where(l: &LadderProgress) -> Msg {
    let done: Vec<String> = l.done.iter().map(|d| d.stage.to_string()).collect();
    let done = if done.is_empty() {
        msg!("log.where.none_done", "no stage done")
    } else {
        msg!(
            "log.where.done",
            "stage{s} {stages} done",
            s = plural(done.len() as u64),
            stages = done.join(", ")
        )
    };
    let at = if l.completed {
        msg!("log.where.all_done", "all {stages} done", stages = l.stages)
    } else {
        msg!(
            "log.where.on_stage",
            "on stage {stage} of {stages}",
            stage = l.stage,
            stages = l.stages
        )
    };
    let stuck = if l.stuck.is_some() {
        msg!("log.where.stuck", ", stuck")
    } else {
        Msg::verbatim("")
    };
    msg!(
        "log.where",
        "{route} ({title}): {done}, {at}{stuck}",
        route = l.route,
        title => route_title(&l.title),
        done => done,
        at => at,
        stuck => stuck
    )
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
    lang: Lang,
) -> Vec<String> {
    let phones: Vec<_> = phones.collect();
    let mut out = vec![stamped(
        at,
        &msg!(
            "log.summary.stopped",
            "Stopped. {count} phone{s} seen.",
            count = phones.len(),
            s = plural(phones.len() as u64)
        )
        .render(lang),
    )];
    for j in phones {
        let route = match &j.ladder {
            Some(l) => msg!("log.summary.route", " — {place}", place => ladder_where(l)),
            None => Msg::verbatim(""),
        };
        let failed = j.failed.len() as u64 + j.failed_more;
        out.push(
            msg!(
                "log.summary.phone",
                "  {phone} at {ip}: {phase}{route}; {fetched} file{s} fetched, {failed} failed, {not_found} not found; last seen {secs} s ago",
                phone = j.label(),
                ip = j.ip_text(),
                phase => j.phase.msg(),
                route => route,
                fetched = j.fetched.len(),
                s = plural(j.fetched.len() as u64),
                failed = failed,
                not_found = j.not_found.len() as u64 + j.not_found_more,
                secs = now.saturating_duration_since(j.last_seen).as_secs()
            )
            .render(lang),
        );
        for f in &j.failed {
            let line = msg!(
                "log.summary.failed",
                "    failed: {file} ({reason})",
                file = f.file,
                reason = f.reason
            );
            out.push(log_safe(&line.render(lang)).into_owned());
        }
        if j.failed_more > 0 {
            out.push(
                msg!(
                    "log.summary.failed_more",
                    "    ({count} earlier failures not listed)",
                    count = j.failed_more
                )
                .render(lang),
            );
        }
        for h in &j.hints {
            let line = msg!("log.summary.hint", "    hint: {hint}", hint => h.message());
            out.push(log_safe(&line.render(lang)).into_owned());
        }
        if j.hints_more > 0 {
            out.push(
                msg!(
                    "log.summary.hints_more",
                    "    ({count} more hints not kept)",
                    count = j.hints_more
                )
                .render(lang),
            );
        }
        for r in &j.history {
            let line = msg!("log.summary.resolved", "    {earlier}", earlier => r.message());
            out.push(log_safe(&line.render(lang)).into_owned());
        }
        if j.history_more > 0 {
            out.push(
                msg!(
                    "log.summary.history_more",
                    "    ({count} earlier resolved problems not listed)",
                    count = j.history_more
                )
                .render(lang),
            );
        }
    }
    out
}

/// The phones of the ladder that never asked for a file, and where they
/// still are (a line each).
pub(super) fn unseen(view: &LadderView, seen: &[Mac], lang: Lang) -> Vec<String> {
    unseen_phones(view, seen)
        .map(|(mac, r, p)| {
            msg!(
                "log.unseen",
                "  {mac} not seen — {key} ({title}): on stage {stage} of {stages}",
                mac = mac.colon(),
                key = r.key,
                title => route_title(&r.title),
                stage = p.stage,
                stages = r.stages.len()
            )
            .render(lang)
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
