//! The names convert79xx gives its own bookkeeping in a stage's folder, in
//! one place: the stage writer makes them, the server never serves them
//! (a backup keeps earlier passwords, the staging folder holds the next
//! stage's, the manifest lists every file).

use std::time::SystemTime;

use crate::clock;
use crate::fsutil::is_temp_name;

/// The manifest: what the last stage wrote, moved and expects.
pub const MANIFEST_NAME: &str = "convert79xx-manifest.json";

/// The hidden folder a stage is written into before it is moved into place
/// (ARCHITECTURE.md, "Stage commit"). It exists only while `prepare` runs,
/// or after one was interrupted (the next run finishes or removes it).
pub const STAGING_DIR: &str = ".convert79xx-staging";

/// The commit record, inside [`STAGING_DIR`]: once it is there, the stage
/// is decided and the next run finishes moving it into place.
pub const JOURNAL_NAME: &str = "convert79xx-journal.json";

/// The lock that keeps two runs out of one folder, inside [`STAGING_DIR`].
pub(super) const LOCK_NAME: &str = "lock";

/// The folder, inside [`STAGING_DIR`], that holds the new stage's files.
pub(super) const NEW_DIR: &str = "new";

/// How backup folders start: `backup-YYYYMMDD-HHMMSS`, `-2`, `-3`... when
/// two runs share a second.
pub const BACKUP_PREFIX: &str = "backup-";

/// The backup folder name for a run started at `now` (before making it
/// unique).
pub fn backup_dir_base(now: SystemTime) -> String {
    format!("{BACKUP_PREFIX}{}", clock::compact(now))
}

/// Whether a name in a stage's folder is convert79xx's own bookkeeping (the
/// manifest, a backup folder, the staging folder, the journal, a temporary
/// file): never served to a phone, whatever its letter case.
pub fn is_bookkeeping_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == MANIFEST_NAME
        || lower == STAGING_DIR
        || lower == JOURNAL_NAME
        || lower.starts_with(BACKUP_PREFIX)
        || is_temp_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bookkeeping_name_in_any_case() {
        for name in [
            MANIFEST_NAME,
            "CONVERT79XX-MANIFEST.JSON",
            STAGING_DIR,
            JOURNAL_NAME,
            "backup-20261126-081500",
            "Backup-20261126-081500-2",
            ".convert79xx-tmp-12-0-SIPDefault.cnf",
        ] {
            assert!(is_bookkeeping_name(name), "{name}");
        }
        for name in ["SIPDefault.cnf", "P0S3-8-12-00.sb2", "OS79XX.TXT"] {
            assert!(!is_bookkeeping_name(name), "{name}");
        }
        assert!(backup_dir_base(SystemTime::UNIX_EPOCH).starts_with(BACKUP_PREFIX));
    }
}
