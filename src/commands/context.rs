//! What every account command needs: settings, the services' addresses (real, a sandbox, or an embedded demo
//! sandbox), the keychain and the auth layer, with sessions restored from the keychain.

use std::sync::Arc;

use launcher_desktop::browser::SystemBrowser;
use launcher_engine::AppError;
use launcher_engine::auth::{Auth, AuthConfig, BrowserOpener, Keychain, NoBrowser, SystemClock};
use launcher_engine::services::{Demo, KeychainChoice, Resolution, Source, resolve};
use launcher_engine::settings::{Paths, Policies};

use crate::cli::Cli;

pub struct Context {
    pub auth: Auth,
    pub paths: Paths,
    pub policies: Policies,
    pub keychain: Keychain,
    /// Kept alive for the command's length in demo mode.
    _demo: Option<Demo>,
}

pub struct Options {
    pub open_browser: bool,
    pub flow_timeout: std::time::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self { open_browser: true, flow_timeout: launcher_engine::auth::DEFAULT_FLOW_TIMEOUT }
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
    launcher_desktop::instance::socket_name(&format!("{}\n{services}", settings.unwrap_or_default()))
}

/// The services this command line asks for (`--sandbox`, `--demo` or the settings file), decided where the
/// window decides them too, with sessions restored from the keychain.
pub async fn build(cli: &Cli, options: Options) -> Result<Context, AppError> {
    let paths = Paths::platform(cli.config.clone()).ok_or(AppError::NoHome)?;
    let source = match (&cli.sandbox, cli.demo) {
        (Some(url), _) => Source::Sandbox(url.clone()),
        (None, true) => Source::Demo,
        (None, false) => Source::Settings { demo_when_empty: false },
    };
    let Resolution { services, problems } =
        resolve(source, Some(&paths.settings_file), KeychainChoice::System, Policies::system()).await;
    // The command line stops at the first problem; the window goes on with what it has.
    if let Some(problem) = problems.into_iter().next() {
        return Err(problem.into());
    }
    let browser: Arc<dyn BrowserOpener> =
        if options.open_browser { Arc::new(SystemBrowser) } else { Arc::new(NoBrowser) };
    let auth = Auth::new(AuthConfig {
        endpoints: services.endpoints,
        network: services.network.unwrap_or_default(),
        data_dir: paths.data_dir.clone(),
        keychain: services.keychain.clone(),
        browser,
        clock: Arc::new(SystemClock),
        flow_timeout: options.flow_timeout,
    })?;
    auth.restore().await;
    Ok(Context { auth, paths, policies: services.policies, keychain: services.keychain, _demo: services.demo })
}
