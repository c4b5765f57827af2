//! `meeting-launcher sign-in <service>`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use super::context::{self, Options};
use crate::cli::{Cli, SignInArgs};
use launcher_core::secret::Secret;
use launcher_engine::auth::{AccountStatus, AuthError, Storage};
use launcher_engine::providers::{Provider, ProviderError};

pub async fn run(cli: &Cli, args: &SignInArgs) -> ExitCode {
    let options =
        Options { open_browser: !args.no_browser, flow_timeout: std::time::Duration::from_secs(args.timeout.max(1)) };
    let ctx = match context::build(cli, options).await {
        Ok(ctx) => ctx,
        Err(e) => return super::fail(&e),
    };
    let password_grant = args.provider == Provider::Meetingbooster || args.username.is_some();
    let result = if password_grant {
        let username = match args
            .username
            .clone()
            .or_else(|| ctx.auth.endpoints().meetingbooster.as_ref().and_then(|m| m.username.clone()))
        {
            Some(u) => u,
            None => return super::fail("give the user name with --username"),
        };
        let password = match read_password(&username) {
            Ok(p) => p,
            Err(e) => return super::fail(&e),
        };
        ctx.auth.sign_in_with_password(args.provider, &username, password).await.map_err(AuthError::from)
    } else {
        browser_sign_in(&ctx.auth, args.provider).await
    };
    match result {
        Ok(status) => {
            report(&status);
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let AuthError::Provider(ProviderError::NotConfigured { .. }) = e {
                eprintln!("Settings file: {}. Or try it all with --demo.", ctx.paths.settings_file.display());
            }
            super::fail(e)
        }
    }
}

async fn browser_sign_in(auth: &launcher_engine::auth::Auth, provider: Provider) -> Result<AccountStatus, AuthError> {
    let flow = auth.start_browser_sign_in(provider).await?;
    match &flow.browser_error {
        None => eprintln!("Your browser should open {provider}'s sign-in page. If it does not, open this address:"),
        Some(_) => eprintln!("Open this address in a browser to sign in to {provider}:"),
    }
    out!("{}", flow.url);
    let _ = std::io::stdout().flush();
    eprintln!("Waiting for the browser (Ctrl+C to give up)…");
    if std::io::stdin().is_terminal() {
        eprintln!(
            "If the browser is on another machine and ends on an address that does not load, paste that address here."
        );
    }
    // Pasted addresses (from stdin) go through the same checks as the browser's own answer.
    let paste = flow.paste_handle();
    tokio::spawn(async move {
        use tokio::io::AsyncBufReadExt;
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if line.trim().is_empty() {
                continue;
            }
            if let Err(e) = paste.submit(&line).await {
                eprintln!("{e}");
            }
        }
    });
    let cancel = flow.cancel_handle();
    tokio::select! {
        result = flow.finish() => result,
        _ = tokio::signal::ctrl_c() => {
            cancel.cancel();
            Err(AuthError::Cancelled { provider })
        }
    }
}

/// From a prompt on a terminal, else one line of standard input.
fn read_password(username: &str) -> Result<Secret, String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        rpassword::prompt_password(format!("Password for {username}: "))
            .map_err(|e| format!("cannot read the password: {e}"))?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err("no password given".into());
    }
    Ok(Secret::new(password))
}

fn report(status: &AccountStatus) {
    let record = &status.record;
    out!("Signed in to {} as {} ({}).", record.provider, record.user, record.grant.describe());
    match &status.storage {
        Storage::Keychain => out!("The sign-in is saved in the system keychain."),
        Storage::Memory { reason } => {
            out!("The sign-in is kept in memory only and ends when this command exits: {reason}.")
        }
    }
}
