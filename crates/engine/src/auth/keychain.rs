//! The OS keychain: the Secret Service on Linux through our own client (`secret_service.rs`), the Keychain on
//! macOS and the Credential Manager on Windows through `keyring`. Every call runs off the caller's thread with a
//! time limit, because the store is blocking IPC that may wait for a user to unlock it. When the store cannot be
//! used, secrets stay in memory for this run: never in a plaintext file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use launcher_core::secret::Secret;

/// The keychain service name every entry is filed under.
pub const SERVICE: &str = "meeting-launcher";

/// Long enough to type a keychain password at an unlock prompt.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Where secrets are kept in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    Keychain,
    /// Memory only, until the app quits; `reason` says why, in words a user can act on.
    Memory {
        reason: String,
    },
}

impl Storage {
    pub fn describe(&self) -> String {
        match self {
            Storage::Keychain => "the system keychain".into(),
            Storage::Memory { reason } => format!("memory only, until you quit ({reason})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    #[error("the keychain did not answer within {0} seconds (is it locked, or waiting for a password?)")]
    NotAnswering(u64),
    #[error("the keychain refused: {0}")]
    Failed(String),
}

/// Where the entries are kept: the OS keychain, memory, or (in tests) one that can be locked at will.
pub trait Backend: Send + Sync + 'static {
    fn get(&self, account: &str) -> Result<Option<String>, String>;
    fn set(&self, account: &str, value: &str) -> Result<(), String>;
    fn delete(&self, account: &str) -> Result<(), String>;
}

/// The operating system's store: our own Secret Service client on Linux (one connection for the run), `keyring`
/// elsewhere.
fn os_backend(service: &str) -> Arc<dyn Backend> {
    #[cfg(target_os = "linux")]
    return Arc::new(super::secret_service::SecretServiceBackend::new(service));
    #[cfg(not(target_os = "linux"))]
    return Arc::new(OsBackend { service: service.into() });
}

#[cfg(target_os = "linux")]
impl Backend for super::secret_service::SecretServiceBackend {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        Self::get(self, account)
    }

    fn set(&self, account: &str, value: &str) -> Result<(), String> {
        Self::set(self, account, value)
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        Self::delete(self, account)
    }
}

#[cfg(not(target_os = "linux"))]
struct OsBackend {
    service: String,
}

#[cfg(not(target_os = "linux"))]
impl OsBackend {
    fn entry(&self, account: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(&self.service, account).map_err(describe)
    }
}

/// keyring's errors, without anything they might quote.
#[cfg(not(target_os = "linux"))]
fn describe(error: keyring::Error) -> String {
    match error {
        keyring::Error::PlatformFailure(_) => "the keychain service failed (is a Secret Service running?)".into(),
        keyring::Error::NoStorageAccess(_) => "the keychain is locked or not accessible".into(),
        keyring::Error::NoEntry => "no such entry".into(),
        keyring::Error::TooLong(what, max) => format!("{what} is longer than the keychain allows ({max})"),
        _ => "the keychain could not be used".into(),
    }
}

#[cfg(not(target_os = "linux"))]
impl Backend for OsBackend {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        match self.entry(account)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn set(&self, account: &str, value: &str) -> Result<(), String> {
        self.entry(account)?.set_password(value).map_err(describe)
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(e)),
        }
    }
}

#[derive(Default)]
struct MemoryBackend(Mutex<HashMap<String, String>>);

impl Backend for MemoryBackend {
    fn get(&self, account: &str) -> Result<Option<String>, String> {
        Ok(self.0.lock().unwrap_or_else(|e| e.into_inner()).get(account).cloned())
    }

    fn set(&self, account: &str, value: &str) -> Result<(), String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(account.into(), value.into());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(account);
        Ok(())
    }
}

#[derive(Clone)]
pub struct Keychain {
    backend: Arc<dyn Backend>,
    storage: Storage,
    timeout: Duration,
    /// The app's secrets as the probe read them, for the first [`Keychain::config_secrets`] only: a later call
    /// reads them again (`secret set` may have changed them since).
    probed: Arc<Mutex<Option<crate::providers::ConfigSecrets>>>,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain").field("storage", &self.storage).finish()
    }
}

impl Keychain {
    /// The system keychain if it answers a read (see `probe`); memory otherwise.
    pub async fn open() -> Self {
        Self::open_service(SERVICE).await
    }

    pub async fn open_service(service: &str) -> Self {
        let os = Self {
            backend: os_backend(service),
            storage: Storage::Keychain,
            timeout: CALL_TIMEOUT,
            probed: Arc::default(),
        };
        match os.probe().await {
            Ok(secrets) => {
                *os.probed.lock().unwrap_or_else(|e| e.into_inner()) = Some(secrets);
                os
            }
            Err(e) => {
                let reason = format!(
                    "no usable keychain: {e}. Install and unlock a Secret Service such as gnome-keyring or KWallet to \
                     stay signed in"
                );
                tracing::warn!("{reason}");
                Self::memory(reason)
            }
        }
    }

    /// A keychain over another store, presented as `storage` (tests: a keychain that locks mid-session).
    pub fn with_backend(backend: Arc<dyn Backend>, storage: Storage) -> Self {
        Self { backend, storage, timeout: CALL_TIMEOUT, probed: Arc::default() }
    }

    /// Secrets in memory only, for this run.
    pub fn memory(reason: impl Into<String>) -> Self {
        Self {
            backend: Arc::new(MemoryBackend::default()),
            storage: Storage::Memory { reason: reason.into() },
            timeout: CALL_TIMEOUT,
            probed: Arc::default(),
        }
    }

    /// The application secrets `meeting-launcher secret set` stored (none when absent or unreadable).
    pub async fn config_secrets(&self) -> crate::providers::ConfigSecrets {
        if let Some(probed) = self.probed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return probed;
        }
        self.read_config_secrets().await.unwrap_or_default()
    }

    /// Both at once: each is a round trip to the Secret Service.
    async fn read_config_secrets(&self) -> Result<crate::providers::ConfigSecrets, KeychainError> {
        let (joinme, joindin) = futures_util::future::join(
            self.get(SecretName::JoinmeClientSecret.key()),
            self.get(SecretName::JoindinClientSecret.key()),
        )
        .await;
        Ok(crate::providers::ConfigSecrets { joinme_client_secret: joinme?, joindin_client_secret: joindin? })
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Whether the Secret Service answers and its collection is open: the reads of the app's own secrets, which a
    /// start needs next anyway (each call is a D-Bus connection of its own, and every command starts here). A
    /// keychain that reads but refuses a write later is met where secrets are saved: the sign-in then lives in
    /// memory and says why.
    async fn probe(&self) -> Result<crate::providers::ConfigSecrets, KeychainError> {
        self.read_config_secrets().await
    }

    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Backend) -> Result<T, String> + Send + 'static,
    ) -> Result<T, KeychainError> {
        let backend = self.backend.clone();
        let task = tokio::task::spawn_blocking(move || f(&*backend));
        match tokio::time::timeout(self.timeout, task).await {
            Err(_) => Err(KeychainError::NotAnswering(self.timeout.as_secs())),
            Ok(Err(_)) => Err(KeychainError::Failed("the keychain call crashed".into())),
            Ok(Ok(result)) => result.map_err(KeychainError::Failed),
        }
    }

    pub async fn get(&self, account: &str) -> Result<Option<Secret>, KeychainError> {
        let account = account.to_string();
        self.call(move |b| b.get(&account)).await.map(|v| v.map(Secret::new))
    }

    pub async fn set(&self, account: &str, value: &Secret) -> Result<(), KeychainError> {
        let (account, value) = (account.to_string(), value.clone());
        self.call(move |b| b.set(&account, value.expose())).await
    }

    /// Deleting what is not there is fine.
    pub async fn delete(&self, account: &str) -> Result<(), KeychainError> {
        let account = account.to_string();
        self.call(move |b| b.delete(&account)).await
    }

    #[cfg(test)]
    fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Stuck;

    impl Backend for Stuck {
        fn get(&self, _: &str) -> Result<Option<String>, String> {
            std::thread::sleep(Duration::from_millis(500));
            Ok(None)
        }
        fn set(&self, _: &str, _: &str) -> Result<(), String> {
            Err("locked".into())
        }
        fn delete(&self, _: &str) -> Result<(), String> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn memory_store_round_trip() {
        let k = Keychain::memory("test");
        k.set("a", &Secret::new("1")).await.unwrap();
        assert_eq!(k.get("a").await.unwrap(), Some(Secret::new("1")));
        k.delete("a").await.unwrap();
        k.delete("a").await.unwrap();
        assert_eq!(k.get("a").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_store_that_does_not_answer_times_out_and_a_refusal_is_reported() {
        let k = Keychain::with_backend(Arc::new(Stuck), Storage::Keychain).with_timeout(Duration::from_millis(100));
        assert_eq!(k.get("a").await, Err(KeychainError::NotAnswering(0)));
        assert_eq!(k.set("a", &Secret::new("x")).await, Err(KeychainError::Failed("locked".into())));
    }
}

/// The app's own secrets (not an account's), kept in the keychain: `meeting-launcher secret set NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    /// join.me's client secret: with it, the authorization code grant; without, the implicit grant.
    JoinmeClientSecret,
    /// joind.in's consumer secret, for its password grant.
    JoindinClientSecret,
}

impl SecretName {
    pub const ALL: [SecretName; 2] = [SecretName::JoinmeClientSecret, SecretName::JoindinClientSecret];

    /// The keychain entry.
    pub fn key(self) -> &'static str {
        match self {
            SecretName::JoinmeClientSecret => "config:joinme-client-secret",
            SecretName::JoindinClientSecret => "config:joindin-client-secret",
        }
    }

    /// The name on the command line.
    pub fn id(self) -> &'static str {
        match self {
            SecretName::JoinmeClientSecret => "joinme-client-secret",
            SecretName::JoindinClientSecret => "joindin-client-secret",
        }
    }
}
