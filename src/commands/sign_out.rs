//! `meeting-launcher sign-out <service>`.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::{Cli, SignOutArgs};

pub async fn run(cli: &Cli, args: &SignOutArgs) -> ExitCode {
    let ctx = match context::build(cli, Options::default()).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let accounts: Vec<_> = ctx
        .auth
        .accounts()
        .await
        .into_iter()
        .filter(|a| a.record.provider == args.provider)
        .filter(|a| args.user.as_deref().is_none_or(|u| a.record.user.eq_ignore_ascii_case(u)))
        .collect();
    let account = match accounts.as_slice() {
        [] => return super::fail(format!("You are not signed in to {}.", args.provider)),
        [one] => one,
        many => {
            let users: Vec<&str> = many.iter().map(|a| a.record.user.as_str()).collect();
            return super::fail(format!(
                "Several {} accounts are signed in ({}): choose one with --user.",
                args.provider,
                users.join(", ")
            ));
        }
    };
    match ctx.auth.sign_out(account.key()).await {
        Ok(complaint) => {
            if let Some(c) = complaint {
                eprintln!(
                    "note: {} did not confirm the sign-out ({c}); the saved sign-in was deleted anyway.",
                    args.provider
                );
            }
            out!("Signed out of {} ({}). The saved sign-in was deleted.", args.provider, account.record.user);
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}
