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
use std::time::SystemTime;

use crate::model::list_macs;
use crate::msg;
use crate::msg::{Lang, Msg};
use crate::phones::expectations::StageExpectations;
use crate::phones::hint::Hint;
use crate::phones::journey::PhoneJourney;
use crate::phones::ladder::LadderView;
use crate::tftp::names::{FileKind, bare_name, classify};
use crate::tftp::{TftpEvent, TransferMode, log_safe};

mod dhcp;
mod summary;

pub(super) use dhcp::dhcp;
pub(super) use summary::{summary, summary_json, unseen};

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
