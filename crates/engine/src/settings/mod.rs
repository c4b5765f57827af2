//! The user's settings: which services, which API keys, network options. A TOML file under the platform's
//! config directory (or `--config PATH`). It never holds a secret: secrets live in the OS keychain.

mod paths;
pub mod policy;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use paths::Paths;
pub use policy::Policies;

/// The loopback port registered with join.me and joind.in by default (`http://127.0.0.1:53682/cb/…`).
pub const DEFAULT_CALLBACK_PORT: u16 = 53682;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub general: GeneralSettings,
    pub joinme: JoinmeSettings,
    pub meetingbooster: MeetingBoosterSettings,
    pub joindin: JoindinSettings,
    pub network: NetworkSettings,
    pub reminders: ReminderSettings,
    pub desktop: DesktopSettings,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneralSettings {
    /// The service offered first (signing in, new meetings).
    pub default_provider: Option<crate::providers::Provider>,
    /// Light or dark, or as the desktop is set.
    pub theme: Theme,
    /// The window's language; the system's when unset, or when it names one this version does not speak (a
    /// typo, or a newer version's choice), rather than losing the whole file over it.
    #[serde(deserialize_with = "known_language")]
    pub language: Option<launcher_core::i18n::Language>,
}

fn known_language<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<launcher_core::i18n::Language>, D::Error> {
    use launcher_core::i18n::Language;
    let tag = Option::<String>::deserialize(d)?;
    Ok(tag.and_then(|tag| Language::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))))
}

/// The window's colours: the desktop's choice (followed as it changes), or always light or dark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// In the user's language.
    pub fn name(self) -> String {
        match self {
            Theme::System => launcher_core::t!("theme-system"),
            Theme::Light => launcher_core::t!("theme-light"),
            Theme::Dark => launcher_core::t!("theme-dark"),
        }
    }
}

/// A desktop notification before each meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderSettings {
    pub enabled: bool,
    /// Minutes before the start.
    pub lead_minutes: u32,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self { enabled: true, lead_minutes: 5 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DesktopSettings {
    /// Start hidden in the tray when the user logs in (a per-user autostart entry).
    pub start_at_login: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JoinmeSettings {
    /// The application's API key. With a client secret in the keychain the app uses the authorization code
    /// grant; without one, the implicit grant.
    pub api_key: Option<String>,
    /// The port of the registered callback URL; join.me matches it exactly. 0 lets the system choose (only for
    /// servers that accept any loopback port).
    pub callback_port: u16,
}

impl Default for JoinmeSettings {
    fn default() -> Self {
        Self { api_key: None, callback_port: DEFAULT_CALLBACK_PORT }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingBoosterSettings {
    /// The server root, e.g. `https://meetings.example.com`.
    pub server: Option<String>,
    /// The last user name used, to fill in the form.
    pub username: Option<String>,
    /// Allow a server over plain http. Off: the password would cross the network in the clear.
    pub allow_http: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JoindinSettings {
    /// The consumer key registered on joind.in.
    pub api_key: Option<String>,
    /// The port of the registered callback URL; joind.in matches it exactly.
    pub callback_port: u16,
}

impl Default for JoindinSettings {
    fn default() -> Self {
        Self { api_key: None, callback_port: DEFAULT_CALLBACK_PORT }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkSettings {
    /// A PEM file of extra certificate authorities (a company's TLS inspection), trusted beside the system's.
    pub ca_file: Option<PathBuf>,
    /// A proxy URL for every request; without it the `HTTPS_PROXY`/`NO_PROXY` environment applies.
    pub proxy: Option<String>,
    /// Seconds before a request is given up.
    pub timeout_secs: u64,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self { ca_file: None, proxy: None, timeout_secs: 30 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the settings file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the settings file {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(
        "the settings file {path} contains `{key}`, which looks like a secret; secrets belong in the keychain. \
         Remove the line and run `meeting-launcher secret set …` instead"
    )]
    SecretInFile { path: PathBuf, key: String },
    #[error("cannot write the settings file {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

const SECRET_WORDS: &[&str] = &["secret", "password", "token", "passwd"];

impl Settings {
    /// Reads the file; a missing file is the defaults.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        Self::load_with(path, &Policies::default())
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, SettingsError> {
        Self::from_table(Self::parse_raw(text, path)?, path)
    }

    /// The settings in force: the user's file with the organization's policies applied.
    pub fn load_with(path: &Path, policies: &Policies) -> Result<Self, SettingsError> {
        let raw = Self::read_raw(path)?;
        Self::from_table(policies.apply(&raw), path)
    }

    /// Saves what the user set; keys a policy locks keep the value the user's file had.
    pub fn save_keeping_locked(&self, path: &Path, policies: &Policies) -> Result<(), SettingsError> {
        let user = Self::read_raw(path)?;
        let edited = toml::Table::try_from(self).expect("settings serialize");
        Self::from_table(policies.keep_locked(&edited, &user), path)?.save(path)
    }

    fn read_raw(path: &Path) -> Result<toml::Table, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse_raw(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(toml::Table::new()),
            Err(source) => Err(SettingsError::Read { path: path.into(), source }),
        }
    }

    fn parse_raw(text: &str, path: &Path) -> Result<toml::Table, SettingsError> {
        let raw: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| SettingsError::Invalid { path: path.into(), message: e.to_string() })?;
        if let Some(key) = secret_key(&raw, "") {
            return Err(SettingsError::SecretInFile { path: path.into(), key });
        }
        Ok(raw)
    }

    fn from_table(table: toml::Table, path: &Path) -> Result<Self, SettingsError> {
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| SettingsError::Invalid { path: path.into(), message: e.to_string() })
    }

    /// Writes the file atomically (a temporary file renamed over it), readable by the user only.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let text = toml::to_string_pretty(self).expect("settings serialize");
        launcher_core::fsutil::write_private_atomic(path, text.as_bytes())
            .map_err(|source| SettingsError::Write { path: path.into(), source })
    }
}

fn secret_key(table: &toml::Table, prefix: &str) -> Option<String> {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        let lower = key.to_ascii_lowercase();
        if SECRET_WORDS.iter().any(|w| lower.contains(w)) {
            return Some(full);
        }
        if let toml::Value::Table(inner) = value
            && let Some(found) = secret_key(inner, &full)
        {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy schema (`packaging/policy-schema.toml`) names only settings that exist.
    #[test]
    fn every_governed_key_is_a_setting() {
        // Each governed key exists in the settings file's shape.
        let table = toml::Table::try_from(Settings::default()).unwrap();
        for def in policy::schema() {
            for key in policy::settings_keys(&def.name) {
                let (section, field) = key.split_once('.').unwrap();
                let section = table.get(section).and_then(|s| s.as_table()).unwrap_or_else(|| panic!("{key}"));
                assert!(
                    section.contains_key(field)
                        || matches!(
                            *key,
                            "joinme.api_key"
                                | "joindin.api_key"
                                | "meetingbooster.server"
                                | "network.proxy"
                                | "network.ca_file"
                                | "general.default_provider"
                        ),
                    "{key} is not a setting"
                );
            }
        }
    }

    #[test]
    fn a_language_this_version_does_not_speak_is_unset_and_the_rest_is_kept() {
        let read = |text: &str| toml::from_str::<Settings>(text).unwrap();
        let text = "[general]\nlanguage = \"fr\"\n[meetingbooster]\nserver = \"https://mb.example.com\"\n";
        let settings = read(text);
        assert_eq!(settings.general.language, None);
        assert_eq!(settings.meetingbooster.server.as_deref(), Some("https://mb.example.com"));
        // The control: a language it speaks is read, and written back as it was.
        let german = read("[general]\nlanguage = \"de\"\n");
        assert_eq!(german.general.language, Some(launcher_core::i18n::Language::German));
        assert!(toml::to_string(&german).unwrap().contains("language = \"de\""));
    }

    #[test]
    fn defaults_and_round_trip() {
        let dir = std::env::temp_dir().join(format!("ml-settings-{}", std::process::id()));
        let path = dir.join("settings.toml");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let mut settings = Settings::default();
        settings.meetingbooster.server = Some("https://mb.example.com".into());
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_secret_in_the_file_is_refused_with_a_way_out() {
        let text = "[joinme]\napi_key = \"k\"\nclient_secret = \"s\"\n";
        let err = Settings::parse(text, Path::new("s.toml")).unwrap_err();
        assert!(matches!(&err, SettingsError::SecretInFile { key, .. } if key == "joinme.client_secret"), "{err}");
        assert!(err.to_string().contains("keychain"));
    }

    #[test]
    fn unknown_keys_and_bad_types_are_errors_naming_the_file() {
        let err = Settings::parse("[joinme]\ncallback_port = \"x\"\n", Path::new("s.toml")).unwrap_err();
        assert!(err.to_string().contains("s.toml"));
        assert!(Settings::parse("[jointme]\n", Path::new("s.toml")).is_err());
    }
}
