//! The real app driven through egui_kittest, with its backend on a sandbox over real HTTP; snapshots of the main
//! screens rendered in software (lavapipe); and the real window under Xvfb.
//!
//! Linux only: the snapshots are drawn by lavapipe and the window runs under Xvfb (`cargo xtask test`); another
//! renderer draws other pixels.
#![cfg(target_os = "linux")]

mod accessibility;
mod desktop;
mod harness;
mod help;
mod language;
mod policies;
mod screens;
mod welcome;

use launcher_test_support::browser;
