//! The one way tests build the app: a sandbox with a fixed clock, the app's backend pointed at it, a test
//! browser that approves sign-ins, and a fixed window size for stable snapshots.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use egui_kittest::Harness;
use launcher_engine::auth::{BrowserOpener, Keychain};
use launcher_engine::backend::{BackendConfig, KeychainChoice, LiveConfig, RetryPolicy, Services};
use launcher_engine::providers::Endpoints;
use launcher_engine::settings::NetworkSettings;
use launcher_sandbox::{Sandbox, SandboxOptions};
use launcher_ui::App;

use super::browser::{Behaviour, TestBrowser};

pub use launcher_test_support::clock::SandboxClock;

pub struct TestApp {
    pub harness: Harness<'static, App>,
    pub sandbox: Arc<Sandbox>,
    // Hosts the sandbox and the test browser; dropped last.
    runtime: tokio::runtime::Runtime,
    // The app's data folder, removed when the test ends.
    data_dir: std::path::PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// A Monday morning, so the agenda's days and times are the same on every run.
pub fn fixed_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

pub fn start() -> TestApp {
    start_with(None, None)
}

/// The services decided by a settings file with `settings` in it (as a user's own app decides them), `keychain`
/// (the test session's Secret Service under a service name of the test's own) and `browser`.
/// The settings file and the app's data and cache folders are in `dir`.
pub fn start_with_settings(
    dir: &std::path::Path,
    settings: &str,
    keychain: Keychain,
    browser: Arc<dyn BrowserOpener>,
) -> TestApp {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("settings.toml"), settings).unwrap();
    let paths = launcher_engine::settings::Paths {
        settings_file: dir.join("settings.toml"),
        data_dir: dir.join("data"),
        cache_dir: dir.join("cache"),
    };
    build(None, None, Some((paths, keychain, browser)))
}

/// With the live agenda on, its loop looking at the (virtual) clock every 50 ms of real time.
pub fn start_live() -> TestApp {
    start_with(Some(LiveConfig { tick: Duration::from_millis(50), ..LiveConfig::default() }), None)
}

/// Live, with the policies read from under `root` again every 100 ms.
pub fn start_with_policies(root: std::path::PathBuf) -> TestApp {
    let live =
        LiveConfig { tick: Duration::from_millis(50), watch: Duration::from_millis(100), ..LiveConfig::default() };
    start_with(Some(live), Some(root))
}

fn start_with(live: Option<LiveConfig>, policy_root: Option<std::path::PathBuf>) -> TestApp {
    build(live, policy_root, None)
}

fn build(
    live: Option<LiveConfig>,
    policy_root: Option<std::path::PathBuf>,
    from_settings: Option<(launcher_engine::settings::Paths, Keychain, Arc<dyn BrowserOpener>)>,
) -> TestApp {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let _guard = runtime.enter();
    let options = SandboxOptions { auto_approve: true, start_time: Some(fixed_start()), ..SandboxOptions::default() };
    let sandbox = Arc::new(runtime.block_on(Sandbox::start(options)).unwrap());
    let (browser, _) = TestBrowser::new(Behaviour::Follow);
    let browser: Arc<dyn BrowserOpener> = browser;
    let endpoints = Endpoints::from_sandbox(sandbox.config());
    let clock = Arc::new(SandboxClock(sandbox.clone()));
    // The settings' own data folder when they decide (as the app runs), so a test can look at everything written.
    let data_dir = match &from_settings {
        Some((paths, ..)) => paths.data_dir.clone(),
        None => std::env::temp_dir().join(format!("ml-app-{}", rand::random::<u64>())),
    };
    let diagnostics = super::help::config(&data_dir);
    let owned_dir = data_dir.clone();
    let (services, keychain, browser) = match from_settings {
        Some((paths, keychain, browser)) => (Services::Auto(paths), KeychainChoice::Given(keychain), browser),
        None => {
            let memory = KeychainChoice::Given(Keychain::memory("app tests"));
            (Services::Configured(Box::new(endpoints)), memory, browser)
        }
    };
    let harness = Harness::builder().with_size(egui::vec2(1000.0, 680.0)).wgpu().build_eframe(move |cc| {
        App::new(&cc.egui_ctx, None, move |notifier| BackendConfig {
            services,
            network: NetworkSettings::default(),
            data_dir,
            keychain,
            browser,
            clock,
            notifier,
            retry: RetryPolicy {
                retries: 2,
                base_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(100),
            },
            undo_window: Duration::from_millis(600),
            flow_timeout: Duration::from_secs(20),
            reminders: None,
            autostart: None,
            live,
            policy_root,
            diagnostics: Some(diagnostics),
            hold: None,
        })
    });
    let mut app = TestApp { harness, sandbox, runtime, data_dir: owned_dir };
    // The backend's start-up events (where secrets are kept, the accounts, the first agenda) change the layout:
    // let them land before a test clicks, or a click can hit where a button was a frame ago.
    app.wait_until("the backend to start", |a| a.state.storage.is_some());
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(20));
        app.harness.step();
    }
    app
}

impl TestApp {
    /// Runs `work` (a call to the sandbox, say) on the runtime that hosts it.
    pub fn block_on<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(work)
    }

    /// Steps frames until `done` holds (the backend answers in its own time).
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.harness.step();
            if done(self.harness.state()) {
                self.harness.step();
                return;
            }
            if Instant::now() >= deadline {
                let state = &self.harness.state().state;
                panic!("timed out waiting for {what}; banners {:?}; drafts {:?}", state.banners, state.drafts);
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }
}
