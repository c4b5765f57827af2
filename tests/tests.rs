//! The binary's one integration-test binary: the real `meeting-launcher` as a child process (the command line,
//! the window under Xvfb, the tray and the single instance on a private D-Bus session), and the packaging files.
//!
//! Everything but `packaging` runs the binary in the session `cargo xtask test` builds on Linux (a private D-Bus
//! bus, gnome-keyring's Secret Service, Xvfb): on Windows and macOS those modules are left out by `cfg`, and CI
//! there runs the rest (see .github/workflows/ci.yml).

#[cfg(target_os = "linux")]
mod auth_cli;
#[cfg(target_os = "linux")]
mod backend_cli;
#[cfg(target_os = "linux")]
mod calendar_cli;
#[cfg(target_os = "linux")]
mod desktop;
#[cfg(target_os = "linux")]
mod faults;
mod packaging;
#[cfg(target_os = "linux")]
mod policies;
#[cfg(target_os = "linux")]
#[allow(dead_code)]
mod process;
#[cfg(target_os = "linux")]
mod sandbox_cli;
#[cfg(target_os = "linux")]
mod window;
