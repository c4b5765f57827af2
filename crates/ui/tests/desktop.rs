//! The window's desktop side without a desktop: a fake tray gets the menu the real one would show, requests go
//! through the same inbox the tray and other launches use, and the close button hides to the tray only when a
//! tray host is confirmed.

use std::sync::{Arc, Mutex};

use egui::{ViewportCommand, ViewportId};
use egui_kittest::kittest::Queryable;
use launcher_core::tray::TrayHost;
use launcher_core::tray::{Entry, TrayAction, TrayModel};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;
use launcher_ui::desktop::{AppCommand, TrayView};

use super::harness::{TestApp, start, start_live};

#[derive(Clone, Default)]
struct FakeTray(Arc<Mutex<Vec<TrayModel>>>);

impl TrayView for FakeTray {
    fn show(&mut self, model: &TrayModel) {
        self.0.lock().unwrap().push(model.clone());
    }
}

impl FakeTray {
    fn last(&self) -> TrayModel {
        self.0.lock().unwrap().last().cloned().expect("the tray was drawn")
    }

    fn enabled(&self, action: TrayAction) -> bool {
        self.last().entries.iter().any(|e| matches!(e, Entry::Action { action: a, enabled: true, .. } if *a == action))
    }
}

fn with_tray() -> (TestApp, FakeTray) {
    let mut app = start();
    let tray = FakeTray::default();
    app.harness.state_mut().set_tray(Box::new(tray.clone()));
    app.harness.run_steps(20);
    (app, tray)
}

fn close(app: &mut TestApp) -> Vec<ViewportCommand> {
    app.harness.input_mut().viewports.entry(ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    app.harness.step();
    app.harness.output().viewport_output.get(&ViewportId::ROOT).map(|v| v.commands.clone()).unwrap_or_default()
}

#[test]
fn the_tray_menu_follows_the_accounts_and_starts_a_meeting() {
    let (mut app, tray) = with_tray();
    assert!(!tray.enabled(TrayAction::StartNow), "no join.me account yet");
    assert!(tray.last().entries.contains(&Entry::Info("Not signed in".into())));

    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    app.wait_until("the agenda", |a| !a.state.agenda.is_empty());
    app.harness.step();
    let model = tray.last();
    assert!(matches!(&model.entries[0], Entry::Action { action: TrayAction::StartNow, enabled: true, .. }));
    assert!(model.entries.contains(&Entry::Info("join.me: alex.morgan@example.com".into())));
    assert!(!model.title.is_empty() && model.tooltip.contains(&model.title), "{model:?}");
    assert!(model.badge.is_some(), "the countdown is drawn into the icon too");

    app.harness.state().inbox().send(AppCommand::Tray(TrayAction::StartNow));
    let sandbox = app.sandbox.clone();
    app.wait_until("the meeting to start", |a| a.state.started.is_some());
    assert_eq!(sandbox.control().started_meetings().len(), 1);
    assert!(tray.enabled(TrayAction::CopyViewerLink));
}

#[test]
fn closing_hides_to_a_confirmed_tray_and_open_brings_the_window_back() {
    let (mut app, _tray) = with_tray();
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Present));
    app.harness.step();
    let commands = close(&mut app);
    assert!(commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
    assert!(commands.contains(&ViewportCommand::Visible(false)), "{commands:?}");

    app.harness.state().inbox().send(AppCommand::Show);
    app.harness.step();
    let commands =
        app.harness.output().viewport_output.get(&ViewportId::ROOT).map(|v| v.commands.clone()).unwrap_or_default();
    assert!(commands.contains(&ViewportCommand::Visible(true)), "{commands:?}");
    assert!(commands.contains(&ViewportCommand::Focus), "{commands:?}");

    // Quit from the tray closes for real.
    app.harness.state().inbox().send(AppCommand::Tray(TrayAction::Quit));
    app.harness.step();
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
}

#[test]
fn without_a_tray_host_closing_quits_and_the_app_says_why_once() {
    let (mut app, _tray) = with_tray();
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Missing));
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Missing));
    app.harness.step();
    let banners = &app.harness.state().state.banners;
    assert_eq!(banners.iter().filter(|b| b.text.starts_with("No system tray was found")).count(), 1, "{banners:?}");
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
    assert!(!commands.contains(&ViewportCommand::Visible(false)), "{commands:?}");
}

#[test]
fn with_no_tray_at_all_closing_quits_even_with_a_host() {
    let mut app = start();
    app.harness.run_steps(5);
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Present));
    app.harness.step();
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
}

/// Steps the app while the sandbox's clock moves on in 2-second steps (about 30 times real time, so a busy machine
/// does not fall far behind the clock), until the tray shows what `done` wants; returns how much virtual time that
/// took.
fn advance_until(
    app: &mut TestApp,
    tray: &FakeTray,
    limit: chrono::Duration,
    done: impl Fn(&TrayModel) -> bool,
) -> Option<chrono::Duration> {
    let from = app.sandbox.control().now();
    while app.sandbox.control().now() - from < limit {
        app.sandbox.control().advance_clock(chrono::Duration::seconds(2));
        for _ in 0..4 {
            std::thread::sleep(std::time::Duration::from_millis(15));
            app.harness.step();
            if done(&tray.last()) {
                return Some(app.sandbox.control().now() - from);
            }
        }
    }
    None
}

fn names(model: &TrayModel, title: &str) -> bool {
    model.entries.iter().any(|e| matches!(e, Entry::Info(t) if t.starts_with(&format!("Next: {title} ·"))))
}

#[test]
fn a_meeting_made_on_the_service_reaches_the_hidden_windows_tray_and_stays_through_a_503_storm() {
    let mut app = start_live();
    let tray = FakeTray::default();
    app.harness.state_mut().set_tray(Box::new(tray.clone()));
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Present));
    app.harness.state().send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: launcher_test_support::services::MB_USER.into(),
        password: launcher_core::secret::Secret::new("sandbox-password"),
    });
    app.wait_until("the agenda", |a| !a.state.agenda.is_empty());
    // The window is closed to the tray: hidden, still running.
    assert!(close(&mut app).contains(&ViewportCommand::Visible(false)));

    let sandbox = app.sandbox.clone();
    app.block_on(launcher_test_support::services::create_meetingbooster_meeting(
        &sandbox,
        "Budget sync",
        20,
        "Zoom: https://zoom.us/j/81234567890",
        "",
    ));
    assert!(!names(&tray.last(), "Budget sync"), "control: not before a reload");
    let took = advance_until(&mut app, &tray, chrono::Duration::seconds(150), |m| names(m, "Budget sync"))
        .expect("the tray names the new meeting within 150 s");
    // The acceptance line's promise (the reload itself is due within 105–120 s; the rest is the test's clock
    // running ahead of a busy machine).
    assert!(took <= chrono::Duration::seconds(150), "{took}");
    assert!(tray.enabled(TrayAction::StartNext), "its Zoom link makes it joinable");

    // Minutes of 503s: the tray keeps naming it, and says how old its list is and why.
    sandbox.control().add_fault(launcher_sandbox::Fault::new(
        "/meetingbooster/api",
        launcher_sandbox::FaultKind::Status { status: 503, retry_after: None },
    ));
    let stale = |m: &TrayModel| {
        m.entries.iter().any(|e| matches!(e, Entry::Info(t) if t.starts_with("MeetingBooster: last updated")))
    };
    advance_until(&mut app, &tray, chrono::Duration::minutes(4), stale).expect("the tray says the list is stale");
    let _ = advance_until(&mut app, &tray, chrono::Duration::minutes(6), |_| false);
    let model = tray.last();
    assert!(names(&model, "Budget sync") && stale(&model), "{model:#?}");
}

/// Issue 13: the window draws a meeting in year 9999 (and drops one past what a date holds) and a server's
/// wait of centuries (cut to a day) on the sign-in page, without a panic.
#[test]
fn absurd_server_answers_draw_without_a_panic() {
    let (mut app, tray) = with_tray();
    app.harness.state().send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: launcher_test_support::services::MB_USER.into(),
        password: launcher_core::secret::Secret::new("sandbox-password"),
    });
    app.wait_until("the agenda", |a| !a.state.agenda.is_empty());
    let meeting = |id: &str, start: &str, end: &str| {
        serde_json::json!({"ClientSyncId": id, "State": "NEW", "Meeting": {
            "Id": id, "Title": format!("Far {id}"), "Start": start, "End": end, "Location": "https://zoom.us/j/9"}})
    };
    let body = serde_json::json!({"SyncToken": "t", "Meetings": [
        meeting("7d0c3f52-0000-4000-8000-000000000001", "9999-12-31T23:40:00Z", "9999-12-31T23:59:59Z"),
        meeting("7d0c3f52-0000-4000-8000-000000000002", "+262143-12-31T23:00:00Z", "+262143-12-31T23:59:00Z"),
    ]});
    let json = vec![("content-type".to_string(), "application/json".to_string())];
    app.sandbox.control().add_fault(
        launcher_sandbox::Fault::new(
            "/meetingbooster/api/v1/mymeetings/sync",
            launcher_sandbox::FaultKind::Answer { status: 200, headers: json.clone(), body: body.to_string() },
        )
        .times(1),
    );
    app.harness.state().send(Command::Reload);
    app.wait_until("the year-9999 meeting", |a| {
        a.state.agenda.iter().any(|i| i.start.format("%Y").to_string() == "9999")
    });
    assert!(!app.harness.state().state.agenda.iter().any(|i| i.title.ends_with("0002")), "past what a date holds");
    app.harness.run_steps(5);
    assert!(!tray.last().entries.is_empty(), "the tray was drawn");

    // A wrong password answered with a wait of centuries: the sign-in page counts down a day at most.
    let absurd = r#"{"error": "unauthorized_client", "error_state": "FAILEDLOGIN", "retry_in_seconds": 9000000000000}"#;
    let mut headers = json;
    headers.push(("retry-after".into(), "99999999999999999".into()));
    app.sandbox.control().add_fault(
        launcher_sandbox::Fault::new(
            "/meetingbooster/oauth",
            launcher_sandbox::FaultKind::Answer { status: 400, headers, body: absurd.into() },
        )
        .times(1),
    );
    app.harness.state().send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: launcher_test_support::services::MB_USER.into(),
        password: launcher_core::secret::Secret::new("wrong"),
    });
    app.wait_until("the refusal", |a| a.state.sign_in_errors.contains_key(&Provider::Meetingbooster));
    let (_, until) = app.harness.state().state.sign_in_errors[&Provider::Meetingbooster].clone();
    let now = app.harness.state().state.now;
    assert!(until.is_some_and(|u| u - now <= chrono::Duration::days(1)), "{until:?}");
    app.harness.state_mut().screen = launcher_ui::Screen::Accounts;
    app.harness.run_steps(5);
}

/// Issue 16: a reminder the desktop showed without buttons (Windows and macOS, a Linux server without actions)
/// is answered in the window: its banner's Start starts that meeting, its Snooze puts it off. One the desktop
/// showed with its buttons offers none here: the control shows the banner's buttons appear only for the first.
#[test]
fn a_reminder_shown_without_buttons_is_answered_from_the_window() {
    use launcher_engine::backend::Event;
    use launcher_engine::ports::Shown;

    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.iter().any(|i| i.can_start));
    let item = app.harness.state().state.agenda.iter().find(|i| i.can_start).cloned().unwrap();
    let start_name = format!("Start “{}” from its reminder", item.title);
    let snooze_name = format!("Snooze the reminder for “{}” 5 min", item.title);
    let remind = |app: &mut TestApp, notified: Result<Shown, String>| {
        let event = Event::Reminder { item: item.clone(), notified, snooze_minutes: Some(5) };
        app.harness.state_mut().state.apply(event);
        app.harness.run_steps(3);
    };

    // Shown with buttons: the notification is where the person answers.
    remind(&mut app, Ok(Shown::WithButtons));
    app.harness.get_by_label_contains(&format!("Starting soon: {}", item.title));
    assert!(app.harness.query_by_label(&start_name).is_none());
    assert!(app.harness.query_by_label(&snooze_name).is_none());
    app.harness.state_mut().state.banners.clear();

    // Shown without: Snooze here puts it off, and the banner goes.
    remind(&mut app, Ok(Shown::WithoutButtons));
    app.harness.get_by_label(&start_name);
    app.harness.get_by_label(&snooze_name).click();
    app.harness.run_steps(2);
    assert!(app.harness.query_by_label(&snooze_name).is_none(), "the banner went with the answer");

    // Not shown at all (no notification server): Start here starts that meeting on the service.
    remind(&mut app, Err("no notification server".into()));
    app.harness.get_by_label_contains("The desktop did not show this reminder: no notification server");
    app.harness.get_by_label(&start_name).click();
    let sandbox = app.sandbox.clone();
    app.wait_until("the meeting to start", |a| a.state.started.is_some());
    assert_eq!(sandbox.control().started_meetings().len(), 1);
    assert!(app.harness.query_by_label(&start_name).is_none());
}

/// Issue 15: "As the desktop" follows the scheme the desktop layer hears (the XDG portal under X11, where winit
/// reports none), both ways and as it changes; a chosen Light or Dark is kept whatever the desktop says.
#[test]
fn as_the_desktop_follows_the_desktops_scheme_and_a_chosen_theme_stays() {
    use launcher_core::appearance::ColorScheme;
    use launcher_engine::settings::Theme;
    use launcher_ui::desktop::AppCommand;

    let mut app = start();
    let hear = |app: &mut TestApp, scheme: ColorScheme| {
        app.harness.state().inbox().send(AppCommand::ColorScheme(scheme));
        app.harness.run_steps(2);
        app.harness.ctx.theme()
    };
    assert_eq!(app.harness.state().state.theme, Theme::System);
    assert_eq!(hear(&mut app, ColorScheme::Light), egui::Theme::Light);
    assert_eq!(hear(&mut app, ColorScheme::Dark), egui::Theme::Dark);
    assert_eq!(hear(&mut app, ColorScheme::Light), egui::Theme::Light, "and back, as the desktop changes");
    // No preference (GNOME's default style) is drawn light, as GNOME's own apps are, not egui's dark fallback.
    assert_eq!(hear(&mut app, ColorScheme::Dark), egui::Theme::Dark);
    assert_eq!(hear(&mut app, ColorScheme::NoPreference), egui::Theme::Light);

    // Chosen in the settings: the desktop's change does not move it.
    app.harness.state_mut().state.theme = Theme::Dark;
    app.harness.run_steps(2);
    assert_eq!(app.harness.ctx.theme(), egui::Theme::Dark);
    assert_eq!(hear(&mut app, ColorScheme::Light), egui::Theme::Dark);
}
