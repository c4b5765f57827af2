//! Logging to stderr, filtered by `MEETING_LAUNCHER_LOG` (e.g. `debug`). Nothing logged may hold a secret:
//! the code logs methods, paths and outcomes, never tokens, codes, passwords or bodies.

use tracing_subscriber::EnvFilter;

pub fn init() {
    // By default our warnings only: the windowing and GPU crates warn about things a user cannot change.
    let filter = EnvFilter::try_from_env("MEETING_LAUNCHER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("warn,winit=error,wgpu_hal=error,wgpu_core=error,naga=error,zbus=error"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
