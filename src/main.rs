use std::process::ExitCode;

use clap::Parser;
use meeting_launcher::cli::{Cli, Command, SandboxArgs};
use meeting_launcher::{commands, logging};

fn main() -> ExitCode {
    logging::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return commands::fail(&format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async {
        match &cli.command {
            Some(Command::Sandbox(args)) => commands::sandbox::run(args.clone()).await,
            Some(Command::SignIn(args)) => commands::sign_in::run(&cli, args).await,
            Some(Command::Status(args)) => commands::status::run(&cli, args).await,
            Some(Command::SignOut(args)) => commands::sign_out::run(&cli, args).await,
            Some(Command::Secret(args)) => commands::secret::run(args).await,
            Some(Command::Start(args)) => commands::start::run(&cli, args).await,
            // Until the desktop window lands, running with no command serves the demo sandbox and says so.
            None => {
                eprintln!("Meeting Launcher: the desktop window is not built yet; serving the demo sandbox instead.");
                commands::sandbox::run(SandboxArgs { port: 0, auto_approve: false, time_scale: 1.0 }).await
            }
        }
    })
}
