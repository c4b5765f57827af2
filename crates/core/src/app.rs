//! The app's identity, the same everywhere: window class, desktop file, notifications, login item, policies.

/// The reverse-DNS id: .desktop file name, AppStream id, icon name, window class, macOS bundle id.
pub const APP_ID: &str = "org.meetinglauncher.MeetingLauncher";
/// What people see.
pub const TITLE: &str = "Meeting Launcher";
/// eframe's storage name (window size and position), kept from the first release so nothing is forgotten.
pub const STORAGE_NAME: &str = "meeting-launcher";
/// The icon (`assets/icon.png`), for the window and the tray, decoded where it is shown.
pub const ICON_PNG: &[u8] = include_bytes!("../../../assets/icon.png");
