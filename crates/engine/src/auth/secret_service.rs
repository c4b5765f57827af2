//! The Secret Service (gnome-keyring, KWallet) on one D-Bus connection and one encrypted session for the whole
//! run. `keyring` connects and negotiates a session for every call (10 to 30 ms each, several on every command's
//! start); here only the first call pays for it. The entries are the ones `keyring` reads and writes (the same
//! attributes, in the default collection), so sign-ins saved by earlier versions are found, and the other way.
//!
//! Spoken directly over zbus 5, the D-Bus the tray, notifications and AccessKit already use, rather than through
//! the `secret-service` crate and a second, older zbus. Secrets travel encrypted as the specification's
//! `dh-ietf1024-sha256-aes128-cbc-pkcs7` algorithm says (as libsecret does), never in the clear on the bus.

use std::collections::HashMap;
use std::sync::Mutex;

use aes::cipher::{BlockDecryptMut as _, BlockEncryptMut as _, KeyIvInit as _, block_padding::Pkcs7};
use num_bigint::BigUint;
use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::{DynamicType, OwnedObjectPath, OwnedValue, Type, Value};
use zeroize::Zeroizing;

/// `keyring`'s attribute for the collection an entry belongs to; its entries name the default one.
const TARGET: &str = "default";

const BUS_NAME: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE: &str = "org.freedesktop.Secret.Service";
const COLLECTION: &str = "org.freedesktop.Secret.Collection";
const ITEM: &str = "org.freedesktop.Secret.Item";
const PROMPT: &str = "org.freedesktop.Secret.Prompt";
/// The path a method returns for "none" (no prompt needed, no such alias).
const NONE: &str = "/";

const ALGORITHM: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
/// The second Oakley group (RFC 2409, 6.2), generator 2: the group the specification names for this algorithm.
const DH_PRIME: [u8; 128] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34, 0xC4, 0xC6, 0x62,
    0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74, 0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13,
    0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD, 0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30,
    0x2B, 0x0A, 0x6D, 0xF2, 0x5F, 0x14, 0x37, 0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5, 0x76,
    0x62, 0x5E, 0x7E, 0xC6, 0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF, 0x5C, 0xB6, 0xF4, 0x06, 0xB7,
    0xED, 0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE, 0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6, 0x49, 0x28,
    0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];

/// How long the service's unlock prompt may wait for the person: less than the keychain's call limit.
const PROMPT_WAIT: std::time::Duration = std::time::Duration::from_secs(25);

/// A secret as the service passes it: session, parameters (the IV), value (encrypted), content type.
type Secret = (OwnedObjectPath, Vec<u8>, Vec<u8>, String);

#[derive(Debug)]
enum Error {
    /// The bus or the service failed, or is not there.
    Bus(zbus::Error),
    /// The service says the item or collection is locked.
    Locked,
    /// The user dismissed the service's unlock prompt.
    Dismissed,
    /// More than one item for one account.
    Ambiguous,
    /// There is no default collection to create an item in.
    NoCollection,
    /// The service answered something the algorithm cannot use.
    Crypto,
}

impl From<zbus::Error> for Error {
    fn from(error: zbus::Error) -> Self {
        match &error {
            zbus::Error::MethodError(name, _, _) if name.as_str() == "org.freedesktop.Secret.Error.IsLocked" => {
                Error::Locked
            }
            _ => Error::Bus(error),
        }
    }
}

impl From<zbus::zvariant::Error> for Error {
    fn from(error: zbus::zvariant::Error) -> Self {
        Error::Bus(error.into())
    }
}

/// One connection and the encrypted session opened on it.
struct Session {
    connection: Connection,
    path: OwnedObjectPath,
    key: Zeroizing<[u8; 16]>,
}

impl Session {
    fn open() -> Result<Self, Error> {
        let connection = Connection::session()?;
        // The private exponent and the shared value live briefly in `BigUint`s, which cannot be wiped (num-bigint
        // has no zeroize); their byte forms and the session key are.
        let prime = BigUint::from_bytes_be(&DH_PRIME);
        let mut private = Zeroizing::new([0u8; 128]);
        rand::Rng::fill(&mut rand::rng(), &mut private[..]);
        let private = BigUint::from_bytes_be(&private[..]);
        let public = BigUint::from(2u8).modpow(&private, &prime);
        let (output, path): (OwnedValue, OwnedObjectPath) =
            call(&connection, SERVICE_PATH, SERVICE, "OpenSession", &(ALGORITHM, Value::from(public.to_bytes_be())))?;
        let theirs = BigUint::from_bytes_be(&Vec::<u8>::try_from(output)?);
        // A public value of 0, 1 or p - 1 would fix the shared secret: refuse it. (The prime ends in 0xFF, so
        // p - 1 ends in 0xFE.)
        let mut last = DH_PRIME;
        last[127] = 0xFE;
        if theirs <= BigUint::from(1u8) || theirs >= BigUint::from_bytes_be(&last) {
            return Err(Error::Crypto);
        }
        let shared = Zeroizing::new(theirs.modpow(&private, &prime).to_bytes_be());
        let mut padded = Zeroizing::new([0u8; 128]);
        let start = padded.len().checked_sub(shared.len()).ok_or(Error::Crypto)?;
        padded[start..].copy_from_slice(&shared);
        let mut key = Zeroizing::new([0u8; 16]);
        hkdf::Hkdf::<sha2::Sha256>::new(None, &padded[..]).expand(&[], &mut key[..]).map_err(|_| Error::Crypto)?;
        Ok(Self { connection, path, key })
    }

    fn call<B, R>(&self, path: &str, interface: &str, method: &str, body: &B) -> Result<R, Error>
    where
        B: serde::Serialize + DynamicType,
        R: serde::de::DeserializeOwned + Type,
    {
        call(&self.connection, path, interface, method, body)
    }

    /// A call whose answer carries nothing we use.
    fn send<B>(&self, path: &str, interface: &str, method: &str, body: &B) -> Result<(), Error>
    where
        B: serde::Serialize + DynamicType,
    {
        self.connection.call_method(Some(BUS_NAME), path, Some(interface), method, body).map(drop).map_err(Error::from)
    }

    fn encrypt(&self, value: &[u8]) -> Secret {
        let mut iv = [0u8; 16];
        rand::Rng::fill(&mut rand::rng(), &mut iv[..]);
        let sealed = cbc::Encryptor::<aes::Aes128>::new(self.key.as_ref().into(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(value);
        (self.path.clone(), iv.to_vec(), sealed, "text/plain".into())
    }

    fn decrypt(&self, (_, iv, sealed, _): Secret) -> Result<Zeroizing<Vec<u8>>, Error> {
        let iv: [u8; 16] = iv.try_into().map_err(|_| Error::Crypto)?;
        cbc::Decryptor::<aes::Aes128>::new(self.key.as_ref().into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(&sealed)
            .map(Zeroizing::new)
            .map_err(|_| Error::Crypto)
    }

    /// The items of `service`/`account`, as `keyring` finds them: by all three attributes, else (entries written
    /// without a target) by service and account.
    fn find(&self, service: &str, account: &str) -> Result<Vec<OwnedObjectPath>, Error> {
        let search = |attributes: HashMap<&str, &str>| {
            let (unlocked, locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) =
                self.call(SERVICE_PATH, SERVICE, "SearchItems", &(attributes,))?;
            Ok::<_, Error>(unlocked.into_iter().chain(locked).collect::<Vec<_>>())
        };
        let items = search(HashMap::from([("target", TARGET), ("service", service), ("username", account)]))?;
        if items.is_empty() { search(HashMap::from([("service", service), ("username", account)])) } else { Ok(items) }
    }

    /// Unlocks an item or collection that is locked, through the service's prompt when it asks for one.
    fn unlock(&self, path: &OwnedObjectPath, interface: &str) -> Result<(), Error> {
        let locked: OwnedValue = self.call(path, "org.freedesktop.DBus.Properties", "Get", &(interface, "Locked"))?;
        if !bool::try_from(locked)? {
            return Ok(());
        }
        let (_, prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) =
            self.call(SERVICE_PATH, SERVICE, "Unlock", &(vec![path.clone()],))?;
        self.prompt(&prompt).map(drop)
    }

    /// Shows the service's prompt (unless it is [`NONE`]) and waits for its answer, at most [`PROMPT_WAIT`]: then
    /// the prompt is dismissed, so the session is free again before the keychain's caller gives up (30 s).
    fn prompt(&self, prompt: &OwnedObjectPath) -> Result<Option<OwnedValue>, Error> {
        if prompt.as_str() == NONE {
            return Ok(None);
        }
        let rule = zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(BUS_NAME)?
            .interface(PROMPT)?
            .member("Completed")?
            .path(prompt.as_str())?
            .build();
        // Listening before asking: the answer cannot come before we wait for it.
        let mut completed = MessageIterator::for_match_rule(rule, &self.connection, Some(1))?;
        self.send(prompt, PROMPT, "Prompt", &("",))?;
        // The blocking iterator has no time-out: it is read on a thread of its own, which ends with the answer
        // (a dismissed prompt answers too).
        let (answer, answered) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = answer.send(completed.next());
        });
        let message = match answered.recv_timeout(PROMPT_WAIT) {
            Ok(Some(message)) => message?,
            Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Err(Error::Dismissed),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let _ = self.send(prompt, PROMPT, "Dismiss", &());
                return Err(Error::Dismissed);
            }
        };
        let (dismissed, result): (bool, OwnedValue) = message.body().deserialize()?;
        if dismissed { Err(Error::Dismissed) } else { Ok(Some(result)) }
    }

    fn get(&self, service: &str, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
        let Some(item) = only(self.find(service, account)?)? else { return Ok(None) };
        self.unlock(&item, ITEM)?;
        let (secret,): (Secret,) = self.call(&item, ITEM, "GetSecret", &(&self.path,))?;
        self.decrypt(secret).map(Some)
    }

    fn set(&self, service: &str, account: &str, value: &str) -> Result<(), Error> {
        if let Some(item) = only(self.find(service, account)?)? {
            self.unlock(&item, ITEM)?;
            return self.send(&item, ITEM, "SetSecret", &(self.encrypt(value.as_bytes()),));
        }
        let collection: OwnedObjectPath = self.call(SERVICE_PATH, SERVICE, "ReadAlias", &(TARGET,))?;
        if collection.as_str() == NONE {
            return Err(Error::NoCollection);
        }
        self.unlock(&collection, COLLECTION)?;
        let attributes = HashMap::from([
            ("target", TARGET),
            ("service", service),
            ("username", account),
            ("application", "rust-keyring"),
        ]);
        let label = format!("{account}@{service}:{TARGET} (Meeting Launcher)");
        let properties = HashMap::from([
            ("org.freedesktop.Secret.Item.Label", Value::from(label)),
            ("org.freedesktop.Secret.Item.Attributes", Value::from(attributes)),
        ]);
        let (_, prompt): (OwnedObjectPath, OwnedObjectPath) =
            self.call(&collection, COLLECTION, "CreateItem", &(properties, self.encrypt(value.as_bytes()), true))?;
        self.prompt(&prompt).map(drop)
    }

    fn delete(&self, service: &str, account: &str) -> Result<(), Error> {
        self.find(service, account)?.iter().try_for_each(|item| {
            let prompt: OwnedObjectPath = self.call(item, ITEM, "Delete", &())?;
            self.prompt(&prompt).map(drop)
        })
    }
}

fn call<B, R>(connection: &Connection, path: &str, interface: &str, method: &str, body: &B) -> Result<R, Error>
where
    B: serde::Serialize + DynamicType,
    R: serde::de::DeserializeOwned + Type,
{
    let reply = connection.call_method(Some(BUS_NAME), path, Some(interface), method, body)?;
    Ok(reply.body().deserialize()?)
}

/// Whether `error` says the service or our connection to it went away, so a new session may well work.
fn gone(error: &zbus::Error) -> bool {
    match error {
        zbus::Error::InputOutput(_) => true,
        zbus::Error::MethodError(name, _, _) => matches!(
            name.as_str(),
            "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner"
                | "org.freedesktop.DBus.Error.Disconnected"
                | "org.freedesktop.DBus.Error.UnknownObject"
                | "org.freedesktop.Secret.Error.NoSession"
        ),
        _ => false,
    }
}

/// The one item of an account; two are a keychain edited by hand, which we do not guess between.
fn only(mut items: Vec<OwnedObjectPath>) -> Result<Option<OwnedObjectPath>, Error> {
    match items.len() {
        0 => Ok(None),
        1 => Ok(items.pop()),
        _ => Err(Error::Ambiguous),
    }
}

pub struct SecretServiceBackend {
    service: String,
    /// Made by the first call; made again once when a held one stops working (the service restarted).
    session: Mutex<Option<Session>>,
}

impl SecretServiceBackend {
    pub fn new(service: &str) -> Self {
        Self { service: service.to_string(), session: Mutex::new(None) }
    }

    /// Runs `call` on the held session, opening one first when there is none.
    fn with<T>(&self, call: impl Fn(&Session) -> Result<T, Error>) -> Result<T, String> {
        let mut held = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let reused = held.is_some();
        let session = match held.take() {
            Some(session) => session,
            None => Session::open().map_err(describe)?,
        };
        match call(&session) {
            Ok(value) => {
                *held = Some(session);
                Ok(value)
            }
            // The service went away under a held session (it restarted): once more on a new one. Every call here
            // may be repeated: a read, a replacing write, a delete. A slow answer is not retried.
            Err(Error::Bus(e)) if reused && gone(&e) => {
                let session = Session::open().map_err(describe)?;
                let result = call(&session).map_err(describe);
                *held = Some(session);
                result
            }
            Err(e) => {
                *held = Some(session);
                Err(describe(e))
            }
        }
    }

    pub fn get(&self, account: &str) -> Result<Option<String>, String> {
        let bytes = self.with(|session| session.get(&self.service, account))?;
        bytes
            .map(|b| String::from_utf8(b.to_vec()).map_err(|_| "the keychain entry is not text".to_string()))
            .transpose()
    }

    pub fn set(&self, account: &str, value: &str) -> Result<(), String> {
        self.with(|session| session.set(&self.service, account, value))
    }

    pub fn delete(&self, account: &str) -> Result<(), String> {
        self.with(|session| session.delete(&self.service, account))
    }
}

/// The Secret Service's errors, without anything they might quote.
fn describe(error: Error) -> String {
    match error {
        Error::Locked | Error::Dismissed => "the keychain is locked or not accessible".into(),
        Error::Bus(e) => {
            // D-Bus's own words (names and paths, never a secret), for the log only.
            tracing::debug!(error = %e, "a Secret Service call failed");
            "the keychain service failed (is a Secret Service running?)".into()
        }
        Error::Ambiguous => "more than one keychain entry for this account; remove the extra ones".into(),
        Error::NoCollection => "the keychain has no default collection (create one in the keychain's settings)".into(),
        Error::Crypto => "the keychain could not be used".into(),
    }
}
