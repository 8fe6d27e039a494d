//! Comparing a stage's files with what the root already holds: what to
//! write, what is already right, and what to move aside and why. Reads the
//! root only; `apply` does the writing.

use std::collections::BTreeSet;
use std::path::Path;

use super::{PlannedMove, StageError, StagePreview, StageWriter, apply, scan};
use crate::load::LoadName;
use crate::msg;
use crate::msg::Msg;
use crate::plan::RemoveKind;

impl StageWriter<'_> {
    /// Compare the planned files with the root: what to write, what is
    /// already right, what to move aside and why. Reads the root only.
    pub fn preview(&self, root: &Path) -> Result<StagePreview, StageError> {
        let (planned, warnings) = self.planned_with_notes()?;
        let allowed: BTreeSet<String> = self.named_images(&planned)?.into_keys().collect();
        let existing = apply::list_root(root)?;
        let stage = self.stage();
        let mut write = Vec::new();
        let mut unchanged = Vec::new();
        let mut moves: Vec<PlannedMove> = Vec::new();
        let planned_names: BTreeSet<String> = planned.iter().map(|w| w.name.clone()).collect();
        let push_move = |name: &str, why: Msg, moves: &mut Vec<PlannedMove>| {
            if !moves.iter().any(|m| m.name == name) {
                moves.push(PlannedMove {
                    name: name.to_string(),
                    why,
                });
            }
        };
        for w in &planned {
            let path = root.join(&w.name);
            if path.is_dir() {
                return Err(StageError::Root {
                    path: root.to_path_buf(),
                    why: msg!(
                        "stage.root.folder_in_way",
                        "a folder named {name} is in the way of the file this stage writes: rename or move that folder",
                        name = w.name,
                    ),
                });
            }
        }
        for w in planned {
            for e in existing.keys() {
                if e != &w.name
                    && e.eq_ignore_ascii_case(&w.name)
                    && !planned_names.contains(e.as_str())
                {
                    push_move(
                        e,
                        msg!(
                            "stage.move.case",
                            "differs only in letter case from {name}, which this stage writes: phones ask for exact names, and a case-insensitive server could serve the wrong one",
                            name = w.name,
                        ),
                        &mut moves,
                    );
                }
            }
            match existing.get(&w.name) {
                None => write.push(w),
                Some(entry) => {
                    // A link, FIFO or device in the way is moved aside
                    // (renamed, never followed or opened), like any other.
                    let why = match entry.not_regular {
                        Some(what) => msg!(
                            "stage.move.not_regular",
                            "{what} in the way of this stage's {name}: moved aside as it is, unread",
                            what => not_regular_words(what),
                            name = w.name,
                        ),
                        None if apply::same_content(&entry.path, &w.source)? => {
                            unchanged.push(w);
                            continue;
                        }
                        None => msg!(
                            "stage.move.replaced",
                            "replaced by this stage's {name} (its content differs)",
                            name = w.name,
                        ),
                    };
                    push_move(&w.name, why, &mut moves);
                    write.push(w);
                }
            }
        }
        let target = self.target();
        for (name, entry) in &existing {
            if planned_names.contains(name) || moves.iter().any(|m| &m.name == name) {
                continue;
            }
            if let Some(r) = stage
                .remove
                .iter()
                .find(|r| removal_applies(r.kind, name, &allowed, &target))
            {
                push_move(name, r.why.clone(), &mut moves);
                continue;
            }
            if let Some(kind) = scan::config_kind(name) {
                // Only a regular file is read: a FIFO would hang us, a link
                // to a device would read without end.
                entry.require_regular()?;
                let Some(bytes) = apply::read_regular(&entry.path, apply::CONFIG_READ_LIMIT)?
                else {
                    push_move(
                        name,
                        msg!(
                            "stage.move.too_large",
                            "is larger than any phone config ({kib} KiB at most), so it was moved aside unread",
                            kib = apply::CONFIG_READ_LIMIT / 1024,
                        ),
                        &mut moves,
                    );
                    continue;
                };
                let other: Vec<String> = scan::named_images(kind, &bytes)
                    .into_iter()
                    .filter(|i| !allowed.contains(i))
                    .collect();
                if !other.is_empty() {
                    push_move(
                        name,
                        msg!(
                            "stage.move.other_image",
                            "names {other} while this stage's files name {target}: a phone reading both could flip between images",
                            other = other.join(", "),
                            target = target,
                        ),
                        &mut moves,
                    );
                }
            }
        }
        Ok(StagePreview {
            stage: self.stage_no,
            stages: self.plan.stages.len(),
            route: self.plan.route.to_string(),
            target,
            write,
            unchanged,
            moves,
            notes: stage
                .notes
                .iter()
                .chain(self.plan.notes.iter())
                .map(|n| n.text.clone())
                .chain(self.session.notes.iter().cloned())
                .chain(warnings)
                .collect(),
            actions: stage.actions.iter().map(|a| a.text.clone()).collect(),
        })
    }
}

/// Whether a planned removal covers an existing file.
fn removal_applies(kind: RemoveKind, name: &str, allowed: &BTreeSet<String>, target: &str) -> bool {
    match kind {
        RemoveKind::SipConfigs => {
            name == "SIPDefault.cnf" || scan::is_per_phone(name, "SIP", ".cnf")
        }
        RemoveKind::SccpXml => {
            name == "XMLDefault.cnf.xml" || scan::is_per_phone(name, "SEP", ".cnf.xml")
        }
        RemoveKind::SepDefault => name == "SEPDefault.cnf",
        RemoveKind::OtherImages => {
            let Some((stem, ext)) = name.rsplit_once('.') else {
                return false;
            };
            crate::firmware::IMAGE_EXTENSIONS.contains(&ext)
                && LoadName::parse(stem).is_ok()
                && stem != target
                && !allowed.contains(stem)
        }
    }
}

/// What [`crate::fsutil::describe_kind`] said, as words of their own.
pub(super) fn not_regular_words(what: &str) -> Msg {
    match what {
        "a folder" => msg!("fs.kind.folder", "a folder"),
        "a symbolic link" => msg!("fs.kind.symlink", "a symbolic link"),
        "a FIFO (named pipe)" => msg!("fs.kind.fifo", "a FIFO (named pipe)"),
        "a device" => msg!("fs.kind.device", "a device"),
        "a socket" => msg!("fs.kind.socket", "a socket"),
        "neither a file nor a folder" => msg!("fs.kind.neither", "neither a file nor a folder"),
        other => Msg::verbatim(other),
    }
}
