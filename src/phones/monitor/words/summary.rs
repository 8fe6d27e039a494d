//! The log's words when serving stops: every phone's journey, where each
//! ended on its route, and the phones of the ladder never seen.

use std::time::{Instant, SystemTime};

use crate::model::Mac;
use crate::msg;
use crate::msg::{Lang, Msg};
use crate::phones::journey::{LadderProgress, PhoneJourney};
use crate::phones::ladder::{LadderView, Position, RouteView};
use crate::tftp::log_safe;

use super::{plural, route_title, stamped};

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

/// Every phone's journey when serving stops: one stamped line, then one
/// indented line per phone and per failure or hint.
pub(in crate::phones::monitor) fn summary<'a>(
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
pub(in crate::phones::monitor) fn unseen(
    view: &LadderView,
    seen: &[Mac],
    lang: Lang,
) -> Vec<String> {
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
pub(in crate::phones::monitor) fn summary_json<'a>(
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
