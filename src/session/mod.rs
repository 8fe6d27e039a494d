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

mod check;
mod problem;
#[cfg(test)]
mod tests;

pub use problem::{Field, LineKey, Problem, ProblemKind, SessionError};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{SipLine, SipSettings};
use crate::load::LoadSpec;
use crate::model::{Mac, PhoneModel};
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

/// What a key left out of the session means, in one place (the check,
/// the wizard's empty form and its lenient plan all read these).
/// `[conversion] model`: phones that do not say are 7960s.
pub const DEFAULT_MODEL: PhoneModel = PhoneModel::Cp7960;
/// `[sip] port`.
pub const DEFAULT_SIP_PORT: u16 = 5060;
/// `[conversion] alias_8_3`: R4b serves the SCCP image under an 8.3 alias.
pub const DEFAULT_ALIAS_8_3: bool = true;

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
}
