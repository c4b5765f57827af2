//! The Secret Service (gnome-keyring, KWallet) on one D-Bus connection and one encrypted session for the whole
//! run. `keyring` connects and negotiates a session for every call (10 to 30 ms each, several on every command's
//! start); here only the first call pays for it. The entries are the ones `keyring` reads and writes (the same
//! attributes, in the default collection), so sign-ins saved by earlier versions are found, and the other way.

use std::collections::HashMap;
use std::sync::Mutex;

use secret_service::blocking::{Item, SecretService};
use secret_service::{EncryptionType, Error};

/// `keyring`'s attribute for the collection an entry belongs to; its entries name the default one.
const TARGET: &str = "default";

pub struct SecretServiceBackend {
    service: String,
    /// Made by the first call; made again once when a held one stops working (the service restarted).
    connection: Mutex<Option<SecretService<'static>>>,
}

impl SecretServiceBackend {
    pub fn new(service: &str) -> Self {
        Self { service: service.to_string(), connection: Mutex::new(None) }
    }

    /// Runs `call` on the held connection, connecting first when there is none.
    fn with<T>(&self, call: impl Fn(&SecretService<'static>) -> Result<T, Error>) -> Result<T, String> {
        let mut held = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        let reused = held.is_some();
        let connection = match held.take() {
            Some(connection) => connection,
            None => SecretService::connect(EncryptionType::Dh).map_err(describe)?,
        };
        match call(&connection) {
            Ok(value) => {
                *held = Some(connection);
                Ok(value)
            }
            // The service went away under a held connection: once more on a new one (every call here may be
            // repeated: a read, a replacing write, a delete).
            Err(Error::Zbus(_) | Error::ZbusFdo(_) | Error::Unavailable) if reused => {
                let connection = SecretService::connect(EncryptionType::Dh).map_err(describe)?;
                let result = call(&connection).map_err(describe);
                *held = Some(connection);
                result
            }
            Err(e) => {
                *held = Some(connection);
                Err(describe(e))
            }
        }
    }
}

/// The items of `service`/`account`, as `keyring` finds them: by all three attributes, else (entries written
/// without a target) by service and account.
fn find<'s>(ss: &'s SecretService<'static>, service: &str, account: &str) -> Result<Vec<Item<'s>>, Error> {
    let search = |attributes: HashMap<&str, &str>| {
        ss.search_items(attributes).map(|found| found.unlocked.into_iter().chain(found.locked).collect::<Vec<_>>())
    };
    let items = search(HashMap::from([("target", TARGET), ("service", service), ("username", account)]))?;
    if items.is_empty() { search(HashMap::from([("service", service), ("username", account)])) } else { Ok(items) }
}

/// The one item of an account; two are a keychain edited by hand, which we do not guess between.
fn only<'s>(mut items: Vec<Item<'s>>) -> Result<Option<Item<'s>>, Error> {
    match items.len() {
        0 => Ok(None),
        1 => Ok(items.pop()),
        _ => Err(Error::NoResult),
    }
}

fn unlocked(item: &Item<'_>) -> Result<(), Error> {
    if item.is_locked()? { item.unlock() } else { Ok(()) }
}

impl SecretServiceBackend {
    pub fn get(&self, account: &str) -> Result<Option<String>, String> {
        let bytes = self.with(|ss| {
            let Some(item) = only(find(ss, &self.service, account)?)? else { return Ok(None) };
            unlocked(&item)?;
            item.get_secret().map(Some)
        })?;
        bytes.map(|b| String::from_utf8(b).map_err(|_| "the keychain entry is not text".to_string())).transpose()
    }

    pub fn set(&self, account: &str, value: &str) -> Result<(), String> {
        self.with(|ss| {
            if let Some(item) = only(find(ss, &self.service, account)?)? {
                unlocked(&item)?;
                return item.set_secret(value.as_bytes(), "text/plain");
            }
            let collection = ss.get_default_collection()?;
            if collection.is_locked()? {
                collection.unlock()?;
            }
            let attributes = HashMap::from([
                ("target", TARGET),
                ("service", self.service.as_str()),
                ("username", account),
                ("application", "rust-keyring"),
            ]);
            let label = format!("{account}@{}:{TARGET} (Meeting Launcher)", self.service);
            collection.create_item(&label, attributes, value.as_bytes(), true, "text/plain").map(drop)
        })
    }

    pub fn delete(&self, account: &str) -> Result<(), String> {
        self.with(|ss| find(ss, &self.service, account)?.iter().try_for_each(Item::delete))
    }
}

/// The Secret Service's errors, without anything they might quote.
fn describe(error: Error) -> String {
    match error {
        Error::Locked | Error::Prompt => "the keychain is locked or not accessible".into(),
        Error::Unavailable | Error::Zbus(_) | Error::ZbusFdo(_) => {
            "the keychain service failed (is a Secret Service running?)".into()
        }
        Error::NoResult => "more than one keychain entry for this account; remove the extra ones".into(),
        _ => "the keychain could not be used".into(),
    }
}
