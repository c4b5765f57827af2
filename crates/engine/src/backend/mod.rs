//! The backend: one task on its own tokio runtime that owns the HTTP clients and the sessions, takes
//! [`Command`]s on a channel and answers with [`Event`]s. The GUI, the tray and the command line all go
//! through it, so none of them waits on the network. Every event wakes the UI (repaint on send), so the UI
//! repaints only when something changed.

mod demo;
pub mod drafts;
pub mod model;
pub mod ops;
pub mod reminders;
pub mod retry;
mod task;

pub use demo::demo_endpoints;
#[cfg(feature = "demo")]
pub use demo::demo_sandbox;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::auth::{AccountStatus, BrowserOpener, Clock};
use crate::providers::{Endpoints, Provider, ProviderError, joindin, joinme};
use crate::settings::NetworkSettings;
use launcher_core::secret::Secret;

pub use model::{AgendaItem, Draft, DraftState, Field, FieldProblem, ItemKind, PresentersView};
pub use reminders::ReminderSettings;
pub use retry::RetryPolicy;

/// Where the answer to a command goes when its sender waits for it (a second launch's `start`).
pub type Reply<T> = std::sync::mpsc::Sender<Result<T, ProviderError>>;

/// What the UI (or the tray, or a test) asks of the backend.
#[derive(Debug)]
pub enum Command {
    /// Re-read every account's agenda.
    Reload,
    StartBrowserSignIn {
        provider: Provider,
    },
    CancelBrowserSignIn {
        provider: Provider,
    },
    SignInWithPassword {
        provider: Provider,
        username: String,
        password: Secret,
    },
    SignOut {
        account: String,
    },
    RefreshToken {
        account: String,
    },
    /// join.me's testing aid.
    ExpireAccess {
        account: String,
    },
    /// Create (no `meeting_id`) or edit a meeting. Kept as a draft until confirmed.
    SaveMeeting {
        draft: Draft,
    },
    RetryDraft {
        draft_id: String,
    },
    DiscardDraft {
        draft_id: String,
    },
    /// Deleted after the undo window unless undone.
    DeleteMeeting {
        account: String,
        meeting_id: String,
    },
    UndoDelete {
        account: String,
        meeting_id: String,
    },
    /// Start a scheduled meeting, or an ad-hoc one when `meeting_id` is `None` (on the personal URL when
    /// asked and the account has one); the presenter link is opened.
    StartMeeting {
        account: String,
        meeting_id: Option<String>,
        personal_url: bool,
    },
    /// join.me: the user and their conference settings.
    LoadProfile {
        account: String,
    },
    /// Start an ad-hoc meeting on the first join.me account (the tray, a second launch). The presenter link is
    /// opened unless `open_browser` is off; `reply` gets the result too.
    QuickStart {
        personal_url: bool,
        open_browser: bool,
        reply: Option<Reply<Started>>,
    },
    /// Start (join.me) or join (its link) the meeting in progress or the next one; `reply` gets what was done.
    JoinNext {
        open_browser: bool,
        reply: Option<Reply<Joined>>,
    },
    /// Open a meeting's link in the browser (a reminder's Join).
    OpenLink {
        url: String,
    },
    /// The reminder settings changed.
    SetReminders(ReminderSettings),
    /// Give this meeting's reminder again in `minutes`.
    SnoozeReminder {
        account: String,
        meeting_id: String,
        minutes: u32,
    },
    LoadPresenters {
        account: String,
    },
    InvitePresenter {
        account: String,
        email: String,
    },
    RemovePresenter {
        account: String,
        presenter_id: u64,
    },
    LoadTalks {
        account: String,
        event_id: String,
    },
    SetAttending {
        account: String,
        event_id: String,
        attend: bool,
    },
    /// Write the settings file at `path`, keeping the user's own values under what `policies` lock (the ones
    /// the window showed), and apply its start-at-login choice.
    SaveSettings {
        path: std::path::PathBuf,
        settings: Box<crate::settings::Settings>,
        policies: Box<crate::settings::Policies>,
    },
    Shutdown,
}

/// What the backend tells the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Accounts(Vec<AccountStatus>),
    /// Where secrets are kept in this run (the keychain, or memory with the reason).
    Storage(crate::auth::Storage),
    /// Demo mode: the services are the embedded sandbox at this address.
    Demo {
        base: String,
    },
    /// The organization's policies (and the ones that were ignored, and why).
    Policies(crate::settings::Policies),
    /// The settings in force, for the settings screen.
    Settings {
        paths: Option<crate::settings::Paths>,
        settings: crate::settings::Settings,
    },
    /// What came of `SaveSettings`: a message that says what could not be done.
    SettingsSaved(Result<(), String>),
    SignInWaiting {
        provider: Provider,
        url: String,
        browser_error: Option<String>,
    },
    SignInFinished {
        provider: Provider,
        result: Result<AccountStatus, ProviderError>,
    },
    SignedOut {
        account: String,
        note: Option<ProviderError>,
    },
    /// The whole agenda, every account, sorted by start.
    Agenda(Vec<AgendaItem>),
    AgendaLoading(bool),
    Drafts(Vec<Draft>),
    /// The draft is now a meeting on the server.
    DraftSaved {
        draft_id: String,
        meeting_id: String,
        message: String,
    },
    DraftInvalid {
        draft_id: String,
        problems: Vec<FieldProblem>,
    },
    DraftFailed {
        draft_id: String,
        error: ProviderError,
    },
    DeletePending {
        account: String,
        meeting_id: String,
        until: DateTime<Utc>,
    },
    DeleteUndone {
        account: String,
        meeting_id: String,
    },
    Deleted {
        account: String,
        meeting_id: String,
    },
    MeetingStarted {
        account: String,
        presenter_link: String,
        viewer_link: String,
    },
    Presenters {
        account: String,
        view: PresentersView,
    },
    Profile {
        account: String,
        user: joinme::User,
        conference: Option<joinme::Conference>,
    },
    Talks {
        event_id: String,
        talks: Vec<joindin::Talk>,
    },
    /// An account needs a new sign-in; the others keep working.
    SignInNeeded {
        account: String,
        error: ProviderError,
    },
    /// Something failed; `action` says what, in words ("Deleting the meeting").
    Failed {
        account: Option<String>,
        action: String,
        error: ProviderError,
    },
    /// Something finished that deserves a word (a presenter invited, a meeting created).
    Notice(String),
    /// A meeting is about to start. `notified` says whether the desktop showed it (and why not).
    Reminder {
        item: AgendaItem,
        notified: Result<(), String>,
    },
}

/// What `JoinNext` did: the meeting, the link joined (the viewer link of a meeting it started), and the started
/// meeting's links.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    pub title: String,
    pub link: String,
    pub started: Option<Started>,
}

/// Called after every event: the UI passes `ctx.request_repaint`.
pub type Notifier = Arc<dyn Fn() + Send + Sync>;

pub use crate::services::KeychainChoice;

/// Which services the backend talks to.
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
}

/// The UI's end of the backend.
pub struct Backend {
    commands: tokio::sync::mpsc::UnboundedSender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Backend {
    /// Starts the backend thread and its runtime. Events arrive on the returned receiver.
    pub fn start(config: BackendConfig) -> (Self, std::sync::mpsc::Receiver<Event>) {
        let (commands, inbox) = tokio::sync::mpsc::unbounded_channel();
        // The backend sends itself commands too: a reminder's action arrives on the notification's thread.
        let own = BackendHandle(commands.clone());
        let (events, outbox) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("backend".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .thread_name("backend-worker")
                    .build()
                    .expect("the backend runtime starts");
                runtime.block_on(task::run(config, inbox, own, events));
                // In-flight work was finished or cancelled by `run`; don't wait for stragglers.
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .expect("the backend thread starts");
        (Self { commands, thread: Some(thread) }, outbox)
    }

    /// Queues a command; never blocks.
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// A sender for other threads (the tray, other launches).
    pub fn handle(&self) -> BackendHandle {
        BackendHandle(self.commands.clone())
    }

    /// Asks the backend to finish: pending deletes are sent, in-flight work gets a few seconds.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Sends commands to the backend from any thread; never blocks.
#[derive(Clone)]
pub struct BackendHandle(tokio::sync::mpsc::UnboundedSender<Command>);

impl BackendHandle {
    pub fn send(&self, command: Command) {
        let _ = self.0.send(command);
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop();
    }
}

pub use joinme::Started;
