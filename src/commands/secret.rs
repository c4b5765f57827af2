//! `meeting-launcher secret set|clear <name>`: application secrets go in the keychain, never in settings.

use std::process::ExitCode;

use crate::cli::{SecretAction, SecretArgs};
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
            let value = super::read_secret("Secret: ");
            if value.expose().is_empty() {
                return super::fail("no secret given");
            }
            match keychain.set(args.name.key(), &value).await {
                Ok(()) => {
                    out!("Saved in the system keychain.");
                    ExitCode::SUCCESS
                }
                Err(e) => super::fail(e),
            }
        }
    }
}
