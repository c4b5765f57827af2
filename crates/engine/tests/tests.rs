//! The engine's one integration-test binary: the auth layer and the backend against the sandbox over real HTTP,
//! with the real Secret Service and real loopback sockets (`cargo xtask test` provides the session).

mod auth;
mod backend;
