//! The serve monitor: one owner for everything the front ends show while
//! serving, so the `serve` command and the wizard's Serve step are views
//! of the same thing and cannot word or judge it differently.
//!
//! [`Monitor`] is plain state: [`Input`]s go in (the service's events, and
//! the bench DHCP server's: a lease tells which phone an address is before
//! it asks for any file), the phones' journeys and the log's lines come out. [`Monitor::serve`] runs it over a
//! [`TftpService`](crate::tftp::TftpService) on tokio and reports [`Update`]s on a channel.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Instant, SystemTime};

use super::expectations::StageExpectations;
use super::hint::Hint;
use super::journey::{Journeys, MAX_LISTED, PhoneJourney};
use super::ladder::{Ladder, SharedLadder};
use super::phase::Phase;
use crate::dhcp::DhcpEvent;
use crate::msg::Lang;
use crate::tftp::TftpEvent;
use crate::tftp::names::{FileKind, classify};

mod run;
mod words;

pub use run::{Pace, Serving, Update};
pub use words::route_title;

/// Something the monitor learns from. Plain values, so any source can
/// feed it through [`Serving::inputs`] or [`Monitor::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A transfer event from the TFTP service.
    Tftp(TftpEvent),
    /// An event from the bench DHCP server.
    Dhcp(DhcpEvent),
}

impl From<TftpEvent> for Input {
    fn from(e: TftpEvent) -> Self {
        Input::Tftp(e)
    }
}

impl From<DhcpEvent> for Input {
    fn from(e: DhcpEvent) -> Self {
        Input::Dhcp(e)
    }
}

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Sentences in the tech note's style, each line stamped with the time.
    Text,
    /// One JSON object per line: every event as the service reported it
    /// (tagged by `event`), a `stage` object after `listening` when the
    /// manifest names the stage, and a `summary` object at the end.
    Json,
}

/// The journeys of every phone, and the log that tells them.
pub struct Monitor {
    journeys: Journeys,
    stage: StageExpectations,
    /// Per-phone answers: each phone from its own stage (a ladder in the root).
    ladder: Option<SharedLadder>,
    format: LogFormat,
    said: Said,
    /// Lines said since the last [`Monitor::take_lines`].
    lines: Vec<String>,
    /// The language of the text log's sentences.
    lang: Lang,
}

/// What the text log has already said, so each thing is said once.
#[derive(Default)]
struct Said {
    /// Last phase said, per phone label.
    phases: HashMap<String, Phase>,
    /// Hints said, per phone label (a newer hint on the same subject is not new).
    hints: HashMap<String, Vec<Hint>>,
    /// Last quarter of an image transfer said, per client and file.
    quarters: HashMap<(SocketAddr, String), u64>,
}

impl Monitor {
    /// Judges the phones against `stage` (see [`StageExpectations::read_root`]).
    pub fn new(stage: StageExpectations, format: LogFormat) -> Self {
        Monitor {
            journeys: Journeys::new(Some(stage.clone())),
            stage,
            ladder: None,
            format,
            said: Said::default(),
            lines: vec![],
            lang: Lang::En,
        }
    }

    /// The language of the text log's sentences (English by default: the
    /// `serve` command's log; the wizard passes its own).
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Answers each phone from the files of its own stage and moves it on
    /// by itself (the root holds a ladder: [`Ladder::open`]). The root's
    /// stage is then what phones that cannot be placed are judged against.
    pub fn with_ladder(mut self, ladder: Ladder) -> Self {
        let shared = SharedLadder::new(ladder);
        self.journeys.set_ladder(shared.view());
        self.ladder = Some(shared);
        self
    }

    /// The ladder the service asks per request, when there is one.
    pub fn ladder(&self) -> Option<&SharedLadder> {
        self.ladder.as_ref()
    }

    /// What the phones are judged against.
    pub fn stage(&self) -> &StageExpectations {
        &self.stage
    }

    pub fn format(&self) -> LogFormat {
        self.format
    }

    /// Every phone: identified ones by MAC, then the ones known by IP only.
    pub fn phones(&self) -> impl Iterator<Item = &PhoneJourney> {
        self.journeys.phones()
    }

    /// Every phone to show: the ones seen, then the session's phones not
    /// seen yet (see [`Journeys::all`]).
    pub fn all_phones(&self) -> Vec<PhoneJourney> {
        self.journeys.all()
    }

    /// The conversion report of every phone as it stands now.
    pub fn report(&self, session: &[super::SessionPhone]) -> super::Report {
        super::Report::new(
            &self.all_phones(),
            self.stage.position.as_ref(),
            session,
            SystemTime::now(),
        )
    }

    pub fn journeys(&self) -> &Journeys {
        &self.journeys
    }

    /// Folds one input in, now.
    pub fn apply(&mut self, input: impl Into<Input>) {
        self.apply_at(input, Instant::now(), SystemTime::now());
    }

    /// Folds one input in at a given time: `now` for the journeys, `at`
    /// for the log's stamps (tests give both, to compare two logs).
    pub fn apply_at(&mut self, input: impl Into<Input>, now: Instant, at: SystemTime) {
        match input.into() {
            Input::Tftp(e) => self.tftp(&e, now, at),
            Input::Dhcp(e) => self.dhcp(&e, now, at),
        }
    }

    /// The lines said since the last call, in order.
    pub fn take_lines(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines)
    }

    /// Says that serving stopped: the journeys as sentences, or as one
    /// `summary` JSON object.
    pub fn stopped_at(&mut self, now: Instant, at: SystemTime) {
        match self.format {
            LogFormat::Text => {
                let summary = self.summary_text(now, at);
                self.lines.extend(summary);
            }
            LogFormat::Json => self
                .lines
                .push(words::summary_json(self.phones(), self.journeys.ladder())),
        }
    }

    /// The journeys in sentences (what [`Monitor::stopped_at`] says in the
    /// text format; `serve --json` also writes it to stderr for a person).
    /// With a ladder, every phone's route and where it ended, seen or not.
    pub fn summary_text(&self, now: Instant, at: SystemTime) -> Vec<String> {
        let mut lines = words::summary(self.phones(), now, at, self.lang);
        if let Some(view) = self.journeys.ladder() {
            let seen: Vec<_> = self.phones().filter_map(|j| j.mac).collect();
            lines.extend(words::unseen(view, &seen, self.lang));
        }
        lines
    }

    fn tftp(&mut self, e: &TftpEvent, now: Instant, at: SystemTime) {
        self.journeys.apply_at(e, now);
        let listening = matches!(e, TftpEvent::Listening { .. });
        if self.format == LogFormat::Json {
            self.lines.push(e.to_json());
            if listening {
                match self.journeys.ladder() {
                    Some(view) => self.lines.push(words::ladder_json(view)),
                    None => self.lines.extend(words::stage_json(&self.stage)),
                }
            }
            return;
        }
        let mut said: Vec<String> = vec![];
        said.extend(words::event(e, self.lang));
        if listening {
            match self.journeys.ladder() {
                Some(view) => said.extend(words::ladder_intro(view, self.lang)),
                None => said.extend(words::stage_intro(&self.stage, self.lang)),
            }
        }
        said.extend(self.quarter(e));
        self.lines
            .extend(said.iter().map(|l| words::stamped(at, l)));
        let new = self.news_of_the_phone(e);
        self.lines.extend(new.iter().map(|l| words::stamped(at, l)));
    }

    /// A lease ties the address to the phone's MAC, so its requests that
    /// name no MAC (OS79XX.TXT, XMLDefault.cnf.xml, SIPDefault.cnf) count
    /// for it from the first one.
    fn dhcp(&mut self, e: &DhcpEvent, now: Instant, at: SystemTime) {
        if let DhcpEvent::DhcpAck {
            mac, ip, vendor, ..
        } = e
        {
            self.journeys.lease(IpAddr::V4(*ip), *mac, now);
            // The ladder places the phone by its lease, and a vendor class
            // that changed tells it the phone runs a new image (§7.5).
            if let Some(ladder) = &self.ladder {
                ladder.lease(IpAddr::V4(*ip), *mac, vendor.as_ref());
            }
        }
        match self.format {
            LogFormat::Json => self.lines.push(e.to_json()),
            LogFormat::Text => self
                .lines
                .push(words::stamped(at, &words::dhcp(e, self.lang))),
        }
    }

    /// The quarter an image transfer just passed, once each.
    fn quarter(&mut self, e: &TftpEvent) -> Option<String> {
        match e {
            TftpEvent::Progress {
                client,
                file,
                bytes,
                size,
            } if classify(file) == FileKind::ImagePayload && *size > 0 => {
                let quarter = bytes * 4 / size;
                let last = self
                    .said
                    .quarters
                    .entry((*client, file.clone()))
                    .or_insert(0);
                if quarter > *last && quarter < 4 {
                    *last = quarter;
                    return Some(words::quarter(
                        file,
                        client.ip(),
                        quarter,
                        *bytes,
                        *size,
                        self.lang,
                    ));
                }
                None
            }
            TftpEvent::Done { client, file, .. } | TftpEvent::Failed { client, file, .. } => {
                self.said.quarters.remove(&(*client, file.clone()));
                None
            }
            _ => None,
        }
    }

    /// A new phase of the phone the event is about, and its new hints.
    fn news_of_the_phone(&mut self, e: &TftpEvent) -> Vec<String> {
        let mut lines = vec![];
        let Some(j) = e.client().and_then(|c| self.journeys.by_ip(c.ip())) else {
            return lines;
        };
        let label = j.label();
        if j.mac.is_some() && self.said.phases.get(&label) != Some(&j.phase) {
            self.said.phases.insert(label.clone(), j.phase);
            lines.push(words::phase(j, self.lang));
        }
        let said = self.said.hints.entry(label).or_default();
        for h in &j.hints {
            if said.iter().any(|s| s.same_subject(h)) {
                continue;
            }
            said.push(h.clone());
            // Bounded like the journey's own hints: a flood of bogus names
            // must not grow what is remembered as said.
            if said.len() > 2 * MAX_LISTED {
                said.remove(0);
            }
            // A refusal, or a phone stuck, was just logged on its own line.
            if !matches!(e, TftpEvent::Denied { .. } | TftpEvent::Stuck { .. }) {
                lines.push(words::hint(j, h, self.lang));
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests;
