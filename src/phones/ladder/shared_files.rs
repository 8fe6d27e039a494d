//! A file with no MAC in its name (OS79XX.TXT, SIPDefault.cnf,
//! XMLDefault.cnf.xml, an image) asked for by an address that is no
//! phone's yet (issue 20): it is sent only when every stage the asker
//! could be on would send the same bytes. Otherwise a phone might read
//! another route's file and take that route; "not found" makes it go on
//! and name its MAC in its next request.
//!
//! The files are opened as the server opens them (the path policy, beneath
//! the root's handle) and compared byte for byte; the verdict is kept
//! while every file keeps its size and modification time.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use crate::tftp::policy::{Resolution, Root};

/// Verdicts kept; beyond, all are forgotten (a flood of invented names).
const MAX_VERDICTS: usize = 256;

/// What one stage would answer: nothing, or a file of this size and age.
type Seen = Option<(u64, Option<SystemTime>)>;

#[derive(Debug, Default)]
pub(super) struct SharedFiles {
    root: Option<Root>,
    verdicts: HashMap<(String, Vec<String>), (Vec<Seen>, bool)>,
}

impl SharedFiles {
    /// Whether `name` is the same in every one of `folders` (all missing
    /// counts as the same: each would answer "not found").
    pub fn same(&mut self, root: &Path, folders: &[String], name: &str) -> bool {
        if folders.len() < 2 {
            return true;
        }
        if self.root.is_none() {
            self.root = Root::open(root).ok();
        }
        let Some(dir) = &self.root else {
            return false;
        };
        let mut files = Vec::new();
        let mut seen = Vec::new();
        for folder in folders {
            match dir.open_file(&format!("{folder}/{name}")) {
                Resolution::Found(f) => {
                    let modified = f.file.metadata().and_then(|m| m.modified()).ok();
                    seen.push(Some((f.len, modified)));
                    files.push(Some(f));
                }
                Resolution::NotFound => {
                    seen.push(None);
                    files.push(None);
                }
                // A name the policy refuses is refused wherever it is asked.
                Resolution::Denied(_) => return true,
                // Cannot be compared now: not sent (and not remembered).
                Resolution::OutOfDescriptors => return false,
            }
        }
        let key = (name.to_ascii_lowercase(), folders.to_vec());
        if let Some((was, verdict)) = self.verdicts.get(&key)
            && *was == seen
        {
            return *verdict;
        }
        let verdict = if seen.iter().all(Option::is_none) {
            true
        } else if seen.iter().any(Option::is_none)
            || seen
                .windows(2)
                .any(|w| w[0].map(|s| s.0) != w[1].map(|s| s.0))
        {
            false
        } else {
            let mut contents = files.into_iter().flatten().map(|f| {
                let mut bytes = Vec::with_capacity(usize::try_from(f.len).unwrap_or(0));
                f.file
                    .take(crate::tftp::MAX_FILE_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map(|_| bytes)
                    .ok()
            });
            let first = contents.next().flatten();
            first.is_some() && contents.all(|c| c == first)
        };
        if self.verdicts.len() >= MAX_VERDICTS {
            self.verdicts.clear();
        }
        self.verdicts.insert(key, (seen, verdict));
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_everywhere_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, os, xml) in [("a", "P003-8-12-00", "x"), ("b", "P0S3-8-12-00", "x")] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join("OS79XX.TXT"), os).unwrap();
            std::fs::write(dir.path().join(folder).join("XMLDefault.cnf.xml"), xml).unwrap();
        }
        std::fs::write(dir.path().join("a/only-a.bin"), "1").unwrap();
        let both = ["a".to_string(), "b".to_string()];
        let mut s = SharedFiles::default();
        assert!(
            !s.same(dir.path(), &both, "OS79XX.TXT"),
            "same size, other bytes"
        );
        assert!(s.same(dir.path(), &both, "XMLDefault.cnf.xml"));
        assert!(
            s.same(dir.path(), &both, "xmldefault.CNF.xml"),
            "case ignored as served"
        );
        assert!(
            !s.same(dir.path(), &both, "only-a.bin"),
            "one has it, one not"
        );
        assert!(s.same(dir.path(), &both, "nowhere.txt"));
        assert!(s.same(dir.path(), &both[..1], "OS79XX.TXT"), "one stage");
        // A rewrite is seen.
        std::fs::write(dir.path().join("b/XMLDefault.cnf.xml"), "y").unwrap();
        assert!(!s.same(dir.path(), &both, "XMLDefault.cnf.xml"));
    }
}
