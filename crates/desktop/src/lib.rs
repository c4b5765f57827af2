//! The desktop around the window: the tray, one running instance, reminders as notifications, start at login,
//! the browser, and the D-Bus questions `doctor` asks. It implements the engine's ports
//! ([`launcher_engine::ports`]); each piece fails soft: without it the app still works.

pub mod appearance;
pub mod autostart;
pub mod badge;
pub mod browser;
pub mod dbus;
pub mod instance;
pub mod locale;
pub mod notifications;
pub mod tray;
pub mod wake;
