//! Who the bench server answers: Cisco IP phones, told apart by DHCP option
//! 60 (vendor class), and the session's own phones.
//!
//! docs/boot-sequences.md §8: old images send `Cisco Systems, Inc. IP Phone`
//! followed by a NUL; once the universal loader (or a loader-era image such
//! as SCCP 8.1(2)) runs, they send `Cisco Systems, Inc. IP Phone CP-7960G`
//! (or `CP-7940G`), also with a NUL. So the vendor class also tells which
//! step of a two-stage route a phone is at.

use std::fmt;

use serde::Serialize;

/// What every Cisco IP phone's option 60 starts with.
pub const CISCO_PHONE_CLASS: &str = "Cisco Systems, Inc. IP Phone";

/// Option 60 as a client sent it, trailing NULs dropped, shown as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VendorClass(String);

/// What the vendor class says about the image a phone runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorEra {
    /// `Cisco Systems, Inc. IP Phone` alone: an image from before the loader.
    OldImage,
    /// `Cisco Systems, Inc. IP Phone CP-79x0G`: the loader or a loader-era image.
    LoaderEra,
    /// Not a Cisco phone's class.
    NotCisco,
}

impl VendorClass {
    /// From option 60's bytes. Bytes that are not UTF-8 are shown replaced;
    /// the Cisco test runs on the raw bytes (see [`is_cisco_phone`]).
    pub fn from_bytes(raw: &[u8]) -> Self {
        let text = String::from_utf8_lossy(raw);
        VendorClass(text.trim_end_matches('\0').to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The era the class names (docs/boot-sequences.md §8).
    pub fn era(&self) -> VendorEra {
        match self.0.strip_prefix(CISCO_PHONE_CLASS) {
            None => VendorEra::NotCisco,
            Some("") => VendorEra::OldImage,
            Some(_) => VendorEra::LoaderEra,
        }
    }

    /// Whether the class is a Cisco IP phone's.
    pub fn is_cisco_phone(&self) -> bool {
        self.era() != VendorEra::NotCisco
    }
}

impl fmt::Display for VendorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether raw option 60 bytes are a Cisco IP phone's: they start with
/// [`CISCO_PHONE_CLASS`], with or without a model and a trailing NUL.
pub fn is_cisco_phone(raw: &[u8]) -> bool {
    raw.starts_with(CISCO_PHONE_CLASS.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_eras_with_and_without_nul_are_cisco_phones() {
        for raw in [
            &b"Cisco Systems, Inc. IP Phone"[..],
            b"Cisco Systems, Inc. IP Phone\0",
            b"Cisco Systems, Inc. IP Phone CP-7960G",
            b"Cisco Systems, Inc. IP Phone CP-7940G\0",
        ] {
            assert!(is_cisco_phone(raw), "{raw:?}");
            assert!(VendorClass::from_bytes(raw).is_cisco_phone());
        }
        assert_eq!(
            VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone\0").era(),
            VendorEra::OldImage
        );
        let loader = VendorClass::from_bytes(b"Cisco Systems, Inc. IP Phone CP-7960G\0");
        assert_eq!(loader.era(), VendorEra::LoaderEra);
        assert_eq!(loader.as_str(), "Cisco Systems, Inc. IP Phone CP-7960G");
    }

    #[test]
    fn other_clients_are_not() {
        for raw in [
            &b""[..],
            b"udhcp 1.35.0",
            b"MSFT 5.0",
            b"Cisco Systems, Inc.",
            b"cisco systems, inc. ip phone",
            b"Cisco Systems, Inc. IP Phon",
            b"\0Cisco Systems, Inc. IP Phone",
        ] {
            assert!(!is_cisco_phone(raw), "{raw:?}");
            assert_eq!(VendorClass::from_bytes(raw).era(), VendorEra::NotCisco);
        }
    }
}
