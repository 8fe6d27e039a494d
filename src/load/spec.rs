//! What a user asks for: a load name, or a family and version.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::name::shapes;
use super::version::number;
use super::{LoadError, LoadName, Parsed, Protocol, Version, VersionReq, invalid};
use crate::msg;

/// What a user names as the start or end of a conversion: a load name, or a
/// family and version when the exact name is unknown or irrelevant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LoadSpec {
    Name(LoadName),
    Family {
        protocol: Protocol,
        version: VersionReq,
    },
}

impl LoadSpec {
    /// Reads a load name (`P0S3-8-12-00`, `POS3-07-4-00.bin`) or a family and
    /// version (`sip 8.12`, `SCCP 8.1(2)`, `SCCP 3.x`).
    pub fn parse(input: &str) -> Result<Parsed<LoadSpec>, LoadError> {
        let t = input.trim();
        let mut it = t.chars();
        let looks_like_name =
            matches!(it.next(), Some('p' | 'P')) && matches!(it.next(), Some('0' | 'o' | 'O'));
        if looks_like_name {
            let p = LoadName::parse(t)?;
            return Ok(Parsed {
                value: LoadSpec::Name(p.value),
                notes: p.notes,
            });
        }
        let lower = t.to_ascii_lowercase();
        let split = lower
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(lower.len());
        let (word, rest) = (
            &lower[..split],
            lower[split..].trim().trim_start_matches(['-', ':']).trim(),
        );
        let protocol = match word {
            "sip" => Protocol::Sip,
            "sccp" | "skinny" => Protocol::Sccp,
            "mgcp" => {
                return Err(LoadError::Mgcp {
                    input: t.to_string(),
                });
            }
            _ => {
                return Err(invalid(
                    input,
                    msg!(
                        "load.not_a_load",
                        "not a load name or family: give a load name ({shapes}) or a family and version such as 'sip 8.12', 'sccp 8.1(2)', 'SCCP 3.x'",
                        shapes => shapes(),
                    ),
                ));
            }
        };
        if rest.is_empty() {
            return Err(invalid(
                input,
                msg!(
                    "load.needs_version",
                    "{protocol} needs a version, e.g. '{word} 8.12' or '{word} 3.x'",
                    protocol = protocol,
                    word = word,
                ),
            ));
        }
        let version = if let Some(m) = rest.strip_suffix(".x").or_else(|| rest.strip_suffix(".X")) {
            VersionReq::Major(number(m, "major").map_err(|e| invalid(input, e))?)
        } else if rest.bytes().all(|b| b.is_ascii_digit()) {
            VersionReq::Major(number(rest, "major").map_err(|e| invalid(input, e))?)
        } else {
            VersionReq::Exact(Version::parse(rest).map_err(|e| invalid(input, e))?)
        };
        Ok(Parsed {
            value: LoadSpec::Family { protocol, version },
            notes: Vec::new(),
        })
    }

    pub fn protocol(&self) -> Protocol {
        match self {
            LoadSpec::Name(n) => n.protocol(),
            LoadSpec::Family { protocol, .. } => *protocol,
        }
    }

    /// The major version, always known (it decides most routes).
    pub fn major(&self) -> u16 {
        match self {
            LoadSpec::Name(n) => n.version().major(),
            LoadSpec::Family { version, .. } => version.major(),
        }
    }

    /// The exact version, when the user gave one.
    pub fn version(&self) -> Option<&Version> {
        match self {
            LoadSpec::Name(n) => Some(n.version()),
            LoadSpec::Family { version, .. } => version.exact(),
        }
    }

    /// The version requirement (exact for names).
    pub fn version_req(&self) -> VersionReq {
        match self {
            LoadSpec::Name(n) => VersionReq::Exact(n.version().clone()),
            LoadSpec::Family { version, .. } => version.clone(),
        }
    }

    /// Whether the load is signed (5.0 on). Always known: the major decides.
    pub fn is_signed(&self) -> bool {
        self.major() >= 5
    }

    /// Whether the load refuses image names longer than DOS 8.3: SIP 2.1
    /// and earlier (docs/load-names.md §7). A bare "SIP 2.x" may be one of
    /// them, so it counts.
    pub fn needs_8_3_names(&self) -> bool {
        self.protocol() == Protocol::Sip
            && (self.major() < 2
                || (self.major() == 2 && self.version().is_none_or(|v| v.minor() <= 1)))
    }

    /// The load name to use in files: the given one, or Cisco's name for the
    /// family (`sip 3.x` stands for 3.0).
    pub fn load_name(&self) -> LoadName {
        match self {
            LoadSpec::Name(n) => n.clone(),
            LoadSpec::Family { protocol, version } => {
                LoadName::canonical(*protocol, &version.representative())
            }
        }
    }

    /// Whether a load a package holds can supply this spec: for a name, the
    /// same files ([`LoadName::same_file_set`]); for a family, an
    /// application (not the universal loader) of that protocol and version,
    /// where a version given without a build accepts any build of it
    /// (`sccp 6.3` accepts 6.3(1), `sip 7.x` any 7.y).
    pub fn accepts(&self, load: &LoadName) -> bool {
        if let LoadSpec::Name(n) = self {
            return n.same_file_set(load);
        }
        if load.is_universal_loader() || load.protocol() != self.protocol() {
            return false;
        }
        if self.matches(load) {
            return true;
        }
        self.version().is_some_and(|v| {
            v.maintenance().is_none()
                && v.sr().is_none()
                && load.version().major() == v.major()
                && load.version().minor() == v.minor()
        })
    }

    /// Whether a concrete load satisfies this spec.
    pub fn matches(&self, name: &LoadName) -> bool {
        match self {
            LoadSpec::Name(n) => n.same_load(name),
            LoadSpec::Family { protocol, version } => {
                name.protocol() == *protocol && version.matches(name.version())
            }
        }
    }
}

impl fmt::Display for LoadSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadSpec::Name(n) => n.fmt(f),
            LoadSpec::Family { protocol, version } => write!(f, "{protocol} {version}"),
        }
    }
}

impl Serialize for LoadSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Drops the correction notes; call `parse` to show them.
impl FromStr for LoadSpec {
    type Err = LoadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoadSpec::parse(s).map(|p| p.value)
    }
}

impl<'de> Deserialize<'de> for LoadSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl From<LoadName> for LoadSpec {
    fn from(n: LoadName) -> Self {
        LoadSpec::Name(n)
    }
}
