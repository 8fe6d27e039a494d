//! Per-phone journeys folded from TFTP events: which phone is which IP, what
//! it fetched, and where it stands in the conversion.
//!
//! Plain data: [`super::Monitor`] feeds events to [`Journeys::apply`] and the
//! front ends read the result. Here: who is who (IP and MAC, merging, bounds);
//! the phase rules are in `phases`, what the stage expects in
//! [`super::expectations`], the hints' words in [`super::hint`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use std::time::{Instant, SystemTime};

use serde::{Serialize, Serializer};

use super::expectations::StageExpectations;
pub use history::{Problem, Resolution, Resolved};

use super::hint::Hint;
use super::identity::{Bindings, How};
use super::ladder::{LadderView, StageDone};
use super::phase::Phase;
use crate::model::Mac;
use crate::tftp::MAX_PHONES;
use crate::tftp::TftpEvent;
use crate::tftp::names::{FileKind, bare_name, classify, mac_in_file_name};

/// One transfer's end as the journey keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFailure {
    pub file: String,
    pub reason: crate::tftp::FailReason,
}

/// How far one transfer has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileProgress {
    pub bytes: u64,
    pub size: u64,
}

impl FileProgress {
    /// Between 0 and 1 (0 for an empty file).
    pub fn fraction(self) -> f32 {
        if self.size == 0 {
            0.0
        } else {
            (self.bytes as f32 / self.size as f32).clamp(0.0, 1.0)
        }
    }
}

/// A phone's own route and where it is on it (per-phone answers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LadderProgress {
    /// The route's key (`R2-P00305000101`).
    pub route: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: String,
    /// 1-based stage it is answered from now.
    pub stage: usize,
    pub stages: usize,
    /// The stages it finished, in order, with the load each installed.
    pub done: Vec<StageDone>,
    /// Its last stage is done too.
    pub completed: bool,
    /// Why it is stuck on its current stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stuck: Option<crate::msg::Msg>,
}

fn names_only<S: Serializer>(
    files: &BTreeMap<String, FileProgress>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(files.keys())
}

/// Everything known about one phone.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneJourney {
    /// None until a request names its MAC.
    pub mac: Option<Mac>,
    /// None for a session phone not seen yet ([`Phase::NotSeen`]).
    pub ip: Option<IpAddr>,
    pub phase: Phase,
    /// Files fetched completely, in order (a file fetched twice appears once).
    pub fetched: Vec<String>,
    /// How many of its current stage's files it has fetched since that
    /// stage began (see [`PhoneJourney::files_expected`]).
    pub files_done: usize,
    /// Transfers that failed, latest last (the last [`MAX_LISTED`]).
    pub failed: Vec<FileFailure>,
    /// Earlier failures no longer listed.
    pub failed_more: u64,
    /// Files asked for and not in the root (the first [`MAX_LISTED`] names).
    pub not_found: Vec<String>,
    /// Requests for missing files whose names are not listed.
    pub not_found_more: u64,
    /// Files being sent now, with how far each has got. In `--json` only
    /// their names: the progress events carry the numbers.
    #[serde(serialize_with = "names_only")]
    pub in_flight: BTreeMap<String, FileProgress>,
    /// Things the user should know or do (unknown phone, missing file, …),
    /// one per subject, [`MAX_LISTED`] at most.
    pub hints: Vec<Hint>,
    /// Hints not kept (past [`MAX_LISTED`]).
    pub hints_more: u64,
    /// Problems a later success resolved, oldest first (the last
    /// [`MAX_LISTED`]): no longer its state, only its history.
    pub history: Vec<Resolved>,
    /// Earlier resolved problems no longer listed.
    pub history_more: u64,
    /// The image it fetched (load name), once known.
    pub image: Option<String>,
    /// Whether the session lists this phone (always true without expectations).
    pub known: bool,
    /// Done with this stage (see [`StageExpectations::done_at`]).
    pub finished: bool,
    /// How many of its current stage's files are for this phone (0 when
    /// the stage is not known). Once it is finished, the ones it fetched:
    /// it needed no more (a stage holds alternatives a phone picks one of,
    /// `.sbn` or `.bin`, its own config or `XMLDefault.cnf.xml`).
    pub files_expected: usize,
    /// Its own route and stage, when each phone is answered from its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ladder: Option<LadderProgress>,
    /// What it was recognised as, when nobody said what it runs (issue 23).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recognised: Option<crate::msg::Msg>,
    #[serde(skip)]
    pub last_seen: Instant,
    /// When it entered its current phase.
    #[serde(skip)]
    pub phase_since: Instant,
    /// When it was judged finished (its last stage done and configured).
    #[serde(skip)]
    pub finished_at: Option<(Instant, SystemTime)>,
    #[serde(skip)]
    payload_done: BTreeSet<String>,
    /// The files of its current stage fetched since that stage began
    /// (lower case).
    #[serde(skip)]
    stage_fetched: BTreeSet<String>,
}

impl PhoneJourney {
    fn new(ip: Option<IpAddr>, phase: Phase, now: Instant) -> Self {
        PhoneJourney {
            mac: None,
            ip,
            phase,
            fetched: vec![],
            files_done: 0,
            failed: vec![],
            failed_more: 0,
            not_found: vec![],
            not_found_more: 0,
            in_flight: BTreeMap::new(),
            hints: vec![],
            hints_more: 0,
            history: vec![],
            history_more: 0,
            image: None,
            known: true,
            finished: false,
            files_expected: 0,
            ladder: None,
            recognised: None,
            last_seen: now,
            phase_since: now,
            finished_at: None,
            payload_done: BTreeSet::new(),
            stage_fetched: BTreeSet::new(),
        }
    }

    /// A phone of the session that has not asked for anything yet.
    pub fn not_seen(mac: Mac, ladder: Option<LadderProgress>, now: Instant) -> Self {
        let mut j = PhoneJourney::new(None, Phase::NotSeen, now);
        j.mac = Some(mac);
        j.ladder = ladder;
        j
    }

    /// Whether it asked for anything or got a lease.
    pub fn seen(&self) -> bool {
        self.phase != Phase::NotSeen
    }

    /// A name to show: the MAC, else the IP.
    pub fn label(&self) -> String {
        match (self.mac, self.ip) {
            (Some(m), _) => m.colon(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => "?".into(),
        }
    }

    /// Its address as shown ("" before it is seen).
    pub fn ip_text(&self) -> String {
        self.ip.map(|ip| ip.to_string()).unwrap_or_default()
    }

    /// Adds a hint, one per subject: a newer one about the same thing (an
    /// unknown phone naming the file it asked for last) takes the older's place.
    ///
    /// At most [`MAX_LISTED`]: past that a hint about one request (a
    /// refusal, a file not provided: what a flood of bogus names makes)
    /// takes the place of the oldest such, and others are counted.
    fn hint(&mut self, hint: Hint) {
        if let Some(old) = self.hints.iter_mut().find(|h| h.same_subject(&hint)) {
            *old = hint;
            return;
        }
        if self.hints.len() >= MAX_LISTED {
            self.hints_more += 1;
            match self.hints.iter().position(Hint::is_about_one_request) {
                Some(oldest) => {
                    self.hints.remove(oldest);
                }
                None => return,
            }
        }
        self.hints.push(hint);
    }

    /// A transfer failed: listed last, the oldest dropped past [`MAX_LISTED`].
    fn failure(&mut self, failure: FileFailure) {
        if self.failed.len() >= MAX_LISTED {
            self.failed.remove(0);
            self.failed_more += 1;
        }
        self.failed.push(failure);
    }

    /// A file it asked for is missing: listed once, counted past [`MAX_LISTED`].
    fn missing(&mut self, name: String) {
        if self.not_found.contains(&name) {
            return;
        }
        if self.not_found.len() >= MAX_LISTED {
            self.not_found_more += 1;
        } else {
            self.not_found.push(name);
        }
    }

    /// Derived from the phase, its MAC and the stage: whether it is done,
    /// and how many files are for it. Recomputed after every event.
    fn judge(&mut self, stage: Option<&StageExpectations>, now: Instant) {
        self.finished = match &self.ladder {
            // Moved on by the ladder: done once its last stage is and it
            // has its configuration.
            Some(l) => l.completed && self.phase >= Phase::Configured,
            None => self.phase >= stage.map_or(Phase::Configured, StageExpectations::done_at),
        };
        self.files_done = match stage {
            Some(s) => s.files_fetched_by(self.mac, &self.stage_fetched),
            None => self.stage_fetched.len(),
        };
        self.files_expected = match stage {
            _ if self.finished => self.files_done,
            Some(s) => s.files_for(self.mac),
            None => 0,
        };
        if self.finished && self.finished_at.is_none() {
            self.finished_at = Some((now, SystemTime::now()));
        }
    }

    /// It fetched `name` in full: counted for its stage, and what went
    /// wrong with it before is history.
    fn fetched_in_full(&mut self, name: &str) {
        if !self.fetched.iter().any(|f| f == name) {
            self.fetched.push(name.to_string());
        }
        self.stage_fetched.insert(name.to_ascii_lowercase());
        self.resolve_fetched(name);
    }

    /// The ladder moved it on: a new stage starts, on the image it just
    /// installed.
    fn stage_done(&mut self, stage: usize, load: &str, now: Instant) {
        let Some(l) = &mut self.ladder else { return };
        if !l.done.iter().any(|d| d.stage == stage) {
            l.done.push(StageDone {
                stage,
                load: load.to_string(),
            });
        }
        if stage < l.stages {
            l.stage = stage + 1;
        } else {
            l.completed = true;
        }
        l.stuck = None;
        let completed = l.completed;
        self.resolve_stuck(stage);
        self.stage_fetched.clear();
        // A configuration-only last stage ends configured; otherwise the
        // phone is back on the image it fetched, asking for configs.
        if !(completed && self.phase == Phase::Configured) {
            self.phase = Phase::BackOnNewImage;
            self.phase_since = now;
        }
        self.image = None;
        self.payload_done.clear();
    }

    /// It fetched `file` completely: stuck on it (by failures, not by
    /// rejecting the image) no longer (issue 20).
    fn unstuck(&mut self, file: &str) {
        let cleared = |h: &Hint| {
            matches!(h, Hint::Stuck { file: f, reason }
                if f.eq_ignore_ascii_case(file) && !super::ladder::rejects_the_image(reason))
        };
        if !self.hints.iter().any(cleared) {
            return;
        }
        self.hints.retain(|h| !cleared(h));
        if let Some(l) = &mut self.ladder {
            l.stuck = None;
        }
    }

    fn merge(&mut self, other: PhoneJourney) {
        for f in other.fetched {
            if !self.fetched.contains(&f) {
                self.fetched.push(f);
            }
        }
        self.failed_more += other.failed_more;
        for f in other.failed {
            self.failure(f);
        }
        self.not_found_more += other.not_found_more;
        for f in other.not_found {
            self.missing(f);
        }
        self.hints_more += other.hints_more;
        self.in_flight.extend(other.in_flight);
        for h in other.hints {
            self.hint(h);
        }
        self.history_more += other.history_more;
        for r in other.history {
            self.remember(r.problem, r.by);
        }
        self.phase = self.phase.max(other.phase);
        self.image = self.image.take().or(other.image);
        self.payload_done.extend(other.payload_done);
        self.stage_fetched.extend(other.stage_fetched);
        self.last_seen = self.last_seen.max(other.last_seen);
    }
}

/// Most names a phone's lists keep (files not found, failures, hints):
/// a real phone asks for a dozen files; an attacker's 200,000 bogus names
/// are counted, not stored (issue 11).
pub const MAX_LISTED: usize = 32;

/// All phones seen, keyed by MAC once known (by IP before).
#[derive(Debug, Clone, Default)]
pub struct Journeys {
    stage: Option<StageExpectations>,
    /// Each phone's own route, when each is answered from its own stage.
    ladder: Option<LadderView>,
    phones: BTreeMap<Mac, PhoneJourney>,
    /// Phones seen only by IP so far.
    anonymous: BTreeMap<IpAddr, PhoneJourney>,
    /// Each phone's last address: at most one entry per phone, so at most
    /// [`MAX_PHONES`].
    ip_to_mac: HashMap<IpAddr, Mac>,
    /// Which address each MAC belongs to (issue 20): without a ladder,
    /// the journeys judge the claims themselves by the same rules.
    bindings: Bindings,
}

/// Why an address is tied to a MAC.
#[derive(Debug, Clone, Copy)]
enum Tie {
    /// The ladder decided (it reports the phone), or the lease says so.
    Decided(How),
    /// A request named the MAC; `boot`: one that starts a boot.
    Named { boot: bool },
}

impl Journeys {
    pub fn new(stage: Option<StageExpectations>) -> Self {
        Journeys {
            stage,
            ..Default::default()
        }
    }

    /// Replaces the stage description (a new stage was written).
    pub fn set_stage(&mut self, stage: Option<StageExpectations>) {
        self.stage = stage;
    }

    /// Judges each phone on a route against its own current stage, from
    /// where `ladder` says it is; `stage` stays for the others.
    pub fn set_ladder(&mut self, ladder: LadderView) {
        self.ladder = Some(ladder);
    }

    /// The ladder the phones are judged on, if any.
    pub fn ladder(&self) -> Option<&LadderView> {
        self.ladder.as_ref()
    }

    /// What a phone is judged against: its own stage on the ladder, else
    /// the root's.
    fn stage_of(&self, j: &PhoneJourney) -> Option<StageExpectations> {
        if let (Some(view), Some(l)) = (&self.ladder, &j.ladder)
            && let Some(route) = view.routes.iter().find(|r| r.key == l.route)
            && let Some(stage) = route.stages.get(l.stage - 1)
        {
            return Some(stage.clone());
        }
        self.stage.clone()
    }

    /// A phone's route and place on it when the journeys start following it.
    fn ladder_progress(&self, mac: Mac) -> Option<LadderProgress> {
        let view = self.ladder.as_ref()?;
        let pos = view.positions.get(&mac)?;
        let route = view.routes.get(pos.route)?;
        Some(LadderProgress {
            route: route.key.clone(),
            title: route.title.clone(),
            stage: pos.stage,
            stages: route.stages.len(),
            done: pos.done.clone(),
            completed: pos.completed,
            stuck: None,
        })
    }

    /// Whether the session (or the ladder) lists this phone.
    fn knows(&self, mac: Mac) -> bool {
        match &self.ladder {
            Some(view) => view.positions.contains_key(&mac) || view.refused.contains_key(&mac),
            None => self.stage.as_ref().is_none_or(|s| s.knows(mac)),
        }
    }

    /// Folds one event in, timed now.
    pub fn apply(&mut self, event: &TftpEvent) {
        self.apply_at(event, Instant::now());
    }

    /// Every phone: identified ones by MAC, then the ones known by IP only.
    pub fn phones(&self) -> impl Iterator<Item = &PhoneJourney> {
        self.phones.values().chain(self.anonymous.values())
    }

    /// The journey of one phone.
    pub fn get(&self, mac: Mac) -> Option<&PhoneJourney> {
        self.phones.get(&mac)
    }

    /// The phone at an IP, if any request came from it.
    pub fn by_ip(&self, ip: IpAddr) -> Option<&PhoneJourney> {
        match self.ip_to_mac.get(&ip) {
            Some(mac) => self.phones.get(mac),
            None => self.anonymous.get(&ip),
        }
    }

    /// The bench DHCP server gave `mac` the address `ip`: the phone is
    /// known (and shown with its address) before it asks for any file.
    pub fn lease(&mut self, ip: IpAddr, mac: Mac, now: Instant) {
        self.tie_first(ip, mac, Phase::HasAddress, now, Tie::Decided(How::Lease));
        let stage = self.stage.clone();
        if let Some(j) = self.phones.get_mut(&mac) {
            j.judge(stage.as_ref(), now);
        }
    }

    /// `client`'s address is `mac`'s from now on, if `why` holds.
    fn tie(&mut self, ip: IpAddr, mac: Mac, now: Instant, why: Tie) {
        self.tie_first(ip, mac, Phase::AskingForConfig, now, why);
    }

    /// The same, starting a phone not seen before in `first`. A request
    /// naming a MAC bound to another address (or from an address that is
    /// another phone's) ties nothing: its events stay the address's own.
    fn tie_first(&mut self, ip: IpAddr, mac: Mac, first: Phase, now: Instant, why: Tie) {
        match why {
            Tie::Decided(how) => self.bindings.force(ip, mac, how, now),
            Tie::Named { boot } => {
                if !self
                    .bindings
                    .claim(ip, mac, How::Request, boot, now)
                    .accepted()
                {
                    return;
                }
            }
        }
        if self.ip_to_mac.get(&ip) == Some(&mac) {
            return;
        }
        if self.phones.len() >= MAX_PHONES && !self.phones.contains_key(&mac) {
            // A client inventing MACs must not grow this without end.
            return;
        }
        // One address per phone: the one it used last. A MAC claimed from
        // address after address (spoofed sources) keeps one entry.
        if let Some(old) = self.phones.get(&mac).and_then(|j| j.ip)
            && old != ip
            && self.ip_to_mac.get(&old) == Some(&mac)
        {
            self.ip_to_mac.remove(&old);
        }
        self.ip_to_mac.insert(ip, mac);
        let known = self.knows(mac);
        let ladder = self.ladder_progress(mac);
        let journey = self.phones.entry(mac).or_insert_with(|| {
            let mut j = PhoneJourney::new(Some(ip), first, now);
            j.mac = Some(mac);
            j.ladder = ladder;
            j
        });
        journey.ip = Some(ip);
        journey.known = known;
        // Said once; a later hint naming the file it asked for replaces it.
        if !known
            && !journey
                .hints
                .iter()
                .any(|h| matches!(h, Hint::UnknownPhone { .. }))
        {
            journey.hint(Hint::UnknownPhone {
                mac,
                asked_for: None,
            });
        }
        if let Some(anon) = self.anonymous.remove(&ip) {
            journey.merge(anon);
        }
    }

    fn journey_mut(&mut self, ip: IpAddr, now: Instant) -> &mut PhoneJourney {
        match self.ip_to_mac.get(&ip) {
            Some(mac) => self.phones.get_mut(mac).expect("tied MAC has a journey"),
            None => self
                .anonymous
                .entry(ip)
                .or_insert_with(|| PhoneJourney::new(Some(ip), Phase::AskingForConfig, now)),
        }
    }

    /// Folds one event in at a given time (tests give the time).
    pub fn apply_at(&mut self, event: &TftpEvent, now: Instant) {
        let Some(client) = event.client() else {
            return;
        };
        self.bindings.heard(client.ip(), now);
        // With a ladder, it says which phone an address is (`phone`,
        // `stage_done`, `stuck`); without, a name is a claim.
        let decided = Tie::Decided(How::Request);
        match event {
            TftpEvent::Phone { mac, .. } => {
                let why = if self.ladder.is_some() {
                    decided
                } else {
                    Tie::Named { boot: false }
                };
                self.tie(client.ip(), *mac, now, why);
                return;
            }
            TftpEvent::StageDone {
                mac, stage, load, ..
            } => {
                self.tie(client.ip(), *mac, now, decided);
                if let Some(j) = self.phones.get_mut(mac) {
                    j.stage_done(*stage, load, now);
                }
                self.rejudge(*mac, now);
                return;
            }
            TftpEvent::Stuck {
                mac, file, reason, ..
            } => {
                self.tie(client.ip(), *mac, now, decided);
                if let Some(j) = self.phones.get_mut(mac) {
                    if let Some(l) = &mut j.ladder {
                        l.stuck = Some(reason.clone());
                    }
                    j.hint(Hint::Stuck {
                        file: file.clone(),
                        reason: reason.clone(),
                    });
                }
                self.rejudge(*mac, now);
                return;
            }
            TftpEvent::Recognised { mac, .. } => {
                self.tie(client.ip(), *mac, now, decided);
                if let Some(j) = self.phones.get_mut(mac) {
                    j.recognised = phases::recognised(event);
                }
                return;
            }
            TftpEvent::Answered { .. }
            | TftpEvent::Unplaced { .. }
            | TftpEvent::Unrecognised { .. } => return,
            _ => {}
        }
        if self.ladder.is_none()
            && let Some(file) = event.file()
            && let Some(mac) = mac_in_file_name(file)
        {
            let boot = matches!(
                classify(bare_name(file)),
                FileKind::TrustList | FileKind::DeviceConfig | FileKind::SipPhone
            );
            self.tie(client.ip(), mac, now, Tie::Named { boot });
        }
        let ip = client.ip();
        if !self.ip_to_mac.contains_key(&ip)
            && !self.anonymous.contains_key(&ip)
            && self.anonymous.len() >= MAX_PHONES
        {
            return;
        }
        let stage = match self.ip_to_mac.get(&ip).and_then(|m| self.phones.get(m)) {
            Some(j) => self.stage_of(j),
            None => self.stage.clone(),
        };
        // With a ladder, an address that is no phone's yet is told "not
        // found" for a shared file its possible stages disagree on: not a
        // file its stage lacks, so no hint (issue 20).
        let unplaced = self.ladder.is_some() && !self.ip_to_mac.contains_key(&ip);
        let j = self.journey_mut(ip, now);
        j.last_seen = now;
        if let TftpEvent::Done { file, .. } = event {
            j.unstuck(bare_name(file));
        }
        if let TftpEvent::NotFound { file, .. } = event
            && unplaced
        {
            j.missing(bare_name(file).to_string());
            return;
        }
        let before = j.phase;
        phases::step(j, event, stage.as_ref());
        if j.phase != before {
            j.phase_since = now;
        }
        j.judge(stage.as_ref(), now);
    }

    /// Judges a phone again against its own stage (after the ladder moved it).
    fn rejudge(&mut self, mac: Mac, now: Instant) {
        let Some(stage) = self.phones.get(&mac).map(|j| self.stage_of(j)) else {
            return;
        };
        if let Some(j) = self.phones.get_mut(&mac) {
            j.judge(stage.as_ref(), now);
        }
    }

    /// The phones of the session: on a ladder every phone it places or
    /// holds back, else the stage's known phones.
    pub fn roster(&self) -> Vec<Mac> {
        match &self.ladder {
            Some(view) => {
                let mut macs: Vec<Mac> = view
                    .positions
                    .keys()
                    .chain(view.refused.keys())
                    .copied()
                    .collect();
                macs.sort();
                macs.dedup();
                macs
            }
            None => self
                .stage
                .as_ref()
                .map(|s| s.known_macs.clone())
                .unwrap_or_default(),
        }
    }

    /// Every phone to show: the ones seen (as [`Journeys::phones`]), then
    /// the session's phones that have asked for nothing yet, as
    /// [`Phase::NotSeen`] (listed from the moment serving starts).
    pub fn all(&self) -> Vec<PhoneJourney> {
        let now = Instant::now();
        let mut all: Vec<PhoneJourney> = self.phones().cloned().collect();
        for mac in self.roster() {
            if !self.phones.contains_key(&mac) {
                all.push(PhoneJourney::not_seen(mac, self.ladder_progress(mac), now));
            }
        }
        all
    }
}

mod history;
mod phases;
#[cfg(test)]
mod tests;
