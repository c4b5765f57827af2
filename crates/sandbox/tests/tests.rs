//! The sandbox over real HTTP on loopback: every endpoint's success path, every documented failure, bad input
//! answered in each service's own format, and the operator controls.

mod calendar;
mod controls;
mod joindin;
mod joinme;
mod meetingbooster;
mod support;
