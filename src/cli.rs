//! The command line: what a user, a script or the README types.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand};

use launcher_engine::auth::keychain::SecretName;
use launcher_engine::providers::Provider;

#[derive(Debug, Clone, Parser)]
#[command(name = "meeting-launcher", version, about = "Sign in to your meeting service and get into meetings fast")]
pub struct Cli {
    /// Use this settings file instead of the platform's.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Point every service at a running sandbox (its root URL, as printed by `meeting-launcher sandbox`).
    #[arg(long, global = true, value_name = "URL", conflicts_with = "demo")]
    pub sandbox: Option<String>,
    /// Start an embedded sandbox and use it: the whole app with no account.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Start hidden in the tray (when there is one); what the start-at-login entry uses.
    #[arg(long)]
    pub minimized: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the local emulator of join.me, MeetingBooster and joind.in. Prints one JSON line describing it.
    Sandbox(SandboxArgs),
    /// Sign in to a service: join.me and joind.in through the browser, MeetingBooster (and joind.in with
    /// --username) with a user name and password.
    SignIn(SignInArgs),
    /// Show the signed-in accounts: service, user, grant, scopes, expiry and where the secret is kept.
    Status(StatusArgs),
    /// Sign out of a service: its sign-out where it has one, and the saved secret deleted.
    SignOut(SignOutArgs),
    /// Store an application secret in the keychain (it never goes in the settings file).
    Secret(SecretArgs),
    /// Calendars by their private iCalendar (ICS) address: their meetings join the agenda, read-only.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Start an ad-hoc meeting now: opens the presenter link and prints the viewer link. With the app
    /// running, the running app starts it.
    Start(StartArgs),
    /// Start or join the next meeting (the one in progress, or the next to begin): a join.me meeting is started,
    /// another service's link opened. With the app running, the running app does it.
    JoinNext(JoinNextArgs),
    /// Bring the running app's window forward (or start the app).
    Open,
    /// Quit the running app.
    Quit,
    /// Check what the app needs from this desktop and network, and say how to fix what is missing.
    Doctor,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StartArgs {
    /// The service (join.me is the one with ad-hoc meetings).
    #[arg(long, value_parser = provider_parser())]
    pub provider: Option<Provider>,
    /// Print the presenter link instead of opening it.
    #[arg(long)]
    pub no_browser: bool,
    /// Start on the account's personal URL (join.me Pro and Business).
    #[arg(long)]
    pub personal_url: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct JoinNextArgs {
    /// Print the link instead of opening it.
    #[arg(long)]
    pub no_browser: bool,
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

#[derive(Debug, Clone, clap::Args)]
pub struct SignInArgs {
    #[arg(value_parser = provider_parser())]
    pub provider: Provider,
    /// The user name (MeetingBooster; joind.in's password grant). The password is asked for, or read from
    /// standard input when that is not a terminal.
    #[arg(long)]
    pub username: Option<String>,
    /// Do not try to open a browser; print the URL to open elsewhere.
    #[arg(long)]
    pub no_browser: bool,
    /// Give up waiting for the browser after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    /// Contact the services: one call each that needs the sign-in (renewing it if it ran out), so "signed in" is
    /// known to still hold.
    /// Without it, `status` shows what is saved and changes nothing (safe to run from a status bar every minute).
    #[arg(long, conflicts_with = "offline")]
    pub check: bool,
    /// What `status` does without `--check` (kept for scripts that pass it).
    #[arg(long, hide = true)]
    pub offline: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SignOutArgs {
    #[arg(value_parser = provider_parser())]
    pub provider: Provider,
    /// Which account, when several of one service are signed in.
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SecretArgs {
    /// `set` stores the secret read from standard input (or a prompt); `clear` deletes it.
    #[arg(value_enum)]
    pub action: SecretAction,
    #[arg(value_parser = secret_name_parser())]
    pub name: SecretName,
}

#[derive(Debug, Clone, Subcommand)]
pub enum CalendarCommand {
    /// Add a calendar: its private address is read from standard input or a prompt (never an argument, which
    /// other users can see in the process list) and kept in the keychain.
    Add(CalendarAddArgs),
    /// The calendars added, each with its host (never the private address).
    List,
    /// Remove a calendar and its saved address.
    Remove {
        /// The name it was added with.
        name: String,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct CalendarAddArgs {
    /// A short name to know it by (Work, Family…). Adding a name again replaces its address.
    pub name: String,
    /// Your address in this calendar, so meetings you declined are not offered to join (repeat for several).
    #[arg(long = "email", value_name = "ADDRESS")]
    pub emails: Vec<String>,
    /// Accept a plain http address (not encrypted: anyone on the network can read the calendar).
    #[arg(long)]
    pub allow_http: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SecretAction {
    Set,
    Clear,
}

/// The services by their short ids (`joinme`, `meetingbooster`, `joindin`): clap is this binary's alone, so the
/// core's `Provider` is parsed here.
fn provider_parser() -> impl clap::builder::TypedValueParser<Value = Provider> {
    clap::builder::PossibleValuesParser::new(Provider::SERVICES.map(Provider::id))
        .map(|id| Provider::from_id(&id).expect("one of the possible values"))
}

fn secret_name_parser() -> impl clap::builder::TypedValueParser<Value = SecretName> {
    clap::builder::PossibleValuesParser::new(SecretName::ALL.map(SecretName::id))
        .map(|id| SecretName::ALL.into_iter().find(|n| n.id() == id).expect("one of the possible values"))
}

fn parse_time_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("`{s}` is not a positive number")),
    }
}
