//! What a phone's journey tells the user to know or do, as values.
//!
//! A hint is data, not a sentence, so a journey can tell "the same hint
//! again" by its subject ([`Hint::same_subject`]) instead of by matching
//! text, and the wording lives in one place (its `Display`).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::Mac;
use crate::msg;
use crate::msg::Msg;

/// One thing the user should know about a phone, or do for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// A phone the session does not list showed up, and the file of its
    /// own it asked for last (when it asked for one the root lacks).
    UnknownPhone { mac: Mac, asked_for: Option<String> },
    /// A phone the session lists has no `SIP<MAC>.cnf` in the root.
    SipConfigMissing { file: String },
    /// No `SEP<MAC>.cnf.xml` for this phone, although the stage writes
    /// device configs and no `XMLDefault.cnf.xml` catches it.
    DeviceConfigMissing { file: String },
    /// The phone asks for another load's image than the stage installs.
    OtherImage { asked_for: String, installs: String },
    /// The phone asks for an image file the root lacks.
    ImageMissing { asked_for: String },
    /// The phone asks for another file the stage does not provide.
    NotProvided { file: String },
    /// An image transfer stopped part way (no acknowledgement).
    TransferStopped { file: String, bytes: u64 },
    /// The service refused a request (path policy, read-only).
    Refused { file: String, reason: Msg },
    /// The phone asked for the same image file three times without
    /// finishing its stage; `reason` is the likely cause.
    Stuck { file: String, reason: Msg },
}

impl Hint {
    /// Whether `self` and `other` are about the same thing, so a journey
    /// keeps one of them (the newer): a phone is unknown once, whatever
    /// file it asked for last; a file's transfer stops once, whatever the
    /// byte count. Other hints are the same only when equal.
    /// A hint about one request only (a refusal, a file the stage does
    /// not provide): what a flood of bogus names produces, so the first
    /// to go when a journey's hints are full.
    pub fn is_about_one_request(&self) -> bool {
        matches!(self, Hint::Refused { .. } | Hint::NotProvided { .. })
    }

    pub fn same_subject(&self, other: &Hint) -> bool {
        match (self, other) {
            (Hint::UnknownPhone { mac: a, .. }, Hint::UnknownPhone { mac: b, .. }) => a == b,
            (Hint::TransferStopped { file: a, .. }, Hint::TransferStopped { file: b, .. }) => {
                a == b
            }
            (Hint::Stuck { .. }, Hint::Stuck { .. }) => true,
            _ => self == other,
        }
    }
}

impl Hint {
    /// The hint as words to render in the user's language.
    pub fn message(&self) -> Msg {
        match self {
            Hint::UnknownPhone {
                mac,
                asked_for: Some(file),
            } => msg!(
                "hint.unknown_phone_file",
                "unknown phone {mac} asked for {file}: it is not in the session. Add it (MAC {upper}) to the session and write the files again?",
                mac = mac.colon(),
                file = file,
                upper = mac.upper(),
            ),
            Hint::UnknownPhone {
                mac,
                asked_for: None,
            } => msg!(
                "hint.unknown_phone",
                "unknown phone {mac}: it is not in the session. Add it (MAC {upper}) to the session and write the files again?",
                mac = mac.colon(),
                upper = mac.upper(),
            ),
            Hint::SipConfigMissing { file } => msg!(
                "hint.sip_config_missing",
                "{file} is missing: this phone has no SIP config in the root. Write this stage's files again.",
                file = file,
            ),
            Hint::DeviceConfigMissing { file } => msg!(
                "hint.device_config_missing",
                "{file} is missing: the phone will fall back to XMLDefault.cnf.xml if the root has one.",
                file = file,
            ),
            Hint::OtherImage {
                asked_for,
                installs,
            } => msg!(
                "hint.other_image",
                "the phone asks for image {asked_for}, but this stage installs {installs}: its config names another image (check OS79XX.TXT, image_version or loadInformation), or it still runs an older stage.",
                asked_for = asked_for,
                installs = installs,
            ),
            Hint::ImageMissing { asked_for } => msg!(
                "hint.image_missing",
                "the phone asks for image {asked_for}, which is not in the root: add the firmware package that holds it and write the files again.",
                asked_for = asked_for,
            ),
            Hint::NotProvided { file } => msg!(
                "hint.not_provided",
                "the phone asks for {file}, which this stage does not provide.",
                file = file,
            ),
            Hint::TransferStopped { file, bytes } => msg!(
                "hint.transfer_stopped",
                "the transfer of {file} stopped after {bytes} bytes; the phone will retry. If it keeps failing, check the cable and that nothing else answers TFTP on this network.",
                file = file,
                bytes = bytes,
            ),
            Hint::Refused { file, reason } => msg!(
                "hint.refused",
                "refused '{file}': {reason}",
                file = file,
                reason => reason.clone(),
            ),
            Hint::Stuck { reason, .. } => {
                msg!("hint.stuck", "stuck: {reason}", reason => reason.clone())
            }
        }
    }
}

/// In English, as the log and the `--json` summary carry it.
impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message())
    }
}

/// As its sentence: the `--json` summary's `hints` are what a person reads.
impl Serialize for Hint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_subject_one_hint() {
        let mac: Mac = "000E84C060A6".parse().unwrap();
        let unknown = |f: &str| Hint::UnknownPhone {
            mac,
            asked_for: Some(f.into()),
        };
        assert!(unknown("SIP000E84C060A6.cnf").same_subject(&unknown("SEP000E84C060A6.cnf.xml")));
        let other: Mac = "001E4A123456".parse().unwrap();
        assert!(!unknown("a").same_subject(&Hint::UnknownPhone {
            mac: other,
            asked_for: None
        }));
        let stopped = |bytes| Hint::TransferStopped {
            file: "P0S3-8-12-00.sb2".into(),
            bytes,
        };
        assert!(stopped(512).same_subject(&stopped(1024)));
        let missing = |f: &str| Hint::NotProvided { file: f.into() };
        assert!(!missing("a").same_subject(&missing("b")));
        assert_eq!(
            serde_json::to_value(unknown("SIP000E84C060A6.cnf")).unwrap(),
            "unknown phone 00:0e:84:c0:60:a6 asked for SIP000E84C060A6.cnf: it is not in the session. Add it (MAC 000E84C060A6) to the session and write the files again?"
        );
    }
}
