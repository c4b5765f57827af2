//! `meeting-launcher sandbox`: serve the emulator until interrupted.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::SandboxArgs;
use launcher_sandbox::{Sandbox, SandboxOptions};

pub async fn run(args: SandboxArgs) -> ExitCode {
    let options = SandboxOptions {
        port: args.port,
        auto_approve: args.auto_approve,
        time_scale: args.time_scale,
        ..SandboxOptions::default()
    };
    let sandbox = match Sandbox::start(options).await {
        Ok(sandbox) => sandbox,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!("error: port {} on 127.0.0.1 is already in use; choose another with --port", args.port);
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: cannot start the sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Exactly one line on stdout, so scripts can read the URLs with one `read`.
    let line = serde_json::to_string(sandbox.config()).expect("the config serializes");
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    eprintln!(
        "Sandbox serving on {} (operator controls at {}). Press Ctrl+C to stop.",
        sandbox.base_url(),
        sandbox.config().sandbox.control
    );
    shutdown_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return ctrl_c.await,
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}
