//! The backend task itself: restores the sessions, then runs each command as its own task so a slow service
//! never holds up another, and reports through events.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tokio::task::JoinSet;

use super::demo::FollowingBrowser;
use super::drafts::DraftStore;
use super::model::{AgendaItem, Draft, DraftState};
use super::ops::{MbSyncState, Ops};
use super::reminders::{ReminderSettings, Reminders, reminder_for};
use super::{BackendConfig, BackendHandle, Command, Event, Notifier, RetryPolicy, Services};
use crate::auth::{Auth, AuthConfig, BrowserOpener, CancelHandle};
use crate::ports::{Autostart, DesktopNotifier, ReminderChoice};
use crate::providers::{Provider, ProviderError, UserAction};
use crate::services::{Resolution, ServiceError, Services as InForce, Source, resolve};

#[derive(Clone)]
struct Sink {
    tx: std::sync::mpsc::Sender<Event>,
    notify: Notifier,
}

impl Sink {
    fn send(&self, event: Event) {
        if self.tx.send(event).is_ok() {
            (self.notify)();
        }
    }
}

struct PendingDelete {
    item: AgendaItem,
    generation: u64,
}

struct State {
    auth: Auth,
    sink: Sink,
    store: DraftStore,
    drafts: Mutex<Vec<Draft>>,
    agenda: Mutex<BTreeMap<String, Vec<AgendaItem>>>,
    mb_sync: tokio::sync::Mutex<HashMap<String, MbSyncState>>,
    pending_deletes: Mutex<HashMap<(String, String), PendingDelete>>,
    generation: std::sync::atomic::AtomicU64,
    sign_ins: Mutex<HashMap<Provider, CancelHandle>>,
    browser: Arc<dyn BrowserOpener>,
    policy: RetryPolicy,
    undo_window: std::time::Duration,
    /// The backend's own inbox, for what arrives from other threads (a reminder's action).
    own: BackendHandle,
    notifier: Option<Arc<dyn DesktopNotifier>>,
    reminders: Mutex<Reminders>,
    reminder_settings: Mutex<ReminderSettings>,
    /// Wakes the reminder timer when the agenda or the settings change.
    reminders_changed: tokio::sync::Notify,
    autostart: Option<Arc<dyn Autostart>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub async fn run(
    config: BackendConfig,
    mut inbox: tokio::sync::mpsc::UnboundedReceiver<Command>,
    own: BackendHandle,
    events: std::sync::mpsc::Sender<Event>,
) {
    let sink = Sink { tx: events, notify: config.notifier.clone() };
    // The organization's policies, read here rather than on the window's thread.
    let policies = crate::settings::Policies::system();
    sink.send(Event::Policies(policies.clone()));
    // What to talk to, decided where the command line decides it too; the settings file is read here, off the
    // window's thread.
    let (source, paths) = match config.services {
        Services::Configured(endpoints) => (Source::Endpoints(endpoints), None),
        Services::Sandbox(url) => (Source::Sandbox(url), None),
        Services::Demo => (Source::Demo, None),
        Services::Auto(paths) => (Source::Settings { demo_when_empty: true }, Some(paths)),
    };
    let settings_file = paths.as_ref().map(|p| p.settings_file.clone());
    let Resolution { services, problems } = resolve(source, settings_file.as_deref(), config.keychain, policies).await;
    for error in problems {
        let action = error.action().to_string();
        let error = match error {
            ServiceError::DemoDisabled => ProviderError::NotPermitted {
                provider: Provider::Joinme,
                detail: "demo mode is turned off by your organization's policy".into(),
            },
            other => ProviderError::Network { detail: other.to_string() },
        };
        sink.send(Event::Failed { account: None, action, error });
    }
    let InForce { endpoints, keychain, network: settings_network, settings, policies, demo } = services;
    if let Some(demo) = &demo {
        sink.send(Event::Demo { base: demo.config.sandbox.base.clone() });
    }
    let mut reminder_settings = ReminderSettings::default();
    if let (Some(paths), Some(settings)) = (paths, &settings) {
        reminder_settings = settings.reminders;
        if let Some(autostart) = &config.autostart {
            apply_start_at_login(&policies, autostart.as_ref());
        }
        sink.send(Event::Settings { paths: Some(paths), settings: settings.clone() });
    }
    // The settings file's proxy, CA file and timeout when the settings decide the services.
    let network = settings_network.unwrap_or(config.network);
    sink.send(Event::Storage(keychain.storage().clone()));
    let auth = match Auth::new(AuthConfig {
        endpoints,
        network,
        data_dir: config.data_dir.clone(),
        keychain,
        // The demo signs itself in without showing a browser.
        browser: if demo.is_some() { FollowingBrowser::new() } else { config.browser.clone() },
        clock: config.clock,
        flow_timeout: config.flow_timeout,
    }) {
        Ok(auth) => auth,
        Err(error) => {
            // Bad network settings: say so, and wait to be shut down.
            sink.send(Event::Failed { account: None, action: "Starting".into(), error });
            while let Some(command) = inbox.recv().await {
                if matches!(command, Command::Shutdown) {
                    break;
                }
            }
            return;
        }
    };
    // The demo's drafts belong to its throw-away sandbox: keep them out of the user's data folder.
    let drafts_dir = if demo.is_some() {
        std::env::temp_dir().join(format!("meeting-launcher-demo-{}", std::process::id()))
    } else {
        config.data_dir.clone()
    };
    let store = DraftStore::new(&drafts_dir);
    let reminders = Reminders::load(demo.is_none().then(|| config.data_dir.join("reminders.json")));
    let drafts = store.load();
    let state = Arc::new(State {
        auth,
        sink,
        store,
        drafts: Mutex::new(drafts),
        agenda: Mutex::default(),
        mb_sync: Default::default(),
        pending_deletes: Mutex::default(),
        generation: Default::default(),
        sign_ins: Mutex::default(),
        browser: config.browser,
        policy: config.retry,
        undo_window: config.undo_window,
        own,
        notifier: config.reminders,
        reminders: Mutex::new(reminders),
        reminder_settings: Mutex::new(reminder_settings),
        reminders_changed: tokio::sync::Notify::new(),
        autostart: config.autostart,
    });
    let accounts = state.auth.restore().await;
    state.sink.send(Event::Accounts(accounts));
    state.sink.send(Event::Drafts(lock(&state.drafts).clone()));

    let mut tasks = JoinSet::new();
    tasks.spawn(reload_all(state.clone()));
    let reminders = state.notifier.is_some().then(|| tokio::spawn(remind(state.clone())));
    if let Some(demo) = &demo {
        tasks.spawn(demo_sign_ins(state.clone(), demo.config.clone()));
    }
    while let Some(command) = inbox.recv().await {
        if matches!(command, Command::Shutdown) {
            break;
        }
        tasks.spawn(handle(state.clone(), command));
        while tasks.try_join_next().is_some() {}
    }
    if let Some(reminders) = reminders {
        reminders.abort();
    }
    // Deletes the user did not undo are sent now rather than lost.
    let pending: Vec<_> = lock(&state.pending_deletes).drain().collect();
    for ((account, meeting_id), p) in pending {
        tasks.spawn(perform_delete(state.clone(), account, meeting_id, p.item));
    }
    let drained =
        tokio::time::timeout(std::time::Duration::from_secs(5), async { while tasks.join_next().await.is_some() {} })
            .await;
    if drained.is_err() {
        tasks.abort_all();
    }
}

impl State {
    fn ops(&self) -> Ops<'_> {
        Ops { auth: &self.auth, policy: self.policy }
    }

    async fn send_accounts(&self) {
        self.sink.send(Event::Accounts(self.auth.accounts().await));
    }

    /// Every account's meetings, sorted by start, without those being deleted.
    fn agenda(&self) -> Vec<AgendaItem> {
        let hidden = lock(&self.pending_deletes);
        let mut all: Vec<AgendaItem> = lock(&self.agenda)
            .values()
            .flatten()
            .filter(|i| !hidden.keys().any(|(account, id)| *account == i.account && *id == i.id))
            .cloned()
            .collect();
        drop(hidden);
        all.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
        all
    }

    fn send_agenda(&self) {
        self.sink.send(Event::Agenda(self.agenda()));
        self.reminders_changed.notify_one();
    }

    /// Gives the reminders due now in `agenda`.
    fn give_reminders(&self, agenda: &[AgendaItem], now: chrono::DateTime<chrono::Utc>) {
        let Some(notifier) = &self.notifier else { return };
        let settings = *lock(&self.reminder_settings);
        let due = lock(&self.reminders).take_due(agenda, now, settings);
        for item in due {
            let reminder = reminder_for(&item, now);
            let own = self.own.clone();
            // Start a join.me meeting; open another service's link; nothing to do without either.
            let action = match (&item.can_start, &item.link) {
                (true, _) => Some(Command::StartMeeting {
                    account: item.account.clone(),
                    meeting_id: Some(item.id.clone()),
                    personal_url: false,
                }),
                (false, Some(url)) => Some(Command::OpenLink { url: url.clone() }),
                (false, None) => None,
            };
            let notifier = notifier.clone();
            let sink_item = item.clone();
            let sink = self.sink.clone();
            // Showing a notification talks to D-Bus: off the runtime's worker threads.
            tokio::task::spawn_blocking(move || {
                let snooze = Command::SnoozeReminder {
                    account: sink_item.account.clone(),
                    meeting_id: sink_item.id.clone(),
                    minutes: reminder.snooze_minutes.unwrap_or(0),
                };
                let on_choice = Box::new(move |choice| match choice {
                    ReminderChoice::Start => {
                        if let Some(action) = action {
                            own.send(action);
                        }
                    }
                    ReminderChoice::Snooze => own.send(snooze),
                });
                let notified = notifier.show(&reminder, on_choice);
                if let Err(e) = &notified {
                    tracing::info!(error = %e, "the reminder could not be shown on the desktop");
                }
                sink.send(Event::Reminder { item: sink_item, notified });
            });
        }
    }

    fn save_drafts(&self) {
        let drafts = lock(&self.drafts).clone();
        self.store.save(&drafts);
        self.sink.send(Event::Drafts(drafts));
    }

    /// Reports a failure; a lost sign-in is its own event, for that account only.
    async fn report(&self, account: Option<&str>, action: &str, error: ProviderError) {
        if let (Some(account), UserAction::SignInAgain) = (account, error.action()) {
            self.sink.send(Event::SignInNeeded { account: account.into(), error });
            self.send_accounts().await;
            return;
        }
        self.sink.send(Event::Failed { account: account.map(String::from), action: action.into(), error });
    }
}

/// Gives each reminder when it falls due: sleeps until the next one, and wakes when the agenda changes. The
/// time comes from the clock tokens are judged by, checked at least once a minute so a suspended laptop or a
/// virtual clock in tests catches up.
async fn remind(state: Arc<State>) {
    loop {
        let (agenda, now) = (state.agenda(), state.auth.now());
        state.give_reminders(&agenda, now);
        let settings = *lock(&state.reminder_settings);
        let next = lock(&state.reminders).next_due(&agenda, now, settings);
        let wait = next
            .map(|at| (at - now).to_std().unwrap_or_default())
            .unwrap_or(std::time::Duration::from_secs(60))
            .clamp(std::time::Duration::from_millis(200), std::time::Duration::from_secs(60));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.reminders_changed.notified() => {}
        }
    }
}

async fn reload_all(state: Arc<State>) {
    state.sink.send(Event::AgendaLoading(true));
    let accounts = state.auth.accounts().await;
    let loads = accounts.iter().filter(|a| a.signed_in()).map(|a| reload_account(state.clone(), a.key().to_string()));
    futures_util::future::join_all(loads).await;
    // Accounts that are gone or signed out show nothing.
    let keys: Vec<String> =
        state.auth.accounts().await.into_iter().filter(|a| a.signed_in()).map(|a| a.record.key).collect();
    lock(&state.agenda).retain(|k, _| keys.contains(k));
    state.sink.send(Event::AgendaLoading(false));
    state.send_agenda();
}

async fn reload_account(state: Arc<State>, key: String) {
    let Some(account) = state.auth.account(&key).await else {
        return;
    };
    let result = {
        let mut sync = state.mb_sync.lock().await;
        let entry = sync.entry(key.clone()).or_default();
        state.ops().agenda(&account, entry).await
    };
    match result {
        Ok(items) => {
            lock(&state.agenda).insert(key, items);
        }
        Err(error) => {
            lock(&state.agenda).remove(&key);
            state.report(Some(&key), &format!("Loading {}'s meetings", account.record.provider), error).await;
        }
    }
    state.send_agenda();
}

async fn handle(state: Arc<State>, command: Command) {
    match command {
        Command::Shutdown => {}
        Command::Reload => reload_all(state).await,
        Command::StartBrowserSignIn { provider } => browser_sign_in(state, provider).await,
        Command::CancelBrowserSignIn { provider } => {
            if let Some(cancel) = lock(&state.sign_ins).remove(&provider) {
                cancel.cancel();
            }
        }
        Command::SignInWithPassword { provider, username, password } => {
            let result = state.auth.sign_in_with_password(provider, &username, password).await;
            signed_in(state, provider, result).await;
        }
        Command::SignOut { account } => match state.auth.sign_out(&account).await {
            Ok(note) => {
                lock(&state.agenda).remove(&account);
                state.mb_sync.lock().await.remove(&account);
                state.sink.send(Event::SignedOut { account, note });
                state.send_accounts().await;
                state.send_agenda();
            }
            Err(error) => state.report(Some(&account), "Signing out", error).await,
        },
        Command::RefreshToken { account } => match state.auth.refresh_now(&account).await {
            Ok(_) => state.send_accounts().await,
            Err(error) => state.report(Some(&account), "Refreshing the sign-in", error).await,
        },
        Command::ExpireAccess { account } => match state.auth.expire_access(&account).await {
            Ok(()) => {
                state.sink.send(Event::Notice("join.me expired the access token; the next call refreshes it.".into()));
                state.send_accounts().await;
            }
            Err(error) => state.report(Some(&account), "Expiring the access token", error).await,
        },
        Command::SaveMeeting { mut draft } => {
            draft.state = DraftState::Sending;
            save_draft(state, draft).await
        }
        Command::RetryDraft { draft_id } => {
            let draft = lock(&state.drafts).iter().find(|d| d.id == draft_id).cloned();
            if let Some(mut draft) = draft {
                draft.state = DraftState::Sending;
                save_draft(state, draft).await;
            }
        }
        Command::DiscardDraft { draft_id } => {
            lock(&state.drafts).retain(|d| d.id != draft_id);
            state.save_drafts();
        }
        Command::DeleteMeeting { account, meeting_id } => delete_later(state, account, meeting_id).await,
        Command::UndoDelete { account, meeting_id } => {
            if lock(&state.pending_deletes).remove(&(account.clone(), meeting_id.clone())).is_some() {
                state.sink.send(Event::DeleteUndone { account, meeting_id });
                state.send_agenda();
            }
        }
        Command::StartMeeting { account, meeting_id, personal_url } => {
            let _ = start_meeting(&state, &account, meeting_id.as_deref(), personal_url, true).await;
        }
        Command::QuickStart { personal_url, open_browser, reply } => {
            let result = quick_start(&state, personal_url, open_browser).await;
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        Command::JoinNext { open_browser, reply } => {
            let result = join_next(&state, open_browser).await;
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        Command::OpenLink { url } => match url::Url::parse(&url) {
            Ok(parsed) => {
                if let Err(e) = state.browser.open(&parsed) {
                    state.sink.send(Event::Notice(format!("The browser did not open ({e}). The link: {url}")));
                }
            }
            Err(e) => tracing::info!(error = %e, "not a link"),
        },
        Command::SnoozeReminder { account, meeting_id, minutes } => {
            let item = state.agenda().into_iter().find(|i| i.account == account && i.id == meeting_id);
            if let Some(item) = item {
                let until = state.auth.now() + chrono::Duration::minutes(i64::from(minutes.max(1)));
                lock(&state.reminders).snooze(&item, until);
                state.reminders_changed.notify_one();
            }
        }
        Command::SaveSettings { path, settings, policies } => {
            let result = save_settings(&state, path, *settings, *policies).await;
            state.sink.send(Event::SettingsSaved(result));
        }
        Command::SetReminders(settings) => {
            *lock(&state.reminder_settings) = settings;
            state.reminders_changed.notify_one();
        }
        Command::LoadPresenters { account } => load_presenters(&state, account).await,
        Command::LoadProfile { account } => match state.ops().profile(&account).await {
            Ok((user, conference)) => state.sink.send(Event::Profile { account, user, conference }),
            Err(error) => state.report(Some(&account), "Loading the join.me profile", error).await,
        },
        Command::InvitePresenter { account, email } => match state.ops().invite_presenter(&account, &email).await {
            Ok(()) => {
                state.sink.send(Event::Notice(format!("Invited {} as a presenter.", email.trim())));
                load_presenters(&state, account).await;
            }
            Err(error) => state.report(Some(&account), "Inviting the presenter", error).await,
        },
        Command::RemovePresenter { account, presenter_id } => {
            match state.ops().remove_presenter(&account, presenter_id).await {
                Ok(()) => load_presenters(&state, account).await,
                Err(error) => state.report(Some(&account), "Removing the presenter", error).await,
            }
        }
        Command::LoadTalks { account, event_id } => match state.ops().talks(&event_id).await {
            Ok(talks) => state.sink.send(Event::Talks { event_id, talks }),
            Err(error) => state.report(Some(&account), "Loading the talks", error).await,
        },
        Command::SetAttending { account, event_id, attend } => {
            match state.ops().set_attending(&account, &event_id, attend).await {
                Ok(()) => reload_account(state, account).await,
                Err(error) => state.report(Some(&account), "Changing attendance", error).await,
            }
        }
    }
}

async fn start_meeting(
    state: &State,
    account: &str,
    meeting_id: Option<&str>,
    personal_url: bool,
    open_browser: bool,
) -> Result<super::Started, ProviderError> {
    match state.ops().start(account, meeting_id, personal_url).await {
        Ok(started) => {
            if open_browser
                && let Ok(url) = url::Url::parse(&started.presenter_link)
                && let Err(e) = state.browser.open(&url)
            {
                tracing::info!(error = %e, "the presenter link did not open");
            }
            state.sink.send(Event::MeetingStarted {
                account: account.to_string(),
                presenter_link: started.presenter_link.clone(),
                viewer_link: started.viewer_link.clone(),
            });
            Ok(started)
        }
        Err(error) => {
            state.report(Some(account), "Starting the meeting", error.clone()).await;
            Err(error)
        }
    }
}

/// The meeting in progress or the next one: started when it can be, its link opened otherwise.
async fn join_next(state: &State, open_browser: bool) -> Result<super::Joined, ProviderError> {
    let agenda = state.agenda();
    let Some(item) = launcher_core::agenda::next_meeting(&agenda, state.auth.now()).cloned() else {
        return Err(ProviderError::NotFound {
            provider: Provider::Joinme,
            what: "meeting in progress or ahead".into(),
        });
    };
    if item.can_start {
        let started = start_meeting(state, &item.account, Some(&item.id), false, open_browser).await?;
        return Ok(super::Joined { title: item.title, link: started.viewer_link.clone(), started: Some(started) });
    }
    let Some(link) = item.link.clone() else {
        return Err(ProviderError::NotFound {
            provider: item.provider,
            what: format!("link to join \"{}\"", item.title),
        });
    };
    if open_browser
        && let Ok(url) = url::Url::parse(&link)
        && let Err(e) = state.browser.open(&url)
    {
        tracing::info!(error = %e, "the meeting's link did not open");
    }
    Ok(super::Joined { title: item.title, link, started: None })
}

/// An ad-hoc meeting on the first signed-in join.me account.
async fn quick_start(state: &State, personal_url: bool, open_browser: bool) -> Result<super::Started, ProviderError> {
    let Some(account) = state.auth.account_for(Provider::Joinme).await else {
        let error = ProviderError::NotSignedIn { provider: Provider::Joinme };
        state.sink.send(Event::Failed { account: None, action: "Starting a meeting".into(), error: error.clone() });
        return Err(error);
    };
    start_meeting(state, account.key(), None, personal_url, open_browser).await
}

async fn browser_sign_in(state: Arc<State>, provider: Provider) {
    let flow = match state.auth.start_browser_sign_in(provider).await {
        Ok(flow) => flow,
        Err(error) => {
            state.sink.send(Event::SignInFinished { provider, result: Err(error) });
            return;
        }
    };
    lock(&state.sign_ins).insert(provider, flow.cancel_handle());
    state.sink.send(Event::SignInWaiting {
        provider,
        url: flow.url.to_string(),
        browser_error: flow.browser_error.clone(),
    });
    let result = flow.finish().await;
    lock(&state.sign_ins).remove(&provider);
    signed_in(state, provider, result).await;
}

async fn signed_in(state: Arc<State>, provider: Provider, result: Result<crate::auth::AccountStatus, ProviderError>) {
    let key = result.as_ref().ok().map(|s| s.key().to_string());
    state.sink.send(Event::SignInFinished { provider, result });
    state.send_accounts().await;
    if let Some(key) = key {
        reload_account(state, key).await;
    }
}

async fn save_draft(state: Arc<State>, mut draft: Draft) {
    let problems = draft.problems();
    if !problems.is_empty() {
        // Kept, so nothing typed is lost; the form shows the problems.
        draft.state =
            DraftState::Failed { message: problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" ") };
        upsert(&state, &draft);
        state.sink.send(Event::DraftInvalid { draft_id: draft.id, problems });
        return;
    }
    let prepared = state.ops().prepare(&mut draft).await;
    upsert(&state, &draft);
    let result = match prepared {
        Ok(()) => state.ops().save(&mut draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) => {
            lock(&state.drafts).retain(|d| d.id != draft.id);
            state.save_drafts();
            let verb = if draft.meeting_id.is_some() { "Saved" } else { "Created" };
            let message = if saved.reconciled {
                format!("{verb} \"{}\". The answer was lost on the way, but the meeting is there.", draft.title.trim())
            } else {
                format!("{verb} \"{}\".", draft.title.trim())
            };
            state.sink.send(Event::DraftSaved { draft_id: draft.id.clone(), meeting_id: saved.meeting_id, message });
            reload_account(state, draft.account).await;
        }
        Err(error) => {
            draft.state = DraftState::Failed { message: error.to_string() };
            upsert(&state, &draft);
            state.sink.send(Event::DraftFailed { draft_id: draft.id.clone(), error: error.clone() });
            if error.action() == UserAction::SignInAgain {
                state.report(Some(&draft.account), "Saving the meeting", error).await;
            }
        }
    }
}

/// Adds or replaces a draft and writes the file, before anything is sent.
fn upsert(state: &State, draft: &Draft) {
    {
        let mut drafts = lock(&state.drafts);
        drafts.retain(|d| d.id != draft.id);
        drafts.push(draft.clone());
    }
    state.save_drafts();
}

async fn delete_later(state: Arc<State>, account: String, meeting_id: String) {
    let item = lock(&state.agenda).get(&account).and_then(|items| items.iter().find(|i| i.id == meeting_id).cloned());
    let Some(item) = item else {
        let provider = state.auth.account(&account).await.map(|a| a.record.provider).unwrap_or(Provider::Joinme);
        let error = ProviderError::NotFound { provider, what: "such meeting in the agenda".into() };
        state.report(Some(&account), "Deleting the meeting", error).await;
        return;
    };
    let generation = state.generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = (account.clone(), meeting_id.clone());
    lock(&state.pending_deletes).insert(key.clone(), PendingDelete { item, generation });
    let until = state.auth.now() + chrono::Duration::from_std(state.undo_window).unwrap_or_default();
    state.sink.send(Event::DeletePending { account: account.clone(), meeting_id: meeting_id.clone(), until });
    state.send_agenda();
    tokio::time::sleep(state.undo_window).await;
    let still = {
        let mut pending = lock(&state.pending_deletes);
        match pending.get(&key) {
            Some(p) if p.generation == generation => pending.remove(&key),
            _ => None,
        }
    };
    if let Some(p) = still {
        perform_delete(state, account, meeting_id, p.item).await;
    }
}

async fn perform_delete(state: Arc<State>, account: String, meeting_id: String, item: AgendaItem) {
    match state.ops().delete(item.provider, &account, &meeting_id).await {
        Ok(()) => {
            if let Some(items) = lock(&state.agenda).get_mut(&account) {
                items.retain(|i| i.id != meeting_id);
            }
            state.sink.send(Event::Deleted { account, meeting_id });
            state.send_agenda();
        }
        Err(error) => {
            // The meeting is still there: show it again.
            state.send_agenda();
            state.report(Some(&account), "Deleting the meeting", error).await;
        }
    }
}

async fn load_presenters(state: &State, account: String) {
    match state.ops().presenters(&account).await {
        Ok(view) => state.sink.send(Event::Presenters { account, view }),
        Err(error) => state.report(Some(&account), "Loading the presenters", error).await,
    }
}

/// The demo user's accounts on all three services.
async fn demo_sign_ins(state: Arc<State>, demo: launcher_core::sandbox_config::SandboxConfig) {
    let password = |p: &str| launcher_core::secret::Secret::new(p.to_string());
    let sign_ins = [
        Command::StartBrowserSignIn { provider: Provider::Joinme },
        Command::SignInWithPassword {
            provider: Provider::Meetingbooster,
            username: demo.meetingbooster.username.clone(),
            password: password(&demo.meetingbooster.password),
        },
        Command::SignInWithPassword {
            provider: Provider::Joindin,
            username: demo.joindin.username.clone(),
            password: password(&demo.joindin.password),
        },
    ];
    // Only to the services the organization allows: the others have no endpoint.
    let sign_ins = sign_ins.into_iter().filter(|c| match c {
        Command::StartBrowserSignIn { provider } | Command::SignInWithPassword { provider, .. } => {
            state.auth.endpoints().is_configured(*provider)
        }
        _ => true,
    });
    futures_util::future::join_all(sign_ins.map(|command| handle(state.clone(), command))).await;
}

/// Writes the settings file (a policy's locked values stay the user's own) and applies start at login, on a
/// blocking thread: both touch the disk.
async fn save_settings(
    state: &State,
    path: std::path::PathBuf,
    settings: crate::settings::Settings,
    policies: crate::settings::Policies,
) -> Result<(), String> {
    let autostart = state.autostart.clone();
    tokio::task::spawn_blocking(move || {
        settings.save_keeping_locked(&path, &policies).map_err(|e| e.to_string())?;
        match autostart {
            Some(autostart) => autostart
                .set_enabled(settings.desktop.start_at_login)
                .map_err(|e| format!("Saved, but start at login could not be set: {e}")),
            None => Ok(()),
        }
    })
    .await
    .unwrap_or_else(|e| Err(format!("Saving stopped: {e}")))
}

/// A managed StartAtLogin is applied to the login item; the user's own choice is applied when saved.
fn apply_start_at_login(policies: &crate::settings::Policies, autostart: &dyn Autostart) {
    if let Some(crate::settings::policy::PolicyValue::Bool(wanted)) = policies.managed("StartAtLogin")
        && autostart.is_enabled() != *wanted
        && let Err(e) = autostart.set_enabled(*wanted)
    {
        tracing::warn!(error = %e, "cannot apply the StartAtLogin policy");
    }
}
