//! The window's keyboard shortcuts: one table, read each frame by the app, listed on the Help page and named in
//! the tooltips of the buttons they stand for. Ctrl is Cmd on macOS (egui's `COMMAND`).

use egui::{Key, KeyboardShortcut, Modifiers};
use launcher_core::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    NewMeeting,
    JoinNext,
    Search,
    Reload,
    Settings,
    /// Closes the open form (only while one is open: Esc also closes menus and leaves text fields).
    CloseForm,
}

impl Shortcut {
    pub const ALL: [Shortcut; 6] = [
        Shortcut::NewMeeting,
        Shortcut::JoinNext,
        Shortcut::Search,
        Shortcut::Reload,
        Shortcut::Settings,
        Shortcut::CloseForm,
    ];

    pub fn keys(self) -> KeyboardShortcut {
        match self {
            Shortcut::NewMeeting => KeyboardShortcut::new(Modifiers::COMMAND, Key::N),
            Shortcut::JoinNext => KeyboardShortcut::new(Modifiers::COMMAND, Key::J),
            Shortcut::Search => KeyboardShortcut::new(Modifiers::COMMAND, Key::F),
            Shortcut::Reload => KeyboardShortcut::new(Modifiers::COMMAND, Key::R),
            Shortcut::Settings => KeyboardShortcut::new(Modifiers::COMMAND, Key::Comma),
            Shortcut::CloseForm => KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
        }
    }

    pub fn what(self) -> String {
        match self {
            Shortcut::NewMeeting => t!("window-shortcut-new-meeting"),
            Shortcut::JoinNext => t!("window-shortcut-join-next"),
            Shortcut::Search => t!("window-shortcut-search"),
            Shortcut::Reload => t!("window-shortcut-reload"),
            Shortcut::Settings => t!("window-shortcut-settings"),
            Shortcut::CloseForm => t!("window-shortcut-close-form"),
        }
    }

    /// The keys as this platform writes them: "Ctrl+N", "⌘N".
    pub fn text(self, ctx: &egui::Context) -> String {
        ctx.format_shortcut(&self.keys())
    }

    /// A tooltip naming the shortcut: "New meeting (Ctrl+N)".
    pub fn hint(self, ctx: &egui::Context) -> String {
        format!("{} ({})", self.what(), self.text(ctx))
    }
}

/// Whether Esc belongs to something nearer than the form: a text field (Esc leaves it) or an open menu or date
/// picker (Esc closes it). Read at the end of a frame for the next one: by the time the next frame begins, egui
/// has already let go of the focus that Esc ends.
pub fn esc_is_taken(ctx: &egui::Context) -> bool {
    ctx.text_edit_focused() || egui::Popup::is_any_open(ctx)
}

/// The shortcuts pressed this frame, taken from the input so no widget also acts on them. A key held down acts
/// once: its repeats are taken and ignored (a held Ctrl+J must not start a meeting per repeat). Esc closes the form
/// only when `form_open` and [`esc_is_taken`] said no at the end of the last frame (`esc_taken`).
pub fn pressed(ctx: &egui::Context, form_open: bool, esc_taken: bool) -> Vec<Shortcut> {
    let esc_is_ours = form_open && !esc_taken;
    ctx.input_mut(|input| {
        Shortcut::ALL
            .into_iter()
            .filter(|s| *s != Shortcut::CloseForm || esc_is_ours)
            .filter(|s| {
                let keys = s.keys();
                let fresh = input.events.iter().any(|e| {
                    matches!(e, egui::Event::Key { key, pressed: true, repeat: false, modifiers, .. }
                        if *key == keys.logical_key && modifiers.matches_logically(keys.modifiers))
                });
                input.consume_shortcut(&keys) && fresh
            })
            .collect()
    })
}

/// The Help page's list.
pub fn list_ui(ui: &mut egui::Ui) {
    egui::Grid::new("shortcuts").num_columns(2).spacing([16.0, 4.0]).show(ui, |ui| {
        for shortcut in Shortcut::ALL {
            ui.monospace(shortcut.text(ui.ctx()));
            ui.label(shortcut.what());
            ui.end_row();
        }
    });
}
