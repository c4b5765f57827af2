//! Crashes: a panic hook that writes a crash report (`crash-<UTC time>.txt`, the user's only) into the log
//! folder, synchronously (the log file's writer is on another thread and may never flush), and the window's
//! word about it on the next start. A window started from the desktop has no stderr anyone reads.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use launcher_core::diagnostics::{VERSION, os, redact};
use launcher_engine::diagnostics::{CRASH_PREFIX, create_log_dir};

/// Installs the hook. It replaces Rust's own, which would print the message unredacted to stderr (which a
/// desktop session sends to the journal): this one prints the redacted message and where the report is.
pub fn install(log_dir: Option<PathBuf>) {
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        // A message can quote anything, a token in an error included.
        let message = redact(&message);
        let location = info.location().map(|l| l.to_string()).unwrap_or_else(|| "unknown".into());
        let thread = std::thread::current().name().unwrap_or("unnamed").to_string();
        let report = log_dir.as_deref().map(|dir| write_report(dir, &thread, &location, &message));
        let said = match &report {
            Some(Ok(path)) => {
                tracing::error!(%thread, %location, %message, report = %path.display(), "the app panicked");
                format!("A crash report is in {}.", path.display())
            }
            Some(Err(e)) => {
                tracing::error!(%thread, %location, %message, error = %e, "the app panicked; no crash report");
                format!("No crash report could be written ({e}).")
            }
            None => {
                tracing::error!(%thread, %location, %message, "the app panicked");
                String::new()
            }
        };
        eprintln!(
            "Meeting Launcher stopped on an internal error in thread '{thread}' at {location}: {message}\n{said}"
        );
    }));
}

fn write_report(dir: &Path, thread: &str, location: &str, message: &str) -> std::io::Result<PathBuf> {
    create_log_dir(dir)?;
    let now = chrono::Utc::now();
    let path = dir.join(format!("{CRASH_PREFIX}{}-{}.txt", now.format("%Y-%m-%dT%H-%M-%SZ"), std::process::id()));
    let backtrace = std::backtrace::Backtrace::force_capture();
    let text = format!(
        "Meeting Launcher crash report\n\
         version: {VERSION}\n\
         os: {}\n\
         time: {}\n\
         thread: {thread}\n\
         location: {location}\n\
         message: {message}\n\
         \n\
         backtrace:\n{backtrace}\n",
        os(),
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

/// Test only: `MEETING_LAUNCHER_CRASH_TEST=1` makes the binary panic at once, so the tests can see a crash report
/// written (and redacted: the message carries stand-ins for secrets). No user sets it by accident.
pub fn crash_if_asked() {
    if std::env::var_os("MEETING_LAUNCHER_CRASH_TEST").is_some_and(|v| v == "1") {
        panic!(
            "MEETING_LAUNCHER_CRASH_TEST asked for a crash (stand-ins for secrets: access_token=crashtest-a1b2c3 \
             and crashtestb0123456789abcdefghij)"
        );
    }
}

/// The window's word about a crash since the user was last told (each report is told once), if any. Renames
/// files: call it before the window starts, never on its thread.
pub fn unseen_notice(log_dir: Option<&Path>) -> Option<String> {
    let dir = log_dir?;
    let report = launcher_engine::diagnostics::take_unseen_crash(dir)?;
    tracing::info!(report = %report.display(), "telling the user about the last crash");
    Some(format!("Meeting Launcher closed unexpectedly last time. A crash report is in {}.", dir.display()))
}
