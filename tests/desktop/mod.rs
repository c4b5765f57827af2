//! The desktop integration, with the real binary under Xvfb on the test's private D-Bus session
//! (`cargo xtask test` provides both): the tray's StatusNotifierItem and its menu driven over D-Bus, one
//! running instance with requests forwarded from a second process (and refused from another user), the window's
//! remembered size and position, and `doctor`.

mod bus;
mod calendar;
mod doctor;
mod geometry;
mod home;
mod instance;
mod notifications;
use super::process;
mod tray;

/// The tests here share one session bus (the names they own, the windows on the display): one at a time.
pub fn desktop_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}
