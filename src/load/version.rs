//! Firmware versions as Cisco writes them, and version requirements.

use crate::msg;
use crate::msg::Msg;
use std::fmt;

use serde::{Serialize, Serializer};

/// A firmware version as Cisco writes it: `8.12`, `8.1(2)`, `5.0(1.1)`,
/// `8.1(2)SR2`. Field order is comparison order, so `8.12 > 8.5` and an SR
/// build sorts after its base.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub(super) major: u16,
    pub(super) minor: u16,
    pub(super) maint: Option<u16>,
    pub(super) sub: Option<u16>,
    pub(super) sr: Option<u16>,
}

impl Version {
    /// `major.minor`, as SIP names and early SCCP names give it.
    pub fn new(major: u16, minor: u16) -> Self {
        Version {
            major,
            minor,
            maint: None,
            sub: None,
            sr: None,
        }
    }

    /// `major.minor(maint.sub)`, as later SCCP names give it. A zero `sub`
    /// is not shown by Cisco, so it is not kept either (8.1(2) == 8.1(2.0)).
    pub fn with_maintenance(major: u16, minor: u16, maint: u16, sub: u16) -> Self {
        Version {
            major,
            minor,
            maint: Some(maint),
            sub: (sub != 0).then_some(sub),
            sr: None,
        }
    }

    /// The same version as a service release (`8.1(2)` → `8.1(2)SR2`).
    pub fn service_release(mut self, sr: u16) -> Self {
        self.sr = Some(sr);
        self
    }

    pub fn major(&self) -> u16 {
        self.major
    }
    pub fn minor(&self) -> u16 {
        self.minor
    }
    pub fn maintenance(&self) -> Option<u16> {
        self.maint
    }
    pub fn sub(&self) -> Option<u16> {
        self.sub
    }
    pub fn sr(&self) -> Option<u16> {
        self.sr
    }

    /// Loads from 5.0 on are signed; a phone running one refuses pre-5.0 images.
    pub fn is_signed(&self) -> bool {
        self.major >= 5
    }

    /// Parses the version part of family input: `8.12`, `8.1(2)`,
    /// `8.1(2)SR2`, `5.0(1.1)`, `8.1.2` (read as 8.1(2)).
    pub(super) fn parse(text: &str) -> Result<Version, Msg> {
        let t = text.trim().to_ascii_uppercase();
        let (base, sr) = match t.find("SR") {
            Some(i) => {
                let n = t[i + 2..].trim_start_matches('.');
                (t[..i].to_string(), Some(number(n, "service release")?))
            }
            None => (t.clone(), None),
        };
        let (dotted, paren) = match base.find('(') {
            Some(i) => {
                let inner = base[i + 1..].strip_suffix(')').ok_or_else(|| {
                    msg!("load.version.paren", "'{text}': missing ')'", text = text)
                })?;
                (base[..i].to_string(), Some(inner.to_string()))
            }
            None => (base.clone(), None),
        };
        let parts: Vec<&str> = dotted.split('.').collect();
        let mut v = match (parts.as_slice(), &paren) {
            ([ma, mi], _) => Version::new(number(ma, "major")?, number(mi, "minor")?),
            ([ma, mi, mt], None) => Version::with_maintenance(
                number(ma, "major")?,
                number(mi, "minor")?,
                number(mt, "maintenance")?,
                0,
            ),
            _ => {
                return Err(msg!(
                    "load.version.shape",
                    "'{text}' is not a version: expected major.minor, e.g. 8.12, 8.1(2), 5.0(1.1) or 3.x",
                    text = text,
                ));
            }
        };
        if let Some(p) = paren {
            let mut it = p.split('.');
            let maint = number(it.next().unwrap_or(""), "maintenance")?;
            let sub = match it.next() {
                Some(s) => number(s, "sub-maintenance")?,
                None => 0,
            };
            if it.next().is_some() {
                return Err(msg!(
                    "load.version.brackets",
                    "'{text}': too many numbers in the brackets (e.g. 5.0(1.1))",
                    text = text,
                ));
            }
            v = Version::with_maintenance(v.major, v.minor, maint, sub);
        }
        if let Some(sr) = sr {
            v = v.service_release(sr);
        }
        Ok(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        match (self.maint, self.sub) {
            (Some(m), Some(s)) => write!(f, "({m}.{s})")?,
            (Some(m), None) => write!(f, "({m})")?,
            _ => {}
        }
        if let Some(sr) = self.sr {
            write!(f, "SR{sr}")?;
        }
        Ok(())
    }
}

pub(super) fn number(s: &str, what: &str) -> Result<u16, Msg> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(msg!(
            "load.number.not_a_number",
            "{what} '{s}' is not a number",
            what => part(what),
            s = s,
        ));
    }
    s.parse().map_err(|_| {
        msg!(
            "load.number.too_large",
            "{what} '{s}' is too large",
            what => part(what),
            s = s,
        )
    })
}

/// A part of a version, as an error names it.
fn part(what: &str) -> Msg {
    match what {
        "major" => msg!("load.part.major", "major"),
        "minor" => msg!("load.part.minor", "minor"),
        "build" => msg!("load.part.build", "build"),
        "maintenance" => msg!("load.part.maintenance", "maintenance"),
        "sub-maintenance" => msg!("load.part.sub_maintenance", "sub-maintenance"),
        "service release" => msg!("load.part.service_release", "service release"),
        other => Msg::verbatim(other),
    }
}

/// A version a user asks for: exact (`8.12`) or a whole major line (`3.x`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VersionReq {
    Exact(Version),
    Major(u16),
}

impl VersionReq {
    pub fn major(&self) -> u16 {
        match self {
            VersionReq::Exact(v) => v.major,
            VersionReq::Major(m) => *m,
        }
    }

    pub fn exact(&self) -> Option<&Version> {
        match self {
            VersionReq::Exact(v) => Some(v),
            VersionReq::Major(_) => None,
        }
    }

    pub fn matches(&self, v: &Version) -> bool {
        match self {
            VersionReq::Exact(e) => e == v,
            VersionReq::Major(m) => v.major == *m,
        }
    }

    /// A concrete version standing for the requirement (`3.x` → 3.0).
    pub fn representative(&self) -> Version {
        match self {
            VersionReq::Exact(v) => v.clone(),
            VersionReq::Major(m) => Version::new(*m, 0),
        }
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionReq::Exact(v) => v.fmt(f),
            VersionReq::Major(m) => write!(f, "{m}.x"),
        }
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
