//! `meeting-launcher start`: an ad-hoc meeting with the saved sign-in, the presenter link opened in the browser
//! and the viewer link printed.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::backend::RetryPolicy;
use crate::backend::ops::Ops;
use crate::cli::{Cli, StartArgs};
use crate::platform::instance::{InstanceError, Request, forward};
use crate::providers::Provider;

pub async fn run(cli: &Cli, args: &StartArgs) -> ExitCode {
    let provider = args.provider.unwrap_or(Provider::Joinme);
    if provider != Provider::Joinme {
        return super::fail(&format!("{provider} has no ad-hoc meetings; only join.me can start one."));
    }
    // With the app running, it starts the meeting: one process owns the sessions.
    let request = Request::Start { personal_url: args.personal_url, open_browser: !args.no_browser };
    match forward(&context::instance_socket(cli), &request) {
        Ok(reply) if reply.ok => {
            if let Some(link) = &reply.presenter_link {
                eprintln!("Open the presenter link within 10 minutes: {link}");
            }
            out!("{}", reply.viewer_link.as_deref().unwrap_or_default());
            eprintln!("Meeting started by the running Meeting Launcher. Viewers join at the address above.");
            return ExitCode::SUCCESS;
        }
        Ok(reply) => return super::fail(&reply.message),
        Err(InstanceError::NotRunning) => {}
        Err(e) => return super::fail(&e.to_string()),
    }
    let ctx = match context::build(cli, Options { open_browser: !args.no_browser, ..Options::default() }).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let Some(account) = ctx.auth.account_for(provider).await else {
        return super::fail(&format!(
            "You are not signed in to {provider}. Run `meeting-launcher sign-in {}` first.",
            provider.id()
        ));
    };
    let ops = Ops { auth: &ctx.auth, policy: RetryPolicy::default() };
    match ops.start(account.key(), None, args.personal_url).await {
        Ok(started) => {
            // The presenter link is a one-time login: it goes to the browser or the terminal, never a log.
            if args.no_browser {
                eprintln!("Open the presenter link within 10 minutes: {}", started.presenter_link);
            } else if let Err(e) = open::that_detached(&started.presenter_link) {
                eprintln!(
                    "The browser did not open ({e}); open the presenter link yourself: {}",
                    started.presenter_link
                );
            }
            out!("{}", started.viewer_link);
            eprintln!("Meeting started. Viewers join at the address above.");
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(&e.to_string()),
    }
}
