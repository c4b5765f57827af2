//! What the engine asks of the machine it runs on, as traits the desktop layer implements (and tests replace):
//! a browser to open pages in, a clock, desktop notifications for reminders, the login item, the desktop's
//! `doctor` checks and a file manager for the log folder.

use chrono::{DateTime, Utc};

/// Opens a page in the user's browser. Only http(s) URLs should be handed to the OS; a failure to open is not
/// fatal: the URL is always shown to copy, and a sign-in keeps waiting.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &url::Url) -> Result<(), String>;
}

/// Opens nothing: the user copies the URL (headless machines, SSH).
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _: &url::Url) -> Result<(), String> {
        Err("not opening a browser".into())
    }
}

/// What time it is: token expiry, countdowns, reminders and undo windows all read this one clock. Tests make it
/// follow the sandbox's virtual clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A reminder as the notification shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    pub summary: String,
    pub body: String,
    /// The button: "Start" or "Join"; `None` when there is nothing to start or join.
    pub action: Option<String>,
    /// Offer "Snooze N min" (not when the meeting is starting now).
    pub snooze_minutes: Option<u32>,
}

/// What the user picked in a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderChoice {
    /// The action button, or a click on the notification.
    Start,
    Snooze,
}

pub type OnChoice = Box<dyn FnOnce(ReminderChoice) + Send>;

/// How the desktop showed a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// With its buttons (Start or Join, Snooze): the person answers in the notification.
    WithButtons,
    /// As text only (a server without actions, or a system whose notifications take none here): the window
    /// offers the buttons instead.
    WithoutButtons,
}

/// Shows reminders on the desktop.
pub trait DesktopNotifier: Send + Sync {
    /// Shows `reminder`. When the user picks a button (or clicks it), `on_choice` runs, later, on another
    /// thread. Talks to the desktop (D-Bus): call it where blocking briefly is fine.
    fn show(&self, reminder: &Reminder, on_choice: OnChoice) -> Result<Shown, String>;
}

/// The login item ("start at login"). Touches files or the registry: call it off the UI thread.
pub trait Autostart: Send + Sync {
    fn is_enabled(&self) -> bool;
    fn set_enabled(&self, enabled: bool) -> Result<(), String>;
}

/// The desktop's own checks (`doctor`): display, session bus, tray, notifications, browser, keychain, network.
/// Blocks (D-Bus, HTTP, processes): the backend calls it on a blocking thread.
pub trait Doctor: Send + Sync {
    fn run(&self) -> Vec<launcher_core::diagnostics::Check>;
}

/// Opens a local folder in the file manager (the Help page's log folder). Apart from [`BrowserOpener`], which
/// hands the OS http(s) URLs only.
pub trait FolderOpener: Send + Sync {
    fn open_folder(&self, path: &std::path::Path) -> Result<(), String>;
}
