//! The backend as the UI uses it: commands in, events out, against the sandbox over real HTTP, including every
//! failure mode the operator controls can produce.

#[allow(dead_code)]
#[path = "../auth/browser.rs"]
mod browser;
mod cli;
mod failures;
mod operations;
#[allow(dead_code)]
#[path = "../common/process.rs"]
mod process;
mod reminders;
mod ui;
