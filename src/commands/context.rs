//! What every account command needs: settings, the services' addresses (real, a sandbox, or an embedded demo
//! sandbox), the keychain and the auth layer, with sessions restored from the keychain.

use std::sync::Arc;

use crate::auth::{Auth, AuthConfig, BrowserOpener, Keychain, NoBrowser, SystemBrowser, SystemClock};
use crate::cli::Cli;
use crate::providers::Endpoints;
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::settings::{Paths, Policies, Settings};

pub struct Context {
    pub auth: Auth,
    pub settings: Settings,
    pub paths: Paths,
    pub policies: Policies,
    pub keychain: Keychain,
    /// Kept alive for the command's length in demo mode.
    pub demo: Option<Sandbox>,
}

pub struct Options {
    pub open_browser: bool,
    pub flow_timeout: std::time::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self { open_browser: true, flow_timeout: crate::auth::DEFAULT_FLOW_TIMEOUT }
    }
}

/// The running instance's socket for these options: per settings file and services, so a demo, a sandbox and
/// the real services each have their own.
pub fn instance_socket(cli: &Cli) -> String {
    let settings = Paths::platform(cli.config.clone()).map(|p| p.settings_file.display().to_string());
    let services = match (&cli.sandbox, cli.demo) {
        (Some(url), _) => format!("sandbox {}", url.trim_end_matches('/')),
        (None, true) => "demo".to_string(),
        (None, false) => "settings".to_string(),
    };
    crate::platform::instance::socket_name(&format!("{}\n{services}", settings.unwrap_or_default()))
}

/// Reads a sandbox's self-description from its root URL (or its `/_sandbox/config` URL).
pub async fn fetch_sandbox_config(url: &str) -> Result<SandboxConfig, String> {
    let trimmed = url.trim_end_matches('/');
    let config_url =
        if trimmed.ends_with("/_sandbox/config") { trimmed.to_string() } else { format!("{trimmed}/_sandbox/config") };
    let response = reqwest::get(&config_url).await.map_err(|_| format!("no sandbox answers at {config_url}"))?;
    if !response.status().is_success() {
        return Err(format!(
            "{config_url} answered HTTP {}: is that a Meeting Launcher sandbox?",
            response.status().as_u16()
        ));
    }
    let config: SandboxConfig =
        response.json().await.map_err(|_| format!("{config_url} did not describe a sandbox"))?;
    // Every address in it must be a URL before the services are pointed there.
    let c = &config;
    let urls =
        [&c.joinme.auth_base, &c.joinme.api_base, &c.meetingbooster.server, &c.joindin.web_base, &c.joindin.api_base];
    if let Some(bad) = urls.into_iter().find(|u| url::Url::parse(u).is_err()) {
        return Err(format!("{config_url} names an address that is not a URL: {bad}"));
    }
    Ok(config)
}

pub async fn build(cli: &Cli, options: Options) -> Result<Context, String> {
    let paths = Paths::platform(cli.config.clone()).ok_or("cannot find the home directory for the settings")?;
    let policies = Policies::system();
    if cli.demo && policies.demo_disabled() {
        return Err("Demo mode is turned off by your organization's policy (DemoModeDisabled).".into());
    }
    let settings = Settings::load_with(&paths.settings_file, &policies).map_err(|e| e.to_string())?;
    // Demo sessions belong to a throw-away sandbox: keep them out of the user's keychain.
    let keychain = if cli.demo { Keychain::memory("demo mode saves nothing") } else { Keychain::open().await };
    let mut demo = None;
    let mut endpoints = if let Some(url) = &cli.sandbox {
        Endpoints::from_sandbox(&fetch_sandbox_config(url).await?)
    } else if cli.demo {
        let sandbox =
            crate::backend::demo_sandbox().await.map_err(|e| format!("cannot start the demo sandbox: {e}"))?;
        let endpoints = crate::backend::demo_endpoints(sandbox.config());
        demo = Some(sandbox);
        endpoints
    } else {
        Endpoints::from_policy(&settings, keychain.config_secrets().await, &policies)
    };
    // Whatever provides them (from_policy already did for the settings' ones).
    endpoints.restrict(&policies.allowed_providers());
    let browser: Arc<dyn BrowserOpener> =
        if options.open_browser { Arc::new(SystemBrowser) } else { Arc::new(NoBrowser) };
    let auth = Auth::new(AuthConfig {
        endpoints,
        network: settings.network.clone(),
        data_dir: paths.data_dir.clone(),
        keychain: keychain.clone(),
        browser,
        clock: Arc::new(SystemClock),
        flow_timeout: options.flow_timeout,
    })
    .map_err(|e| e.to_string())?;
    auth.restore().await;
    Ok(Context { auth, settings, paths, policies, keychain, demo })
}
