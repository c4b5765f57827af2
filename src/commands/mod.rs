//! One module per subcommand; each turns parsed arguments into work and an exit code.

/// `println!` that does not panic when the reader has gone (`| head`, a script that read one line).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod calendar;
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

/// Hands `request` to the app running with these options. `None`: no app runs, the caller does the work.
/// Called before the async runtime exists: a command the app answers sets up nothing it would not use.
pub fn hand_over(
    cli: &crate::cli::Cli,
    request: &launcher_desktop::instance::Request,
) -> Option<Result<launcher_desktop::instance::Reply, String>> {
    use launcher_desktop::instance::{InstanceError, forward};
    match forward(&context::instance_socket(cli), request) {
        Err(InstanceError::NotRunning) => None,
        Ok(reply) if reply.ok => Some(Ok(reply)),
        Ok(reply) => Some(Err(reply.message)),
        Err(e) => Some(Err(e.to_string())),
    }
}

/// A meeting's links: the one to join on standard output (for scripts); the presenter link, a one-time login,
/// only on the terminal, never in a log; then what happened.
pub fn print_links(presenter_link: Option<&str>, link: &str, done: &str) {
    if let Some(presenter) = presenter_link {
        eprintln!("Open the presenter link within 10 minutes: {presenter}");
    }
    out!("{link}");
    eprintln!("{done}");
}

/// Opens `link` in the browser (http and https only); when it cannot, says so with the link to open by hand.
pub fn open_in_browser(link: &str, what: &str) {
    use launcher_engine::auth::BrowserOpener as _;
    let opened = url::Url::parse(link)
        .map_err(|e| e.to_string())
        .and_then(|url| launcher_desktop::browser::SystemBrowser.open(&url));
    if let Err(e) = opened {
        eprintln!("The browser did not open ({e}); open {what} yourself: {link}");
    }
}

/// A secret typed at a hidden prompt, or the first line of standard input when that is not a terminal (a
/// script's pipe). Empty when nothing was given.
pub fn read_secret(prompt: &str) -> launcher_core::secret::Secret {
    use std::io::{BufRead as _, IsTerminal as _};
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        rpassword::prompt_password(prompt).unwrap_or_default()
    } else {
        let mut line = String::new();
        let _ = stdin.lock().read_line(&mut line);
        line
    };
    launcher_core::secret::Secret::new(value.trim().to_string())
}

/// Prints an error a user can act on and fails.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
