//! The Help page's commands, `RunDiagnostics` and `OpenFolder`, answered in front of the dispatcher: they need
//! no account, no settings and no network of the backend's own, so they are answered whatever the backend is
//! doing (starting, reconfiguring). Everything else passes through in order.

use launcher_core::diagnostics::{Check, LOG_TAIL_LINES, Level, Report, VERSION, os};

use super::config::DiagnosticsConfig;
use super::protocol::{Command, Event};
use super::state::Sink;

/// Answers the diagnostics commands from `outer` and forwards every other command to `inner` (the task).
pub(super) async fn front(
    config: Option<DiagnosticsConfig>,
    sink: Sink,
    mut outer: tokio::sync::mpsc::UnboundedReceiver<Command>,
    inner: tokio::sync::mpsc::UnboundedSender<Command>,
) {
    while let Some(command) = outer.recv().await {
        match command {
            Command::RunDiagnostics => {
                let (config, sink) = (config.clone(), sink.clone());
                // The checks block (D-Bus, processes, HTTP) and the log is a file: never on a worker.
                tokio::spawn(async move {
                    let report = tokio::task::spawn_blocking(move || report(config.as_ref())).await;
                    let report = report.unwrap_or_else(|e| Report {
                        checks: vec![Check::new(Level::Warn, "doctor", format!("the checks stopped ({e})"), None)],
                        ..bare()
                    });
                    sink.send(Event::Diagnostics(Box::new(report)));
                });
            }
            Command::OpenFolder(path) => {
                let (opener, sink) = (config.as_ref().and_then(|c| c.folders.clone()), sink.clone());
                tokio::task::spawn_blocking(move || {
                    let result = match opener {
                        Some(opener) => opener.open_folder(&path),
                        None => Err("no file manager here".into()),
                    };
                    if let Err(e) = result {
                        sink.send(Event::Notice(format!("The folder did not open ({e}). It is {}", path.display())));
                    }
                });
            }
            other => {
                if inner.send(other).is_err() {
                    break;
                }
            }
        }
    }
}

/// The version, the OS and the desktop, with nothing looked at.
fn bare() -> Report {
    Report { version: VERSION.to_string(), os: os(), desktop: desktop(), ..Report::default() }
}

/// Runs the desktop's checks and reads the log's last lines. Blocks.
fn report(config: Option<&DiagnosticsConfig>) -> Report {
    let Some(config) = config else { return bare() };
    let checks = config.doctor.as_ref().map(|d| d.run()).unwrap_or_default();
    let log_tail =
        config.log_dir.as_deref().map(|dir| crate::diagnostics::log_tail(dir, LOG_TAIL_LINES)).unwrap_or_default();
    Report { checks, log_dir: config.log_dir.clone(), log_tail, ..bare() }
}

/// The desktop and its session type (`GNOME, wayland`), as the environment says.
fn desktop() -> String {
    if cfg!(any(windows, target_os = "macos")) {
        return "the system's".into();
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (var("XDG_CURRENT_DESKTOP"), var("XDG_SESSION_TYPE")) {
        (Some(desktop), Some(session)) => format!("{desktop}, {session}"),
        (Some(desktop), None) => desktop,
        (None, Some(session)) => format!("unknown desktop, {session}"),
        (None, None) => "unknown (XDG_CURRENT_DESKTOP is not set)".into(),
    }
}
