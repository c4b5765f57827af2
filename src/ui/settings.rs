//! What the settings file holds, editable, with the callback URLs to register shown and copyable. Saving
//! happens on a worker thread: the window never waits on the disk.

use super::widgets::{copy_button, labelled_text};
use crate::settings::{Paths, Settings};

pub struct SettingsView {
    pub paths: Option<Paths>,
    pub settings: Settings,
    joinme_key: String,
    mb_server: String,
    joindin_key: String,
    proxy: String,
    ca_file: String,
    saved: Option<std::sync::mpsc::Receiver<Result<(), String>>>,
    pub message: Option<String>,
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
            settings,
            saved: None,
            message: None,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, demo: bool, commands: &mut Vec<crate::backend::Command>) {
        ui.heading("Settings");
        if demo {
            ui.label("Demo mode: the services are the built-in sandbox. What you set here applies the next time the app starts without --demo.");
        }
        if let Some(paths) = &self.paths {
            ui.label(egui::RichText::new(format!("Saved in {}", paths.settings_file.display())).small());
        }
        ui.separator();
        ui.strong("join.me");
        labelled_text(ui, "API key", &mut self.joinme_key, false);
        ui.add(egui::DragValue::new(&mut self.settings.joinme.callback_port).range(0..=65535).prefix("Callback port "));
        let joinme_callback = format!("http://127.0.0.1:{}/cb/joinme", self.settings.joinme.callback_port);
        ui.horizontal(|ui| {
            ui.label(format!("Register this callback URL: {joinme_callback}"));
            copy_button(ui, "Copy", &joinme_callback);
        });
        ui.label(
            egui::RichText::new(
                "The client secret is kept in the keychain: meeting-launcher secret set joinme-client-secret",
            )
            .small(),
        );
        ui.separator();
        ui.strong("MeetingBooster");
        labelled_text(ui, "Server address", &mut self.mb_server, false);
        ui.checkbox(
            &mut self.settings.meetingbooster.allow_http,
            "Allow a server without https (the password would cross the network in the clear)",
        );
        ui.separator();
        ui.strong("joind.in");
        labelled_text(ui, "API key", &mut self.joindin_key, false);
        ui.add(
            egui::DragValue::new(&mut self.settings.joindin.callback_port).range(0..=65535).prefix("Callback port "),
        );
        let joindin_callback = format!("http://127.0.0.1:{}/cb/joindin", self.settings.joindin.callback_port);
        ui.horizontal(|ui| {
            ui.label(format!("Register this callback URL: {joindin_callback}"));
            copy_button(ui, "Copy", &joindin_callback);
        });
        ui.separator();
        ui.strong("Network");
        labelled_text(ui, "Proxy", &mut self.proxy, false);
        labelled_text(ui, "Extra CA file", &mut self.ca_file, false);
        ui.separator();
        ui.strong("Desktop");
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.settings.reminders.enabled, "Remind me");
            ui.add_enabled(
                self.settings.reminders.enabled,
                egui::DragValue::new(&mut self.settings.reminders.lead_minutes).range(0..=120).suffix(" min"),
            );
            ui.label("before each meeting");
        });
        ui.checkbox(&mut self.settings.desktop.start_at_login, "Start at login, hidden in the tray");
        ui.add_space(8.0);

        if let Some(rx) = &self.saved
            && let Ok(result) = rx.try_recv()
        {
            self.message = Some(match result {
                Ok(()) => "Saved. Restart the app to use the new settings.".into(),
                Err(e) => e,
            });
            self.saved = None;
        }
        ui.horizontal(|ui| {
            let can_save = self.paths.is_some() && self.saved.is_none();
            if ui.add_enabled(can_save, egui::Button::new("Save settings")).clicked() {
                self.save(ui.ctx().clone());
                commands.push(crate::backend::Command::SetReminders(self.settings.reminders));
            }
            if let Some(m) = &self.message {
                ui.label(m);
            }
        });
    }

    fn save(&mut self, ctx: egui::Context) {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        self.settings.joinme.api_key = text(&self.joinme_key);
        self.settings.meetingbooster.server = text(&self.mb_server);
        self.settings.joindin.api_key = text(&self.joindin_key);
        self.settings.network.proxy = text(&self.proxy);
        self.settings.network.ca_file = text(&self.ca_file).map(Into::into);
        let Some(path) = self.paths.as_ref().map(|p| p.settings_file.clone()) else { return };
        let settings = self.settings.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        self.saved = Some(rx);
        std::thread::spawn(move || {
            let saved = settings.save(&path).map_err(|e| e.to_string()).and_then(|()| {
                crate::platform::autostart::set_enabled(settings.desktop.start_at_login, None)
                    .map_err(|e| format!("Saved, but start at login could not be set: {e}"))
            });
            let _ = tx.send(saved);
            ctx.request_repaint();
        });
    }
}
