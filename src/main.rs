//! Meeting Launcher's binary: the command line, and the one place that wires the layers together (engine,
//! desktop, window).

// A double-click on Windows opens the window only, with no console beside it; the command line attaches to the
// console it was started from (`attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

mod cli;
mod commands;
mod crash;
mod logging;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};

fn main() -> ExitCode {
    // Before anything prints (clap's --help and errors included).
    #[cfg(windows)]
    attach_parent_console();
    let cli = Cli::parse();
    // The emulator is a developer's and the tests' tool: its request log would only bury the app's own.
    let log_dir = match cli.command {
        Some(Command::Sandbox(_)) => None,
        _ => launcher_engine::diagnostics::log_dir(),
    };
    // Kept to the end of `main`: dropping it flushes the log file.
    let _log_guard = logging::init(log_dir.as_deref());
    crash::install(log_dir);
    crash::crash_if_asked();
    // The window runs on this thread; its backend brings its own runtime.
    let Some(command) = &cli.command else { return commands::gui::run(&cli) };
    // These talk to the running window, or become it: no runtime of their own.
    match command {
        Command::Open => return commands::gui::open(&cli),
        Command::Quit => return commands::gui::quit(&cli),
        _ => {}
    }
    // What the running app can answer is handed to it first: no runtime, keychain or network is set up for it.
    let handed = match command {
        Command::Start(args) => commands::start::handed_over(&cli, args),
        Command::JoinNext(args) => commands::join_next::handed_over(&cli, args),
        _ => None,
    };
    if let Some(code) = handed {
        return code;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return commands::fail(format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async {
        match command {
            Command::Sandbox(args) => commands::sandbox::run(args.clone()).await,
            Command::SignIn(args) => commands::sign_in::run(&cli, args).await,
            Command::Status(args) => commands::status::run(&cli, args).await,
            Command::SignOut(args) => commands::sign_out::run(&cli, args).await,
            Command::Secret(args) => commands::secret::run(args).await,
            Command::Calendar(command) => commands::calendar::run(&cli, command).await,
            Command::Start(args) => commands::start::run(&cli, args).await,
            Command::JoinNext(args) => commands::join_next::run(&cli, args).await,
            Command::Doctor => commands::doctor::run(&cli).await,
            Command::Open | Command::Quit => unreachable!("handled above"),
        }
    })
}

/// A Windows-subsystem program starts with no console: started from one (cmd, PowerShell), it writes to that
/// one; double-clicked, there is none and nothing changes. Output redirected to a file or a pipe needs nothing:
/// those handles are inherited as they are. The shell does not wait for a GUI program, so scripts that read the
/// output use a pipe or `Start-Process -Wait` (see packaging/README.md).
#[cfg(windows)]
fn attach_parent_console() {
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
    }
    // SAFETY: AttachConsole takes a process id by value and touches no memory of ours; its failure (no parent
    // console, or one already attached) leaves the process as it was.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}
