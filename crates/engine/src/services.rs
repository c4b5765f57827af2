//! The one place that decides which services and endpoints are in force: the settings file, a running sandbox,
//! or the embedded demo; the organization's policies over all of them (allowed services, a managed client
//! secret, no demo); and the keychain the accounts' secrets go to. The window's backend and the command line
//! both ask here, so they agree.

use launcher_core::sandbox_config::SandboxConfig;

use crate::auth::Keychain;
use crate::providers::Endpoints;
use std::path::Path;

use crate::settings::{NetworkSettings, Policies, Settings, SettingsError};

/// Where the services come from.
pub enum Source {
    /// The settings file. With nothing configured there, `demo_when_empty` gives the demo instead (the window
    /// for a new user); without it, no service (the command line says how to set one up).
    Settings { demo_when_empty: bool },
    /// A running sandbox at this root URL (or its `/_sandbox/config` URL).
    Sandbox(String),
    /// An embedded sandbox, signed in as the demo user: the whole app with no account. Nothing is saved.
    Demo,
    /// Endpoints given as they are (tests).
    Endpoints(Box<Endpoints>),
}

/// Which keychain the accounts' secrets go to (the demo always keeps them in memory).
#[derive(Clone)]
pub enum KeychainChoice {
    /// The OS keychain if it works, else memory.
    System,
    Given(Keychain),
}

/// What could not be had. The services that could be had are still in force.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("{0}")]
    Sandbox(String),
    #[error("Demo mode is turned off by your organization's policy (DemoModeDisabled).")]
    DemoDisabled,
    #[error("the demo services could not start: {0}")]
    DemoFailed(String),
}

impl ServiceError {
    /// What the app was doing, as a failure's heading says it.
    pub fn action(&self) -> &'static str {
        match self {
            ServiceError::Settings(_) => "Reading the settings",
            ServiceError::Sandbox(_) => "Connecting to the sandbox",
            ServiceError::DemoDisabled | ServiceError::DemoFailed(_) => "Starting the demo",
        }
    }
}

/// The services in force.
pub struct Services {
    pub endpoints: Endpoints,
    pub keychain: Keychain,
    /// The settings file's proxy, CA file and timeout, when they apply (see [`resolve`]).
    pub network: Option<NetworkSettings>,
    /// The settings, when they were read (also when they chose the demo).
    pub settings: Option<Settings>,
    pub policies: Policies,
    /// The app's secrets as the keychain held them, when the settings decided the services.
    pub config_secrets: Option<crate::providers::ConfigSecrets>,
    /// The demo's sandbox, kept running while these services are; its self-description for the demo's own
    /// sign-ins.
    pub demo: Option<Demo>,
}

/// The embedded demo sandbox.
pub struct Demo {
    pub config: SandboxConfig,
    #[cfg(feature = "demo")]
    _sandbox: launcher_sandbox::Sandbox,
}

/// What the services resolved to, and what went wrong on the way. The window reports each problem and goes on
/// with what it has; the command line stops at the first.
pub struct Resolution {
    pub services: Services,
    pub problems: Vec<ServiceError>,
}

/// Decides the services. `settings_file`, when given, is read for the services it names and for its network
/// options (proxy, CA file, timeout), which apply to whatever provides the services but the embedded demo.
/// Reads the disk and the keychain, and may start the demo sandbox: call it on a runtime, never on the window's
/// thread.
pub async fn resolve(
    source: Source,
    settings_file: Option<&Path>,
    keychain: KeychainChoice,
    policies: Policies,
) -> Resolution {
    let mut problems = Vec::new();
    let settings = settings_file.map(|path| {
        Settings::load_with(path, &policies).unwrap_or_else(|e| {
            problems.push(ServiceError::from(e));
            Settings::default()
        })
    });
    let source = match source {
        Source::Settings { demo_when_empty: true }
            if settings.as_ref().is_none_or(nothing_configured) && !policies.demo_disabled() =>
        {
            Source::Demo
        }
        other => other,
    };
    // The keychain's app secrets, read once here, where the settings decide the services.
    let mut config_secrets = None;
    let (mut endpoints, keychain, demo) = match source {
        Source::Endpoints(endpoints) => (*endpoints, open_keychain(keychain).await, None),
        Source::Settings { .. } => {
            let keychain = open_keychain(keychain).await;
            let configured = settings.clone().unwrap_or_default();
            let secrets = keychain.config_secrets().await;
            let endpoints = Endpoints::from_policy(&configured, secrets.clone(), &policies);
            config_secrets = Some(secrets);
            (endpoints, keychain, None)
        }
        // The description and the keychain at once: each is a round trip, and a command's start waits for both.
        Source::Sandbox(url) => {
            match futures_util::future::join(fetch_sandbox_config(&url), open_keychain(keychain)).await {
                (Ok(config), keychain) => {
                    let mut endpoints = Endpoints::from_sandbox(&config);
                    // A sandbox on this machine is reached over plain http (loopback is always allowed); one elsewhere
                    // only where the organization has not locked http off.
                    let http_locked_off = policies.managed(crate::settings::policy::names::MEETING_BOOSTER_ALLOW_HTTP)
                        == Some(&crate::settings::policy::PolicyValue::Bool(false));
                    if let Some(mb) = &mut endpoints.meetingbooster
                        && http_locked_off
                    {
                        mb.allow_http = false;
                    }
                    (endpoints, keychain, None)
                }
                (Err(detail), _) => {
                    problems.push(ServiceError::Sandbox(detail));
                    (Endpoints::default(), Keychain::memory("no services"), None)
                }
            }
        }
        Source::Demo if policies.demo_disabled() => {
            problems.push(ServiceError::DemoDisabled);
            (Endpoints::default(), Keychain::memory("demo mode is turned off"), None)
        }
        Source::Demo => match start_demo().await {
            Ok((endpoints, demo)) => (endpoints, Keychain::memory("demo mode saves nothing"), Some(demo)),
            Err(e) => {
                problems.push(e);
                (Endpoints::default(), Keychain::memory("demo mode saves nothing"), None)
            }
        },
    };
    // The services the organization allows, whatever provides them.
    endpoints.restrict(&policies.allowed_providers());
    // The demo's sandbox is on this machine: no proxy stands between.
    let network = match (&settings, &demo) {
        (Some(settings), None) => Some(settings.network.clone()),
        _ => None,
    };
    let services = Services { endpoints, keychain, network, settings, policies, demo, config_secrets };
    Resolution { services, problems }
}

#[cfg(feature = "demo")]
async fn start_demo() -> Result<(Endpoints, Demo), ServiceError> {
    let sandbox = crate::backend::demo_sandbox().await.map_err(|e| ServiceError::DemoFailed(e.to_string()))?;
    let config = sandbox.config().clone();
    Ok((crate::backend::demo_endpoints(&config), Demo { config, _sandbox: sandbox }))
}

#[cfg(not(feature = "demo"))]
async fn start_demo() -> Result<(Endpoints, Demo), ServiceError> {
    Err(ServiceError::DemoFailed("this build of Meeting Launcher has no demo mode".into()))
}

async fn open_keychain(choice: KeychainChoice) -> Keychain {
    match choice {
        KeychainChoice::System => Keychain::open().await,
        KeychainChoice::Given(k) => k,
    }
}

/// No service set up at all: a new user, who gets the demo.
fn nothing_configured(settings: &Settings) -> bool {
    settings.joinme.api_key.is_none() && settings.meetingbooster.server.is_none() && settings.joindin.api_key.is_none()
}

/// Reads a sandbox's self-description from its root URL (or its `/_sandbox/config` URL).
pub async fn fetch_sandbox_config(url: &str) -> Result<SandboxConfig, String> {
    let trimmed = url.trim_end_matches('/');
    let config_url =
        if trimmed.ends_with("/_sandbox/config") { trimmed.to_string() } else { format!("{trimmed}/_sandbox/config") };
    // The client every service call uses (its timeouts, the system's proxies); the description is small.
    let client = crate::providers::http::client(&crate::settings::NetworkSettings::default())
        .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
    let response = client.get(&config_url).send().await.map_err(|_| format!("no sandbox answers at {config_url}"))?;
    if response.content_length().is_some_and(|n| n > 64 * 1024) {
        return Err(format!("{config_url} answered more than a sandbox's description"));
    }
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
