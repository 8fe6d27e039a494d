//! Phones nobody described (issue 23, docs/recognition.md): a session phone
//! `from = "unknown"`, or a phone the session does not list, is recognised
//! from what it asks for (and its DHCP vendor class) as it boots, and put
//! on the route its era takes. Until then nothing that could change its
//! flash is sent to it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};

use super::Ladder;
use super::climb::Climb;
use crate::dhcp::VendorEra;
use crate::load::LoadSpec;
use crate::model::Mac;
use crate::msg::Msg;
use crate::phones::recognition::{Clue, Era, Eras, Evidence, Verdict};
use crate::tftp::names::FileKind;
use crate::tftp::{Answer, TftpEvent};

/// Addresses whose clues are kept before they are placed (beyond: forgotten).
const MAX_ADDRESSES: usize = 4096;

/// What the ladder knows of phones it is recognising.
#[derive(Debug, Default)]
pub(super) struct Recognising {
    /// Whether `prepare` wrote routes for recognised phones.
    pub enabled: bool,
    pub target: Option<LoadSpec>,
    /// Session phones whose start is unknown.
    pub unknown: BTreeSet<Mac>,
    pub by_ip: HashMap<IpAddr, Evidence>,
    pub by_mac: BTreeMap<Mac, Evidence>,
    /// Recognised in a boot in which they were refused the OS79XX.TXT that
    /// moves them: held until they ask for it again (their next boot).
    pub lost_boot: HashSet<Mac>,
    /// Phones the question was put for (said once).
    pub asked: HashSet<Mac>,
    /// Requests seen per phone while undecided (a repeat means it looped).
    pub seen: HashMap<Mac, HashSet<String>>,
}

/// Whether a file can name an image a load obeys, or is one
/// (docs/recognition.md §4).
pub(super) fn can_change_flash(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::OsTxt
            | FileKind::DeviceConfig
            | FileKind::DefaultConfig
            | FileKind::SipDefault
            | FileKind::SipPhone
            | FileKind::ImageDescriptor
            | FileKind::ImagePayload
            | FileKind::Profile
    )
}

impl Recognising {
    /// A clue from an address not placed yet.
    pub fn note_address(&mut self, ip: IpAddr, clue: Clue) {
        if self.by_ip.len() >= MAX_ADDRESSES && !self.by_ip.contains_key(&ip) {
            self.by_ip.clear();
        }
        self.by_ip.entry(ip).or_default().add(clue);
    }

    /// The DHCP vendor class of a phone not on a route.
    pub fn note_vendor(&mut self, mac: Mac, era: VendorEra) {
        if era != VendorEra::NotCisco {
            self.by_mac.entry(mac).or_default().add(Clue::Vendor(era));
        }
    }
}

impl Ladder {
    /// A request from `client`, placed as `mac`, a phone on no route yet.
    /// `Ok(())`: it is on a route now (answer it from there); `Err`: the
    /// answer while it is held, and what to report.
    pub(super) fn recognise(
        &mut self,
        client: SocketAddr,
        mac: Mac,
        name: &str,
        kind: FileKind,
    ) -> Result<Vec<TftpEvent>, (Answer, Vec<TftpEvent>)> {
        let ip = client.ip();
        let ev = self.recog.by_mac.entry(mac).or_default();
        if let Some(before) = self.recog.by_ip.remove(&ip) {
            for c in before.clues {
                ev.add(c);
            }
        }
        if let Some(c) = Clue::from_request(name) {
            ev.add(c);
        }
        let ev = ev.clone();
        let target = self.recog.target.clone();
        let verdict = match &target {
            Some(t) => ev.judge(t),
            None => Verdict::Undecided(Eras::EVERY.list()),
        };
        let mut events = Vec::new();
        match verdict {
            Verdict::Decided { eras, start, load } => {
                let evidence: Vec<String> = ev.clues.iter().map(Clue::describe).collect();
                let era_ids: Vec<String> = eras.iter().map(|e| e.id().to_string()).collect();
                let family = eras
                    .first()
                    .map(|e| e.family().to_string())
                    .unwrap_or_default();
                if let Some(i) = self
                    .manifest
                    .routes
                    .iter()
                    .position(|r| r.start.as_deref() == Some(start.as_str()))
                {
                    self.climbs.insert(mac, Climb::new(i));
                    let moved_by_os_txt =
                        Eras::of(&eras).within(Eras::of(&[Era::SccpText, Era::SipPreLoader]));
                    if moved_by_os_txt
                        && ev.clues.contains(&Clue::AskedOsTxt)
                        && kind != FileKind::OsTxt
                    {
                        self.recog.lost_boot.insert(mac);
                    }
                    let r = &self.manifest.routes[i];
                    events.push(TftpEvent::Recognised {
                        client,
                        mac,
                        family,
                        eras: era_ids,
                        load,
                        evidence,
                        route: r.key.clone(),
                        why: why_route(&eras, &start),
                    });
                    self.save();
                    return Ok(events);
                }
                // No route written for it: held with the reason.
                let reason = self
                    .manifest
                    .refused
                    .iter()
                    .find(|r| eras.iter().any(|e| r.eras.iter().any(|x| x == e.id())))
                    .map(|r| Msg::verbatim(r.reason.replace('\n', " ")))
                    .unwrap_or_else(|| {
                        crate::msg!(
                            "recognition.no_route",
                            "prepare wrote no route from {start}: add the phone to the session with its load and run `convert79xx prepare` again",
                            start = start,
                        )
                    });
                events.push(TftpEvent::Recognised {
                    client,
                    mac,
                    family,
                    eras: era_ids,
                    load,
                    evidence,
                    route: String::new(),
                    why: reason.clone(),
                });
                self.refused.insert(mac, reason);
                Err((self.refused_answer(mac), events))
            }
            Verdict::Undecided(candidates) => {
                let repeat = !self
                    .recog
                    .seen
                    .entry(mac)
                    .or_default()
                    .insert(name.to_ascii_lowercase());
                if repeat && super::answer::is_boot_request(kind) {
                    events.extend(self.ask(client, mac, &candidates, None));
                }
                let why = crate::msg!(
                    "recognition.held",
                    "phone {mac} is being recognised ({eras} still possible): nothing that could change its flash is sent until its route is decided",
                    mac = mac.colon(),
                    eras = candidates
                        .iter()
                        .map(|e| e.id())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                events.extend(self.say(client, Some(mac), None, why));
                Err((self.held(name, kind), events))
            }
            Verdict::Conflict(a, b) => {
                events.extend(self.ask(client, mac, &[], Some((a, b))));
                Err((self.held(name, kind), events))
            }
        }
    }

    /// The answer to a phone held while it is recognised.
    fn held(&mut self, name: &str, kind: FileKind) -> Answer {
        if can_change_flash(kind) {
            Answer::NotFound
        } else {
            self.unplaced(name)
        }
    }

    /// The question, once per phone: what to read on the phone, and where
    /// to answer it.
    fn ask(
        &mut self,
        client: SocketAddr,
        mac: Mac,
        candidates: &[Era],
        conflict: Option<(Clue, Clue)>,
    ) -> Option<TftpEvent> {
        if !self.recog.asked.insert(mac) {
            return None;
        }
        let evidence = match &conflict {
            Some((a, b)) => crate::msg!(
                "recognition.conflict",
                "what it sent disagrees: {a}, but {b}",
                a = a.describe(),
                b = b.describe(),
            ),
            None => crate::msg!(
                "recognition.not_enough",
                "what it sent fits more than one route ({eras})",
                eras = candidates
                    .iter()
                    .map(|e| e.id())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
        let question = crate::msg!(
            "recognition.question",
            "Phone {mac} is held: {evidence}. What does Settings > Status > Firmware Versions say under App Load ID? Write it as from = \"…\" for MAC {mac} in the session file and run `convert79xx prepare` and `serve` again.",
            mac = mac.colon(),
            evidence => evidence,
        );
        Some(TftpEvent::Unrecognised {
            client,
            mac,
            candidates: candidates.iter().map(|e| e.id().to_string()).collect(),
            question,
        })
    }

    /// A phone recognised after it was refused the OS79XX.TXT that moves
    /// it: its configs wait for its next boot (docs/recognition.md §4).
    /// `Some` answer while it waits.
    pub(super) fn boot_lost(
        &mut self,
        client: SocketAddr,
        mac: Mac,
        kind: FileKind,
    ) -> Option<(Answer, Vec<TftpEvent>)> {
        if !self.recog.lost_boot.contains(&mac) {
            return None;
        }
        if kind == FileKind::OsTxt {
            self.recog.lost_boot.remove(&mac);
            return None;
        }
        if !can_change_flash(kind) {
            return None;
        }
        let why = crate::msg!(
            "recognition.boot_lost",
            "phone {mac} was recognised after it asked for OS79XX.TXT, which moves it on its route: it is answered from its route from its next boot (power it off and on if it does not restart by itself)",
            mac = mac.colon(),
        );
        let events = self.say(client, Some(mac), None, why).into_iter().collect();
        Some((Answer::NotFound, events))
    }

    /// The answer to a phone held back: its route is refused, and why.
    pub(super) fn refused_answer(&self, mac: Mac) -> Answer {
        let reason = self.refused.get(&mac).cloned().unwrap_or_default();
        Answer::Refuse(crate::msg!(
            "tftp.refused.held_back",
            "phone {mac} is held back: its route is refused ({reason})",
            mac = mac.colon(),
            reason => reason,
        ))
    }

    /// The phones on route `i`: the session's (not those still to be
    /// recognised), then those recognised onto it.
    pub(super) fn route_phones(&self, i: usize) -> Vec<Mac> {
        let r = &self.manifest.routes[i];
        let session = r
            .phones
            .iter()
            .chain(&r.assumed)
            .copied()
            .filter(|m| !self.recog.unknown.contains(m));
        let recognised = self
            .climbs
            .iter()
            .filter(|(m, c)| c.route == i && (!r.has(**m) || self.recog.unknown.contains(m)))
            .map(|(m, _)| *m);
        session.chain(recognised).collect()
    }

    /// The stages an address no phone is bound to could be on, beyond the
    /// session's phones': stage 1 of every route a recognised phone takes.
    pub(super) fn recognition_stages(&self) -> Vec<(usize, usize)> {
        if !self.recog.enabled {
            return Vec::new();
        }
        self.manifest
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.eras.is_empty())
            .map(|(i, _)| (i, 0))
            .collect()
    }
}

/// Why the route was chosen for these eras, in one line.
fn why_route(eras: &[Era], start: &str) -> Msg {
    let conservative = eras.len() > 1;
    if conservative {
        crate::msg!(
            "recognition.why.conservative",
            "it may run any of {eras}: the route from {start}, which is safe for each",
            eras = eras.iter().map(|e| e.id()).collect::<Vec<_>>().join(", "),
            start = start,
        )
    } else {
        crate::msg!(
            "recognition.why.one",
            "{era}: the route from {start}",
            era => eras.first().map(|e| e.describe()).unwrap_or_else(|| Msg::verbatim("?")),
            start = start,
        )
    }
}
