//! What the wizard remembers between runs: the last session's path, the
//! language chosen with the switch, and the TFTP folder. Stored as TOML in the
//! platform's config folder (`directories`), never inside a session.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AppConfig {
    pub last_session: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub tftp_dir: Option<String>,
    /// Where this config lives; `None` keeps it in memory only (tests).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl AppConfig {
    /// The user's config, or an empty one when there is none yet.
    pub fn load_default() -> Self {
        match directories::ProjectDirs::from("", "", "convert79xx") {
            Some(d) => Self::load_from(&d.config_dir().join("wizard.toml")),
            None => Self::default(),
        }
    }

    /// The config stored at `path` (empty if none or unreadable), kept there.
    pub fn load_from(path: &Path) -> Self {
        let mut config = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| toml::from_str::<AppConfig>(&t).ok())
            .unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config
    }

    /// Save if this config has a home; failures are not worth bothering the user.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = toml::to_string_pretty(self) {
            let _ = convert79xx::fsutil::write_atomic(path, text.as_bytes());
        }
    }
}

/// A new folder under the user's documents (or home) for the TFTP root.
pub fn default_tftp_dir() -> PathBuf {
    let base = directories::UserDirs::new()
        .and_then(|u| {
            u.document_dir()
                .map(Path::to_path_buf)
                .or_else(|| Some(u.home_dir().to_path_buf()))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("convert79xx-tftp")
}
