//! Load names in Cisco's spelling: every form of docs/load-names.md §1.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::version::number;
use super::{LoadError, Parsed, Protocol, Version, invalid};
use crate::msg;
use crate::msg::Msg;

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
pub(super) fn shapes() -> Msg {
    msg!(
        "load.shapes",
        "expected shapes: P003xxyy, P003aabbccdd, P003aabbSRnn (SCCP); P0S3xxyy, P0S3-x-y-zz (SIP); P003-x-y-zz (universal loader)"
    )
}

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
            return Err(invalid(
                input,
                msg!("load.empty", "no load name given ({shapes})", shapes => shapes()),
            ));
        }
        let stem = strip_extension(trimmed);
        let upper = stem.to_ascii_uppercase();
        let chars: Vec<char> = upper.chars().collect();
        if chars.len() < 4 {
            return Err(invalid(
                input,
                msg!(
                    "load.too_short",
                    "too short for a load name ({shapes})",
                    shapes => shapes(),
                ),
            ));
        }
        if chars[0] != 'P' {
            return Err(invalid(
                input,
                msg!(
                    "load.first_p",
                    "the 1st character must be P ({shapes})",
                    shapes => shapes(),
                ),
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
                    msg!(
                        "load.second_zero",
                        "the 2nd character must be the digit 0, found '{c}' ({shapes})",
                        c = c,
                        shapes => shapes(),
                    ),
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
                    msg!(
                        "load.third_protocol",
                        "the 3rd character is the protocol and must be 0 (SCCP) or S (SIP), found '{c}'",
                        c = c,
                    ),
                ));
            }
        };
        if chars[3] != '3' {
            return Err(invalid(
                input,
                msg!(
                    "load.fourth_three",
                    "the 4th character must be 3 (the 79x0 processor), found '{c}'",
                    c = chars[3],
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
            notes.push(msg!(
                "load.note.letter_o",
                "'{stem}' was typed with the letter O; Cisco load names use the digit zero: read as {text}",
                stem = stem,
                text = text,
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

    /// The same load and the same part of it (the application, or the
    /// universal loader), whatever the spelling: the same files in a package.
    pub fn same_file_set(&self, other: &LoadName) -> bool {
        self.same_load(other) && self.is_universal_loader() == other.is_universal_loader()
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
    number(s, field).map_err(|e| {
        invalid(
            input,
            msg!("load.shape_error", "{shape}: {error}", shape = shape, error => e),
        )
    })
}

fn parse_rest(input: &str, protocol: Protocol, rest: &str) -> Result<(Version, Form), LoadError> {
    let prefix = match protocol {
        Protocol::Sccp => "P003",
        Protocol::Sip => "P0S3",
    };
    if !rest.is_ascii() {
        return Err(invalid(
            input,
            msg!(
                "load.charset",
                "only letters, digits and dashes belong in a load name ({shapes})",
                shapes => shapes(),
            ),
        ));
    }
    if let Some(dashed) = rest.strip_prefix('-') {
        let shape = format!("{prefix}-x-y-zz");
        let parts: Vec<&str> = dashed.split('-').collect();
        if parts.len() != 3 {
            return Err(invalid(
                input,
                msg!(
                    "load.dashed.three",
                    "{shape}: expected three numbers separated by dashes (e.g. {prefix}-8-12-00)",
                    shape = shape,
                    prefix = prefix,
                ),
            ));
        }
        let major = two_digits(input, &shape, "major", parts[0])?;
        let minor = two_digits(input, &shape, "minor", parts[1])?;
        let build = two_digits(input, &shape, "build", parts[2])?;
        if parts[0].len() > 2 || parts[1].len() > 2 || parts[2].len() != 2 {
            return Err(invalid(
                input,
                msg!(
                    "load.dashed.digits",
                    "{shape}: major and minor have 1 or 2 digits, the build has 2 (e.g. {prefix}-8-12-00)",
                    shape = shape,
                    prefix = prefix,
                ),
            ));
        }
        if protocol == Protocol::Sip && major < 3 {
            return Err(invalid(
                input,
                msg!(
                    "load.sip.short_form",
                    "SIP {major}.{minor} is named P0S3xxyy (e.g. {example}); the dashed form starts at 3.0",
                    major = major,
                    minor = minor,
                    example = format!("P0S3{major:02}{minor:02}"),
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
                    msg!(
                        "load.sip.dashed_form",
                        "SIP {major}.{minor} is named P0S3-x-y-zz (e.g. {example}); P0S3xxyy ends at 2.3",
                        major = major,
                        minor = minor,
                        example = format!("P0S3-{major:02}-{minor}-00"),
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
            msg!(
                "load.sccp.length",
                "after P003 come 4 digits (P003xxyy), 8 digits (P003aabbccdd), aabbSRnn, or -x-y-zz (the loader); found {n} characters '{rest}'",
                n = n,
                rest = rest,
            ),
        )),
        (Protocol::Sip, n) => Err(invalid(
            input,
            msg!(
                "load.sip.length",
                "after P0S3 come 4 digits (P0S3xxyy, up to SIP 2.3) or -x-y-zz (P0S3-8-12-00, SIP 3.0 on); found {n} characters '{rest}'",
                n = n,
                rest = rest,
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

/// Drops the correction notes; call `parse` to show them.
impl FromStr for LoadName {
    type Err = LoadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoadName::parse(s).map(|p| p.value)
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
