//! Connecting one's own account, for a person who has only seen the demo: each service's few settings with a
//! sentence on where they come from, saved as Settings saves them. The saved settings end the demo (the backend
//! sets the services up again from the file); then the page leads on to signing in.

use launcher_core::t;
use launcher_engine::auth::keychain::SecretName;
use launcher_engine::backend::{Command, SecretSource};
use launcher_engine::providers::Provider;

use super::settings::{SettingsView, callback_row};
use super::widgets::{labelled_text, named_button};
use crate::model::AppState;

/// The services a person can connect here: those the organization allows, calendars aside (Accounts adds them).
pub fn offered(state: &AppState) -> Vec<Provider> {
    state.policies.allowed_providers().into_iter().filter(|p| *p != Provider::Calendar).collect()
}

#[derive(Default)]
pub struct ConnectView {
    /// The service whose settings are shown.
    pub provider: Option<Provider>,
    /// A save from this page is on its way: its answer leads on to signing in.
    connecting: Option<Provider>,
}

/// Where the page sends the window.
pub enum Next {
    SignIn(Provider),
    Agenda,
}

impl ConnectView {
    pub fn open(&mut self, provider: Option<Provider>) {
        self.provider = provider;
        self.connecting = None;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        settings: &mut SettingsView,
        commands: &mut Vec<Command>,
    ) -> Option<Next> {
        let mut next = None;
        ui.heading(t!("connect-heading"));
        if settings.paths.is_none() {
            // `--demo` (or no settings folder): nothing here can be saved.
            ui.label(t!("connect-demo-only"));
            return None;
        }
        ui.label(t!("connect-intro"));
        let offered = offered(state);
        let provider = *self.provider.get_or_insert_with(|| offered.first().copied().unwrap_or(Provider::Joinme));
        ui.horizontal_wrapped(|ui| {
            for p in &offered {
                if ui.selectable_label(provider == *p, p.name()).clicked() {
                    self.provider = Some(*p);
                }
            }
        });
        ui.separator();
        let locked = |key: &str| state.policies.is_key_locked(key);
        let ready = match provider {
            Provider::Joinme => {
                ui.label(t!("connect-joinme-needs"));
                ui.add_enabled_ui(!locked("joinme.api_key"), |ui| {
                    labelled_text(ui, &t!("connect-joinme-key"), &mut settings.joinme_key, false);
                });
                let port = settings.settings.joinme.callback_port;
                callback_row(ui, "joinme", port, &t!("settings-copy-joinme-callback"));
                !settings.joinme_key.trim().is_empty()
            }
            Provider::Meetingbooster => {
                ui.label(t!("connect-mb-needs"));
                ui.add_enabled_ui(!locked("meetingbooster.server"), |ui| {
                    settings.mb_server_field(ui, &t!("connect-mb-server"), commands);
                });
                super::settings::mb_address(&settings.mb_server, settings.settings.meetingbooster.allow_http).is_ok()
            }
            Provider::Joindin | Provider::Calendar => {
                ui.label(t!("connect-joindin-needs"));
                ui.add_enabled_ui(!locked("joindin.api_key"), |ui| {
                    labelled_text(ui, &t!("connect-joindin-key"), &mut settings.joindin_key, false);
                });
                let port = settings.settings.joindin.callback_port;
                callback_row(ui, "joindin", port, &t!("settings-copy-joindin-callback"));
                !settings.joindin_key.trim().is_empty()
            }
        };
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            let name = t!("connect-provider", service = provider.name());
            let button = egui::Button::new(egui::RichText::new(&name).strong());
            if named_button(ui, ready && !settings.is_saving(), button, &name).clicked() {
                // This service's settings only: what was typed on another service's tab stays unsaved.
                settings.save_one(provider, &state.policies, commands);
                self.connecting = Some(provider);
            }
            if state.demo.is_some() && ui.button(t!("connect-back-to-demo")).clicked() {
                next = Some(Next::Agenda);
            }
        });
        // The answer to this page's save: said here, and once the demo has ended, the way on.
        if let Some(connecting) = self.connecting
            && !settings.is_saving()
        {
            match settings.last_save() {
                Some(Ok(())) if state.demo.is_none() => {
                    ui.label(t!("connect-done", service = connecting.name()));
                    // The client secret join.me needs to keep a sign-in past a day, now that the keychain is the
                    // user's own.
                    if connecting == Provider::Joinme
                        && state
                            .app_secrets
                            .iter()
                            .any(|(n, s)| *n == SecretName::JoinmeClientSecret && *s == SecretSource::Missing)
                    {
                        settings.app_secret(ui, SecretName::JoinmeClientSecret, &state.app_secrets, commands);
                    }
                    let sign_in = t!("connect-sign-in", service = connecting.name());
                    if ui.button(egui::RichText::new(sign_in).strong()).clicked() {
                        next = Some(Next::SignIn(connecting));
                    }
                }
                Some(Ok(())) => {
                    ui.label(t!("connect-applying", service = connecting.name()));
                }
                Some(Err(e)) => {
                    ui.label(e);
                }
                None => {}
            }
        }
        next
    }
}
