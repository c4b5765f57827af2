//! Start at login: a per-user autostart entry that starts the app hidden in the tray. On Linux the XDG
//! autostart file (`~/.config/autostart/<app-id>.desktop`), with `TryExec` so it goes inert when the app is
//! uninstalled; on Windows the per-user Run key; on macOS a LaunchAgent.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    #[error("cannot find the folder for login items (no home directory)")]
    NoHome,
    #[error("cannot find this program's path: {0}")]
    NoExe(std::io::Error),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot remove {path}: {source}")]
    Remove { path: PathBuf, source: std::io::Error },
}

/// The per-user login item behind the engine's [`Autostart`](launcher_engine::ports::Autostart) port.
pub struct SystemAutostart;

impl launcher_engine::ports::Autostart for SystemAutostart {
    fn is_enabled(&self) -> bool {
        is_enabled(None)
    }

    fn set_enabled(&self, enabled: bool) -> Result<(), String> {
        set_enabled(enabled, None).map_err(|e| e.to_string())
    }
}

/// The argument that starts the app hidden in the tray.
pub const MINIMIZED_ARG: &str = "--minimized";

/// Where the per-user entry lives.
pub fn entry_path(config_home: Option<&Path>) -> Option<PathBuf> {
    #[cfg(target_os = "macos")]
    {
        let _ = config_home;
        directories::BaseDirs::new()
            .map(|d| d.home_dir().join("Library/LaunchAgents").join(format!("{}.plist", launcher_core::app::APP_ID)))
    }
    #[cfg(not(target_os = "macos"))]
    {
        let base = config_home
            .map(Path::to_path_buf)
            .or_else(|| directories::BaseDirs::new().map(|d| d.config_dir().to_path_buf()))?;
        Some(base.join("autostart").join(format!("{}.desktop", launcher_core::app::APP_ID)))
    }
}

/// The entry's text for `exe`.
pub fn entry_text(exe: &Path) -> String {
    let exe = exe.display();
    #[cfg(target_os = "macos")]
    {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
             \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict>\n\
             <key>Label</key><string>{id}</string>\n<key>ProgramArguments</key><array><string>{exe}</string>\
             <string>{MINIMIZED_ARG}</string></array>\n<key>RunAtLoad</key><true/>\n</dict></plist>\n",
            id = launcher_core::app::APP_ID
        )
    }
    #[cfg(not(target_os = "macos"))]
    {
        format!(
            "[Desktop Entry]\nType=Application\nName={title}\nComment=Start {title} hidden in the tray at login\n\
             Exec=\"{exe}\" {MINIMIZED_ARG}\nTryExec={exe}\nIcon={id}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
            title = launcher_core::app::TITLE,
            id = launcher_core::app::APP_ID
        )
    }
}

/// Whether the per-user entry exists.
pub fn is_enabled(config_home: Option<&Path>) -> bool {
    entry_path(config_home).is_some_and(|p| p.exists())
}

/// Writes or removes the per-user entry (on Windows, the Run value).
pub fn set_enabled(enabled: bool, config_home: Option<&Path>) -> Result<(), AutostartError> {
    #[cfg(windows)]
    {
        let _ = config_home;
        return windows_run_key(enabled);
    }
    #[cfg(not(windows))]
    {
        let path = entry_path(config_home).ok_or(AutostartError::NoHome)?;
        if enabled {
            let exe = std::env::current_exe().map_err(AutostartError::NoExe)?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| AutostartError::Write { path: path.clone(), source })?;
            }
            std::fs::write(&path, entry_text(&exe)).map_err(|source| AutostartError::Write { path, source })
        } else {
            match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(source) => Err(AutostartError::Remove { path, source }),
            }
        }
    }
}

#[cfg(windows)]
fn windows_run_key(enabled: bool) -> Result<(), AutostartError> {
    // `reg` ships with Windows; the per-user Run key needs no elevation.
    let key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";
    let exe = std::env::current_exe().map_err(AutostartError::NoExe)?;
    let mut reg = std::process::Command::new("reg");
    if enabled {
        reg.args(["add", key, "/v", launcher_core::app::TITLE, "/t", "REG_SZ", "/f", "/d"])
            .arg(format!("\"{}\" {MINIMIZED_ARG}", exe.display()));
    } else {
        reg.args(["delete", key, "/v", launcher_core::app::TITLE, "/f"]);
    }
    let path = PathBuf::from(key);
    match reg.status() {
        Ok(s) if s.success() || !enabled => Ok(()),
        Ok(s) => Err(AutostartError::Write { path, source: std::io::Error::other(s.to_string()) }),
        Err(source) => Err(AutostartError::Write { path, source }),
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_entry_starts_the_app_hidden_and_goes_inert_when_it_is_uninstalled() {
        let text = entry_text(Path::new("/usr/bin/meeting-launcher"));
        assert!(text.contains("Exec=\"/usr/bin/meeting-launcher\" --minimized\n"), "{text}");
        assert!(text.contains("TryExec=/usr/bin/meeting-launcher\n"), "{text}");
        let home = std::env::temp_dir().join(format!("ml-autostart-{}", std::process::id()));
        assert!(!is_enabled(Some(&home)));
        set_enabled(true, Some(&home)).unwrap();
        assert!(is_enabled(Some(&home)));
        assert!(home.join("autostart/org.meetinglauncher.MeetingLauncher.desktop").is_file());
        set_enabled(false, Some(&home)).unwrap();
        set_enabled(false, Some(&home)).unwrap();
        assert!(!is_enabled(Some(&home)));
        let _ = std::fs::remove_dir_all(home);
    }
}
