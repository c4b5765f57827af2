//! The test environment: a private D-Bus session bus, an unlocked gnome-keyring Secret Service and an Xvfb
//! display, with XDG directories and HOME in a throw-away folder so no test touches the developer's own
//! keychain, settings or display.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden subcommand that runs inside `dbus-run-session`.
pub const INNER: &str = "__test-in-session";

/// A throw-away HOME and XDG folders (the runtime one private, as the spec wants), removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Result<Self, String> {
        let root = std::env::temp_dir().join(format!("meeting-launcher-{name}-{}", std::process::id()));
        for dir in ["home", "config", "data", "cache", "runtime"] {
            std::fs::create_dir_all(root.join(dir)).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        }
        set_private(&root.join("runtime"));
        Ok(Self(root))
    }

    /// Points `command`'s HOME and XDG folders here.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env("HOME", self.0.join("home"))
            .env("XDG_CONFIG_HOME", self.0.join("config"))
            .env("XDG_DATA_HOME", self.0.join("data"))
            .env("XDG_CACHE_HOME", self.0.join("cache"))
            .env("XDG_RUNTIME_DIR", self.0.join("runtime"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn run_tests(args: &[String]) -> Result<(), String> {
    run_tests_with(args, &[])
}

/// The tests in the session, with `env` added to the environment cargo test runs in.
pub fn run_tests_with(args: &[String], env: &[(String, std::ffi::OsString)]) -> Result<(), String> {
    refuse_snapshot_updates_in_ci()?;
    let scratch = Scratch::new("test")?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new("dbus-run-session");
    scratch
        .apply(command.arg("--").arg(me).arg(INNER).args(args))
        // Cargo's own folders stay where they were, or every dependency would be fetched and built again.
        .env("CARGO_HOME", cargo_home())
        .env("RUSTUP_HOME", rustup_home())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().map(|(k, v)| (k, v)));
    crate::status(&mut command)
}

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| home().join(".cargo"))
}

pub fn rustup_home() -> PathBuf {
    std::env::var_os("RUSTUP_HOME").map(PathBuf::from).unwrap_or_else(|| home().join(".rustup"))
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"))
}

fn set_private(dir: &Path) {
    #[cfg(not(unix))]
    let _ = dir;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
}

/// Kills the helper processes when the tests end, whatever the outcome.
pub struct Helpers(pub Vec<Child>);

impl Drop for Helpers {
    fn drop(&mut self) {
        for child in &mut self.0 {
            // SIGTERM first: Xvfb then removes its lock file and socket (a SIGKILL leaves them, and the display
            // numbers run out after enough runs).
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && child.try_wait().ok().flatten().is_none() {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Display `n` is taken only while the server that locked it runs: a lock left by a killed one is cleared.
fn display_free(n: u32) -> bool {
    let lock = format!("/tmp/.X{n}-lock");
    let socket = format!("/tmp/.X11-unix/X{n}");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        let alive = text.trim().parse::<u32>().is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if alive {
            return false;
        }
        let _ = std::fs::remove_file(&lock);
        let _ = std::fs::remove_file(&socket);
    }
    !Path::new(&lock).exists() && !Path::new(&socket).exists()
}

pub fn inner(args: &[String]) -> Result<(), String> {
    let mut helpers = Helpers(Vec::new());
    let keyring = start_keyring(&mut helpers)?;
    let display = start_xvfb(&mut helpers)?;
    eprintln!("xtask: private session ready (D-Bus, unlocked gnome-keyring, Xvfb {display})");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    software_rendering(&mut command);
    let tested = crate::status(
        command
            .args(["test", "--workspace", "--no-fail-fast"])
            .args(args)
            .env("DISPLAY", &display)
            // Snapshots show local times: fix the zone so they are the same everywhere.
            .env("TZ", "UTC")
            // And English words, whatever this machine's locale (the tests that want German say so).
            .env("LANG", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("MEETING_LAUNCHER_TEST_SESSION", "1"),
    );
    keyring_report(&mut helpers, keyring);
    tested
}

/// Snapshots are the reference a change is judged against: CI compares, it never rewrites them.
fn refuse_snapshot_updates_in_ci() -> Result<(), String> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    if set("CI") && set("UPDATE_SNAPSHOTS") {
        return Err("UPDATE_SNAPSHOTS is set in CI: snapshots are only rewritten on purpose, on a developer's \
                    machine (`UPDATE_SNAPSHOTS=1 cargo xtask test-only -p launcher-ui`), and committed"
            .into());
    }
    Ok(())
}

/// Renders with Mesa's software drivers whatever GPU the machine has, so snapshots compare the same everywhere:
/// Vulkan sees only lavapipe, OpenGL only llvmpipe.
pub fn software_rendering(command: &mut Command) {
    let lavapipe = std::fs::read_dir("/usr/share/vulkan/icd.d")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("lvp_icd.")));
    if let Some(icd) = lavapipe {
        // The loader reads VK_DRIVER_FILES; older ones VK_ICD_FILENAMES.
        command.env("VK_DRIVER_FILES", &icd).env("VK_ICD_FILENAMES", &icd);
    }
    command.env("LIBGL_ALWAYS_SOFTWARE", "1");
}

/// Starts gnome-keyring's Secret Service on an unencrypted, always unlocked login keyring in the session's
/// `XDG_DATA_HOME`, then checks that a secret can be stored and read back. The daemon is `helpers`' child, so
/// [`keyring_report`] can tell whether it died during the run. Unencrypted, so any daemon opens it without an
/// unlock prompt: if this one dies, D-Bus activation starts another on the next call, and it must open the same
/// login keyring rather than ask for a password on a display there is none of (every keychain test then fails
/// for the harness's sake, not the code's). A password here would protect nothing: it would be in this file.
pub fn start_keyring(helpers: &mut Helpers) -> Result<u32, String> {
    let data = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| home().join(".local/share"));
    let keyrings = data.join("keyrings");
    std::fs::create_dir_all(&keyrings).map_err(|e| format!("cannot create {}: {e}", keyrings.display()))?;
    set_private(&keyrings);
    let login = keyrings.join("login.keyring");
    if !login.exists() {
        // gnome-keyring's plain-text format, which it keeps for keyrings with an empty password.
        let text = "[keyring]\ndisplay-name=Login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n";
        std::fs::write(&login, text).map_err(|e| format!("cannot write {}: {e}", login.display()))?;
    }
    std::fs::write(keyrings.join("default"), "login").map_err(|e| format!("cannot write the default keyring: {e}"))?;
    let child = Command::new("gnome-keyring-daemon")
        .args(["--start", "--foreground", "--components=secrets"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
    let pid = child.id();
    helpers.0.push(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let stored = Command::new("secret-tool")
            .args(["store", "--label=xtask probe", "service", "meeting-launcher-xtask", "account", "probe"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("piped").write_all(b"probe")?;
                c.wait()
            })
            .is_ok_and(|s| s.success());
        if stored {
            let _ = Command::new("secret-tool")
                .args(["clear", "service", "meeting-launcher-xtask", "account", "probe"])
                .status();
            return Ok(pid);
        }
        if Instant::now() > deadline {
            return Err("the gnome-keyring Secret Service did not answer within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Says whether the keyring daemon [`start_keyring`] started (pid `pid`) died before the tests ended: the first
/// thing to know when keychain tests fail together.
pub fn keyring_report(helpers: &mut Helpers, pid: u32) {
    let Some(daemon) = helpers.0.iter_mut().find(|c| c.id() == pid) else { return };
    if let Ok(Some(status)) = daemon.try_wait() {
        eprintln!(
            "xtask: the tests' gnome-keyring daemon (pid {pid}) exited during the run ({status}); D-Bus started \
             another for the next call, on the same unlocked login keyring"
        );
    }
}

/// Starts Xvfb on a free display number and returns the display (`:N`); `helpers` kills it when dropped.
pub fn start_xvfb(helpers: &mut Helpers) -> Result<String, String> {
    let number = (90..200).find(|n| display_free(*n)).ok_or("no free X display number")?;
    let display = format!(":{number}");
    let child = Command::new("Xvfb")
        // -noreset: a server reset when the last client leaves refuses the next test's connection.
        .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    helpers.0.push(child);
    let socket = format!("/tmp/.X11-unix/X{number}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !Path::new(&socket).exists() {
        if Instant::now() > deadline {
            return Err(format!("Xvfb did not open {socket} within 10 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(display)
}
