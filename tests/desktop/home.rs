//! A user's home for the app's processes: its own settings, data and single-instance socket; the session's
//! keychain; one sandbox; a join.me sign-in done through the command line.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::process::{Running, bin, get, sandbox_base, sign_in_joinme};

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
        let mut c = bin();
        c.env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CACHE_HOME", self.root.join("cache"))
            .env("XDG_STATE_HOME", self.root.join("state"))
            .env_remove("WAYLAND_DISPLAY")
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
        std::fs::create_dir_all(&self.root).unwrap();
        let log = self.root.join(format!("app-{}.log", rand::random::<u32>()));
        let child = self
            .command()
            .args(args)
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
    log: PathBuf,
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

    /// Waits for the process to end by itself.
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

/// Visible top-level windows of `pid`'s class on the test display.
pub fn windows(pid: u32) -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--pid", &pid.to_string(), "--name", "^Meeting Launcher$"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// Every visible Meeting Launcher window on the display, whoever owns it.
pub fn all_windows() -> Vec<String> {
    let out =
        Command::new("xdotool").args(["search", "--onlyvisible", "--name", "^Meeting Launcher$"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}
