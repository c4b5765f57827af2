//! Where the app keeps its files, from the platform's conventions (XDG on Linux).

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub settings_file: PathBuf,
    /// Non-secret state: the list of signed-in accounts, drafts.
    pub data_dir: PathBuf,
    pub cache_dir: PathBuf,
}

impl Paths {
    /// The platform's directories; `settings_override` replaces the settings file (`--config PATH`).
    pub fn platform(settings_override: Option<PathBuf>) -> Option<Self> {
        let dirs = directories::ProjectDirs::from("", "", "meeting-launcher")?;
        Some(Self {
            settings_file: settings_override.unwrap_or_else(|| dirs.config_dir().join("settings.toml")),
            data_dir: dirs.data_dir().to_path_buf(),
            cache_dir: dirs.cache_dir().to_path_buf(),
        })
    }

    /// Everything under one folder (tests, portable use).
    pub fn under(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            settings_file: root.join("config/settings.toml"),
            data_dir: root.join("data"),
            cache_dir: root.join("cache"),
        }
    }
}
