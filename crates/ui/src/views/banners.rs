//! Errors and notices across the top of the window: the message, and a button for what to do about it.

use crate::model::AppState;
use crate::model::Screen;
use launcher_engine::backend::Command;
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
                    UserAction::SignInAgain => Some("Sign in again"),
                    UserAction::RetryLater | UserAction::CheckNetwork => Some("Retry"),
                    UserAction::CheckSettings => Some("Open settings"),
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
                if ui.button("Dismiss").on_hover_text("Hide this message").clicked() {
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
