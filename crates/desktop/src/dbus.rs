//! Questions for the D-Bus session bus: is a tray host there, is a notification server there. Blocking:
//! called at start-up before the window exists, from `doctor`, or off the UI thread.

pub use launcher_core::tray::TrayHost;

pub const WATCHER: &str = "org.kde.StatusNotifierWatcher";
pub const NOTIFICATIONS: &str = "org.freedesktop.Notifications";

#[cfg(all(unix, not(target_os = "macos")))]
pub fn name_has_owner(name: &str) -> Result<bool, String> {
    let connection = zbus::blocking::Connection::session().map_err(|e| e.to_string())?;
    let proxy = zbus::blocking::fdo::DBusProxy::new(&connection).map_err(|e| e.to_string())?;
    let name = zbus::names::BusName::try_from(name).map_err(|e| e.to_string())?;
    proxy.name_has_owner(name).map_err(|e| e.to_string())
}

/// Windows and macOS have no session bus: their tray and notifications are the system's own.
#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn name_has_owner(_name: &str) -> Result<bool, String> {
    Err("there is no D-Bus session bus on this system".into())
}

pub fn tray_host() -> TrayHost {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        match name_has_owner(WATCHER) {
            Ok(true) => TrayHost::Present,
            Ok(false) => TrayHost::Missing,
            Err(e) => TrayHost::NoBus(e),
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        // Windows and macOS always have a notification area / menu bar.
        TrayHost::Present
    }
}
