//! Meeting Launcher: sign in to join.me, MeetingBooster and joind.in, and get into meetings fast.

pub mod auth;
pub mod backend;
pub mod cli;
pub mod commands;
pub mod email;
pub mod fsutil;
pub mod html;
pub mod logging;
pub mod platform;
pub mod providers;
pub mod sandbox;
pub mod secret;
pub mod settings;
pub mod timefmt;
pub mod ui;
