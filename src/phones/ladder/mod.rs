//! Per-phone answers and the stage ladder that moves by itself (issue 10).
//!
//! When `prepare` wrote a ladder (`stage::LadderManifest`: one folder per
//! (route, stage)), every request is answered from the files of the
//! requesting phone's current stage. The phone is the one whose MAC is
//! bound to the request's address (issue 20, [`crate::phones::identity`]):
//! by its DHCP lease, the operating system's neighbour table, or the
//! first request naming it ([`places`]); a request naming a MAC bound to
//! another address counts for no phone. A phone the session does not list
//! is answered from the stage most phones are on. An address that is no
//! phone's is sent a file without a MAC in its name only when every stage
//! it could be on has the same ([`shared_files`]); otherwise "not found".
//! A phone finishes a stage when it fetched the stage's image completely
//! and comes back asking for configs (or, having asked for the image, its
//! DHCP vendor class changes from an old image's to the loader's,
//! docs/field-facts.md §7.5); it is then answered from its next stage.
//! Asking for the same image file three times without finishing makes it
//! stuck, with the likely cause, until it fetches that file completely.
//! Where each phone is, and which address it is bound to, survives a
//! restart ([`state`]).
//!
//! [`Ladder`] is plain state; the TFTP handler asks it (through
//! [`SharedLadder`], the handler's [`Answers`](crate::tftp::Answers))
//! before opening each file ([`answer`]) and shows it every event, so a
//! phone's next request is answered from its next stage without waiting
//! for anyone.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::expectations::StageExpectations;
use crate::dhcp::{VendorClass, VendorEra};
use crate::model::Mac;
use crate::msg::Msg;
use crate::phones::identity::Claim;
use crate::stage::LadderManifest;
use crate::tftp::TftpEvent;
use crate::tftp::names::{FileKind, bare_name, classify};

mod answer;
mod climb;
mod places;
mod recognise;
mod shared;
mod shared_files;
mod state;

pub use crate::phones::identity::How;
pub use climb::StageDone;
pub(super) use climb::rejects_the_image;
pub use shared::SharedLadder;
pub use state::STATE_NAME;

use climb::{Climb, Ending, Progress, STUCK_AFTER, likely_cause};
use places::Places;
use recognise::Recognising;
use shared_files::SharedFiles;
use state::{SavedClimb, SavedState};

/// Addresses not placed yet whose progress is kept (beyond: forgotten).
const MAX_ANONYMOUS: usize = 4096;

/// The ladder of a root, and where every phone is on it.
#[derive(Debug)]
pub struct Ladder {
    root: PathBuf,
    manifest: LadderManifest,
    /// Per route, per stage: what the stage folder's manifest expects.
    expect: Vec<Vec<StageExpectations>>,
    climbs: BTreeMap<Mac, Climb>,
    refused: HashMap<Mac, Msg>,
    places: Places,
    /// What addresses not placed yet did, until they are.
    anonymous: HashMap<IpAddr, Progress>,
    /// The last "answered from" said per address (route, stage, why;
    /// `None` for an address that is no phone's).
    said: HashMap<IpAddr, (Option<(usize, usize)>, Msg)>,
    /// Senders already said to name a MAC bound to another address.
    claims_said: HashSet<(IpAddr, Mac)>,
    /// Whether shared files are the same in the stages an unplaced
    /// address could be on.
    shared: SharedFiles,
    /// Whether the state is written back to the root.
    saving: bool,
    /// Warnings to report with the next answer or event.
    warnings: Vec<TftpEvent>,
    /// Phones nobody described, being recognised (issue 23).
    recog: Recognising,
}

/// What the journeys need to judge each phone against its own stage.
#[derive(Debug, Clone, Default)]
pub struct LadderView {
    pub routes: Vec<RouteView>,
    /// Where each phone is when this was taken.
    pub positions: BTreeMap<Mac, Position>,
    /// Phones whose route is refused, with the reason.
    pub refused: BTreeMap<Mac, String>,
}

/// One route of the ladder.
#[derive(Debug, Clone)]
pub struct RouteView {
    pub key: String,
    /// The route's id (`R2`).
    pub route: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: String,
    pub stages: Vec<StageExpectations>,
    pub phones: Vec<Mac>,
    /// The eras a phone recognised while serving takes it from (issue 23).
    pub eras: Vec<String>,
}

/// Where one phone is on its route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub route: usize,
    /// 1-based stage it is answered from.
    pub stage: usize,
    pub done: Vec<StageDone>,
    pub completed: bool,
}

/// Why a phone's route is refused, on one line, in words to render in the
/// user's language. The ladder file keeps the English text only: the
/// planner's own words are used when planning the same start again says
/// exactly that text; otherwise the file's text, as it is.
fn refusal_words(r: &crate::stage::LadderRefused, target: &str) -> Msg {
    let again = crate::load::LoadSpec::parse(&r.from)
        .ok()
        .zip(crate::load::LoadSpec::parse(target).ok())
        .and_then(|(from, to)| {
            crate::plan::Planner::default()
                .plan(&from.value, &to.value)
                .err()
        });
    match again {
        Some(refusal) if refusal.to_string() == r.reason => match refusal.hint {
            Some(hint) => crate::msg!(
                "plan.refusal.one_line",
                "{reason} {hint}",
                reason => refusal.reason,
                hint => hint,
            ),
            None => refusal.reason,
        },
        _ => Msg::verbatim(r.reason.replace('\n', " ")),
    }
}

impl Ladder {
    /// The ladder `prepare` left in `root`, with where the phones were when
    /// serving last stopped. `Ok(None)`: no ladder (every phone is
    /// answered from the top level). The warnings say what a person should
    /// know before serving (a stage folder lacking files, a state that
    /// could not be read).
    pub fn open(root: &Path) -> Result<Option<(Ladder, Vec<Msg>)>, Msg> {
        let Some(manifest) = LadderManifest::read(root)? else {
            return Ok(None);
        };
        let mut warnings = Vec::new();
        let mut expect = Vec::new();
        for r in &manifest.routes {
            let mut stages = Vec::new();
            for s in &r.stages {
                let folder = root.join(&s.folder);
                let (e, w) = StageExpectations::read_root(&folder).map_err(|e| {
                    crate::msg!(
                        "serve.ladder.folder_unreadable",
                        "cannot read the stage folder {folder} ({error}): run `convert79xx prepare` again",
                        folder = folder.display(),
                        error = e,
                    )
                })?;
                warnings.extend(w);
                stages.push(e);
            }
            expect.push(stages);
        }
        let mut climbs = BTreeMap::new();
        let unknown: BTreeSet<Mac> = manifest.unknown.iter().copied().collect();
        for (i, r) in manifest.routes.iter().enumerate() {
            for mac in r.phones.iter().chain(&r.assumed) {
                if !unknown.contains(mac) {
                    climbs.insert(*mac, Climb::new(i));
                }
            }
        }
        let recog = Recognising {
            enabled: manifest.routes.iter().any(|r| !r.eras.is_empty()),
            target: crate::load::LoadSpec::parse(&manifest.target)
                .ok()
                .map(|p| p.value),
            unknown,
            ..Recognising::default()
        };
        let refused = manifest
            .refused
            .iter()
            .flat_map(|r| {
                let words = refusal_words(r, &manifest.target);
                r.phones.iter().map(move |m| (*m, words.clone()))
            })
            .collect();
        let (saved, warning) = SavedState::read(root);
        warnings.extend(warning);
        let mut ladder = Ladder {
            root: root.to_path_buf(),
            manifest,
            expect,
            climbs,
            refused,
            places: Places::new(true),
            anonymous: HashMap::new(),
            said: HashMap::new(),
            claims_said: HashSet::new(),
            shared: SharedFiles::default(),
            saving: true,
            warnings: Vec::new(),
            recog,
        };
        ladder.resume(saved);
        Ok(Some((ladder, warnings)))
    }

    /// Places phones where the saved state says, when their route is still
    /// the same; never further back than they are.
    fn resume(&mut self, saved: SavedState) {
        let now = Instant::now();
        for b in saved.bindings {
            self.places.bindings.force(b.ip, b.mac, b.how, now);
        }
        for s in saved.phones {
            // A phone recognised onto a route in an earlier run stays on it.
            if !self.climbs.contains_key(&s.mac)
                && let Some(i) = self
                    .manifest
                    .routes
                    .iter()
                    .position(|r| r.key == s.route && !r.eras.is_empty())
            {
                self.climbs.insert(s.mac, Climb::new(i));
            }
            let Some(climb) = self.climbs.get_mut(&s.mac) else {
                continue;
            };
            let route = &self.manifest.routes[climb.route];
            if route.key != s.route || s.stage == 0 {
                continue;
            }
            climb.stage = (s.stage - 1).min(route.stages.len().saturating_sub(1));
            climb.done = s.done;
            climb.completed = s.completed;
            climb.progress.fetched = s.fetched;
            climb.progress.started = s.fetched;
        }
    }

    /// Keeps the state in memory only (tests that read no root).
    pub fn without_saving(mut self) -> Self {
        self.saving = false;
        self
    }

    /// Whether the neighbour table is read to place phones (on by default).
    pub fn use_neighbours(mut self, on: bool) -> Self {
        self.places.neighbours.enabled = on;
        self
    }

    /// How long a phone's address must be silent before a new boot from
    /// another address moves it ([`crate::phones::identity::REBIND_AFTER`]).
    pub fn rebind_after(mut self, silence: Duration) -> Self {
        self.places.bindings.rebind_after = silence;
        self
    }

    /// The routes and where every phone is, for the journeys.
    pub fn view(&self) -> LadderView {
        LadderView {
            routes: self
                .manifest
                .routes
                .iter()
                .zip(&self.expect)
                .enumerate()
                .map(|(i, (r, stages))| RouteView {
                    key: r.key.clone(),
                    route: r.route.clone(),
                    title: r.title.clone(),
                    stages: stages.clone(),
                    eras: r.eras.clone(),
                    phones: self.route_phones(i),
                })
                .collect(),
            positions: self
                .climbs
                .iter()
                .map(|(mac, c)| (*mac, position(c)))
                .collect(),
            refused: self
                .refused
                .iter()
                .map(|(m, r)| (*m, r.to_string()))
                .collect(),
        }
    }

    /// Where a phone is, if it is on a route.
    pub fn position(&self, mac: Mac) -> Option<Position> {
        self.climbs.get(&mac).map(position)
    }

    /// Sees one event the service reports: image files fetched or not,
    /// configuration fetched on a configuration stage. Returns what to
    /// report after it (a stage done, a phone stuck).
    pub fn saw(&mut self, event: &TftpEvent) -> Vec<TftpEvent> {
        let (Some(client), Some(file)) = (event.client(), event.file()) else {
            return vec![];
        };
        self.places.bindings.heard(client.ip(), Instant::now());
        let name = bare_name(file);
        let kind = classify(name);
        let ending = match event {
            TftpEvent::Request { .. } if kind == FileKind::ImagePayload => {
                if let Some(p) = self.progress_of(client.ip()) {
                    p.started = true;
                }
                return vec![];
            }
            TftpEvent::Done { .. } => Ending::Done,
            TftpEvent::Failed { reason, .. } => Ending::Failed(reason.clone()),
            TftpEvent::NotFound { .. } => Ending::NotFound,
            TftpEvent::Denied { reason, .. } => Ending::Refused(reason.clone()),
            _ => return vec![],
        };
        let mut events = Vec::new();
        if kind == FileKind::ImagePayload {
            events.extend(self.image_ended(client, name, ending));
        } else if ending == Ending::Done
            && let Some((mac, _)) = self.places.find(client.ip())
            && self.configured_on_config_stage(mac, kind)
        {
            events.extend(self.move_on(mac, client));
        }
        events.append(&mut self.warnings);
        events
    }

    /// The bench DHCP server leased `ip` to `mac`: the MAC is bound there
    /// (a new lease is a real move). A vendor class that changed from an
    /// old image's to the loader's means the phone runs the image it
    /// fetched (§7.5): its next boot request moves it on; only when it
    /// asked for that image from its own address, so a forged DHCP request
    /// alone moves no phone.
    pub fn lease(&mut self, ip: IpAddr, mac: Mac, vendor: Option<&VendorClass>) {
        let (claim, changed) = self.places.lease(ip, mac, vendor, Instant::now());
        let bound = matches!(claim, Claim::New | Claim::Moved { .. });
        if self.recog.enabled
            && !self.climbs.contains_key(&mac)
            && let Some(v) = vendor
        {
            self.recog.note_vendor(mac, v.era());
        }
        let Some(climb) = self.climbs.get_mut(&mac) else {
            return;
        };
        let installs = self.manifest.routes[climb.route].stages[climb.stage].installs_image;
        if changed == Some((VendorEra::OldImage, VendorEra::LoaderEra))
            && installs
            && !climb.completed
            && climb.progress.started
            && !climb.progress.fetched
        {
            climb.progress.fetched = true;
            self.save();
        } else if bound {
            self.save();
        }
    }

    /// What an address did before it was placed becomes its phone's.
    fn adopt(&mut self, ip: IpAddr, mac: Mac) {
        if let Some(p) = self.anonymous.remove(&ip)
            && let Some(climb) = self.climbs.get_mut(&mac)
        {
            climb.progress.merge(p);
            // What it fetched, judged against its own stage.
            if climb.progress.judge(&self.expect[climb.route][climb.stage]) {
                self.save();
            }
        }
    }

    /// The progress the events of `ip` count towards: its phone's when it
    /// is on a route, the address's own while it is not placed.
    fn progress_of(&mut self, ip: IpAddr) -> Option<&mut Progress> {
        match self.places.find(ip) {
            Some((mac, _)) => self.climbs.get_mut(&mac).map(|c| &mut c.progress),
            None => {
                if self.anonymous.len() >= MAX_ANONYMOUS && !self.anonymous.contains_key(&ip) {
                    return None;
                }
                Some(self.anonymous.entry(ip).or_default())
            }
        }
    }

    /// An attempt at an image file ended.
    fn image_ended(&mut self, client: SocketAddr, name: &str, ending: Ending) -> Vec<TftpEvent> {
        let placed = self.places.find(client.ip()).map(|(m, _)| m);
        let Some(mac) = placed.filter(|m| self.climbs.contains_key(m)) else {
            if placed.is_none()
                && let Some(p) = self.progress_of(client.ip())
            {
                if ending == Ending::Done {
                    // Judged against its own stage once it is placed.
                    p.record(name);
                }
                p.ended(name, ending);
            }
            return vec![];
        };
        let climb = self.climbs.get_mut(&mac).expect("checked above");
        let stage = &self.expect[climb.route][climb.stage];
        let mut save = false;
        if ending == Ending::Done {
            save = climb.progress.payload_done(name, stage);
        }
        // Stuck on failures, then fetched in full: no longer stuck, and
        // counting starts again from this attempt (issue 20).
        if ending == Ending::Done
            && let Some((file, reason)) = &climb.stuck
            && file.eq_ignore_ascii_case(name)
            && !climb::rejects_the_image(reason)
        {
            climb.stuck = None;
            climb.progress.forget_attempts(name);
        }
        let attempts = climb.progress.ended(name, ending.clone());
        let mut events = Vec::new();
        if attempts >= STUCK_AFTER && climb.stuck.is_none() && !climb.completed {
            let folder = &self.manifest.routes[climb.route].stages[climb.stage].folder;
            let reason = likely_cause(name, attempts, &ending, folder);
            climb.stuck = Some((name.to_string(), reason.clone()));
            events.push(TftpEvent::Stuck {
                client,
                mac,
                file: name.to_string(),
                reason,
            });
        }
        if save {
            self.save();
        }
        events
    }

    /// On a stage that only rewrites configuration, the phone is done when
    /// it fetched its own configuration.
    fn configured_on_config_stage(&self, mac: Mac, kind: FileKind) -> bool {
        let Some(climb) = self.climbs.get(&mac) else {
            return false;
        };
        let stage = &self.manifest.routes[climb.route].stages[climb.stage];
        let sip = stage.target.to_ascii_uppercase().starts_with("P0S");
        !climb.completed
            && !stage.installs_image
            && match kind {
                FileKind::SipPhone => sip,
                FileKind::DeviceConfig | FileKind::DefaultConfig => !sip,
                _ => false,
            }
    }

    /// A boot request: if the phone fetched its stage's image, it is back
    /// on it, and that stage is done.
    fn back_for_configs(&mut self, mac: Mac, client: SocketAddr) -> Vec<TftpEvent> {
        match self.climbs.get(&mac) {
            Some(c) if c.progress.fetched && !c.completed => self.move_on(mac, client),
            _ => vec![],
        }
    }

    /// The phone finished its current stage: on to the next, if any.
    fn move_on(&mut self, mac: Mac, client: SocketAddr) -> Vec<TftpEvent> {
        let Some(climb) = self.climbs.get_mut(&mac) else {
            return vec![];
        };
        let route = &self.manifest.routes[climb.route];
        let stages = route.stages.len();
        let load = route.stages[climb.stage].target.clone();
        let done = climb.stage + 1;
        climb.done.push(StageDone {
            stage: done,
            load: load.clone(),
        });
        if done < stages {
            climb.stage = done;
        } else {
            climb.completed = true;
        }
        climb.progress = Progress::default();
        climb.stuck = None;
        let key = route.key.clone();
        self.save();
        vec![TftpEvent::StageDone {
            client,
            mac,
            route: key,
            stage: done,
            stages,
            load,
        }]
    }

    /// Writes where every phone is; a failure is said once as a warning.
    fn save(&mut self) {
        if !self.saving {
            return;
        }
        let state = SavedState {
            phones: self
                .climbs
                .iter()
                .filter(|(_, c)| {
                    c.stage > 0 || c.completed || c.progress.fetched || !c.done.is_empty()
                })
                .map(|(mac, c)| SavedClimb {
                    mac: *mac,
                    route: self.manifest.routes[c.route].key.clone(),
                    stage: c.stage + 1,
                    done: c.done.clone(),
                    completed: c.completed,
                    fetched: c.progress.fetched,
                })
                .collect(),
            bindings: self
                .places
                .bindings
                .saved(|m| self.climbs.contains_key(&m) || self.refused.contains_key(&m)),
        };
        if let Err(text) = state.write(&self.root) {
            // Said once; serving goes on in memory.
            self.saving = false;
            self.warnings.push(TftpEvent::Warning { text });
        }
    }
}

fn position(c: &Climb) -> Position {
    Position {
        route: c.route,
        stage: c.stage + 1,
        done: c.done.clone(),
        completed: c.completed,
    }
}

#[cfg(test)]
mod tests;
