//! Per-phone journeys folded from TFTP events: which phone is which IP, what
//! it fetched, and where it stands in the conversion.
//!
//! Plain data: [`super::Monitor`] feeds events to [`Journeys::apply`] and the
//! front ends read the result. Here: who is who (IP and MAC, merging, bounds);
//! the phase rules are in `phases`, what the stage expects in
//! [`super::expectations`], the hints' words in [`super::hint`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use std::time::Instant;

use serde::{Serialize, Serializer};

use super::events::TftpEvent;
use super::expectations::StageExpectations;
use super::hint::Hint;
use super::names::mac_in_file_name;
use crate::model::Mac;

/// Where a phone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Booting: asking for its configuration.
    AskingForConfig,
    /// Downloading the image its configuration names.
    FetchingImage,
    /// Has every image file; it will now flash and reboot (minutes).
    ImageFetched,
    /// Rebooted and asking for configuration again, now on the new image.
    BackOnNewImage,
    /// Running the new image and has its own configuration.
    Configured,
}

impl Phase {
    /// Words for a person watching.
    pub fn describe(self) -> &'static str {
        match self {
            Phase::AskingForConfig => "asking for config",
            Phase::FetchingImage => "fetching image",
            Phase::ImageFetched => "image fetched, flashing and rebooting",
            Phase::BackOnNewImage => "back on the new image",
            Phase::Configured => "configured",
        }
    }
}

/// One transfer's end as the journey keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFailure {
    pub file: String,
    pub reason: String,
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
    pub ip: IpAddr,
    pub phase: Phase,
    /// Files fetched completely, in order (a file fetched twice appears once).
    pub fetched: Vec<String>,
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
    /// The image it fetched (load name), once known.
    pub image: Option<String>,
    /// Whether the session lists this phone (always true without expectations).
    pub known: bool,
    /// Done with this stage (see [`StageExpectations::done_at`]).
    pub finished: bool,
    /// How many of the stage's files are for this phone (0 when the stage
    /// is not known).
    pub files_expected: usize,
    #[serde(skip)]
    pub last_seen: Instant,
    /// When it entered its current phase.
    #[serde(skip)]
    pub phase_since: Instant,
    #[serde(skip)]
    payload_done: BTreeSet<String>,
}

impl PhoneJourney {
    fn new(ip: IpAddr, now: Instant) -> Self {
        PhoneJourney {
            mac: None,
            ip,
            phase: Phase::AskingForConfig,
            fetched: vec![],
            failed: vec![],
            failed_more: 0,
            not_found: vec![],
            not_found_more: 0,
            in_flight: BTreeMap::new(),
            hints: vec![],
            hints_more: 0,
            image: None,
            known: true,
            finished: false,
            files_expected: 0,
            last_seen: now,
            phase_since: now,
            payload_done: BTreeSet::new(),
        }
    }

    /// A name to show: the MAC, else the IP.
    pub fn label(&self) -> String {
        match self.mac {
            Some(m) => m.colon(),
            None => self.ip.to_string(),
        }
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
    fn judge(&mut self, stage: Option<&StageExpectations>) {
        let done_at = stage.map_or(Phase::Configured, StageExpectations::done_at);
        self.finished = self.phase >= done_at;
        self.files_expected = stage.map_or(0, |s| s.files_for(self.mac));
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
        self.phase = self.phase.max(other.phase);
        self.image = self.image.take().or(other.image);
        self.payload_done.extend(other.payload_done);
        self.last_seen = self.last_seen.max(other.last_seen);
    }
}

/// Most names a phone's lists keep (files not found, failures, hints):
/// a real phone asks for a dozen files; an attacker's 200,000 bogus names
/// are counted, not stored (issue 11).
pub const MAX_LISTED: usize = 32;

/// More phones than any conversion session holds; beyond it new MACs are not tracked.
pub const MAX_PHONES: usize = 4096;

/// All phones seen, keyed by MAC once known (by IP before).
#[derive(Debug, Clone, Default)]
pub struct Journeys {
    stage: Option<StageExpectations>,
    phones: BTreeMap<Mac, PhoneJourney>,
    /// Phones seen only by IP so far.
    anonymous: BTreeMap<IpAddr, PhoneJourney>,
    ip_to_mac: HashMap<IpAddr, Mac>,
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
        self.tie(ip, mac, now);
        let stage = self.stage.clone();
        if let Some(j) = self.phones.get_mut(&mac) {
            j.judge(stage.as_ref());
        }
    }

    fn tie(&mut self, ip: IpAddr, mac: Mac, now: Instant) {
        if self.ip_to_mac.get(&ip) == Some(&mac) {
            return;
        }
        if self.phones.len() >= MAX_PHONES && !self.phones.contains_key(&mac) {
            // A client inventing MACs must not grow this without end.
            return;
        }
        self.ip_to_mac.insert(ip, mac);
        let known = self.stage.as_ref().is_none_or(|s| s.knows(mac));
        let journey = self.phones.entry(mac).or_insert_with(|| {
            let mut j = PhoneJourney::new(ip, now);
            j.mac = Some(mac);
            j
        });
        journey.ip = ip;
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
                .or_insert_with(|| PhoneJourney::new(ip, now)),
        }
    }

    /// Folds one event in at a given time (tests give the time).
    pub fn apply_at(&mut self, event: &TftpEvent, now: Instant) {
        let Some(client) = event.client() else {
            return;
        };
        if let TftpEvent::Phone { mac, .. } = event {
            self.tie(client.ip(), *mac, now);
            return;
        }
        if let Some(file) = event.file()
            && let Some(mac) = mac_in_file_name(file)
        {
            self.tie(client.ip(), mac, now);
        }
        let ip = client.ip();
        if !self.ip_to_mac.contains_key(&ip)
            && !self.anonymous.contains_key(&ip)
            && self.anonymous.len() >= MAX_PHONES
        {
            return;
        }
        let stage = self.stage.clone();
        let j = self.journey_mut(ip, now);
        j.last_seen = now;
        let before = j.phase;
        phases::step(j, event, stage.as_ref());
        if j.phase != before {
            j.phase_since = now;
        }
        j.judge(stage.as_ref());
    }
}

mod phases;
#[cfg(test)]
mod tests;
