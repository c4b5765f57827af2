//! One module per subcommand; each turns parsed arguments into work and an exit code.

pub mod context;
pub mod sandbox;
pub mod secret;
pub mod sign_in;
pub mod sign_out;
pub mod status;

use std::process::ExitCode;

/// Prints an error a user can act on and fails.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
