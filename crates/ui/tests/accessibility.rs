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
pub(super) fn problems<S>(harness: &egui_kittest::Harness<'_, S>) -> Vec<String> {
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
    app.harness.query_all_by_label(&screen.title()).find(|n| n.accesskit_node().role() != Role::Label).unwrap().click();
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
    // A meeting's details beside the list (a MeetingBooster one: participants, answers, a link), with the form.
    let title = "Vendor selection: CRM";
    // The row's title, a link to its details, brought into view.
    let link = format!("Show the details of “{title}”");
    app.harness.get_by_label_contains(&link).scroll_to_me();
    settle(&mut app);
    app.harness.get_by_label_contains(&link).click();
    settle(&mut app);
    app.harness.get_by_label(&format!("Close the details of “{title}”"));
    report.extend(problems(&app.harness).into_iter().map(|p| format!("Details: {p}")));
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

/// The enabled controls a person can reach now: their role and name.
fn reachable<S>(harness: &egui_kittest::Harness<'_, S>) -> std::collections::BTreeSet<(String, String)> {
    let mut found = std::collections::BTreeSet::new();
    for role in INTERACTIVE {
        for node in harness.query_all(By::new().role(role)) {
            let node = node.accesskit_node();
            if !node.is_disabled() {
                found.insert((format!("{role:?}"), node.label().unwrap_or_default()));
            }
        }
    }
    found
}

/// The control that has the keyboard focus, by role and name.
fn focused<S>(harness: &egui_kittest::Harness<'_, S>) -> Option<(String, String)> {
    let node = harness.query_all(By::new().predicate(|n| n.is_focused())).next()?;
    let node = node.accesskit_node();
    Some((format!("{:?}", node.role()), node.label().unwrap_or_default()))
}

/// Presses Tab until `wanted` has the focus (at most `limit` times); returns every control the focus passed.
fn tab_until<S>(
    harness: &mut egui_kittest::Harness<'_, S>,
    limit: usize,
    wanted: impl Fn(&(String, String)) -> bool,
) -> (bool, std::collections::BTreeSet<(String, String)>) {
    let mut passed = std::collections::BTreeSet::new();
    for _ in 0..limit {
        harness.key_press(egui::Key::Tab);
        harness.run_steps(2);
        if let Some(now) = focused(harness) {
            let hit = wanted(&now);
            passed.insert(now);
            if hit {
                return (true, passed);
            }
        }
    }
    (false, passed)
}

/// Every enabled control in view that a round of Tab presses never reached.
fn missed_by_tab<S>(harness: &mut egui_kittest::Harness<'_, S>) -> Vec<(String, String)> {
    let all = reachable(harness);
    let (_, passed) = tab_until(harness, all.len() * 2 + 10, |_| false);
    all.difference(&passed).cloned().collect()
}

/// Issue 15: every screen from the keyboard alone. From the Agenda, Tab reaches each screen's entry in the side
/// bar and Enter opens it; on each screen Tab then passes every enabled control in view (focus moves on, nothing
/// traps it); on the Agenda, Enter on "New meeting" opens the form and Escape closes it.
#[test]
fn every_screen_is_usable_from_the_keyboard_alone() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("join.me", |a| a.state.accounts.len() == 1);
    app.wait_until("the agenda", |a| !a.state.agenda.is_empty());
    app.harness.state_mut().state.banners.clear();
    settle(&mut app);
    let mut report = Vec::new();
    for screen in Screen::ALL {
        // To the side bar's entry, and Enter.
        let title = screen.title();
        let (found, _) = tab_until(&mut app.harness, 200, |(role, name)| role == "Button" && *name == title);
        assert!(found, "Tab never reached the side bar's {title:?}");
        app.harness.key_press(egui::Key::Enter);
        settle(&mut app);
        if screen == Screen::Presenters {
            app.wait_until("the presenters", |a| !a.state.presenters.is_empty());
            settle(&mut app);
        }
        assert_eq!(app.harness.state().screen, screen, "Enter on {title:?} opened it");
        // Round the whole screen: every control in view gets the focus.
        let missed = missed_by_tab(&mut app.harness);
        if !missed.is_empty() {
            report.push(format!("{title}: Tab never reached {missed:?}"));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));

    // On the Agenda: Enter on "New meeting" opens the form, Escape closes it.
    let (found, _) = tab_until(&mut app.harness, 200, |(role, name)| role == "Button" && name == "Agenda");
    assert!(found);
    app.harness.key_press(egui::Key::Enter);
    settle(&mut app);
    let (found, _) = tab_until(&mut app.harness, 200, |(role, name)| role == "Button" && name == "New meeting");
    assert!(found, "Tab reaches New meeting");
    app.harness.key_press(egui::Key::Enter);
    settle(&mut app);
    assert!(app.harness.state_mut().form_mut().is_some(), "Enter opened the form");
    app.harness.key_press(egui::Key::Escape);
    settle(&mut app);
    assert!(app.harness.state_mut().form_mut().is_none(), "Escape closed it");
}

/// The walk's control: a text box that keeps Tab for itself traps the focus, and the button after it is reported
/// missed; without the trap, nothing is.
#[test]
fn the_keyboard_walk_reports_a_control_behind_a_focus_trap() {
    for trap in [true, false] {
        let mut text = String::from("notes");
        let mut harness = egui_kittest::Harness::builder().with_accessibility_check(false).build_ui(move |ui| {
            let _ = ui.button("Before");
            ui.add(egui::TextEdit::multiline(&mut text).lock_focus(trap).id_salt("notes"))
                .labelled_by(ui.label("Notes").id);
            let _ = ui.button("After");
        });
        harness.run_ok();
        let missed = missed_by_tab(&mut harness);
        if trap {
            assert!(missed.iter().any(|(_, name)| name == "After"), "{missed:?}");
        } else {
            assert!(missed.is_empty(), "{missed:?}");
        }
    }
}
