//! Signing in: choose a service, then the browser (join.me, joind.in) or a user name and password
//! (MeetingBooster, or joind.in's password grant). Progress, Cancel and Copy link while the browser is out.

use super::widgets::{copy_button, labelled_text};
use crate::model::AppState;
use launcher_core::secret::Secret;
use launcher_core::t;
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;

#[derive(Default)]
pub struct SignInView {
    pub provider: Option<Provider>,
    pub username: String,
    /// Cleared as soon as it is sent.
    pub password: String,
    pub joindin_with_password: bool,
}

impl SignInView {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        ui.heading(t!("accounts-add-heading"));
        // The organization's default first; services it does not allow are not offered.
        let mut offered = state.policies.allowed_providers();
        if let Some(default) = state.default_provider.filter(|d| offered.contains(d)) {
            offered.retain(|p| *p != default);
            offered.insert(0, default);
        }
        let Some(first) = offered.first().copied() else {
            ui.label(t!("accounts-none-allowed"));
            return;
        };
        // A choice the organization no longer allows falls back to the first offered.
        let provider = self.provider.filter(|p| offered.contains(p)).unwrap_or(first);
        self.provider = Some(provider);
        ui.horizontal(|ui| {
            for p in offered.iter().copied() {
                if ui.selectable_label(provider == p, p.name()).clicked() {
                    self.provider = Some(p);
                }
            }
        });
        ui.add_space(8.0);
        let provider = self.provider.unwrap_or(first);

        if let Some(progress) = state.sign_ins.get(&provider) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("accounts-waiting-for-browser", service = provider.to_string()));
            });
            if let Some(e) = &progress.browser_error {
                ui.label(t!("accounts-browser-failed", error = e));
            }
            ui.horizontal(|ui| {
                copy_button(ui, &t!("accounts-copy-link"), &t!("accounts-copy-sign-in-link"), &progress.url);
                if ui.button(t!("accounts-cancel")).clicked() {
                    commands.push(Command::CancelBrowserSignIn { provider });
                }
            });
            return;
        }

        let wait_left =
            state.sign_in_errors.get(&provider).and_then(|(_, until)| *until).map(|u| (u - state.now).num_seconds());
        if let Some((error, _)) = state.sign_in_errors.get(&provider) {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        let locked = wait_left.is_some_and(|s| s > 0);
        if locked {
            ui.label(t!("accounts-try-again-in", seconds = wait_left.unwrap_or(0)));
            // A countdown on screen: repaint once a second, only while it shows.
            ui.ctx().request_repaint_after(std::time::Duration::from_secs(1));
        }

        let password_form = match provider {
            Provider::Meetingbooster => true,
            Provider::Joindin => {
                ui.checkbox(&mut self.joindin_with_password, t!("accounts-joindin-with-password"));
                self.joindin_with_password
            }
            // A calendar is added on the Accounts screen, with its address.
            Provider::Joinme | Provider::Calendar => false,
        };
        if password_form {
            labelled_text(
                ui,
                &if provider == Provider::Meetingbooster { t!("accounts-email") } else { t!("accounts-user-name") },
                &mut self.username,
                false,
            );
            let field = labelled_text(ui, &t!("accounts-password"), &mut self.password, true);
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !self.username.trim().is_empty() && !self.password.is_empty() && !locked;
            let clicked = ui.add_enabled(ready, egui::Button::new(t!("accounts-sign-in"))).clicked();
            if ready && (clicked || submitted) {
                commands.push(Command::SignInWithPassword {
                    provider,
                    username: self.username.trim().to_string(),
                    password: Secret::new(std::mem::take(&mut self.password)),
                });
            }
            ui.label(egui::RichText::new(t!("accounts-password-not-saved")).small());
        } else {
            if ui.add_enabled(!locked, egui::Button::new(t!("accounts-sign-in-with-browser"))).clicked() {
                commands.push(Command::StartBrowserSignIn { provider });
            }
            if provider == Provider::Joinme {
                ui.label(egui::RichText::new(t!("accounts-joinme-browser-note")).small());
            }
        }
    }
}
