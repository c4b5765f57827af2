//! The engine's one integration-test binary: the auth layer and the backend against the sandbox over real HTTP,
//! with the real Secret Service and real loopback sockets (`cargo xtask test` provides the session).
//!
//! Linux only: the Secret Service and the D-Bus session come from `cargo xtask test`; on Windows and macOS the
//! keychain would be the user's own (CI there runs the engine's unit tests).
#![cfg(target_os = "linux")]

mod auth;
mod backend;
