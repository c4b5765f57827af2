//! What goes in and out of the backend: the commands the UI, the tray and tests send, and the events it
//! answers with.

use chrono::{DateTime, Utc};

use super::model::{AgendaItem, Draft, FieldProblem, PresentersView};
use super::reminders::ReminderSettings;
use crate::auth::keychain::SecretName;
use crate::auth::{AccountStatus, AuthError};
use crate::providers::{Provider, ProviderError, joindin, joinme};
use launcher_core::secret::Secret;

pub use crate::providers::joinme::Started;

/// Where the answer to a command goes when its sender waits for it (a second launch's `start`).
pub type Reply<T> = std::sync::mpsc::Sender<Result<T, ProviderError>>;

/// What the UI (or the tray, or a test) asks of the backend.
#[derive(Debug)]
pub enum Command {
    /// Re-read every account's agenda.
    Reload,
    /// Read the settings file and the policies again and apply them (sessions, drafts and the agenda stay).
    Reconfigure,
    /// Something that makes a reload worth doing soon (the window shown, a resume, the network back); the live
    /// agenda's budget decides when.
    Refresh(super::schedule::Trigger),
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
    /// Sign out, or remove a calendar.
    SignOut {
        account: String,
    },
    /// Add a calendar by its private address (checked, fetched once, kept in the keychain).
    AddCalendar {
        name: String,
        address: Secret,
        allow_http: bool,
        /// The user's addresses in it, for telling which meetings they declined.
        emails: Vec<String>,
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
    /// Whether a MeetingBooster server answers at `address`, through `network` (the proxy and CA being set up):
    /// answered by `ServerChecked` with the same `id`.
    CheckMeetingBoosterServer {
        id: u64,
        address: String,
        allow_http: bool,
        network: crate::settings::NetworkSettings,
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
    /// Save (`Some`) or remove (`None`) one of the app's own secrets in the keychain, never in the settings file;
    /// the services are then set up again with it. Answered with [`Event::AppSecretSaved`], then
    /// [`Event::AppSecrets`].
    SetAppSecret {
        name: SecretName,
        value: Option<Secret>,
    },
    /// The Help page: the version, the desktop's checks, the log folder and its last lines, answered with
    /// [`Event::Diagnostics`].
    RunDiagnostics,
    /// Open a local folder (the log folder) in the file manager.
    OpenFolder(std::path::PathBuf),
    Shutdown,
}

/// What the backend tells the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Accounts(Vec<AccountStatus>),
    /// Where secrets are kept in this run (the keychain, or memory with the reason).
    Storage(crate::auth::Storage),
    /// Whether the services are the embedded demo sandbox (at this address): said at each start and each change
    /// of settings, so the window knows when the demo has ended.
    Demo {
        base: Option<String>,
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
    /// What came of `CheckMeetingBoosterServer` number `id`: the reason when nothing answered as one should.
    ServerChecked {
        id: u64,
        result: Result<(), String>,
    },
    /// Where each of the app's own secrets comes from in the services now in force.
    AppSecrets(Vec<(SecretName, SecretSource)>),
    /// What came of `SetAppSecret`.
    AppSecretSaved {
        name: SecretName,
        result: Result<(), String>,
    },
    SignInWaiting {
        provider: Provider,
        url: String,
        browser_error: Option<String>,
    },
    SignInFinished {
        provider: Provider,
        result: Result<AccountStatus, AuthError>,
    },
    SignedOut {
        account: String,
        note: Option<ProviderError>,
    },
    /// The whole agenda, every account, sorted by start.
    Agenda(Vec<AgendaItem>),
    /// Per account: when its part of the agenda last loaded, and why the latest try failed (stale).
    AgendaStatus(std::collections::BTreeMap<String, launcher_core::agenda::Freshness>),
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
    /// A meeting is about to start. `notified` says whether the desktop showed it, with its buttons or without
    /// (and why not); `snooze_minutes` is the snooze the reminder offers (none when the meeting starts now).
    Reminder {
        item: AgendaItem,
        notified: Result<crate::ports::Shown, String>,
        snooze_minutes: Option<u32>,
    },
    /// A reminder was put off: it is given again at `until` (the backend's clock when it took the snooze).
    ReminderSnoozed {
        account: String,
        meeting_id: String,
        until: DateTime<Utc>,
    },
    /// What `RunDiagnostics` found.
    Diagnostics(Box<launcher_core::diagnostics::Report>),
}

/// What `JoinNext` did: the meeting, the link joined (the viewer link of a meeting it started), and the started
/// meeting's links.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    pub title: String,
    pub link: String,
    pub started: Option<Started>,
}

/// Where one of the app's own secrets (a client secret) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// Not set: join.me falls back to the implicit grant; joind.in's password sign-in cannot work.
    Missing,
    /// Saved in the keychain by the user (Settings, or `meeting-launcher secret set`).
    Keychain,
    /// Set by the organization's policy, which the user cannot change.
    Policy,
    /// Brought by the services themselves (the demo, a sandbox): nothing for the user to set.
    Services,
}
