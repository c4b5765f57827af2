//! The desktop window (what runs with no subcommand).

use std::process::ExitCode;
use std::sync::Arc;

use crate::auth::{DEFAULT_FLOW_TIMEOUT, SystemBrowser, SystemClock};
use crate::backend::{BackendConfig, KeychainChoice, RetryPolicy, Services};
use crate::cli::Cli;
use crate::settings::{NetworkSettings, Paths};
use crate::ui::{App, native_options};

pub fn run(cli: &Cli) -> ExitCode {
    let paths = Paths::platform(cli.config.clone());
    let data_dir = paths.as_ref().map(|p| p.data_dir.clone()).unwrap_or_else(std::env::temp_dir);
    let services = match (cli.demo, &cli.sandbox, paths) {
        (true, _, _) | (false, None, None) => Services::Demo,
        (false, Some(url), _) => Services::Sandbox(url.clone()),
        (false, None, Some(paths)) => Services::Auto(paths),
    };
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
