//! Small pieces the screens share.

use chrono::{DateTime, Utc};

use crate::providers::Provider;

/// A caption and a text field tied together, so screen readers (and tests) find the field by its caption.
pub fn labelled_text(ui: &mut egui::Ui, label: &str, text: &mut String, password: bool) -> egui::Response {
    ui.horizontal(|ui| {
        let caption = ui.label(label);
        ui.add(egui::TextEdit::singleline(text).password(password).desired_width(260.0)).labelled_by(caption.id)
    })
    .inner
}

/// A button that copies `text` to the clipboard.
pub fn copy_button(ui: &mut egui::Ui, label: &str, text: &str) {
    if ui.button(label).on_hover_text(text).clicked() {
        ui.ctx().copy_text(text.to_string());
    }
}

pub fn provider_color(provider: Provider) -> egui::Color32 {
    match provider {
        Provider::Joinme => egui::Color32::from_rgb(244, 134, 31),
        Provider::Meetingbooster => egui::Color32::from_rgb(46, 125, 196),
        Provider::Joindin => egui::Color32::from_rgb(120, 80, 190),
    }
}

pub fn provider_tag(ui: &mut egui::Ui, provider: Provider) {
    ui.label(egui::RichText::new(provider.name()).small().strong().color(provider_color(provider)));
}

/// "in 3 h 12 min", "in 42 s", "expired".
pub fn countdown(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = until - now;
    if left <= chrono::Duration::zero() {
        return "expired".into();
    }
    let (h, m, s) = (left.num_hours(), left.num_minutes() % 60, left.num_seconds() % 60);
    if h > 0 {
        format!("in {h} h {m} min")
    } else if m > 0 {
        format!("in {m} min {s} s")
    } else {
        format!("in {s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_read_naturally() {
        let now = Utc::now();
        assert_eq!(countdown(now - chrono::Duration::seconds(1), now), "expired");
        assert_eq!(countdown(now + chrono::Duration::seconds(42), now), "in 42 s");
        assert_eq!(countdown(now + chrono::Duration::seconds(3 * 3600 + 12 * 60), now), "in 3 h 12 min");
    }
}
