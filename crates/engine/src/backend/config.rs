//! How the backend is started (what it talks to, with which keychain, browser and clock) and the handle that
//! sends it commands.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::protocol::Command;
use super::retry::RetryPolicy;
use crate::auth::{BrowserOpener, Clock};
use crate::providers::Endpoints;
use crate::settings::NetworkSettings;

pub use crate::services::KeychainChoice;

/// Called after every event: the UI passes `ctx.request_repaint`.
pub type Notifier = Arc<dyn Fn() + Send + Sync>;

/// Which services the backend talks to.
#[derive(Clone)]
pub enum Services {
    Configured(Box<Endpoints>),
    /// Start an embedded sandbox and use it: the whole app with no account. Nothing is saved.
    Demo,
    /// A running sandbox at this root URL.
    Sandbox(String),
    /// The settings file decides; with nothing configured, the demo. Read on the backend's thread, so the
    /// window's first frame waits for no disk.
    Auto(crate::settings::Paths),
}

pub struct BackendConfig {
    pub services: Services,
    pub network: NetworkSettings,
    pub data_dir: PathBuf,
    pub keychain: KeychainChoice,
    pub browser: Arc<dyn BrowserOpener>,
    pub clock: Arc<dyn Clock>,
    pub notifier: Notifier,
    pub retry: RetryPolicy,
    /// How long a delete can be undone.
    pub undo_window: Duration,
    pub flow_timeout: Duration,
    /// Where reminders are shown; `None`: no reminders (the command line).
    pub reminders: Option<Arc<dyn crate::ports::DesktopNotifier>>,
    /// The login item, for a managed StartAtLogin and the settings' own choice; `None`: left alone.
    pub autostart: Option<Arc<dyn crate::ports::Autostart>>,
    /// Keep the agenda live and the settings and policies applied as they change (the app); `None`: load the
    /// agenda only when asked, and read the settings once (the command line).
    pub live: Option<super::schedule::LiveConfig>,
    /// Tests: read the policies under this root instead of the system's (`Policies::load_dirs`).
    pub policy_root: Option<PathBuf>,
    /// The Help page's sources (the log folder, the desktop's checks, a file manager); `None`: a report with
    /// the version and the OS only (the command line, most tests).
    pub diagnostics: Option<DiagnosticsConfig>,
    /// Holds the backend's own start (settings, keychain, the demo's sandbox, the first requests) until
    /// released, or [`HOLD_AT_MOST`]: the window lets its first frame go first, a small machine's CPU not
    /// shared with it. `None`: start at once. Commands sent meanwhile wait their turn.
    pub hold: Option<Hold>,
}

/// What `RunDiagnostics` and `OpenFolder` use: handled beside the dispatcher, as they need no account.
#[derive(Clone)]
pub struct DiagnosticsConfig {
    /// Where the log files and crash reports are (`crate::diagnostics::log_dir`, or a test's own).
    pub log_dir: Option<PathBuf>,
    pub doctor: Option<Arc<dyn crate::ports::Doctor>>,
    pub folders: Option<Arc<dyn crate::ports::FolderOpener>>,
}

/// The longest a [`Hold`] keeps the backend waiting: a window whose first frame never comes still gets one.
pub const HOLD_AT_MOST: Duration = Duration::from_secs(2);

/// See [`BackendConfig::hold`].
pub struct Hold(tokio::sync::oneshot::Receiver<()>);

/// Lets a held backend start (dropping it does too).
pub struct Release(tokio::sync::oneshot::Sender<()>);

impl Hold {
    pub fn new() -> (Release, Hold) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        (Release(tx), Hold(rx))
    }

    /// Until released (or the release dropped): `true`; or `at_most`: `false`.
    pub(super) async fn wait(self, at_most: Duration) -> bool {
        tokio::time::timeout(at_most, self.0).await.is_ok()
    }
}

impl Release {
    pub fn release(self) {
        let _ = self.0.send(());
    }
}

/// Sends commands to the backend from any thread; never blocks.
#[derive(Clone)]
pub struct BackendHandle(pub(super) tokio::sync::mpsc::UnboundedSender<Command>);

impl BackendHandle {
    pub fn send(&self, command: Command) {
        let _ = self.0.send(command);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `timeout(ZERO, …)` polls the future once: ready or not, without waiting.
    async fn ready_now(wait: &mut std::pin::Pin<Box<impl Future<Output = bool>>>) -> bool {
        tokio::time::timeout(Duration::ZERO, wait.as_mut()).await.is_ok()
    }

    #[tokio::test]
    async fn a_hold_waits_for_its_release_and_no_longer() {
        let (release, hold) = Hold::new();
        let mut wait = Box::pin(hold.wait(Duration::from_secs(3600)));
        assert!(!ready_now(&mut wait).await, "held");
        release.release();
        assert!(ready_now(&mut wait).await, "released");

        // A release dropped unused lets go too (the window closed before its first frame).
        let (release, hold) = Hold::new();
        let mut wait = Box::pin(hold.wait(Duration::from_secs(3600)));
        assert!(!ready_now(&mut wait).await, "held");
        drop(release);
        assert!(ready_now(&mut wait).await, "let go");
    }

    #[tokio::test]
    async fn a_hold_never_released_ends_after_its_longest_wait() {
        let (_release, hold) = Hold::new();
        let waited = tokio::time::timeout(Duration::from_secs(60), hold.wait(Duration::from_millis(10))).await;
        assert_eq!(waited.ok(), Some(false), "the backend started without a release, and said so");
    }
}
