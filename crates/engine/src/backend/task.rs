//! The backend task itself: restores the sessions, then runs each command as its own task so a slow service
//! never holds up another, and reports through events.

use std::sync::{Arc, Mutex};

use tokio::task::JoinSet;

use super::cache::AgendaCache;
use super::config::{BackendConfig, BackendHandle, Services};
use super::demo::FollowingBrowser;
use super::dispatch::handle;
use super::drafts::DraftStore;
use super::handlers::agenda::reload_all;
use super::handlers::deletes::perform_delete;
use super::handlers::reminders::remind;
use super::handlers::settings::apply_start_at_login;
use super::protocol::{Command, Event};
use super::reminders::{ReminderSettings, Reminders};
use super::state::{Sink, State, lock};
use crate::auth::{Auth, AuthConfig};
use crate::providers::{Provider, ProviderError};
use crate::services::{Resolution, ServiceError, Services as InForce, Source, resolve};

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
    // The last agenda seen, shown before the network answers (not in the demo: its sandbox is new each run).
    let cache = demo.is_none().then(|| AgendaCache::new(config.data_dir.join("agenda-cache.json")));
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
        live: config.live,
        schedule: Mutex::default(),
        live_wake: tokio::sync::Notify::new(),
        freshness: Mutex::default(),
        cache,
    });
    let accounts = state.auth.restore().await;
    restore_cached_agenda(&state, &accounts);
    state.sink.send(Event::Accounts(accounts));
    if !lock(&state.agenda).is_empty() {
        state.send_agenda();
    }
    state.sink.send(Event::Drafts(lock(&state.drafts).clone()));

    let mut tasks = JoinSet::new();
    let mut background = vec![tokio::spawn(forward_account_changes(state.clone()))];
    match state.live {
        // The loop's first pass loads every account.
        Some(live) => background.push(tokio::spawn(super::live::run(state.clone(), live))),
        None => {
            tasks.spawn(reload_all(state.clone()));
        }
    }
    if state.notifier.is_some() {
        background.push(tokio::spawn(remind(state.clone())));
    }
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
    for task in background {
        task.abort();
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

/// The cached items of the accounts that are still there, marked with when they loaded.
fn restore_cached_agenda(state: &State, accounts: &[crate::auth::AccountStatus]) {
    let Some(cache) = &state.cache else { return };
    for (key, cached) in cache.load() {
        if accounts.iter().any(|a| a.record.key == key) {
            let freshness = launcher_core::agenda::Freshness { updated: Some(cached.updated), problem: None };
            lock(&state.freshness).insert(key.clone(), freshness);
            lock(&state.agenda).insert(key, cached.items);
        }
    }
}

/// Every change to a sign-in made anywhere in this process (a refresh for the agenda or a start, a rotation, a
/// refused refresh) reaches the token panel and the tray at once.
async fn forward_account_changes(state: Arc<State>) {
    let mut changes = state.auth.changes();
    while changes.changed().await.is_ok() {
        state.send_accounts().await;
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
