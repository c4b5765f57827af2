//! One running instance per user and profile, over a local socket: a socket file in a folder only the user can
//! enter on Unix (`$XDG_RUNTIME_DIR`, or a private folder of our own; never Linux's abstract namespace, which has
//! no permissions and a name anyone can compute), a named pipe on Windows. The first instance listens; a later
//! launch hands its request over and exits. Each request is one JSON line; the answer is one JSON line, read up
//! to [`MAX_LINE`] and from the same user only: anything else and the caller runs on its own.

use std::io::{BufRead, BufReader, Read as _, Write};
use std::time::Duration;

use interprocess::local_socket::traits::{ListenerExt as _, Stream as _, StreamCommon as _};
use interprocess::local_socket::{
    GenericFilePath, GenericNamespaced, Listener, ListenerOptions, Name, Stream, ToFsName, ToNsName,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a second launch asks of the running instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
pub enum Request {
    /// Only answer (`doctor` asks whether an app is running).
    Ping,
    /// Bring the window forward.
    Open,
    /// Start an ad-hoc meeting; `open_browser: false` leaves the presenter link to the caller.
    Start {
        personal_url: bool,
        open_browser: bool,
    },
    /// Start or join the next meeting.
    JoinNext {
        open_browser: bool,
    },
    Quit,
}

/// The running instance's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub ok: bool,
    pub message: String,
    /// `start`: the presenter link, only when the caller opens it itself.
    #[serde(default)]
    pub presenter_link: Option<String>,
    /// `start`: the link viewers join with.
    #[serde(default)]
    pub viewer_link: Option<String>,
}

impl Reply {
    pub fn ok(message: impl Into<String>) -> Self {
        Self { ok: true, message: message.into(), presenter_link: None, viewer_link: None }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self { ok: false, message: message.into(), presenter_link: None, viewer_link: None }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// Nobody is listening: the caller runs on its own.
    #[error("no running instance")]
    NotRunning,
    #[error(
        "Meeting Launcher is running but did not answer ({0}). Quit it from its tray menu or with \
         `meeting-launcher quit`, or end the process, then try again."
    )]
    NoAnswer(String),
    #[error("cannot listen for other launches ({0}); a second launch will open a second window")]
    Listen(String),
}

/// How long a connection may take to be accepted and read: a hung instance must not hang the caller.
const HANDSHAKE: Duration = Duration::from_secs(3);
/// How long a launch waits for a meeting to be started or joined: it goes over the network, with retries.
pub const ANSWER_WAIT: Duration = Duration::from_secs(90);

/// The socket's name: per user, and per profile (settings file and services), so a demo, a sandbox and the
/// real thing, or two test homes, never meet.
pub fn socket_name(profile: &str) -> String {
    // The account's own name, not `$USER` (which anyone can set): two users never share a name.
    let user = launcher_engine::settings::policy::effective_user_name().unwrap_or_default();
    let digest = Sha256::digest(format!("{user}\n{profile}").as_bytes());
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("meeting-launcher-{short}.sock")
}

/// The longest request or answer line read: a peer cannot make us hold more.
pub const MAX_LINE: u64 = 64 * 1024;

/// Where the socket file lives, or the error that says why there is no private place for it.
pub fn socket_path(socket: &str) -> std::io::Result<std::path::PathBuf> {
    Ok(private_dir()?.join(socket))
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A folder only this user can enter: the runtime directory when it is one (systemd makes it 0700), the
/// temporary folder when it is one, else `meeting-launcher-<uid>` in the temporary folder, made 0700 and checked
/// (another user may have made it first).
#[cfg(unix)]
fn private_dir() -> std::io::Result<std::path::PathBuf> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _};
    let private = |dir: &std::path::Path| {
        std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == euid() && m.mode() & 0o077 == 0)
    };
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from)
        && private(&runtime)
    {
        return Ok(runtime);
    }
    // The temporary folder itself when it is this user's alone (macOS's per-user `$TMPDIR`): a folder inside it
    // would push the socket's path past the 104 bytes macOS allows.
    let temp = std::env::temp_dir();
    if private(&temp) {
        return Ok(temp);
    }
    let own = temp.join(format!("meeting-launcher-{}", euid()));
    match std::fs::DirBuilder::new().mode(0o700).create(&own) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    if private(&own) {
        Ok(own)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{} is not this user's private folder", own.display()),
        ))
    }
}

#[cfg(not(unix))]
fn private_dir() -> std::io::Result<std::path::PathBuf> {
    Ok(std::env::temp_dir())
}

fn name(socket: &str) -> std::io::Result<Name<'static>> {
    if cfg!(windows) {
        // A named pipe. Pipe names are machine-wide and the default DACL lets other users read: a user-only DACL
        // and a check of the server's owner are not done (never built on Windows; packaging/README.md §7).
        socket.to_string().to_ns_name::<GenericNamespaced>()
    } else {
        socket_path(socket)?.to_fs_name::<GenericFilePath>().map(|n| n.into_owned())
    }
}

/// Whether the other end of `stream` runs as this user (Unix: `SO_PEERCRED`).
fn same_user(stream: &Stream) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        Ok(stream.peer_creds()?.euid() == Some(euid()))
    }
    #[cfg(not(unix))]
    {
        let _ = stream;
        Ok(true)
    }
}

/// One line, at most [`MAX_LINE`] bytes.
fn read_line(reader: &mut impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    reader.by_ref().take(MAX_LINE).read_line(&mut line)?;
    Ok(line)
}

/// Text from another process, made safe to print: no terminal escapes or other control characters.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// The first instance's listener.
pub struct InstanceListener {
    listener: Listener,
}

/// Either this process is the first (and now listens) or another one is running.
pub enum Claim {
    First(InstanceListener),
    Running,
}

/// Claims the name. A name held by a process that no longer answers (a stale socket file) is taken over. Two
/// launches at once (the login item and a click) take turns through a lock file, so the second finds the first
/// listening rather than replacing its socket.
pub fn claim(socket: &str) -> Result<Claim, InstanceError> {
    #[cfg(unix)]
    let _turn = socket_path(socket)
        .ok()
        .and_then(|path| {
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path.with_extension("lock")).ok()
        })
        .and_then(|file| file.lock().ok().map(|()| file));
    claim_now(socket)
}

fn claim_now(socket: &str) -> Result<Claim, InstanceError> {
    let listen = |overwrite: bool| ListenerOptions::new().name(name(socket)?).try_overwrite(overwrite).create_sync();
    match listen(false) {
        Ok(listener) => Ok(Claim::First(InstanceListener { listener })),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => match connect(socket) {
            Ok(_) => Ok(Claim::Running),
            Err(_) => listen(true)
                .map(|listener| Claim::First(InstanceListener { listener }))
                .map_err(|e| InstanceError::Listen(e.to_string())),
        },
        Err(e) => Err(InstanceError::Listen(e.to_string())),
    }
}

impl InstanceListener {
    /// Serves requests on a thread of its own; `handle` answers each (it may wait, on its own thread).
    pub fn serve(self, handle: impl Fn(Request) -> Reply + Send + Sync + 'static) {
        let handle = std::sync::Arc::new(handle);
        let spawned = std::thread::Builder::new().name("instance".into()).spawn(move || {
            for connection in self.listener.incoming() {
                let Ok(stream) = connection else { continue };
                let handle = handle.clone();
                let _ = std::thread::Builder::new().name("instance-request".into()).spawn(move || {
                    if let Err(e) = answer(stream, &*handle) {
                        tracing::info!(error = %e, "a request from another launch failed");
                    }
                });
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot listen for other launches");
        }
    }
}

fn answer(stream: Stream, handle: &dyn Fn(Request) -> Reply) -> std::io::Result<()> {
    // The folder already keeps other users out; checking the peer too costs nothing and covers a folder whose
    // permissions someone loosened. Only the same user may ask this app to start a meeting (and get its links).
    if !same_user(&stream)? {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "a request from another user"));
    }
    stream.set_recv_timeout(Some(HANDSHAKE))?;
    let mut reader = BufReader::new(stream);
    let line = read_line(&mut reader)?;
    let reply = match serde_json::from_str::<Request>(line.trim()) {
        Ok(request) => handle(request),
        Err(e) => Reply::failed(format!("not a request this version understands: {e}")),
    };
    let mut stream = reader.into_inner();
    stream.set_send_timeout(Some(HANDSHAKE))?;
    let mut text = serde_json::to_string(&reply).unwrap_or_default();
    text.push('\n');
    stream.write_all(text.as_bytes())
}

fn connect(socket: &str) -> std::io::Result<Stream> {
    let name = name(socket)?;
    Stream::connect(name)
}

/// Hands `request` to the running instance and waits for its answer.
pub fn forward(socket: &str, request: &Request) -> Result<Reply, InstanceError> {
    let stream = connect(socket).map_err(|_| InstanceError::NotRunning)?;
    // Whoever listens must be this user: otherwise run on our own, as if nothing were running.
    if !same_user(&stream).unwrap_or(false) {
        tracing::warn!("the single-instance channel is held by another user; running on our own");
        return Err(InstanceError::NotRunning);
    }
    let wait =
        if matches!(request, Request::Start { .. } | Request::JoinNext { .. }) { ANSWER_WAIT } else { HANDSHAKE };
    let no_answer = |e: std::io::Error| InstanceError::NoAnswer(e.to_string());
    stream.set_send_timeout(Some(HANDSHAKE)).map_err(no_answer)?;
    stream.set_recv_timeout(Some(wait)).map_err(no_answer)?;
    let mut text = serde_json::to_string(request).unwrap_or_default();
    text.push('\n');
    let mut reader = BufReader::new(stream);
    reader.get_mut().write_all(text.as_bytes()).map_err(no_answer)?;
    let line = read_line(&mut reader).map_err(no_answer)?;
    if line.trim().is_empty() {
        return Err(InstanceError::NoAnswer("it closed the connection".into()));
    }
    let reply: Reply = serde_json::from_str(line.trim()).map_err(|e| InstanceError::NoAnswer(e.to_string()))?;
    Ok(Reply {
        ok: reply.ok,
        message: printable(&reply.message),
        presenter_link: reply.presenter_link.as_deref().map(printable),
        viewer_link: reply.viewer_link.as_deref().map(printable),
    })
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// What another process can send or answer: read within the limit, parsed or refused, never a panic; what
    /// is printed holds no control character (no terminal escapes).
    #[test]
    fn fuzz_instance_messages() {
        bolero::check!().for_each(|bytes: &[u8]| {
            let mut reader = BufReader::new(std::io::Cursor::new(bytes.to_vec()));
            let line = read_line(&mut reader).unwrap_or_default();
            assert!(line.len() as u64 <= MAX_LINE);
            let _ = serde_json::from_str::<Request>(line.trim());
            if let Ok(reply) = serde_json::from_str::<Reply>(line.trim()) {
                assert!(!printable(&reply.message).chars().any(char::is_control));
            }
            assert!(!printable(&String::from_utf8_lossy(bytes)).chars().any(char::is_control));
        });
    }

    #[test]
    fn a_line_longer_than_the_limit_is_cut_off() {
        let long = vec![b'a'; MAX_LINE as usize * 2];
        let mut reader = BufReader::new(std::io::Cursor::new(long));
        assert_eq!(read_line(&mut reader).unwrap().len() as u64, MAX_LINE);
        assert_eq!(printable("\u{1b}[2Jcleared\u{7}"), "[2Jcleared");
    }
}
