//! One module per subcommand; each turns parsed arguments into work and an exit code.

/// `println!` that does not panic when the reader has gone (`| head`, a script that read one line).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod context;
pub mod doctor;
pub mod gui;
pub mod join_next;
pub mod sandbox;
pub mod secret;
pub mod sign_in;
pub mod sign_out;
pub mod start;
pub mod status;

use std::process::ExitCode;

/// Prints an error a user can act on and fails.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
