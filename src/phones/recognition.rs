//! What a phone nobody described runs, from what it sends while it boots
//! (issue 23; the rules and their sources are docs/recognition.md).
//!
//! Pure: clues in, a verdict out. Each clue allows a set of eras (the
//! table [`Clue::allows`]); the eras left once every clue seen is applied
//! decide: none left is a conflict, eras that one route serves are a
//! decision (the conservative route where the exact version would matter,
//! [`crate::plan::eras::start_for`]), more is undecided. The ladder feeds
//! it the requests of phones whose start is unknown and holds them until
//! it decides.

use crate::dhcp::VendorEra;
use crate::load::{LoadName, LoadSpec, Protocol};
pub use crate::plan::eras::{Era, Eras, start_for};
use crate::tftp::names::{FileKind, classify};

/// One thing the server saw the phone do (docs/recognition.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clue {
    /// Its DHCP vendor class (option 60).
    Vendor(VendorEra),
    /// It asked for `OS79XX.TXT`.
    AskedOsTxt,
    /// `SEPDefault.cnf` or the text `SEP<MAC>.cnf`.
    AskedTextConfig,
    /// `CTLSEP<MAC>.tlv`, `SEP<MAC>.cnf.xml` or `XMLDefault.cnf.xml`.
    AskedXmlConfig,
    /// `SIPDefault.cnf` or `SIP<MAC>.cnf`.
    AskedSipConfig,
    /// `NAME.loads` while nothing had named an image to it: its own load.
    AskedOwnLoads(String),
}

impl Clue {
    /// The clue a request gives, if any.
    pub fn from_request(name: &str) -> Option<Clue> {
        let leaf = name.rsplit('/').next().unwrap_or(name);
        match classify(name) {
            FileKind::OsTxt => Some(Clue::AskedOsTxt),
            FileKind::TrustList => Some(Clue::AskedXmlConfig),
            FileKind::DeviceConfig | FileKind::DefaultConfig => {
                if leaf.to_ascii_lowercase().ends_with(".cnf.xml") {
                    Some(Clue::AskedXmlConfig)
                } else {
                    Some(Clue::AskedTextConfig)
                }
            }
            FileKind::SipDefault | FileKind::SipPhone => Some(Clue::AskedSipConfig),
            FileKind::ImageDescriptor => {
                let stem = &leaf[..leaf.len().saturating_sub(".loads".len())];
                LoadName::parse(stem)
                    .ok()
                    .map(|_| Clue::AskedOwnLoads(stem.to_string()))
            }
            _ => None,
        }
    }

    /// The eras this clue allows (docs/recognition.md §2).
    pub fn allows(&self) -> Eras {
        use Era::*;
        match self {
            Clue::Vendor(VendorEra::OldImage) => Eras::of(&[SccpText, SccpPreLoader, SipPreLoader]),
            Clue::Vendor(VendorEra::LoaderEra) => Eras::of(&[SccpLoaderEra, SipLoaderEra, Loader]),
            Clue::Vendor(VendorEra::NotCisco) => Eras::EVERY,
            Clue::AskedOsTxt => Eras::of(&[SccpText, SccpPreLoader, SccpLoaderEra, SipPreLoader]),
            Clue::AskedTextConfig => Eras::of(&[SccpText]),
            Clue::AskedXmlConfig => Eras::of(&[SccpPreLoader, SccpLoaderEra, SipLoaderEra, Loader]),
            Clue::AskedSipConfig => Eras::of(&[SipPreLoader, SipLoaderEra, Loader]),
            Clue::AskedOwnLoads(name) => match LoadName::parse(name).map(|p| p.value) {
                Ok(n) if n.is_universal_loader() => Eras::of(&[Loader]),
                Ok(n) if n.protocol() == Protocol::Sip => Eras::of(&[SipLoaderEra]),
                Ok(_) => Eras::of(&[SccpLoaderEra]),
                Err(_) => Eras::EVERY,
            },
        }
    }

    /// In words, for the log and the `recognised` event.
    pub fn describe(&self) -> String {
        match self {
            Clue::Vendor(VendorEra::OldImage) => "DHCP vendor class of an old image".into(),
            Clue::Vendor(VendorEra::LoaderEra) => "DHCP vendor class of the loader era".into(),
            Clue::Vendor(VendorEra::NotCisco) => "DHCP vendor class not a Cisco phone's".into(),
            Clue::AskedOsTxt => "asked for OS79XX.TXT".into(),
            Clue::AskedTextConfig => "asked for SEPDefault.cnf".into(),
            Clue::AskedXmlConfig => "asked for CTLSEP/SEP<MAC>.cnf.xml/XMLDefault.cnf.xml".into(),
            Clue::AskedSipConfig => "asked for SIPDefault.cnf/SIP<MAC>.cnf".into(),
            Clue::AskedOwnLoads(n) => format!("asked for its own {n}.loads"),
        }
    }
}

/// What the clues seen so far say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// One route serves every era left: `start` is the representative
    /// start to plan from; `load` the exact load when a clue named it.
    Decided {
        eras: Vec<Era>,
        start: String,
        load: Option<String>,
    },
    /// More than one route is left.
    Undecided(Vec<Era>),
    /// No era is left: the two clues that disagree.
    Conflict(Clue, Clue),
}

/// Everything seen of one phone, in order, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub clues: Vec<Clue>,
}

impl Evidence {
    /// Adds a clue; false when it was already there.
    pub fn add(&mut self, clue: Clue) -> bool {
        if self.clues.contains(&clue) {
            return false;
        }
        self.clues.push(clue);
        true
    }

    /// The eras every clue allows.
    pub fn eras(&self) -> Eras {
        self.clues
            .iter()
            .fold(Eras::EVERY, |a, c| a.and(c.allows()))
    }

    /// The verdict for a phone going to `target`.
    pub fn judge(&self, target: &LoadSpec) -> Verdict {
        let mut left = Eras::EVERY;
        for (i, clue) in self.clues.iter().enumerate() {
            let next = left.and(clue.allows());
            if next.is_empty() {
                // The earlier clue that, with this one, leaves nothing.
                let other = self.clues[..i]
                    .iter()
                    .find(|c| c.allows().and(clue.allows()).is_empty())
                    .unwrap_or(&self.clues[0]);
                return Verdict::Conflict(other.clone(), clue.clone());
            }
            left = next;
        }
        let load = self.clues.iter().find_map(|c| match c {
            Clue::AskedOwnLoads(n) => Some(n.clone()),
            _ => None,
        });
        match start_for(left, target) {
            Some(start) => Verdict::Decided {
                eras: left.list(),
                start: start.to_string(),
                load,
            },
            None => Verdict::Undecided(left.list()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> LoadSpec {
        s.parse().unwrap()
    }

    fn judge(requests: &[&str], vendor: Option<VendorEra>, to: &str) -> Verdict {
        let mut e = Evidence::default();
        if let Some(v) = vendor {
            e.add(Clue::Vendor(v));
        }
        for r in requests {
            if let Some(c) = Clue::from_request(r) {
                e.add(c);
            }
        }
        e.judge(&spec(to))
    }

    const MAC: &str = "001E4A000001";

    fn start(v: &Verdict) -> &str {
        match v {
            Verdict::Decided { start, .. } => start,
            other => panic!("not decided: {other:?}"),
        }
    }

    #[test]
    fn each_era_is_told_by_what_it_asks_first() {
        let sep_xml = format!("SEP{MAC}.cnf.xml");
        let ctl = format!("CTLSEP{MAC}.tlv");
        // The oldest SCCP: OS79XX.TXT, then SEPDefault.cnf.
        let v = judge(&["OS79XX.TXT", "SEPDefault.cnf"], None, "sip 8.12");
        assert_eq!(start(&v), "sccp 2.x");
        // XML-capable SCCP: OS79XX.TXT then its XML: the loader route.
        let v = judge(&["OS79XX.TXT", &sep_xml], None, "sip 8.12");
        assert_eq!(start(&v), "sccp 5.0(1.1)");
        let v = judge(&["OS79XX.TXT", &ctl], None, "sccp 8.1(2)");
        assert_eq!(start(&v), "sccp 5.0(1.1)");
        // With a loader-era vendor class: R3's start.
        let v = judge(
            &["OS79XX.TXT", &ctl],
            Some(VendorEra::LoaderEra),
            "sip 8.12",
        );
        assert_eq!(start(&v), "sccp 8.0(5)");
        // SIP before the loader: OS79XX.TXT then SIPDefault.cnf.
        let v = judge(&["OS79XX.TXT", "SIPDefault.cnf"], None, "sip 8.12");
        assert_eq!(start(&v), "sip 6.3");
        let v = judge(&["OS79XX.TXT", "SIPDefault.cnf"], None, "sccp 8.1(2)");
        assert_eq!(
            start(&v),
            "sip 4.4",
            "R5 through SCCP 6.3 is safe for 5.x/6.x too"
        );
        // SIP 8.x: CTLSEP, its XML, then its own .loads gives the load.
        let v = judge(&[&ctl, &sep_xml, "XMLDefault.cnf.xml"], None, "sip 8.12");
        assert!(
            matches!(v, Verdict::Undecided(ref e) if e.len() == 4),
            "{v:?}"
        );
        let v = judge(
            &[&ctl, &sep_xml, "XMLDefault.cnf.xml", "P0S3-8-11-00.loads"],
            None,
            "sip 8.12",
        );
        assert_eq!(
            v,
            Verdict::Decided {
                eras: vec![Era::SipLoaderEra],
                start: "sip 8.11".into(),
                load: Some("P0S3-8-11-00".into()),
            }
        );
        // A start equal to the target is avoided.
        let v = judge(&["P0S3-07-4-00.loads"], None, "sip 8.11");
        assert_eq!(start(&v), "sip 7.4");
    }

    #[test]
    fn clues_that_disagree_are_a_conflict_naming_both() {
        let v = judge(&["P0S3-8-12-00.loads", "SEPDefault.cnf"], None, "sip 8.12");
        assert_eq!(
            v,
            Verdict::Conflict(
                Clue::AskedOwnLoads("P0S3-8-12-00".into()),
                Clue::AskedTextConfig
            )
        );
        let v = judge(
            &["P0S3-8-12-00.loads"],
            Some(VendorEra::OldImage),
            "sip 8.12",
        );
        assert!(matches!(v, Verdict::Conflict(Clue::Vendor(_), _)), "{v:?}");
    }

    #[test]
    fn nothing_seen_or_only_shared_names_is_undecided() {
        assert!(matches!(judge(&[], None, "sip 8.12"), Verdict::Undecided(e) if e.len() == 6));
        // OS79XX.TXT alone: SCCP (any) or old SIP.
        assert!(
            matches!(judge(&["OS79XX.TXT", "RINGLIST.DAT"], None, "sip 8.12"), Verdict::Undecided(e) if e.len() == 4)
        );
    }
}
