//! The session file (TOML) shared by the wizard and the commands: what to
//! convert, with which firmware, and the phones' lines.
//!
//! ```toml
//! [conversion]
//! from = "P00308010200"              # a load name, or "sccp 8.1(2)"
//! to = "P0S3-8-12-00"
//! model = "7960"                     # default for phones that do not say
//! firmware = ["P0S3-8-12-00.zip"]    # zips, folders or image files, relative to this file
//! safe_route = false                 # optional: take the offered safe route (R1a)
//! cucm = false                       # optional: phones on CUCM 5.x/6.x (route CM)
//! alias_8_3 = true                   # optional: R4b, serve the SCCP image under an 8.3 alias
//! tftp_root = "tftp"                 # optional: where `prepare`/the wizard write
//! [sip]
//! proxy = "192.0.2.10"
//! port = 5060
//! sntp = "192.0.2.1"                 # optional
//! timezone = "CET"                   # optional
//! [sccp]
//! callmanager = "192.0.2.20"         # optional
//! [serve]
//! bind = "0.0.0.0:69"                # optional: where the built-in TFTP server listens
//! [[phones]]
//! mac = "00:1e:4a:12:34:56"
//! model = "7940"                     # optional
//! from = "sip 6.3"                   # optional: what this phone runs, when not [conversion] from ("unknown" allowed)
//! lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]
//! ```
//!
//! The file keeps what the user typed (MACs in any spelling, load names as
//! given); [`Session::check`] reads it into checked values and reports
//! every problem at once, each with the field it belongs to.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{SipLine, SipSettings, check_cnf_value};
use crate::host::TFTP_PORT;
use crate::load::{LoadSpec, Protocol};
use crate::model::{Mac, PhoneModel};
use crate::msg;
use crate::msg::Msg;

/// The whole session file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub conversion: Conversion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip: Option<SipSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sccp: Option<SccpSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serve: Option<ServeSection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<PhoneEntry>,
    /// The folder the file was loaded from: relative paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `[conversion]`: from which load to which, for which model, with which files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The load the phones run now: a load name or a family and version.
    pub from: String,
    /// The load wanted.
    pub to: String,
    /// Default model for phones that do not say (`7940` or `7960`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Firmware packages: zips, folders or image files, relative to the session file.
    #[serde(default)]
    pub firmware: Vec<PathBuf>,
    /// Take the planner's offered safe route (R1a: SIP 2.3 first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_route: Option<bool>,
    /// The phones are on CUCM 5.x/6.x: migrate them there (route CM, no files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cucm: Option<bool>,
    /// R4b (SIP 2.1 and earlier to SCCP): serve the SCCP image under a short
    /// 8.3 alias (true, the default) or upgrade SIP to 2.3 first (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_8_3: Option<bool>,
    /// Where stages are written; relative to the session file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tftp_root: Option<PathBuf>,
}

/// `[sip]`: settings every SIP phone gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SipSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sntp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// `[sccp]`: where SCCP phones register after the conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SccpSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callmanager: Option<String>,
}

/// `[serve]`: how the built-in TFTP server listens (optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ServeSection {
    /// Address to listen on, e.g. `"192.0.2.5:69"`; the server's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
}

/// `[[phones]]`: one phone as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PhoneEntry {
    pub mac: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The load this phone runs now, when it is not `[conversion] from`
    /// (a mixed fleet): a load name, a family and version, or `"unknown"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default)]
    pub lines: Vec<LineEntry>,
}

/// One line of a phone as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LineEntry {
    pub extension: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_name: Option<String>,
    /// Written into SIP<MAC>.cnf in clear text (the phone reads it so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
}

/// The key of the session file a problem belongs to, so a front end can
/// show the problem where it was typed (the wizard at its field, the
/// commands by its key: `phones[2].mac`, `conversion.to`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    From,
    To,
    Model,
    Firmware,
    SipProxy,
    SipPort,
    SipSntp,
    SipTimezone,
    CallManager,
    ServeBind,
    /// `phones[i].mac`
    PhoneMac(usize),
    /// `phones[i].model`
    PhoneModel(usize),
    /// `phones[i].from`
    PhoneFrom(usize),
    /// `phones[i].lines`: how many there are.
    PhoneLines(usize),
    /// `phones[i].lines[j].KEY`
    Line {
        phone: usize,
        line: usize,
        key: LineKey,
    },
}

/// A key of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKey {
    Extension,
    AuthName,
    Password,
    DisplayName,
    ShortName,
}

impl LineKey {
    /// The most characters this key takes (docs/files.md §0).
    pub fn max_len(self) -> usize {
        match self {
            LineKey::Extension | LineKey::AuthName | LineKey::Password | LineKey::DisplayName => 64,
            LineKey::ShortName => 32,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LineKey::Extension => "extension",
            LineKey::AuthName => "auth_name",
            LineKey::Password => "password",
            LineKey::DisplayName => "display_name",
            LineKey::ShortName => "short_name",
        }
    }
}

impl Field {
    /// The most characters a typed value may have (`None` for fields that
    /// are not free text). The tool's own bounds (docs/files.md §0):
    /// generous for any real value, host names as long as DNS allows, and
    /// far below what could hurt (a 50 MB display name was once written).
    pub fn max_len(self) -> Option<usize> {
        Some(match self {
            Field::From | Field::To | Field::PhoneFrom(_) => 64,
            Field::Model | Field::PhoneModel(_) => 16,
            Field::SipProxy | Field::SipSntp | Field::CallManager => 253,
            Field::SipTimezone => 16,
            Field::ServeBind => 64,
            Field::PhoneMac(_) => 32,
            Field::Line { key, .. } => key.max_len(),
            Field::Firmware | Field::SipPort | Field::PhoneLines(_) => return None,
        })
    }

    /// The problem when `value` is longer than the field takes; its
    /// message gives the limit and never repeats the value.
    fn over_limit(self, value: &str) -> Option<Problem> {
        let max = self.max_len()?;
        let len = value.chars().count();
        (len > max).then(|| {
            Problem::new(
                self,
                msg!(
                    "session.too_long",
                    "is {len} characters long; at most {max} fit here: shorten it",
                    len = len,
                    max = max,
                ),
            )
            .of_kind(ProblemKind::TooLong { max })
        })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self {
            Field::From => "conversion.from",
            Field::To => "conversion.to",
            Field::Model => "conversion.model",
            Field::Firmware => "conversion.firmware",
            Field::SipProxy => "sip.proxy",
            Field::SipPort => "sip.port",
            Field::SipSntp => "sip.sntp",
            Field::SipTimezone => "sip.timezone",
            Field::CallManager => "sccp.callmanager",
            Field::ServeBind => "serve.bind",
            Field::PhoneMac(i) => return write!(f, "phones[{i}].mac"),
            Field::PhoneModel(i) => return write!(f, "phones[{i}].model"),
            Field::PhoneFrom(i) => return write!(f, "phones[{i}].from"),
            Field::PhoneLines(i) => return write!(f, "phones[{i}].lines"),
            Field::Line { phone, line, key } => {
                return write!(f, "phones[{phone}].lines[{line}].{}", key.as_str());
            }
        };
        f.write_str(key)
    }
}

/// One thing wrong with a session: the field it belongs to, what kind of
/// problem it is (for a front end that words it in its own language), and
/// a message saying what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub kind: ProblemKind,
    /// Says what is wrong and how to fix it, in the user's language.
    pub message: Msg,
}

/// What kind of problem a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The value cannot be used as it is; the message says why.
    Invalid,
    /// Nothing is given where something is needed.
    Missing,
    /// The same value as an earlier entry, `phones[of]`.
    Duplicate { of: usize },
    /// More entries than allowed (a model's line buttons).
    TooMany { allowed: usize },
    /// A longer value than the field takes (docs/files.md §0).
    TooLong { max: usize },
}

impl Problem {
    /// A value that cannot be used as it is.
    pub fn new(field: Field, message: Msg) -> Problem {
        Problem {
            field,
            kind: ProblemKind::Invalid,
            message,
        }
    }

    fn of_kind(mut self, kind: ProblemKind) -> Problem {
        self.kind = kind;
        self
    }
}

impl Problem {
    /// The field's key and the message, as a list of problems shows them.
    pub fn message_with_field(&self) -> Msg {
        msg!(
            "session.problem",
            "{field}: {message}",
            field = self.field,
            message => self.message.clone(),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a session could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot read session file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("session file {path} is not valid: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("cannot write session file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the session has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

impl SessionError {
    /// The error as words to render in the user's language (paths, the
    /// operating system's and the TOML reader's own text stay as they are).
    pub fn msg(&self) -> Msg {
        match self {
            SessionError::Read { path, source } => msg!(
                "session.error.read",
                "cannot read session file {path}: {error}",
                path = path.display(),
                error = source,
            ),
            SessionError::Syntax { path, message } => msg!(
                "session.error.syntax",
                "session file {path} is not valid: {error}",
                path = path.display(),
                error = message,
            ),
            SessionError::Write { path, source } => msg!(
                "session.error.write",
                "cannot write session file {path}: {error}",
                path = path.display(),
                error = source,
            ),
            SessionError::Invalid(problems) => {
                let list = problems.iter().fold(Msg::verbatim(""), |list, p| {
                    msg!(
                        "session.error.problem",
                        "{list}\n  - {problem}",
                        list => list,
                        problem => p.message_with_field(),
                    )
                });
                msg!(
                    "session.error.invalid",
                    "the session has {n} problem(s):{list}",
                    n = problems.len(),
                    list => list,
                )
            }
        }
    }
}

/// A phone with its checked values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub mac: Mac,
    pub model: PhoneModel,
    pub lines: Vec<SipLine>,
    /// What it runs now: its own `from`, else `[conversion] from`.
    pub from: StartLoad,
}

/// What a phone runs when the conversion starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLoad {
    /// Its own `from`, or the session's default.
    Load(LoadSpec),
    /// `from = "unknown"`: the user does not know; the planner puts it on
    /// the route most phones take, and says so.
    Unknown,
}

/// The word a phone's `from` takes when its load is not known.
pub const UNKNOWN_LOAD: &str = "unknown";

/// A session read into checked values, by [`Session::check`]: what the
/// planner, the stage writer and the server work on. Holding one means
/// every value in it was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The load the phones run now.
    pub from: LoadSpec,
    /// The load they should run.
    pub to: LoadSpec,
    pub default_model: PhoneModel,
    /// Absolute (or base-relative) firmware paths.
    pub firmware: Vec<PathBuf>,
    pub safe_route: bool,
    pub cucm: bool,
    pub alias_8_3: bool,
    pub sip: SipSettings,
    pub callmanager: Option<String>,
    pub phones: Vec<Phone>,
    /// `[serve] bind`: where the built-in TFTP server listens, when given.
    pub bind: Option<SocketAddr>,
    /// Corrections made while reading (shown to the user), e.g. the letter
    /// O read as a zero in `conversion.to`.
    pub notes: Vec<Msg>,
    /// What will not work although the files can be written (a line that
    /// will not register), each at its field: shown, never blocking.
    pub warnings: Vec<Problem>,
}

impl Session {
    /// Read a session file. Relative paths in it are taken from its folder.
    pub fn load(path: &Path) -> Result<Session, SessionError> {
        let text = std::fs::read_to_string(path).map_err(|source| SessionError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut s = Session::from_toml(&text).map_err(|message| SessionError::Syntax {
            path: path.to_path_buf(),
            message,
        })?;
        s.base_dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Ok(s)
    }

    /// Parse session text (no base folder: paths stay as written).
    pub fn from_toml(text: &str) -> Result<Session, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a session always serializes")
    }

    /// Write the session atomically. An existing file with other content is
    /// first copied to `NAME.bak` (replacing an older backup), so the user's
    /// previous file is never lost.
    pub fn save(&self, path: &Path) -> Result<(), SessionError> {
        let bytes = self.to_toml().into_bytes();
        let write_err = |source| SessionError::Write {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::read(path) {
            Ok(old) if old == bytes => return Ok(()),
            Ok(old) => {
                let mut bak = path.as_os_str().to_owned();
                bak.push(".bak");
                crate::fsutil::write_atomic(Path::new(&bak), &old).map_err(write_err)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write_err(e)),
        }
        crate::fsutil::write_atomic(path, &bytes).map_err(write_err)
    }

    /// A path from the file, resolved against the session's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// Read the session into checked values in one pass, reporting every
    /// problem at once, each with its field. Everything is checked that can
    /// be without opening the firmware: the loads, the model, MACs, lines,
    /// addresses, `[serve] bind`. A SIP target needs a proxy.
    pub fn check(&self) -> Result<Checked, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut bad = |problem: Problem| problems.push(problem);
        let c = &self.conversion;
        let mut load = |field: Field, value: &str, bad: &mut dyn FnMut(Problem)| {
            if let Some(p) = field.over_limit(value) {
                bad(p);
                return None;
            }
            if value.trim().is_empty() {
                bad(Problem::new(field, msg!("session.load_empty", "is empty: give a load name such as P0S3-8-12-00 or a family such as \"sccp 8.1(2)\""))
                    .of_kind(ProblemKind::Missing));
                return None;
            }
            match LoadSpec::parse(value) {
                Ok(p) => {
                    notes.extend(p.notes.into_iter().map(|n| field_note(&field, n)));
                    Some(p.value)
                }
                Err(e) => {
                    bad(Problem::new(field, e.message()));
                    None
                }
            }
        };
        let from = load(Field::From, &c.from, &mut bad);
        let to = load(Field::To, &c.to, &mut bad);
        // An unreadable target says nothing about the proxy: its own
        // problem comes first.
        let target_is_sip = to.as_ref().is_some_and(|t| t.protocol() == Protocol::Sip);
        let default_model = match &c.model {
            None => PhoneModel::Cp7960,
            Some(m) => parse_field(Field::Model, m, str::parse).unwrap_or_else(|p| {
                bad(p);
                PhoneModel::Cp7960
            }),
        };

        let sip_section = self.sip.clone().unwrap_or_default();
        let port = sip_section.port.unwrap_or(5060);
        if port == 0 {
            bad(Problem::new(
                Field::SipPort,
                msg!("session.port_zero", "0 is not a port; SIP uses 5060"),
            ));
        }
        let proxy = sip_section.proxy.filter(|p| !p.trim().is_empty());
        if target_is_sip && proxy.is_none() {
            bad(Problem::new(
                Field::SipProxy,
                msg!(
                    "session.proxy_missing",
                    "missing: a SIP target needs the address of its registrar/proxy (e.g. 192.0.2.10)"
                ),
            )
            .of_kind(ProblemKind::Missing));
        }
        for (field, value) in [
            (Field::SipProxy, &proxy),
            (Field::SipSntp, &sip_section.sntp),
        ] {
            let Some(v) = value else { continue };
            if let Some(p) = field.over_limit(v) {
                bad(p);
            } else if let Err(e) = crate::config::check_token(&field.to_string(), v.trim()) {
                // a host name or an address: the phone takes it as one token
                bad(Problem::new(
                    field,
                    msg!(
                        "session.host",
                        "{error}; give an IP address or host name",
                        error => e.msg(),
                    ),
                ));
            }
        }
        if let Some(tz) = sip_section
            .timezone
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            if let Some(p) = Field::SipTimezone.over_limit(tz) {
                bad(p);
            } else if let Err(e) = crate::config::sipdefault::check_time_zone("sip.timezone", tz) {
                bad(Problem::new(Field::SipTimezone, e.msg()));
            }
        }
        let callmanager = self
            .sccp
            .as_ref()
            .and_then(|s| s.callmanager.clone())
            .filter(|s| !s.trim().is_empty());
        if let Some(cm) = &callmanager {
            if let Some(p) = Field::CallManager.over_limit(cm) {
                bad(p);
            } else if let Err(e) = crate::config::check_token("sccp.callmanager", cm) {
                bad(Problem::new(
                    Field::CallManager,
                    msg!(
                        "session.host",
                        "{error}; give an IP address or host name",
                        error => e.msg(),
                    ),
                ));
            }
        }

        let mut phones = Vec::new();
        let mut seen: Vec<(Mac, usize)> = Vec::new();
        for (i, p) in self.phones.iter().enumerate() {
            let mac = match Field::PhoneMac(i).over_limit(&p.mac) {
                Some(p) => {
                    bad(p);
                    None
                }
                None => match p.mac.parse::<Mac>() {
                    Ok(m) => Some(m),
                    Err(e) => {
                        bad(Problem::new(Field::PhoneMac(i), e.message()));
                        None
                    }
                },
            };
            if let Some(m) = mac {
                if let Some((_, j)) = seen.iter().find(|(s, _)| *s == m) {
                    bad(Problem::new(
                        Field::PhoneMac(i),
                        msg!(
                            "session.duplicate_mac",
                            "{mac} is already phones[{j}]; each phone once",
                            mac = m.colon(),
                            j = j,
                        ),
                    )
                    .of_kind(ProblemKind::Duplicate { of: *j }));
                }
                seen.push((m, i));
            }
            let model = match &p.model {
                None => default_model,
                Some(s) => parse_field(Field::PhoneModel(i), s, str::parse).unwrap_or_else(|p| {
                    bad(p);
                    default_model
                }),
            };
            let own_from = match p.from.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(t) if t.eq_ignore_ascii_case(UNKNOWN_LOAD) => Some(StartLoad::Unknown),
                Some(t) => match LoadSpec::parse(t) {
                    Ok(p) => {
                        let field = Field::PhoneFrom(i);
                        notes.extend(p.notes.into_iter().map(|n| field_note(&field, n)));
                        Some(StartLoad::Load(p.value))
                    }
                    Err(e) => {
                        bad(Problem::new(
                            Field::PhoneFrom(i),
                            msg!(
                                "session.phone_from",
                                "{error}; or \"{unknown}\" when you do not know what it runs",
                                error => e.message(),
                                unknown = UNKNOWN_LOAD,
                            ),
                        ));
                        None
                    }
                },
            };
            if p.lines.len() > model.lines() {
                bad(Problem::new(
                    Field::PhoneLines(i),
                    msg!(
                        "session.too_many_lines",
                        "{lines} lines, but a {model} has {buttons} line buttons: remove {extra}, or make it a 7960",
                        lines = p.lines.len(),
                        model = model,
                        buttons = model.lines(),
                        extra = p.lines.len() - model.lines(),
                    ),
                )
                .of_kind(ProblemKind::TooMany {
                    allowed: model.lines(),
                }));
            }
            let mut lines = Vec::new();
            for (j, l) in p.lines.iter().enumerate() {
                let fields = [
                    (LineKey::Extension, Some(&l.extension)),
                    (LineKey::AuthName, l.auth_name.as_ref()),
                    (LineKey::Password, l.password.as_ref()),
                    (LineKey::DisplayName, l.display_name.as_ref()),
                    (LineKey::ShortName, l.short_name.as_ref()),
                ];
                for (key, value) in fields {
                    let Some(v) = value else { continue };
                    let field = Field::Line {
                        phone: i,
                        line: j,
                        key,
                    };
                    if let Some(p) = field.over_limit(v) {
                        bad(p);
                    } else if let Err(e) = check_cnf_value(key.as_str(), v) {
                        bad(Problem::new(field, e.msg()));
                    }
                }
                lines.push(SipLine {
                    extension: l.extension.clone(),
                    auth_name: l.auth_name.clone(),
                    password: l.password.clone(),
                    display_name: l.display_name.clone(),
                    short_name: l.short_name.clone(),
                });
            }
            if let Some(mac) = mac {
                phones.push((
                    Phone {
                        mac,
                        model,
                        lines,
                        // Filled in below, once the default is known to be good.
                        from: StartLoad::Unknown,
                    },
                    own_from,
                ));
            }
        }
        if c.firmware.is_empty() {
            bad(Problem::new(
                Field::Firmware,
                msg!(
                    "session.no_firmware",
                    "no firmware package listed: add the zip(s) for the target (e.g. P0S3-8-12-00.zip)"
                ),
            )
            .of_kind(ProblemKind::Missing));
        }
        let bind = match self.serve.as_ref().and_then(|s| s.bind.as_deref()) {
            Some(b) => parse_field(Field::ServeBind, b, |b| {
                parse_bind(b).ok_or_else(|| {
                    msg!(
                        "session.bind",
                        "\"{input}\" is not an address: give an IP, optionally with a port (\"192.0.2.5\", \"0.0.0.0:69\")",
                        input = b,
                    )
                })
            })
            .map_err(bad)
            .ok(),
            None => None,
        };
        let (Some(from), Some(to), true) = (from, to, problems.is_empty()) else {
            return Err(problems);
        };
        let phones = phones
            .into_iter()
            .map(|(phone, own)| Phone {
                from: own.unwrap_or_else(|| StartLoad::Load(from.clone())),
                ..phone
            })
            .collect::<Vec<Phone>>();
        let warnings = match &proxy {
            Some(proxy) if to.protocol() == crate::load::Protocol::Sip => {
                unregistered_lines(&phones, proxy)
            }
            _ => vec![],
        };
        Ok(Checked {
            from,
            to,
            default_model,
            firmware: c.firmware.iter().map(|f| self.resolve(f)).collect(),
            safe_route: c.safe_route.unwrap_or(false),
            cucm: c.cucm.unwrap_or(false),
            alias_8_3: c.alias_8_3.unwrap_or(true),
            sip: SipSettings {
                proxy,
                port,
                sntp: sip_section.sntp.filter(|s| !s.trim().is_empty()),
                timezone: sip_section.timezone.filter(|s| !s.trim().is_empty()),
                dialplan: true,
            },
            callmanager,
            phones,
            bind,
            notes,
            warnings,
        })
    }
}

/// The lines that will not register: the phones register with the proxy
/// (`proxy_register: 1`), and a line without a password sends none, so
/// the phone converts and then never registers (issue 21). The field is
/// the line's password; the words name the phone and the line.
fn unregistered_lines(phones: &[Phone], proxy: &str) -> Vec<Problem> {
    let mut warnings = vec![];
    for (i, phone) in phones.iter().enumerate() {
        for (j, line) in phone.lines.iter().enumerate() {
            if line
                .password
                .as_deref()
                .is_some_and(|p| !p.trim().is_empty())
            {
                continue;
            }
            warnings.push(
                Problem::new(
                    Field::Line {
                        phone: i,
                        line: j,
                        key: LineKey::Password,
                    },
                    msg!(
                        "session.line_will_not_register",
                        "line {line} ({extension}) of phone {mac} has no password, but the phones register with the SIP proxy {proxy}: the phone will convert and then not register, unless the proxy asks no password. Give the line's password.",
                        line = j + 1,
                        extension = line.extension,
                        mac = phone.mac.colon().to_uppercase(),
                        proxy = proxy,
                    ),
                )
                .of_kind(ProblemKind::Missing),
            );
        }
    }
    warnings
}

/// A correction made while reading `field`, naming it.
fn field_note(field: &Field, note: Msg) -> Msg {
    msg!("session.note", "{field}: {note}", field = field, note => note)
}

/// `value` read by `parse` when it fits its field (the limit's problem
/// otherwise, so a huge value is never parsed or repeated).
fn parse_field<T>(
    field: Field,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Msg>,
) -> Result<T, Problem> {
    if let Some(p) = field.over_limit(value) {
        return Err(p);
    }
    parse(value).map_err(|e| Problem::new(field, e))
}

/// `[serve] bind`: `"192.0.2.5"` or `"192.0.2.5:69"` (IPv6 as `"[::1]:69"`).
fn parse_bind(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    text.parse::<SocketAddr>().ok().or_else(|| {
        text.parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, TFTP_PORT))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[conversion]
from = "P00308010200"
to = "P0S3-8-12-00"
model = "7960"
firmware = ["P0S3-8-12-00.zip"]
[sip]
proxy = "192.0.2.10"
port = 5060
sntp = "192.0.2.1"
timezone = "CET"
[sccp]
callmanager = "192.0.2.20"
[[phones]]
mac = "00:1e:4a:12:34:56"
model = "7940"
lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]
"#;

    #[test]
    fn the_issue_example_reads_and_checks() {
        let s = Session::from_toml(EXAMPLE).unwrap();
        let c = s.check().unwrap();
        assert_eq!(c.from.to_string(), "P00308010200");
        assert_eq!(c.to.protocol(), Protocol::Sip);
        assert_eq!(c.phones[0].mac.upper(), "001E4A123456");
        assert_eq!(c.phones[0].model, PhoneModel::Cp7940);
        assert_eq!(c.sip.proxy.as_deref(), Some("192.0.2.10"));
        assert_eq!(c.callmanager.as_deref(), Some("192.0.2.20"));
        // Round trip keeps keys and meaning.
        let again = Session::from_toml(&s.to_toml()).unwrap();
        assert_eq!(again, s);
    }

    /// Issue 21: a line with an auth name and no password, registering
    /// with a proxy, is written and never registers: a warning naming the
    /// line, at its password, that does not stop the check.
    #[test]
    fn a_line_that_will_not_register_is_a_warning() {
        let c = Session::from_toml(EXAMPLE).unwrap().check().unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let text = EXAMPLE.replace(
            r#"lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]"#,
            r#"lines = [{ extension = "101", password = "s3cret" }, { extension = "102", auth_name = "u102" }]"#,
        );
        let c = Session::from_toml(&text).unwrap().check().unwrap();
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        let w = &c.warnings[0];
        assert_eq!(w.field.to_string(), "phones[0].lines[1].password");
        assert_eq!(
            w.message.to_string(),
            "line 2 (102) of phone 00:1E:4A:12:34:56 has no password, but the phones register with the SIP proxy 192.0.2.10: the phone will convert and then not register, unless the proxy asks no password. Give the line's password."
        );
        // SCCP lines register nowhere: nothing to warn about.
        let sccp = text.replace("to = \"P0S3-8-12-00\"", "to = \"P00308010200\"");
        let sccp = sccp.replace("from = \"P00308010200\"", "from = \"P0S3-8-12-00\"");
        let c = Session::from_toml(&sccp).unwrap().check().unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let text = r#"
[conversion]
from = "sccp 8.1(2)"
to = "sip 8.12"
firmware = []
[[phones]]
mac = "00:1e:4a:12:3O:56"
[[phones]]
mac = "001E4A123457"
model = "7940"
lines = [{ extension = "1" }, { extension = "2" }, { extension = "3", password = "a\"b" }]
[[phones]]
mac = "00-1e-4a-12-34-57"
"#;
        let problems = Session::from_toml(text).unwrap().check().unwrap_err();
        let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "sip.proxy",
                "phones[0].mac",
                "phones[1].lines",
                "phones[1].lines[2].password",
                "phones[2].mac",
                "conversion.firmware"
            ],
            "{problems:?}"
        );
        assert!(
            problems[1].message.contains("character 14"),
            "{}",
            problems[1]
        );
        assert!(problems[4].message.contains("phones[1]"), "{}", problems[4]);
        assert_eq!(problems[0].kind, ProblemKind::Missing);
        assert_eq!(problems[2].kind, ProblemKind::TooMany { allowed: 2 });
        assert_eq!(problems[4].kind, ProblemKind::Duplicate { of: 1 });
        assert_eq!(problems[1].kind, ProblemKind::Invalid);
        assert_eq!(
            problems[3].field,
            Field::Line {
                phone: 1,
                line: 2,
                key: LineKey::Password
            }
        );
    }

    #[test]
    fn loads_and_bind_are_checked_in_the_same_pass() {
        let text = r#"
[conversion]
from = "P0M3-07-4-00"
to = "POS3-8-12-00"
firmware = ["x.zip"]
[serve]
bind = "tftp.example"
"#;
        let problems = Session::from_toml(text).unwrap().check().unwrap_err();
        let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
        assert_eq!(
            fields,
            ["conversion.from", "sip.proxy", "serve.bind"],
            "{problems:?}"
        );
        assert!(problems[0].message.contains("MGCP"), "{}", problems[0]);
        assert!(
            problems[2].message.contains("0.0.0.0:69"),
            "{}",
            problems[2]
        );

        let text = text
            .replace("P0M3-07-4-00", "sccp 8.1(2)")
            .replace("tftp.example", "192.0.2.5")
            + "[sip]\nproxy = \"192.0.2.10\"\n";
        let checked = Session::from_toml(&text).unwrap().check().unwrap();
        assert_eq!(checked.bind, Some("192.0.2.5:69".parse().unwrap()));
        assert_eq!(checked.to.to_string(), "P0S3-8-12-00");
        assert!(
            checked
                .notes
                .iter()
                .any(|n| n.to_string().starts_with("conversion.to: ") && n.contains("letter O")),
            "{:?}",
            checked.notes
        );
        // An empty load is one problem, not two.
        let problems = Session::from_toml(
            "[conversion]\nfrom = ''\nto = 'sccp 8.1(2)'\nfirmware = ['x.zip']\n",
        )
        .unwrap()
        .check()
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("is empty"), "{}", problems[0]);
    }

    /// Issue 11: a 50 MB display name was written. Every free-text field
    /// has a limit; the message names the field, gives the limit and does
    /// not repeat the value.
    #[test]
    fn over_long_values_are_refused_with_the_limit() {
        let huge = "x".repeat(50 * 1024 * 1024);
        let mut s = Session::from_toml(EXAMPLE).unwrap();
        s.phones[0].lines[0].display_name = Some(huge.clone());
        s.phones[0].lines[0].password = Some("p".repeat(65));
        s.phones[0].lines[0].extension = "1".repeat(64);
        s.sip.as_mut().unwrap().proxy = Some(format!("{}.example", "a".repeat(250)));
        s.sccp.as_mut().unwrap().callmanager = Some("c".repeat(254));
        s.conversion.to = "P0S3-8-12-00".repeat(10);
        s.phones[0].mac = "0".repeat(33);
        let problems = s.check().unwrap_err();
        let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "conversion.to",
                "sip.proxy",
                "sccp.callmanager",
                "phones[0].mac",
                "phones[0].lines[0].password",
                "phones[0].lines[0].display_name",
            ],
            "{problems:?}"
        );
        let limits = [64, 253, 253, 32, 64, 64];
        for (p, max) in problems.iter().zip(limits) {
            assert_eq!(p.kind, ProblemKind::TooLong { max }, "{p}");
            assert!(p.message.contains(&format!("at most {max} fit")), "{p}");
            assert!(
                p.message.to_string().len() < 100,
                "the value is repeated: {}",
                p.message.to_string().len()
            );
        }
        assert!(
            problems[5]
                .message
                .contains(&format!("{} characters", huge.len())),
            "{}",
            problems[5]
        );
        // At the limit is fine.
        let mut s = Session::from_toml(EXAMPLE).unwrap();
        s.phones[0].lines[0].display_name = Some("d".repeat(64));
        s.phones[0].lines[0].short_name = Some("s".repeat(32));
        s.sip.as_mut().unwrap().proxy = Some("p".repeat(253));
        s.check().unwrap();
        s.phones[0].lines[0].short_name = Some("s".repeat(33));
        let problems = s.check().unwrap_err();
        assert_eq!(problems[0].field.max_len(), Some(32), "{problems:?}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = Session::from_toml("[conversion]\nfrom='a'\nto='b'\nfirmwre=[]\n").unwrap_err();
        assert!(e.contains("firmwre"), "{e}");
    }

    #[test]
    fn save_is_atomic_and_keeps_a_backup_of_a_different_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "# mine\n").unwrap();
        let s = Session::from_toml(EXAMPLE).unwrap();
        s.save(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("s.toml.bak")).unwrap(),
            "# mine\n"
        );
        let loaded = Session::load(&path).unwrap();
        assert_eq!(loaded.conversion, s.conversion);
        assert_eq!(loaded.base_dir, dir.path());
        // Saving the same content again leaves the backup alone.
        loaded.save(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("s.toml.bak")).unwrap(),
            "# mine\n"
        );
        assert_eq!(
            loaded.resolve(Path::new("P0S3-8-12-00.zip")),
            dir.path().join("P0S3-8-12-00.zip")
        );
    }
}
