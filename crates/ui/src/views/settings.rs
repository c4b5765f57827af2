//! What the settings file holds, editable, with the callback URLs to register shown and copyable. Saving is a
//! backend command (the file and the login item): the window never waits on the disk.

use super::widgets::{copy_button, labelled_text, named_button};
use launcher_core::i18n::Language;
use launcher_core::secret::Secret;
use launcher_core::t;
use launcher_engine::auth::keychain::SecretName;
use launcher_engine::backend::{Command, SecretSource};
use launcher_engine::settings::{Paths, Policies, Settings, Theme};

pub struct SettingsView {
    pub paths: Option<Paths>,
    pub settings: Settings,
    pub(crate) joinme_key: String,
    pub(crate) mb_server: String,
    pub(crate) joindin_key: String,
    proxy: String,
    ca_file: String,
    /// A save is on its way to the backend.
    saving: bool,
    pub message: Option<String>,
    /// What came of the last save, for the Connect page.
    pub(crate) last_save: Option<Result<(), String>>,
    /// What is typed for each of the app's secrets ([`SecretName::ALL`]'s order); handed over, and so emptied,
    /// when saved; wiped when the view goes.
    secret_inputs: [zeroize::Zeroizing<String>; 2],
    /// The settings as last read from the file: the form is built again only when the file says something new,
    /// so a secret's save (which sets the services up again) loses no unsaved edit.
    pub loaded: Settings,
    /// What came of the last save or removal of a secret.
    pub secret_message: Option<String>,
    /// The MeetingBooster address as typed, asked about once typing pauses.
    pub(crate) mb_check: ServerCheck,
}

/// Whether a MeetingBooster server answers at the address typed.
#[derive(Default)]
pub(crate) struct ServerCheck {
    /// When the address was last edited (egui's clock, seconds).
    edited_at: Option<f64>,
    /// The last ask.
    sent: Option<SentCheck>,
    next_id: u64,
    /// The answer to the last ask: the address it was about, and what came of it.
    answer: Option<(String, Result<(), String>)>,
}

struct SentCheck {
    /// The address and the way to it, as asked.
    key: String,
    id: u64,
    address: String,
    /// When the window stops waiting (egui's clock).
    give_up: f64,
}

impl ServerCheck {
    /// The backend's answer: kept when it is to the last ask (an earlier, slower one is of no use).
    pub(crate) fn answered(&mut self, id: u64, result: Result<(), String>) {
        if let Some(sent) = self.sent.as_ref().filter(|s| s.id == id) {
            self.answer = Some((sent.address.clone(), result));
        }
    }

    pub(crate) fn answer(&self) -> Option<(&str, &Result<(), String>)> {
        self.answer.as_ref().map(|(a, r)| (a.as_str(), r))
    }
}

/// What is wrong with a MeetingBooster address as typed, said without asking anything; its host when nothing is.
pub(crate) fn mb_address(address: &str, allow_http: bool) -> Result<String, String> {
    let url = match url::Url::parse(address.trim().trim_end_matches('/')) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => url,
        _ => return Err(t!("settings-mb-not-an-address", address = address.trim())),
    };
    let loopback = matches!(url.host(), Some(url::Host::Domain("localhost")))
        || url
            .host_str()
            .and_then(|h| h.trim_matches(['[', ']']).parse::<std::net::IpAddr>().ok())
            .is_some_and(|ip| ip.is_loopback());
    if url.scheme() == "http" && !allow_http && !loopback {
        return Err(t!("settings-mb-not-https"));
    }
    Ok(url.host_str().unwrap_or_default().to_string())
}

/// How long typing must pause before the address is asked about.
const CHECK_AFTER_SECS: f64 = 0.6;

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
            last_save: None,
            secret_inputs: Default::default(),
            secret_message: None,
            mb_check: ServerCheck::default(),
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
        ui.heading(t!("settings-heading"));
        if demo && self.paths.is_some() {
            ui.label(t!("settings-demo-auto"));
        } else if demo {
            ui.label(t!("settings-demo-flag"));
        }
        if policies.any_managed() {
            ui.label(egui::RichText::new(t!("settings-some-managed")).strong());
        }
        if let Some(paths) = &self.paths {
            ui.label(
                egui::RichText::new(t!("settings-saved-in", path = paths.settings_file.display().to_string())).small(),
            );
        }
        let locked = |key: &str| policies.is_key_locked(key);
        managed(ui, locked("general.default_provider"), |ui| {
            let current =
                self.settings.general.default_provider.unwrap_or(launcher_engine::providers::Provider::Joinme);
            egui::ComboBox::from_label(t!("settings-default-service")).selected_text(current.name()).show_ui(
                ui,
                |ui| {
                    for p in policies.allowed_providers() {
                        ui.selectable_value(&mut self.settings.general.default_provider, Some(p), p.name());
                    }
                },
            );
        });
        managed(ui, locked("general.theme"), |ui| {
            let current = self.settings.general.theme;
            egui::ComboBox::from_label(t!("settings-theme")).selected_text(current.name()).show_ui(ui, |ui| {
                for theme in Theme::ALL {
                    ui.selectable_value(&mut self.settings.general.theme, theme, theme.name());
                }
            });
        });
        managed(ui, locked("general.language"), |ui| {
            let name =
                |l: Option<Language>| l.map_or_else(|| t!("settings-language-system"), |l| l.native_name().into());
            let current = name(self.settings.general.language);
            egui::ComboBox::from_label(t!("settings-language")).selected_text(current).show_ui(ui, |ui| {
                for language in [None].into_iter().chain(Language::ALL.map(Some)) {
                    ui.selectable_value(&mut self.settings.general.language, language, name(language));
                }
            });
        });
        ui.separator();
        ui.strong("join.me");
        managed(ui, locked("joinme.api_key"), |ui| {
            labelled_text(ui, &t!("settings-api-key"), &mut self.joinme_key, false);
        });
        managed(ui, locked("joinme.callback_port"), |ui| {
            ui.add(
                egui::DragValue::new(&mut self.settings.joinme.callback_port)
                    .range(0..=65535)
                    .prefix(t!("settings-callback-port")),
            );
        });
        callback_row(ui, "joinme", self.settings.joinme.callback_port, &t!("settings-copy-joinme-callback"));
        self.app_secret(ui, SecretName::JoinmeClientSecret, secrets, commands);
        ui.separator();
        ui.strong("MeetingBooster");
        ui.add_enabled_ui(!locked("meetingbooster.server"), |ui| {
            self.mb_server_field(ui, &t!("settings-server-address"), commands);
        });
        if locked("meetingbooster.server") {
            managed_note(ui);
        }
        managed(ui, locked("meetingbooster.allow_http"), |ui| {
            ui.checkbox(&mut self.settings.meetingbooster.allow_http, t!("settings-allow-http"));
        });
        ui.separator();
        ui.strong("joind.in");
        managed(ui, locked("joindin.api_key"), |ui| {
            labelled_text(ui, &t!("settings-api-key"), &mut self.joindin_key, false);
        });
        managed(ui, locked("joindin.callback_port"), |ui| {
            ui.add(
                egui::DragValue::new(&mut self.settings.joindin.callback_port)
                    .range(0..=65535)
                    .prefix(t!("settings-callback-port")),
            );
        });
        callback_row(ui, "joindin", self.settings.joindin.callback_port, &t!("settings-copy-joindin-callback"));
        self.app_secret(ui, SecretName::JoindinClientSecret, secrets, commands);
        ui.separator();
        ui.strong(t!("settings-network"));
        managed(ui, locked("network.proxy"), |ui| {
            labelled_text(ui, &t!("settings-proxy"), &mut self.proxy, false);
        });
        managed(ui, locked("network.ca_file"), |ui| {
            labelled_text(ui, &t!("settings-ca-file"), &mut self.ca_file, false);
        });
        ui.separator();
        ui.strong(t!("settings-desktop"));
        ui.horizontal_wrapped(|ui| {
            let reminders = &mut self.settings.reminders;
            ui.add_enabled_ui(!locked("reminders.enabled"), |ui| {
                ui.checkbox(&mut reminders.enabled, t!("settings-remind-me"))
            });
            ui.add_enabled(
                reminders.enabled && !locked("reminders.lead_minutes"),
                egui::DragValue::new(&mut reminders.lead_minutes).range(0..=120).suffix(t!("settings-minutes-suffix")),
            );
            ui.label(t!("settings-before-each-meeting"));
            if locked("reminders.enabled") || locked("reminders.lead_minutes") {
                managed_note(ui);
            }
        });
        managed(ui, locked("desktop.start_at_login"), |ui| {
            ui.checkbox(&mut self.settings.desktop.start_at_login, t!("settings-start-at-login"));
        });
        policies_list(ui, policies);
        ui.add_space(8.0);

        ui.horizontal(|ui| {
            let can_save = self.paths.is_some() && !self.saving;
            if ui.add_enabled(can_save, egui::Button::new(t!("settings-save"))).clicked() {
                self.save(policies, commands);
                commands.push(launcher_engine::backend::Command::SetReminders(self.settings.reminders));
            }
            if let Some(m) = &self.message {
                ui.label(m);
            }
        });
    }

    /// The MeetingBooster address, checked as it is typed: at once whether it can be one, and once typing pauses
    /// whether a MeetingBooster server answers there (through the proxy and CA file as the form has them).
    pub(crate) fn mb_server_field(&mut self, ui: &mut egui::Ui, label: &str, commands: &mut Vec<Command>) {
        let response = labelled_text(ui, label, &mut self.mb_server, false);
        let now = ui.input(|i| i.time);
        if response.changed() {
            self.mb_check.edited_at = Some(now);
        }
        let address = self.mb_server.trim().to_string();
        if address.is_empty() {
            return;
        }
        let small = |ui: &mut egui::Ui, text: String| ui.label(egui::RichText::new(text).small());
        let allow_http = self.settings.meetingbooster.allow_http;
        let host = match mb_address(&address, allow_http) {
            Ok(host) => host,
            Err(problem) => {
                small(ui, problem);
                return;
            }
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut network = self.settings.network.clone();
        network.proxy = text(&self.proxy);
        network.ca_file = text(&self.ca_file).map(Into::into);
        // Asked again when the address or the way to it (http allowed, proxy, CA file) changes.
        let key = format!("{address}\n{allow_http}\n{:?}\n{:?}", network.proxy, network.ca_file);
        if self.mb_check.sent.as_ref().is_none_or(|sent| sent.key != key) {
            let waited = self.mb_check.edited_at.map_or(CHECK_AFTER_SECS, |t| now - t);
            if waited < CHECK_AFTER_SECS {
                ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(CHECK_AFTER_SECS - waited));
                return;
            }
            self.mb_check.next_id += 1;
            let id = self.mb_check.next_id;
            // No answer by the client's own time limit (and a little): the backend dropped the ask (its services
            // were set up again meanwhile), so the window stops waiting.
            let give_up = now + network.timeout_secs.clamp(5, 300) as f64 + 5.0;
            commands.push(Command::CheckMeetingBoosterServer { id, address: address.clone(), allow_http, network });
            self.mb_check.sent = Some(SentCheck { key, id, address: address.clone(), give_up });
            self.mb_check.answer = None;
        }
        let give_up = self.mb_check.sent.as_ref().map_or(now, |s| s.give_up);
        match &self.mb_check.answer {
            Some((_, Ok(()))) => {
                small(ui, t!("settings-mb-answers", host = host));
            }
            Some((_, Err(e))) => {
                let text = egui::RichText::new(t!("settings-mb-no-answer", reason = e));
                ui.label(text.small().color(ui.visuals().warn_fg_color));
            }
            None if now < give_up => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    small(ui, t!("settings-mb-checking"));
                });
                ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(give_up - now));
            }
            None => {
                small(ui, t!("settings-mb-no-answer-yet"));
            }
        }
    }

    /// Saves `provider`'s settings as typed and the other services' as the file has them (the Connect page saves
    /// one service); what was typed for the others stays in the form, unsaved.
    pub(crate) fn save_one(
        &mut self,
        provider: launcher_engine::providers::Provider,
        policies: &Policies,
        commands: &mut Vec<Command>,
    ) {
        use launcher_engine::providers::Provider;
        let typed = (self.joinme_key.clone(), self.mb_server.clone(), self.joindin_key.clone());
        let loaded = &self.loaded;
        if provider != Provider::Joinme {
            self.joinme_key = loaded.joinme.api_key.clone().unwrap_or_default();
        }
        if provider != Provider::Meetingbooster {
            self.mb_server = loaded.meetingbooster.server.clone().unwrap_or_default();
        }
        if provider != Provider::Joindin {
            self.joindin_key = loaded.joindin.api_key.clone().unwrap_or_default();
        }
        self.save(policies, commands);
        (self.joinme_key, self.mb_server, self.joindin_key) = typed;
    }

    /// A save is on its way to the backend.
    pub(crate) fn is_saving(&self) -> bool {
        self.saving
    }

    /// What came of the last save, once its answer is in.
    pub(crate) fn last_save(&self) -> Option<&Result<(), String>> {
        self.last_save.as_ref()
    }

    pub(crate) fn save(&mut self, policies: &Policies, commands: &mut Vec<launcher_engine::backend::Command>) {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        self.settings.joinme.api_key = text(&self.joinme_key);
        self.settings.meetingbooster.server = text(&self.mb_server);
        self.settings.joindin.api_key = text(&self.joindin_key);
        self.settings.network.proxy = text(&self.proxy);
        self.settings.network.ca_file = text(&self.ca_file).map(Into::into);
        let Some(path) = self.paths.as_ref().map(|p| p.settings_file.clone()) else { return };
        self.saving = true;
        self.last_save = None;
        commands.push(launcher_engine::backend::Command::SaveSettings {
            path,
            settings: Box::new(self.settings.clone()),
            policies: Box::new(policies.clone()),
        });
    }

    /// A client secret: where it comes from and what that means for signing in, and (when it is the user's) a
    /// field to save it in the keychain, Replace and Remove. It never goes into the settings file.
    pub(crate) fn app_secret(
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
            (SecretName::JoinmeClientSecret, SecretSource::Missing) => t!("settings-secret-joinme-missing"),
            (SecretName::JoinmeClientSecret, SecretSource::Keychain) => t!("settings-secret-joinme-keychain"),
            (SecretName::JoindinClientSecret, SecretSource::Missing) => t!("settings-secret-joindin-missing"),
            (SecretName::JoindinClientSecret, SecretSource::Keychain) => t!("settings-secret-keychain"),
            (_, SecretSource::Policy) => t!("settings-secret-policy"),
            (_, SecretSource::Services) => t!("settings-secret-services"),
        };
        ui.label(t!("settings-client-secret", status = status));
        if !matches!(source, SecretSource::Missing | SecretSource::Keychain) {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let input: &mut String = &mut self.secret_inputs[index];
            labelled_text(ui, &t!("settings-secret-field", service = service), input, true);
            let (verb, what) = if source == SecretSource::Keychain {
                (t!("settings-secret-replace"), t!("settings-secret-replace-named", service = service))
            } else {
                (t!("settings-secret-save"), t!("settings-secret-save-named", service = service))
            };
            if named_button(ui, !input.trim().is_empty(), egui::Button::new(verb), &what).clicked() {
                // Handed over as a secret (wiped when dropped); the field is left empty.
                let value = Secret::new(std::mem::take(input));
                commands.push(Command::SetAppSecret { name, value: Some(value) });
                self.secret_message = None;
            }
            if source == SecretSource::Keychain {
                let what = t!("settings-secret-remove-named", service = service);
                if named_button(ui, true, egui::Button::new(t!("settings-secret-remove")), &what).clicked() {
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
            Ok(()) => t!("settings-secret-saved", service = service),
            Err(e) => t!("settings-secret-failed", service = service, error = e),
        });
    }

    /// The backend's answer to the last save.
    pub fn saved(&mut self, result: Result<(), String>) {
        self.saving = false;
        self.last_save = Some(result.clone());
        self.message = Some(match result {
            Ok(()) => t!("settings-saved"),
            Err(e) => e,
        });
    }
}

/// The loopback callback URL to register for a service (`/cb/<path>` on `port`, where the sign-in listens), with
/// Copy named `copy_name`. Settings and the Connect page show the same row.
pub(crate) fn callback_row(ui: &mut egui::Ui, path: &str, port: u16, copy_name: &str) {
    let callback = format!("http://127.0.0.1:{port}/cb/{path}");
    ui.horizontal_wrapped(|ui| {
        ui.label(t!("settings-register-callback", url = &callback));
        copy_button(ui, &t!("settings-copy"), copy_name, &callback);
    });
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
    ui.label(egui::RichText::new(t!("settings-managed")).small().italics()).on_hover_text(t!("settings-managed-hint"));
}

/// The policies in force and where each comes from, as `status` prints them.
fn policies_list(ui: &mut egui::Ui, policies: &Policies) {
    let in_force = policies.in_force();
    if policies.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(t!("settings-policies"));
    egui::Grid::new("policies").striped(true).show(ui, |ui| {
        for p in in_force {
            ui.label(&p.name);
            ui.label(p.shown_value());
            ui.label(egui::RichText::new(format!("{}: {}", p.level.name(), p.origin)).small());
            ui.end_row();
        }
    });
    for problem in &policies.problems {
        ui.label(egui::RichText::new(t!("settings-policy-ignored", problem = problem.to_string())).small());
    }
}
