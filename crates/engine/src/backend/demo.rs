//! Demo mode: an embedded sandbox, signed in to all three services at start, so a new user sees the whole app
//! working with no account. Nothing is saved, and no browser window pops up for the demo's own sign-ins.

use std::sync::Arc;

use crate::auth::BrowserOpener;
use crate::providers::Endpoints;
use launcher_core::sandbox_config::SandboxConfig;
#[cfg(feature = "demo")]
use launcher_sandbox::{Sandbox, SandboxOptions};

/// The demo's sandbox: authorization pages approve at once as the demo user, any loopback port accepted.
#[cfg(feature = "demo")]
pub async fn demo_sandbox() -> std::io::Result<Sandbox> {
    let mut options = SandboxOptions { auto_approve: true, ..SandboxOptions::default() };
    options.switches.joindin_loopback_any_port = true;
    Sandbox::start(options).await
}

pub fn demo_endpoints(config: &SandboxConfig) -> Endpoints {
    let mut endpoints = Endpoints::from_sandbox(config);
    if let Some(j) = endpoints.joindin.as_mut() {
        j.callback_port = 0;
    }
    endpoints
}

/// Follows an authorization URL the way a browser would (the sandbox approves at once), without showing one.
pub struct FollowingBrowser {
    http: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

impl FollowingBrowser {
    pub fn new() -> Arc<Self> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        Arc::new(Self { http, runtime: tokio::runtime::Handle::current() })
    }
}

impl BrowserOpener for FollowingBrowser {
    fn open(&self, url: &url::Url) -> Result<(), String> {
        let (http, url) = (self.http.clone(), url.clone());
        self.runtime.spawn(async move {
            let Ok(response) = http.get(url).send().await else { return };
            let location = response.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_string);
            if let Some(callback) = location {
                let _ = http.get(callback).send().await;
            }
        });
        Ok(())
    }
}
