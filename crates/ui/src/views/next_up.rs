//! The first thing on the Agenda: the meeting to join now or next (the tray's rule, `next_meeting`), how long
//! until it or since it began, and one large button to get in; or, with nothing ahead, what to do instead.

use launcher_core::agenda::next_meeting;
use launcher_core::t;
use launcher_core::timefmt::{day_heading, local_time, minutes_until, next_countdown_change, since_start, until_start};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;

use super::widgets::{named_button, provider_mark};
use crate::model::AppState;

/// Draws the card. `schedule` is set when the person asks to schedule a meeting from the empty state.
pub fn ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>, schedule: &mut bool) {
    let next = next_meeting(&state.agenda, state.now);
    if next.is_none() && state.accounts.is_empty() {
        // Nothing to show yet: the Agenda says to sign in.
        return;
    }
    let can_schedule = state.signed_in().any(|a| a.record.provider.can_schedule());
    let can_start_now = state.first_account(Provider::Joinme).is_some();
    egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let Some(item) = next else {
            ui.label(egui::RichText::new(t!("next-none")).heading());
            let hint = match (can_start_now, can_schedule) {
                (true, true) => t!("next-hint-start-or-schedule"),
                (true, false) => t!("next-hint-start"),
                (false, true) => t!("next-hint-schedule"),
                (false, false) => t!("next-hint-nothing"),
            };
            ui.label(hint);
            // "Start meeting now" is the top bar's, always in view: not a second button of the same name here.
            if can_schedule && ui.button(t!("next-schedule")).clicked() {
                *schedule = true;
            }
            return;
        };
        let started = item.start <= state.now;
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(if started { t!("next-now") } else { t!("next-up") }).strong());
            provider_mark(ui, item.provider);
        });
        ui.horizontal(|ui| {
            let (verb, name) = if item.can_start {
                (t!("next-start"), t!("next-start-named", title = &item.title))
            } else {
                (t!("next-join"), t!("next-join-named", title = &item.title))
            };
            let can_go = item.can_start || item.link.is_some();
            let button = egui::Button::new(egui::RichText::new(verb).size(18.0)).min_size(egui::vec2(120.0, 40.0));
            let hint = format!("{name} ({})", super::shortcuts::Shortcut::JoinNext.text(ui.ctx()));
            let response = named_button(ui, can_go, button, &name).on_hover_text(hint);
            if response.clicked() {
                // The tray's "join next": the same meeting, the same way in.
                commands.push(Command::JoinNext { open_browser: true, reply: None });
            }
            ui.vertical(|ui| {
                ui.label(egui::RichText::new(&item.title).size(18.0).strong());
                let times = format!("{}–{}", local_time(item.start), local_time(item.end));
                let when = if started {
                    format!("{times} · {}", since_start(item.start, state.now))
                } else if minutes_until(item.start, state.now) < 12 * 60 {
                    format!("{times} · {}", until_start(item.start, state.now))
                } else {
                    // Far off: the day says more than a count of hours.
                    format!("{} · {times}", day_heading(item.start, state.now))
                };
                ui.label(when);
                if !can_go {
                    ui.label(egui::RichText::new(t!("next-no-link")).small());
                }
            });
        });
        // Redrawn when the countdown next reads differently, or the card changes meeting (a start, an end, the
        // hand-over to the next: the tray's moments), and not before.
        let change = crate::model::tray::next_change(state, state.now)
            .into_iter()
            .chain([next_countdown_change(item.start, state.now)])
            .min()
            .unwrap_or(state.now);
        let wait = change.signed_duration_since(state.now);
        ui.ctx().request_repaint_after(wait.to_std().unwrap_or_default());
    });
}
