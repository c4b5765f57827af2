//! A new user's first minutes: the demo with its welcome card and next-up card, and the way from there to their
//! own account, as they would take it.

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use launcher_engine::auth::Keychain;
use launcher_engine::providers::Provider;
use launcher_ui::Screen;

use super::harness::start_with_settings;

/// MeetingBooster signs in with a password: no browser opens in these tests.
struct NoBrowser;

impl launcher_engine::auth::BrowserOpener for NoBrowser {
    fn open(&self, _url: &url::Url) -> Result<(), String> {
        Err("no browser in this test".into())
    }
}

#[test]
fn a_new_user_sees_the_demo_welcome_and_connects_meetingbooster_from_it() {
    let dir = std::env::temp_dir().join(format!("ml-welcome-{}", rand::random::<u64>()));
    let browser = std::sync::Arc::new(NoBrowser);
    // Nothing configured: the app runs its demo.
    let mut app = start_with_settings(&dir, "", Keychain::memory("welcome test"), browser);
    app.wait_until("the demo", |a| a.state.demo.is_some());
    app.wait_until("the demo's agenda", |a| !a.state.agenda.is_empty());
    app.harness.run();
    // The welcome card, the next-up card with its countdown, and the top bar's way out of the demo.
    app.harness.get_by_label("Welcome to Meeting Launcher");
    assert!(
        app.harness.query_by_label("Next up").is_some() || app.harness.query_by_label("Now").is_some(),
        "the next-up card is on the Agenda"
    );
    app.harness.get_by_role_and_label(egui::accesskit::Role::Button, "Connect your account");
    let demo_meetings = app.harness.state().state.agenda.len();

    // "Connect MeetingBooster" on the card opens its page; Connect stays off until there is an address.
    app.harness.get_by_label("Connect MeetingBooster").click();
    app.harness.run();
    assert_eq!(app.harness.state().screen, Screen::Connect);
    assert!(app.harness.query_by_label("Welcome to Meeting Launcher").is_none());
    let connect = || egui::accesskit::Role::Button;
    let button = app.harness.get_by_role_and_label(connect(), "Connect MeetingBooster");
    assert!(button.accesskit_node().is_disabled(), "no address yet: nothing to connect");
    let server = app.sandbox.config().meetingbooster.server.clone();
    app.harness.get_by_label("MeetingBooster server address").click();
    app.harness.run();
    app.harness.get_by_label("MeetingBooster server address").type_text(&server);
    // Checked once typing pauses: the sandbox's MeetingBooster answers.
    app.wait_until("the address checked", |a| a.settings_checked().is_some_and(|(_, r)| r.is_ok()));
    app.harness.run();
    app.harness.get_by_label_contains("A MeetingBooster server answers at");
    app.harness.get_by_role_and_label(connect(), "Connect MeetingBooster").click();

    // Saved to the settings file, the demo ends, and its meetings go with it; the page leads on to signing in.
    app.wait_until("the demo to end", |a| a.state.demo.is_none());
    app.harness.run();
    let saved = std::fs::read_to_string(dir.join("settings.toml")).unwrap();
    assert!(saved.contains(&format!("server = \"{server}\"")), "the settings file has the server: {saved}");
    assert!(app.harness.state().state.agenda.len() < demo_meetings || demo_meetings == 0);
    assert!(app.harness.state().state.agenda.iter().all(|m| m.provider != Provider::Joinme), "no demo meeting stays");
    let way_out = app.harness.query_by_role_and_label(egui::accesskit::Role::Button, "Connect your account");
    assert!(way_out.is_none(), "out of the demo, no way out of it to offer");
    app.harness.get_by_label_contains("MeetingBooster is set up");
    app.harness.get_by_label("Sign in to MeetingBooster").click();
    app.harness.run();
    assert_eq!(app.harness.state().screen, Screen::Accounts);

    // Accounts opens on MeetingBooster's form: the user's own server, their own password.
    let (user, password) = {
        let mb = &app.sandbox.config().meetingbooster;
        (mb.username.clone(), mb.password.clone())
    };
    app.harness.get_by_label("E-mail").click();
    app.harness.run();
    app.harness.get_by_label("E-mail").type_text(&user);
    app.harness.get_by_label("Password").click();
    app.harness.run();
    app.harness.get_by_label("Password").type_text(&password);
    app.harness.run();
    app.harness.get_by_label("Sign in").click();
    app.wait_until("the sign-in", |a| a.state.accounts.iter().any(|s| s.record.provider == Provider::Meetingbooster));
    // The welcome card does not come back.
    app.harness.get_by_label(&Screen::Agenda.title()).click();
    app.harness.run();
    assert!(app.harness.query_by_label("Welcome to Meeting Launcher").is_none());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn explore_the_demo_puts_the_welcome_card_away_and_keeps_the_way_out() {
    let dir = std::env::temp_dir().join(format!("ml-welcome-{}", rand::random::<u64>()));
    let browser = std::sync::Arc::new(NoBrowser);
    let mut app = start_with_settings(&dir, "", Keychain::memory("welcome test"), browser);
    app.wait_until("the demo", |a| a.state.demo.is_some());
    app.harness.run();
    app.harness.get_by_label("Explore the demo").click();
    app.harness.run();
    assert!(app.harness.query_by_label("Welcome to Meeting Launcher").is_none());
    // The top bar's button still leads to the page, from any screen.
    app.harness.get_by_label(&Screen::Settings.title()).click();
    app.harness.run();
    app.harness.get_by_role_and_label(egui::accesskit::Role::Button, "Connect your account").click();
    app.harness.run();
    assert_eq!(app.harness.state().screen, Screen::Connect);
    app.harness.get_by_label("Back to the demo").click();
    app.harness.run();
    assert_eq!(app.harness.state().screen, Screen::Agenda);
    let _ = std::fs::remove_dir_all(dir);
}

/// The demo's welcome card and each service's Connect page name every control, with no two buttons alike (the
/// check `accessibility` runs on the other screens).
#[test]
fn the_welcome_card_and_every_connect_page_name_each_control() {
    let dir = std::env::temp_dir().join(format!("ml-welcome-{}", rand::random::<u64>()));
    let mut app = start_with_settings(&dir, "", Keychain::memory("welcome test"), std::sync::Arc::new(NoBrowser));
    app.wait_until("the demo", |a| a.state.demo.is_some());
    app.wait_until("the demo's agenda", |a| !a.state.agenda.is_empty());
    app.harness.run();
    app.harness.get_by_label("Welcome to Meeting Launcher");
    let mut report: Vec<String> =
        super::accessibility::problems(&app.harness).into_iter().map(|p| format!("Welcome: {p}")).collect();
    app.harness.get_by_label("Connect join.me").click();
    app.harness.run();
    for service in ["join.me", "MeetingBooster", "joind.in"] {
        app.harness.get_by_role_and_label(egui::accesskit::Role::Button, service).click();
        app.harness.run();
        app.harness.get_by_role_and_label(egui::accesskit::Role::Button, &format!("Connect {service}"));
        report.extend(
            super::accessibility::problems(&app.harness).into_iter().map(|p| format!("Connect {service}: {p}")),
        );
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    let _ = std::fs::remove_dir_all(dir);
}
