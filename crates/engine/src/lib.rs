//! The engine of Meeting Launcher: everything but the window, the desktop and the command line.
//!
//! - [`settings`]: the settings file and the organization's policies;
//! - [`providers`]: the three services' APIs, their data and their errors;
//! - [`auth`]: sign-in flows, the loopback redirect, sessions and the keychain;
//! - [`backend`]: one task on its own runtime that takes commands and answers with events;
//! - [`services`]: the one place that decides which services and endpoints are in force;
//! - [`diagnostics`]: the log folder, its last lines and the crash reports in it;
//! - [`ports`]: what the engine asks of the desktop (notifications, start at login, a browser, a clock).
//!
//! It names no UI, desktop or command-line code; those sit above it and implement its ports.

pub mod auth;
pub mod backend;
pub mod diagnostics;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod ports;
pub mod providers;
pub mod services;
pub mod settings;

pub use error::AppError;
