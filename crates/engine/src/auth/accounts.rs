//! The list of signed-in accounts: who, where, which grant, which scopes. No secrets: those are in the
//! keychain, one entry per account, under the account's key. The list is a file so that a new process knows
//! which keychain entries to read.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::providers::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// join.me: authorization code with PKCE, refreshable.
    AuthorizationCode,
    /// join.me: legacy implicit grant, 24 h, no refresh.
    Implicit,
    /// MeetingBooster or joind.in: user name and password (never stored).
    Password,
    /// joind.in: the website's authorization page, a token that does not expire.
    Browser,
    /// A calendar feed: its private address, kept like a token that does not expire.
    Feed,
}

impl Grant {
    pub fn describe(self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization code (PKCE), refreshable",
            Grant::Implicit => "implicit (legacy): lasts 24 h, then sign in again",
            Grant::Password => "password",
            Grant::Browser => "browser authorization",
            Grant::Feed => "private calendar address",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The keychain entry's name, e.g. `joinme:alex@example.com@secure.join.me`.
    pub key: String,
    pub provider: Provider,
    /// Which server the account belongs to (host, or server URL for MeetingBooster).
    pub realm: String,
    pub user: String,
    pub display_name: String,
    pub grant: Grant,
    pub scopes: Vec<String>,
    pub signed_in_at: DateTime<Utc>,
    /// The user's own addresses where the account needs them: a calendar's attendee whose answer is theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
}

impl AccountRecord {
    /// Whether the sign-in has a refresh token (join.me's code grant, MeetingBooster).
    pub fn refreshable(&self) -> bool {
        matches!(
            (self.provider, self.grant),
            (Provider::Joinme, Grant::AuthorizationCode) | (Provider::Meetingbooster, Grant::Password)
        )
    }

    pub fn key_for(provider: Provider, user: &str, realm: &str) -> String {
        launcher_core::AccountKey::new(provider, user, realm).into()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile {
    #[serde(default, rename = "account")]
    accounts: Vec<AccountRecord>,
}

#[derive(Debug, Clone)]
pub struct AccountIndex {
    path: PathBuf,
    /// What the user should hear about the list (it was damaged and moved aside).
    notices: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl AccountIndex {
    pub fn new(path: PathBuf) -> Self {
        Self { path, notices: Default::default() }
    }

    /// The notices since the last call.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Which version of the list is on disk (its time and length: two writes within the file system's time
    /// resolution rarely keep the length too); `None` when there is none.
    pub fn version(&self) -> Option<(std::time::SystemTime, u64)> {
        std::fs::metadata(&self.path).and_then(|m| Ok((m.modified()?, m.len()))).ok()
    }

    /// The records; a missing file is none. A damaged one is moved aside (`accounts.toml.damaged-<time>`, kept
    /// for the user or a helpdesk to read) and reported, and counts as none: the next sign-in writes a new list
    /// instead of silently writing over the old one.
    pub fn load(&self) -> Vec<AccountRecord> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(_) => return Vec::new(),
        };
        match toml::from_str::<IndexFile>(&text) {
            Ok(file) => file.accounts,
            Err(_) => {
                let aside = self.path.with_extension(format!("toml.damaged-{}", Utc::now().format("%Y%m%dT%H%M%SZ")));
                match std::fs::rename(&self.path, &aside) {
                    Ok(()) => {
                        tracing::warn!(path = %self.path.display(), kept = %aside.display(), "the account list was damaged");
                        self.notices.lock().unwrap_or_else(|e| e.into_inner()).push(format!(
                            "The list of your signed-in accounts was damaged; it is kept as {}. Sign in again to \
                             the accounts it held.",
                            aside.display()
                        ));
                    }
                    Err(e) => tracing::warn!(path = %self.path.display(), error = %e, "the account list is damaged"),
                }
                Vec::new()
            }
        }
    }

    /// Adds or replaces a record. Read, change and write happen under a lock file shared by every process of
    /// this user, so two sign-ins at once (the window and the command line) both end up in the list.
    pub fn upsert(&self, record: &AccountRecord) -> std::io::Result<()> {
        let _turn = self.turn()?;
        let mut accounts = self.load();
        accounts.retain(|r| r.key != record.key);
        accounts.push(record.clone());
        self.save(accounts)
    }

    pub fn remove(&self, key: &str) -> std::io::Result<()> {
        let _turn = self.turn()?;
        let mut accounts = self.load();
        let before = accounts.len();
        accounts.retain(|r| r.key != key);
        if accounts.len() == before { Ok(()) } else { self.save(accounts) }
    }

    /// This process's turn to change the list (a lock on `accounts.toml.lock`, released when dropped). Brief: a
    /// read and a write of a small file.
    fn turn(&self) -> std::io::Result<std::fs::File> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path.with_extension("toml.lock"))?;
        // Held for a read and a write elsewhere: a process that keeps it longer is stuck, not busy.
        let now = std::time::Instant::now();
        let deadline = now.checked_add(std::time::Duration::from_secs(5)).unwrap_or(now);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "another process has held the account list for 5 seconds",
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }

    fn save(&self, accounts: Vec<AccountRecord>) -> std::io::Result<()> {
        let text = toml::to_string_pretty(&IndexFile { accounts }).map_err(std::io::Error::other)?;
        launcher_core::fsutil::write_private_atomic(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_replace_and_remove() {
        let dir = std::env::temp_dir().join(format!("ml-accounts-{}", rand::random::<u32>()));
        let index = AccountIndex::new(dir.join("accounts.toml"));
        assert!(index.load().is_empty());
        let mut record = AccountRecord {
            key: AccountRecord::key_for(Provider::Joinme, "A@x.com", "h"),
            provider: Provider::Joinme,
            realm: "h".into(),
            user: "a@x.com".into(),
            display_name: "A".into(),
            grant: Grant::AuthorizationCode,
            scopes: vec!["user_info".into()],
            signed_in_at: Utc::now(),
            addresses: Vec::new(),
        };
        index.upsert(&record).unwrap();
        record.display_name = "B".into();
        index.upsert(&record).unwrap();
        assert_eq!(index.load(), vec![record.clone()]);
        index.remove(&record.key).unwrap();
        assert!(index.load().is_empty());

        // Two writers at once (threads here, processes in life) both land in the list.
        let writers: Vec<_> = (0..8)
            .map(|n| {
                let (index, mut record) = (index.clone(), record.clone());
                std::thread::spawn(move || {
                    record.key = format!("{}-{n}", record.key);
                    index.upsert(&record).unwrap();
                })
            })
            .collect();
        writers.into_iter().for_each(|w| w.join().unwrap());
        assert_eq!(index.load().len(), 8, "no upsert lost");

        // A damaged list is moved aside, not written over.
        std::fs::write(dir.join("accounts.toml"), "[[account]\nkey = ").unwrap();
        assert!(index.load().is_empty());
        let aside: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("accounts.toml.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "kept aside for the user");
        std::fs::write(dir.join("accounts.toml"), "not [ toml").unwrap();
        assert!(index.load().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
