//! `meeting-launcher join-next`: into the meeting in progress or the next one, from a keyboard shortcut or the
//! launcher's action. The running app does it when there is one; otherwise the agenda is read here.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::{Cli, JoinNextArgs};
use launcher_core::agenda::next_meeting;
use launcher_desktop::instance::Request;
use launcher_engine::backend::RetryPolicy;
use launcher_engine::backend::ops::{Ops, SyncState};

/// With the app running, it joins: its agenda is loaded already.
pub fn handed_over(cli: &Cli, args: &JoinNextArgs) -> Option<ExitCode> {
    Some(match super::hand_over(cli, &Request::JoinNext { open_browser: !args.no_browser })? {
        Ok(reply) => {
            let done = format!("Joining \"{}\".", reply.message);
            super::print_links(
                reply.presenter_link.as_deref(),
                reply.viewer_link.as_deref().unwrap_or_default(),
                &done,
            );
            ExitCode::SUCCESS
        }
        Err(message) => super::fail(&message),
    })
}

/// `join-next` with no app running (see [`handed_over`]).
pub async fn run(cli: &Cli, args: &JoinNextArgs) -> ExitCode {
    let ctx = match context::build(cli, Options { open_browser: !args.no_browser, ..Options::default() }).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let ops = Ops { auth: &ctx.auth, policy: RetryPolicy::default() };
    let mut agenda = Vec::new();
    for account in ctx.auth.accounts().await.iter().filter(|a| a.signed_in()) {
        match ops.agenda(account, &mut SyncState::default()).await {
            Ok(items) => agenda.extend(items),
            Err(e) => eprintln!("{} ({}): {e}", account.record.provider, account.record.user),
        }
    }
    let Some(item) = next_meeting(&agenda, ctx.auth.now()).cloned() else {
        return super::fail("No meeting is in progress or ahead in your accounts.");
    };
    if item.can_start {
        match ops.start(&item.account, Some(&item.id), false).await {
            Ok(started) => {
                if !args.no_browser {
                    super::open_in_browser(&started.presenter_link, "the presenter link");
                }
                let presenter = args.no_browser.then_some(started.presenter_link.as_str());
                super::print_links(presenter, &started.viewer_link, &format!("Joining \"{}\".", item.title));
                ExitCode::SUCCESS
            }
            Err(e) => super::fail(e),
        }
    } else if let Some(link) = &item.link {
        if !args.no_browser {
            super::open_in_browser(link, "the link");
        }
        super::print_links(None, link, &format!("Joining \"{}\".", item.title));
        ExitCode::SUCCESS
    } else {
        super::fail(format!("\"{}\" has no link to join.", item.title))
    }
}
