//! Phone models and MAC addresses: the two facts every per-phone file needs.

use crate::msg;
use crate::msg::Msg;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The phone models this tool converts. They share firmware; they differ in
/// line count and in the tag XMLDefault.cnf.xml uses for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PhoneModel {
    #[serde(rename = "7940")]
    Cp7940,
    #[serde(rename = "7960")]
    Cp7960,
}

impl PhoneModel {
    pub const ALL: [PhoneModel; 2] = [PhoneModel::Cp7940, PhoneModel::Cp7960];

    /// Number of line buttons (7940: 2, 7960: 6).
    pub fn lines(self) -> usize {
        match self {
            PhoneModel::Cp7940 => 2,
            PhoneModel::Cp7960 => 6,
        }
    }

    /// The `model` attribute Cisco uses in `loadInformation` tags.
    pub fn xml_model(self) -> &'static str {
        match self {
            PhoneModel::Cp7940 => "IP Phone 7940",
            PhoneModel::Cp7960 => "IP Phone 7960",
        }
    }

    /// The per-model tag in XMLDefault.cnf.xml (`loadInformation8` for the
    /// 7940, `loadInformation7` for the 7960).
    pub fn load_information_tag(self) -> &'static str {
        match self {
            PhoneModel::Cp7940 => "loadInformation8",
            PhoneModel::Cp7960 => "loadInformation7",
        }
    }

    /// "7940" or "7960".
    pub fn number(self) -> &'static str {
        match self {
            PhoneModel::Cp7940 => "7940",
            PhoneModel::Cp7960 => "7960",
        }
    }
}

impl fmt::Display for PhoneModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.number())
    }
}

impl FromStr for PhoneModel {
    type Err = Msg;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let t = t
            .trim_start_matches("CP-")
            .trim_start_matches("CP")
            .trim_end_matches('G');
        match t {
            "7940" => Ok(PhoneModel::Cp7940),
            "7960" => Ok(PhoneModel::Cp7960),
            _ => Err(crate::msg!(
                "model.unknown",
                "unknown phone model '{input}': expected 7940 or 7960 (the number on the label, e.g. CP-7960G)",
                input = s,
            )),
        }
    }
}

/// A phone's Ethernet address. Parsed from any common spelling
/// (`00:1e:4a:12:34:56`, `00-1E-4A-12-34-56`, `001e.4a12.3456`, `001E4A123456`),
/// written the way Cisco file names need it: 12 upper-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac([u8; 6]);

/// Why a MAC could not be read, with the 1-based position of the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacError {
    #[error("MAC '{input}': character {position} ('{found}') is not a hex digit (0-9, A-F){hint}")]
    BadCharacter {
        input: String,
        position: usize,
        found: char,
        hint: &'static str,
    },
    #[error(
        "MAC '{input}' has {count} hex digits; a MAC has 12 (e.g. 00:1E:4A:12:34:56, printed under the phone)"
    )]
    WrongLength { input: String, count: usize },
}

impl MacError {
    /// The error as words to render in the user's language.
    pub fn message(&self) -> Msg {
        match self {
            MacError::BadCharacter {
                input,
                position,
                found,
                hint,
            } => {
                let text = msg!(
                    "mac.bad_character",
                    "MAC '{input}': character {position} ('{found}') is not a hex digit (0-9, A-F)",
                    input = input,
                    position = position,
                    found = found,
                );
                match *hint {
                    "" => text,
                    h if h.contains("letter O") => msg!(
                        "mac.letter_o",
                        "{text}: the letter O where the digit 0 belongs?",
                        text => text,
                    ),
                    _ => msg!(
                        "mac.letter_i",
                        "{text}: the letter I or l where the digit 1 belongs?",
                        text => text,
                    ),
                }
            }
            MacError::WrongLength { input, count } => msg!(
                "mac.wrong_length",
                "MAC '{input}' has {count} hex digits; a MAC has 12 (e.g. 00:1E:4A:12:34:56, printed under the phone)",
                input = input,
                count = count,
            ),
        }
    }
}

impl Mac {
    pub fn new(bytes: [u8; 6]) -> Self {
        Mac(bytes)
    }

    pub fn bytes(&self) -> [u8; 6] {
        self.0
    }

    /// 12 upper-case hex digits, as in `SEP001E4A123456.cnf.xml`.
    pub fn upper(&self) -> String {
        self.to_string()
    }

    /// 12 lower-case hex digits, as in the 7905/7912-style `gk<mac>` profiles.
    pub fn lower(&self) -> String {
        self.to_string().to_ascii_lowercase()
    }

    /// Colon-separated lower case, the way the session file shows it.
    pub fn colon(&self) -> String {
        self.0
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// Phones as a log line or a listing names them: colon-separated MACs
/// joined by commas, or "no phone listed".
pub fn list_macs(macs: &[Mac]) -> String {
    if macs.is_empty() {
        return "no phone listed".into();
    }
    macs.iter().map(Mac::colon).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl FromStr for Mac {
    type Err = MacError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim();
        let mut digits = Vec::with_capacity(12);
        for (i, c) in trimmed.chars().enumerate() {
            if matches!(c, ':' | '-' | '.' | ' ') {
                continue;
            }
            match c.to_digit(16) {
                Some(d) => digits.push(d as u8),
                None => {
                    let hint = match c {
                        'o' | 'O' => ": the letter O where the digit 0 belongs?",
                        'l' | 'I' | 'i' => ": the letter I or l where the digit 1 belongs?",
                        _ => "",
                    };
                    return Err(MacError::BadCharacter {
                        input: trimmed.to_string(),
                        position: i + 1,
                        found: c,
                        hint,
                    });
                }
            }
        }
        if digits.len() != 12 {
            return Err(MacError::WrongLength {
                input: trimmed.to_string(),
                count: digits.len(),
            });
        }
        let mut bytes = [0u8; 6];
        for (i, pair) in digits.chunks(2).enumerate() {
            bytes[i] = pair[0] << 4 | pair[1];
        }
        Ok(Mac(bytes))
    }
}

impl Serialize for Mac {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.colon())
    }
}

impl<'de> Deserialize<'de> for Mac {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_spellings_agree() {
        for s in [
            "00:1e:4a:12:34:56",
            "00-1E-4A-12-34-56",
            "001e.4a12.3456",
            "001E4A123456",
            " 001e4a123456 ",
        ] {
            assert_eq!(s.parse::<Mac>().unwrap().upper(), "001E4A123456", "{s}");
        }
    }

    #[test]
    fn mac_bad_character_position() {
        let e = "00:1e:4a:12:3O:56".parse::<Mac>().unwrap_err();
        match &e {
            MacError::BadCharacter {
                position, found, ..
            } => {
                assert_eq!((*position, *found), (14, 'O'));
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("letter O"));
        assert!(matches!(
            "001E4A12345".parse::<Mac>(),
            Err(MacError::WrongLength { count: 11, .. })
        ));
    }

    #[test]
    fn model_parsing() {
        assert_eq!(
            "CP-7960G".parse::<PhoneModel>().unwrap(),
            PhoneModel::Cp7960
        );
        assert_eq!("7940".parse::<PhoneModel>().unwrap().lines(), 2);
        assert!("7970".parse::<PhoneModel>().is_err());
    }
}
