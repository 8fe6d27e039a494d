//! Load names and versions (docs/load-names.md). The planner reasons about
//! protocols and versions; files on disk need Cisco's exact spelling. This
//! module turns every spelling a user or a zip may give into both, and
//! decides how Cisco packages each load ([`Layout`]).
//!
//! - [`version`]: `Version` and `VersionReq` (`8.12`, `8.1(2)SR2`, `3.x`);
//! - [`name`]: `LoadName`, Cisco's spelling of one load;
//! - [`spec`]: `LoadSpec`, what a user asks for (a name or a family);
//! - [`layout`]: one image, or descriptor + application + loader.

use std::fmt;

use serde::Serialize;

use crate::msg;
use crate::msg::Msg;

mod layout;
mod name;
mod spec;
mod version;

pub use layout::{Layout, LoadFile, LoadFileRole};
pub use name::LoadName;
pub use spec::LoadSpec;
pub use version::{Version, VersionReq};

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

/// A value plus the corrections made while reading it (shown to the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub value: T,
    pub notes: Vec<Msg>,
}

/// Why a load name or family could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("'{input}': {reason}")]
    Invalid { input: String, reason: Msg },
    #[error(
        "'{input}' is an MGCP load (P0M3…): recognised, but not supported; convert79xx moves phones between SCCP and SIP only"
    )]
    Mgcp { input: String },
}

fn invalid(input: &str, reason: Msg) -> LoadError {
    LoadError::Invalid {
        input: input.trim().to_string(),
        reason,
    }
}

impl LoadError {
    /// The error as words to render in the user's language.
    pub fn message(&self) -> Msg {
        match self {
            LoadError::Invalid { input, reason } => msg!(
                "load.invalid",
                "'{input}': {reason}",
                input = input,
                reason => reason.clone(),
            ),
            LoadError::Mgcp { input } => msg!(
                "load.mgcp",
                "'{input}' is an MGCP load (P0M3…): recognised, but not supported; convert79xx moves phones between SCCP and SIP only",
                input = input,
            ),
        }
    }
}

#[cfg(test)]
mod tests;
