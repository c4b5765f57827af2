//! One meeting in full, beside the Agenda: when (in the reader's zone), where, the link, who is invited and what
//! they answered, what it is about; and Start or Join, Copy invitation, Edit and Delete.

use launcher_core::agenda::{AgendaItem, Answer, ItemKind, Skipped};
use launcher_core::t;
use launcher_core::timefmt::{
    local_day, local_time, local_zone, minutes_until, next_countdown_change, since_start, until_start,
};
use launcher_engine::backend::Command;
use launcher_engine::backend::reminders::way_in;

use super::widgets::{copy_button, named_button, provider_mark};
use crate::model::form::MeetingForm;

/// Draws the details of `item`; false once the person closes them (or deletes the meeting).
pub fn ui(
    ui: &mut egui::Ui,
    item: &AgendaItem,
    now: chrono::DateTime<chrono::Utc>,
    commands: &mut Vec<Command>,
    form: &mut Option<MeetingForm>,
) -> bool {
    let mut open = true;
    let title = &item.title;
    ui.horizontal(|ui| {
        provider_mark(ui, item.provider);
        ui.label(super::widgets::service_name(item.provider));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let name = t!("details-close-named", title = title);
            if named_button(ui, true, egui::Button::new(t!("details-close")), &name).clicked() {
                open = false;
            }
        });
    });
    ui.heading(title);
    ui.label(when(item));
    // How long until it, or since it began, while that says more than the date: today's, and the running one.
    if item.end > now && item.kind == ItemKind::Meeting && minutes_until(item.start, now) < 12 * 60 {
        let countdown = if item.start > now { until_start(item.start, now) } else { since_start(item.start, now) };
        ui.label(egui::RichText::new(countdown).strong());
        // Read again when it next reads differently.
        let change = next_countdown_change(item.start, now).signed_duration_since(now);
        ui.ctx().request_repaint_after(change.to_std().unwrap_or_default());
    }
    match item.skipped {
        Some(Skipped::Cancelled) => {
            ui.label(t!("agenda-skipped-cancelled"));
        }
        Some(Skipped::Declined) => {
            ui.label(t!("agenda-skipped-declined"));
        }
        None => {}
    }
    if !item.location.trim().is_empty() {
        ui.label(t!("details-location", location = item.location.trim()));
    }
    if let Some(link) = &item.link {
        ui.horizontal_wrapped(|ui| {
            ui.label(t!("details-link", link = link));
            copy_button(ui, &t!("agenda-copy-link"), &t!("details-copy-link-named", title = title), link);
        });
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if item.can_start {
            let name = t!("details-start-named", title = title);
            // The way in the tray and the reminders take: `way_in`.
            if named_button(ui, true, egui::Button::new(t!("agenda-start")), &name).clicked() {
                commands.extend(way_in(item));
            }
        } else if let Some(link) = item.link.as_ref().filter(|_| item.skipped != Some(Skipped::Cancelled)) {
            let name = t!("details-join-named", title = title);
            if named_button(ui, true, egui::Button::new(t!("agenda-join")), &name).on_hover_text(link).clicked() {
                commands.extend(way_in(item));
            }
        }
        let name = t!("details-copy-invitation-named", title = title);
        if named_button(ui, true, egui::Button::new(t!("details-copy-invitation")), &name).clicked() {
            ui.ctx().copy_text(invitation(item));
        }
        if item.can_edit {
            let name = t!("details-edit-named", title = title);
            if named_button(ui, true, egui::Button::new(t!("agenda-edit")), &name).clicked() {
                *form = Some(MeetingForm::edit(item));
            }
            let name = t!("details-delete-named", title = title);
            if named_button(ui, true, egui::Button::new(t!("agenda-delete")), &name).clicked() {
                commands.push(Command::DeleteMeeting { account: item.account.clone(), meeting_id: item.id.clone() });
                open = false;
            }
        }
    });
    if !item.participants.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("details-participants", count = item.participants.len()));
        for person in &item.participants {
            match item.answers.get(person) {
                Some(answer) => {
                    ui.label(t!("details-participant-answer", person = person, answer = answer_text(*answer)))
                }
                None => ui.label(person),
            };
        }
    }
    if !item.description.trim().is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("details-description"));
        egui::ScrollArea::vertical().id_salt("details-description").max_height(240.0).show(ui, |ui| {
            ui.add(egui::Label::new(item.description.trim()).selectable(true).wrap());
        });
    }
    open
}

/// "Monday 23 November 2026, 09:00–09:15 (UTC+01:00)": the reader's day, times and zone; the days alone for an
/// all-day entry or an event over days, as the Agenda's rows give them.
fn when(item: &AgendaItem) -> String {
    let long = item.end.signed_duration_since(item.start) >= chrono::Duration::hours(20);
    if item.kind == ItemKind::AllDay || long {
        // An all-day entry ends at the next midnight: its last day is the one before.
        let last = if item.kind == ItemKind::AllDay {
            launcher_core::timefmt::earlier(item.end, chrono::Duration::seconds(1))
        } else {
            item.end
        };
        let (first, last) = (local_day(item.start), local_day(last.max(item.start)));
        return if first == last {
            t!("details-when-day", day = first)
        } else {
            t!("details-when-days", first = first, last = last)
        };
    }
    t!(
        "details-when",
        day = local_day(item.start),
        start = local_time(item.start),
        end = local_time(item.end),
        zone = local_zone(item.start)
    )
}

/// What "Copy invitation" puts on the clipboard: the title, when (in the reader's zone, said so), and the way in.
pub fn invitation(item: &AgendaItem) -> String {
    let mut text = format!("{}\n{}", item.title, when(item));
    if let Some(link) = &item.link {
        text.push('\n');
        text.push_str(&t!("details-invitation-join", link = link));
    }
    text
}

fn answer_text(answer: Answer) -> String {
    match answer {
        Answer::Accepted => t!("details-answer-accepted"),
        Answer::Tentative => t!("details-answer-tentative"),
        Answer::Declined => t!("details-answer-declined"),
        Answer::Pending => t!("details-answer-pending"),
    }
}
