//! The one rule for which folder may be the TFTP root, for `serve` and
//! for the wizard's Files step before it writes anything (issue 21): not a
//! file, not the whole file system, not a system folder, not a home folder
//! (its dotfiles), not a folder holding a session file. Everything readable
//! in the root can be fetched by anyone on the network.

use std::path::{Path, PathBuf};

use super::ServeError;
use super::service::root_secrets;

/// Why `dir` may not be served (or written for serving), in the words
/// `serve` refuses it with; `None` when it may. A folder that does not
/// exist yet is judged by where it would be (a new folder under `/etc` is
/// refused; a new folder in a home folder is not).
pub fn refuse_folder(dir: &Path) -> Option<ServeError> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Some(ServeError::RootNotFolder {
                root: dir.to_path_buf(),
            });
        }
        _ => {}
    }
    let found = root_secrets(&resolved(dir));
    if found.is_empty() {
        None
    } else {
        Some(ServeError::RootHoldsSecrets {
            root: dir.to_path_buf(),
            found,
        })
    }
}

/// `dir` with its links and `..` resolved as far as it exists, the rest
/// (folders still to be made) appended as given.
fn resolved(dir: &Path) -> PathBuf {
    let given = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Ok(real) = dunce::canonicalize(&given) {
        return real;
    }
    // `..` taken away by the name alone where the folders do not exist
    // (where they do, `canonicalize` below resolves links first).
    let mut absolute = PathBuf::new();
    for part in given.components() {
        match part {
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            std::path::Component::CurDir => {}
            other => absolute.push(other),
        }
    }
    let mut rest = vec![];
    let mut at = absolute.as_path();
    loop {
        if let Ok(real) = dunce::canonicalize(at) {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_system_folders_and_homes_are_refused_new_folders_elsewhere_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_folder(dir.path()).is_none());
        assert!(refuse_folder(&dir.path().join("new/tftp")).is_none());
        let file = dir.path().join("OS79XX.TXT");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(
            refuse_folder(&file),
            Some(ServeError::RootNotFolder { .. })
        ));
        std::fs::write(dir.path().join(".bashrc"), b"").unwrap();
        let e = refuse_folder(dir.path()).expect("dotfiles");
        assert!(e.msg().to_string().contains(".bashrc"), "{}", e.msg());
        // Judged after `..`: the same folder by another name.
        let again = dir.path().join("new/../");
        assert!(refuse_folder(&again).is_some());
        #[cfg(unix)]
        {
            assert!(refuse_folder(Path::new("/etc")).is_some());
            assert!(refuse_folder(Path::new("/etc/not-there/tftp")).is_some());
            assert!(refuse_folder(Path::new("/usr/lib")).is_some());
            assert!(refuse_folder(Path::new("/")).is_some());
        }
    }
}
