//! The desktop window (what runs with no subcommand).

use std::process::ExitCode;
use std::sync::Arc;

use crate::auth::{DEFAULT_FLOW_TIMEOUT, SystemBrowser, SystemClock};
use crate::backend::{BackendConfig, KeychainChoice, RetryPolicy, Services};
use crate::cli::Cli;
use crate::settings::{NetworkSettings, Paths};
use crate::ui::{App, native_options};

pub fn run(cli: &Cli) -> ExitCode {
    let services = if cli.demo {
        Services::Demo
    } else if let Some(url) = &cli.sandbox {
        Services::Sandbox(url.clone())
    } else {
        match Paths::platform(cli.config.clone()) {
            Some(paths) => Services::Auto(paths),
            None => Services::Demo,
        }
    };
    let data_dir = Paths::platform(None).map(|p| p.data_dir).unwrap_or_else(std::env::temp_dir);
    let mut services = Some(services);
    let result = eframe::run_native(
        crate::ui::APP_ID,
        native_options(),
        Box::new(move |cc| {
            let services = services.take().unwrap_or(Services::Demo);
            let app = App::new(&cc.egui_ctx, cc.storage, move |notifier| BackendConfig {
                services,
                network: NetworkSettings::default(),
                data_dir,
                keychain: KeychainChoice::System,
                browser: Arc::new(SystemBrowser),
                clock: Arc::new(SystemClock),
                notifier,
                retry: RetryPolicy::default(),
                undo_window: std::time::Duration::from_secs(6),
                flow_timeout: DEFAULT_FLOW_TIMEOUT,
            });
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(&format!(
            "the window could not open: {e}. Is a display available (DISPLAY or WAYLAND_DISPLAY)? The command line \
             works without one: meeting-launcher --help"
        )),
    }
}
