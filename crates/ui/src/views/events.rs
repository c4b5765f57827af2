//! joind.in: the events you attend and host, each with its talks.

use super::widgets::named_button;
use crate::model::AppState;
use launcher_core::t;
use launcher_core::timefmt::{local_day, local_time};
use launcher_engine::backend::{Command, ItemKind};

#[derive(Default)]
pub struct EventsView {
    pub open: Option<String>,
}

impl EventsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        ui.heading(t!("accounts-events-heading"));
        let events: Vec<_> = state.agenda.iter().filter(|i| i.kind == ItemKind::Event).collect();
        if events.is_empty() {
            ui.label(t!("accounts-events-sign-in"));
            return;
        }
        egui::ScrollArea::vertical().id_salt("events").auto_shrink([false, false]).show(ui, |ui| {
            for e in events {
                ui.horizontal(|ui| {
                    ui.label(format!("{}, {}", local_day(e.start), local_time(e.start)));
                    ui.strong(&e.title);
                    ui.label(&e.location);
                    let mut attending = e.attending.unwrap_or(false);
                    let attend = ui.checkbox(&mut attending, t!("accounts-attending"));
                    let name = t!("accounts-attending-named", title = &e.title);
                    attend.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, attending, &name));
                    if attend.changed() {
                        commands.push(Command::SetAttending {
                            account: e.account.clone(),
                            event_id: e.id.clone(),
                            attend: attending,
                        });
                    }
                    let open = self.open.as_deref() == Some(e.id.as_str());
                    let (word, name) = if open {
                        (t!("accounts-hide-talks"), t!("accounts-hide-talks-named", title = &e.title))
                    } else {
                        (t!("accounts-talks"), t!("accounts-talks-named", title = &e.title))
                    };
                    if named_button(ui, true, egui::Button::new(word), &name).clicked() {
                        self.open = if open { None } else { Some(e.id.clone()) };
                        if !open && !state.talks.contains_key(&e.id) {
                            commands.push(Command::LoadTalks { account: e.account.clone(), event_id: e.id.clone() });
                        }
                    }
                });
                if self.open.as_deref() == Some(e.id.as_str()) {
                    match state.talks.get(&e.id) {
                        None => {
                            ui.spinner();
                        }
                        Some(talks) if talks.is_empty() => {
                            ui.label(t!("accounts-no-talks"));
                        }
                        Some(talks) => {
                            for t in talks {
                                // Indented under the event (in the code: Fluent drops a message's leading spaces).
                                let talk = t!(
                                    "accounts-talk",
                                    time = local_time(t.start),
                                    title = &t.title,
                                    minutes = t.minutes,
                                    speakers = t.speakers.join(", ")
                                );
                                ui.label(format!("   {talk}"));
                            }
                        }
                    }
                }
            }
        });
    }
}
