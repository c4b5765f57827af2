//! The channel where names are machine-wide and anyone may take one: Windows' named pipes (and Linux's abstract
//! namespace, which the tests use because it has the same weakness). A name anyone can compute is a name anyone
//! can hold first, so here the name is a fresh random one each run, written with a random secret to a file in the
//! user's own folder (their temporary folder, which other users cannot read). Both ends then prove they know the
//! secret before a request is sent or answered:
//!
//! 1. the caller sends a random `hello`;
//! 2. the app answers with a random `nonce` and its proof over the `hello`;
//! 3. the caller checks the proof (someone else holding a stale name fails here, and the caller runs on its own),
//!    then sends the request with its proof over the `nonce` and the request, which the app checks before acting
//!    (another user who listed the pipes and found the name fails here).
//!
//! A proof is HMAC-SHA-256 of the secret over a label, the nonce and the request: neither end ever sends the
//! secret, and a captured exchange cannot be replayed (the app's nonce is new for each connection).

use std::io::{BufReader, Read, Write};
use std::path::Path;

use hmac::{Hmac, Mac as _};
use launcher_core::secret::Secret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::line::{MAX_LINE, read_line};

/// What the rendezvous file holds: where the app listens this run, and the secret both ends prove they know.
pub(super) struct Rendezvous {
    pub pipe: String,
    secret: Secret,
}

impl std::fmt::Debug for Rendezvous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendezvous").field("pipe", &self.pipe).field("secret", &self.secret).finish()
    }
}

#[derive(Deserialize)]
struct File {
    pipe: String,
    secret: String,
}

#[derive(Serialize)]
struct FileOut<'a> {
    pipe: &'a str,
    secret: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Hello {
    hello: String,
}

#[derive(Serialize, Deserialize)]
struct Challenge {
    nonce: String,
    proof: String,
}

#[derive(Serialize, Deserialize)]
struct Signed {
    proof: String,
    request: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(bytes: usize) -> String {
    hex(&(0..bytes).map(|_| rand::random::<u8>()).collect::<Vec<_>>())
}

/// A nonce or a name part as this module makes them: lowercase hex of a known length, nothing else.
fn is_hex(text: &str, bytes: usize) -> bool {
    text.len() == bytes * 2 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn denied(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, why.to_string())
}

fn json_line(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

impl Rendezvous {
    /// A new name and secret for this run.
    pub fn fresh() -> Self {
        Self { pipe: format!("meeting-launcher-{}", random_hex(16)), secret: Secret::new(random_hex(32)) }
    }

    /// The running app's rendezvous, if the file is there and well-formed (anything else: nobody is running).
    pub fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read(path).ok()?;
        if text.len() as u64 > MAX_LINE {
            return None;
        }
        let file: File = serde_json::from_slice(&text).ok()?;
        let ours = file.pipe.strip_prefix("meeting-launcher-").is_some_and(|h| is_hex(h, 16));
        (ours && is_hex(&file.secret, 32)).then(|| Self { pipe: file.pipe, secret: Secret::new(file.secret) })
    }

    /// Written once the app listens on `pipe`, readable by the user only.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let file = FileOut { pipe: &self.pipe, secret: self.secret.expose() };
        let text = Secret::new(serde_json::to_string(&file).unwrap_or_default());
        launcher_core::fsutil::write_private_atomic(path, text.expose().as_bytes())
    }

    fn proof(&self, label: &str, parts: &[&str]) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac =
            <Hmac<Sha256>>::new_from_slice(self.secret.expose().as_bytes()).unwrap_or_else(|_| unreachable!());
        mac.update(label.as_bytes());
        for part in parts {
            mac.update(b"\n");
            mac.update(part.as_bytes());
        }
        mac
    }

    fn proof_hex(&self, label: &str, parts: &[&str]) -> String {
        hex(&self.proof(label, parts).finalize().into_bytes())
    }

    fn verify(&self, label: &str, parts: &[&str], proof_hex: &str) -> bool {
        let Some(bytes) = decode_hex(proof_hex) else { return false };
        self.proof(label, parts).verify_slice(&bytes).is_ok()
    }

    /// The caller's side up to the request: `Ok` once the listener proved it is the app that wrote the file.
    /// Returns the app's nonce, which the request's proof covers.
    pub fn greet(&self, stream: &mut BufReader<impl Read + Write>) -> std::io::Result<String> {
        let hello = random_hex(16);
        stream.get_mut().write_all(json_line(&Hello { hello: hello.clone() }).as_bytes())?;
        let line = read_line(stream)?;
        let challenge: Challenge = serde_json::from_str(line.trim()).map_err(|_| denied("not the app's answer"))?;
        if !is_hex(&challenge.nonce, 16) || !self.verify("server", &[&hello], &challenge.proof) {
            return Err(denied("whoever listens does not know this user's secret"));
        }
        Ok(challenge.nonce)
    }

    /// The request line, with the caller's proof over the app's nonce and the request.
    pub fn sign(&self, nonce: &str, request: &str) -> String {
        json_line(&Signed { proof: self.proof_hex("client", &[nonce, request]), request: request.to_string() })
    }

    /// The app's side: answers the caller's hello, then returns the request text once its proof holds. `None`
    /// when the caller only checked that the app runs (it hung up after the app's proof).
    pub fn admit(&self, stream: &mut BufReader<impl Read + Write>) -> std::io::Result<Option<String>> {
        let line = read_line(stream)?;
        let hello: Hello = serde_json::from_str(line.trim()).map_err(|_| denied("no hello"))?;
        if !is_hex(&hello.hello, 16) {
            return Err(denied("a malformed hello"));
        }
        let nonce = random_hex(16);
        let challenge = Challenge { nonce: nonce.clone(), proof: self.proof_hex("server", &[&hello.hello]) };
        stream.get_mut().write_all(json_line(&challenge).as_bytes())?;
        let line = read_line(stream)?;
        if line.is_empty() {
            return Ok(None);
        }
        let signed: Signed = serde_json::from_str(line.trim()).map_err(|_| denied("an unsigned request"))?;
        if !self.verify("client", &[&nonce, &signed.request], &signed.proof) {
            return Err(denied("a request from someone who does not know this user's secret"));
        }
        Ok(Some(signed.request))
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}
