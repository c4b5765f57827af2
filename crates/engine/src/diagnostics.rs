//! The log folder and what is in it: where the platform keeps an app's logs, the newest log file's last lines,
//! and the crash reports the binary's panic hook leaves there. File work only: call it off the UI thread.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Log files are `meeting-launcher.YYYY-MM-DD.log` (the date in UTC: tracing-appender rotates at UTC midnight).
pub const LOG_PREFIX: &str = "meeting-launcher";
pub const LOG_SUFFIX: &str = "log";
/// Crash reports are `crash-<UTC time>.txt`; once the window has told the user, `crash-<UTC time>.seen.txt`.
pub const CRASH_PREFIX: &str = "crash-";
const SEEN_SUFFIX: &str = ".seen.txt";

/// The platform's folder for the app's logs: Linux `$XDG_STATE_HOME/meeting-launcher/logs` (the XDG spec puts
/// logs in state), macOS `~/Library/Logs/Meeting Launcher`, Windows `%LOCALAPPDATA%\meeting-launcher\logs`.
/// `None` without a home folder.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "meeting-launcher")?;
    if cfg!(target_os = "macos") {
        let base = directories::BaseDirs::new()?;
        return Some(base.home_dir().join("Library/Logs").join(launcher_core::app::TITLE));
    }
    if let Some(state) = dirs.state_dir() {
        return Some(state.join("logs"));
    }
    // Windows: beside `data` (`ProjectDirs` adds `data` to the app's own folder).
    let local = dirs.data_local_dir();
    Some(local.parent().unwrap_or(local).join("logs"))
}

/// Creates `dir` (and its parents), readable by the user only on Unix: logs name accounts and meetings.
pub fn create_log_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    // An existing folder keeps its mode through `create`: tighten it.
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

/// The newest log file in `dir` (by name: the date is in it), if any.
pub fn newest_log(dir: &Path) -> Option<PathBuf> {
    let prefix = format!("{LOG_PREFIX}.");
    let suffix = format!(".{LOG_SUFFIX}");
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&prefix) && n.ends_with(&suffix)))
        .map(|e| e.path())
        .max()
}

/// The last `lines` lines of the newest log file, redacted; empty when there is none or it cannot be read.
pub fn log_tail(dir: &Path, lines: usize) -> Vec<String> {
    let Some(path) = newest_log(dir) else { return Vec::new() };
    // Only the end is read: a day of trace logging can be large.
    const WINDOW: u64 = 256 * 1024;
    let read = || -> std::io::Result<String> {
        let mut file = std::fs::File::open(&path)?;
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(WINDOW)))?;
        let mut bytes = Vec::new();
        file.take(WINDOW).read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let Ok(text) = read() else { return Vec::new() };
    let all: Vec<&str> = text.lines().collect();
    // The first line may be cut by the window; drop it unless the whole file fit.
    let skip = usize::from(all.len() > lines && text.len() as u64 >= WINDOW);
    let start = all.len().saturating_sub(lines).max(skip);
    all[start..].iter().map(|l| launcher_core::diagnostics::redact(l)).collect()
}

/// The crash reports in `dir` the user has not been told about, oldest first.
pub fn unseen_crash_reports(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut reports: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(CRASH_PREFIX) && n.ends_with(".txt") && !n.ends_with(SEEN_SUFFIX))
        })
        .map(|e| e.path())
        .collect();
    reports.sort();
    reports
}

/// Marks every unseen crash report in `dir` seen (renames it to `….seen.txt`) and returns the newest one's path,
/// if there was one: the window tells the user once.
pub fn take_unseen_crash(dir: &Path) -> Option<PathBuf> {
    let reports = unseen_crash_reports(dir);
    let mut newest = None;
    for report in reports {
        let seen = report.with_extension("seen.txt");
        match std::fs::rename(&report, &seen) {
            Ok(()) => newest = Some(seen),
            // Left unseen: told again next time rather than never.
            Err(e) => tracing::warn!(error = %e, "could not mark a crash report seen"),
        }
    }
    newest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ml-diag-{}-{}", std::process::id(), rand::random::<u64>()));
        create_log_dir(&dir).unwrap();
        dir
    }

    #[test]
    fn the_newest_logs_last_lines_redacted() {
        let dir = scratch();
        assert!(log_tail(&dir, 5).is_empty());
        std::fs::write(dir.join("meeting-launcher.2026-01-01.log"), "old\n").unwrap();
        let lines: String = (0..300).map(|i| format!("line {i}\n")).collect();
        std::fs::write(dir.join("meeting-launcher.2026-01-02.log"), lines + "code=abcdef123\n").unwrap();
        std::fs::write(dir.join("other.log"), "no\n").unwrap();
        let tail = log_tail(&dir, 3);
        assert_eq!(tail, ["line 298", "line 299", "code=[redacted]"]);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn crash_reports_are_told_once() {
        let dir = scratch();
        assert_eq!(take_unseen_crash(&dir), None);
        std::fs::write(dir.join("crash-2026-01-01T00-00-00Z.txt"), "a").unwrap();
        std::fs::write(dir.join("crash-2026-01-02T00-00-00Z.txt"), "b").unwrap();
        let newest = take_unseen_crash(&dir).unwrap();
        assert!(newest.ends_with("crash-2026-01-02T00-00-00Z.seen.txt"), "{newest:?}");
        assert!(unseen_crash_reports(&dir).is_empty());
        assert_eq!(take_unseen_crash(&dir), None);
        assert_eq!(take_unseen_crash(&dir.join("missing")), None);
        let _ = std::fs::remove_dir_all(dir);
    }
}
