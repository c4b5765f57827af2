//! A sandbox, an auth layer on it with the real keychain, and the clock they share.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use launcher_engine::auth::{Auth, AuthConfig, BrowserOpener, Keychain, Storage};
use launcher_engine::providers::Endpoints;
use launcher_engine::settings::NetworkSettings;
use launcher_sandbox::{Sandbox, SandboxOptions};

pub use crate::clock::SandboxClock;

pub struct Env {
    pub sandbox: Arc<Sandbox>,
    pub data_dir: PathBuf,
    pub keychain: Keychain,
}

/// The keychain tests need the private Secret Service that `cargo xtask test` starts.
pub async fn real_keychain() -> Keychain {
    let keychain = Keychain::open().await;
    assert_eq!(
        keychain.storage(),
        &Storage::Keychain,
        "no Secret Service: run the tests with `cargo xtask test`, which starts a private gnome-keyring"
    );
    keychain
}

pub async fn start() -> Env {
    start_with(SandboxOptions { auto_approve: true, ..SandboxOptions::default() }).await
}

pub async fn start_with(options: SandboxOptions) -> Env {
    let sandbox = Arc::new(Sandbox::start(options).await.unwrap());
    let data_dir = std::env::temp_dir().join(format!("ml-auth-test-{}", rand::random::<u64>()));
    Env { sandbox, data_dir, keychain: real_keychain().await }
}

impl Env {
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::from_sandbox(self.sandbox.config())
    }

    pub fn auth(&self, browser: Arc<dyn BrowserOpener>) -> Auth {
        self.auth_with(self.endpoints(), browser, Duration::from_secs(20))
    }

    pub fn auth_with(&self, endpoints: Endpoints, browser: Arc<dyn BrowserOpener>, flow_timeout: Duration) -> Auth {
        Auth::new(AuthConfig {
            endpoints,
            network: NetworkSettings::default(),
            data_dir: self.data_dir.clone(),
            keychain: self.keychain.clone(),
            browser,
            clock: Arc::new(SandboxClock(self.sandbox.clone())),
            flow_timeout,
        })
        .unwrap()
    }

    pub fn counter(&self, name: &str) -> u64 {
        self.sandbox.control().counter(name)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Whether something still listens on a loopback URL's port.
pub async fn listening(url: &str) -> bool {
    let url = url::Url::parse(url).unwrap();
    tokio::net::TcpStream::connect(("127.0.0.1", url.port().unwrap())).await.is_ok()
}

/// Tests that need the private Secret Service fail with a clear message outside `cargo xtask test`.
pub fn require_test_session() {
    assert!(
        std::env::var_os("MEETING_LAUNCHER_TEST_SESSION").is_some(),
        "this test needs the private D-Bus session and keychain: run it with `cargo xtask test`"
    );
}
