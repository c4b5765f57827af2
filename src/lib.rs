//! Meeting Launcher: sign in to join.me, MeetingBooster and joind.in, and get into meetings fast.

pub mod cli;
pub mod commands;
pub mod logging;
pub mod sandbox;
