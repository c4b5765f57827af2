//! Meeting Launcher's binary: the command line, and the one place that wires the layers together (engine,
//! desktop, window).

mod cli;
mod commands;
mod logging;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};

fn main() -> ExitCode {
    logging::init();
    let cli = Cli::parse();
    // The window runs on this thread; its backend brings its own runtime.
    let Some(command) = &cli.command else { return commands::gui::run(&cli) };
    // These talk to the running window, or become it: no runtime of their own.
    match command {
        Command::Open => return commands::gui::open(&cli),
        Command::Quit => return commands::gui::quit(&cli),
        _ => {}
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
            Command::Start(args) => commands::start::run(&cli, args).await,
            Command::JoinNext(args) => commands::join_next::run(&cli, args).await,
            Command::Doctor => commands::doctor::run(&cli).await,
            Command::Open | Command::Quit => unreachable!("handled above"),
        }
    })
}
