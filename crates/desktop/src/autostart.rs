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

/// Whether the per-user entry exists: on Windows the Run value, elsewhere the file. A managed
/// `StartAtLogin=false` removes it only when this sees it.
pub fn is_enabled(config_home: Option<&Path>) -> bool {
    #[cfg(windows)]
    {
        let _ = config_home;
        run_key(winreg::enums::KEY_READ).and_then(|key| key.get_raw_value(launcher_core::app::TITLE)).is_ok()
    }
    #[cfg(not(windows))]
    {
        entry_path(config_home).is_some_and(|p| p.exists())
    }
}

/// Where the entry is, for people: the Run value on Windows, the file elsewhere.
pub fn location(config_home: Option<&Path>) -> Option<String> {
    #[cfg(windows)]
    {
        let _ = config_home;
        Some(format!("HKEY_CURRENT_USER\\{RUN_KEY}\\{}", launcher_core::app::TITLE))
    }
    #[cfg(not(windows))]
    {
        entry_path(config_home).map(|p| p.display().to_string())
    }
}

/// The per-user Run key (no elevation needed to write it), under HKEY_CURRENT_USER.
#[cfg(windows)]
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

/// The per-user Run key, opened with `access` (created when writing). The registry API itself: no `reg.exe`
/// child, which would flash a console window beside a Windows-subsystem program.
#[cfg(windows)]
fn run_key(access: u32) -> std::io::Result<winreg::RegKey> {
    let user = winreg::RegKey::predef(winreg::enums::HKEY_CURRENT_USER);
    if access == winreg::enums::KEY_READ {
        user.open_subkey_with_flags(RUN_KEY, access)
    } else {
        user.create_subkey_with_flags(RUN_KEY, access).map(|(key, _)| key)
    }
}

/// Writes or removes the per-user entry (on Windows, the Run value).
pub fn set_enabled(enabled: bool, config_home: Option<&Path>) -> Result<(), AutostartError> {
    #[cfg(windows)]
    {
        let _ = config_home;
        windows_run_key(enabled)
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
    let path = PathBuf::from(format!("HKEY_CURRENT_USER\\{RUN_KEY}"));
    let key =
        run_key(winreg::enums::KEY_SET_VALUE).map_err(|source| AutostartError::Write { path: path.clone(), source })?;
    if enabled {
        let exe = std::env::current_exe().map_err(AutostartError::NoExe)?;
        let command = format!("\"{}\" {MINIMIZED_ARG}", exe.display());
        key.set_value(launcher_core::app::TITLE, &command).map_err(|source| AutostartError::Write { path, source })
    } else {
        match key.delete_value(launcher_core::app::TITLE) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(AutostartError::Remove { path, source: e }),
            _ => Ok(()),
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The `[Desktop Entry]` group's keys and values, one per line; a repeated key fails the test.
    fn keys(text: &str) -> std::collections::HashMap<String, String> {
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("[Desktop Entry]"), "{text}");
        let mut keys = std::collections::HashMap::new();
        for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
            assert!(!line.starts_with('['), "one group only: {text}");
            let (key, value) = line.split_once('=').unwrap_or_else(|| panic!("not a key=value line: {line:?}"));
            assert!(keys.insert(key.to_string(), value.to_string()).is_none(), "{key} twice: {text}");
        }
        keys
    }

    #[test]
    fn the_entry_starts_the_app_hidden_and_goes_inert_when_it_is_uninstalled() {
        let home = std::env::temp_dir().join(format!("ml-autostart-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        assert!(!is_enabled(Some(&home)));
        set_enabled(true, Some(&home)).unwrap();
        assert!(is_enabled(Some(&home)));
        let path = home.join("autostart/org.meetinglauncher.MeetingLauncher.desktop");
        assert_eq!(entry_path(Some(&home)).as_deref(), Some(path.as_path()));

        // What was written, key by key: this program, started hidden; inert once the program is gone.
        let exe = std::env::current_exe().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let keys = keys(&text);
        let key = |k: &str| keys.get(k).map(String::as_str).unwrap_or_else(|| panic!("no {k} in {text}"));
        assert_eq!(key("Type"), "Application");
        assert_eq!(key("Name"), "Meeting Launcher");
        assert_eq!(key("Exec"), format!("\"{}\" --minimized", exe.display()));
        assert_eq!(key("TryExec"), exe.display().to_string());
        assert_eq!(key("Icon"), "org.meetinglauncher.MeetingLauncher");
        assert_eq!(key("Terminal"), "false");
        assert_eq!(key("X-GNOME-Autostart-enabled"), "true");

        // The desktop's own check, where it is installed (`cargo xtask package` installs it).
        match std::process::Command::new("desktop-file-validate").arg(&path).output() {
            Ok(out) => {
                let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
                assert!(out.status.success() && said.trim().is_empty(), "desktop-file-validate: {said}");
            }
            Err(e) => eprintln!("desktop-file-validate not run ({e}): install desktop-file-utils to check the entry"),
        }

        // Turned off: the file is gone; turning off again is no error.
        set_enabled(false, Some(&home)).unwrap();
        assert!(!path.exists());
        set_enabled(false, Some(&home)).unwrap();
        assert!(!is_enabled(Some(&home)));
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn a_path_with_spaces_stays_one_argument() {
        let text = entry_text(Path::new("/opt/Meeting Launcher/meeting-launcher"));
        let keys = keys(&text);
        assert_eq!(keys["Exec"], "\"/opt/Meeting Launcher/meeting-launcher\" --minimized");
        assert_eq!(keys["TryExec"], "/opt/Meeting Launcher/meeting-launcher");
    }
}
