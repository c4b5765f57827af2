//! The desktop window (what runs with no subcommand), and `open` / `quit`, which talk to it. Only one runs per
//! user and profile: a second launch brings the first one's window forward instead.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::doctor::DesktopDoctor;
use crate::cli::Cli;
use launcher_core::tray::TrayModel;
use launcher_desktop::autostart::SystemAutostart;
use launcher_desktop::browser::{SystemBrowser, SystemFolders};
use launcher_desktop::dbus::TrayHost;
use launcher_desktop::instance::{self, Claim, InstanceError, Reply, Request};
use launcher_desktop::notifications::SystemNotifier;
use launcher_desktop::tray::SystemTray;
use launcher_engine::auth::{DEFAULT_FLOW_TIMEOUT, SystemClock};
use launcher_engine::backend::{
    BackendConfig, BackendHandle, Command, DiagnosticsConfig, Event, Hold, KeychainChoice, LiveConfig, RetryPolicy,
    Services, Trigger,
};
use launcher_engine::settings::{NetworkSettings, Paths};
use launcher_ui::desktop::{AppCommand, Inbox, TrayView};
use launcher_ui::{App, native_options};

pub fn run(cli: &Cli) -> ExitCode {
    // The launch's steps at debug level (`MEETING_LAUNCHER_LOG=meeting_launcher=debug`), for profiling start-up.
    let began = std::time::Instant::now();
    let step = move |what: &str| tracing::debug!(ms = began.elapsed().as_secs_f64() * 1000.0, "launch: {what}");
    let socket = super::context::instance_socket(cli);
    let listener = match instance::claim(&socket) {
        Ok(Claim::First(listener)) => Some(listener),
        Ok(Claim::Running) => return open(cli),
        Err(e) => {
            tracing::warn!(error = %e, "running without the single-instance check");
            None
        }
    };
    // Asked on a thread: a slow session bus must not hold up the window. Starting hidden waits for the
    // answer (briefly), because hiding without a tray would strand the user.
    let (host_tx, host_rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new().name("tray-host".into()).spawn(move || {
        let _ = host_tx.send(launcher_desktop::dbus::tray_host());
    });
    let start_hidden_host = if cli.minimized { host_rx.recv_timeout(Duration::from_secs(2)).ok() } else { None };
    // The system's language and clock for every word the window, the tray and the notifications say (the
    // settings may choose another once the backend has read them).
    launcher_core::i18n::set(launcher_desktop::locale::system());
    // The desktop's light or dark preference (the XDG portal on Linux), for "As the desktop": asked now, so the
    // answer overlaps the window's set-up and the first frame has it (no light-dark-light flash), then followed.
    let (scheme_tx, scheme_rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new().name("color-scheme-read".into()).spawn(move || {
        let heard = launcher_desktop::appearance::follow(None, move |scheme| {
            let _ = scheme_tx.send(scheme);
        });
        if let Err(e) = heard {
            tracing::info!(error = %e, "the desktop's light or dark preference is not known");
        }
    });
    let mut scheme_rx = Some(scheme_rx);

    let paths = Paths::platform(cli.config.clone());
    let data_dir = paths.as_ref().map(|p| p.data_dir.clone()).unwrap_or_else(std::env::temp_dir);
    let services = match (cli.demo, &cli.sandbox, paths) {
        (true, _, _) | (false, None, None) => Services::Demo,
        (false, Some(url), _) => Services::Sandbox(url.clone()),
        (false, None, Some(paths)) => Services::Auto(paths),
    };
    let mut services = Some(services);
    // The Help page's sources; a crash since the user was last told is found here, before the window.
    let log_dir = launcher_engine::diagnostics::log_dir();
    let mut crash_notice = crate::crash::unseen_notice(log_dir.as_deref());
    let doctor_cli = cli.clone();
    let mut listener = listener;
    // The backend (and the demo's sandbox) starts once the first frame is on screen: on a small machine its
    // start-up would take CPU the window's set-up needs.
    let (release, hold) = Hold::new();
    let mut hold = Some(hold);
    step("ready for the window");
    let result = eframe::run_native(
        launcher_core::app::STORAGE_NAME,
        native_options(),
        Box::new(move |cc| {
            step("window and renderer set up");
            let services = services.take().unwrap_or(Services::Demo);
            let mut app = App::new(&cc.egui_ctx, cc.storage, move |notifier| BackendConfig {
                services,
                network: NetworkSettings::default(),
                data_dir,
                keychain: KeychainChoice::System,
                browser: Arc::new(SystemBrowser),
                clock: Arc::new(SystemClock),
                notifier,
                retry: RetryPolicy::default(),
                undo_window: Duration::from_secs(6),
                flow_timeout: DEFAULT_FLOW_TIMEOUT,
                reminders: Some(Arc::new(SystemNotifier)),
                autostart: Some(Arc::new(SystemAutostart)),
                live: Some(LiveConfig::default()),
                policy_root: None,
                diagnostics: Some(DiagnosticsConfig {
                    log_dir: log_dir.clone(),
                    doctor: Some(Arc::new(DesktopDoctor(doctor_cli))),
                    folders: Some(Arc::new(SystemFolders)),
                }),
                hold: hold.take(),
            });
            if let Some(notice) = crash_notice.take() {
                app.apply(Event::Notice(notice));
            }
            let inbox = app.inbox();
            // The first frame in the desktop's scheme when the portal has answered by now (it usually has: one
            // D-Bus round trip); later changes as they come.
            if let Some(schemes) = scheme_rx.take() {
                if let Ok(scheme) = schemes.recv_timeout(Duration::from_millis(100)) {
                    inbox.send(AppCommand::ColorScheme(scheme));
                }
                let forward = inbox.clone();
                let _ = std::thread::Builder::new().name("color-scheme".into()).spawn(move || {
                    for scheme in schemes {
                        forward.send(AppCommand::ColorScheme(scheme));
                    }
                });
            }
            // A wake or the network coming back reloads the agenda at once (the engine also sees a wake as a
            // clock jump, so a missing system bus costs only a tick).
            // On a thread of its own: connecting to the system bus must not hold up the first frame.
            if let Some(backend) = app.backend_handle() {
                let _ = std::thread::Builder::new().name("wake-listen".into()).spawn(move || {
                    let heard = launcher_desktop::wake::listen(None, move |wake| {
                        backend.send(Command::Refresh(match wake {
                            launcher_desktop::wake::Wake::Resumed => Trigger::Resumed,
                            launcher_desktop::wake::Wake::NetworkBack => Trigger::NetworkBack,
                        }))
                    });
                    if let Err(e) = heard {
                        tracing::info!(error = %e, "not listening for wakes on the system bus");
                    }
                });
            }
            // The tray is made on the event loop's thread (Windows and macOS need it there), once the first frame is
            // on screen: its icon and its D-Bus set-up need not hold up the window.
            let forward = inbox.clone();
            app.after_first_frame(move |app, _| {
                step("first frame on screen");
                release.release();
                let icon = launcher_ui::icon().map(|i| (i.rgba, i.width, i.height)).unwrap_or_default();
                match SystemTray::create(icon, move |action| forward.send(AppCommand::Tray(action))) {
                    Ok(tray) => app.set_tray(Box::new(Tray(tray))),
                    Err(e) => tracing::info!(error = %e, "no tray icon"),
                }
            });
            match start_hidden_host.clone() {
                Some(host) => {
                    let hide = host == TrayHost::Present;
                    inbox.send(AppCommand::TrayHost(host));
                    if hide {
                        // eframe shows the window after the first frame (egui #3654): hide it again at once.
                        cc.egui_ctx.send_viewport_cmd(egui::ViewportCommand::Visible(false));
                    }
                }
                None => {
                    let inbox = inbox.clone();
                    let _ = std::thread::Builder::new().name("tray-host-wait".into()).spawn(move || {
                        if let Ok(host) = host_rx.recv() {
                            inbox.send(AppCommand::TrayHost(host));
                        }
                    });
                }
            }
            if let (Some(listener), Some(backend)) = (listener.take(), app.backend_handle()) {
                listener.serve(move |request| answer(request, &inbox, &backend));
            }
            step("app made");
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(format!(
            "the window could not open: {e}. Is a display available (DISPLAY or WAYLAND_DISPLAY)? The command line \
             works without one: meeting-launcher --help"
        )),
    }
}

/// The desktop's tray as the window's tray view.
struct Tray(SystemTray);

impl TrayView for Tray {
    fn show(&mut self, model: &TrayModel) {
        self.0.show(model);
    }
}

/// What the running app does for another launch.
fn answer(request: Request, inbox: &Inbox, backend: &BackendHandle) -> Reply {
    match request {
        Request::Ping => Reply::ok("Meeting Launcher is running."),
        Request::JoinNext { open_browser } => {
            match ask(backend, |reply| Command::JoinNext { open_browser, reply: Some(reply) }) {
                Ok(joined) => Reply {
                    ok: true,
                    message: joined.title,
                    presenter_link: joined.started.filter(|_| !open_browser).map(|s| s.presenter_link),
                    viewer_link: Some(joined.link),
                },
                Err(message) => Reply::failed(message),
            }
        }
        Request::Open => {
            inbox.send(AppCommand::Show);
            Reply::ok("The Meeting Launcher window was brought forward.")
        }
        Request::Quit => {
            inbox.send(AppCommand::Quit);
            Reply::ok("Meeting Launcher is quitting.")
        }
        Request::Start { personal_url, open_browser } => {
            match ask(backend, |reply| Command::QuickStart { personal_url, open_browser, reply: Some(reply) }) {
                Ok(started) => Reply {
                    ok: true,
                    message: "Meeting started.".into(),
                    presenter_link: (!open_browser).then_some(started.presenter_link),
                    viewer_link: Some(started.viewer_link),
                },
                Err(message) => Reply::failed(message),
            }
        }
    }
}

/// Sends the backend a command and waits for its answer, a little less long than the other launch waits.
fn ask<T>(
    backend: &BackendHandle,
    command: impl FnOnce(launcher_engine::backend::Reply<T>) -> Command,
) -> Result<T, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    backend.send(command(tx));
    match rx.recv_timeout(instance::ANSWER_WAIT.saturating_sub(Duration::from_secs(10))) {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("The running Meeting Launcher did not answer in time.".into()),
    }
}

/// `meeting-launcher open`: the running app's window comes forward; with none running, the app starts.
pub fn open(cli: &Cli) -> ExitCode {
    match instance::forward(&super::context::instance_socket(cli), &Request::Open) {
        Ok(reply) => {
            eprintln!("{}", reply.message);
            ExitCode::SUCCESS
        }
        Err(InstanceError::NotRunning) if cli.command.is_some() => run(cli),
        Err(e) => super::fail(e),
    }
}

/// `meeting-launcher quit`.
pub fn quit(cli: &Cli) -> ExitCode {
    match instance::forward(&super::context::instance_socket(cli), &Request::Quit) {
        Ok(reply) => {
            eprintln!("{}", reply.message);
            ExitCode::SUCCESS
        }
        Err(InstanceError::NotRunning) => {
            eprintln!("Meeting Launcher is not running.");
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}
