//! Helpers shared by the tests of several crates (dev-only): a test browser that follows or refuses the
//! sign-in pages, a client clock that follows the sandbox's virtual one, and an auth layer on a sandbox with the
//! real keychain.

pub mod auth;
pub mod browser;
pub mod clock;
pub mod services;
pub mod tls;
