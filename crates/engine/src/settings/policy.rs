//! Managed settings: what an organization sets centrally. The names, types and defaults come from one schema
//! (`packaging/policy-schema.toml`, built in) that the Windows, macOS and Linux templates are checked against.
//!
//! Precedence, highest first: managed policy (locked in the UI), the user's own setting, recommended policy (a
//! default the user may change), install-time defaults (the MSI's properties), the built-in default. A policy
//! that is malformed, unknown or of the wrong type is ignored and reported; it never stops the app.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::providers::Provider;
use launcher_core::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyType {
    String,
    Bool,
    Integer,
    List,
}

/// One policy of the schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: PolicyType,
    #[serde(default)]
    pub default: Option<toml::Value>,
    /// A user control exists: managed locks it, recommended pre-fills it. Otherwise only managed counts.
    pub lockable: bool,
    pub description: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub secret: bool,
}

#[derive(Deserialize)]
struct SchemaFile {
    policy: Vec<PolicyDef>,
}

/// The schema as shipped.
pub const SCHEMA: &str = include_str!("../../../../packaging/policy-schema.toml");

/// The policies' names, as the schema (`packaging/policy-schema.toml`) and the admin templates spell them.
pub mod names {
    pub const ALLOWED_PROVIDERS: &str = "AllowedProviders";
    pub const DEFAULT_PROVIDER: &str = "DefaultProvider";
    pub const JOINME_API_KEY: &str = "JoinmeApiKey";
    pub const JOINME_CLIENT_SECRET: &str = "JoinmeClientSecret";
    pub const JOINDIN_API_KEY: &str = "JoindinApiKey";
    pub const MEETING_BOOSTER_SERVER: &str = "MeetingBoosterServer";
    pub const MEETING_BOOSTER_ALLOW_HTTP: &str = "MeetingBoosterAllowHttp";
    pub const CALLBACK_PORT: &str = "CallbackPort";
    pub const PROXY: &str = "Proxy";
    pub const CA_FILE: &str = "CaFile";
    pub const DEMO_MODE_DISABLED: &str = "DemoModeDisabled";
    pub const REMINDERS_ENABLED: &str = "RemindersEnabled";
    pub const REMINDER_LEAD_MINUTES: &str = "ReminderLeadMinutes";
    pub const START_AT_LOGIN: &str = "StartAtLogin";

    /// Every name above, for the check that the schema and this list agree.
    pub const ALL: &[&str] = &[
        ALLOWED_PROVIDERS,
        DEFAULT_PROVIDER,
        JOINME_API_KEY,
        JOINME_CLIENT_SECRET,
        JOINDIN_API_KEY,
        MEETING_BOOSTER_SERVER,
        MEETING_BOOSTER_ALLOW_HTTP,
        CALLBACK_PORT,
        PROXY,
        CA_FILE,
        DEMO_MODE_DISABLED,
        REMINDERS_ENABLED,
        REMINDER_LEAD_MINUTES,
        START_AT_LOGIN,
    ];
}

pub fn schema() -> &'static [PolicyDef] {
    static PARSED: OnceLock<Vec<PolicyDef>> = OnceLock::new();
    PARSED.get_or_init(|| toml::from_str::<SchemaFile>(SCHEMA).expect("the built-in policy schema parses").policy)
}

pub fn def(name: &str) -> Option<&'static PolicyDef> {
    schema().iter().find(|d| d.name == name)
}

/// The settings-file keys a policy governs (`section.key`). Policies without a user control govern none.
pub fn settings_keys(name: &str) -> &'static [&'static str] {
    match name {
        names::DEFAULT_PROVIDER => &["general.default_provider"],
        names::JOINME_API_KEY => &["joinme.api_key"],
        names::JOINDIN_API_KEY => &["joindin.api_key"],
        names::MEETING_BOOSTER_SERVER => &["meetingbooster.server"],
        names::MEETING_BOOSTER_ALLOW_HTTP => &["meetingbooster.allow_http"],
        names::CALLBACK_PORT => &["joinme.callback_port", "joindin.callback_port"],
        names::PROXY => &["network.proxy"],
        names::CA_FILE => &["network.ca_file"],
        names::REMINDERS_ENABLED => &["reminders.enabled"],
        names::REMINDER_LEAD_MINUTES => &["reminders.lead_minutes"],
        names::START_AT_LOGIN => &["desktop.start_at_login"],
        _ => &[],
    }
}

/// Where a policy came from, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Written by the installer (the MSI's public properties).
    Installer,
    Recommended,
    Managed,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Installer => "install-time default",
            Level::Recommended => "recommended",
            Level::Managed => "managed (locked)",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PolicyValue {
    Text(String),
    Bool(bool),
    Integer(i64),
    List(Vec<String>),
}

impl PolicyValue {
    fn to_toml(&self) -> toml::Value {
        match self {
            PolicyValue::Text(s) => toml::Value::String(s.clone()),
            PolicyValue::Bool(b) => toml::Value::Boolean(*b),
            PolicyValue::Integer(i) => toml::Value::Integer(*i),
            PolicyValue::List(items) => toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect()),
        }
    }

    /// For `status` and the settings screen.
    pub fn show(&self) -> String {
        match self {
            PolicyValue::Text(s) => s.clone(),
            PolicyValue::Bool(b) => b.to_string(),
            PolicyValue::Integer(i) => i.to_string(),
            PolicyValue::List(items) => items.join(", "),
        }
    }
}

#[derive(Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub value: PolicyValue,
    pub level: Level,
    /// The file or registry key it was read from.
    pub origin: String,
    pub secret: bool,
}

/// A secret policy's value (a client secret) never prints, not even in a debug log.
impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("name", &self.name)
            .field("value", &self.shown_value())
            .field("level", &self.level)
            .field("origin", &self.origin)
            .finish()
    }
}

impl Policy {
    /// The value as it may be shown: a secret only says that it is set.
    pub fn shown_value(&self) -> String {
        if self.secret { "(set)".to_string() } else { self.value.show() }
    }
}

/// The policies in force on this machine, and what was wrong with the ones that were ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policies {
    by_level: BTreeMap<(String, Level), Policy>,
    pub problems: Vec<String>,
}

/// Checks a value against its definition.
fn validate(def: &PolicyDef, value: &serde_json::Value) -> Result<PolicyValue, String> {
    let allowed = |s: &str| def.values.is_empty() || def.values.iter().any(|v| v == s);
    let expected = |what: &str| format!("{} must be {what}", def.name);
    match (def.kind, value) {
        (PolicyType::String, serde_json::Value::String(s)) if allowed(s) => Ok(PolicyValue::Text(s.clone())),
        (PolicyType::String, serde_json::Value::String(s)) => {
            Err(format!("{}: \"{s}\" is not one of {}", def.name, def.values.join(", ")))
        }
        (PolicyType::String, _) => Err(expected("a string")),
        (PolicyType::Bool, serde_json::Value::Bool(b)) => Ok(PolicyValue::Bool(*b)),
        // The registry has no booleans: REG_DWORD 0/1.
        (PolicyType::Bool, serde_json::Value::Number(n)) if matches!(n.as_i64(), Some(0 | 1)) => {
            Ok(PolicyValue::Bool(n.as_i64() == Some(1)))
        }
        (PolicyType::Bool, _) => Err(expected("true or false")),
        (PolicyType::Integer, serde_json::Value::Number(n)) => {
            let i = n.as_i64().ok_or_else(|| expected("a whole number"))?;
            let (min, max) = (def.min.unwrap_or(i64::MIN), def.max.unwrap_or(i64::MAX));
            if (min..=max).contains(&i) {
                Ok(PolicyValue::Integer(i))
            } else {
                Err(format!("{}: {i} is outside {min}..={max}", def.name))
            }
        }
        (PolicyType::Integer, _) => Err(expected("a whole number")),
        (PolicyType::List, serde_json::Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) if allowed(s) => out.push(s.to_string()),
                    Some(s) => return Err(format!("{}: \"{s}\" is not one of {}", def.name, def.values.join(", "))),
                    None => return Err(expected("a list of strings")),
                }
            }
            Ok(PolicyValue::List(out))
        }
        (PolicyType::List, _) => Err(expected("a list of strings")),
    }
}

impl Policies {
    /// The machine's policies: on Linux the JSON files under `/etc/meeting-launcher/policies/`, on Windows the
    /// registry, on macOS the managed preferences.
    pub fn system() -> Self {
        #[cfg(windows)]
        {
            windows::read()
        }
        #[cfg(target_os = "macos")]
        {
            macos::read()
        }
        #[cfg(not(any(windows, target_os = "macos")))]
        {
            Self::load_dirs(&policy_root())
        }
    }

    /// Reads `{root}/etc/meeting-launcher/policies/{managed,recommended}/*.json`, each directory's files in
    /// name order (a later file wins a conflict).
    pub fn load_dirs(root: &Path) -> Self {
        let mut policies = Self::default();
        let base = root.join("etc/meeting-launcher/policies");
        for (dir, level) in [("recommended", Level::Recommended), ("managed", Level::Managed)] {
            let Ok(entries) = std::fs::read_dir(base.join(dir)) else { continue };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for file in files {
                let origin = file.display().to_string();
                match read_bounded(&file) {
                    Ok(text) => policies.add_file(level, &origin, &text),
                    Err(e) => policies.problems.push(format!("{origin}: ignored, {e}")),
                }
            }
        }
        for problem in &policies.problems {
            tracing::warn!(problem = %problem, "a policy was ignored");
        }
        policies
    }

    /// Adds the policies of one file's text (a JSON object), or says why it was ignored.
    pub fn add_file(&mut self, level: Level, origin: &str, text: &str) {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => self.add_all(level, origin, &map),
            Ok(_) => self.problems.push(format!("{origin}: ignored, it is not a JSON object")),
            Err(e) => self.problems.push(format!("{origin}: ignored, it is not valid JSON ({e})")),
        }
    }

    /// Adds each entry of one source, checking it against the schema.
    pub fn add_all(&mut self, level: Level, origin: &str, map: &serde_json::Map<String, serde_json::Value>) {
        for (name, value) in map {
            let Some(def) = def(name) else {
                self.problems.push(format!("{origin}: {name} is not a Meeting Launcher policy; ignored"));
                continue;
            };
            if level != Level::Managed && !def.lockable {
                self.problems.push(format!("{origin}: {name} counts only as a managed policy; ignored here"));
                continue;
            }
            match validate(def, value) {
                Ok(value) => {
                    let policy =
                        Policy { name: name.clone(), value, level, origin: origin.to_string(), secret: def.secret };
                    self.by_level.insert((name.clone(), level), policy);
                }
                Err(e) => self.problems.push(format!("{origin}: {e}; ignored")),
            }
        }
    }

    /// The strongest value of `name`, if any source sets it.
    pub fn get(&self, name: &str) -> Option<&Policy> {
        [Level::Managed, Level::Recommended, Level::Installer]
            .into_iter()
            .find_map(|l| self.by_level.get(&(name.to_string(), l)))
    }

    pub fn managed(&self, name: &str) -> Option<&PolicyValue> {
        self.by_level.get(&(name.to_string(), Level::Managed)).map(|p| &p.value)
    }

    /// Whether the user's control for `name` is locked.
    pub fn is_locked(&self, name: &str) -> bool {
        self.managed(name).is_some()
    }

    /// Whether the settings-file key (`section.key`) is locked by a managed policy.
    pub fn is_key_locked(&self, key: &str) -> bool {
        schema().iter().any(|d| settings_keys(&d.name).contains(&key) && self.is_locked(&d.name))
    }

    pub fn any_managed(&self) -> bool {
        self.by_level.keys().any(|(_, l)| *l == Level::Managed)
    }

    pub fn is_empty(&self) -> bool {
        self.by_level.is_empty() && self.problems.is_empty()
    }

    /// Every policy in force, strongest source per name, in schema order.
    pub fn in_force(&self) -> Vec<&Policy> {
        schema().iter().filter_map(|d| self.get(&d.name)).collect()
    }

    /// The services users may use (managed only; all by default).
    pub fn allowed_providers(&self) -> Vec<Provider> {
        match self.managed(names::ALLOWED_PROVIDERS) {
            Some(PolicyValue::List(ids)) => {
                Provider::SERVICES.into_iter().filter(|p| ids.iter().any(|i| i == p.id())).collect()
            }
            _ => Provider::SERVICES.to_vec(),
        }
    }

    pub fn demo_disabled(&self) -> bool {
        self.managed(names::DEMO_MODE_DISABLED) == Some(&PolicyValue::Bool(true))
    }

    /// join.me's client secret set by the organization (managed only).
    pub fn joinme_client_secret(&self) -> Option<Secret> {
        match self.managed(names::JOINME_CLIENT_SECRET) {
            Some(PolicyValue::Text(s)) if !s.is_empty() => Some(Secret::new(s.clone())),
            _ => None,
        }
    }

    /// The settings file's table with the policies applied: managed values replace the user's, recommended and
    /// install-time values fill in only what the user left unset.
    pub fn apply(&self, user: &toml::Table) -> toml::Table {
        let mut table = user.clone();
        for def in schema() {
            for key in settings_keys(&def.name) {
                let (section, field) = key.split_once('.').expect("keys are section.field");
                let user_set = user.get(section).and_then(|s| s.as_table()).is_some_and(|s| s.contains_key(field));
                let value = match (self.managed(&def.name), user_set) {
                    (Some(managed), _) => Some(managed),
                    (None, false) => self.get(&def.name).map(|p| &p.value),
                    (None, true) => None,
                };
                if let Some(value) = value {
                    let entry =
                        table.entry(section.to_string()).or_insert_with(|| toml::Value::Table(Default::default()));
                    if let Some(section) = entry.as_table_mut() {
                        section.insert(field.to_string(), value.to_toml());
                    }
                }
            }
        }
        table
    }

    /// The table to save for the user: `edited`, except that locked keys keep what the user's file had.
    pub fn keep_locked(&self, edited: &toml::Table, user: &toml::Table) -> toml::Table {
        let mut out = edited.clone();
        for def in schema().iter().filter(|d| self.is_locked(&d.name)) {
            for key in settings_keys(&def.name) {
                let (section, field) = key.split_once('.').expect("keys are section.field");
                let original = user.get(section).and_then(|s| s.as_table()).and_then(|s| s.get(field)).cloned();
                if let Some(section) = out.get_mut(section).and_then(|s| s.as_table_mut()) {
                    match original {
                        Some(v) => section.insert(field.to_string(), v),
                        None => section.remove(field),
                    };
                }
            }
        }
        out
    }
}

/// The name of the account this process runs as, from the system's user database (not `$USER`).
#[cfg(unix)]
pub fn effective_user_name() -> Option<String> {
    let mut buffer = vec![0u8; 4096];
    // SAFETY: `passwd` is plain data that getpwuid_r fills; `buffer` outlives the call and `pw_name` points into it.
    unsafe {
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let status =
            libc::getpwuid_r(libc::geteuid(), &mut entry, buffer.as_mut_ptr().cast(), buffer.len(), &mut found);
        if status != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr(entry.pw_name).to_str().ok().map(String::from)
    }
}

/// The account's name: Windows has no user database to ask here; `USERNAME` is what the session sets.
#[cfg(not(unix))]
pub fn effective_user_name() -> Option<String> {
    std::env::var("USERNAME").ok()
}

/// The largest policy file read: a policy file is a few lines; anything larger is a mistake, not policies.
const MAX_POLICY_FILE: u64 = 1024 * 1024;

fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| format!("it cannot be read ({e})"))?;
    let mut text = String::new();
    file.take(MAX_POLICY_FILE + 1).read_to_string(&mut text).map_err(|e| format!("it cannot be read ({e})"))?;
    if text.len() as u64 > MAX_POLICY_FILE {
        return Err(format!("it is larger than {} KB", MAX_POLICY_FILE / 1024));
    }
    Ok(text)
}

/// Where the policy directories are found: the file system's root. Debug builds (the tests) may point it
/// elsewhere with `MEETING_LAUNCHER_POLICY_ROOT`; release builds cannot, so a user cannot step around a lock.
#[cfg(not(any(windows, target_os = "macos")))]
fn policy_root() -> PathBuf {
    #[cfg(debug_assertions)]
    if let Some(root) = std::env::var_os("MEETING_LAUNCHER_POLICY_ROOT") {
        return PathBuf::from(root);
    }
    PathBuf::from("/")
}

#[cfg(windows)]
mod windows {
    //! `HKLM\SOFTWARE\Policies\MeetingLauncher` (then HKCU's), its `Recommended` subkey, and the installer's
    //! `HKLM\SOFTWARE\MeetingLauncher`. Lists are subkeys with values "1", "2", … (Chrome's convention).
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};

    use super::{Level, Policies, schema};

    fn read_key(policies: &mut Policies, hive: &RegKey, hive_name: &str, path: &str, level: Level) {
        let Ok(key) = hive.open_subkey(path) else { return };
        let mut map = serde_json::Map::new();
        for def in schema() {
            let value = match def.kind {
                super::PolicyType::List => key.open_subkey(&def.name).ok().map(|list| {
                    let mut items: Vec<(u32, String)> = list
                        .enum_values()
                        .filter_map(|v| v.ok())
                        .filter_map(|(n, _)| Some((n.parse().ok()?, list.get_value::<String, _>(&n).ok()?)))
                        .collect();
                    items.sort();
                    serde_json::Value::from(items.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
                }),
                super::PolicyType::Bool | super::PolicyType::Integer => {
                    key.get_value::<u32, _>(&def.name).ok().map(serde_json::Value::from)
                }
                super::PolicyType::String => key.get_value::<String, _>(&def.name).ok().map(serde_json::Value::from),
            };
            if let Some(value) = value {
                map.insert(def.name.clone(), value);
            }
        }
        policies.add_all(level, &format!("{hive_name}\\{path}"), &map);
    }

    pub fn read() -> Policies {
        let mut policies = Policies::default();
        let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
        let hkcu = RegKey::predef(HKEY_CURRENT_USER);
        read_key(&mut policies, &hklm, "HKLM", r"SOFTWARE\MeetingLauncher", Level::Installer);
        read_key(&mut policies, &hkcu, "HKCU", r"SOFTWARE\Policies\MeetingLauncher\Recommended", Level::Recommended);
        read_key(&mut policies, &hklm, "HKLM", r"SOFTWARE\Policies\MeetingLauncher\Recommended", Level::Recommended);
        read_key(&mut policies, &hkcu, "HKCU", r"SOFTWARE\Policies\MeetingLauncher", Level::Managed);
        // The machine's policy wins over the user's: read last.
        read_key(&mut policies, &hklm, "HKLM", r"SOFTWARE\Policies\MeetingLauncher", Level::Managed);
        policies
    }
}

#[cfg(target_os = "macos")]
mod macos {
    //! A configuration profile's values: "Forced" ones land in the managed preferences of the bundle id (the
    //! per-user file, then the machine's: managed); "Set-Once" ones in the user's own preferences domain
    //! (recommended: the user's settings file still wins).
    use super::{Level, Policies};

    pub fn read() -> Policies {
        let mut policies = Policies::default();
        let id = launcher_core::app::APP_ID;
        // The managed (locked) file is found by the account's name from the system, never from `$USER`, which
        // the user sets: `USER=someone-else` would otherwise read another account's (unlocked) policies.
        let user = super::effective_user_name().unwrap_or_default();
        let home = std::env::var("HOME").unwrap_or_default();
        let sources = [
            (format!("{home}/Library/Preferences/{id}.plist"), Level::Recommended),
            (format!("/Library/Managed Preferences/{user}/{id}.plist"), Level::Managed),
            (format!("/Library/Managed Preferences/{id}.plist"), Level::Managed),
        ];
        for (path, level) in sources {
            let Ok(value) = plist::Value::from_file(&path) else { continue };
            match serde_json::to_value(&value) {
                Ok(serde_json::Value::Object(mut map)) => {
                    // The user's own domain also holds what macOS keeps for any app (window frames…).
                    if level == Level::Recommended {
                        map.retain(|name, _| super::def(name).is_some());
                    }
                    policies.add_all(level, &path, &map)
                }
                _ => policies.problems.push(format!("{path}: ignored, it is not a dictionary of policies")),
            }
        }
        policies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Linux: macOS keeps its users in Directory Services, not /etc/passwd.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_users_name_comes_from_the_system_not_from_user() {
        // The same account the process runs as: the owner of its /proc entry, or of a file it makes.
        let probe = std::env::temp_dir().join(format!("ml-owner-{}", rand::random::<u64>()));
        std::fs::write(&probe, b"").unwrap();
        let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&probe).unwrap());
        let _ = std::fs::remove_file(&probe);
        let name = effective_user_name().expect("the account has a name");
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        let listed = passwd
            .lines()
            .any(|l| l.split(':').next() == Some(name.as_str()) && l.split(':').nth(2) == Some(&uid.to_string()));
        assert!(listed, "{name} is uid {uid} in /etc/passwd");
    }

    #[test]
    fn a_secret_policy_prints_as_set_never_its_value() {
        let root =
            root_with(&[("managed/10.json", r#"{"JoinmeClientSecret": "cs-91be77", "Proxy": "http://p:3128"}"#)]);
        let policies = Policies::load_dirs(&root);
        let shown = format!("{policies:?}");
        assert!(shown.contains("http://p:3128"), "control: other values print: {shown}");
        assert!(!shown.contains("cs-91be77") && shown.contains("(set)"), "{shown}");
    }

    #[test]
    fn the_names_in_code_are_the_schemas_names() {
        let mut in_schema: Vec<&str> = schema().iter().map(|d| d.name.as_str()).collect();
        let mut in_code = names::ALL.to_vec();
        in_schema.sort_unstable();
        in_code.sort_unstable();
        assert_eq!(in_code, in_schema);
    }

    fn root_with(files: &[(&str, &str)]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("ml-policy-{}", rand::random::<u64>()));
        for (path, text) in files {
            let path = root.join("etc/meeting-launcher/policies").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    #[test]
    fn the_schema_and_the_settings_agree() {
        assert!(schema().len() >= 14);
        for def in schema() {
            assert_eq!(
                def.lockable,
                !settings_keys(&def.name).is_empty(),
                "{}: a control exactly when lockable",
                def.name
            );
            if let Some(default) = &def.default {
                let json = serde_json::to_value(default).unwrap();
                assert!(validate(def, &json).is_ok(), "{}: its default fits its type", def.name);
            }
        }
    }

    #[test]
    fn managed_beats_the_user_who_beats_recommended_which_beats_the_default() {
        let root = root_with(&[
            ("managed/10-org.json", r#"{"JoinmeApiKey": "org-key", "AllowedProviders": ["joinme", "joindin"]}"#),
            (
                "recommended/10-org.json",
                r#"{"MeetingBoosterServer": "https://mb.example.com", "Proxy": "http://proxy:3128", "ReminderLeadMinutes": 10}"#,
            ),
        ]);
        let policies = Policies::load_dirs(&root);
        assert!(policies.problems.is_empty(), "{:?}", policies.problems);
        let user: toml::Table =
            "[joinme]\napi_key = \"mine\"\n[network]\nproxy = \"http://mine:8080\"\n".parse().unwrap();
        let applied = policies.apply(&user);
        assert_eq!(applied["joinme"]["api_key"].as_str(), Some("org-key"), "managed wins");
        assert_eq!(applied["network"]["proxy"].as_str(), Some("http://mine:8080"), "the user's own beats recommended");
        assert_eq!(
            applied["meetingbooster"]["server"].as_str(),
            Some("https://mb.example.com"),
            "recommended fills in"
        );
        assert_eq!(applied["reminders"]["lead_minutes"].as_integer(), Some(10));
        assert!(applied.get("joindin").is_none(), "nothing set: the built-in default stays");
        assert!(policies.is_locked("JoinmeApiKey") && policies.is_key_locked("joinme.api_key"));
        assert!(!policies.is_locked("Proxy"));
        assert_eq!(policies.allowed_providers(), vec![Provider::Joinme, Provider::Joindin]);

        // Saving keeps the user's own value under a lock instead of writing the organization's.
        let edited = applied.clone();
        let saved = policies.keep_locked(&edited, &user);
        assert_eq!(saved["joinme"]["api_key"].as_str(), Some("mine"));
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn malformed_unknown_and_mistyped_policies_are_ignored_and_reported() {
        let root = root_with(&[
            ("managed/01-broken.json", "{ not json"),
            ("managed/02-list.json", "[1, 2]"),
            (
                "managed/03-mixed.json",
                r#"{"CallbackPort": "fast", "Colour": "blue", "DemoModeDisabled": true, "DefaultProvider": "zoom"}"#,
            ),
            ("managed/04-later.json", r#"{"CallbackPort": 70000}"#),
            ("recommended/01.json", r#"{"JoinmeClientSecret": "s3cret"}"#),
            ("managed/README.txt", "not a policy"),
        ]);
        let policies = Policies::load_dirs(&root);
        let problems = policies.problems.join("\n");
        assert!(problems.contains("01-broken.json: ignored, it is not valid JSON"), "{problems}");
        assert!(problems.contains("02-list.json: ignored, it is not a JSON object"), "{problems}");
        assert!(problems.contains("CallbackPort must be a whole number"), "{problems}");
        assert!(problems.contains("Colour is not a Meeting Launcher policy"), "{problems}");
        assert!(problems.contains("\"zoom\" is not one of joinme, meetingbooster, joindin"), "{problems}");
        assert!(problems.contains("70000 is outside 0..=65535"), "{problems}");
        assert!(problems.contains("JoinmeClientSecret counts only as a managed policy"), "{problems}");
        assert!(!problems.contains("s3cret"), "a secret is never repeated: {problems}");
        assert!(policies.demo_disabled(), "the good entry of a file with bad ones still counts");
        assert_eq!(policies.in_force().len(), 1);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_secret_policy_is_shown_only_as_set() {
        let mut policies = Policies::default();
        let map = serde_json::json!({"JoinmeClientSecret": "s3cret"});
        policies.add_all(Level::Managed, "test", map.as_object().unwrap());
        assert_eq!(policies.in_force()[0].shown_value(), "(set)");
        assert_eq!(policies.joinme_client_secret().map(|s| s.expose().to_string()), Some("s3cret".into()));
    }
}
