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

/// The service's name in the user's language (a calendar is "Calendar", „Kalender“; the services' own names are
/// names).
pub fn service_name(provider: Provider) -> String {
    match provider {
        Provider::Calendar => launcher_core::t!("service-calendar"),
        other => other.name().to_string(),
    }
}

/// The service's mark and its name (the accounts list, where the name is news).
pub fn provider_tag(ui: &mut egui::Ui, provider: Provider) {
    provider_mark(ui, provider);
    ui.label(egui::RichText::new(service_name(provider)).small().strong().color(provider_color(provider)));
}

/// The service's mark (`assets/marks/`), named for screen readers and on hover; its name in its colour should the
/// mark not decode.
pub fn provider_mark(ui: &mut egui::Ui, provider: Provider) {
    match mark(ui.ctx(), provider) {
        Some(texture) => {
            let name = service_name(provider);
            let image = egui::Image::new(&texture).fit_to_exact_size(egui::vec2(16.0, 16.0)).alt_text(&name);
            ui.add(image).on_hover_text(name);
        }
        None => {
            ui.label(egui::RichText::new(service_name(provider)).small().strong().color(provider_color(provider)));
        }
    }
}

/// The marks as drawn by `assets/marks/draw.py`, 64 px, in the order of [`mark_index`].
const MARKS: [&[u8]; 4] = [
    include_bytes!("../../../../assets/marks/joinme.png"),
    include_bytes!("../../../../assets/marks/meetingbooster.png"),
    include_bytes!("../../../../assets/marks/joindin.png"),
    include_bytes!("../../../../assets/marks/calendar.png"),
];

fn mark_index(provider: Provider) -> usize {
    match provider {
        Provider::Joinme => 0,
        Provider::Meetingbooster => 1,
        Provider::Joindin => 2,
        Provider::Calendar => 3,
    }
}

/// The mark's texture, decoded once per window (four small PNGs) and kept in egui's memory.
fn mark(ctx: &egui::Context, provider: Provider) -> Option<egui::TextureHandle> {
    #[derive(Clone)]
    struct Marks(Vec<Option<egui::TextureHandle>>);
    let id = egui::Id::unique("service-marks");
    if let Some(marks) = ctx.data(|d| d.get_temp::<Marks>(id)) {
        return marks.0[mark_index(provider)].clone();
    }
    let marks = Marks(
        MARKS
            .iter()
            .enumerate()
            .map(|(i, png)| {
                let icon = eframe::icon_data::from_png_bytes(png).ok()?;
                let size = [icon.width as usize, icon.height as usize];
                let image = egui::ColorImage::from_rgba_unmultiplied(size, &icon.rgba);
                Some(ctx.load_texture(format!("service-mark-{i}"), image, egui::TextureOptions::LINEAR))
            })
            .collect(),
    );
    let texture = marks.0[mark_index(provider)].clone();
    ctx.data_mut(|d| d.insert_temp(id, marks));
    texture
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_mark_decodes_at_64_pixels() {
        for png in super::MARKS {
            let icon = eframe::icon_data::from_png_bytes(png).expect("a mark decodes");
            assert_eq!((icon.width, icon.height), (64, 64));
        }
    }
}
