//! The token status panel: per account the service, the user, the grant, the scopes, a live "expires in", where
//! the secret is kept, the last refresh, and Refresh now and Sign out; join.me's Expire access under Advanced.

use crate::model::AppState;
use launcher_core::timefmt::until_expiry as countdown;

use super::widgets::{named_button, provider_tag};
use launcher_engine::auth::Storage;
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;

pub fn ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.heading("Accounts");
    if let Some(storage) = &state.storage {
        let text = match storage {
            Storage::Keychain => "Sign-ins are saved in the system keychain.".to_string(),
            Storage::Memory { reason } => format!("Sign-ins last until you quit: {reason}."),
        };
        ui.label(egui::RichText::new(text).small());
    }
    if state.accounts.is_empty() {
        ui.label("No account yet. Add one below.");
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
                ui.label("State");
                match &account.problem {
                    None => ui.label("Signed in"),
                    Some(problem) => ui.colored_label(ui.visuals().error_fg_color, problem.to_string()),
                };
                ui.end_row();
                ui.label("Grant");
                ui.label(r.grant.describe());
                ui.end_row();
                if !r.scopes.is_empty() {
                    ui.label("Scopes");
                    ui.label(r.scopes.join(" "));
                    ui.end_row();
                }
                ui.label("Expires");
                match account.expires_at {
                    Some(t) => {
                        counting = true;
                        ui.label(format!(
                            "{} ({})",
                            countdown(t, now),
                            t.with_timezone(&chrono::Local).format("%H:%M:%S")
                        ))
                    }
                    None if account.has_access_token => ui.label("never (until you sign out)"),
                    None => ui.label("not yet used in this session"),
                };
                ui.end_row();
                ui.label("Secret kept in");
                ui.label(account.storage.describe());
                ui.end_row();
                ui.label("Last refresh");
                ui.label(
                    account
                        .last_refresh
                        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S").to_string())
                        .unwrap_or_else(|| "—".into()),
                );
                ui.end_row();
                ui.label("Meetings");
                ui.label(freshness(state, &r.key));
                ui.end_row();
            });
            let which = format!("{} ({})", r.provider.name(), r.user);
            ui.horizontal(|ui| {
                let key = r.key.clone();
                if named_button(ui, r.refreshable(), egui::Button::new("Refresh now"), &format!("Refresh {which} now"))
                    .clicked()
                {
                    commands.push(Command::RefreshToken { account: key.clone() });
                }
                if named_button(ui, true, egui::Button::new("Sign out"), &format!("Sign out of {which}")).clicked() {
                    commands.push(Command::SignOut { account: key });
                }
            });
            // A tool for testing, not an everyday button: out of the way, with what it does said.
            if r.provider == Provider::Joinme {
                egui::CollapsingHeader::new("Advanced").id_salt(("advanced", &r.key)).show(ui, |ui| {
                    ui.label(
                        "Expire access makes join.me treat the access token as expired, so the next call has to \
                         refresh it: a way to check that refreshing works. Your sign-in is kept.",
                    );
                    let name = format!("Expire access for {which}");
                    if named_button(ui, true, egui::Button::new("Expire access"), &name).clicked() {
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
            (Some(at), None) => format!("updated {}", launcher_core::timefmt::local_time(at)),
            (Some(at), Some(why)) => format!("last updated {} — {why}", launcher_core::timefmt::local_time(at)),
            (None, Some(why)) => format!("not loaded — {why}"),
            (None, None) => "—".into(),
        },
        None => "—".into(),
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
            ui.label("(read-only)");
        });
        egui::Grid::new(("calendar", &r.key)).num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
            ui.label("Address");
            ui.label(account.feed_shown());
            ui.end_row();
            if !r.addresses.is_empty() {
                ui.label("Yours");
                ui.label(r.addresses.join(", "));
                ui.end_row();
            }
            if let Some(problem) = &account.problem {
                ui.label("State");
                ui.colored_label(ui.visuals().error_fg_color, problem.to_string());
                ui.end_row();
            }
            ui.label("Meetings");
            ui.label(freshness(state, &r.key));
            ui.end_row();
        });
        if ui
            .button(format!("Remove “{}”", r.display_name))
            .on_hover_text("Remove the calendar and its saved address; the calendar itself is not touched")
            .clicked()
        {
            commands.push(Command::SignOut { account: r.key.clone() });
        }
    });
}
