//! The auth layer against the sandbox over real HTTP, with the real Secret Service (run through
//! `cargo xtask test`), real loopback sockets, and a test browser that follows the pages.

mod browser;
mod cli;
mod joindin;
mod joinme;
mod lifecycle;
mod meetingbooster;
mod network;
#[allow(dead_code)]
#[path = "../common/process.rs"]
mod process;
mod support;
