//! What the TFTP service reports: one plain value per thing that happened.
//!
//! These are the only way front ends learn about transfers; they fold them
//! into [`Journeys`](crate::phones::Journeys) or print them (`convert79xx serve --json` prints
//! each as one JSON line, tagged by `event`).

use std::net::SocketAddr;

use serde::Serialize;

use crate::model::Mac;
use crate::msg::Msg;

/// One thing the TFTP service saw. `client` is the phone's "ip:port".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TftpEvent {
    /// The service is bound and serving `root`; `how` says in one line
    /// how it bound and whom it answers.
    Listening {
        addr: SocketAddr,
        root: String,
        /// Rendered in the log's language (English in `--json`).
        how: Msg,
    },
    /// A read request for a file that exists; `size` bytes will be sent.
    /// `file` is the name as asked, `served` the name on disk when the two
    /// differ (a leading `./` stripped, or a case-insensitive match).
    Request {
        client: SocketAddr,
        file: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        served: Option<String>,
        size: u64,
        mode: TransferMode,
    },
    /// `bytes` of `size` handed to the network so far (throttled).
    Progress {
        client: SocketAddr,
        file: String,
        bytes: u64,
        size: u64,
    },
    /// Every block was sent and the last one acknowledged.
    Done {
        client: SocketAddr,
        file: String,
        bytes: u64,
    },
    /// The transfer ended early, and why ([`FailReason`]).
    Failed {
        client: SocketAddr,
        file: String,
        bytes: u64,
        reason: FailReason,
    },
    /// The file is not in the root. Normal for some files (CTLSEP….tlv).
    NotFound { client: SocketAddr, file: String },
    /// The request was refused by the path policy or because the service is
    /// read-only; `reason` says which rule.
    Denied {
        client: SocketAddr,
        file: String,
        reason: Msg,
    },
    /// A request named a phone's MAC: from now on `client`'s IP is that phone.
    Phone { client: SocketAddr, mac: Mac },
    /// Per-phone answers: from now on `client` is answered from the files
    /// of stage `stage` of `route`, in `folder` under the root; `why` says
    /// how the phone was placed (or why it could not be). Said when it changes.
    Answered {
        client: SocketAddr,
        #[serde(skip_serializing_if = "Option::is_none")]
        mac: Option<Mac>,
        route: String,
        stage: usize,
        stages: usize,
        folder: String,
        why: Msg,
    },
    /// Per-phone answers: `client` is answered as no phone's, and `why`:
    /// no way to tell which phone it is yet (a file without a MAC in its
    /// name is then sent only where every stage it could be on has the
    /// same), or it named `mac`, a phone bound to another address (the
    /// request counts for no phone). Said once per sender and reason.
    Unplaced {
        client: SocketAddr,
        #[serde(skip_serializing_if = "Option::is_none")]
        mac: Option<Mac>,
        why: Msg,
    },
    /// The phone finished stage `stage` of its route: it fetched the
    /// stage's image completely and came back asking for configs (or its
    /// DHCP vendor class changed). It now runs `load`, and is answered
    /// from its next stage, if any.
    StageDone {
        client: SocketAddr,
        mac: Mac,
        route: String,
        stage: usize,
        stages: usize,
        load: String,
    },
    /// A phone nobody described was recognised (issue 23): its family,
    /// the eras the evidence leaves, its load when a request named it, the
    /// evidence, and the route it takes (empty when none was written for
    /// it: `why` then says so, and it is held).
    Recognised {
        client: SocketAddr,
        mac: Mac,
        family: String,
        eras: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        load: Option<String>,
        evidence: Vec<String>,
        route: String,
        why: Msg,
    },
    /// A phone nobody described is held: what it sent disagrees, or fits
    /// several routes, and it asked again. `question` says what to read on
    /// the phone and where to write the answer.
    Unrecognised {
        client: SocketAddr,
        mac: Mac,
        candidates: Vec<String>,
        question: Msg,
    },
    /// The phone asked for the same image file three times without
    /// finishing its stage; `reason` is the likely cause.
    Stuck {
        client: SocketAddr,
        mac: Mac,
        file: String,
        reason: Msg,
    },
    /// Something about serving as a whole the user should know (the
    /// ladder's state could not be saved, …).
    Warning { text: String },
    /// Datagrams on the TFTP port that started no transfer: malformed,
    /// not a request, or over the cap on transfers (`reason`). Said at most
    /// once per [`REJECTED_EVERY`] per client IP; `count` is how many came
    /// from that IP since the last time (this one included).
    Rejected {
        client: SocketAddr,
        reason: String,
        count: u64,
    },
}

/// Why a transfer ended early: a meaning, with its words beside it. Its
/// text (`Display`, and `reason` in `serve --json`) is the log's:
/// `timeout`, `aborted: …`, `disk: …`, `network: …`, `stopped`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailReason {
    /// No acknowledgement came: the phone went silent (rebooted, unplugged).
    Timeout,
    /// The phone sent an ERROR; its own words, as it sent them.
    Aborted(String),
    /// The file could not be read; the system's words.
    Disk(String),
    /// The transfer's socket failed, or it could not start.
    Network(String),
    /// The service was shut down.
    Stopped,
}

impl FailReason {
    /// The phone itself stopped the transfer (silent, or said so): a
    /// transfer of its image that ends so is worth a hint.
    pub fn phone_stopped(&self) -> bool {
        matches!(self, FailReason::Timeout | FailReason::Aborted(_))
    }

    /// What to do about it, for a person watching the phones (none for
    /// a network failure or a stop, which say enough).
    pub fn advice(&self) -> Option<Msg> {
        Some(match self {
            FailReason::Timeout => crate::msg!(
                "tftp.failed.timeout_advice",
                "The phone stopped answering: it may have rebooted or lost the network. It asks again at its next boot."
            ),
            FailReason::Aborted(_) => crate::msg!(
                "tftp.failed.aborted_advice",
                "The phone cancelled the transfer (its words are in brackets). It asks again at its next boot."
            ),
            FailReason::Disk(_) => crate::msg!(
                "tftp.failed.disk_advice",
                "The file could not be read: write the stage again."
            ),
            FailReason::Network(_) | FailReason::Stopped => return None,
        })
    }
}

impl std::fmt::Display for FailReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailReason::Timeout => f.write_str("timeout"),
            FailReason::Aborted(words) => write!(f, "aborted: {words}"),
            FailReason::Disk(words) => write!(f, "disk: {words}"),
            FailReason::Network(words) => write!(f, "network: {words}"),
            FailReason::Stopped => f.write_str("stopped"),
        }
    }
}

impl Serialize for FailReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Least time between two `rejected` events about one client IP: a flood
/// of junk costs one log line per client, not one per datagram.
pub const REJECTED_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// How a file is sent (RFC 1350): `octet` byte for byte, `netascii` with
/// line ends translated to CR LF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferMode {
    Octet,
    Netascii,
}

impl TftpEvent {
    /// The client the event is about (none for `listening`).
    pub fn client(&self) -> Option<SocketAddr> {
        match self {
            TftpEvent::Listening { .. } | TftpEvent::Warning { .. } => None,
            TftpEvent::Request { client, .. }
            | TftpEvent::Progress { client, .. }
            | TftpEvent::Done { client, .. }
            | TftpEvent::Failed { client, .. }
            | TftpEvent::NotFound { client, .. }
            | TftpEvent::Denied { client, .. }
            | TftpEvent::Phone { client, .. }
            | TftpEvent::Answered { client, .. }
            | TftpEvent::Unplaced { client, .. }
            | TftpEvent::StageDone { client, .. }
            | TftpEvent::Stuck { client, .. }
            | TftpEvent::Recognised { client, .. }
            | TftpEvent::Unrecognised { client, .. }
            | TftpEvent::Rejected { client, .. } => Some(*client),
        }
    }

    /// The file the event is about, as the client asked for it.
    pub fn file(&self) -> Option<&str> {
        match self {
            TftpEvent::Request { file, .. }
            | TftpEvent::Progress { file, .. }
            | TftpEvent::Done { file, .. }
            | TftpEvent::Failed { file, .. }
            | TftpEvent::NotFound { file, .. }
            | TftpEvent::Denied { file, .. } => Some(file),
            TftpEvent::Listening { .. }
            | TftpEvent::Phone { .. }
            | TftpEvent::Rejected { .. }
            | TftpEvent::Answered { .. }
            | TftpEvent::Unplaced { .. }
            | TftpEvent::StageDone { .. }
            | TftpEvent::Stuck { .. }
            | TftpEvent::Recognised { .. }
            | TftpEvent::Unrecognised { .. }
            | TftpEvent::Warning { .. } => None,
        }
    }

    /// One JSON object, no newline (the `--json` line format).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialise")
    }
}

/// Text from the network made safe to print: control characters (a
/// newline that would forge a log line, terminal escapes) as `\xNN`, and
/// the invisible characters that reorder or split a line (bidi overrides
/// and isolates, marks, line separators) as `\u{…}`. Everything else
/// as is (a Windows path keeps its single backslashes).
pub fn log_safe(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(
                c,
                '\u{061C}'
                    | '\u{200E}'
                    | '\u{200F}'
                    | '\u{2028}'
                    | '\u{2029}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            )
    }
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if hidden(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11: a name with a newline and ANSI escapes forged a
    /// "configured" line; bidi overrides reorder what a terminal shows.
    #[test]
    fn log_safe_escapes_what_could_forge_or_reorder_a_line() {
        assert_eq!(log_safe("SIP000E84C060A6.cnf"), "SIP000E84C060A6.cnf");
        assert_eq!(
            log_safe("x\n12:00:00: Phone 00:0e:84:c0:60:a6: configured\x1b[2K"),
            "x\\x0A12:00:00: Phone 00:0e:84:c0:60:a6: configured\\x1B[2K"
        );
        assert_eq!(log_safe("a\u{202E}fdp.exe"), "a\\u{202E}fdp.exe");
        assert_eq!(
            log_safe("\u{2066}x\u{2069}\u{85}"),
            "\\u{2066}x\\u{2069}\\x85"
        );
        assert_eq!(log_safe("C:\\tftp"), "C:\\tftp");
        assert_eq!(log_safe("Nöel ☎"), "Nöel ☎");
    }

    #[test]
    fn json_shape_matches_the_serve_contract() {
        let client: SocketAddr = "10.1.1.1:50123".parse().unwrap();
        let e = TftpEvent::Failed {
            client,
            file: "P0S3-8-12-00.sb2".into(),
            bytes: 512,
            reason: crate::tftp::FailReason::Timeout,
        };
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["event"], "failed");
        assert_eq!(v["client"], "10.1.1.1:50123");
        assert_eq!(v["bytes"], 512);
        assert_eq!(v["reason"], "timeout");
        let p = TftpEvent::Phone {
            client,
            mac: "000E84C060A6".parse().unwrap(),
        };
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["event"], "phone");
        assert_eq!(v["mac"], "00:0e:84:c0:60:a6");
        let n = TftpEvent::NotFound {
            client,
            file: "CTLSEP000E84C060A6.tlv".into(),
        };
        assert!(n.to_json().contains(r#""event":"not_found""#));
    }
}
