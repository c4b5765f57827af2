//! A test client that plays the UI: it sends commands, drains events, and counts wake-ups.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use launcher_core::secret::Secret;
use launcher_engine::auth::{BrowserOpener, Clock, Keychain};
use launcher_engine::backend::{
    Backend, BackendConfig, Command, Event, KeychainChoice, LiveConfig, RetryPolicy, Services,
};
use launcher_engine::ports::DesktopNotifier;
use launcher_engine::providers::{Endpoints, Provider};
use launcher_engine::settings::NetworkSettings;
use launcher_sandbox::{Sandbox, SandboxOptions};

use super::browser::{Behaviour, TestBrowser};

pub use launcher_test_support::clock::SandboxClock;

pub struct Ui {
    pub backend: Option<Backend>,
    pub events: std::sync::mpsc::Receiver<Event>,
    pub seen: Vec<Event>,
    pub wakes: Arc<AtomicUsize>,
    pub data_dir: PathBuf,
    /// The data folder this harness made itself (none given): removed when it is dropped.
    owned_dir: bool,
}

pub async fn sandbox() -> Arc<Sandbox> {
    Arc::new(Sandbox::start(SandboxOptions { auto_approve: true, ..SandboxOptions::default() }).await.unwrap())
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy { retries: 3, base_delay: Duration::from_millis(20), max_delay: Duration::from_millis(200) }
}

/// How a test starts the backend; `Options::default()` is what most tests want.
#[derive(Default)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub endpoints: Option<Endpoints>,
    pub reminders: Option<Arc<dyn DesktopNotifier>>,
    /// The live agenda, looking at the clock every `tick` of real time.
    pub live: Option<LiveConfig>,
    /// Memory by default: the keychain is the auth tests' subject.
    pub keychain: Option<Keychain>,
    pub policy_root: Option<PathBuf>,
    /// The sandbox's clock by default.
    pub clock: Option<Arc<dyn Clock>>,
    pub network: Option<NetworkSettings>,
}

/// The live agenda's settings with the loop looking at the clock every `tick`.
pub fn live(tick: Duration) -> Option<LiveConfig> {
    Some(LiveConfig { tick, ..LiveConfig::default() })
}

impl Ui {
    pub fn start(sandbox: Arc<Sandbox>, data_dir: Option<PathBuf>) -> Self {
        Self::start_options(sandbox, Options { data_dir, ..Options::default() })
    }

    pub fn start_with(sandbox: Arc<Sandbox>, data_dir: Option<PathBuf>, endpoints: Endpoints) -> Self {
        Self::start_options(sandbox, Options { data_dir, endpoints: Some(endpoints), ..Options::default() })
    }

    /// With the live agenda on, looking at the clock every `tick` (real time).
    pub fn start_live(sandbox: Arc<Sandbox>, data_dir: Option<PathBuf>, tick: Duration) -> Self {
        Self::start_options(sandbox, Options { data_dir, live: live(tick), ..Options::default() })
    }

    /// Live, with sessions kept in `keychain`: a second start with the same one and the same data folder is the
    /// app started again.
    pub fn start_live_keeping(
        sandbox: Arc<Sandbox>,
        data_dir: Option<PathBuf>,
        tick: Duration,
        keychain: Keychain,
    ) -> Self {
        Self::start_options(
            sandbox,
            Options { data_dir, live: live(tick), keychain: Some(keychain), ..Options::default() },
        )
    }

    /// With reminders shown by `notifier`.
    pub fn start_reminding(sandbox: Arc<Sandbox>, data_dir: PathBuf, notifier: Arc<dyn DesktopNotifier>) -> Self {
        Self::start_options(
            sandbox,
            Options { data_dir: Some(data_dir), reminders: Some(notifier), ..Options::default() },
        )
    }

    /// Live, reading the policies under `policy_root` again every 100 ms.
    pub fn start_watching(sandbox: Arc<Sandbox>, policy_root: PathBuf) -> Self {
        let live =
            LiveConfig { tick: Duration::from_millis(50), watch: Duration::from_millis(100), ..LiveConfig::default() };
        Self::start_options(sandbox, Options { live: Some(live), policy_root: Some(policy_root), ..Options::default() })
    }

    pub fn start_options(sandbox: Arc<Sandbox>, options: Options) -> Self {
        let Options { data_dir, endpoints, reminders, live, keychain, policy_root, clock, network } = options;
        let endpoints = endpoints.unwrap_or_else(|| Endpoints::from_sandbox(sandbox.config()));
        let keychain = keychain.unwrap_or_else(|| Keychain::memory("backend tests"));
        let owned_dir = data_dir.is_none();
        let data_dir =
            data_dir.unwrap_or_else(|| std::env::temp_dir().join(format!("ml-backend-{}", rand::random::<u64>())));
        let wakes = Arc::new(AtomicUsize::new(0));
        let counter = wakes.clone();
        let (browser, _) = TestBrowser::new(Behaviour::Follow);
        let browser: Arc<dyn BrowserOpener> = browser;
        let (backend, events) = Backend::start(BackendConfig {
            services: Services::Configured(Box::new(endpoints)),
            network: network.unwrap_or_default(),
            data_dir: data_dir.clone(),
            // The keychain is the auth tests' subject; here each run keeps its sessions in memory.
            keychain: KeychainChoice::Given(keychain),
            browser,
            clock: clock.unwrap_or_else(|| Arc::new(SandboxClock(sandbox.clone()))),
            notifier: Arc::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            }),
            retry: fast_retries(),
            undo_window: Duration::from_millis(400),
            flow_timeout: Duration::from_secs(20),
            reminders,
            autostart: None,
            live,
            policy_root,
            diagnostics: None,
            hold: None,
        });
        Self { backend: Some(backend), events, seen: Vec::new(), wakes, data_dir, owned_dir }
    }

    pub fn send(&self, command: Command) {
        self.backend.as_ref().unwrap().send(command);
    }

    /// Waits for the first event (from now) that `want` accepts.
    pub async fn wait_for(&mut self, what: &str, want: impl Fn(&Event) -> bool) -> Event {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            while let Ok(event) = self.events.try_recv() {
                self.seen.push(event.clone());
                if want(&event) {
                    return event;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no event: {what}; saw {:#?}",
                self.seen.iter().rev().take(8).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The agenda a reload produces: events already queued are taken first, so an earlier load's answer is
    /// not mistaken for this one's.
    pub async fn agenda_after(&mut self, trigger: Command) -> Vec<launcher_engine::backend::AgendaItem> {
        tokio::time::sleep(Duration::from_millis(50)).await;
        while let Ok(event) = self.events.try_recv() {
            self.seen.push(event);
        }
        self.send(trigger);
        self.wait_for("a reload to begin", |e| matches!(e, Event::AgendaLoading(true))).await;
        self.wait_for("the agenda after loading", |e| matches!(e, Event::AgendaLoading(false))).await;
        match self.wait_for("an agenda", |e| matches!(e, Event::Agenda(_))).await {
            Event::Agenda(items) => items,
            _ => unreachable!(),
        }
    }

    pub async fn sign_in_joinme(&mut self) -> String {
        self.send(Command::StartBrowserSignIn { provider: Provider::Joinme });
        self.signed_in().await
    }

    pub async fn sign_in_password(&mut self, provider: Provider, user: &str) -> String {
        self.send(Command::SignInWithPassword {
            provider,
            username: user.into(),
            password: Secret::new("sandbox-password"),
        });
        self.signed_in().await
    }

    async fn signed_in(&mut self) -> String {
        match self.wait_for("a sign-in", |e| matches!(e, Event::SignInFinished { .. })).await {
            Event::SignInFinished { result: Ok(status), .. } => status.record.key,
            other => panic!("sign-in failed: {other:?}"),
        }
    }

    /// The last few events seen, for a failure's message.
    pub fn seen_last(&self) -> Vec<&Event> {
        self.seen.iter().rev().take(8).collect()
    }

    pub fn shutdown(&mut self) {
        if let Some(backend) = self.backend.take() {
            backend.shutdown();
        }
        while let Ok(e) = self.events.try_recv() {
            self.seen.push(e);
        }
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        self.shutdown();
        if self.owned_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}
