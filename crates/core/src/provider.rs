//! The three services, calendar feeds, and the key that names one account of one of them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Joinme,
    Meetingbooster,
    Joindin,
    /// A calendar's private iCalendar address (Google, Outlook, Fastmail…): read-only.
    Calendar,
}

impl Provider {
    /// The services one signs in to (a calendar feed is added, not signed in to).
    pub const SERVICES: [Provider; 3] = [Provider::Joinme, Provider::Meetingbooster, Provider::Joindin];

    /// The name users know.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Joinme => "join.me",
            Provider::Meetingbooster => "MeetingBooster",
            Provider::Joindin => "joind.in",
            Provider::Calendar => "Calendar",
        }
    }

    /// The service with this short id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::SERVICES.into_iter().chain([Provider::Calendar]).find(|p| p.id() == id)
    }

    /// The short id used in commands and keychain entries.
    pub fn id(self) -> &'static str {
        match self {
            Provider::Joinme => "joinme",
            Provider::Meetingbooster => "meetingbooster",
            Provider::Joindin => "joindin",
            Provider::Calendar => "calendar",
        }
    }

    /// Whether the app makes, changes and deletes meetings there (joind.in's events are made on its website; a
    /// calendar feed is read-only).
    pub fn can_schedule(self) -> bool {
        matches!(self, Provider::Joinme | Provider::Meetingbooster)
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One account: its service, the user (lower-cased) and the service's realm (host, and path for a self-hosted
/// server), as `provider:user@realm`. The keychain entry and the accounts list are keyed by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountKey {
    key: String,
    provider: Provider,
}

/// A string that is not `provider:…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnAccountKey(pub String);

impl std::fmt::Display for NotAnAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\" does not name an account (joinme:…, meetingbooster:…, joindin:… or calendar:…)", self.0)
    }
}

impl std::error::Error for NotAnAccountKey {}

impl AccountKey {
    pub fn new(provider: Provider, user: &str, realm: &str) -> Self {
        Self { key: format!("{}:{}@{realm}", provider.id(), user.to_lowercase()), provider }
    }

    /// Reads a key written by [`AccountKey::as_str`].
    pub fn parse(key: &str) -> Result<Self, NotAnAccountKey> {
        let provider = key.split(':').next().and_then(Provider::from_id).ok_or_else(|| NotAnAccountKey(key.into()))?;
        Ok(Self { key: key.to_string(), provider })
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    pub fn as_str(&self) -> &str {
        &self.key
    }
}

impl std::fmt::Display for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key)
    }
}

impl TryFrom<String> for AccountKey {
    type Error = NotAnAccountKey;
    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::parse(&key)
    }
}

impl From<AccountKey> for String {
    fn from(key: AccountKey) -> Self {
        key.key
    }
}

impl PartialEq<str> for AccountKey {
    fn eq(&self, other: &str) -> bool {
        self.key == other
    }
}

impl PartialEq<&str> for AccountKey {
    fn eq(&self, other: &&str) -> bool {
        self.key == *other
    }
}

impl AsRef<str> for AccountKey {
    fn as_ref(&self) -> &str {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_its_service_and_round_trips() {
        let key = AccountKey::new(Provider::Meetingbooster, "Alice", "127.0.0.1:8421/mb");
        assert_eq!(key.as_str(), "meetingbooster:alice@127.0.0.1:8421/mb");
        assert_eq!(AccountKey::parse(key.as_str()), Ok(key.clone()));
        assert_eq!(AccountKey::parse("meetingbooster:x:y").unwrap().provider(), Provider::Meetingbooster);
        assert!(AccountKey::parse("zoom:x:y").is_err());
        assert!(AccountKey::parse("").is_err());
    }
}
