//! join.me Business presenters: who is invited and who has a seat; invite by e-mail; remove with confirmation.
//! Other accounts get a plain "needs a Business plan" page.

use super::widgets::{labelled_text, named_button};
use crate::model::AppState;
use launcher_core::t;
use launcher_engine::backend::{Command, PresentersView as View};
use launcher_engine::providers::Provider;

#[derive(Default)]
pub struct PresentersView {
    pub account: Option<String>,
    pub email: String,
    /// The presenter whose removal waits for confirmation.
    pub confirm_remove: Option<u64>,
    /// The account whose list was asked for and has not arrived: asked once, not on every frame.
    requested: Option<String>,
}

impl PresentersView {
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
        ui.heading(t!("accounts-presenters-heading"));
        let accounts: Vec<_> = state.signed_in().filter(|a| a.record.provider == Provider::Joinme).collect();
        let Some(first) = accounts.first() else {
            ui.label(t!("accounts-presenters-sign-in"));
            return;
        };
        if self.account.as_ref().is_none_or(|k| !accounts.iter().any(|a| &a.record.key == k)) {
            self.account = Some(first.record.key.clone());
        }
        let account = self.account.clone().unwrap_or_default();
        if accounts.len() > 1 {
            egui::ComboBox::from_label(t!("accounts-presenters-account")).selected_text(&account).show_ui(ui, |ui| {
                for a in &accounts {
                    ui.selectable_value(&mut self.account, Some(a.record.key.clone()), &a.record.user);
                }
            });
        }
        if state.presenters.contains_key(&account) && self.requested.as_ref() == Some(&account) {
            self.requested = None;
        }
        match state.presenters.get(&account) {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(t!("accounts-loading"));
                    // A failed load sends no list: the user can ask again.
                    if ui.button(t!("accounts-load-again")).clicked() {
                        self.requested = None;
                    }
                });
                if self.requested.as_ref() != Some(&account) {
                    commands.push(Command::LoadPresenters { account: account.clone() });
                    self.requested = Some(account);
                }
            }
            Some(View::NeedsBusinessPlan) => {
                ui.label(t!("accounts-needs-business-plan"));
            }
            Some(View::Ready(list)) => {
                ui.horizontal(|ui| {
                    labelled_text(ui, &t!("accounts-invite-by-email"), &mut self.email, false);
                    let valid = launcher_core::email::is_valid(&self.email);
                    if ui.add_enabled(valid, egui::Button::new(t!("accounts-invite"))).clicked() {
                        commands.push(Command::InvitePresenter {
                            account: account.clone(),
                            email: std::mem::take(&mut self.email),
                        });
                    }
                });
                if !self.email.is_empty() && !launcher_core::email::is_valid(&self.email) {
                    ui.colored_label(ui.visuals().error_fg_color, t!("accounts-not-an-email"));
                }
                ui.separator();
                egui::ScrollArea::vertical().id_salt("presenters").auto_shrink([false, false]).show_rows(
                    ui,
                    24.0,
                    list.len(),
                    |ui, range| {
                        for p in &list[range] {
                            ui.horizontal(|ui| {
                                ui.label(&p.email);
                                ui.label(if p.invitation_accepted {
                                    t!("accounts-invitation-accepted")
                                } else {
                                    t!("accounts-invitation-pending")
                                });
                                ui.label(if p.seat_assigned {
                                    t!("accounts-seat-assigned")
                                } else {
                                    t!("accounts-no-seat")
                                });
                                if self.confirm_remove == Some(p.id) {
                                    if ui.button(t!("accounts-really-remove", email = &p.email)).clicked() {
                                        commands.push(Command::RemovePresenter {
                                            account: account.clone(),
                                            presenter_id: p.id,
                                        });
                                        self.confirm_remove = None;
                                    }
                                    if ui.button(t!("accounts-keep")).clicked() {
                                        self.confirm_remove = None;
                                    }
                                } else if named_button(
                                    ui,
                                    true,
                                    egui::Button::new(t!("accounts-remove")),
                                    &t!("accounts-remove-named", email = &p.email),
                                )
                                .clicked()
                                {
                                    self.confirm_remove = Some(p.id);
                                }
                            });
                        }
                    },
                );
            }
        }
    }
}
