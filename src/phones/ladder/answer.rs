//! Which stage folder answers a request: the phone at the address (by
//! its lease, the neighbour table or a request naming its MAC), its stage,
//! and what to report when that changes.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::time::Instant;

use super::{How, Ladder, MAX_ANONYMOUS};
use crate::model::Mac;
use crate::msg::Msg;
use crate::phones::identity::Claim;
use crate::phones::neighbours::{self, Lookup};
use crate::tftp::names::{FileKind, bare_name, classify, mac_in_file_name};
use crate::tftp::{Answer, TftpEvent};

impl Ladder {
    /// The stage folder a request is answered from, and what to report
    /// first (the phone finished a stage, it is answered from a new one).
    /// Reads the neighbour table for an address bound to no phone (see
    /// [`SharedLadder`], which does that without holding the ladder).
    pub fn answer(&mut self, client: SocketAddr, requested: &str) -> (Answer, Vec<TftpEvent>) {
        let now = Instant::now();
        if let Some(Lookup::Resolve(wait)) = self.places.neighbour_lookup(client.ip(), now) {
            let mac = neighbours::resolve(client.ip(), wait);
            self.places.neighbours.learned(client.ip(), mac, now);
        }
        self.answer_at(client, requested, now)
    }

    pub(super) fn answer_at(
        &mut self,
        client: SocketAddr,
        requested: &str,
        now: Instant,
    ) -> (Answer, Vec<TftpEvent>) {
        let ip = client.ip();
        let name = bare_name(requested);
        let kind = classify(name);
        let boot = is_boot_request(kind);
        let mut events = Vec::new();
        self.places.bindings.heard(ip, now);
        // What the system says is at the address, then what the request
        // names: each binds only what is free (issue 20).
        let mut not_counted = None;
        if self.places.find(ip).is_none()
            && let Some(mac) = self.places.neighbours.remembered(ip)
        {
            let claim = self
                .places
                .bindings
                .claim(ip, mac, How::Neighbour, boot, now);
            not_counted = self.claimed(client, mac, claim, &mut events);
        }
        let named = mac_in_file_name(name);
        if let Some(mac) = named {
            let claim = self.places.bindings.claim(ip, mac, How::Request, boot, now);
            not_counted = self
                .claimed(client, mac, claim, &mut events)
                .or(not_counted);
        }
        let placed = self.places.find(ip);
        if let Some((mac, how)) = placed {
            if self.refused.contains_key(&mac) {
                return (self.refused_answer(mac), events);
            }
            if self.recog.enabled && !self.climbs.contains_key(&mac) {
                match self.recognise(client, mac, name, kind) {
                    Ok(said) => events.extend(said),
                    Err((answer, said)) => {
                        events.extend(said);
                        events.append(&mut self.warnings);
                        return (answer, events);
                    }
                }
            }
            if self.climbs.contains_key(&mac) {
                if let Some((answer, said)) = self.boot_lost(client, mac, kind) {
                    events.extend(said);
                    events.append(&mut self.warnings);
                    return (answer, events);
                }
                self.adopt(ip, mac);
                if boot {
                    events.extend(self.back_for_configs(mac, client));
                }
                let climb = &self.climbs[&mac];
                let (route, stage) = (climb.route, climb.stage);
                let why = crate::msg!(
                    "ladder.why.placed",
                    "phone {mac} is placed by {how}",
                    mac = mac.colon(),
                    how => how.msg(),
                );
                events.extend(self.say(client, Some(mac), Some((route, stage)), why));
                events.append(&mut self.warnings);
                return (self.in_folder(route, stage, name), events);
            }
            let (route, stage) = self.common();
            let why = crate::msg!(
                "ladder.why.not_in_session",
                "phone {mac} is not in the session: answered from the stage most phones are on",
                mac = mac.colon(),
            );
            events.extend(self.say(client, Some(mac), Some((route, stage)), why));
            events.append(&mut self.warnings);
            return (self.in_folder(route, stage, name), events);
        }
        if self.recog.enabled
            && let Some(clue) = crate::phones::recognition::Clue::from_request(name)
        {
            self.recog.note_address(ip, clue);
        }
        if not_counted.is_none() {
            let why = crate::msg!(
                "ladder.why.not_placed",
                "not placed yet (no DHCP lease, no neighbour (ARP) entry, no request naming its MAC): a file without a MAC in its name is sent only where every stage it could be on has the same one, else \"not found\" and the phone names its MAC next"
            );
            events.extend(self.say(client, None, None, why));
        }
        events.append(&mut self.warnings);
        (self.unplaced(name), events)
    }

    /// What a claim that `client` is `mac` did: a phone placed (said
    /// with a `phone` event, the binding saved), or why it does not count.
    fn claimed(
        &mut self,
        client: SocketAddr,
        mac: Mac,
        claim: Claim,
        events: &mut Vec<TftpEvent>,
    ) -> Option<Msg> {
        let why = match claim {
            Claim::Same => return None,
            Claim::New | Claim::Moved { .. } => {
                events.push(TftpEvent::Phone { client, mac });
                if self.climbs.contains_key(&mac) || self.refused.contains_key(&mac) {
                    self.save();
                }
                return None;
            }
            Claim::Held { holder } => crate::msg!(
                "ladder.why.claimed",
                "it names phone {mac}, which is at {holder}: not counted for that phone (claimed by another address)",
                mac = mac.colon(),
                holder = holder,
            ),
            Claim::AddressTaken { by } => crate::msg!(
                "ladder.why.address_taken",
                "this address is phone {owner}'s: a request naming {mac} from it is not counted for {mac}",
                owner = by.colon(),
                mac = mac.colon(),
            ),
        };
        if self.claims_said.len() >= MAX_ANONYMOUS {
            self.claims_said.clear();
        }
        if self.claims_said.insert((client.ip(), mac)) {
            events.push(TftpEvent::Unplaced {
                client,
                mac: Some(mac),
                why: why.clone(),
            });
        }
        Some(why)
    }

    /// A request from an address that is no phone's: from the stages it
    /// could be on (those of the session's phones not bound to an address
    /// yet; all of them once every one is) when they all have the same
    /// file; else "not found".
    pub(super) fn unplaced(&mut self, name: &str) -> Answer {
        let free: BTreeSet<(usize, usize)> = self
            .climbs
            .iter()
            .filter(|(mac, _)| self.places.bindings.of(**mac).is_none())
            .map(|(_, c)| (c.route, c.stage))
            .collect();
        let mut stages: BTreeSet<(usize, usize)> = if free.is_empty() {
            self.climbs.values().map(|c| (c.route, c.stage)).collect()
        } else {
            free
        };
        // It may be a phone nobody described, not recognised yet.
        stages.extend(self.recognition_stages());
        let Some(&(route, stage)) = stages.iter().next() else {
            return Answer::NotFound;
        };
        let folders: Vec<String> = stages
            .iter()
            .map(|(r, s)| self.manifest.routes[*r].stages[*s].folder.clone())
            .collect();
        if self.shared.same(&self.root, &folders, name) {
            self.in_folder(route, stage, name)
        } else {
            Answer::NotFound
        }
    }

    /// The stage most phones are on (ties: the first route, the earlier stage).
    pub(super) fn common(&self) -> (usize, usize) {
        let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for c in self.climbs.values() {
            *counts.entry((c.route, c.stage)).or_default() += 1;
        }
        counts
            .iter()
            .max_by(|(a, n), (b, m)| n.cmp(m).then(b.cmp(a)))
            .map(|(k, _)| *k)
            .unwrap_or((0, 0))
    }

    fn in_folder(&self, route: usize, stage: usize, name: &str) -> Answer {
        let folder = &self.manifest.routes[route].stages[stage].folder;
        Answer::From(format!("{folder}/{name}"))
    }

    /// The `answered` event (or `unplaced`, for an address that is no
    /// phone's), when the address is answered from another stage, or for
    /// another reason, than last time.
    pub(super) fn say(
        &mut self,
        client: SocketAddr,
        mac: Option<Mac>,
        at: Option<(usize, usize)>,
        why: Msg,
    ) -> Option<TftpEvent> {
        let now = (at, why.clone());
        if self.said.get(&client.ip()) == Some(&now) {
            return None;
        }
        if self.said.len() >= MAX_ANONYMOUS {
            self.said.clear();
        }
        self.said.insert(client.ip(), now);
        let Some((route, stage)) = at else {
            return Some(TftpEvent::Unplaced { client, mac, why });
        };
        let r = &self.manifest.routes[route];
        Some(TftpEvent::Answered {
            client,
            mac,
            route: r.key.clone(),
            stage: stage + 1,
            stages: r.stages.len(),
            folder: r.stages[stage].folder.clone(),
            why,
        })
    }
}

/// What a phone asks for when it boots (docs/boot-sequences.md §1): after
/// fetching a stage's image, any of these means it is back on the new one.
pub(super) fn is_boot_request(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::TrustList
            | FileKind::DeviceConfig
            | FileKind::DefaultConfig
            | FileKind::OsTxt
            | FileKind::SipDefault
            | FileKind::SipPhone
    )
}
