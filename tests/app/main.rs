//! The real app driven through egui_kittest, with its backend on a sandbox over real HTTP; snapshots of the main
//! screens rendered in software (lavapipe); and the real window under Xvfb.

#[allow(dead_code)]
#[path = "../auth/browser.rs"]
mod browser;
mod desktop;
mod harness;
mod policies;
#[allow(dead_code)]
#[path = "../common/process.rs"]
mod process;
mod screens;
mod window;
