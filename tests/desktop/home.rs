//! A user's home for the app's processes: its own settings, data and single-instance socket; the session's
//! keychain; one sandbox; a join.me sign-in done through the command line.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::process::{BIN, Running, bin, get, sandbox_base, sign_in_joinme};

pub struct Home {
    pub root: PathBuf,
    pub base: String,
    _sandbox: Running,
}

impl Home {
    pub fn new() -> Self {
        assert!(
            std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(),
            "run with `cargo xtask test` (it provides the display, the session bus and the keychain)"
        );
        let (running, base) = sandbox_base();
        let root = std::env::temp_dir().join(format!("ml-desktop-{}", rand::random::<u64>()));
        Self { root, base, _sandbox: running }
    }

    /// The app with this home and the sandbox.
    pub fn command(&self) -> Command {
        self.with_home(bin())
    }

    /// The app run through `wrapper` (e.g. `setpriv` with its options), with this home and the sandbox.
    pub fn command_via(&self, wrapper: &[&str]) -> Command {
        let mut c = Command::new(wrapper[0]);
        c.args(&wrapper[1..]).arg(BIN);
        self.with_home(c)
    }

    fn with_home(&self, mut c: Command) -> Command {
        c.env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CACHE_HOME", self.root.join("cache"))
            .env("XDG_STATE_HOME", self.root.join("state"))
            .env_remove("WAYLAND_DISPLAY")
            // English unless a test says otherwise (`LANG` in `start_app_with`), whatever this machine's locale.
            .env("LANG", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .args(["--sandbox", &self.base]);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).stdin(Stdio::null()).output().unwrap()
    }

    /// Signs in to join.me: the "browser" follows the authorization URL back to the app.
    pub fn sign_in_joinme(&self) {
        let done = sign_in_joinme(self.command()).output;
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    }

    /// The window, started; its log goes to a file shown when something fails.
    pub fn start_app(&self, args: &[&str]) -> App {
        self.start_app_with(args, &[])
    }

    /// [`Home::start_app`] with more environment (a `PATH` with a stand-in opener).
    pub fn start_app_with(&self, args: &[&str], env: &[(&str, &str)]) -> App {
        std::fs::create_dir_all(&self.root).unwrap();
        let log = self.root.join(format!("app-{}.log", rand::random::<u32>()));
        let child = self
            .command()
            .args(args)
            .envs(env.iter().copied())
            .env("MEETING_LAUNCHER_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        App { running: Running(child), log }
    }

    /// How many meetings the sandbox saw started.
    pub fn started_meetings(&self) -> Vec<serde_json::Value> {
        let (_, list) = get(&format!("{}/_sandbox/joinme/started", self.base));
        serde_json::from_str::<Vec<serde_json::Value>>(&list).unwrap_or_default()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub struct App {
    pub running: Running,
    pub log: PathBuf,
}

impl App {
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.running.0.id()
    }

    /// Waits until `done`, failing with the app's log if it exits or time runs out.
    pub fn wait(&mut self, what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !done() {
            if let Ok(Some(status)) = self.running.0.try_wait() {
                panic!("the app exited ({status}) while waiting for {what}: {}", self.log());
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; the app's log: {}", self.log());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.running.0.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }
}

/// Runs `command` to its end, killing it after `timeout` (a launch that should hand over and exit but opened
/// a window instead must not hang the test).
pub fn output_within(command: &mut Command, timeout: Duration) -> Output {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + timeout;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("{command:?} did not end within {timeout:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Visible top-level windows of `pid`'s class on the test display.
pub fn windows(pid: u32) -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--pid", &pid.to_string(), "--name", "^Meeting Launcher$"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// Top-level windows of `pid`'s class on the test display, shown or not.
pub fn created_windows(pid: u32) -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--pid", &pid.to_string(), "--name", "^Meeting Launcher$"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// A window's position and size on the display: x, y, width, height.
pub fn geometry(window: &str) -> (i32, i32, i32, i32) {
    let out = Command::new("xdotool").args(["getwindowgeometry", "--shell", window]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let value = |key: &str| -> i32 {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {key} in xdotool's answer for {window}: {text}"))
    };
    (value("X"), value("Y"), value("WIDTH"), value("HEIGHT"))
}

/// Every visible Meeting Launcher window on the display, whoever owns it.
pub fn all_windows() -> Vec<String> {
    let out =
        Command::new("xdotool").args(["search", "--onlyvisible", "--name", "^Meeting Launcher$"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}
