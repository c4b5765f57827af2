use std::process::ExitCode;

use clap::Parser;
use meeting_launcher::cli::{Cli, Command, SandboxArgs};
use meeting_launcher::{commands, logging};

fn main() -> ExitCode {
    logging::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Command::Sandbox(args)) => runtime.block_on(commands::sandbox::run(args)),
        // Until the desktop window lands, running with no command serves the demo sandbox and says so.
        None => {
            eprintln!("Meeting Launcher: the desktop window is not built yet; serving the demo sandbox instead.");
            let args = SandboxArgs {
                port: 0,
                auto_approve: false,
                time_scale: 1.0,
            };
            runtime.block_on(commands::sandbox::run(args))
        }
    }
}
