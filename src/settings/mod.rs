//! The user's settings: which services, which API keys, network options. A TOML file under the platform's
//! config directory (or `--config PATH`). It never holds a secret: secrets live in the OS keychain.

mod paths;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use paths::Paths;

/// The loopback port registered with join.me and joind.in by default (`http://127.0.0.1:53682/cb/…`).
pub const DEFAULT_CALLBACK_PORT: u16 = 53682;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub joinme: JoinmeSettings,
    pub meetingbooster: MeetingBoosterSettings,
    pub joindin: JoindinSettings,
    pub network: NetworkSettings,
    pub reminders: ReminderSettings,
    pub desktop: DesktopSettings,
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
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(SettingsError::Read { path: path.into(), source });
            }
        };
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let raw: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| SettingsError::Invalid { path: path.into(), message: e.to_string() })?;
        if let Some(key) = secret_key(&raw, "") {
            return Err(SettingsError::SecretInFile { path: path.into(), key });
        }
        toml::from_str(text).map_err(|e| SettingsError::Invalid { path: path.into(), message: e.to_string() })
    }

    /// Writes the file atomically (a temporary file renamed over it), readable by the user only.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let text = toml::to_string_pretty(self).expect("settings serialize");
        crate::fsutil::write_private_atomic(path, text.as_bytes())
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
