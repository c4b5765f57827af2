//! The auth layer against the sandbox over real HTTP, with the real Secret Service (run through
//! `cargo xtask test`), real loopback sockets, and a test browser that follows the pages.

mod joindin;
mod joinme;
mod lifecycle;
mod meetingbooster;
mod network;

use launcher_test_support::{auth as support, browser};
