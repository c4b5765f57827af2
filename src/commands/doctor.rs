//! `meeting-launcher doctor`: what the app needs from this desktop and network, each checked, with a fix for
//! every problem. Warnings are things the app works around; failures are things it cannot. The window's Help
//! page runs the same checks through the engine's `Doctor` port ([`DesktopDoctor`]).

use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::Cli;
use launcher_core::diagnostics::{Check, Level};
use launcher_desktop::dbus::{self, TrayHost};
use launcher_desktop::instance::{self, InstanceError, Request};
use launcher_engine::auth::Storage;
use launcher_engine::providers::{Provider, ProviderError};

fn check(level: Level, name: &str, found: impl Into<String>, fix: Option<&str>) -> Check {
    Check::new(level, name, found, fix)
}

pub async fn run(cli: &Cli) -> ExitCode {
    let checks = checks(cli).await;
    for c in &checks {
        out!("{}", c.lines());
    }
    let worst = checks.iter().map(|c| c.level).max().unwrap_or(Level::Ok);
    match worst {
        Level::Ok => {
            out!("Everything Meeting Launcher needs is here.");
            ExitCode::SUCCESS
        }
        Level::Warn => {
            out!("Meeting Launcher works here; the warnings above say what it does without.");
            ExitCode::SUCCESS
        }
        Level::Fail => ExitCode::FAILURE,
    }
}

/// Every check, in the order `doctor` prints them: the one list the command and the Help page share.
pub async fn checks(cli: &Cli) -> Vec<Check> {
    let mut checks = vec![display()];
    checks.extend(tokio::task::spawn_blocking(desktop_bus).await.unwrap_or_default());
    checks.push(browser());
    match context::build(cli, Options { open_browser: false, ..Options::default() }).await {
        Ok(ctx) => {
            checks.push(keychain(ctx.keychain.storage()));
            checks.extend(network(&ctx).await);
        }
        Err(e) => checks.push(check(
            Level::Fail,
            "settings",
            e.to_string(),
            Some("Fix or remove the settings file named above."),
        )),
    }
    let socket = context::instance_socket(cli);
    let running = tokio::task::spawn_blocking(move || instance::forward(&socket, &Request::Ping)).await;
    checks.push(match running {
        Ok(Ok(_)) => check(Level::Ok, "running app", "one is running for these settings", None),
        Ok(Err(InstanceError::NotRunning)) => check(Level::Ok, "running app", "none", None),
        Ok(Err(e)) => check(Level::Warn, "running app", e.to_string(), None),
        Err(e) => check(Level::Warn, "running app", e.to_string(), None),
    });
    // Reads the registry on Windows, a file elsewhere: off the runtime's threads.
    let autostart = tokio::task::spawn_blocking(|| {
        use launcher_desktop::autostart;
        autostart::is_enabled(None).then(|| autostart::location(None).unwrap_or_default())
    })
    .await;
    checks.push(match autostart {
        Ok(Some(place)) => check(Level::Ok, "start at login", format!("on ({place})"), None),
        Ok(None) => check(Level::Ok, "start at login", "off (turn it on in Settings, under Desktop)", None),
        Err(e) => check(Level::Warn, "start at login", e.to_string(), None),
    });
    checks
}

/// The checks for the window's Help page, for the command line the window was started with.
pub struct DesktopDoctor(pub Cli);

impl launcher_engine::ports::Doctor for DesktopDoctor {
    fn run(&self) -> Vec<Check> {
        // A thread with its own small runtime: the backend calls this on a blocking thread of its runtime,
        // where another runtime cannot be entered.
        let cli = self.0.clone();
        let checks = std::thread::Builder::new().name("doctor".into()).spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            match runtime {
                Ok(runtime) => runtime.block_on(checks(&cli)),
                Err(e) => vec![check(Level::Warn, "doctor", format!("the checks could not run ({e})"), None)],
            }
        });
        match checks.map(|t| t.join()) {
            Ok(Ok(checks)) => checks,
            _ => vec![check(Level::Warn, "doctor", "the checks stopped unexpectedly", None)],
        }
    }
}

fn display() -> Check {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if cfg!(any(windows, target_os = "macos")) {
        return check(Level::Ok, "display", "the system's", None);
    }
    match (var("WAYLAND_DISPLAY"), var("DISPLAY")) {
        (Some(wayland), _) => check(
            Level::Ok,
            "display",
            format!("Wayland ({wayland}); closing the window minimizes it to the tray instead of hiding it"),
            None,
        ),
        (None, Some(x11)) => check(Level::Ok, "display", format!("X11 ({x11})"), None),
        (None, None) => check(
            Level::Fail,
            "display",
            "none (neither WAYLAND_DISPLAY nor DISPLAY is set)",
            Some(
                "Run the app from a desktop session. Without one, the command line still works: \
                 `meeting-launcher start`, `meeting-launcher status`.",
            ),
        ),
    }
}

/// The tray host and the notification server, both on the session bus.
fn desktop_bus() -> Vec<Check> {
    if cfg!(any(windows, target_os = "macos")) {
        return vec![
            check(Level::Ok, "tray", "the system's", None),
            check(Level::Ok, "notifications", "the system's", None),
        ];
    }
    let tray = match dbus::tray_host() {
        TrayHost::Present => check(Level::Ok, "tray", "a StatusNotifierItem host is running", None),
        TrayHost::Missing => check(
            Level::Warn,
            "tray",
            "no tray host (nothing owns org.kde.StatusNotifierWatcher); closing the window quits",
            Some(
                "On GNOME install and enable \"AppIndicator and KStatusNotifierItem Support\" \
                 (Debian/Ubuntu: sudo apt install gnome-shell-extension-appindicator, then log out and in). \
                 Elsewhere, add your panel's status-notifier (system tray) applet. Without a tray, the launcher's \
                 \"Start meeting now\" action and `meeting-launcher start` start meetings.",
            ),
        ),
        TrayHost::NoBus(e) => {
            let fix = "Start the app inside a desktop session (it provides DBUS_SESSION_BUS_ADDRESS), or install \
                       dbus-user-session.";
            return vec![
                check(Level::Warn, "tray", format!("no D-Bus session bus ({e})"), Some(fix)),
                check(
                    Level::Warn,
                    "notifications",
                    "no D-Bus session bus: reminders show in the window only",
                    Some(fix),
                ),
            ];
        }
    };
    let notifications = match dbus::name_has_owner(dbus::NOTIFICATIONS) {
        Ok(true) => match launcher_desktop::notifications::capabilities() {
            Ok(c) if c.actions => check(Level::Ok, "notifications", format!("{} (with buttons)", c.server), None),
            Ok(c) => check(
                Level::Ok,
                "notifications",
                format!("{} (no buttons: clicking a reminder starts the meeting)", c.server),
                None,
            ),
            Err(e) => check(Level::Warn, "notifications", format!("the server did not answer ({e})"), None),
        },
        _ => check(
            Level::Warn,
            "notifications",
            "no notification server: reminders show in the window only",
            Some("Install a notification daemon (dunst, mako, xfce4-notifyd) or use a desktop that has one."),
        ),
    };
    vec![tray, notifications]
}

fn browser() -> Check {
    if cfg!(any(windows, target_os = "macos")) {
        return check(Level::Ok, "browser", "the system's default", None);
    }
    let on_path = |tool: &str| {
        std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
    };
    let opener = ["xdg-open", "gio", "gnome-open", "kde-open", "wslview"].into_iter().find(|t| on_path(t));
    match opener {
        Some(tool) => {
            let default = std::process::Command::new("xdg-settings")
                .args(["get", "default-web-browser"])
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|s| !s.is_empty());
            let found = match default {
                Some(browser) => format!("{tool} opens links (default browser: {browser})"),
                None => format!("{tool} opens links"),
            };
            check(Level::Ok, "browser", found, None)
        }
        None => check(
            Level::Warn,
            "browser",
            "no link opener (xdg-open) found: sign-in and presenter links are shown to copy instead",
            Some("Install xdg-utils (Debian/Ubuntu: sudo apt install xdg-utils)."),
        ),
    }
}

fn keychain(storage: &Storage) -> Check {
    match storage {
        Storage::Keychain => check(Level::Ok, "keychain", "the system keychain keeps sign-ins", None),
        Storage::Memory { reason } => check(
            Level::Warn,
            "keychain",
            format!("not available ({reason}): sign-ins last until the app quits"),
            Some(
                "Install and unlock a Secret Service keychain: gnome-keyring (sudo apt install gnome-keyring, \
                 unlocked at login) or KeePassXC with its Secret Service integration on.",
            ),
        ),
    }
}

/// Each configured service answers over HTTP (any answer counts: the question is the path, proxy and TLS).
async fn network(ctx: &context::Context) -> Vec<Check> {
    let endpoints = ctx.auth.endpoints();
    let mut targets: Vec<(Provider, url::Url)> = Vec::new();
    if let Some(e) = &endpoints.joinme {
        targets.push((Provider::Joinme, e.api_base.clone()));
    }
    if let Some(e) = &endpoints.meetingbooster {
        targets.push((Provider::Meetingbooster, e.server.clone()));
    }
    if let Some(e) = &endpoints.joindin {
        targets.push((Provider::Joindin, e.api_base.clone()));
    }
    if targets.is_empty() {
        return vec![check(
            Level::Ok,
            "services",
            "none set up (the app runs its demo)",
            Some("Add a join.me API key, a MeetingBooster server or a joind.in key in Settings."),
        )];
    }
    // The client the app itself uses: the same proxy, CA file and timeout.
    let client = ctx.auth.http();
    let mut checks = Vec::new();
    for (name, url) in targets {
        let host = url.host_str().unwrap_or_default().to_string();
        let answer = tokio::time::timeout(std::time::Duration::from_secs(15), client.get(url.clone()).send()).await;
        checks.push(match answer {
            Ok(Ok(response)) => check(
                Level::Ok,
                "network",
                format!("{name} answers at {host} (HTTP {})", response.status().as_u16()),
                None,
            ),
            Ok(Err(e)) => {
                let error = ProviderError::from_transport(name, &url, &e);
                check(
                    Level::Fail,
                    "network",
                    error.to_string(),
                    Some(
                        "Check the connection; behind a company proxy set it in Settings (or HTTPS_PROXY); with TLS \
                         inspection add the company's CA file in Settings.",
                    ),
                )
            }
            Err(_) => check(
                Level::Fail,
                "network",
                format!("{name} at {host} did not answer within 15 s"),
                Some("Check the connection and the proxy in Settings."),
            ),
        });
    }
    checks
}
