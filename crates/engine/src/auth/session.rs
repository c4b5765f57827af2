//! One signed-in account in memory: its record, its access token, its refresh token, and what is wrong with it
//! if anything. Also the clock expiry is judged by, and how a secret is written to the keychain.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::accounts::AccountRecord;
use super::keychain::Storage;
use crate::providers::ProviderError;
use launcher_core::secret::Secret;

#[derive(Debug, Clone)]
pub struct Access {
    pub token: Secret,
    /// `None`: the token does not expire (joind.in).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Access {
    /// Fresh enough to use: refresh a little early (a quarter of the lifetime at most, a minute at least).
    pub fn usable(&self, now: DateTime<Utc>, issued: Option<DateTime<Utc>>) -> bool {
        let Some(expires) = self.expires_at else { return true };
        let lifetime = issued.map(|i| expires.signed_duration_since(i)).unwrap_or(Duration::hours(1));
        let margin = Duration::seconds(60).min(lifetime.checked_div(4).unwrap_or_default());
        now < launcher_core::timefmt::earlier(expires, margin)
    }
}

#[derive(Debug)]
pub struct Session {
    pub record: AccountRecord,
    pub access: Option<Access>,
    pub issued_at: Option<DateTime<Utc>>,
    pub refresh: Option<Secret>,
    /// The last access token a service refused: never taken back from the keychain.
    pub rejected: Option<Secret>,
    pub storage: Storage,
    pub last_refresh: Option<DateTime<Utc>>,
    /// Set when the sign-in is no longer usable; cleared only by signing in again.
    pub problem: Option<ProviderError>,
}

impl Session {
    pub fn refreshable(&self) -> bool {
        self.record.refreshable()
    }

    /// The access token a keychain entry holds, unless a service already refused it here.
    pub fn stored_access(&self, entry: &StoredSecret) -> Option<Access> {
        entry.access().filter(|a| self.rejected.as_ref() != Some(&a.token))
    }

    /// Takes `access`, found in the keychain entry `entry`, as this session's.
    pub fn take_stored(&mut self, access: Access, entry: &StoredSecret) {
        self.access = Some(access);
        self.issued_at = entry.issued_at;
    }

    pub fn status(&self) -> AccountStatus {
        AccountStatus {
            record: self.record.clone(),
            expires_at: self.access.as_ref().and_then(|a| a.expires_at),
            has_access_token: self.access.is_some(),
            storage: self.storage.clone(),
            last_refresh: self.last_refresh,
            problem: self.problem.clone(),
        }
    }
}

/// What the UI and `status` show of an account. Never a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountStatus {
    pub record: AccountRecord,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether an access token is held now (a restored session has the one its keychain entry kept, if any).
    pub has_access_token: bool,
    pub storage: Storage,
    pub last_refresh: Option<DateTime<Utc>>,
    pub problem: Option<ProviderError>,
}

impl AccountStatus {
    pub fn key(&self) -> &str {
        &self.record.key
    }

    pub fn signed_in(&self) -> bool {
        self.problem.is_none()
    }

    /// What may be shown of a calendar's address: its host and where the address is kept
    /// ("calendar.google.com … saved in the keychain"), never the address.
    pub fn feed_shown(&self) -> String {
        let kept = match &self.storage {
            Storage::Keychain => "saved in the keychain".to_string(),
            other => format!("kept in {}", other.describe()),
        };
        format!("{} … {kept}", self.record.realm)
    }
}

/// What one keychain entry holds: the refresh token where there is one, and the access token with its expiry,
/// so that the next process (a `start` from a script, the app after a restart) uses it while it lasts instead of
/// refreshing first. Entries written before the access token was kept hold only the refresh token.
#[derive(Default, Serialize, Deserialize)]
pub struct StoredSecret {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the access token was issued: how early it is refreshed depends on its lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<DateTime<Utc>>,
}

/// Says which parts are there, never what they are.
impl std::fmt::Debug for StoredSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = |v: &Option<String>| if v.is_some() { "<redacted>" } else { "none" };
        f.debug_struct("StoredSecret")
            .field("refresh_token", &held(&self.refresh_token))
            .field("access_token", &held(&self.access_token))
            .field("expires_at", &self.expires_at)
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

impl StoredSecret {
    pub fn of(session: &Session) -> Self {
        let access = session.access.as_ref();
        Self {
            refresh_token: session.refresh.as_ref().filter(|_| session.refreshable()).map(|r| r.expose().to_string()),
            access_token: access.map(|a| a.token.expose().to_string()),
            expires_at: access.and_then(|a| a.expires_at),
            issued_at: access.and(session.issued_at),
        }
    }

    /// The access token it holds, with its expiry.
    pub fn access(&self) -> Option<Access> {
        let token = self.access_token.as_ref()?;
        Some(Access { token: Secret::new(token.as_str()), expires_at: self.expires_at })
    }

    pub fn encode(&self) -> Secret {
        Secret::new(serde_json::to_string(self).expect("serializes"))
    }

    pub fn decode(secret: &Secret) -> Option<Self> {
        serde_json::from_str(secret.expose()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keychain_entry_prints_without_its_tokens() {
        let entry = StoredSecret {
            refresh_token: Some("rt-8f2a1c9e77".into()),
            access_token: Some("at-5d4e3f2a11".into()),
            expires_at: None,
            issued_at: None,
        };
        let shown = format!("{entry:?}");
        assert!(shown.contains("refresh_token: \"<redacted>\""), "control: it says what is there: {shown}");
        assert!(!shown.contains("rt-8f2a1c9e77") && !shown.contains("at-5d4e3f2a11"), "{shown}");
    }
}
