//! What the user types into the wizard, kept as text while it is edited, and
//! the session it makes (the TOML file the commands read too). The form
//! checks only what typing needs (the SIP port is a number); everything else
//! is the core's one check of that session ([`SessionView`]), each problem
//! at its field, so each step can mark the exact field that is wrong. The
//! phones CSV is `csv.rs`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use convert79xx::model::{Mac, PhoneModel};
use convert79xx::msg;
use convert79xx::msg::Msg;
use convert79xx::session::{
    Checked, DEFAULT_ALIAS_8_3, DEFAULT_MODEL, DEFAULT_SIP_PORT, Field, LineEntry, PhoneEntry,
    Problem, SccpSection, Session, SipSection,
};

/// Which way the phones go; chosen on step 1 and checked against the loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    SccpToSip,
    SipToSccp,
    SameProtocol,
}

/// The whole editable session, kept as text while it is typed. It is a view
/// of the session it was opened from (`origin`): [`Form::to_session`]
/// patches that session with what was changed here, so keys the form does
/// not show (`short_name`, `[serve] bind`, a model spelled `CP-7960G`)
/// survive Save, and an unchanged form saves the same file.
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
    /// Absolute paths (resolved against the session's folder).
    pub firmware: Vec<PathBuf>,
    pub sip: SipForm,
    pub callmanager: String,
    pub phones: Vec<PhoneForm>,
    /// The session this form was opened from (an empty one for a new form).
    pub origin: Session,
    /// The wizard's TFTP folder when a session without `tftp_root` was
    /// opened: kept out of the file unless the user picks another.
    pub tftp_at_open: Option<PathBuf>,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_session(&Session::default()).0
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
            port: DEFAULT_SIP_PORT.to_string(),
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
    /// The entry this row was read from, patched on save.
    pub origin: Option<PhoneEntry>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineForm {
    pub extension: String,
    pub auth_name: String,
    pub password: String,
    pub display_name: String,
    /// The entry this row was read from, patched on save.
    pub origin: Option<LineEntry>,
}

impl LineForm {
    /// A row without an extension is not a line yet: the session leaves it out.
    pub fn is_line(&self) -> bool {
        !self.extension.trim().is_empty()
    }

    /// A new line with these values (no entry behind it).
    pub fn typed(extension: &str, auth_name: &str, password: &str, display_name: &str) -> Self {
        LineForm {
            extension: extension.into(),
            auth_name: auth_name.into(),
            password: password.into(),
            display_name: display_name.into(),
            origin: None,
        }
    }

    fn from_entry(l: &LineEntry) -> Self {
        LineForm {
            extension: l.extension.clone(),
            auth_name: l.auth_name.clone().unwrap_or_default(),
            password: l.password.clone().unwrap_or_default(),
            display_name: l.display_name.clone().unwrap_or_default(),
            origin: Some(l.clone()),
        }
    }

    /// The entry: the one read, with the fields typed differently replaced.
    fn to_entry(&self) -> LineEntry {
        let mut e = self.origin.clone().unwrap_or_default();
        let was = LineForm::from_entry(&e);
        if self.extension != was.extension {
            e.extension = self.extension.trim().to_owned();
        }
        if self.auth_name != was.auth_name {
            e.auth_name = non_empty(&self.auth_name);
        }
        if self.password != was.password {
            // a password is taken as typed, spaces included
            e.password = (!self.password.is_empty()).then(|| self.password.clone());
        }
        if self.display_name != was.display_name {
            e.display_name = non_empty(&self.display_name);
        }
        e
    }
}

impl PhoneForm {
    pub fn new(mac: Mac) -> Self {
        Self {
            mac: mac.colon().to_uppercase(),
            model: None,
            from: String::new(),
            lines: vec![LineForm::default()],
            origin: None,
        }
    }

    fn from_entry(p: &PhoneEntry) -> Self {
        PhoneForm {
            mac: p.mac.clone(),
            model: p
                .model
                .as_deref()
                .and_then(|m| PhoneModel::from_str(m).ok()),
            from: p.from.clone().unwrap_or_default(),
            lines: p.lines.iter().map(LineForm::from_entry).collect(),
            origin: Some(p.clone()),
        }
    }

    fn to_entry(&self) -> PhoneEntry {
        let mut e = self.origin.clone().unwrap_or_default();
        let was = PhoneForm::from_entry(&e);
        if self.mac != was.mac {
            e.mac = self.mac.trim().to_owned();
        }
        if self.model != was.model {
            e.model = self.model.map(|m| m.number().to_owned());
        }
        if self.from != was.from {
            e.from = non_empty(&self.from);
        }
        e.lines = self
            .lines
            .iter()
            .filter(|l| l.is_line())
            .map(LineForm::to_entry)
            .collect();
        e
    }
}

// ---------------------------------------------------------------------------
// what typing needs; everything else is the core's check

/// A field problem, in words the view renders.
pub type FieldError = Msg;

/// The SIP port must be a number before it can be a session value.
pub fn check_port(text: &str) -> Option<FieldError> {
    match text.trim().parse::<u16>() {
        Ok(p) if p > 0 => None,
        _ => Some(msg!("gui.form.port_range", "A port from 1 to 65535.")),
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

/// The session a form makes, read once by the core's check: what every
/// step validates against and every comparison of phones uses. Rebuilt
/// only when the form changes (`App::refresh_session`).
#[derive(Clone, Debug, Default)]
pub struct SessionView {
    pub session: Session,
    /// The checked values, when the session has no problem.
    pub checked: Option<Checked>,
    /// The core's problems, lines numbered as in the form (the session
    /// leaves out rows that are not lines yet).
    pub problems: Vec<Problem>,
    /// Each form phone's MAC, parsed (`None`: not a MAC).
    pub macs: Vec<Option<Mac>>,
    /// The SIP port as typed is not a port.
    pub port_error: Option<FieldError>,
}

impl SessionView {
    pub fn of(form: &Form, session: Session) -> SessionView {
        let (checked, mut problems) = match session.check() {
            Ok(c) => (Some(c), Vec::new()),
            Err(p) => (None, p),
        };
        for p in &mut problems {
            if let Field::Line { phone, line, .. } = &mut p.field
                && let Some(form_line) = form.phones.get(*phone).and_then(|ph| {
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
        let macs = form
            .phones
            .iter()
            .map(|p| Mac::from_str(&p.mac).ok())
            .collect();
        SessionView {
            session,
            checked,
            problems,
            macs,
            port_error: check_port(&form.sip.port),
        }
    }

    /// Are all fields of step 4 valid? (`to_sip`: the SIP settings count.)
    pub fn phones_valid(&self, to_sip: bool) -> bool {
        (!to_sip || self.port_error.is_none())
            && !self
                .problems
                .iter()
                .any(|p| on_phones_step(p.field, to_sip))
    }
}

impl Form {
    /// Add phones for every MAC in `text` (any separators); returns how many
    /// were added and the first bad entry. A MAC already in the table, in
    /// any spelling, is not added again.
    pub fn paste_macs(&mut self, text: &str) -> (usize, Option<convert79xx::msg::Msg>) {
        let mut have = self.macs();
        let mut added = 0;
        let mut first_error = None;
        for token in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
            if token.is_empty() {
                continue;
            }
            match check_mac(token) {
                Ok(mac) => {
                    if !have.contains(&Some(mac)) {
                        self.phones.push(PhoneForm::new(mac));
                        have.push(Some(mac));
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

    /// Each phone's MAC, parsed (`None`: not a MAC).
    pub fn macs(&self) -> Vec<Option<Mac>> {
        self.phones
            .iter()
            .map(|p| Mac::from_str(&p.mac).ok())
            .collect()
    }
}

pub fn check_mac(text: &str) -> Result<Mac, convert79xx::msg::Msg> {
    Mac::from_str(text).map_err(|e| e.message())
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

/// How to write `path` into a session saved in `base`: as the origin spelled
/// it when that still names the same file from there, else relative to
/// `base` when it is inside it, else absolute.
fn spell(path: &Path, spelled: &[&PathBuf], origin: &Session, base: &Path) -> PathBuf {
    spelled
        .iter()
        .find(|e| origin.resolve(e) == path && (e.is_absolute() || base.join(e) == path))
        .map(|e| e.to_path_buf())
        .unwrap_or_else(|| relative(path, base))
}

impl Form {
    /// The session for this form, saved in `base` (the session file's
    /// folder): the session it was opened from, with every value typed
    /// differently replaced. Lines without an extension are not lines yet
    /// and are left out.
    pub fn to_session(&self, base: &Path, tftp_root: Option<&Path>) -> Session {
        let origin = &self.origin;
        let (was, _) = Form::from_session(origin);
        let mut s = origin.clone();
        s.base_dir = base.to_path_buf();
        let c = &mut s.conversion;
        if self.from != was.from {
            c.from = self.from.trim().to_owned();
        }
        if self.to != was.to {
            c.to = self.to.trim().to_owned();
        }
        if self.model != was.model {
            c.model = Some(self.model.number().to_owned());
        }
        let spelled: Vec<&PathBuf> = origin.conversion.firmware.iter().collect();
        c.firmware = self
            .firmware
            .iter()
            .map(|p| spell(p, &spelled, origin, base))
            .collect();
        if self.safe_route != was.safe_route {
            c.safe_route = self.safe_route.then_some(true);
        }
        if self.cucm != was.cucm {
            c.cucm = self.cucm.then_some(true);
        }
        if self.alias_8_3 != was.alias_8_3 {
            c.alias_8_3 = (!self.alias_8_3).then_some(false);
        }
        c.tftp_root = match (tftp_root, &origin.conversion.tftp_root) {
            (None, _) => None,
            (Some(root), None) if self.tftp_at_open.as_deref() == Some(root) => None,
            (Some(root), spelled) => Some(spell(
                root,
                &spelled.iter().collect::<Vec<_>>(),
                origin,
                base,
            )),
        };
        if self.sip != was.sip {
            let mut sip = origin.sip.clone().unwrap_or_default();
            if self.sip.proxy != was.sip.proxy {
                sip.proxy = non_empty(&self.sip.proxy);
            }
            if self.sip.port != was.sip.port {
                sip.port = self.sip.port.trim().parse().ok();
            }
            if self.sip.sntp != was.sip.sntp {
                sip.sntp = non_empty(&self.sip.sntp);
            }
            if self.sip.timezone != was.sip.timezone {
                sip.timezone = non_empty(&self.sip.timezone);
            }
            s.sip = (sip != SipSection::default()).then_some(sip);
        }
        if self.callmanager != was.callmanager {
            let mut sccp = origin.sccp.clone().unwrap_or_default();
            sccp.callmanager = non_empty(&self.callmanager);
            s.sccp = (sccp != SccpSection::default()).then_some(sccp);
        }
        s.phones = self.phones.iter().map(PhoneForm::to_entry).collect();
        s
    }

    /// The form for a loaded session (paths resolved against its folder),
    /// and its TFTP root if it names one.
    pub fn from_session(s: &Session) -> (Form, Option<PathBuf>) {
        let c = &s.conversion;
        let model = c
            .model
            .as_deref()
            .and_then(|m| PhoneModel::from_str(m).ok())
            .unwrap_or(DEFAULT_MODEL);
        let sip = s.sip.clone().unwrap_or_default();
        let mut form = Form {
            direction: Direction::default(),
            from: c.from.clone(),
            to: c.to.clone(),
            model,
            cucm: c.cucm.unwrap_or(false),
            safe_route: c.safe_route.unwrap_or(false),
            alias_8_3: c.alias_8_3.unwrap_or(DEFAULT_ALIAS_8_3),
            firmware: c.firmware.iter().map(|p| s.resolve(p)).collect(),
            sip: SipForm {
                proxy: sip.proxy.unwrap_or_default(),
                port: sip.port.unwrap_or(DEFAULT_SIP_PORT).to_string(),
                sntp: sip.sntp.unwrap_or_default(),
                timezone: sip.timezone.unwrap_or_default(),
            },
            callmanager: s
                .sccp
                .as_ref()
                .and_then(|c| c.callmanager.clone())
                .unwrap_or_default(),
            phones: s.phones.iter().map(PhoneForm::from_entry).collect(),
            origin: s.clone(),
            tftp_at_open: None,
        };
        form.direction = guess_direction(&form.from, &form.to);
        (form, c.tftp_root.as_ref().map(|p| s.resolve(p)))
    }
}

/// Whether a load text names a SIP load, as the core reads it (`None`
/// while it is not a load yet). The universal loader `P003-x-y-zz` is SIP.
pub fn protocol_hint(text: &str) -> Option<bool> {
    super::view_model::parse_load(text)
        .ok()
        .map(|load| load.is_sip)
}

pub fn guess_direction(from: &str, to: &str) -> Direction {
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
        f.phones[0].lines[0] = LineForm::typed("101", "101", "s3cret", "Reception");
        f.phones[1].model = Some(PhoneModel::Cp7940);
        f.phones[1].lines[0].extension = "102".into();
        f.phones[2].lines[0].extension = "103".into();
        f
    }

    fn view(f: &Form) -> SessionView {
        SessionView::of(f, f.to_session(Path::new("/s"), None))
    }

    #[test]
    fn session_round_trip_keeps_keys_and_relative_paths() {
        let f = sample();
        let session = f.to_session(Path::new("/s"), Some(Path::new("/s/tftp")));
        let text = session.to_toml();
        assert!(text.contains("[conversion]"), "{text}");
        assert!(text.contains("firmware = [\"P0S3-8-12-00.zip\"]"), "{text}");
        assert!(text.contains("tftp_root = \"tftp\""), "{text}");
        assert!(text.contains("proxy = \"192.0.2.10\""), "{text}");
        assert!(text.contains("[[phones]]"), "{text}");
        let mut read = Session::from_toml(&text).unwrap();
        read.base_dir = PathBuf::from("/s");
        let (back, root) = Form::from_session(&read);
        assert_eq!(
            back.to_session(Path::new("/s"), root.as_deref()),
            read,
            "an unchanged form saves the session it read"
        );
        assert_eq!(back.phones.len(), 3);
        assert_eq!(back.direction, Direction::SccpToSip);
        assert_eq!(root, Some(PathBuf::from("/s/tftp")));
    }

    /// Keys the form does not show survive; an edit changes only its key.
    #[test]
    fn the_form_patches_the_session_it_was_opened_from() {
        let text = r#"[conversion]
from = "sccp 8.1(2)"
to = "P0S3-8-12-00"
model = "CP-7960G"
firmware = ["../fw/P0S3-8-12-00.zip"]

[sip]
proxy = "192.0.2.10"

[serve]
bind = "192.0.2.5:69"

[[phones]]
mac = "0012.D9AB.CDEF"
lines = [{ extension = "alice", password = "old", short_name = "Al" }]
"#;
        let mut read = Session::from_toml(text).unwrap();
        read.base_dir = PathBuf::from("/s/a");
        let (mut f, root) = Form::from_session(&read);
        assert_eq!(root, None);
        let unchanged = f.to_session(Path::new("/s/a"), None);
        assert_eq!(unchanged.to_toml(), read.to_toml());
        // saved elsewhere, the firmware path still names the same file
        let moved = f.to_session(Path::new("/s/b"), None);
        assert_eq!(
            moved.conversion.firmware,
            [PathBuf::from("/s/a/../fw/P0S3-8-12-00.zip")]
        );
        f.phones[0].lines[0].password = "new".into();
        let edited = f.to_session(Path::new("/s/a"), None).to_toml();
        assert_eq!(edited, read.to_toml().replace("\"old\"", "\"new\""));
        assert!(edited.contains("short_name = \"Al\""), "{edited}");
        assert!(edited.contains("bind = \"192.0.2.5:69\""), "{edited}");
        assert!(edited.contains("model = \"CP-7960G\""), "{edited}");
        // the core accepts `alice` as an extension, and so does the wizard
        assert!(view(&f).phones_valid(true), "{:?}", view(&f).problems);
    }

    #[test]
    fn paste_reports_the_bad_mac_and_skips_duplicates() {
        let mut f = sample();
        let (n, err) = f.paste_macs("00-1E-4A-12-34-56 00:1e:4a:12:34:5O");
        assert_eq!(n, 0, "the same MAC in another spelling is not added");
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
        assert!(view(&f).problems.is_empty(), "{:?}", view(&f).problems);
        f.phones[2].mac = f.phones[0].mac.clone();
        f.phones[1].lines.insert(0, LineForm::default());
        f.phones[1]
            .lines
            .push(LineForm::typed("104", "", "a\"b", ""));
        let v = view(&f);
        let fields: Vec<Field> = v.problems.iter().map(|p| p.field).collect();
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
            "{:?}",
            v.problems
        );
        assert!(!v.phones_valid(true));
        assert_eq!(v.macs[2], v.macs[0]);
        // A field only step 4 of the other protocol shows does not hold it.
        let mut g = sample();
        g.callmanager = "cm;1".into();
        assert!(view(&g).phones_valid(true));
    }

    #[test]
    fn field_checks() {
        assert!(check_port("0").is_some());
        assert!(check_port("5060").is_none());
        let mut f = sample();
        assert!(view(&f).phones_valid(true));
        f.sip.port = "50x".into();
        assert!(!view(&f).phones_valid(true));
        f.sip.port = "5060".into();
        f.sip.proxy = "pbx local".into();
        let v = view(&f);
        assert!(!v.phones_valid(true));
        let at_proxy = v.problems.iter().filter(|p| p.field == Field::SipProxy);
        assert_eq!(at_proxy.count(), 1, "{:?}", v.problems);
    }
}
