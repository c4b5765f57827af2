//! The window in the user's language: German on a German system (`LANG=de_DE.UTF-8`, read as the app reads it),
//! and the language chosen in Settings over the system's.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use launcher_core::i18n::{self, Language, Locale};
use launcher_engine::backend::{Command, Event};
use launcher_engine::providers::Provider;
use launcher_engine::settings::{Paths, Settings};
use launcher_ui::Screen;

use super::harness::start;

#[test]
fn on_a_german_system_the_side_bar_buttons_headings_and_dates_are_german() {
    // This test's thread speaks German; the others in the process keep English.
    let _german = i18n::for_this_thread(Locale::from_system("de_DE.UTF-8"));
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    app.harness.state_mut().state.banners.clear();
    app.harness.run();
    for label in ["Termine", "Konten", "Moderatoren", "Einstellungen", "Hilfe", "Meeting jetzt starten"] {
        app.harness.get_by_role_and_label(Role::Button, label);
    }
    // The sandbox's clock says Monday 23 November 2026, 08:00 UTC: tomorrow is Tuesday, written the German way.
    app.harness.get_by_label("Morgen, Dienstag, 24. November 2026");
    assert!(app.harness.query_by_label("Agenda").is_none() && app.harness.query_by_label("Settings").is_none());
    assert!(app.harness.query_by_label("Start meeting now").is_none());
    app.harness.snapshot("agenda-de");
    app.harness.get_by_role_and_label(Role::Button, "Einstellungen").click();
    app.harness.run();
    app.harness.get_by_label("Einstellungen speichern");
    app.harness.snapshot("settings-de");
}

#[test]
fn the_language_chosen_in_settings_wins_over_the_systems_and_is_saved() {
    let _german = i18n::for_this_thread(Locale::from_system("de_DE.UTF-8"));
    let root = std::env::temp_dir().join(format!("ml-language-{}", rand::random::<u64>()));
    let paths = Paths::under(root.join("home"));
    let mut app = super::harness::start_with_policies(root.clone());
    app.harness.state_mut().apply(Event::Settings { paths: Some(paths.clone()), settings: Settings::default() });
    app.harness.run();
    // No choice: the system's German.
    app.harness.get_by_role_and_label(Role::Button, "Einstellungen").click();
    app.harness.run();
    app.harness.get_by_label("Sprache").click();
    app.harness.run();
    app.harness.get_by_label("English").click();
    app.harness.run();
    app.harness.get_by_label("Einstellungen speichern").scroll_to_me();
    app.harness.run_steps(3);
    app.harness.get_by_label("Einstellungen speichern").click();
    app.wait_until("the saved settings", |a| a.settings_message().is_some());
    app.harness.run();
    let saved = std::fs::read_to_string(&paths.settings_file).unwrap();
    assert!(saved.contains("language = \"en\""), "{saved}");
    // In force at once: the side bar and the page are English now.
    assert_eq!(i18n::current().language, Language::English);
    app.harness.get_by_role_and_label(Role::Button, &Screen::Agenda.title());
    app.harness.get_by_label("Save settings");
    assert!(app.harness.query_by_role_and_label(Role::Button, "Termine").is_none());
    // The settings read back at the next start say the same.
    let settings = Settings::load(&paths.settings_file).unwrap();
    assert_eq!(settings.general.language, Some(Language::English));
    app.harness.state_mut().apply(Event::Settings { paths: Some(paths), settings });
    app.harness.run();
    app.harness.get_by_role_and_label(Role::Button, "Agenda");
    let _ = std::fs::remove_dir_all(root);
}

/// Every character of every message, in both languages, is one the window's fonts can draw (egui refuses to draw
/// a glyph it lacks). The control: a character they lack is found.
#[test]
fn the_windows_fonts_draw_every_character_of_every_message() {
    let ctx = egui::Context::default();
    // One pass sets the fonts up; its textures go nowhere.
    let mut output = ctx.run_ui(Default::default(), |_| {});
    output.textures_delta.clear();
    let font = egui::FontId::proportional(14.0);
    let missing = |text: &str| -> Vec<char> {
        let mut chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
        chars.sort_unstable();
        chars.dedup();
        chars.into_iter().filter(|c| !ctx.fonts_mut(|f| f.has_glyph(&font, *c))).collect()
    };
    for language in Language::ALL {
        let lacking = missing(i18n::source(language));
        assert!(lacking.is_empty(), "{language:?}: the fonts cannot draw {lacking:?}");
    }
    assert_eq!(missing("ok ✔"), ['✔']);
}
