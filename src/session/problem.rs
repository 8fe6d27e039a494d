//! What can be wrong with a session: the field a problem belongs to, the
//! problem, and the errors of reading and writing the file.

use std::fmt;
use std::path::PathBuf;

use crate::msg;
use crate::msg::Msg;

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
    pub(super) fn over_limit(self, value: &str) -> Option<Problem> {
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

    pub(super) fn of_kind(mut self, kind: ProblemKind) -> Problem {
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
