//! The first thing a new user sees above the demo's agenda: what they are looking at, and the way to their own
//! account. Dismissed once ("Explore the demo"), it stays gone; the top bar keeps "Connect your account".

use launcher_core::t;
use launcher_engine::providers::Provider;

use crate::model::AppState;

/// What the person chose on the card.
pub enum Choice {
    Connect(Provider),
    Explore,
}

pub fn ui(ui: &mut egui::Ui, state: &AppState) -> Option<Choice> {
    let mut choice = None;
    egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.heading(t!("welcome-heading"));
        ui.label(t!("welcome-demo"));
        ui.label(t!("welcome-connect"));
        ui.horizontal_wrapped(|ui| {
            for provider in super::connect::offered(state) {
                let label = t!("connect-provider", service = provider.name());
                if ui.add(egui::Button::new(egui::RichText::new(label).strong())).clicked() {
                    choice = Some(Choice::Connect(provider));
                }
            }
            if ui.button(t!("welcome-explore")).clicked() {
                choice = Some(Choice::Explore);
            }
        });
    });
    ui.add_space(8.0);
    choice
}
