//! The scheduler: one agenda across accounts, grouped by day in local time; create and edit with a date
//! picker, times, the time zone and participants, validated as you type; delete with undo; Start; changes not
//! yet confirmed, with Retry.

use chrono::{DateTime, Local, Utc};

use super::shortcuts::Shortcut;
use super::widgets::{copy_button, named_button, provider_mark};
use crate::model::AppState;
use crate::model::form::MeetingForm;
use launcher_core::agenda::Skipped;
use launcher_core::t;
use launcher_core::timefmt::{day_heading, local_day_short, local_day_time, local_time};
use launcher_engine::backend::{AgendaItem, Command, DraftState, Field, ItemKind};
use launcher_engine::providers::Provider;

const ROW_HEIGHT: f32 = 26.0;

#[derive(Default)]
pub struct SchedulerView {
    pub form: Option<MeetingForm>,
    /// What the agenda is narrowed to: words found in a meeting's title, participants or service.
    search: String,
    /// Ctrl+F was pressed: the search field takes the focus on the next frame.
    focus_search: bool,
    /// The meeting whose details are open beside the list: account and id.
    pub details: Option<(String, String)>,
}

/// The accounts a meeting can be created on: key, "service — user", service.
fn schedulable(state: &AppState) -> Vec<(String, String, Provider)> {
    state
        .signed_in()
        .filter(|a| a.record.provider.can_schedule())
        .map(|a| (a.record.key.clone(), format!("{} — {}", a.record.provider, a.record.user), a.record.provider))
        .collect()
}

/// Whether `item` has every one of `words` (lower case) in its title, participants or service, in any case.
fn matches(item: &AgendaItem, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let haystack = format!("{}\n{}\n{}", item.title, item.participants.join("\n"), item.provider.name()).to_lowercase();
    words.iter().all(|word| haystack.contains(word.as_str()))
}

/// One line of the agenda list: a day's heading, or a meeting.
enum Row {
    Day(DateTime<Utc>),
    Item(usize),
}

impl SchedulerView {
    /// Opens the new meeting form on the first account that can schedule, if there is one (Ctrl+N). A form
    /// already open is kept: what is typed in it is never thrown away by a second press.
    pub fn new_meeting(&mut self, state: &AppState) {
        if self.form.is_some() {
            return;
        }
        if let Some((account, _, _)) = schedulable(state).first() {
            self.form = Some(MeetingForm::new(account, state.now));
        }
    }

    /// Puts the cursor in the search field (Ctrl+F).
    pub fn focus_search(&mut self) {
        self.focus_search = true;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState, commands: &mut Vec<Command>) {
        if let Some(saved) = state.saved_draft.take()
            && self.form.as_ref().is_some_and(|f| f.draft_id == saved)
        {
            self.form = None;
        }
        let schedulable = schedulable(state);
        self.details_ui(ui, state, commands);
        ui.horizontal(|ui| {
            ui.heading(t!("agenda-heading"));
            let ctx = ui.ctx().clone();
            if ui
                .add_enabled(!schedulable.is_empty(), egui::Button::new(t!("agenda-new-meeting")))
                .on_hover_text(Shortcut::NewMeeting.hint(&ctx))
                .clicked()
            {
                self.new_meeting(state);
            }
            if ui.button(t!("agenda-reload")).on_hover_text(Shortcut::Reload.hint(&ctx)).clicked() {
                commands.push(Command::Reload);
            }
            if state.agenda_loading {
                ui.spinner();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let hint = t!("agenda-search-hint", shortcut = Shortcut::Search.text(&ctx));
                let search = ui
                    .add(egui::TextEdit::singleline(&mut self.search).hint_text(&hint).desired_width(220.0))
                    .on_hover_text(t!("agenda-search-tooltip"));
                // No caption on screen: the name a screen reader (and a test) finds it by.
                search.widget_info(|| {
                    let mut info = egui::WidgetInfo::text_edit(true, &self.search, &self.search, &hint);
                    info.label = Some(t!("agenda-search-name"));
                    info
                });
                if std::mem::take(&mut self.focus_search) {
                    search.request_focus();
                }
            });
        });
        if schedulable.is_empty() && state.accounts.is_empty() {
            ui.label(t!("agenda-sign-in-first"));
        }
        let mut schedule = false;
        super::next_up::ui(ui, state, commands, &mut schedule);
        if schedule {
            self.new_meeting(state);
        }
        // Meetings kept through an outage say how old they are and why.
        for (account, freshness) in state.stale() {
            let since =
                freshness.updated.map(launcher_core::timefmt::local_time).unwrap_or_else(|| t!("agenda-never-updated"));
            let why = freshness.problem.as_deref().unwrap_or_default();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                t!(
                    "agenda-stale",
                    service = account.record.provider.to_string(),
                    user = &account.record.user,
                    since = since,
                    why = why
                ),
            );
        }

        for pending in &state.pending_deletes {
            ui.horizontal(|ui| {
                ui.label(t!("agenda-deleting", title = &pending.title));
                if ui.button(t!("agenda-undo")).clicked() {
                    commands.push(Command::UndoDelete {
                        account: pending.account.clone(),
                        meeting_id: pending.meeting_id.clone(),
                    });
                }
            });
            let left = (pending.until - state.now).to_std().unwrap_or_default();
            ui.ctx().request_repaint_after(left.min(std::time::Duration::from_secs(1)));
        }

        if !state.drafts.is_empty() {
            ui.separator();
            ui.strong(t!("agenda-not-sent"));
            for draft in &state.drafts {
                ui.horizontal_wrapped(|ui| {
                    ui.label(&draft.title);
                    match &draft.state {
                        DraftState::Sending => {
                            ui.spinner();
                            ui.label(t!("agenda-sending"));
                        }
                        DraftState::Failed { message } => {
                            ui.colored_label(ui.visuals().error_fg_color, message);
                            if ui.button(t!("agenda-retry")).clicked() {
                                commands.push(Command::RetryDraft { draft_id: draft.id.clone() });
                            }
                            if ui.button(t!("agenda-edit")).clicked() {
                                self.form = Some(MeetingForm::from_draft(draft));
                            }
                            if ui.button(t!("agenda-discard")).clicked() {
                                commands.push(Command::DiscardDraft { draft_id: draft.id.clone() });
                            }
                        }
                    }
                });
            }
        }

        if let Some(form) = &mut self.form {
            ui.separator();
            let mut close = false;
            form_ui(ui, form, &schedulable, state, commands, &mut close);
            if close {
                self.form = None;
            }
        }
        ui.separator();
        self.agenda_ui(ui, state, commands);
    }

    /// The open meeting's details, at the Agenda's right; closed when the meeting is gone (deleted, moved to
    /// another service's list, or the demo's).
    fn details_ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        let Some((account, id)) = &self.details else { return };
        let hidden = state.pending_deletes.iter().any(|p| p.account == *account && p.meeting_id == *id);
        let Some(item) = state.agenda.iter().find(|i| i.account == *account && i.id == *id).filter(|_| !hidden) else {
            self.details = None;
            return;
        };
        let mut open = true;
        egui::Panel::right("details").resizable(true).default_size(320.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("details").show(ui, |ui| {
                open = super::details::ui(ui, item, state.now, commands, &mut self.form);
            });
        });
        if !open {
            self.details = None;
        }
    }

    fn agenda_ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        let hidden: Vec<(&String, &String)> =
            state.pending_deletes.iter().map(|p| (&p.account, &p.meeting_id)).collect();
        let mut rows = Vec::with_capacity(state.agenda.len() + 16);
        // Cheap per item (the list can hold thousands): only visible headings are formatted.
        let offset = *state.now.with_timezone(&Local).offset();
        let mut last_day = None;
        let query = self.search.trim();
        let words: Vec<String> = query.to_lowercase().split_whitespace().map(str::to_string).collect();
        for (index, item) in state.agenda.iter().enumerate() {
            if hidden.contains(&(&item.account, &item.id)) || !matches(item, &words) {
                continue;
            }
            let day = (item.start + offset).date_naive();
            if last_day != Some(day) {
                rows.push(Row::Day(item.start));
                last_day = Some(day);
            }
            rows.push(Row::Item(index));
        }
        if rows.is_empty() {
            if query.is_empty() {
                ui.label(t!("agenda-nothing-scheduled"));
            } else {
                ui.label(t!("agenda-no-match", query = query));
            }
            return;
        }
        // Only the visible rows are drawn: thousands of meetings scroll as fast as ten. Sideways too: a row wider
        // than the window (at 200 %, say) keeps its buttons in reach.
        egui::ScrollArea::both().id_salt("agenda").auto_shrink([false, false]).show_rows(
            ui,
            ROW_HEIGHT,
            rows.len(),
            |ui, range| {
                for row in &rows[range] {
                    match row {
                        Row::Day(first) => {
                            ui.allocate_ui_with_layout(
                                egui::vec2(ui.available_width(), ROW_HEIGHT),
                                egui::Layout::left_to_right(egui::Align::Center),
                                |ui| ui.label(egui::RichText::new(day_heading(*first, state.now)).strong()),
                            );
                        }
                        Row::Item(index) => {
                            let item = &state.agenda[*index];
                            ui.allocate_ui(egui::vec2(ui.available_width(), ROW_HEIGHT), |ui| {
                                ui.horizontal_centered(|ui| {
                                    item_ui(ui, item, commands, &mut self.form, &mut self.details)
                                });
                            });
                        }
                    }
                }
            },
        );
    }
}

fn item_ui(
    ui: &mut egui::Ui,
    item: &AgendaItem,
    commands: &mut Vec<Command>,
    form: &mut Option<MeetingForm>,
    details: &mut Option<(String, String)>,
) {
    // Which meeting each button acts on, for screen readers: a series repeats its title, so the day and time too.
    let title = &item.title;
    let when = local_day_time(item.start);
    if item.kind == ItemKind::AllDay {
        // As wide as a time span ("09:00–10:00"), so the titles line up.
        ui.monospace(format!("{:<11}", t!("agenda-all-day")));
    } else if item.end - item.start >= chrono::Duration::hours(20) {
        // A conference over days: its span, not a time of day.
        ui.monospace(t!("agenda-until", date = local_day_short(item.end)));
    } else {
        ui.monospace(format!("{}–{}", local_time(item.start), local_time(item.end)));
    }
    provider_mark(ui, item.provider);
    match item.skipped {
        // Still listed, so nobody wonders where it went; never offered to join.
        Some(why) => {
            ui.label(egui::RichText::new(&item.title).strikethrough());
            let why = match why {
                Skipped::Cancelled => t!("agenda-skipped-cancelled"),
                Skipped::Declined => t!("agenda-skipped-declined"),
            };
            ui.label(egui::RichText::new(format!("({why})")).small());
        }
        None => {
            // The title opens the meeting's details (click, or Enter with the focus on it).
            let open = ui
                .add(egui::Label::new(&item.title).sense(egui::Sense::click()))
                .on_hover_text(t!("details-open-hint"))
                .on_hover_cursor(egui::CursorIcon::PointingHand);
            // A link to its details, for screen readers: what it does and for which meeting.
            open.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Link, true, t!("details-open-named", title = title, when = &when))
            });
            if open.clicked() {
                *details = Some((item.account.clone(), item.id.clone()));
            }
        }
    }
    if !item.participants.is_empty() {
        ui.label(egui::RichText::new(t!("agenda-invited", count = item.participants.len())).small())
            .on_hover_text(item.participants.join(", "));
    }
    if item.can_start
        && named_button(
            ui,
            true,
            egui::Button::new(t!("agenda-start")),
            &t!("agenda-start-named", title = title, when = &when),
        )
        .clicked()
    {
        commands.push(Command::StartMeeting {
            account: item.account.clone(),
            meeting_id: Some(item.id.clone()),
            personal_url: false,
        });
    }
    // A meeting on another service (Zoom, Teams, Meet…) found in its text: joined in the browser.
    if !item.can_start
        && item.kind == ItemKind::Meeting
        && item.skipped != Some(launcher_core::agenda::Skipped::Cancelled)
        && let Some(link) = &item.link
        && named_button(
            ui,
            true,
            egui::Button::new(t!("agenda-join")),
            &t!("agenda-join-named", title = title, when = &when),
        )
        .on_hover_text(link)
        .clicked()
    {
        commands.push(Command::OpenLink { url: link.clone() });
    }
    if item.can_edit {
        if named_button(
            ui,
            true,
            egui::Button::new(t!("agenda-edit")),
            &t!("agenda-edit-named", title = title, when = &when),
        )
        .clicked()
        {
            *form = Some(MeetingForm::edit(item));
        }
        if named_button(
            ui,
            true,
            egui::Button::new(t!("agenda-delete")),
            &t!("agenda-delete-named", title = title, when = &when),
        )
        .clicked()
        {
            commands.push(Command::DeleteMeeting { account: item.account.clone(), meeting_id: item.id.clone() });
        }
    }
    if let Some(link) = &item.link {
        copy_button(ui, &t!("agenda-copy-link"), &t!("agenda-copy-link-named", title = title, when = &when), link);
    }
    if item.kind == ItemKind::Event
        && let Some(attending) = item.attending
    {
        let mut value = attending;
        let check = ui.checkbox(&mut value, t!("agenda-attending"));
        check.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::CheckBox,
                true,
                value,
                t!("agenda-attending-named", title = title, when = &when),
            )
        });
        if check.changed() {
            commands.push(Command::SetAttending {
                account: item.account.clone(),
                event_id: item.id.clone(),
                attend: value,
            });
        }
    }
}

fn form_ui(
    ui: &mut egui::Ui,
    form: &mut MeetingForm,
    accounts: &[(String, String, Provider)],
    state: &AppState,
    commands: &mut Vec<Command>,
    close: &mut bool,
) {
    ui.strong(if form.meeting_id.is_some() { t!("agenda-edit-meeting") } else { t!("agenda-new-meeting") });
    let provider = accounts.iter().find(|(k, _, _)| *k == form.account).map(|(_, _, p)| *p).unwrap_or(Provider::Joinme);
    let draft = form.draft(provider);
    let mut problems = draft.problems();
    // Only the form's own problems block Save; the server's are shown beside them.
    let valid = problems.is_empty();
    if let Some(server) = state.draft_problems.get(&form.draft_id) {
        let new: Vec<_> = server.iter().filter(|p| !problems.contains(p)).cloned().collect();
        problems.extend(new);
    }
    let problem = |field: Field| problems.iter().find(|p| p.field == field).map(|p| p.message.clone());
    let error_color = ui.visuals().error_fg_color;

    // The units before the hours and minutes typed.
    let (hours, minutes) = (format!("{} ", t!("agenda-form-hours")), format!("{} ", t!("agenda-form-minutes")));
    egui::Grid::new("meeting-form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
        let caption = ui.label(t!("agenda-form-account"));
        ui.add_enabled_ui(form.meeting_id.is_none(), |ui| {
            let current =
                accounts.iter().find(|(k, _, _)| *k == form.account).map(|(_, n, _)| n.clone()).unwrap_or_default();
            // Named by its caption on the combo box itself, where a screen reader looks.
            egui::ComboBox::from_id_salt("account")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (key, name, _) in accounts {
                        ui.selectable_value(&mut form.account, key.clone(), name);
                    }
                })
                .response
                .labelled_by(caption.id);
        });
        ui.end_row();

        let caption = ui.label(t!("agenda-form-title"));
        ui.vertical(|ui| {
            ui.add(egui::TextEdit::singleline(&mut form.title).desired_width(280.0)).labelled_by(caption.id);
            if let Some(p) = problem(Field::Title) {
                ui.colored_label(error_color, p);
            }
        });
        ui.end_row();

        ui.label(t!("agenda-form-date"));
        ui.add(egui_extras::DatePickerButton::new(&mut form.date).id_salt("meeting-date").show_icon(false));
        ui.end_row();

        ui.label(t!("agenda-form-starts"));
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut form.start_hour).range(0..=23).prefix(&hours));
            ui.add(egui::DragValue::new(&mut form.start_minute).range(0..=59).prefix(&minutes));
        });
        ui.end_row();

        ui.label(t!("agenda-form-ends"));
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.add(egui::DragValue::new(&mut form.end_hour).range(0..=23).prefix(&hours));
                ui.add(egui::DragValue::new(&mut form.end_minute).range(0..=59).prefix(&minutes));
            });
            if let Some(p) = problem(Field::End) {
                ui.colored_label(error_color, p);
            }
        });
        ui.end_row();

        ui.label(t!("agenda-form-time-zone"));
        ui.label(t!("agenda-form-local-time", offset = state.now.with_timezone(&Local).format("%:z").to_string()));
        ui.end_row();

        let caption = ui.label(t!("agenda-form-participants"));
        ui.vertical(|ui| {
            ui.add(
                egui::TextEdit::multiline(&mut form.participants)
                    .desired_rows(2)
                    .desired_width(280.0)
                    .hint_text(t!("agenda-form-participants-hint")),
            )
            .labelled_by(caption.id);
            if let Some(p) = problem(Field::Participants) {
                ui.colored_label(error_color, p);
            }
        });
        ui.end_row();
    });
    ui.horizontal(|ui| {
        if ui.add_enabled(valid, egui::Button::new(t!("agenda-save"))).clicked() {
            commands.push(Command::SaveMeeting { draft });
        }
        if ui.button(t!("agenda-cancel")).clicked() {
            *close = true;
        }
    });
}
