//! Load names and versions (docs/load-names.md). The planner reasons about
//! protocols and versions; files on disk need Cisco's exact spelling. This
//! module turns every spelling a user or a zip may give into both.

use std::cmp::Ordering;
use std::fmt;

use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The two protocols this tool converts between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Protocol {
    #[serde(rename = "SCCP")]
    Sccp,
    #[serde(rename = "SIP")]
    Sip,
}

impl Protocol {
    pub fn other(self) -> Protocol {
        match self {
            Protocol::Sccp => Protocol::Sip,
            Protocol::Sip => Protocol::Sccp,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Sccp => "SCCP",
            Protocol::Sip => "SIP",
        })
    }
}

/// A firmware version as Cisco writes it: `8.12`, `8.1(2)`, `5.0(1.1)`,
/// `8.1(2)SR2`. Field order is comparison order, so `8.12 > 8.5` and an SR
/// build sorts after its base.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    major: u16,
    minor: u16,
    maint: Option<u16>,
    sub: Option<u16>,
    sr: Option<u16>,
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
    fn parse(text: &str) -> Result<Version, String> {
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
                let inner = base[i + 1..]
                    .strip_suffix(')')
                    .ok_or_else(|| format!("'{text}': missing ')'"))?;
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
                return Err(format!(
                    "'{text}' is not a version: expected major.minor, e.g. 8.12, 8.1(2), 5.0(1.1) or 3.x"
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
                return Err(format!(
                    "'{text}': too many numbers in the brackets (e.g. 5.0(1.1))"
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

fn number(s: &str, what: &str) -> Result<u16, String> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} '{s}' is not a number"));
    }
    s.parse().map_err(|_| format!("{what} '{s}' is too large"))
}

/// A value plus the corrections made while reading it (shown to the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub value: T,
    pub notes: Vec<String>,
}

/// Why a load name or family could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("'{input}': {reason}")]
    Invalid { input: String, reason: String },
    #[error(
        "'{input}' is an MGCP load (P0M3…): recognised, but not supported; convert79xx moves phones between SCCP and SIP only"
    )]
    Mgcp { input: String },
}

fn invalid(input: &str, reason: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        input: input.trim().to_string(),
        reason: reason.into(),
    }
}

/// Which of Cisco's spellings a name uses; needed to write it back and to
/// know whether it fits the 8.3 limit of old loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Form {
    /// `P003xxyy`, `P0S3xxyy`
    Short,
    /// `P003aabbccdd`
    SccpLong,
    /// `P003aabbSRnn`
    SccpSr,
    /// `P0S3-x-y-zz`
    SipDashed,
    /// `P003-x-y-zz`
    Loader,
}

/// Shapes shown when a name cannot be read.
const SHAPES: &str = "expected shapes: P003xxyy, P003aabbccdd, P003aabbSRnn (SCCP); P0S3xxyy, P0S3-x-y-zz (SIP); P003-x-y-zz (universal loader)";

/// A firmware load name in Cisco's spelling (digit zero, no extension).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadName {
    text: String,
    protocol: Protocol,
    version: Version,
    form: Form,
}

impl LoadName {
    /// Reads any spelling of docs/load-names.md §1, with or without an extension.
    pub fn parse(input: &str) -> Result<Parsed<LoadName>, LoadError> {
        let mut notes = Vec::new();
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid(input, format!("no load name given ({SHAPES})")));
        }
        let stem = strip_extension(trimmed);
        let upper = stem.to_ascii_uppercase();
        let chars: Vec<char> = upper.chars().collect();
        if chars.len() < 4 {
            return Err(invalid(
                input,
                format!("too short for a load name ({SHAPES})"),
            ));
        }
        if chars[0] != 'P' {
            return Err(invalid(
                input,
                format!("the 1st character must be P ({SHAPES})"),
            ));
        }
        let mut fixed: Vec<char> = chars.clone();
        let mut letter_o = false;
        match chars[1] {
            '0' => {}
            'O' => {
                fixed[1] = '0';
                letter_o = true;
            }
            c => {
                return Err(invalid(
                    input,
                    format!("the 2nd character must be the digit 0, found '{c}' ({SHAPES})"),
                ));
            }
        }
        let protocol = match chars[2] {
            '0' => Protocol::Sccp,
            'O' => {
                fixed[2] = '0';
                letter_o = true;
                Protocol::Sccp
            }
            'S' => Protocol::Sip,
            'M' => {
                return Err(LoadError::Mgcp {
                    input: trimmed.to_string(),
                });
            }
            c => {
                return Err(invalid(
                    input,
                    format!(
                        "the 3rd character is the protocol and must be 0 (SCCP) or S (SIP), found '{c}'"
                    ),
                ));
            }
        };
        if chars[3] != '3' {
            return Err(invalid(
                input,
                format!(
                    "the 4th character must be 3 (the 79x0 processor), found '{}'",
                    chars[3]
                ),
            ));
        }
        // The rest is numeric except "SR" and dashes: an O there is a zero.
        // Keep the user's case so errors quote what was typed.
        let rest: String = stem
            .chars()
            .skip(4)
            .map(|c| {
                if c == 'O' || c == 'o' {
                    letter_o = true;
                    '0'
                } else {
                    c
                }
            })
            .collect();
        let (version, form) = parse_rest(input, protocol, &rest)?;
        let protocol = if form == Form::Loader {
            Protocol::Sip
        } else {
            protocol
        };
        let text: String = fixed[..4].iter().collect::<String>() + &rest.to_ascii_uppercase();
        if letter_o {
            notes.push(format!(
                "'{}' was typed with the letter O; Cisco load names use the digit zero: read as {text}",
                stem
            ));
        }
        Ok(Parsed {
            value: LoadName {
                text,
                protocol,
                version,
                form,
            },
            notes,
        })
    }

    /// The name Cisco uses for a family + version (how it appears in zips
    /// and in OS79XX.TXT): sip 8.12 → P0S3-8-12-00, sip 7.4 → P0S3-07-4-00,
    /// sip 2.3 → P0S30203, sccp 8.1(2) → P00308010200, sccp 3.1 → P0030301.
    pub fn canonical(protocol: Protocol, version: &Version) -> LoadName {
        let v = version;
        let (text, form) = match protocol {
            Protocol::Sip if v.major < 3 => {
                (format!("P0S3{:02}{:02}", v.major, v.minor), Form::Short)
            }
            Protocol::Sip => {
                // Cisco wrote a two-digit major up to 8.11 and one digit from 8.12.
                let major = if (v.major, v.minor) < (8, 12) {
                    format!("{:02}", v.major)
                } else {
                    v.major.to_string()
                };
                (
                    format!("P0S3-{major}-{}-{:02}", v.minor, v.maint.unwrap_or(0)),
                    Form::SipDashed,
                )
            }
            Protocol::Sccp => match (v.sr, v.maint) {
                (Some(sr), _) => (
                    format!("P003{:02}{:02}SR{sr:02}", v.major, v.minor),
                    Form::SccpSr,
                ),
                (None, None) if v.major < 5 => {
                    (format!("P003{:02}{:02}", v.major, v.minor), Form::Short)
                }
                (None, m) => (
                    format!(
                        "P003{:02}{:02}{:02}{:02}",
                        v.major,
                        v.minor,
                        m.unwrap_or(0),
                        v.sub.unwrap_or(0)
                    ),
                    Form::SccpLong,
                ),
            },
        };
        LoadName {
            text,
            protocol,
            version: version.clone(),
            form,
        }
    }

    /// Cisco's spelling: digit zero, no extension.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The protocol the load runs. The universal loader counts as SIP: it
    /// ships in, and is named after, a SIP package.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    pub fn version(&self) -> &Version {
        &self.version
    }

    pub fn is_universal_loader(&self) -> bool {
        self.form == Form::Loader
    }

    /// Loads from 5.0 on are signed and cannot be left for a pre-5.0 one.
    pub fn is_signed(&self) -> bool {
        self.version.is_signed()
    }

    /// SIP 2.1 and earlier refuse SCCP names longer than DOS 8.3 (`xxxxxxxx.bin`).
    pub fn fits_8_3(&self) -> bool {
        self.text.len() <= 8
    }

    /// Same protocol and version, whatever the spelling (P0S3-08-12-00 and
    /// P0S3-8-12-00; a SIP load and its universal loader).
    pub fn same_load(&self, other: &LoadName) -> bool {
        self.protocol == other.protocol && self.version == other.version
    }

    /// The universal loader that comes with a SIP 3.0+ load (P0S3-8-12-00 →
    /// P003-8-12-00); `None` for loads without one.
    pub fn loader(&self) -> Option<LoadName> {
        match self.form {
            Form::SipDashed => Some(LoadName {
                text: self.text.replacen("P0S3", "P003", 1),
                protocol: self.protocol,
                version: self.version.clone(),
                form: Form::Loader,
            }),
            Form::Loader => Some(self.clone()),
            _ => None,
        }
    }

    /// The SIP load a universal loader belongs to (P003-8-12-00 → P0S3-8-12-00).
    pub fn application(&self) -> LoadName {
        match self.form {
            Form::Loader => LoadName {
                text: self.text.replacen("P003", "P0S3", 1),
                protocol: Protocol::Sip,
                version: self.version.clone(),
                form: Form::SipDashed,
            },
            _ => self.clone(),
        }
    }
}

fn strip_extension(s: &str) -> &str {
    if let Some(dot) = s.rfind('.') {
        let ext = s[dot + 1..].to_ascii_lowercase();
        if matches!(ext.as_str(), "bin" | "sbn" | "loads" | "sb2" | "zip") {
            return &s[..dot];
        }
    }
    s
}

fn two_digits(input: &str, shape: &str, field: &str, s: &str) -> Result<u16, LoadError> {
    number(s, field).map_err(|e| invalid(input, format!("{shape}: {e}")))
}

fn parse_rest(input: &str, protocol: Protocol, rest: &str) -> Result<(Version, Form), LoadError> {
    let prefix = match protocol {
        Protocol::Sccp => "P003",
        Protocol::Sip => "P0S3",
    };
    if !rest.is_ascii() {
        return Err(invalid(
            input,
            format!("only letters, digits and dashes belong in a load name ({SHAPES})"),
        ));
    }
    if let Some(dashed) = rest.strip_prefix('-') {
        let shape = format!("{prefix}-x-y-zz");
        let parts: Vec<&str> = dashed.split('-').collect();
        if parts.len() != 3 {
            return Err(invalid(
                input,
                format!(
                    "{shape}: expected three numbers separated by dashes (e.g. {prefix}-8-12-00)"
                ),
            ));
        }
        let major = two_digits(input, &shape, "major", parts[0])?;
        let minor = two_digits(input, &shape, "minor", parts[1])?;
        let build = two_digits(input, &shape, "build", parts[2])?;
        if parts[0].len() > 2 || parts[1].len() > 2 || parts[2].len() != 2 {
            return Err(invalid(
                input,
                format!(
                    "{shape}: major and minor have 1 or 2 digits, the build has 2 (e.g. {prefix}-8-12-00)"
                ),
            ));
        }
        if protocol == Protocol::Sip && major < 3 {
            return Err(invalid(
                input,
                format!(
                    "SIP {major}.{minor} is named P0S3xxyy (e.g. P0S3{major:02}{minor:02}); the dashed form starts at 3.0"
                ),
            ));
        }
        let version = if build == 0 {
            Version::new(major, minor)
        } else {
            Version::with_maintenance(major, minor, build, 0)
        };
        let form = match protocol {
            Protocol::Sip => Form::SipDashed,
            // The loader carries the SCCP-style prefix but belongs to a SIP load.
            Protocol::Sccp => Form::Loader,
        };
        return Ok((version, form));
    }
    match (protocol, rest.len()) {
        (_, 4) => {
            let shape = format!("{prefix}xxyy");
            let major = two_digits(input, &shape, "major", &rest[..2])?;
            let minor = two_digits(input, &shape, "minor", &rest[2..])?;
            if protocol == Protocol::Sip && major >= 3 {
                return Err(invalid(
                    input,
                    format!(
                        "SIP {major}.{minor} is named P0S3-x-y-zz (e.g. P0S3-{major:02}-{minor}-00); P0S3xxyy ends at 2.3"
                    ),
                ));
            }
            Ok((Version::new(major, minor), Form::Short))
        }
        (Protocol::Sccp, 8) if rest[4..6].eq_ignore_ascii_case("SR") => {
            let shape = "P003aabbSRnn";
            let major = two_digits(input, shape, "major", &rest[..2])?;
            let minor = two_digits(input, shape, "minor", &rest[2..4])?;
            let sr = two_digits(input, shape, "service release", &rest[6..])?;
            // The name drops the maintenance number; the one SR Cisco published
            // for the 79x0 is 8.1(2)SR2.
            let base = if (major, minor) == (8, 1) {
                Version::with_maintenance(8, 1, 2, 0)
            } else {
                Version::new(major, minor)
            };
            Ok((base.service_release(sr), Form::SccpSr))
        }
        (Protocol::Sccp, 8) => {
            let shape = "P003aabbccdd";
            let n = |i: usize, f: &str| two_digits(input, shape, f, &rest[i..i + 2]);
            let (a, b, c, d) = (
                n(0, "major")?,
                n(2, "minor")?,
                n(4, "maintenance")?,
                n(6, "sub-maintenance")?,
            );
            let version = if c == 0 && d == 0 {
                Version::new(a, b)
            } else {
                Version::with_maintenance(a, b, c, d)
            };
            Ok((version, Form::SccpLong))
        }
        (Protocol::Sccp, n) => Err(invalid(
            input,
            format!(
                "after P003 come 4 digits (P003xxyy), 8 digits (P003aabbccdd), aabbSRnn, or -x-y-zz (the loader); found {n} characters '{rest}'"
            ),
        )),
        (Protocol::Sip, n) => Err(invalid(
            input,
            format!(
                "after P0S3 come 4 digits (P0S3xxyy, up to SIP 2.3) or -x-y-zz (P0S3-8-12-00, SIP 3.0 on); found {n} characters '{rest}'"
            ),
        )),
    }
}

impl fmt::Display for LoadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for LoadName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl PartialOrd for LoadName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorted by protocol, then version, then spelling.
impl Ord for LoadName {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.protocol, &self.version, &self.text).cmp(&(
            other.protocol,
            &other.version,
            &other.text,
        ))
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
                    format!(
                        "not a load name or family: give a load name ({SHAPES}) or a family and version such as 'sip 8.12', 'sccp 8.1(2)', 'SCCP 3.x'"
                    ),
                ));
            }
        };
        if rest.is_empty() {
            return Err(invalid(
                input,
                format!(
                    "{protocol} needs a version, e.g. '{} 8.12' or '{} 3.x'",
                    word, word
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

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Drops the correction notes; call `parse` to show them.
impl FromStr for LoadName {
    type Err = LoadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoadName::parse(s).map(|p| p.value)
    }
}

/// Drops the correction notes; call `parse` to show them.
impl FromStr for LoadSpec {
    type Err = LoadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoadSpec::parse(s).map(|p| p.value)
    }
}

/// Session files hold names and families as strings.
impl<'de> Deserialize<'de> for LoadName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> LoadName {
        LoadName::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .value
    }

    #[test]
    fn every_form_of_matrix_section_1() {
        let cases = [
            ("P0030301", Protocol::Sccp, "3.1", false),
            ("P00305000101", Protocol::Sccp, "5.0(1.1)", true),
            ("P00308010200", Protocol::Sccp, "8.1(2)", true),
            ("P0030801SR02", Protocol::Sccp, "8.1(2)SR2", true),
            ("P0S30202", Protocol::Sip, "2.2", false),
            ("P0S30203", Protocol::Sip, "2.3", false),
            ("P0S3-07-4-00", Protocol::Sip, "7.4", true),
            ("P0S3-08-11-00", Protocol::Sip, "8.11", true),
            ("P0S3-8-12-00", Protocol::Sip, "8.12", true),
            ("P0S3-03-0-00", Protocol::Sip, "3.0", false),
        ];
        for (s, proto, v, signed) in cases {
            let n = name(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n.protocol(), proto, "{s}");
            assert_eq!(n.version().to_string(), v, "{s}");
            assert_eq!(n.is_signed(), signed, "{s}");
            assert!(!n.is_universal_loader());
        }
        let l = name("P003-8-12-00.sbn");
        assert!(l.is_universal_loader());
        assert_eq!((l.as_str(), l.protocol()), ("P003-8-12-00", Protocol::Sip));
        assert_eq!(l.application().as_str(), "P0S3-8-12-00");
        assert!(l.same_load(&name("P0S3-8-12-00")));
        assert_eq!(
            name("P0S3-8-12-00").loader().unwrap().as_str(),
            "P003-8-12-00"
        );
    }

    #[test]
    fn extensions_and_case() {
        for s in [
            "P0S3-8-12-00.loads",
            "p0s3-8-12-00.SB2",
            " P0S3-8-12-00.bin ",
            "P0S3-8-12-00.zip",
        ] {
            assert_eq!(name(s).as_str(), "P0S3-8-12-00", "{s}");
        }
        assert_eq!(name("P00308010200.sbn").as_str(), "P00308010200");
    }

    #[test]
    fn letter_o_is_corrected_with_a_note() {
        let p = LoadName::parse("POS3-07-4-00").unwrap();
        assert_eq!(p.value.as_str(), "P0S3-07-4-00");
        assert_eq!(p.notes.len(), 1);
        assert!(p.notes[0].contains("letter O"), "{:?}", p.notes);
        let p = LoadName::parse("POO3O8O1O2OO").unwrap();
        assert_eq!(p.value.as_str(), "P00308010200");
        assert!(LoadName::parse("P0S3-8-12-00").unwrap().notes.is_empty());
    }

    #[test]
    fn mgcp_is_refused_as_unsupported() {
        let e = LoadName::parse("P0M3-07-4-00").unwrap_err();
        assert!(matches!(e, LoadError::Mgcp { .. }));
        assert!(e.to_string().contains("not supported"));
        assert!(matches!(
            LoadSpec::parse("mgcp 8.1"),
            Err(LoadError::Mgcp { .. })
        ));
    }

    #[test]
    fn bad_names_say_which_part_is_wrong() {
        let msg = |s: &str| LoadName::parse(s).unwrap_err().to_string();
        assert!(msg("P0S4-8-12-00").contains("the 4th character must be 3 (the 79x0 processor)"));
        assert!(msg("P0S3-8-q-00").contains("P0S3-x-y-zz: minor 'q' is not a number"));
        assert!(msg("P0X3-8-12-00").contains("3rd character is the protocol"));
        assert!(msg("P1S3-8-12-00").contains("2nd character must be the digit 0"));
        assert!(msg("Q0S3-8-12-00").contains("1st character must be P"));
        assert!(msg("P0S3-8-12").contains("three numbers"));
        assert!(msg("P003123").contains("P003aabbccdd"));
        assert!(msg("P0S30803").contains("P0S3-x-y-zz"));
        assert!(msg("").contains("expected shapes"));
        assert!(msg("P0S3-8-12-ü0").contains("only letters"));
        assert!(msg("P003é1234").contains("only letters"));
    }

    #[test]
    fn versions_order_correctly() {
        let v = |s: &str| name(s).version().clone();
        assert!(v("P0S3-8-12-00") > v("P0S3-08-5-00"));
        assert!(v("P0S3-08-11-00") > v("P0S3-08-4-00"));
        assert!(v("P0030801SR02") > v("P00308010200"));
        assert!(v("P00308010200") > v("P00308000500"));
        assert!(v("P00305000101") > v("P0030301"));
        let mut names = [name("P0S3-8-12-00"), name("P0S3-08-5-00"), name("P0S30203")];
        names.sort();
        let sorted: Vec<_> = names.iter().map(|n| n.as_str()).collect();
        assert_eq!(sorted, ["P0S30203", "P0S3-08-5-00", "P0S3-8-12-00"]);
    }

    #[test]
    fn canonical_names_round_trip() {
        let cases = [
            ("sip 8.12", "P0S3-8-12-00"),
            ("sip 7.4", "P0S3-07-4-00"),
            ("sip 8.11", "P0S3-08-11-00"),
            ("sip 2.3", "P0S30203"),
            ("sccp 8.1(2)", "P00308010200"),
            ("sccp 8.1(2)SR2", "P0030801SR02"),
            ("sccp 5.0(1.1)", "P00305000101"),
            ("sccp 3.1", "P0030301"),
            ("sccp 6.3", "P00306030000"),
        ];
        for (family, expected) in cases {
            let spec = LoadSpec::parse(family).unwrap().value;
            let n = spec.load_name();
            assert_eq!(n.as_str(), expected, "{family}");
            assert!(name(expected).same_load(&n), "{family}");
            assert!(spec.matches(&name(expected)), "{family}");
        }
        assert!(name("P0S3-08-12-00").same_load(&name("P0S3-8-12-00")));
        assert!(!name("P0S3-8-12-00").same_load(&name("P0S3-08-11-00")));
    }

    #[test]
    fn family_input() {
        let f = |s: &str| LoadSpec::parse(s).unwrap().value;
        assert_eq!(
            f("SCCP 3.x"),
            LoadSpec::Family {
                protocol: Protocol::Sccp,
                version: VersionReq::Major(3)
            }
        );
        assert_eq!(f("SIP 7.x").major(), 7);
        assert!(!f("SCCP 3.x").is_signed());
        assert!(f("sip 5.x").is_signed());
        assert_eq!(f("Sccp 8.1(2)").to_string(), "SCCP 8.1(2)");
        assert_eq!(f("sip 8.12").version().unwrap().to_string(), "8.12");
        assert_eq!(f("sccp 8.1.2").to_string(), "SCCP 8.1(2)");
        assert!(f("SIP 7.x").matches(&name("P0S3-07-4-00")));
        assert!(!f("SIP 7.x").matches(&name("P0S3-08-4-00")));
        assert_eq!(f("POS3-07-4-00").protocol(), Protocol::Sip);
        let e = LoadSpec::parse("sip").unwrap_err().to_string();
        assert!(e.contains("needs a version"), "{e}");
        let e = LoadSpec::parse("h323 1.0").unwrap_err().to_string();
        assert!(e.contains("family and version"), "{e}");
        let e = LoadSpec::parse("sip 8.q").unwrap_err().to_string();
        assert!(e.contains("minor 'Q' is not a number"), "{e}");
    }

    #[test]
    fn serializes_as_strings() {
        let n = name("P0S3-8-12-00");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"P0S3-8-12-00\"");
        let f = LoadSpec::parse("sccp 3.x").unwrap().value;
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"SCCP 3.x\"");
        assert_eq!(serde_json::to_string(&Protocol::Sip).unwrap(), "\"SIP\"");
        let back: LoadSpec = serde_json::from_str("\"SCCP 3.x\"").unwrap();
        assert_eq!(back, f);
        let back: LoadName = serde_json::from_str("\"POS3-8-12-00.loads\"").unwrap();
        assert_eq!(back, n);
        let err = serde_json::from_str::<LoadName>("\"P0M3-8-12-00\"").unwrap_err();
        assert!(err.to_string().contains("MGCP"), "{err}");
        assert_eq!(
            "sip 8.12".parse::<LoadSpec>().unwrap().to_string(),
            "SIP 8.12"
        );
    }

    #[test]
    fn fits_8_3() {
        assert!(name("P0030301").fits_8_3());
        assert!(!name("P00305000101").fits_8_3());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn version() -> impl Strategy<Value = (Protocol, Version)> {
        prop_oneof![
            (0u16..=2, 0u16..=99).prop_map(|(a, b)| (Protocol::Sip, Version::new(a, b))),
            (3u16..=99, 0u16..=99, 0u16..=99).prop_map(|(a, b, c)| {
                let v = if c == 0 {
                    Version::new(a, b)
                } else {
                    Version::with_maintenance(a, b, c, 0)
                };
                (Protocol::Sip, v)
            }),
            (0u16..=4, 0u16..=99).prop_map(|(a, b)| (Protocol::Sccp, Version::new(a, b))),
            (5u16..=99, 0u16..=99, 1u16..=99, 0u16..=99)
                .prop_map(|(a, b, c, d)| (Protocol::Sccp, Version::with_maintenance(a, b, c, d))),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = LoadName::parse(&s);
            let _ = LoadSpec::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_names(s in "[pP][0oO][0sSoOmM]3[-0-9oOsSrR]{0,12}(\\.(bin|loads|sb2|sbn))?") {
            let _ = LoadName::parse(&s);
        }

        #[test]
        fn canonical_names_parse_back((p, v) in version()) {
            let n = LoadName::canonical(p, &v);
            let back = LoadName::parse(n.as_str()).unwrap().value;
            prop_assert_eq!(back.protocol(), p);
            prop_assert_eq!(back.version(), &v);
            prop_assert_eq!(back.as_str(), n.as_str());
        }

        #[test]
        fn family_text_round_trips((p, v) in version()) {
            let text = format!("{p} {v}");
            let spec = LoadSpec::parse(&text).unwrap().value;
            prop_assert_eq!(spec.version(), Some(&v));
            prop_assert_eq!(spec.to_string(), text);
        }

        #[test]
        fn order_follows_numbers(a in (0u16..30, 0u16..30), b in (0u16..30, 0u16..30)) {
            let (va, vb) = (Version::new(a.0, a.1), Version::new(b.0, b.1));
            prop_assert_eq!(va.cmp(&vb), a.cmp(&b));
        }
    }
}
