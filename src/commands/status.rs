//! `meeting-launcher status`: accounts, grants, scopes, expiry and where each secret is kept. Never a secret.

use std::process::ExitCode;

use chrono::Utc;

use super::context::{self, Options};
use crate::cli::{Cli, StatusArgs};
use launcher_engine::auth::AccountStatus;
use launcher_engine::backend::RetryPolicy;
use launcher_engine::backend::ops::Ops;

pub async fn run(cli: &Cli, args: &StatusArgs) -> ExitCode {
    let ctx = match context::build(cli, Options::default()).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let mut accounts = ctx.auth.accounts().await;
    let mut failed = std::collections::HashMap::new();
    if args.check {
        // A live check: one call each that needs the sign-in (renewing a token that ran out, as any call would).
        let ops = Ops { auth: &ctx.auth, policy: RetryPolicy::default() };
        for account in &accounts {
            if let Err(e) = ops.check(account).await {
                failed.insert(account.key().to_string(), e);
            }
        }
        accounts = ctx.auth.accounts().await;
    }
    if let Some(base) = &ctx.auth.endpoints().sandbox {
        out!("Services: the sandbox at {base}");
    }
    out!("Secrets are kept in: {}", ctx.auth.storage().describe());
    print_policies(&ctx.policies);
    if accounts.is_empty() {
        out!("Not signed in to any service, and no calendar added.");
        return ExitCode::SUCCESS;
    }
    for account in &accounts {
        print_account(account);
        // A failure that did not sign the account out: the service could not be asked (down, unreachable).
        if let Some(e) = failed.get(account.key()).filter(|_| account.signed_in()) {
            out!("  check:   not confirmed: {e}");
        }
    }
    ExitCode::SUCCESS
}

/// What the organization set, and where; a secret only says that it is set.
fn print_policies(policies: &launcher_engine::settings::Policies) {
    let in_force = policies.in_force();
    if !in_force.is_empty() {
        out!("Policies in force (set by your organization):");
        for p in in_force {
            out!("  {} = {}  [{}, {}]", p.name, p.shown_value(), p.level.name(), p.origin);
        }
    }
    for problem in &policies.problems {
        out!("Policy ignored: {problem}");
    }
}

fn print_account(a: &AccountStatus) {
    let r = &a.record;
    if r.provider == launcher_engine::providers::Provider::Calendar {
        out!();
        out!("Calendar {}", super::calendar::describe(a));
        if !r.addresses.is_empty() {
            out!("  yours:   {} (meetings declined there are not offered)", r.addresses.join(", "));
        }
        return;
    }
    let name = if r.display_name != r.user { format!(" ({})", r.display_name) } else { String::new() };
    out!();
    out!("{}: {}{}", r.provider, r.user, name);
    match &a.problem {
        None => out!("  state:   signed in"),
        Some(problem) => out!("  state:   signed out: {problem}"),
    }
    out!("  grant:   {}", r.grant.describe());
    if !r.scopes.is_empty() {
        out!("  scopes:  {}", r.scopes.join(" "));
    }
    match (a.expires_at, a.has_access_token) {
        (Some(t), _) => out!(
            "  expires: {} ({})",
            t.format("%Y-%m-%d %H:%M UTC"),
            launcher_core::timefmt::until_expiry(t, Utc::now())
        ),
        (None, true) => out!("  expires: never (until signed out)"),
        (None, false) => out!("  expires: unknown until first use"),
    }
    if let Some(t) = a.last_refresh {
        out!("  refreshed: {}", t.format("%Y-%m-%d %H:%M:%S UTC"));
    }
    out!("  secret:  {}", a.storage.describe());
}
