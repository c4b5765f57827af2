//! One running instance per user and profile, over a local socket: a socket file in a folder only the user can
//! enter on Unix (`$XDG_RUNTIME_DIR`, or a private folder of our own; never Linux's abstract namespace, which has
//! no permissions and a name anyone can compute), a named pipe on Windows, whose name is random each run and
//! whose ends prove a shared secret ([`rendezvous`]). The first instance listens; a later launch hands its
//! request over and exits. Each request is one JSON line; the answer is one JSON line, read up to [`MAX_LINE`]
//! and from the same user only: anything else and the caller runs on its own.

mod line;
mod rendezvous;

use std::io::{BufReader, Write};
use std::time::Duration;

use interprocess::local_socket::traits::{ListenerExt as _, Stream as _, StreamCommon as _};
use interprocess::local_socket::{
    GenericFilePath, GenericNamespaced, Listener, ListenerOptions, Name, Stream, ToFsName, ToNsName,
};
pub use line::MAX_LINE;
use line::read_line;
use rendezvous::Rendezvous;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How this platform keeps other users off the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A socket file in the user's private folder, and the peer's user checked (`SO_PEERCRED`).
    File,
    /// A machine-wide name, random each run, and a secret both ends prove ([`rendezvous`]).
    Secret,
}

const KIND: Kind = if cfg!(windows) { Kind::Secret } else { Kind::File };

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

fn file_name(socket: &str) -> std::io::Result<Name<'static>> {
    socket_path(socket)?.to_fs_name::<GenericFilePath>().map(|n| n.into_owned())
}

/// A named pipe on Windows (an abstract socket on Linux, in the tests): machine-wide, so only ever a random one.
fn pipe_name(pipe: &str) -> std::io::Result<Name<'static>> {
    pipe.to_string().to_ns_name::<GenericNamespaced>()
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

/// Text from another process, made safe to print: no terminal escapes or other control characters.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// The first instance's listener.
pub struct InstanceListener {
    listener: Listener,
    /// [`Kind::Secret`]: what callers must prove they know.
    rendezvous: Option<Rendezvous>,
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
    claim_as(KIND, socket)
}

fn claim_as(kind: Kind, socket: &str) -> Result<Claim, InstanceError> {
    let _turn = socket_path(socket)
        .ok()
        .and_then(|path| {
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path.with_extension("lock")).ok()
        })
        .and_then(|file| file.lock().ok().map(|()| file));
    match kind {
        Kind::File => claim_file(socket),
        Kind::Secret => claim_secret(socket),
    }
}

fn claim_file(socket: &str) -> Result<Claim, InstanceError> {
    let listen =
        |overwrite: bool| ListenerOptions::new().name(file_name(socket)?).try_overwrite(overwrite).create_sync();
    let first = |listener| Claim::First(InstanceListener { listener, rendezvous: None });
    match listen(false) {
        Ok(listener) => Ok(first(listener)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => match connect(Kind::File, socket) {
            Ok(_) => Ok(Claim::Running),
            Err(_) => listen(true).map(first).map_err(|e| InstanceError::Listen(e.to_string())),
        },
        Err(e) => Err(InstanceError::Listen(e.to_string())),
    }
}

/// The file that names this run's pipe and its secret: beside the lock file, in the user's own folder.
fn rendezvous_path(socket: &str) -> std::io::Result<std::path::PathBuf> {
    Ok(socket_path(socket)?.with_extension("rendezvous"))
}

/// Running when the pipe the rendezvous file names answers with the proof; otherwise a new name and secret,
/// written once listened on. A name someone else holds (they may have seen it in the list of pipes) is skipped.
fn claim_secret(socket: &str) -> Result<Claim, InstanceError> {
    if connect(Kind::Secret, socket).is_ok() {
        return Ok(Claim::Running);
    }
    let mut last = None;
    for _ in 0..3 {
        let rendezvous = Rendezvous::fresh();
        match pipe_name(&rendezvous.pipe).and_then(|name| ListenerOptions::new().name(name).create_sync()) {
            Ok(listener) => {
                rendezvous_path(socket)
                    .and_then(|path| rendezvous.write(&path))
                    .map_err(|e| InstanceError::Listen(e.to_string()))?;
                return Ok(Claim::First(InstanceListener { listener, rendezvous: Some(rendezvous) }));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(InstanceError::Listen(last.map(|e| e.to_string()).unwrap_or_default()))
}

impl InstanceListener {
    /// Serves requests on a thread of its own; `handle` answers each (it may wait, on its own thread).
    pub fn serve(self, handle: impl Fn(Request) -> Reply + Send + Sync + 'static) {
        let handle = std::sync::Arc::new(handle);
        let spawned = std::thread::Builder::new().name("instance".into()).spawn(move || {
            let rendezvous = std::sync::Arc::new(self.rendezvous);
            for connection in self.listener.incoming() {
                let Ok(stream) = connection else { continue };
                let (handle, rendezvous) = (handle.clone(), rendezvous.clone());
                let _ = std::thread::Builder::new().name("instance-request".into()).spawn(move || {
                    if let Err(e) = answer(stream, &*handle, rendezvous.as_ref().as_ref()) {
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

fn answer(stream: Stream, handle: &dyn Fn(Request) -> Reply, rendezvous: Option<&Rendezvous>) -> std::io::Result<()> {
    // The folder already keeps other users out; checking the peer too costs nothing and covers a folder whose
    // permissions someone loosened. Only the same user may ask this app to start a meeting (and get its links).
    if !same_user(&stream)? {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "a request from another user"));
    }
    stream.set_recv_timeout(Some(HANDSHAKE))?;
    stream.set_send_timeout(Some(HANDSHAKE))?;
    let mut reader = BufReader::new(stream);
    let line = match rendezvous {
        None => read_line(&mut reader)?,
        Some(rendezvous) => match rendezvous.admit(&mut reader)? {
            Some(request) => request,
            // Only a check that the app runs (a launch's claim).
            None => return Ok(()),
        },
    };
    let reply = match serde_json::from_str::<Request>(line.trim()) {
        Ok(request) => handle(request),
        Err(e) => Reply::failed(format!("not a request this version understands: {e}")),
    };
    let mut stream = reader.into_inner();
    let mut text = serde_json::to_string(&reply).unwrap_or_default();
    text.push('\n');
    stream.write_all(text.as_bytes())
}

/// A connection to the running app, checked as far as the request: the same user on the other end
/// ([`Kind::File`]), or an end that proved the secret (then the rendezvous and the app's nonce come with it).
struct Connection {
    reader: BufReader<Stream>,
    signer: Option<(Rendezvous, String)>,
}

fn connect(kind: Kind, socket: &str) -> std::io::Result<Connection> {
    let held_by_another = || {
        tracing::warn!("the single-instance channel is held by another user; running on our own");
        std::io::Error::new(std::io::ErrorKind::PermissionDenied, "held by another user")
    };
    match kind {
        Kind::File => {
            let stream = Stream::connect(file_name(socket)?)?;
            // Whoever listens must be this user: otherwise run on our own, as if nothing were running.
            if !same_user(&stream).unwrap_or(false) {
                return Err(held_by_another());
            }
            Ok(Connection { reader: BufReader::new(stream), signer: None })
        }
        Kind::Secret => {
            let rendezvous = Rendezvous::read(&rendezvous_path(socket)?)
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no rendezvous"))?;
            let stream = Stream::connect(pipe_name(&rendezvous.pipe)?)?;
            stream.set_send_timeout(Some(HANDSHAKE))?;
            stream.set_recv_timeout(Some(HANDSHAKE))?;
            let mut reader = BufReader::new(stream);
            let nonce = rendezvous.greet(&mut reader).map_err(|_| held_by_another())?;
            Ok(Connection { reader, signer: Some((rendezvous, nonce)) })
        }
    }
}

/// Hands `request` to the running instance and waits for its answer.
pub fn forward(socket: &str, request: &Request) -> Result<Reply, InstanceError> {
    forward_as(KIND, socket, request)
}

fn forward_as(kind: Kind, socket: &str, request: &Request) -> Result<Reply, InstanceError> {
    let Connection { mut reader, signer } = connect(kind, socket).map_err(|_| InstanceError::NotRunning)?;
    let wait =
        if matches!(request, Request::Start { .. } | Request::JoinNext { .. }) { ANSWER_WAIT } else { HANDSHAKE };
    let no_answer = |e: std::io::Error| InstanceError::NoAnswer(e.to_string());
    reader.get_ref().set_send_timeout(Some(HANDSHAKE)).map_err(no_answer)?;
    reader.get_ref().set_recv_timeout(Some(wait)).map_err(no_answer)?;
    let mut text = serde_json::to_string(request).unwrap_or_default();
    if let Some((rendezvous, nonce)) = &signer {
        text = rendezvous.sign(nonce, &text);
    } else {
        text.push('\n');
    }
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

    /// What a caller who does not know the secret can send the app on the named-pipe channel: never a panic,
    /// never a request let through.
    #[test]
    fn fuzz_rendezvous_admission() {
        struct Duplex(std::io::Cursor<Vec<u8>>, Vec<u8>);
        impl std::io::Read for Duplex {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0.read(buf)
            }
        }
        impl Write for Duplex {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.1.write(buf)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let rendezvous = Rendezvous::fresh();
        bolero::check!().for_each(|bytes: &[u8]| {
            let mut stream = BufReader::new(Duplex(std::io::Cursor::new(bytes.to_vec()), Vec::new()));
            assert!(!matches!(rendezvous.admit(&mut stream), Ok(Some(_))));
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

/// The channel Windows uses, run over Linux's abstract namespace: names there are machine-wide and anyone may
/// take one, as with named pipes, so what keeps another user out is the random name and the proofs.
#[cfg(all(test, target_os = "linux"))]
mod secret_channel {
    use super::*;
    use std::io::Read as _;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A profile name of the test's own, and its files removed afterwards.
    struct Profile(String);

    impl Profile {
        fn new() -> Self {
            Self(format!("meeting-launcher-test-{}.sock", rand::random::<u64>()))
        }

        fn rendezvous(&self) -> Rendezvous {
            Rendezvous::read(&rendezvous_path(&self.0).unwrap()).expect("the app wrote its rendezvous")
        }
    }

    impl Drop for Profile {
        fn drop(&mut self) {
            if let Ok(path) = socket_path(&self.0) {
                let _ = std::fs::remove_file(path.with_extension("lock"));
                let _ = std::fs::remove_file(path.with_extension("rendezvous"));
            }
        }
    }

    fn first(profile: &Profile) -> InstanceListener {
        match claim_as(Kind::Secret, &profile.0) {
            Ok(Claim::First(listener)) => listener,
            Ok(Claim::Running) => panic!("nothing else runs this profile"),
            Err(e) => panic!("{e}"),
        }
    }

    /// Serves with a handler that counts what it was asked.
    fn serve(listener: InstanceListener) -> Arc<AtomicUsize> {
        let asked = Arc::new(AtomicUsize::new(0));
        let count = asked.clone();
        listener.serve(move |request| {
            count.fetch_add(1, Ordering::SeqCst);
            Reply::ok(format!("{request:?}"))
        });
        asked
    }

    #[test]
    fn the_first_launch_listens_on_a_random_name_and_a_later_one_finds_it_and_is_answered() {
        let profile = Profile::new();
        let asked = serve(first(&profile));
        let rendezvous = profile.rendezvous();
        assert_ne!(rendezvous.pipe, profile.0, "the name is not one anyone can compute");
        assert!(matches!(claim_as(Kind::Secret, &profile.0), Ok(Claim::Running)), "a second launch finds it");
        let reply = forward_as(Kind::Secret, &profile.0, &Request::Open).unwrap();
        assert_eq!(reply, Reply::ok("Open"));
        // The claim's check only greets: one request reached the app, the forwarded one.
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(rendezvous_path(&profile.0).unwrap()).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the secret is the user's alone");
        }
    }

    /// Someone else listening on the name the file still names (they saw it in the list of pipes and took it
    /// when the app quit): a launch reaches them, does not believe them, and neither forwards nor gives up.
    #[test]
    fn a_stale_name_someone_else_took_neither_answers_nor_blocks_the_next_launch() {
        let profile = Profile::new();
        drop(first(&profile));
        let stale = profile.rendezvous().pipe;
        let squatter = ListenerOptions::new().name(pipe_name(&stale).unwrap()).create_sync().unwrap();
        let reached = Arc::new(AtomicUsize::new(0));
        let count = reached.clone();
        std::thread::spawn(move || {
            for mut stream in squatter.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                // Whatever it can make up: a challenge with a made-up proof, then an answer.
                let fake = "{\"nonce\":\"00112233445566778899aabbccddeeff\",\"proof\":\"00\"}\n\
                            {\"ok\":true,\"message\":\"started for you\",\"presenter_link\":\"https://evil.example\"}\n";
                let _ = stream.write_all(fake.as_bytes());
            }
        });

        let start = Request::Start { personal_url: false, open_browser: false };
        assert!(matches!(forward_as(Kind::Secret, &profile.0, &start), Err(InstanceError::NotRunning)));
        assert_eq!(reached.load(Ordering::SeqCst), 1, "control: the launch did reach the squatter");
        let listener = first(&profile);
        assert_eq!(reached.load(Ordering::SeqCst), 2, "the claim reached it too, and listened elsewhere");
        assert_ne!(profile.rendezvous().pipe, stale);
        serve(listener);
        assert_eq!(forward_as(Kind::Secret, &profile.0, &Request::Ping).unwrap(), Reply::ok("Ping"));
    }

    /// Another user who found the name (pipes can be listed) but cannot read the file: nothing they send is
    /// acted on, neither a bare request nor one with a made-up proof.
    #[test]
    fn a_caller_who_does_not_know_the_secret_is_refused() {
        let profile = Profile::new();
        let asked = serve(first(&profile));
        let pipe = profile.rendezvous().pipe;
        let attempt = |lines: &str| {
            let mut stream = Stream::connect(pipe_name(&pipe).unwrap()).unwrap();
            stream.set_recv_timeout(Some(Duration::from_secs(10))).unwrap();
            stream.write_all(lines.as_bytes()).unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            answer
        };
        let bare = attempt("{\"request\":\"start\",\"personal_url\":false,\"open_browser\":false}\n");
        assert!(!bare.contains("\"ok\""), "no answer to a bare request: {bare}");
        let hello = "{\"hello\":\"00112233445566778899aabbccddeeff\"}\n";
        let request = serde_json::to_string(&serde_json::to_string(&Request::Quit).unwrap()).unwrap();
        let forged = attempt(&format!("{hello}{{\"proof\":\"{}\",\"request\":{request}}}\n", "ab".repeat(32)));
        assert!(forged.contains("\"nonce\""), "control: the app greeted them: {forged}");
        assert!(!forged.contains("\"ok\""), "no answer to a forged request: {forged}");
        assert_eq!(asked.load(Ordering::SeqCst), 0, "nothing was acted on");
        // Control: the user's own launch, which knows the secret, is.
        assert_eq!(forward_as(Kind::Secret, &profile.0, &Request::Ping).unwrap(), Reply::ok("Ping"));
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }
}
