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
use super::handlers::sign_in::add_calendar;
use super::protocol::{Command, Event, SecretSource};
use super::reminders::{ReminderSettings, Reminders};
use super::state::{Sink, State, lock};
use crate::auth::keychain::SecretName;
use crate::auth::{Auth, AuthConfig};
use crate::providers::{Provider, ProviderError};
use crate::services::{Resolution, ServiceError, Services as InForce, Source, resolve};

/// What ended one configuration's run.
enum Next {
    Stop,
    /// The settings file or the policies changed: start again with them, in the same process and window.
    Reconfigure(Option<Box<Carry>>),
}

/// What a new run keeps from the last when the services and the network are unchanged: the sessions, so a
/// sign-in kept in memory only (no keychain) survives a change of, say, the reminder settings.
struct Carry {
    auth: Auth,
    /// The budget's bookkeeping: a new configuration does not reset the spacing between loads.
    schedule: super::schedule::Schedule,
    endpoints: crate::providers::Endpoints,
    network: crate::settings::NetworkSettings,
}

pub async fn run(
    config: BackendConfig,
    mut inbox: tokio::sync::mpsc::UnboundedReceiver<Command>,
    own: BackendHandle,
    events: std::sync::mpsc::Sender<Event>,
) {
    let sink = Sink { tx: events, notify: config.notifier.clone() };
    let mut carry = None;
    while let Next::Reconfigure(kept) = run_configured(&config, &mut inbox, &own, &sink, carry.take()).await {
        tracing::info!("the settings or the policies changed: applying them");
        carry = kept;
    }
}

/// The organization's policies: the system's, or those under a test's root.
fn read_policies(root: Option<&std::path::Path>) -> crate::settings::Policies {
    match root {
        Some(root) => crate::settings::Policies::load_dirs(root),
        None => crate::settings::Policies::system(),
    }
}

/// One run with the settings and policies as they are now: until shutdown, or until they change. Sessions,
/// drafts, the agenda cache and given reminders are on disk, so a new run picks up where this one stopped.
async fn run_configured(
    config: &BackendConfig,
    inbox: &mut tokio::sync::mpsc::UnboundedReceiver<Command>,
    own: &BackendHandle,
    sink: &Sink,
    carry: Option<Box<Carry>>,
) -> Next {
    let sink = sink.clone();
    let own = own.clone();
    // The organization's policies, read here rather than on the window's thread.
    let policy_root = config.policy_root.clone();
    let policies = tokio::task::spawn_blocking(move || read_policies(policy_root.as_deref())).await.unwrap_or_default();
    sink.send(Event::Policies(policies.clone()));
    // What to talk to, decided where the command line decides it too; the settings file is read here, off the
    // window's thread.
    let (source, paths) = match config.services.clone() {
        Services::Configured(endpoints) => (Source::Endpoints(endpoints), None),
        Services::Sandbox(url) => (Source::Sandbox(url), None),
        Services::Demo => (Source::Demo, None),
        Services::Auto(paths) => (Source::Settings { demo_when_empty: true }, Some(paths)),
    };
    let settings_file = paths.as_ref().map(|p| p.settings_file.clone());
    let watched = Watched { policies: policies.clone(), settings: settings_file.as_deref().and_then(read_file) };
    let Resolution { services, problems } =
        resolve(source, settings_file.as_deref(), config.keychain.clone(), policies).await;
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
    let InForce { endpoints, keychain, network: settings_network, settings, policies, demo, config_secrets } = services;
    sink.send(Event::Demo { base: demo.as_ref().map(|d| d.config.sandbox.base.clone()) });
    // The app's secrets are the user's to set only when the settings file decides the services.
    let editable = paths.is_some() && demo.is_none();
    let mut reminder_settings = ReminderSettings::default();
    if let (Some(paths), Some(settings)) = (paths, &settings) {
        reminder_settings = settings.reminders;
        if let Some(autostart) = &config.autostart {
            apply_start_at_login(&policies, autostart.as_ref());
        }
        sink.send(Event::Settings { paths: Some(paths), settings: settings.clone() });
    }
    // The settings file's proxy, CA file and timeout when the settings decide the services.
    let network = settings_network.unwrap_or_else(|| config.network.clone());
    sink.send(Event::Storage(keychain.storage().clone()));
    sink.send(Event::AppSecrets(app_secrets(config_secrets.unwrap_or_default(), &policies, editable)));
    let (kept, schedule) = match carry {
        Some(c) if demo.is_none() && c.endpoints == endpoints && c.network == network => {
            let Carry { auth, schedule, .. } = *c;
            (Some(auth), schedule)
        }
        // Other services: their sessions start again, but the spacing between loads still holds.
        Some(c) => (None, c.schedule),
        None => (None, Default::default()),
    };
    let restore = kept.is_none();
    let carried = (endpoints.clone(), network.clone());
    let built = match kept {
        Some(auth) => Ok(auth),
        None => Auth::new(AuthConfig {
            endpoints,
            network,
            data_dir: config.data_dir.clone(),
            keychain,
            // The demo signs itself in without showing a browser.
            browser: if demo.is_some() { FollowingBrowser::new() } else { config.browser.clone() },
            clock: config.clock.clone(),
            flow_timeout: config.flow_timeout,
        }),
    };
    let auth = match built {
        Ok(auth) => auth,
        Err(error) => {
            // Bad network settings: say so, and wait for better ones (or to be shut down).
            sink.send(Event::Failed { account: None, action: "Starting".into(), error });
            let root = config.policy_root.clone();
            let watch =
                config.live.map(|live| tokio::spawn(watch_for_changes(root, settings_file, watched, live, own)));
            let next = loop {
                match inbox.recv().await {
                    None | Some(Command::Shutdown) => break Next::Stop,
                    Some(Command::Reconfigure) => break Next::Reconfigure(None),
                    Some(_) => {}
                }
            };
            if let Some(watch) = watch {
                watch.abort();
            }
            return next;
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
    let (drafts, drafts_problem) = store.load();
    // The last agenda seen, shown before the network answers (not in the demo: its sandbox is new each run).
    let cache = demo.is_none().then(|| AgendaCache::new(config.data_dir.join("agenda-cache.json")));
    let state = Arc::new(State {
        auth,
        sink,
        store,
        drafts: Mutex::new(drafts),
        agenda: Mutex::default(),
        sync_state: Default::default(),
        pending_deletes: Mutex::default(),
        generation: Default::default(),
        sign_ins: Mutex::default(),
        browser: config.browser.clone(),
        policy: config.retry,
        undo_window: config.undo_window,
        own: own.clone(),
        notifier: config.reminders.clone(),
        reminders: Mutex::new(reminders),
        reminder_settings: Mutex::new(reminder_settings),
        reminders_changed: tokio::sync::Notify::new(),
        autostart: config.autostart.clone(),
        live: config.live,
        schedule: Mutex::new(schedule),
        live_wake: tokio::sync::Notify::new(),
        freshness: Mutex::default(),
        cache,
    });
    let accounts = if restore { state.auth.restore().await } else { state.auth.accounts().await };
    // A damaged file was moved aside: the user hears of it once, with where it is.
    for notice in drafts_problem.into_iter().chain(state.auth.take_notices()) {
        state.sink.send(Event::Notice(notice));
    }
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
    if let Some(live) = config.live {
        let root = config.policy_root.clone();
        background.push(tokio::spawn(watch_for_changes(root, settings_file, watched, live, own)));
    }
    let next = loop {
        match inbox.recv().await {
            None | Some(Command::Shutdown) => break Next::Stop,
            Some(Command::Reconfigure) => {
                let (endpoints, network) = carried.clone();
                let mut schedule = std::mem::take(&mut *lock(&state.schedule));
                schedule.settle();
                break Next::Reconfigure(Some(Box::new(Carry {
                    auth: state.auth.clone(),
                    schedule,
                    endpoints,
                    network,
                })));
            }
            Some(command) => {
                tasks.spawn(handle(state.clone(), command));
                while tasks.try_join_next().is_some() {}
            }
        }
    };
    // A sign-in waiting on the browser would hold the new run up: it is cancelled (the user starts it again).
    for (_, cancel) in lock(&state.sign_ins).drain() {
        cancel.cancel();
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
    next
}

/// What the running configuration was read from, to notice a change.
struct Watched {
    policies: crate::settings::Policies,
    settings: Option<Vec<u8>>,
}

fn read_file(path: &std::path::Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// Looks at the policies and the settings file every [`LiveConfig::watch`] and asks for a new run when either
/// changed: an administrator's new policy file, or the user's own edit of the settings. Reading them again
/// (rather than watching files) covers the registry and managed preferences too, and costs a few reads.
async fn watch_for_changes(
    root: Option<std::path::PathBuf>,
    settings_file: Option<std::path::PathBuf>,
    mut watched: Watched,
    live: super::schedule::LiveConfig,
    own: BackendHandle,
) {
    loop {
        tokio::time::sleep(live.watch).await;
        let (root, file) = (root.clone(), settings_file.clone());
        let Ok(now) = tokio::task::spawn_blocking(move || Watched {
            policies: read_policies(root.as_deref()),
            settings: file.as_deref().and_then(read_file),
        })
        .await
        else {
            continue;
        };
        if now.policies != watched.policies || now.settings != watched.settings {
            own.send(Command::Reconfigure);
            return;
        }
        watched = now;
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

/// The demo user's accounts on all three services, and the sandbox's calendar feed.
/// The feed every sandbox serves (see the sandbox's `calendar` module).
const DEMO_FEED: &str = "/_sandbox/ics/work.ics";

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
    let feed = password(&format!("{}{}", demo.sandbox.base.trim_end_matches('/'), DEMO_FEED));
    let calendar = add_calendar(state.clone(), "Work calendar", feed, false, Vec::new(), false);
    // Only to the services the organization allows: the others have no endpoint.
    let sign_ins = sign_ins.into_iter().filter(|c| match c {
        Command::StartBrowserSignIn { provider } | Command::SignInWithPassword { provider, .. } => {
            state.auth.endpoints().is_configured(*provider)
        }
        _ => true,
    });
    let sign_ins = futures_util::future::join_all(sign_ins.map(|command| handle(state.clone(), command)));
    futures_util::future::join(sign_ins, calendar).await;
}

/// Where each of the app's own secrets comes from: the organization's policy, the keychain (`saved`, as the
/// services were resolved with it), or nowhere (the services' own when they are a demo or a sandbox).
fn app_secrets(
    saved: crate::providers::ConfigSecrets,
    policies: &crate::settings::Policies,
    editable: bool,
) -> Vec<(SecretName, SecretSource)> {
    if !editable {
        return SecretName::ALL.into_iter().map(|name| (name, SecretSource::Services)).collect();
    }
    SecretName::ALL
        .into_iter()
        .map(|name| {
            let (by_policy, kept) = match name {
                SecretName::JoinmeClientSecret => {
                    (policies.joinme_client_secret().is_some(), saved.joinme_client_secret.is_some())
                }
                SecretName::JoindinClientSecret => (false, saved.joindin_client_secret.is_some()),
            };
            let source = match (by_policy, kept) {
                (true, _) => SecretSource::Policy,
                (false, true) => SecretSource::Keychain,
                (false, false) => SecretSource::Missing,
            };
            (name, source)
        })
        .collect()
}
