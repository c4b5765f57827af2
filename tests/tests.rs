//! The binary's one integration-test binary: the real `meeting-launcher` as a child process (the command line,
//! the window under Xvfb, the tray and the single instance on a private D-Bus session), and the packaging files.

mod auth_cli;
mod backend_cli;
mod calendar_cli;
mod desktop;
mod faults;
mod packaging;
mod policies;
#[allow(dead_code)]
mod process;
mod sandbox_cli;
mod window;
