//! What the settings file holds, editable, with the callback URLs to register shown and copyable. Saving is a
//! backend command (the file and the login item): the window never waits on the disk.

use super::widgets::{copy_button, labelled_text, named_button};
use launcher_core::secret::Secret;
use launcher_engine::auth::keychain::SecretName;
use launcher_engine::backend::{Command, SecretSource};
use launcher_engine::settings::{Paths, Policies, Settings, Theme};

pub struct SettingsView {
    pub paths: Option<Paths>,
    pub settings: Settings,
    joinme_key: String,
    mb_server: String,
    joindin_key: String,
    proxy: String,
    ca_file: String,
    /// A save is on its way to the backend.
    saving: bool,
    pub message: Option<String>,
    /// What is typed for each of the app's secrets ([`SecretName::ALL`]'s order); handed over, and so emptied,
    /// when saved; wiped when the view goes.
    secret_inputs: [zeroize::Zeroizing<String>; 2],
    /// The settings as last read from the file: the form is built again only when the file says something new,
    /// so a secret's save (which sets the services up again) loses no unsaved edit.
    pub loaded: Settings,
    /// What came of the last save or removal of a secret.
    pub secret_message: Option<String>,
}

impl SettingsView {
    pub fn new(paths: Option<Paths>, settings: Settings) -> Self {
        Self {
            joinme_key: settings.joinme.api_key.clone().unwrap_or_default(),
            mb_server: settings.meetingbooster.server.clone().unwrap_or_default(),
            joindin_key: settings.joindin.api_key.clone().unwrap_or_default(),
            proxy: settings.network.proxy.clone().unwrap_or_default(),
            ca_file: settings.network.ca_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            paths,
            loaded: settings.clone(),
            settings,
            saving: false,
            message: None,
            secret_inputs: Default::default(),
            secret_message: None,
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        demo: bool,
        policies: &Policies,
        secrets: &[(SecretName, SecretSource)],
        commands: &mut Vec<launcher_engine::backend::Command>,
    ) {
        ui.heading("Settings");
        if demo {
            ui.label("Demo mode: the services are the built-in sandbox. What you set here applies the next time the app starts without --demo.");
        }
        if policies.any_managed() {
            ui.label(
                egui::RichText::new("Some settings are managed by your organization and cannot be changed here.")
                    .strong(),
            );
        }
        if let Some(paths) = &self.paths {
            ui.label(egui::RichText::new(format!("Saved in {}", paths.settings_file.display())).small());
        }
        let locked = |key: &str| policies.is_key_locked(key);
        managed(ui, locked("general.default_provider"), |ui| {
            let current =
                self.settings.general.default_provider.unwrap_or(launcher_engine::providers::Provider::Joinme);
            egui::ComboBox::from_label("Service offered first").selected_text(current.name()).show_ui(ui, |ui| {
                for p in policies.allowed_providers() {
                    ui.selectable_value(&mut self.settings.general.default_provider, Some(p), p.name());
                }
            });
        });
        managed(ui, locked("general.theme"), |ui| {
            let current = self.settings.general.theme;
            egui::ComboBox::from_label("Theme").selected_text(current.name()).show_ui(ui, |ui| {
                for theme in Theme::ALL {
                    ui.selectable_value(&mut self.settings.general.theme, theme, theme.name());
                }
            });
        });
        ui.separator();
        ui.strong("join.me");
        managed(ui, locked("joinme.api_key"), |ui| {
            labelled_text(ui, "API key", &mut self.joinme_key, false);
        });
        managed(ui, locked("joinme.callback_port"), |ui| {
            ui.add(
                egui::DragValue::new(&mut self.settings.joinme.callback_port).range(0..=65535).prefix("Callback port "),
            );
        });
        let joinme_callback = format!("http://127.0.0.1:{}/cb/joinme", self.settings.joinme.callback_port);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("Register this callback URL: {joinme_callback}"));
            copy_button(ui, "Copy", "Copy the join.me callback URL", &joinme_callback);
        });
        self.app_secret(ui, SecretName::JoinmeClientSecret, secrets, commands);
        ui.separator();
        ui.strong("MeetingBooster");
        managed(ui, locked("meetingbooster.server"), |ui| {
            labelled_text(ui, "Server address", &mut self.mb_server, false);
        });
        managed(ui, locked("meetingbooster.allow_http"), |ui| {
            ui.checkbox(
                &mut self.settings.meetingbooster.allow_http,
                "Allow a server without https (the password would cross the network in the clear)",
            );
        });
        ui.separator();
        ui.strong("joind.in");
        managed(ui, locked("joindin.api_key"), |ui| {
            labelled_text(ui, "API key", &mut self.joindin_key, false);
        });
        managed(ui, locked("joindin.callback_port"), |ui| {
            ui.add(
                egui::DragValue::new(&mut self.settings.joindin.callback_port)
                    .range(0..=65535)
                    .prefix("Callback port "),
            );
        });
        let joindin_callback = format!("http://127.0.0.1:{}/cb/joindin", self.settings.joindin.callback_port);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("Register this callback URL: {joindin_callback}"));
            copy_button(ui, "Copy", "Copy the joind.in callback URL", &joindin_callback);
        });
        self.app_secret(ui, SecretName::JoindinClientSecret, secrets, commands);
        ui.separator();
        ui.strong("Network");
        managed(ui, locked("network.proxy"), |ui| {
            labelled_text(ui, "Proxy", &mut self.proxy, false);
        });
        managed(ui, locked("network.ca_file"), |ui| {
            labelled_text(ui, "Extra CA file", &mut self.ca_file, false);
        });
        ui.separator();
        ui.strong("Desktop");
        ui.horizontal_wrapped(|ui| {
            let reminders = &mut self.settings.reminders;
            ui.add_enabled_ui(!locked("reminders.enabled"), |ui| ui.checkbox(&mut reminders.enabled, "Remind me"));
            ui.add_enabled(
                reminders.enabled && !locked("reminders.lead_minutes"),
                egui::DragValue::new(&mut reminders.lead_minutes).range(0..=120).suffix(" min"),
            );
            ui.label("before each meeting");
            if locked("reminders.enabled") || locked("reminders.lead_minutes") {
                managed_note(ui);
            }
        });
        managed(ui, locked("desktop.start_at_login"), |ui| {
            ui.checkbox(&mut self.settings.desktop.start_at_login, "Start at login, hidden in the tray");
        });
        policies_list(ui, policies);
        ui.add_space(8.0);

        ui.horizontal(|ui| {
            let can_save = self.paths.is_some() && !self.saving;
            if ui.add_enabled(can_save, egui::Button::new("Save settings")).clicked() {
                self.save(policies, commands);
                commands.push(launcher_engine::backend::Command::SetReminders(self.settings.reminders));
            }
            if let Some(m) = &self.message {
                ui.label(m);
            }
        });
    }

    fn save(&mut self, policies: &Policies, commands: &mut Vec<launcher_engine::backend::Command>) {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        self.settings.joinme.api_key = text(&self.joinme_key);
        self.settings.meetingbooster.server = text(&self.mb_server);
        self.settings.joindin.api_key = text(&self.joindin_key);
        self.settings.network.proxy = text(&self.proxy);
        self.settings.network.ca_file = text(&self.ca_file).map(Into::into);
        let Some(path) = self.paths.as_ref().map(|p| p.settings_file.clone()) else { return };
        self.saving = true;
        commands.push(launcher_engine::backend::Command::SaveSettings {
            path,
            settings: Box::new(self.settings.clone()),
            policies: Box::new(policies.clone()),
        });
    }

    /// A client secret: where it comes from and what that means for signing in, and (when it is the user's) a
    /// field to save it in the keychain, Replace and Remove. It never goes into the settings file.
    fn app_secret(
        &mut self,
        ui: &mut egui::Ui,
        name: SecretName,
        secrets: &[(SecretName, SecretSource)],
        commands: &mut Vec<Command>,
    ) {
        let Some(&(_, source)) = secrets.iter().find(|(n, _)| *n == name) else { return };
        let (service, index) = match name {
            SecretName::JoinmeClientSecret => ("join.me", 0),
            SecretName::JoindinClientSecret => ("joind.in", 1),
        };
        let status = match (name, source) {
            (SecretName::JoinmeClientSecret, SecretSource::Missing) => {
                "not set. join.me sign-ins use the implicit grant, which signs you out every 24 hours."
            }
            (SecretName::JoinmeClientSecret, SecretSource::Keychain) => {
                "saved in the keychain. join.me sign-ins use the authorization code grant and stay signed in."
            }
            (SecretName::JoindinClientSecret, SecretSource::Missing) => {
                "not set. Signing in to joind.in with a user name and password needs it."
            }
            (SecretName::JoindinClientSecret, SecretSource::Keychain) => "saved in the keychain.",
            (_, SecretSource::Policy) => "set by your organization.",
            (_, SecretSource::Services) => "the services in use bring their own.",
        };
        ui.label(format!("Client secret: {status}"));
        if !matches!(source, SecretSource::Missing | SecretSource::Keychain) {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let input: &mut String = &mut self.secret_inputs[index];
            labelled_text(ui, &format!("{service} client secret"), input, true);
            let (verb, what) = if source == SecretSource::Keychain {
                ("Replace", format!("Replace the {service} client secret in the keychain"))
            } else {
                ("Save in the keychain", format!("Save the {service} client secret in the keychain"))
            };
            if named_button(ui, !input.trim().is_empty(), egui::Button::new(verb), &what).clicked() {
                // Handed over as a secret (wiped when dropped); the field is left empty.
                let value = Secret::new(std::mem::take(input));
                commands.push(Command::SetAppSecret { name, value: Some(value) });
                self.secret_message = None;
            }
            if source == SecretSource::Keychain {
                let what = format!("Remove the {service} client secret from the keychain");
                if named_button(ui, true, egui::Button::new("Remove"), &what).clicked() {
                    commands.push(Command::SetAppSecret { name, value: None });
                    self.secret_message = None;
                }
            }
        });
        if let Some(message) = self.secret_message.as_ref().filter(|m| m.starts_with(service)) {
            ui.label(message);
        }
    }

    /// What came of saving or removing a secret, said under its field.
    pub fn secret_saved(&mut self, name: SecretName, result: Result<(), String>) {
        let service = match name {
            SecretName::JoinmeClientSecret => "join.me",
            SecretName::JoindinClientSecret => "joind.in",
        };
        self.secret_message = Some(match result {
            Ok(()) => format!("{service} client secret: the keychain has the change, in force now."),
            Err(e) => format!("{service} client secret: {e}"),
        });
    }

    /// The backend's answer to the last save.
    pub fn saved(&mut self, result: Result<(), String>) {
        self.saving = false;
        self.message = Some(match result {
            Ok(()) => "Saved. The new settings are in use.".into(),
            Err(e) => e,
        });
    }
}

/// A control a managed policy may lock: greyed out, with the reason beside it (or below it, in a narrow window:
/// these rows wrap, so nothing goes out of sight at 200 %).
fn managed(ui: &mut egui::Ui, locked: bool, add: impl FnOnce(&mut egui::Ui)) {
    ui.horizontal_wrapped(|ui| {
        ui.add_enabled_ui(!locked, add);
        if locked {
            managed_note(ui);
        }
    });
}

fn managed_note(ui: &mut egui::Ui) {
    ui.label(egui::RichText::new("Managed by your organization").small().italics())
        .on_hover_text("Set by a managed policy; `meeting-launcher status` lists them.");
}

/// The policies in force and where each comes from, as `status` prints them.
fn policies_list(ui: &mut egui::Ui, policies: &Policies) {
    let in_force = policies.in_force();
    if policies.is_empty() {
        return;
    }
    ui.separator();
    ui.strong("Policies");
    egui::Grid::new("policies").striped(true).show(ui, |ui| {
        for p in in_force {
            ui.label(&p.name);
            ui.label(p.shown_value());
            ui.label(egui::RichText::new(format!("{}: {}", p.level.name(), p.origin)).small());
            ui.end_row();
        }
    });
    for problem in &policies.problems {
        ui.label(egui::RichText::new(format!("Ignored: {problem}")).small());
    }
}
