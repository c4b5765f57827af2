//! The backend as the UI uses it: commands in, events out, against the sandbox over real HTTP, including every
//! failure mode the operator controls can produce.

mod calendar;
mod diagnostics;
mod failures;
mod live;
mod operations;
mod reminders;
mod ui;

use launcher_test_support::browser;
