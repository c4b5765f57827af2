//! `meeting-launcher secret set|clear <name>`: application secrets go in the keychain, never in settings.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use crate::cli::{SecretAction, SecretArgs};
use launcher_core::secret::Secret;
use launcher_engine::auth::{Keychain, Storage};

pub async fn run(args: &SecretArgs) -> ExitCode {
    let keychain = Keychain::open().await;
    if let Storage::Memory { reason } = keychain.storage() {
        return super::fail(format!("the secret cannot be saved: {reason}"));
    }
    match args.action {
        SecretAction::Clear => match keychain.delete(args.name.key()).await {
            Ok(()) => {
                out!("Deleted.");
                ExitCode::SUCCESS
            }
            Err(e) => super::fail(e),
        },
        SecretAction::Set => {
            let stdin = std::io::stdin();
            let value = if stdin.is_terminal() {
                rpassword::prompt_password("Secret: ").unwrap_or_default()
            } else {
                let mut line = String::new();
                let _ = stdin.lock().read_line(&mut line);
                line.trim().to_string()
            };
            if value.is_empty() {
                return super::fail("no secret given");
            }
            match keychain.set(args.name.key(), &Secret::new(value)).await {
                Ok(()) => {
                    out!("Saved in the system keychain.");
                    ExitCode::SUCCESS
                }
                Err(e) => super::fail(e),
            }
        }
    }
}
