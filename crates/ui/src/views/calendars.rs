//! Adding a calendar by its private iCalendar address: a name, the address (a password to the calendar: typed
//! into a hidden field, sent once to the keychain, never shown again), and optionally the user's own address in
//! it so meetings they declined are not offered.

use super::widgets::labelled_text;
use crate::model::AppState;
use launcher_core::secret::Secret;
use launcher_core::t;
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;

#[derive(Default)]
pub struct AddCalendarView {
    pub name: String,
    /// Cleared as soon as it is sent.
    pub address: String,
    pub email: String,
    pub allow_http: bool,
    /// The name sent, until its calendar is in the list: the form keeps what was typed if the add fails.
    pub sent: Option<String>,
}

impl AddCalendarView {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        ui.heading(t!("agenda-calendar-heading"));
        ui.label(t!("agenda-calendar-intro"));
        let added = self.sent.as_deref().is_some_and(|name| {
            state.accounts.iter().any(|a| a.record.provider == Provider::Calendar && a.record.display_name == name)
        });
        if added {
            *self = Self::default();
        }
        if let Some((error, _)) = state.sign_in_errors.get(&Provider::Calendar) {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        labelled_text(ui, &t!("agenda-calendar-name"), &mut self.name, false);
        let field = labelled_text(ui, &t!("agenda-calendar-address"), &mut self.address, true);
        labelled_text(ui, &t!("agenda-calendar-email"), &mut self.email, false);
        ui.checkbox(&mut self.allow_http, t!("agenda-calendar-allow-http"));
        let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ready = !self.name.trim().is_empty() && !self.address.trim().is_empty();
        let clicked = ui.add_enabled(ready, egui::Button::new(t!("agenda-calendar-add"))).clicked();
        if ready && (clicked || submitted) {
            commands.push(Command::AddCalendar {
                name: self.name.trim().to_string(),
                address: Secret::new(std::mem::take(&mut self.address)),
                allow_http: self.allow_http,
                emails: Some(self.email.trim().to_string()).filter(|e| !e.is_empty()).into_iter().collect(),
            });
            self.sent = Some(self.name.trim().to_string());
        }
        ui.label(egui::RichText::new(t!("agenda-calendar-kept")).small());
    }
}
