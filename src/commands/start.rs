//! `meeting-launcher start`: an ad-hoc meeting with the saved sign-in, the presenter link opened in the browser
//! and the viewer link printed.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::backend::RetryPolicy;
use crate::backend::ops::Ops;
use crate::cli::{Cli, StartArgs};
use crate::providers::Provider;

pub async fn run(cli: &Cli, args: &StartArgs) -> ExitCode {
    let provider = args.provider.unwrap_or(Provider::Joinme);
    if provider != Provider::Joinme {
        return super::fail(&format!("{provider} has no ad-hoc meetings; only join.me can start one."));
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
