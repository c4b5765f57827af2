//! `meeting-launcher calendar add|list|remove`: calendars by their private iCalendar address. The address is a
//! password to the calendar: read from a prompt or standard input, kept in the keychain, shown only as its host.

use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::{CalendarAddArgs, CalendarCommand, Cli};
use launcher_engine::auth::AccountStatus;
use launcher_engine::providers::Provider;

pub async fn run(cli: &Cli, command: &CalendarCommand) -> ExitCode {
    let ctx = match context::build(cli, Options::default()).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let calendars: Vec<AccountStatus> =
        ctx.auth.accounts().await.into_iter().filter(|a| a.record.provider == Provider::Calendar).collect();
    match command {
        CalendarCommand::Add(args) => add(&ctx, args).await,
        CalendarCommand::List => {
            if calendars.is_empty() {
                out!("No calendars. Add one with `meeting-launcher calendar add NAME` and its private address.");
            }
            for calendar in &calendars {
                out!("{}", describe(calendar));
            }
            ExitCode::SUCCESS
        }
        CalendarCommand::Remove { name } => {
            let Some(calendar) = calendars.iter().find(|c| c.record.display_name.eq_ignore_ascii_case(name.trim()))
            else {
                return super::fail(format!(
                    "There is no calendar “{name}”: `meeting-launcher calendar list` lists them."
                ));
            };
            match ctx.auth.sign_out(calendar.key()).await {
                Ok(_) => {
                    out!(
                        "Removed the calendar “{}”; its address was deleted from the keychain.",
                        calendar.record.display_name
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => super::fail(e),
            }
        }
    }
}

async fn add(ctx: &context::Context, args: &CalendarAddArgs) -> ExitCode {
    // Kept only by this command, the calendar would be gone when it ends.
    if let launcher_engine::auth::Storage::Memory { reason } = ctx.auth.storage() {
        return super::fail(format!("the calendar cannot be saved: {reason}"));
    }
    let address = super::read_secret("The calendar's private address (https://… or webcal://…): ");
    if address.expose().is_empty() {
        return super::fail("no address given: paste the calendar's private iCalendar (ICS) address");
    }
    match ctx.auth.add_feed(&args.name, address, args.allow_http, args.emails.clone()).await {
        Ok((calendar, _, _)) if calendar.storage != launcher_engine::auth::Storage::Keychain => {
            let _ = ctx.auth.sign_out(calendar.key()).await;
            super::fail(format!("the calendar was not saved: {}", calendar.storage.describe()))
        }
        Ok((calendar, added, _)) => {
            out!("Added the calendar {} ({} events).", describe(&calendar), added.feed.len());
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}

/// “Work: calendar.google.com … saved in the keychain”: the host, never the address.
pub fn describe(calendar: &AccountStatus) -> String {
    let r = &calendar.record;
    let state = match &calendar.problem {
        None => String::new(),
        Some(problem) => format!(" ({problem})"),
    };
    format!("“{}”: {}{state}", r.display_name, calendar.feed_shown())
}
