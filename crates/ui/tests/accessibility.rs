//! Every screen read as a screen reader reads it: each control has a name, and no two buttons on one screen
//! share one ("Edit “Daily stand-up” …", not twelve "Edit"s).

use std::collections::BTreeMap;

use egui::accesskit::Role;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;
use launcher_ui::Screen;

use super::harness::start;

/// The roles a person acts on.
const INTERACTIVE: [Role; 9] = [
    Role::Button,
    Role::CheckBox,
    Role::ComboBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::Link,
    Role::RadioButton,
    Role::Slider,
    Role::SpinButton,
];

/// What is wrong on the screen now: controls without a name, and button names used more than once.
fn problems<S>(harness: &egui_kittest::Harness<'_, S>) -> Vec<String> {
    let mut found = Vec::new();
    let mut buttons: BTreeMap<String, usize> = BTreeMap::new();
    for role in INTERACTIVE {
        for node in harness.query_all(By::new().role(role)) {
            let label = node.accesskit_node().label().unwrap_or_default();
            if label.trim().is_empty() {
                found.push(format!("{role:?} without a name at {:?}", node.accesskit_node().bounding_box()));
            } else if matches!(role, Role::Button | Role::Link) {
                *buttons.entry(label).or_default() += 1;
            }
        }
    }
    found.extend(buttons.into_iter().filter(|(_, n)| *n > 1).map(|(name, n)| format!("{n} buttons named {name:?}")));
    found
}

/// Opens `screen` from the side bar (the page's own heading may share its name).
fn go(app: &mut super::harness::TestApp, screen: Screen) {
    app.harness.query_all_by_label(screen.title()).find(|n| n.accesskit_node().role() != Role::Label).unwrap().click();
    settle(app);
    assert_eq!(app.harness.state().screen, screen, "the side bar opened {screen:?}");
}

/// Steps until nothing moves (a page may show a spinner while its data loads).
fn settle(app: &mut super::harness::TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.harness.run_ok().is_none() {
        assert!(std::time::Instant::now() < deadline, "the window never settled");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn every_screen_names_each_control_and_no_two_buttons_alike() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("join.me", |a| a.state.accounts.len() == 1);
    app.harness.state().send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: launcher_test_support::services::MB_USER.into(),
        password: launcher_core::secret::Secret::new("sandbox-password"),
    });
    app.wait_until("MeetingBooster", |a| a.state.accounts.len() == 2);
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joindin });
    app.wait_until("joind.in", |a| a.state.accounts.len() == 3);
    // A calendar too: read-only meetings with Join and Copy link, a series among them.
    let base = app.sandbox.config().sandbox.base.clone();
    app.harness.state().send(Command::AddCalendar {
        name: "Work".into(),
        address: launcher_core::secret::Secret::new(format!("{base}/_sandbox/ics/work.ics")),
        allow_http: false,
        emails: Vec::new(),
    });
    app.wait_until("the calendar", |a| a.state.accounts.len() == 4);
    app.wait_until("the agenda", |a| {
        a.state.agenda.iter().any(|i| i.provider == Provider::Calendar && i.link.is_some())
    });
    let mut report = Vec::new();
    for screen in Screen::ALL {
        go(&mut app, screen);
        if screen == Screen::Presenters {
            app.wait_until("the presenters", |a| !a.state.presenters.is_empty());
        }
        settle(&mut app);
        let mut seen = problems(&app.harness);
        // The controls must be there to be judged: each screen has some.
        assert!(app.harness.query_all(By::new().role(Role::Button)).count() > 3, "{screen:?} drew its buttons");
        report.extend(seen.drain(..).map(|p| format!("{}: {p}", screen.title())));
    }
    // The meeting form, open on the Agenda.
    go(&mut app, Screen::Agenda);
    app.harness.get_by_label("New meeting").click();
    settle(&mut app);
    assert!(app.harness.state_mut().form_mut().is_some(), "the form is open");
    report.extend(problems(&app.harness).into_iter().map(|p| format!("Meeting form: {p}")));
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The check finds what it is for: a screen with two buttons of one name and a nameless field fails it.
#[test]
fn the_check_finds_twin_buttons_and_a_nameless_field() {
    let mut harness = egui_kittest::Harness::builder().with_accessibility_check(false).build_ui(|ui| {
        let _ = ui.button("Edit");
        let _ = ui.button("Edit");
        let _ = ui.button("Save");
        let mut text = String::new();
        ui.text_edit_singleline(&mut text);
    });
    harness.run_ok();
    let found = problems(&harness);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|p| p == "2 buttons named \"Edit\""), "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("TextInput without a name")), "{found:?}");
}
