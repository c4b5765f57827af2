//! Small pieces the screens share.

use launcher_engine::providers::Provider;

/// A caption and a text field tied together, so screen readers (and tests) find the field by its caption.
pub fn labelled_text(ui: &mut egui::Ui, label: &str, text: &mut String, password: bool) -> egui::Response {
    let response = ui
        .horizontal(|ui| {
            let caption = ui.label(label);
            ui.add(egui::TextEdit::singleline(text).password(password).desired_width(260.0)).labelled_by(caption.id)
        })
        .inner;
    // egui keeps a field's earlier texts for Ctrl+Z: a secret field keeps none, so an emptied field cannot bring
    // a sent password or secret back (undo is of no use in a masked field anyway).
    if password && let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), response.id) {
        state.clear_undoer();
        egui::TextEdit::store_state(ui.ctx(), response.id, state);
    }
    response
}

/// A button whose visible word is short ("Sign out") with the accessible name that says what and which ("Sign out
/// of join.me (alex@example.com)"): twenty buttons a screen reader reads as "Sign out" are of no use.
pub fn named_button(ui: &mut egui::Ui, enabled: bool, button: egui::Button<'_>, name: &str) -> egui::Response {
    let response = ui.add_enabled(enabled, button);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
}

/// A button that copies `text` to the clipboard; `name` says what it copies ("Copy the join.me callback URL").
pub fn copy_button(ui: &mut egui::Ui, label: &str, name: &str, text: &str) {
    if named_button(ui, true, egui::Button::new(label), name).on_hover_text(text).clicked() {
        ui.ctx().copy_text(text.to_string());
    }
}

pub fn provider_color(provider: Provider) -> egui::Color32 {
    match provider {
        Provider::Joinme => egui::Color32::from_rgb(244, 134, 31),
        Provider::Meetingbooster => egui::Color32::from_rgb(46, 125, 196),
        Provider::Joindin => egui::Color32::from_rgb(120, 80, 190),
        Provider::Calendar => egui::Color32::from_rgb(0, 137, 123),
    }
}

pub fn provider_tag(ui: &mut egui::Ui, provider: Provider) {
    ui.label(egui::RichText::new(provider.name()).small().strong().color(provider_color(provider)));
}
