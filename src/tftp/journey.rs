//! Per-phone journeys folded from TFTP events: which phone is which IP, what
//! it fetched, and where it stands in the conversion.
//!
//! Plain data: the wizard and the `serve` command both feed events to
//! [`Journeys::apply`] and read the result.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
#[cfg(test)]
use std::net::SocketAddr;
use std::time::Instant;

use serde::Serialize;

use super::events::TftpEvent;
use super::names::{FileKind, bare_name, classify, image_stem, loader_stem, mac_in_file_name};
use crate::model::Mac;

/// What the current stage put in the root, so requests can be judged
/// against it. The stage writer produces it from its manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageExpectations {
    /// The load this stage moves phones to (e.g. `P0S3-8-12-00`).
    pub target_image: Option<String>,
    /// Every file the stage wrote, as phones ask for it (`OS79XX.TXT`, `P0S3-8-12-00.sb2`, …).
    pub files: Vec<String>,
    /// MACs of the phones in the session. Empty: no session, every phone counts as known.
    pub known_macs: Vec<Mac>,
}

impl StageExpectations {
    /// What can be told from the root alone: its files, and the target
    /// image when exactly one `.loads` descriptor is there. No MACs.
    pub fn from_root(root: &std::path::Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(root)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if !name.starts_with('.')
                && name != crate::stage::MANIFEST_NAME
                && entry.file_type()?.is_file()
            {
                files.push(name);
            }
        }
        files.sort();
        let descriptors: Vec<&String> = files
            .iter()
            .filter(|f| classify(f) == FileKind::ImageDescriptor)
            .collect();
        let target_image = match descriptors.as_slice() {
            [one] => Some(image_stem(one).to_string()),
            _ => None,
        };
        Ok(StageExpectations {
            target_image,
            files,
            known_macs: vec![],
        })
    }

    /// What a stage's manifest says: the load it installs, every file it
    /// serves, and the phones it wrote their own files for (none: every
    /// phone counts as known).
    pub fn from_manifest(manifest: &crate::stage::Manifest) -> Self {
        let mut known_macs: Vec<Mac> = manifest
            .expected
            .iter()
            .filter_map(|f| mac_in_file_name(f))
            .collect();
        known_macs.sort();
        known_macs.dedup();
        StageExpectations {
            target_image: Some(manifest.target.clone()),
            files: manifest.expected.clone(),
            known_macs,
        }
    }

    fn has_file(&self, name: &str) -> bool {
        let name = bare_name(name);
        self.files.iter().any(|f| f.eq_ignore_ascii_case(name))
    }

    fn knows(&self, mac: Mac) -> bool {
        self.known_macs.is_empty() || self.known_macs.contains(&mac)
    }

    /// Whether the payload files done so far make the whole image: one
    /// file of every image name the stage holds for its target (the
    /// application `.sb2` and the loader, whose `.sbn` and `.bin` are
    /// alternatives). Image files of other loads in the root do not count.
    fn image_complete(&self, done: &BTreeSet<String>) -> Option<bool> {
        let wanted: Option<[String; 2]> = self
            .target_image
            .as_ref()
            .map(|t| [t.to_ascii_lowercase(), loader_stem(t).to_ascii_lowercase()]);
        let stems: BTreeSet<String> = self
            .files
            .iter()
            .filter(|f| classify(f) == FileKind::ImagePayload)
            .map(|f| image_stem(f).to_ascii_lowercase())
            .filter(|stem| wanted.as_ref().is_none_or(|w| w.contains(stem)))
            .collect();
        if stems.is_empty() {
            return None;
        }
        Some(
            stems
                .iter()
                .all(|stem| done.iter().any(|d| image_stem(d) == stem)),
        )
    }
}

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

/// Everything known about one phone.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneJourney {
    /// None until a request names its MAC.
    pub mac: Option<Mac>,
    pub ip: IpAddr,
    pub phase: Phase,
    /// Files fetched completely, in order (a file fetched twice appears once).
    pub fetched: Vec<String>,
    /// Transfers that failed, latest last.
    pub failed: Vec<FileFailure>,
    /// Files asked for and not in the root.
    pub not_found: Vec<String>,
    /// Files being sent now.
    pub in_flight: BTreeSet<String>,
    /// Things the user should know or do (unknown phone, missing file, …).
    pub hints: Vec<String>,
    /// The image it fetched (load name), once known.
    pub image: Option<String>,
    /// Whether the session lists this phone (always true without expectations).
    pub known: bool,
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
            not_found: vec![],
            in_flight: BTreeSet::new(),
            hints: vec![],
            image: None,
            known: true,
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

    /// Adds a hint once. An unknown phone keeps a single "add it?" hint: the
    /// latest, which names the file it asked for, replaces the earlier one.
    fn hint(&mut self, text: String) {
        const UNKNOWN: &str = "unknown phone ";
        if text.starts_with(UNKNOWN) {
            self.hints.retain(|h| !h.starts_with(UNKNOWN));
        }
        if !self.hints.contains(&text) {
            self.hints.push(text);
        }
    }

    fn merge(&mut self, other: PhoneJourney) {
        for f in other.fetched {
            if !self.fetched.contains(&f) {
                self.fetched.push(f);
            }
        }
        self.failed.extend(other.failed);
        for f in other.not_found {
            if !self.not_found.contains(&f) {
                self.not_found.push(f);
            }
        }
        self.in_flight.extend(other.in_flight);
        for h in other.hints {
            self.hint(h);
        }
        self.phase = self.phase.max(other.phase);
        self.image = self.image.take().or(other.image);
        self.payload_done.extend(other.payload_done);
        self.last_seen = self.last_seen.max(other.last_seen);
    }

    /// The phone will run SIP once done (judged by its image or stage).
    fn target_is_sip(&self, stage: Option<&StageExpectations>) -> Option<bool> {
        let image = self
            .image
            .as_deref()
            .or(stage.and_then(|s| s.target_image.as_deref()))?;
        Some(image.to_ascii_uppercase().starts_with("P0S"))
    }
}

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
        if !known {
            journey.hint(format!(
                "unknown phone {}: it is not in the session. Add it (MAC {}) so it gets its own config?",
                mac.colon(),
                mac.upper()
            ));
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
        step(j, event, stage.as_ref());
        if j.phase != before {
            j.phase_since = now;
        }
    }
}

/// The phase rules (field-facts.md §2): a boot starts with the trust list,
/// the device config or OS79XX.TXT; an image payload means the image is
/// being fetched; after the image, a new boot means the phone is back on it;
/// its own config on the new image means configured.
fn step(j: &mut PhoneJourney, event: &TftpEvent, stage: Option<&StageExpectations>) {
    let Some(file) = event.file() else { return };
    let name = bare_name(file).to_string();
    let kind = classify(&name);
    match event {
        TftpEvent::Request { .. } => {
            j.in_flight.insert(name.clone());
            match kind {
                FileKind::TrustList
                | FileKind::DeviceConfig
                | FileKind::DefaultConfig
                | FileKind::OsTxt => {
                    if j.phase == Phase::ImageFetched {
                        j.phase = Phase::BackOnNewImage;
                    } else if j.phase == Phase::Configured && j.image.is_some() {
                        // A reboot after being configured: a new boot, same image.
                        j.phase = Phase::BackOnNewImage;
                    }
                }
                FileKind::ImagePayload => {
                    // A new download starts before the image or after the
                    // reboot (a further stage); parts asked after the image
                    // is complete do not move it back.
                    if j.phase < Phase::FetchingImage || j.phase >= Phase::BackOnNewImage {
                        j.phase = Phase::FetchingImage;
                        j.payload_done.clear();
                    }
                    j.image.get_or_insert_with(|| image_stem(&name).to_string());
                }
                FileKind::ImageDescriptor => {
                    if j.phase < Phase::ImageFetched {
                        j.image = Some(image_stem(&name).to_string());
                    }
                }
                FileKind::SipDefault | FileKind::SipPhone | FileKind::SipExtra => {
                    if j.phase == Phase::ImageFetched {
                        j.phase = Phase::BackOnNewImage;
                    }
                }
                FileKind::Profile | FileKind::Other => {}
            }
        }
        TftpEvent::Done { .. } => {
            j.in_flight.remove(&name);
            if !j.fetched.contains(&name) {
                j.fetched.push(name.clone());
            }
            match kind {
                FileKind::ImagePayload => {
                    j.payload_done.insert(name.to_ascii_lowercase());
                    let all = stage
                        .and_then(|s| s.image_complete(&j.payload_done))
                        .unwrap_or_else(|| {
                            j.payload_done.iter().any(|f| f.ends_with(".sb2"))
                                && !j
                                    .in_flight
                                    .iter()
                                    .any(|f| classify(f) == FileKind::ImagePayload)
                        });
                    if all && j.phase == Phase::FetchingImage {
                        j.phase = Phase::ImageFetched;
                    }
                }
                FileKind::SipPhone => {
                    let sip_target = j.target_is_sip(stage) != Some(false);
                    if sip_target
                        && j.phase != Phase::FetchingImage
                        && j.phase != Phase::ImageFetched
                    {
                        j.phase = Phase::Configured;
                    }
                }
                FileKind::DeviceConfig
                    if j.phase == Phase::BackOnNewImage
                        && j.target_is_sip(stage) == Some(false) =>
                {
                    j.phase = Phase::Configured;
                }
                _ => {}
            }
        }
        TftpEvent::Failed { reason, bytes, .. } => {
            j.in_flight.remove(&name);
            j.failed.push(FileFailure {
                file: name.clone(),
                reason: reason.clone(),
            });
            if kind == FileKind::ImagePayload && reason == "timeout" {
                j.hint(format!(
                    "the transfer of {name} stopped after {bytes} bytes; the phone will retry. If it keeps failing, check the cable and that nothing else answers TFTP on this network."
                ));
            }
        }
        TftpEvent::NotFound { .. } => {
            if !j.not_found.contains(&name) {
                j.not_found.push(name.clone());
            }
            // Asking for a boot file it cannot have, after the image, is a
            // new boot too (a stage may write no config for it to find).
            let boot_file = matches!(
                kind,
                FileKind::TrustList
                    | FileKind::DeviceConfig
                    | FileKind::DefaultConfig
                    | FileKind::OsTxt
            );
            if boot_file && j.phase == Phase::ImageFetched {
                j.phase = Phase::BackOnNewImage;
            }
            if let Some(h) = missing_hint(&name, kind, stage) {
                j.hint(h);
            }
        }
        TftpEvent::Denied { reason, .. } => {
            j.hint(format!("refused '{file}': {reason}"));
        }
        TftpEvent::Progress { .. }
        | TftpEvent::Listening { .. }
        | TftpEvent::Phone { .. }
        | TftpEvent::Rejected { .. } => {}
    }
}

/// What to tell the user when a phone asks for a file the root lacks.
fn missing_hint(name: &str, kind: FileKind, stage: Option<&StageExpectations>) -> Option<String> {
    match kind {
        // Normal: phones carry on without these.
        FileKind::TrustList | FileKind::DefaultConfig | FileKind::SipExtra => None,
        FileKind::Profile => None,
        FileKind::SipPhone => {
            let mac = mac_in_file_name(name)?;
            let known = stage.is_none_or(|s| s.knows(mac));
            Some(if known {
                format!(
                    "{name} is missing: this phone has no SIP config in the root. Run prepare again for this stage."
                )
            } else {
                format!(
                    "unknown phone {} asked for {name}: it is not in the session. Add it (MAC {}) and prepare again?",
                    mac.colon(),
                    mac.upper()
                )
            })
        }
        FileKind::DeviceConfig => {
            let mac = mac_in_file_name(name)?;
            match stage {
                Some(s) if !s.knows(mac) => Some(format!(
                    "unknown phone {} asked for {name}: it is not in the session. Add it (MAC {}) and prepare again?",
                    mac.colon(),
                    mac.upper()
                )),
                Some(s) if s.has_file("XMLDefault.cnf.xml") => None,
                // The stage writes no XML config at all: none is expected.
                Some(s)
                    if !s
                        .files
                        .iter()
                        .any(|f| classify(f) == FileKind::DeviceConfig) =>
                {
                    None
                }
                _ => Some(format!(
                    "{name} is missing: the phone will fall back to XMLDefault.cnf.xml if the root has one."
                )),
            }
        }
        FileKind::ImageDescriptor | FileKind::ImagePayload => {
            Some(match stage.and_then(|s| s.target_image.as_deref()) {
                Some(target) if !image_stem(name).eq_ignore_ascii_case(target) => format!(
                    "the phone asks for image {name}, but this stage installs {target}: its config names another image (check OS79XX.TXT, image_version or loadInformation), or it still runs an older stage."
                ),
                _ => format!(
                    "the phone asks for image {name}, which is not in the root: add the firmware package that holds it and prepare again."
                ),
            })
        }
        FileKind::SipDefault | FileKind::OsTxt | FileKind::Other => Some(format!(
            "the phone asks for {name}, which this stage does not provide."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(ip: &str, port: u16) -> SocketAddr {
        SocketAddr::new(ip.parse().unwrap(), port)
    }

    fn req(client: SocketAddr, f: &str) -> TftpEvent {
        TftpEvent::Request {
            client,
            file: f.into(),
            served: None,
            size: 1,
            mode: crate::tftp::TransferMode::Octet,
        }
    }
    fn done(client: SocketAddr, f: &str) -> TftpEvent {
        TftpEvent::Done {
            client,
            file: f.into(),
            bytes: 1,
        }
    }
    fn nf(client: SocketAddr, f: &str) -> TftpEvent {
        TftpEvent::NotFound {
            client,
            file: f.into(),
        }
    }

    const MAC: &str = "000E84C060A6";

    #[test]
    fn sccp_to_sip_journey_through_every_phase() {
        let mac: Mac = MAC.parse().unwrap();
        let stage = StageExpectations {
            target_image: Some("P0S3-8-12-00".into()),
            files: [
                "OS79XX.TXT",
                "SEP000E84C060A6.cnf.xml",
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2",
                "P003-8-12-00.sbn",
                "SIPDefault.cnf",
                "SIP000E84C060A6.cnf",
            ]
            .map(String::from)
            .to_vec(),
            known_macs: vec![mac],
        };
        let mut js = Journeys::new(Some(stage));
        let p = |port| c("10.1.1.1", port);
        let mut phases = vec![];
        let mut feed = |js: &mut Journeys, e: TftpEvent| {
            js.apply(&e);
            let ph = js.by_ip("10.1.1.1".parse().unwrap()).unwrap().phase;
            if phases.last() != Some(&ph) {
                phases.push(ph);
            }
        };
        feed(&mut js, nf(p(1), "CTLSEP000E84C060A6.tlv"));
        for f in [
            "SEP000E84C060A6.cnf.xml",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "P003-8-12-00.sbn",
        ] {
            feed(&mut js, req(p(2), f));
            feed(&mut js, done(p(2), f));
        }
        // reboot on SIP; OS79XX.TXT carries no MAC and still counts for it
        feed(&mut js, nf(p(3), "CTLSEP000E84C060A6.tlv"));
        feed(&mut js, req(p(3), "OS79XX.TXT"));
        feed(&mut js, done(p(3), "OS79XX.TXT"));
        for f in ["SIPDefault.cnf", "./SIP000E84C060A6.cnf"] {
            feed(&mut js, req(p(4), f));
            feed(&mut js, done(p(4), f));
        }
        assert_eq!(
            phases,
            [
                Phase::AskingForConfig,
                Phase::FetchingImage,
                Phase::ImageFetched,
                Phase::BackOnNewImage,
                Phase::Configured
            ]
        );
        let j = js.get(mac).unwrap();
        assert!(j.fetched.contains(&"OS79XX.TXT".to_string()));
        assert!(j.fetched.contains(&"SIP000E84C060A6.cnf".to_string()));
        assert_eq!(j.image.as_deref(), Some("P0S3-8-12-00"));
        assert!(j.hints.is_empty(), "{:?}", j.hints);
        assert_eq!(js.phones().count(), 1);
    }

    #[test]
    fn a_manifest_gives_target_files_and_phones() {
        let files = [
            "OS79XX.TXT",
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "SEP000E84C060A6.cnf.xml",
            "SIP000E84C060A6.cnf",
            "SIP001E4A123456.cnf",
            "SIPDefault.cnf",
        ]
        .map(String::from)
        .to_vec();
        let manifest = crate::stage::Manifest {
            stage: 1,
            stages: 1,
            route: "R3".into(),
            target: "P0S3-8-12-00".into(),
            written: vec![],
            unchanged: vec![],
            moved: vec![],
            backup_dir: None,
            expected: files.clone(),
            notes: vec![],
            actions: vec![],
            written_at: String::new(),
        };
        let stage = StageExpectations::from_manifest(&manifest);
        assert_eq!(stage.target_image.as_deref(), Some("P0S3-8-12-00"));
        assert_eq!(stage.files, files);
        let macs: Vec<String> = stage.known_macs.iter().map(|m| m.upper()).collect();
        assert_eq!(macs, ["000E84C060A6", "001E4A123456"]);

        // The root alone: the manifest itself is not a file for phones.
        let dir = tempfile::tempdir().unwrap();
        for f in &files {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        std::fs::write(dir.path().join(crate::stage::MANIFEST_NAME), b"{}").unwrap();
        let root = StageExpectations::from_root(dir.path()).unwrap();
        assert_eq!(root.files, files);
        assert_eq!(root.target_image.as_deref(), Some("P0S3-8-12-00"));
        assert!(root.known_macs.is_empty());
    }

    #[test]
    fn invented_macs_do_not_grow_without_end() {
        let mut js = Journeys::new(None);
        for i in 0..(MAX_PHONES as u64 + 50) {
            let mac = Mac::new((i + 1).to_be_bytes()[2..].try_into().unwrap());
            js.apply(&nf(
                c("10.9.9.9", 1),
                &format!("SEP{}.cnf.xml", mac.upper()),
            ));
        }
        assert_eq!(js.phones().count(), MAX_PHONES);
    }

    #[test]
    fn requests_before_the_mac_merge_into_the_phone() {
        let mut js = Journeys::new(None);
        js.apply(&req(c("10.1.1.9", 5), "OS79XX.TXT"));
        js.apply(&done(c("10.1.1.9", 5), "OS79XX.TXT"));
        assert_eq!(js.phones().count(), 1);
        assert!(js.phones().next().unwrap().mac.is_none());
        js.apply(&req(c("10.1.1.9", 6), "SEP000E84C060A6.cnf.xml"));
        assert_eq!(js.phones().count(), 1);
        let j = js.get(MAC.parse().unwrap()).unwrap();
        assert_eq!(j.fetched, ["OS79XX.TXT"]);
    }

    #[test]
    fn unknown_phone_and_missing_files_get_hints() {
        let stage = StageExpectations {
            target_image: Some("P0S3-8-12-00".into()),
            files: vec!["SIPDefault.cnf".into()],
            known_macs: vec!["001E4A123456".parse().unwrap()],
        };
        let mut js = Journeys::new(Some(stage));
        js.apply(&nf(c("10.1.1.2", 5), "./SIP000E84C060A6.cnf"));
        let j = js.get(MAC.parse().unwrap()).unwrap();
        assert!(!j.known);
        assert!(
            j.hints
                .iter()
                .any(|h| h.contains("unknown phone") && h.contains("Add it")),
            "{:?}",
            j.hints
        );
        // asking for another per-phone file keeps one "add it?" hint, naming the newest file
        js.apply(&nf(c("10.1.1.2", 8), "SEP000E84C060A6.cnf.xml"));
        let j = js.get(MAC.parse().unwrap()).unwrap();
        let unknown: Vec<_> = j
            .hints
            .iter()
            .filter(|h| h.starts_with("unknown phone"))
            .collect();
        assert_eq!(unknown.len(), 1, "{:?}", j.hints);
        assert!(
            unknown[0].contains("SEP000E84C060A6.cnf.xml"),
            "{unknown:?}"
        );
        js.apply(&nf(c("10.1.1.2", 6), "P00308010200.loads"));
        let j = js.get(MAC.parse().unwrap()).unwrap();
        assert!(
            j.hints
                .iter()
                .any(|h| h.contains("this stage installs P0S3-8-12-00")),
            "{:?}",
            j.hints
        );
        // a trust list that is not there is normal: no hint
        let before = j.hints.len();
        js.apply(&nf(c("10.1.1.2", 7), "CTLSEP000E84C060A6.tlv"));
        assert_eq!(js.get(MAC.parse().unwrap()).unwrap().hints.len(), before);
    }

    #[test]
    fn a_stage_without_xml_configs_ends_back_on_its_image_without_hints() {
        // R5 stage 1: the old SIP load reads OS79XX.TXT and takes SCCP 6.3's
        // .bin; the stage writes no XML config, so on SCCP 6.3 the phone
        // finds none and waits there for stage 2.
        let mac: Mac = MAC.parse().unwrap();
        let stage = StageExpectations {
            target_image: Some("P00306030100".into()),
            files: ["OS79XX.TXT", "P00306030100.bin", "SIPDefault.cnf"]
                .map(String::from)
                .to_vec(),
            known_macs: vec![mac],
        };
        let mut js = Journeys::new(Some(stage.clone()));
        let p = c("10.1.1.4", 1);
        for f in ["OS79XX.TXT", "P00306030100.bin"] {
            js.apply(&req(p, f));
            js.apply(&done(p, f));
        }
        js.apply(&nf(p, "CTLSEP000E84C060A6.tlv"));
        js.apply(&nf(p, "SEP000E84C060A6.cnf.xml"));
        js.apply(&nf(p, "XMLDefault.cnf.xml"));
        let j = js.get(mac).unwrap();
        assert_eq!(j.phase, Phase::BackOnNewImage);
        assert!(j.hints.is_empty(), "{:?}", j.hints);

        // A stage that writes SEP files, but not this phone's: say so.
        let mut with_xml = stage;
        with_xml.files.push("SEP001E4A123456.cnf.xml".into());
        let mut js = Journeys::new(Some(with_xml));
        js.apply(&nf(p, "SEP000E84C060A6.cnf.xml"));
        let j = js.get(mac).unwrap();
        assert!(
            j.hints
                .iter()
                .any(|h| h.contains("SEP000E84C060A6.cnf.xml is missing")),
            "{:?}",
            j.hints
        );
    }

    #[test]
    fn sip_to_sccp_ends_configured_on_the_device_config() {
        let mut js = Journeys::new(None);
        let p = c("10.1.1.3", 9);
        for e in [
            req(p, "SIPDefault.cnf"),
            done(p, "SIPDefault.cnf"),
            req(p, "SIP000E84C060A6.cnf"),
            done(p, "SIP000E84C060A6.cnf"),
            req(p, "P00308010200.loads"),
            done(p, "P00308010200.loads"),
            req(p, "P00308010200.sb2"),
            done(p, "P00308010200.sb2"),
        ] {
            js.apply(&e);
        }
        assert_eq!(
            js.get(MAC.parse().unwrap()).unwrap().phase,
            Phase::ImageFetched
        );
        for e in [
            req(p, "SEP000E84C060A6.cnf.xml"),
            done(p, "SEP000E84C060A6.cnf.xml"),
        ] {
            js.apply(&e);
        }
        assert_eq!(
            js.get(MAC.parse().unwrap()).unwrap().phase,
            Phase::Configured
        );
    }
}
