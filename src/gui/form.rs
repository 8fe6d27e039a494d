//! What the user types into the wizard, kept as text while it is edited, and
//! the session it makes (the TOML file the commands read too). The form
//! checks only what typing needs (a number, digits, a host); everything else
//! is the core's check of that session, each problem at its field, so each
//! step can mark the exact field that is wrong. The phones CSV is `csv.rs`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use convert79xx::model::{Mac, PhoneModel};
use convert79xx::session::{
    Conversion, Field, LineEntry, PhoneEntry, Problem, SccpSection, Session, SipSection,
};
use serde::{Deserialize, Serialize};

/// Which way the phones go; chosen on step 1 and checked against the loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    SccpToSip,
    SipToSccp,
    SameProtocol,
}

/// The whole editable session.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub direction: Direction,
    pub from: String,
    pub to: String,
    pub model: PhoneModel,
    /// Phones managed by CUCM 5.x/6.x: the route is a checklist, no files.
    pub cucm: bool,
    /// Take the two-stage safe route where the planner offers one.
    pub safe_route: bool,
    /// Serve an SCCP image under an 8.3 alias to SIP 2.1 and earlier.
    pub alias_8_3: bool,
    pub firmware: Vec<PathBuf>,
    pub sip: SipForm,
    pub callmanager: String,
    pub phones: Vec<PhoneForm>,
}

impl Default for Form {
    fn default() -> Self {
        Self {
            direction: Direction::default(),
            from: String::new(),
            to: String::new(),
            model: PhoneModel::Cp7960,
            cucm: false,
            safe_route: false,
            alias_8_3: true,
            firmware: Vec::new(),
            sip: SipForm::default(),
            callmanager: String::new(),
            phones: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SipForm {
    pub proxy: String,
    pub port: String,
    pub sntp: String,
    pub timezone: String,
}

impl Default for SipForm {
    fn default() -> Self {
        Self {
            proxy: String::new(),
            port: "5060".into(),
            sntp: String::new(),
            timezone: String::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneForm {
    pub mac: String,
    /// `None`: the session's default model.
    pub model: Option<PhoneModel>,
    /// The load this phone runs now when it is not step 1's (a mixed
    /// fleet); empty: step 1's.
    pub from: String,
    pub lines: Vec<LineForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub extension: String,
    #[serde(default)]
    pub auth_name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub display_name: String,
}

impl LineForm {
    /// A row without an extension is not a line yet: the session leaves it out.
    pub fn is_line(&self) -> bool {
        !self.extension.trim().is_empty()
    }
}

impl PhoneForm {
    pub fn new(mac: Mac) -> Self {
        Self {
            mac: mac.colon().to_uppercase(),
            model: None,
            from: String::new(),
            lines: vec![LineForm::default()],
        }
    }
}

// ---------------------------------------------------------------------------
// validation

/// A field problem, as an English message the view translates.
pub type FieldError = &'static str;

pub fn check_mac(text: &str) -> Result<Mac, String> {
    Mac::from_str(text).map_err(|e| e.to_string())
}

pub fn check_extension(text: &str) -> Option<FieldError> {
    (text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()))
        .then_some("Digits only, e.g. 101.")
}

/// A host name or address: what the phone can reach. Empty passes when optional.
pub fn check_host(text: &str, optional: bool) -> Option<FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return (!optional).then_some("A host name or an IP address, without spaces.");
    }
    let ok = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
    (!ok).then_some("A host name or an IP address, without spaces.")
}

pub fn check_port(text: &str) -> Option<FieldError> {
    match text.trim().parse::<u16>() {
        Ok(p) if p > 0 => None,
        _ => Some("A port from 1 to 65535."),
    }
}

/// Whether step 4 shows the field (the SIP settings for a SIP target, the
/// CallManager address for an SCCP one).
pub fn on_phones_step(field: Field, to_sip: bool) -> bool {
    match field {
        Field::PhoneMac(_)
        | Field::PhoneModel(_)
        | Field::PhoneFrom(_)
        | Field::PhoneLines(_)
        | Field::Line { .. } => true,
        Field::SipProxy | Field::SipPort | Field::SipSntp | Field::SipTimezone => to_sip,
        Field::CallManager => !to_sip,
        Field::From | Field::To | Field::Model | Field::Firmware | Field::ServeBind => false,
    }
}

impl Form {
    /// Are all fields of step 4 valid? (`to_sip`: SIP fields are required.)
    /// The form's own checks of what is typed (digits, a port, a host), and
    /// the core's check of the session (MACs, each phone once, no more lines
    /// than the model has, values a config file can hold, a SIP proxy).
    pub fn phones_valid(&self, to_sip: bool) -> bool {
        let typed = if to_sip {
            self.phones.iter().all(|p| {
                p.lines
                    .iter()
                    .all(|l| check_extension(&l.extension).is_none())
            }) && check_host(&self.sip.proxy, false).is_none()
                && check_port(&self.sip.port).is_none()
                && check_host(&self.sip.sntp, true).is_none()
        } else {
            check_host(&self.callmanager, true).is_none()
        };
        typed
            && !self
                .problems()
                .iter()
                .any(|p| on_phones_step(p.field, to_sip))
    }

    /// The core's check of the session this form makes, each problem at
    /// its field, with lines numbered as in the form (the session leaves
    /// out lines that are not lines yet).
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = super::core::check(self);
        for p in &mut problems {
            if let Field::Line { phone, line, .. } = &mut p.field
                && let Some(form_line) = self.phones.get(*phone).and_then(|ph| {
                    ph.lines
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.is_line())
                        .nth(*line)
                        .map(|(i, _)| i)
                })
            {
                *line = form_line;
            }
        }
        problems
    }

    /// Add phones for every MAC in `text` (any separators); returns how many
    /// were added and the first bad entry.
    pub fn paste_macs(&mut self, text: &str) -> (usize, Option<String>) {
        let mut added = 0;
        let mut first_error = None;
        for token in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
            if token.is_empty() {
                continue;
            }
            match check_mac(token) {
                Ok(mac) => {
                    if !self.has_mac(mac) {
                        self.phones.push(PhoneForm::new(mac));
                        added += 1;
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        (added, first_error)
    }

    pub fn has_mac(&self, mac: Mac) -> bool {
        self.phones
            .iter()
            .any(|p| check_mac(&p.mac).ok() == Some(mac))
    }
}

// ---------------------------------------------------------------------------
// the core's session (the same TOML file the commands read)

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn relative(p: &Path, base: &Path) -> PathBuf {
    p.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

impl Form {
    /// The session for this form; paths under `base` (the session file's
    /// folder) are written relative to it. Lines without an extension are
    /// not lines yet and are left out.
    pub fn to_session(&self, base: &Path, tftp_root: Option<&Path>) -> Session {
        Session {
            conversion: Conversion {
                from: self.from.trim().to_owned(),
                to: self.to.trim().to_owned(),
                model: Some(self.model.number().to_owned()),
                firmware: self.firmware.iter().map(|p| relative(p, base)).collect(),
                safe_route: self.safe_route.then_some(true),
                cucm: self.cucm.then_some(true),
                alias_8_3: (!self.alias_8_3).then_some(false),
                tftp_root: tftp_root.map(|p| relative(p, base)),
            },
            sip: non_empty(&self.sip.proxy).map(|proxy| SipSection {
                proxy: Some(proxy),
                port: self.sip.port.trim().parse().ok(),
                sntp: non_empty(&self.sip.sntp),
                timezone: non_empty(&self.sip.timezone),
            }),
            sccp: non_empty(&self.callmanager).map(|cm| SccpSection {
                callmanager: Some(cm),
            }),
            serve: None,
            phones: self
                .phones
                .iter()
                .map(|p| PhoneEntry {
                    mac: p.mac.trim().to_owned(),
                    model: p.model.map(|m| m.number().to_owned()),
                    from: non_empty(&p.from),
                    lines: p
                        .lines
                        .iter()
                        .filter(|l| l.is_line())
                        .map(|l| LineEntry {
                            extension: l.extension.trim().to_owned(),
                            auth_name: non_empty(&l.auth_name),
                            password: (!l.password.is_empty()).then(|| l.password.clone()),
                            display_name: non_empty(&l.display_name),
                            ..LineEntry::default()
                        })
                        .collect(),
                })
                .collect(),
            base_dir: base.to_path_buf(),
        }
    }

    /// The form for a loaded session (paths resolved against its folder),
    /// and its TFTP root if it names one.
    pub fn from_session(s: &Session) -> (Form, Option<PathBuf>) {
        let c = &s.conversion;
        let model = c
            .model
            .as_deref()
            .and_then(|m| PhoneModel::from_str(m).ok())
            .unwrap_or(PhoneModel::Cp7960);
        let sip = s.sip.clone().unwrap_or_default();
        let mut form = Form {
            direction: Direction::default(),
            from: c.from.clone(),
            to: c.to.clone(),
            model,
            cucm: c.cucm.unwrap_or(false),
            safe_route: c.safe_route.unwrap_or(false),
            alias_8_3: c.alias_8_3.unwrap_or(true),
            firmware: c.firmware.iter().map(|p| s.resolve(p)).collect(),
            sip: SipForm {
                proxy: sip.proxy.unwrap_or_default(),
                port: sip.port.unwrap_or(5060).to_string(),
                sntp: sip.sntp.unwrap_or_default(),
                timezone: sip.timezone.unwrap_or_default(),
            },
            callmanager: s
                .sccp
                .as_ref()
                .and_then(|c| c.callmanager.clone())
                .unwrap_or_default(),
            phones: s
                .phones
                .iter()
                .map(|p| PhoneForm {
                    mac: p.mac.clone(),
                    model: p
                        .model
                        .as_deref()
                        .and_then(|m| PhoneModel::from_str(m).ok()),
                    from: p.from.clone().unwrap_or_default(),
                    lines: p
                        .lines
                        .iter()
                        .map(|l| LineForm {
                            extension: l.extension.clone(),
                            auth_name: l.auth_name.clone().unwrap_or_default(),
                            password: l.password.clone().unwrap_or_default(),
                            display_name: l.display_name.clone().unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect(),
        };
        form.direction = guess_direction(&form.from, &form.to);
        (form, c.tftp_root.as_ref().map(|p| s.resolve(p)))
    }
}

/// Whether a load text names a SIP load, as the core reads it (`None`
/// while it is not a load yet). The universal loader `P003-x-y-zz` is SIP.
pub fn protocol_hint(text: &str) -> Option<bool> {
    super::core::parse_load(text).ok().map(|load| load.is_sip)
}

fn guess_direction(from: &str, to: &str) -> Direction {
    match (protocol_hint(from), protocol_hint(to)) {
        (Some(false), Some(true)) => Direction::SccpToSip,
        (Some(true), Some(false)) => Direction::SipToSccp,
        (Some(a), Some(b)) if a == b => Direction::SameProtocol,
        _ => Direction::SccpToSip,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Three phones, SCCP 8.1(2) to SIP 8.12, every field valid.
    pub(in crate::gui) fn sample() -> Form {
        let mut f = Form {
            from: "P00308010200".into(),
            to: "P0S3-8-12-00".into(),
            firmware: vec![PathBuf::from("/s/P0S3-8-12-00.zip")],
            ..Form::default()
        };
        f.sip.proxy = "192.0.2.10".into();
        f.sip.sntp = "192.0.2.1".into();
        f.paste_macs("00:1e:4a:12:34:56\n001E.4A12.3457, 001e4a123458");
        f.phones[0].lines[0] = LineForm {
            extension: "101".into(),
            auth_name: "101".into(),
            password: "s3cret".into(),
            display_name: "Reception".into(),
        };
        f.phones[1].model = Some(PhoneModel::Cp7940);
        f.phones[1].lines[0].extension = "102".into();
        f.phones[2].lines[0].extension = "103".into();
        f
    }

    #[test]
    fn session_round_trip_keeps_keys_and_relative_paths() {
        let f = sample();
        let text = f
            .to_session(Path::new("/s"), Some(Path::new("/s/tftp")))
            .to_toml();
        assert!(text.contains("[conversion]"), "{text}");
        assert!(text.contains("firmware = [\"P0S3-8-12-00.zip\"]"), "{text}");
        assert!(text.contains("tftp_root = \"tftp\""), "{text}");
        assert!(text.contains("proxy = \"192.0.2.10\""), "{text}");
        assert!(text.contains("[[phones]]"), "{text}");
        let mut session = Session::from_toml(&text).unwrap();
        session.base_dir = PathBuf::from("/s");
        let (back, root) = Form::from_session(&session);
        assert_eq!(back, f);
        assert_eq!(back.direction, Direction::SccpToSip);
        assert_eq!(root, Some(PathBuf::from("/s/tftp")));
    }

    #[test]
    fn paste_reports_the_bad_mac_and_skips_duplicates() {
        let mut f = sample();
        let (n, err) = f.paste_macs("00:1e:4a:12:34:56 00:1e:4a:12:34:5O");
        assert_eq!(n, 0);
        assert!(err.unwrap().contains("letter O"));
    }

    #[test]
    fn the_protocol_is_the_cores() {
        // The universal loader carries the SCCP-style prefix but is SIP.
        assert_eq!(protocol_hint("P003-8-12-00"), Some(true));
        assert_eq!(protocol_hint("POS3-07-4-00"), Some(true));
        assert_eq!(protocol_hint("sccp 8.1(2)"), Some(false));
        assert_eq!(protocol_hint("P00308010200"), Some(false));
        assert_eq!(protocol_hint("banana"), None);
        assert_eq!(
            guess_direction("P0S3-8-12-00", "P003-8-12-00"),
            Direction::SameProtocol
        );
    }

    /// The phones step asks the core, and finds each problem at its field
    /// (lines numbered as in the table, empty rows included).
    #[test]
    fn the_cores_problems_land_on_their_fields() {
        let mut f = sample();
        assert!(f.problems().is_empty(), "{:?}", f.problems());
        f.phones[2].mac = f.phones[0].mac.clone();
        f.phones[1].lines.insert(0, LineForm::default());
        f.phones[1].lines.push(LineForm {
            extension: "104".into(),
            password: "a\"b".into(),
            ..LineForm::default()
        });
        let problems = f.problems();
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::Line {
                    phone: 1,
                    line: 2,
                    key: convert79xx::session::LineKey::Password
                },
                Field::PhoneMac(2),
            ],
            "{problems:?}"
        );
        assert!(!f.phones_valid(true));
        // A field only step 4 of the other protocol shows does not hold it.
        let mut g = sample();
        g.callmanager = "cm;1".into();
        assert!(g.phones_valid(true));
    }

    #[test]
    fn field_checks() {
        assert!(check_extension("101").is_none());
        assert!(check_extension("10a").is_some());
        assert!(check_port("0").is_some());
        assert!(check_port("5060").is_none());
        assert!(check_host("pbx.local", false).is_none());
        assert!(check_host("pbx local", false).is_some());
        assert!(check_host("", true).is_none());
        let mut f = sample();
        assert!(f.phones_valid(true));
        f.phones[1].lines[0].extension = "x".into();
        assert!(!f.phones_valid(true));
    }
}
