//! The sandbox over real HTTP on loopback: every endpoint's success path, every documented failure, bad input
//! answered in each service's own format, and the operator controls.

mod cli;
mod controls;
mod joindin;
mod joinme;
mod meetingbooster;
#[allow(dead_code)]
#[path = "../common/process.rs"]
mod process;
mod support;
