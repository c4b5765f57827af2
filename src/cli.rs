//! The command line: what a user, a script or the README types.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "meeting-launcher",
    version,
    about = "Sign in to your meeting service and get into meetings fast"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the local emulator of join.me, MeetingBooster and joind.in. Prints one JSON line describing it.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1; 0 lets the system choose.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Approve authorization pages at once as the default test user (for scripts).
    #[arg(long)]
    pub auto_approve: bool,
    /// Run the sandbox's clock this many times faster than real time.
    #[arg(long, default_value_t = 1.0, value_parser = parse_time_scale)]
    pub time_scale: f64,
}

fn parse_time_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("`{s}` is not a positive number")),
    }
}
