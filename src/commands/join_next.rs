//! `meeting-launcher join-next`: into the meeting in progress or the next one, from a keyboard shortcut or the
//! launcher's action. The running app does it when there is one; otherwise the agenda is read here.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::backend::RetryPolicy;
use crate::backend::ops::{MbSyncState, Ops};
use crate::cli::{Cli, JoinNextArgs};
use crate::platform::instance::{InstanceError, Request, forward};
use crate::platform::tray::next_meeting;

pub async fn run(cli: &Cli, args: &JoinNextArgs) -> ExitCode {
    let request = Request::JoinNext { open_browser: !args.no_browser };
    let socket = context::instance_socket(cli);
    match tokio::task::spawn_blocking(move || forward(&socket, &request)).await {
        Ok(Ok(reply)) if reply.ok => {
            report(&reply.message, reply.presenter_link.as_deref(), reply.viewer_link.as_deref().unwrap_or_default());
            return ExitCode::SUCCESS;
        }
        Ok(Ok(reply)) => return super::fail(&reply.message),
        Ok(Err(InstanceError::NotRunning)) => {}
        Ok(Err(e)) => return super::fail(&e.to_string()),
        Err(e) => return super::fail(&e.to_string()),
    }
    let ctx = match context::build(cli, Options { open_browser: !args.no_browser, ..Options::default() }).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let ops = Ops { auth: &ctx.auth, policy: RetryPolicy::default() };
    let mut agenda = Vec::new();
    for account in ctx.auth.accounts().await.iter().filter(|a| a.signed_in()) {
        match ops.agenda(account, &mut MbSyncState::default()).await {
            Ok(items) => agenda.extend(items),
            Err(e) => eprintln!("{} ({}): {e}", account.record.provider, account.record.user),
        }
    }
    let Some(item) = next_meeting(&agenda, ctx.auth.now()).cloned() else {
        return super::fail("No meeting is in progress or ahead in your accounts.");
    };
    let open = |link: &str| {
        if args.no_browser {
            return;
        }
        if let Err(e) = open::that_detached(link) {
            eprintln!("The browser did not open ({e}); open the link yourself.");
        }
    };
    if item.can_start {
        match ops.start(&item.account, Some(&item.id), false).await {
            Ok(started) => {
                open(&started.presenter_link);
                let presenter = args.no_browser.then_some(started.presenter_link.as_str());
                report(&item.title, presenter, &started.viewer_link);
                ExitCode::SUCCESS
            }
            Err(e) => super::fail(&e.to_string()),
        }
    } else if let Some(link) = &item.link {
        open(link);
        report(&item.title, None, link);
        ExitCode::SUCCESS
    } else {
        super::fail(&format!("\"{}\" has no link to join.", item.title))
    }
}

/// The link on standard output (for scripts), the rest on standard error. A presenter link is a one-time login:
/// only the terminal sees it.
fn report(title: &str, presenter_link: Option<&str>, link: &str) {
    if let Some(presenter) = presenter_link {
        eprintln!("Open the presenter link within 10 minutes: {presenter}");
    }
    out!("{link}");
    eprintln!("Joining \"{title}\".");
}
