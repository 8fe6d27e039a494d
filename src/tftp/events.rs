//! What the TFTP service reports: one plain value per thing that happened.
//!
//! These are the only way front ends learn about transfers; they fold them
//! into [`super::Journeys`] or print them (`convert79xx serve --json` prints
//! each as one JSON line, tagged by `event`).

use std::net::SocketAddr;

use serde::Serialize;

use crate::model::Mac;

/// One thing the TFTP service saw. `client` is the phone's "ip:port".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TftpEvent {
    /// The service is bound and serving `root`.
    Listening { addr: SocketAddr, root: String },
    /// A read request for a file that exists; `size` bytes will be sent.
    /// `file` is the name as asked, `served` the name on disk when the two
    /// differ (a leading `./` stripped, or a case-insensitive match).
    Request {
        client: SocketAddr,
        file: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        served: Option<String>,
        size: u64,
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
    /// The transfer ended early. `reason`: `timeout` (no acknowledgement:
    /// the phone went silent or aborted), `disk: …` (the file could not be
    /// read) or `stopped` (the service was shut down).
    Failed {
        client: SocketAddr,
        file: String,
        bytes: u64,
        reason: String,
    },
    /// The file is not in the root. Normal for some files (CTLSEP….tlv).
    NotFound { client: SocketAddr, file: String },
    /// The request was refused by the path policy or because the service is
    /// read-only; `reason` says which rule.
    Denied {
        client: SocketAddr,
        file: String,
        reason: String,
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
        why: String,
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
    /// The phone asked for the same image file three times without
    /// finishing its stage; `reason` is the likely cause.
    Stuck {
        client: SocketAddr,
        mac: Mac,
        file: String,
        reason: String,
    },
    /// Something about serving as a whole the user should know (the
    /// ladder's state could not be saved, …).
    Warning { text: String },
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
            | TftpEvent::StageDone { client, .. }
            | TftpEvent::Stuck { client, .. } => Some(*client),
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
            | TftpEvent::Answered { .. }
            | TftpEvent::StageDone { .. }
            | TftpEvent::Stuck { .. }
            | TftpEvent::Warning { .. } => None,
        }
    }

    /// One JSON object, no newline (the `--json` line format).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_matches_the_serve_contract() {
        let client: SocketAddr = "10.1.1.1:50123".parse().unwrap();
        let e = TftpEvent::Failed {
            client,
            file: "P0S3-8-12-00.sb2".into(),
            bytes: 512,
            reason: "timeout".into(),
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
