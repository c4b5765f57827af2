//! The Help page: the version, the keyboard shortcuts, the log folder (open it, copy its path), the `doctor` checks with their fixes, and
//! "Copy diagnostics" for a bug report. The backend runs the checks and reads the log (`RunDiagnostics`) each
//! time the page is opened; this only draws its report.

use launcher_core::diagnostics::{Level, Report, VERSION, os};
use launcher_core::t;
use launcher_engine::backend::Command;

use super::widgets;
use crate::model::AppState;

#[derive(Default)]
pub struct HelpView {
    /// Asked for a report on this visit.
    asked: bool,
    /// Asked, and no report back yet.
    checking: bool,
}

impl HelpView {
    /// A report arrived.
    pub fn loaded(&mut self) {
        self.checking = false;
    }

    /// The user is on another page: the next visit checks again.
    pub fn left(&mut self) {
        self.asked = false;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        if !self.asked {
            self.asked = true;
            self.checking = true;
            commands.push(Command::RunDiagnostics);
        }
        ui.heading(t!("help-heading"));
        ui.label(format!("Meeting Launcher {VERSION}"));
        ui.label(t!("help-running-on", os = os()));
        ui.add_space(8.0);
        ui.strong(t!("help-shortcuts"));
        super::shortcuts::list_ui(ui);
        ui.add_space(8.0);

        let report = state.diagnostics.as_ref().filter(|_| !self.checking);
        let Some(report) = report else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("help-checking"));
            });
            return;
        };
        log_folder(ui, report, commands);
        ui.add_space(8.0);
        ui.strong(t!("help-checks-heading"));
        ui.label(t!("help-checks-intro"));
        if report.checks.is_empty() {
            ui.label(t!("help-no-checks"));
        }
        for check in &report.checks {
            let (tag, color) = match check.level {
                Level::Ok => (t!("help-check-ok"), egui::Color32::from_rgb(34, 139, 34)),
                Level::Warn => (t!("help-check-warn"), egui::Color32::from_rgb(204, 133, 0)),
                Level::Fail => (t!("help-check-fail"), ui.visuals().error_fg_color),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(tag).strong().color(color));
                ui.label(format!("{}: {}", check.name, check.found));
            });
            if let Some(fix) = &check.fix {
                ui.indent(("fix", &check.name, &check.found), |ui| ui.label(t!("help-fix", fix = fix)));
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(t!("help-copy-diagnostics")).on_hover_text(t!("help-copy-diagnostics-hint")).clicked() {
                ui.ctx().copy_text(report.to_text());
            }
            if ui.button(t!("help-check-again")).clicked() {
                self.checking = true;
                commands.push(Command::RunDiagnostics);
            }
        });
    }
}

fn log_folder(ui: &mut egui::Ui, report: &Report, commands: &mut Vec<Command>) {
    let Some(dir) = &report.log_dir else {
        ui.label(t!("help-no-log-folder"));
        return;
    };
    let path = dir.display().to_string();
    ui.label(t!("help-log-folder", path = &path));
    ui.horizontal(|ui| {
        if ui.button(t!("help-open-log-folder")).clicked() {
            commands.push(Command::OpenFolder(dir.clone()));
        }
        let copy = t!("help-copy-log-folder-path");
        widgets::copy_button(ui, &copy, &copy, &path);
    });
}
