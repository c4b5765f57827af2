//! The desktop around the window: the tray, one running instance, reminders as notifications, start at login,
//! and the D-Bus questions `doctor` asks. Each piece fails soft: without it the app still works.

pub mod autostart;
pub mod dbus;
pub mod instance;
pub mod notifications;
pub mod tray;
