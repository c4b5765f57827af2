//! `meeting-launcher start`: an ad-hoc meeting with the saved sign-in, the presenter link opened in the browser
//! and the viewer link printed.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::{Cli, StartArgs};
use launcher_desktop::instance::Request;
use launcher_engine::backend::RetryPolicy;
use launcher_engine::backend::ops::Ops;
use launcher_engine::providers::Provider;

/// With the app running, it starts the meeting: one process owns the sessions.
pub fn handed_over(cli: &Cli, args: &StartArgs) -> Option<ExitCode> {
    if args.provider.is_some_and(|p| p != Provider::Joinme) {
        // `run` says why.
        return None;
    }
    let request = Request::Start { personal_url: args.personal_url, open_browser: !args.no_browser };
    Some(match super::hand_over(cli, &request)? {
        Ok(reply) => {
            let done = "Meeting started by the running Meeting Launcher. Viewers join at the address above.";
            super::print_links(reply.presenter_link.as_deref(), reply.viewer_link.as_deref().unwrap_or_default(), done);
            ExitCode::SUCCESS
        }
        Err(message) => super::fail(&message),
    })
}

/// `start` with no app running (see [`handed_over`]).
pub async fn run(cli: &Cli, args: &StartArgs) -> ExitCode {
    let provider = args.provider.unwrap_or(Provider::Joinme);
    if provider != Provider::Joinme {
        return super::fail(format!("{provider} has no ad-hoc meetings; only join.me can start one."));
    }
    let ctx = match context::build(cli, Options { open_browser: !args.no_browser, ..Options::default() }).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let Some(account) = ctx.auth.account_for(provider).await else {
        return super::fail(format!(
            "You are not signed in to {provider}. Run `meeting-launcher sign-in {}` first.",
            provider.id()
        ));
    };
    let ops = Ops { auth: &ctx.auth, policy: RetryPolicy::default() };
    match ops.start(account.key(), None, args.personal_url).await {
        Ok(started) => {
            if !args.no_browser {
                super::open_in_browser(&started.presenter_link, "the presenter link");
            }
            let presenter = args.no_browser.then_some(started.presenter_link.as_str());
            super::print_links(presenter, &started.viewer_link, "Meeting started. Viewers join at the address above.");
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}
