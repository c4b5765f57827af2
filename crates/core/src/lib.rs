//! The shared vocabulary of Meeting Launcher: the services ([`Provider`]) and account keys ([`AccountKey`]), the
//! agenda every layer shows, time formats and countdowns, the tray menu's plain model, secrets that never print,
//! the app's identity, and the diagnostics report with its redaction. It depends on no crate of ours: every other crate builds on it.

pub mod agenda;
pub mod app;
pub mod appearance;
pub mod diagnostics;
pub mod email;
pub mod fsutil;
pub mod html;
pub mod i18n;
pub mod links;
pub mod provider;
pub mod sandbox_config;
pub mod secret;
pub mod timefmt;
pub mod tray;

pub use agenda::{AgendaItem, ItemKind};
pub use provider::{AccountKey, Provider};
pub use secret::Secret;
