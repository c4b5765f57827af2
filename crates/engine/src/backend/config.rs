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
}

/// What `RunDiagnostics` and `OpenFolder` use: handled beside the dispatcher, as they need no account.
#[derive(Clone)]
pub struct DiagnosticsConfig {
    /// Where the log files and crash reports are (`crate::diagnostics::log_dir`, or a test's own).
    pub log_dir: Option<PathBuf>,
    pub doctor: Option<Arc<dyn crate::ports::Doctor>>,
    pub folders: Option<Arc<dyn crate::ports::FolderOpener>>,
}

/// Sends commands to the backend from any thread; never blocks.
#[derive(Clone)]
pub struct BackendHandle(pub(super) tokio::sync::mpsc::UnboundedSender<Command>);

impl BackendHandle {
    pub fn send(&self, command: Command) {
        let _ = self.0.send(command);
    }
}
