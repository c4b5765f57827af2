//! Errors and notices across the top of the window: the message, and a button for what to do about it.

use super::widgets::named_button;
use crate::model::AppState;
use crate::model::Screen;
use crate::model::state::ReminderButtons;
use launcher_core::t;
use launcher_engine::backend::Command;
use launcher_engine::backend::reminders::way_in;
use launcher_engine::providers::UserAction;

pub fn ui(ui: &mut egui::Ui, state: &mut AppState, commands: &mut Vec<Command>, screen: &mut Screen) {
    let mut dismissed = Vec::new();
    for (index, banner) in state.banners.iter().enumerate() {
        let fill = if banner.is_error {
            ui.visuals().error_fg_color.gamma_multiply(0.18)
        } else {
            ui.visuals().selection.bg_fill.gamma_multiply(0.35)
        };
        egui::Frame::new().fill(fill).inner_margin(6.0).corner_radius(4.0).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(&banner.text);
                let button = match banner.action {
                    UserAction::SignInAgain => Some(t!("window-banner-sign-in-again")),
                    UserAction::RetryLater | UserAction::CheckNetwork => Some(t!("window-banner-retry")),
                    UserAction::CheckSettings => Some(t!("window-banner-open-settings")),
                    _ => None,
                };
                if let Some(label) = button
                    && ui.button(label).clicked()
                {
                    match banner.action {
                        UserAction::SignInAgain => *screen = Screen::Accounts,
                        UserAction::CheckSettings => *screen = Screen::Settings,
                        _ => commands.push(Command::Reload),
                    }
                    dismissed.push(index);
                }
                if let Some(reminder) = &banner.reminder
                    && reminder_buttons(ui, reminder, commands)
                {
                    dismissed.push(index);
                }
                if ui.button(t!("window-banner-dismiss")).on_hover_text(t!("window-banner-dismiss-hint")).clicked() {
                    dismissed.push(index);
                }
            });
        });
    }
    for index in dismissed.into_iter().rev() {
        if index < state.banners.len() {
            state.banners.remove(index);
        }
    }
}

/// A reminder's Start or Join and Snooze, for when the desktop's notification could not offer them (Windows,
/// macOS, a server without actions, no server). Named apart from the next-up card's button for the same meeting.
/// Returns whether one was pressed (the banner then goes).
fn reminder_buttons(ui: &mut egui::Ui, reminder: &ReminderButtons, commands: &mut Vec<Command>) -> bool {
    let title = &reminder.item.title;
    let mut pressed = false;
    if let Some(command) = way_in(&reminder.item) {
        let (label, name) = if reminder.item.can_start {
            (t!("window-reminder-start-now"), t!("window-reminder-start-named", title = title))
        } else {
            (t!("window-reminder-join-now"), t!("window-reminder-join-named", title = title))
        };
        if named_button(ui, true, egui::Button::new(label), &name).clicked() {
            commands.push(command);
            pressed = true;
        }
    }
    if let Some(minutes) = reminder.snooze_minutes {
        let name = t!("window-reminder-snooze-named", title = title, minutes = minutes);
        if named_button(ui, true, egui::Button::new(t!("window-reminder-snooze", minutes = minutes)), &name).clicked() {
            commands.push(Command::SnoozeReminder {
                account: reminder.item.account.clone(),
                meeting_id: reminder.item.id.clone(),
                minutes,
            });
            pressed = true;
        }
    }
    pressed
}
