//! The token status panel: per account the service, the user, the grant, the scopes, a live "expires in", where
//! the secret is kept, the last refresh, and Refresh now and Sign out; join.me's Expire access under Advanced.

use crate::model::AppState;
use launcher_core::t;
use launcher_core::timefmt::until_expiry as countdown;

use super::widgets::{named_button, provider_tag};
use launcher_engine::auth::{Grant, Storage};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;

pub fn ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.heading(t!("accounts-heading"));
    if let Some(storage) = &state.storage {
        let text = match storage {
            Storage::Keychain => t!("accounts-saved-in-keychain"),
            Storage::Memory { reason } => t!("accounts-saved-in-memory", reason = reason),
        };
        ui.label(egui::RichText::new(text).small());
    }
    if state.accounts.is_empty() {
        ui.label(t!("accounts-none"));
        return;
    }
    let now = state.now;
    let mut counting = false;
    for account in &state.accounts {
        let r = &account.record;
        if r.provider == Provider::Calendar {
            calendar(ui, state, account, commands);
            continue;
        }
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                provider_tag(ui, r.provider);
                ui.strong(&r.user);
                if r.display_name != r.user {
                    ui.label(format!("({})", r.display_name));
                }
            });
            egui::Grid::new(("token", &r.key)).num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
                ui.label(t!("accounts-state"));
                match &account.problem {
                    None => ui.label(t!("accounts-signed-in")),
                    Some(problem) => ui.colored_label(ui.visuals().error_fg_color, problem.to_string()),
                };
                ui.end_row();
                ui.label(t!("accounts-grant"));
                ui.label(grant(r.grant));
                ui.end_row();
                if !r.scopes.is_empty() {
                    ui.label(t!("accounts-scopes"));
                    ui.label(r.scopes.join(" "));
                    ui.end_row();
                }
                ui.label(t!("accounts-expires"));
                match account.expires_at {
                    Some(t) => {
                        counting = true;
                        ui.label(format!(
                            "{} ({})",
                            countdown(t, now),
                            t.with_timezone(&chrono::Local).format("%H:%M:%S")
                        ))
                    }
                    None if account.has_access_token => ui.label(t!("accounts-expires-never")),
                    None => ui.label(t!("accounts-expires-unused")),
                };
                ui.end_row();
                ui.label(t!("accounts-secret-kept-in"));
                ui.label(match &account.storage {
                    Storage::Keychain => t!("accounts-kept-in-keychain"),
                    Storage::Memory { reason } => t!("accounts-kept-in-memory", reason = reason),
                });
                ui.end_row();
                ui.label(t!("accounts-last-refresh"));
                ui.label(
                    account
                        .last_refresh
                        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S").to_string())
                        .unwrap_or_else(|| "—".into()),
                );
                ui.end_row();
                ui.label(t!("accounts-meetings"));
                ui.label(freshness(state, &r.key));
                ui.end_row();
            });
            let which = format!("{} ({})", r.provider.name(), r.user);
            ui.horizontal(|ui| {
                let key = r.key.clone();
                if named_button(
                    ui,
                    r.refreshable(),
                    egui::Button::new(t!("accounts-refresh-now")),
                    &t!("accounts-refresh-now-named", account = &which),
                )
                .clicked()
                {
                    commands.push(Command::RefreshToken { account: key.clone() });
                }
                if named_button(
                    ui,
                    true,
                    egui::Button::new(t!("accounts-sign-out")),
                    &t!("accounts-sign-out-named", account = &which),
                )
                .clicked()
                {
                    commands.push(Command::SignOut { account: key });
                }
            });
            // A tool for testing, not an everyday button: out of the way, with what it does said.
            if r.provider == Provider::Joinme {
                egui::CollapsingHeader::new(t!("accounts-advanced")).id_salt(("advanced", &r.key)).show(ui, |ui| {
                    ui.label(t!("accounts-expire-access-explained"));
                    let name = t!("accounts-expire-access-named", account = &which);
                    if named_button(ui, true, egui::Button::new(t!("accounts-expire-access")), &name).clicked() {
                        commands.push(Command::ExpireAccess { account: r.key.clone() });
                    }
                });
            }
        });
    }
    if counting {
        // The countdown is on screen: once a second, and only while it is.
        ui.ctx().request_repaint_after(std::time::Duration::from_secs(1));
    }
}

/// When an account's meetings last loaded, and why the latest try failed.
fn freshness(state: &AppState, key: &str) -> String {
    match state.freshness.get(key) {
        Some(f) => match (f.updated, &f.problem) {
            (Some(at), None) => t!("accounts-updated", time = launcher_core::timefmt::local_time(at)),
            (Some(at), Some(why)) => {
                t!("accounts-last-updated", time = launcher_core::timefmt::local_time(at), why = why)
            }
            (None, Some(why)) => t!("accounts-not-loaded", why = why),
            (None, None) => "—".into(),
        },
        None => "—".into(),
    }
}

/// How an account was granted, in words.
fn grant(grant: Grant) -> String {
    match grant {
        Grant::AuthorizationCode => t!("accounts-grant-authorization-code"),
        Grant::Implicit => t!("accounts-grant-implicit"),
        Grant::Password => t!("accounts-grant-password"),
        Grant::Browser => t!("accounts-grant-browser"),
        Grant::Feed => t!("accounts-grant-feed"),
    }
}

/// A calendar: its host (never the private address), where the address is kept, when it last loaded; Remove.
fn calendar(
    ui: &mut egui::Ui,
    state: &AppState,
    account: &launcher_engine::auth::AccountStatus,
    commands: &mut Vec<Command>,
) {
    let r = &account.record;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            provider_tag(ui, r.provider);
            ui.strong(&r.display_name);
            ui.label(t!("accounts-read-only"));
        });
        egui::Grid::new(("calendar", &r.key)).num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
            ui.label(t!("accounts-address"));
            ui.label(account.feed_shown());
            ui.end_row();
            if !r.addresses.is_empty() {
                ui.label(t!("accounts-yours"));
                ui.label(r.addresses.join(", "));
                ui.end_row();
            }
            if let Some(problem) = &account.problem {
                ui.label(t!("accounts-state"));
                ui.colored_label(ui.visuals().error_fg_color, problem.to_string());
                ui.end_row();
            }
            ui.label(t!("accounts-meetings"));
            ui.label(freshness(state, &r.key));
            ui.end_row();
        });
        if ui
            .button(t!("accounts-remove-calendar", name = &r.display_name))
            .on_hover_text(t!("accounts-remove-calendar-hint"))
            .clicked()
        {
            commands.push(Command::SignOut { account: r.key.clone() });
        }
    });
}
