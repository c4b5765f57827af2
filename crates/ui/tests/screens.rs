//! The screens, driven as a person would: labels, buttons, typing.

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use launcher_core::agenda::next_meeting;
use launcher_core::timefmt::{local_time, next_countdown_change};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;
use launcher_ui::Screen;

use super::harness::start;

/// A presenter's Remove button ("Remove p@example.com"), not a line that names the address.
fn is_remove(node: &egui_kittest::Node<'_>) -> bool {
    node.accesskit_node().role() == egui::accesskit::Role::Button
        && node.accesskit_node().label().is_some_and(|l| l.starts_with("Remove "))
}

fn go(app: &mut super::harness::TestApp, screen: Screen) {
    app.harness.get_by_label(&screen.title()).click();
    app.harness.step();
    app.harness.step();
}

#[test]
fn sign_in_through_the_browser_read_the_token_panel_and_sign_out() {
    let mut app = start();
    go(&mut app, Screen::Accounts);
    app.harness.get_by_label("No account yet. Add one below.");
    app.harness.get_by_label("Sign in with your browser").click();
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    app.harness.get_by_label("Signed in");
    app.harness.get_by_label("authorization code (PKCE), refreshable");
    app.harness.get_by_label("user_info scheduler start_meeting");
    app.harness.get_by_label("alex.morgan@example.com");
    // Each button says which account it acts on; the testing aid waits under Advanced.
    app.harness.get_by_label("Refresh join.me (alex.morgan@example.com) now");
    assert!(app.harness.query_by_label("Expire access for join.me (alex.morgan@example.com)").is_none());
    app.harness.get_by_label("Advanced").click();
    app.harness.run();
    app.harness.get_by_label_contains("the next call has to refresh it");
    app.harness.get_by_label("Expire access for join.me (alex.morgan@example.com)").click();
    let expired = |app: &super::harness::TestApp| {
        app.sandbox.control().requests().iter().any(|r| r.path.ends_with("/expireaccess") && r.status == 200)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !expired(&app) {
        assert!(std::time::Instant::now() < deadline, "join.me was never asked to expire the access token");
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    // Said in a banner; the layout settles before the next click.
    app.wait_until("the banner", |a| a.state.banners.iter().any(|b| b.text.contains("expired the access token")));
    app.harness.run();
    app.harness.get_by_label("Sign out of join.me (alex.morgan@example.com)").click();
    app.wait_until("the sign-out", |a| a.state.accounts.is_empty());
    app.harness.get_by_label("No account yet. Add one below.");
}

#[test]
fn a_meetingbooster_password_sign_in_and_a_wrong_password() {
    let mut app = start();
    go(&mut app, Screen::Accounts);
    app.harness.get_by_label("MeetingBooster").click();
    app.harness.step();
    app.harness.get_by_label("E-mail").click();
    app.harness.step();
    app.harness.get_by_label("E-mail").type_text("alex.morgan@example.com");
    app.harness.get_by_label("Password").click();
    app.harness.step();
    app.harness.get_by_label("Password").type_text("not-the-password");
    app.harness.step();
    app.harness.get_by_label("Sign in").click();
    app.wait_until("the refusal", |a| !a.state.sign_in_errors.is_empty());
    app.harness.get_by_label_contains("The user name or password is wrong");
    // Said in the error, and counted down beside the disabled button.
    assert_eq!(app.harness.get_all_by_label_contains("You can try again in").count(), 2);
    assert!(app.harness.state().state.accounts.is_empty());
}

#[test]
fn schedule_validate_save_delete_undo_and_start() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the sign-in and agenda", |a| a.state.agenda.len() == 12);
    app.harness.get_by_label("Tomorrow, Tuesday 24 November 2026");

    app.harness.get_by_label("New meeting").click();
    app.harness.step();
    // An empty title, and (set below) an end before the start: both said inline, Save disabled.
    app.harness.get_by_label("Give the meeting a title.");
    {
        let form = app.harness.state_mut().form_mut().expect("the form is open");
        form.end_hour = form.start_hour.saturating_sub(1);
    }
    app.harness.step();
    app.harness.get_by_label("The meeting ends before it starts.");
    {
        // This morning on the sandbox's clock: the first meeting on the agenda.
        let form = app.harness.state_mut().form_mut().unwrap();
        form.date = jiff::civil::date(2026, 11, 23);
        (form.start_hour, form.start_minute, form.end_hour, form.end_minute) = (10, 0, 11, 0);
    }
    app.harness.get_by_label("Title").click();
    app.harness.step();
    app.harness.get_by_label("Title").type_text("Quarterly planning");
    app.harness.step();
    assert_eq!(app.harness.state_mut().form_mut().unwrap().title, "Quarterly planning");
    app.harness.get_by_label("Participants").click();
    app.harness.step();
    app.harness.get_by_label("Participants").type_text("casey.diaz@example.com, not an address");
    app.harness.step();
    app.harness.step();
    app.harness.get_by_label("\"not an address\" is not an e-mail address.");
    {
        let form = app.harness.state_mut().form_mut().unwrap();
        form.participants = "casey.diaz@example.com".into();
    }
    app.harness.step();
    let problems = app.harness.state_mut().form_mut().unwrap().draft(Provider::Joinme).problems();
    assert!(problems.is_empty(), "{problems:?}");
    // The button is enabled from the frame after the fields became valid.
    app.harness.step();
    app.harness.get_by_label("Save").click();
    app.wait_until("the new meeting", |a| a.state.agenda.iter().any(|i| i.title == "Quarterly planning"));
    assert_eq!(app.sandbox.control().joinme_meetings_named("Quarterly planning"), 1);
    app.harness.get_by_label_contains("Created \"Quarterly planning\".");

    // Edit it through its row's Edit button (the first row: it is the earliest meeting).
    app.harness.get_all_by_label_contains("Edit “").next().unwrap().click();
    app.harness.step();
    app.harness.step();
    app.harness.get_by_label("Edit meeting");
    app.harness.state_mut().form_mut().unwrap().title = "Quarterly planning (moved)".into();
    app.harness.step();
    app.harness.step();
    app.harness.get_by_label("Save").click();
    app.wait_until("the edit", |a| a.state.agenda.iter().any(|i| i.title == "Quarterly planning (moved)"));
    assert_eq!(app.sandbox.control().joinme_meetings_named("Quarterly planning (moved)"), 1);

    // Delete through the row's button, and undo: nothing is sent.
    app.harness.get_all_by_label_contains("Delete “").next().unwrap().click();
    app.wait_until("the pending delete", |a| !a.state.pending_deletes.is_empty());
    app.harness.get_by_label("Deleting Quarterly planning (moved)…");
    app.harness.get_by_label("Undo").click();
    app.wait_until("the undo", |a| a.state.pending_deletes.is_empty());
    // Until the undone delete's time is up: another meeting's delete, asked after it with the same undo window,
    // goes through. It is also the control: the sandbox counts a delete that is sent.
    app.harness.get_all_by_label_contains("Delete “").nth(1).unwrap().click();
    app.wait_until("the other pending delete", |a| !a.state.pending_deletes.is_empty());
    let other = app.harness.state().state.pending_deletes[0].title.clone();
    assert_ne!(other, "Quarterly planning (moved)", "the second row is another meeting");
    let others = app.sandbox.control().joinme_meetings_named(&other);
    app.wait_until("the other delete, once its undo window passed", |a| a.state.pending_deletes.is_empty());
    assert_eq!(app.sandbox.control().joinme_meetings_named(&other), others - 1, "the other meeting was deleted");
    assert_eq!(app.sandbox.control().counter("joinme.meetings.delete"), 1, "that delete only, not the undone one");
    assert_eq!(app.sandbox.control().joinme_meetings_named("Quarterly planning (moved)"), 1);

    // Delete for real.
    app.harness.get_all_by_label_contains("Delete “").next().unwrap().click();
    app.wait_until("the pending delete", |a| !a.state.pending_deletes.is_empty());
    app.wait_until("the delete, once the undo window passed", |a| a.state.pending_deletes.is_empty());
    assert_eq!(app.sandbox.control().joinme_meetings_named("Quarterly planning (moved)"), 0);
    assert_eq!(app.sandbox.control().counter("joinme.meetings.delete"), 2);

    // Quick start: one click, and the viewer link is shown and copied.
    app.harness.get_by_label("Start meeting now").click();
    // Step by hand: the frame that shows the started meeting is the one that copies its link.
    let mut copied = Vec::new();
    for _ in 0..400 {
        app.harness.step();
        copied.extend(app.harness.output().platform_output.commands.iter().filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        }));
        if app.harness.state().state.started.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let viewer = app.harness.state().state.started.as_ref().expect("the meeting started").viewer_link.clone();
    assert!(copied.contains(&viewer), "the viewer link went to the clipboard: {copied:?}");
    app.harness.step();
    app.harness.get_by_label_contains(&format!("Viewers join at {viewer}"));
    assert_eq!(app.sandbox.control().started_meetings().len(), 1);
}

#[test]
fn presenters_invite_and_remove_with_confirmation() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    go(&mut app, Screen::Presenters);
    app.wait_until("the presenters", |a| !a.state.presenters.is_empty());
    app.harness.get_by_label("new.hire@example.com");
    app.harness.get_by_label("Invite by e-mail").click();
    app.harness.step();
    app.harness.get_by_label("Invite by e-mail").type_text("robin.new@example.com");
    app.harness.step();
    app.harness.get_by_label("Invite").click();
    app.wait_until("the invited presenter", |a| {
        a.state
            .presenters
            .values()
            .any(|v| matches!(v, launcher_engine::backend::PresentersView::Ready(l) if l.len() == 6))
    });
    app.harness.get_by_label("robin.new@example.com");
    let removes = app.harness.get_all_by_label_contains("@").filter(is_remove).count();
    assert_eq!(removes, 6);
    app.harness.get_all_by_label_contains("@").rfind(is_remove).unwrap().click();
    app.harness.step();
    app.harness.step();
    app.harness.get_by_label("Really remove robin.new@example.com?").click();
    app.wait_until("the removal", |a| {
        a.state
            .presenters
            .values()
            .any(|v| matches!(v, launcher_engine::backend::PresentersView::Ready(l) if l.len() == 5))
    });
}

#[test]
fn a_revoked_grant_and_a_server_that_is_down_show_banners_with_the_action() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    app.sandbox.control().add_fault(launcher_sandbox::Fault::new(
        "/joinme/api/v1/meetings",
        launcher_sandbox::FaultKind::Status { status: 503, retry_after: None },
    ));
    app.harness.get_by_label("Reload").click();
    app.wait_until("the failure banner", |a| a.state.banners.iter().any(|b| b.is_error));
    app.harness.get_by_label_contains("Loading join.me's meetings failed");
    app.harness.get_by_label("Retry");
    app.sandbox.control().clear_faults();

    app.sandbox.control().revoke_joinme_grant("alex.morgan@example.com", None);
    app.sandbox.control().advance_clock(chrono::Duration::hours(25));
    app.harness.get_by_label("Retry").click();
    app.wait_until("the sign-in banner", |a| {
        a.state.banners.iter().any(|b| b.action == launcher_engine::providers::UserAction::SignInAgain)
    });
    app.harness.get_by_label("Sign in again").click();
    app.harness.step();
    assert_eq!(app.harness.state().screen, Screen::Accounts);
}

#[test]
fn an_idle_window_repaints_only_when_its_countdown_changes() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    // Settled: no event, no animation: running to rest must not loop, and the one frame asked for is the
    // next-up countdown's next minute.
    std::thread::sleep(std::time::Duration::from_millis(300));
    app.harness.run();
    let (start, now) = next_start_and_now(&app);
    let delay = app.harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    let countdown = (next_countdown_change(start, now) - now).to_std().unwrap();
    assert_eq!(delay, countdown, "one frame, when the countdown reads differently");
    // Control: with nothing ahead there is no countdown, and no frame is asked for at all.
    app.sandbox.control().advance_clock(chrono::Duration::days(60));
    app.harness.run();
    app.harness.get_by_label("No meetings ahead");
    std::thread::sleep(std::time::Duration::from_millis(300));
    app.harness.run();
    assert!(!app.harness.ctx.has_requested_repaint(), "an idle agenda must not ask for frames");
}

/// The start of the meeting the next-up card shows, and the app's now.
fn next_start_and_now(app: &super::harness::TestApp) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let state = &app.harness.state().state;
    let next = next_meeting(&state.agenda, state.now).expect("a meeting ahead");
    (next.start, state.now)
}

/// The Agenda opens on the meeting to join next: its title, a countdown that moves with the clock, and one large
/// button named for the meeting that starts it as the tray does; with nothing ahead, what to do instead (the top
/// bar's Start meeting now, or schedule one).
#[test]
fn the_next_up_card_counts_down_starts_the_meeting_and_says_what_to_do_when_nothing_is_ahead() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    let title = {
        let state = &app.harness.state().state;
        next_meeting(&state.agenda, state.now).unwrap().title.clone()
    };
    let (start, now) = next_start_and_now(&app);
    app.harness.get_by_label("Next up");
    // The days are named from today: the sandbox's first meeting is tomorrow, and the card says so.
    let tomorrow = format!("Tomorrow, {}", launcher_core::timefmt::local_day(start));
    app.harness.get_by_label(&tomorrow);
    app.harness.get_by_label_contains(&format!("{tomorrow} · {}–", local_time(start)));

    // Near its start, a countdown.
    app.sandbox.control().advance_clock(start - now - chrono::Duration::minutes(12));
    app.harness.run();
    let line = app.harness.get_by_label_contains(" · in 12 min").value().unwrap();
    assert!(line.starts_with(&format!("{}–", local_time(start))), "{line}");
    let now = next_start_and_now(&app).1;

    // Three minutes after its start it is the meeting in progress.
    app.sandbox.control().advance_clock(start - now + chrono::Duration::minutes(3));
    app.harness.run();
    app.harness.get_by_label("Now");
    app.harness.get_by_label_contains("started 3 min ago");
    app.harness.get_by_label(&format!("Start “{title}”")).click();
    app.wait_until("the meeting started", |a| a.state.started.is_some());

    // Nothing ahead: the card says so and offers both ways on.
    app.sandbox.control().advance_clock(chrono::Duration::days(60));
    app.harness.run();
    app.harness.get_by_label("No meetings ahead");
    app.harness.get_by_label("Start a meeting now from the top bar, or schedule one.");
    assert!(!app.harness.get_by_label("Start meeting now").accesskit_node().is_disabled());
    app.harness.get_by_label("Schedule a meeting").click();
    app.harness.run();
    assert!(app.harness.state_mut().form_mut().is_some(), "the new meeting form is open");
}

#[test]
fn snapshots_of_the_main_screens() {
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    app.harness.state_mut().state.banners.clear();
    app.harness.run();
    app.harness.snapshot("agenda");
    go(&mut app, Screen::Presenters);
    app.wait_until("the presenters", |a| !a.state.presenters.is_empty());
    app.harness.run();
    app.harness.snapshot("presenters");
    go(&mut app, Screen::Settings);
    app.harness.run();
    app.harness.snapshot("settings");
}

#[test]
fn long_lists_draw_only_their_visible_rows() {
    let mut app = start();
    let now = super::harness::fixed_start();
    let items: Vec<_> = (0..5000)
        .map(|i| launcher_engine::backend::AgendaItem {
            provider: Provider::Joinme,
            account: "joinme:someone@example.com@sandbox".into(),
            id: i.to_string(),
            kind: launcher_engine::backend::ItemKind::Meeting,
            title: format!("Meeting {i}"),
            start: now + chrono::Duration::minutes(30 * i),
            end: now + chrono::Duration::minutes(30 * i + 25),
            participants: Vec::new(),
            location: String::new(),
            link: None,
            can_edit: true,
            can_start: true,
            attending: None,
            skipped: None,
            description: String::new(),
            answers: Default::default(),
        })
        .collect();
    // Let the backend's first (empty) agenda arrive before replacing it.
    for _ in 0..20 {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    app.harness.state_mut().state.agenda = items;
    app.harness.run();
    let drawn = app.harness.get_all_by_label_contains("Start “Meeting ").count();
    assert!(drawn > 5 && drawn < 60, "{drawn} of 5000 meetings drawn");
    // The first meeting is also the next-up card's; its row's title is a link to its details.
    assert_eq!(app.harness.get_all_by_label("Meeting 0").count(), 1);
    assert_eq!(app.harness.get_all_by_label_contains("details of “Meeting 0”").count(), 1);
    assert!(app.harness.query_by_label_contains("“Meeting 4999”").is_none());

    let presenters = (0..2000)
        .map(|i| launcher_engine::providers::joinme::Presenter {
            id: i,
            email: format!("p{i}@example.com"),
            invitation_accepted: i % 2 == 0,
            seat_assigned: true,
        })
        .collect();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    let key = app.harness.state().state.accounts[0].record.key.clone();
    app.harness.state_mut().state.presenters.insert(key, launcher_engine::backend::PresentersView::Ready(presenters));
    go(&mut app, Screen::Presenters);
    app.harness.run();
    let drawn = app.harness.get_all_by_label_contains("@").filter(is_remove).count();
    assert!(drawn > 5 && drawn < 60, "{drawn} of 2000 presenters drawn");
}

#[test]
fn a_sign_in_form_works_from_the_keyboard() {
    let mut app = start();
    go(&mut app, Screen::Accounts);
    app.harness.get_by_label("MeetingBooster").click();
    app.harness.step();
    app.harness.get_by_label("E-mail").focus();
    app.harness.step();
    app.harness.get_by_label("E-mail").type_text("alex.morgan@example.com");
    app.harness.step();
    // Tab to the password, type it, Enter to sign in.
    app.harness.key_press(egui::Key::Tab);
    app.harness.step();
    assert!(app.harness.get_by_label("Password").is_focused(), "Tab moves to the password field");
    app.harness.get_by_label("Password").type_text("sandbox-password");
    app.harness.step();
    app.harness.key_press(egui::Key::Enter);
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    assert_eq!(app.harness.state().state.accounts[0].record.provider, Provider::Meetingbooster);
}

#[test]
fn a_calendar_added_on_the_accounts_screen_shows_its_host_and_read_only_meetings() {
    let mut app = start();
    go(&mut app, Screen::Accounts);
    let base = app.sandbox.config().sandbox.base.clone();
    let host = base.trim_start_matches("http://").trim_end_matches('/').to_string();
    for (field, text) in [("Name", "Work".to_string()), ("Private address", format!("{base}/_sandbox/ics/work.ics"))] {
        app.harness.get_by_label(field).click();
        app.harness.step();
        app.harness.get_by_label(field).type_text(&text);
        app.harness.step();
    }
    app.harness.get_by_label("Add calendar").click();
    app.wait_until("the calendar", |a| a.state.accounts.iter().any(|a| a.record.provider == Provider::Calendar));
    app.harness.get_by_label_contains(&format!("{host} … "));
    app.harness.get_by_label("Remove “Work”");
    assert_eq!(app.harness.query_all_by_label_contains("_sandbox/ics").count(), 0, "only the host is shown");
    // The form is empty again: the address went to the backend and is not kept in the window.
    for field in ["Name", "Private address"] {
        assert_eq!(app.harness.get_by_label(field).value().unwrap_or_default(), "", "{field}");
    }

    app.wait_until("the calendar's meetings", |a| a.state.agenda.iter().any(|i| i.provider == Provider::Calendar));
    go(&mut app, Screen::Agenda);
    let agenda = &app.harness.state().state.agenda;
    assert!(agenda.iter().all(|i| !i.can_edit), "read-only");
    assert!(agenda.iter().any(|i| i.skipped.is_some()));
    // Nothing here can be edited or deleted: a calendar's meetings are changed in the calendar.
    assert!(
        app.harness.query_by_label_contains("Edit “").is_none()
            && app.harness.query_by_label_contains("Delete “").is_none()
    );
    assert!(app.harness.query_all_by_label_contains("Copy the link of “").count() >= 1);
    assert!(app.harness.query_all_by_label_contains("Join “").count() >= 1);
    // The scheduler offers only the services that make meetings: none is signed in.
    assert!(app.harness.get_by_label("New meeting").accesskit_node().is_disabled());

    go(&mut app, Screen::Accounts);
    app.harness.get_by_label("Remove “Work”").click();
    app.wait_until("the calendar removed", |a| a.state.agenda.iter().all(|i| i.provider != Provider::Calendar));
}

/// Every shortcut does what the Help page says, from the Agenda: Ctrl+N opens the form and Esc closes it, Ctrl+F
/// searches titles, participants and services, Ctrl+R reloads, Ctrl+, opens Settings, Ctrl+J starts the next
/// meeting as the tray does.
#[test]
fn keyboard_shortcuts_open_the_form_search_reload_and_start_the_next_meeting() {
    use egui::{Key, Modifiers};
    let mut app = start();
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);

    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    app.harness.run();
    assert!(app.harness.state_mut().form_mut().is_some(), "Ctrl+N opens the new meeting form");
    // Typing in it, Esc only leaves the field, and Ctrl+N again keeps what was typed.
    app.harness.get_by_label("Title").click();
    app.harness.run();
    app.harness.get_by_label("Title").type_text("Kept");
    app.harness.run();
    app.harness.key_press(Key::Escape);
    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    app.harness.run();
    assert_eq!(app.harness.state_mut().form_mut().map(|f| f.title.clone()).as_deref(), Some("Kept"));
    app.harness.key_press(Key::Escape);
    app.harness.run();
    assert!(app.harness.state_mut().form_mut().is_none(), "Esc with no field in use closes the form");

    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    app.harness.run();
    app.harness.get_by_label("Search meetings").type_text("ROADMAP");
    app.harness.run();
    app.harness.get_by_label_contains("details of “Product roadmap review”");
    // Only the next-up card still names the stand-up; the list is narrowed.
    assert_eq!(app.harness.get_all_by_label("Daily stand-up").count(), 1);
    assert!(app.harness.query_by_label_contains("details of “Daily stand-up”").is_none());
    app.harness.get_by_label("Search meetings").type_text(" nobody");
    app.harness.run();
    app.harness.get_by_label("No meeting matches “ROADMAP nobody”.");

    let agenda_loads = |app: &super::harness::TestApp| {
        app.sandbox.control().requests().iter().filter(|r| r.method == "GET" && r.path.ends_with("/meetings")).count()
    };
    let before = agenda_loads(&app);
    assert!(before > 0, "the agenda was loaded from join.me's meetings");
    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while agenda_loads(&app) == before {
        assert!(std::time::Instant::now() < deadline, "Ctrl+R reloads the agenda");
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }

    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    app.harness.run();
    assert_eq!(app.harness.state().screen, Screen::Settings);

    // Held down, Ctrl+J starts the next meeting once: the key's repeats (egui marks a press of a key already
    // down as one) start nothing more.
    assert!(app.sandbox.control().started_meetings().is_empty());
    app.harness.key_down_modifiers(Modifiers::COMMAND, Key::J);
    app.wait_until("the next meeting started", |a| a.state.started.is_some());
    for _ in 0..5 {
        app.harness.key_down_modifiers(Modifiers::COMMAND, Key::J);
        app.harness.step();
    }
    app.harness.key_up_modifiers(Modifiers::COMMAND, Key::J);
    for _ in 0..20 {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    assert_eq!(app.sandbox.control().started_meetings().len(), 1, "one press, one meeting");

    go(&mut app, Screen::Help);
    app.harness.get_by_label("Keyboard shortcuts");
    app.harness.get_by_label("Join or start the next meeting");
    app.harness.get_by_label("Ctrl+J");
}

/// The theme is chosen in Settings: Light, saved to the settings file and in force at once; then Dark again.
#[test]
fn the_theme_chosen_in_settings_is_saved_and_in_force_at_once() {
    use launcher_engine::settings::{Paths, Settings, Theme};
    let root = std::env::temp_dir().join(format!("ml-theme-{}", rand::random::<u64>()));
    let paths = Paths::under(root.join("home"));
    let mut app = super::harness::start_with_policies(root.clone());
    app.harness
        .state_mut()
        .apply(launcher_engine::backend::Event::Settings { paths: Some(paths.clone()), settings: Settings::default() });
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    // "As the desktop": no desktop here says light, so egui's dark.
    assert_eq!(app.harness.state().state.theme, Theme::System);
    assert_eq!(app.harness.ctx.theme(), egui::Theme::Dark);
    for (choice, theme, egui_theme) in
        [("Light", Theme::Light, egui::Theme::Light), ("Dark", Theme::Dark, egui::Theme::Dark)]
    {
        go(&mut app, Screen::Settings);
        app.harness.get_by_label("Theme").click();
        app.harness.run();
        app.harness.get_by_label(choice).click();
        app.harness.run();
        app.harness.get_by_label("Save settings").scroll_to_me();
        app.harness.run_steps(3);
        app.harness.get_by_label("Save settings").click();
        app.wait_until("the saved theme", |a| a.state.theme == theme);
        app.harness.run();
        let saved = std::fs::read_to_string(&paths.settings_file).unwrap();
        assert!(saved.contains(&format!("theme = \"{}\"", choice.to_lowercase())), "{saved}");
        assert_eq!(app.harness.ctx.theme(), egui_theme, "{choice}");
        if theme == Theme::Light {
            go(&mut app, Screen::Agenda);
            app.harness.run();
            app.harness.snapshot("agenda-light");
        }
    }
    let _ = std::fs::remove_dir_all(root);
}

/// Issue 15: at 200 % in the same 1000×680-pixel window (500×340 points, narrower than a 1280×800 screen at 200 %)
/// nothing goes out of reach: Settings' rows wrap, the Agenda's rows scroll sideways. The snapshots are kept for
/// review beside the 100 % ones.
#[test]
fn snapshots_at_200_percent() {
    let mut app = start();
    app.harness.set_pixels_per_point(2.0);
    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the agenda", |a| a.state.agenda.len() == 12);
    app.harness.state_mut().state.banners.clear();
    app.harness.run();
    app.harness.snapshot("agenda-200");
    go(&mut app, Screen::Settings);
    app.harness.run();
    app.harness.snapshot("settings-200");
}

/// Opens nothing: keeps each address it is asked to open (a sign-in's authorization URL, say).
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl launcher_engine::auth::BrowserOpener for Recorder {
    fn open(&self, url: &url::Url) -> Result<(), String> {
        self.0.lock().unwrap().push(url.to_string());
        Ok(())
    }
}

/// Issue 15: the join.me client secret is set, replaced and removed in Settings. Only the keychain holds it (the
/// real Secret Service, under a service name of this test's own), never the settings file or the app's folders,
/// and the services follow at once: the sign-in the app then starts asks join.me for an authorization code
/// (PKCE); without the secret, before and after, for a token (the implicit grant).
#[test]
fn the_join_me_client_secret_is_set_replaced_and_removed_in_settings_and_kept_only_in_the_keychain() {
    use launcher_engine::auth::keychain::SecretName;
    use launcher_engine::auth::{Keychain, Storage};
    use launcher_engine::backend::SecretSource;

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let service = format!("meeting-launcher-test-{}", rand::random::<u64>());
    let keychain = runtime.block_on(Keychain::open_service(&service));
    assert_eq!(keychain.storage(), &Storage::Keychain, "the test session's Secret Service answers");
    let key = SecretName::JoinmeClientSecret.key();
    let browser = std::sync::Arc::new(Recorder::default());
    let dir = std::env::temp_dir().join(format!("ml-settings-{}", rand::random::<u64>()));
    // Port 0: the system picks the loopback port (no fixed port in tests).
    let settings = "[joinme]\napi_key = \"test-api-key\"\ncallback_port = 0\n";
    let mut app = super::harness::start_with_settings(&dir, settings, keychain.clone(), browser.clone());
    // The grant the next join.me sign-in asks for, from the authorization URL the app opens.
    let grant = |app: &mut super::harness::TestApp| {
        let before = browser.0.lock().unwrap().len();
        app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while browser.0.lock().unwrap().len() == before {
            assert!(std::time::Instant::now() < deadline, "no authorization URL was opened");
            app.harness.step();
            std::thread::sleep(std::time::Duration::from_millis(15));
        }
        app.harness.state().send(Command::CancelBrowserSignIn { provider: Provider::Joinme });
        let url = url::Url::parse(browser.0.lock().unwrap().last().unwrap()).unwrap();
        let pairs: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
        (pairs.get("response_type").cloned().unwrap_or_default(), pairs.contains_key("code_challenge"))
    };
    let stored = |app: &super::harness::TestApp| app.block_on(keychain.get(key)).unwrap();
    let settle = |app: &mut super::harness::TestApp| {
        for _ in 0..5 {
            app.harness.step();
        }
    };

    app.wait_until("the secret's source", |a| source_of(a) == Some(SecretSource::Missing));
    assert_eq!(grant(&mut app), ("token".to_string(), false), "no secret: the implicit grant");
    go(&mut app, Screen::Settings);
    settle(&mut app);
    app.harness.get_by_label_contains("Client secret: not set. join.me sign-ins use the implicit grant");

    // An edit not saved yet, elsewhere in the form: the secret's save must not lose it.
    app.harness.get_by_label("Proxy").click();
    app.harness.step();
    app.harness.get_by_label("Proxy").type_text("http://proxy.example:3128");
    settle(&mut app);

    // Saved.
    app.harness.get_by_label("join.me client secret").click();
    app.harness.step();
    app.harness.get_by_label("join.me client secret").type_text("first-secret");
    settle(&mut app);
    app.harness.get_by_label("Save the join.me client secret in the keychain").click();
    app.wait_until("the secret in force", |a| source_of(a) == Some(SecretSource::Keychain));
    assert_eq!(stored(&app).map(|s| s.expose().to_string()).as_deref(), Some("first-secret"));
    assert_eq!(grant(&mut app), ("code".to_string(), true), "with the secret: the authorization code grant");
    settle(&mut app);
    let proxy = app.harness.get_by_label("Proxy").accesskit_node().value();
    assert_eq!(proxy.as_deref(), Some("http://proxy.example:3128"), "the unsaved edit is still in the form");
    app.harness.get_by_label_contains("Client secret: saved in the keychain. join.me sign-ins use the authorization");

    // Replaced.
    app.harness.get_by_label("join.me client secret").click();
    app.harness.step();
    app.harness.get_by_label("join.me client secret").type_text("  second-secret ");
    settle(&mut app);
    app.harness.get_by_label("Replace the join.me client secret in the keychain").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while stored(&app).map(|s| s.expose().to_string()).as_deref() != Some("second-secret") {
        assert!(std::time::Instant::now() < deadline, "the secret was never replaced");
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(15));
    }

    // Never on disk: not in the settings file, nor anywhere in the app's folders.
    let files = walk(&dir);
    assert!(files.iter().any(|f| f.ends_with("settings.toml")), "the walk sees the settings file: {files:?}");
    assert!(files.iter().any(|f| f.starts_with(dir.join("data"))), "and the app's data folder: {files:?}");
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(!text.contains("first-secret") && !text.contains("second-secret"), "{} holds it", file.display());
    }

    // Removed.
    settle(&mut app);
    app.harness.get_by_label("Remove the join.me client secret from the keychain").click();
    app.wait_until("the secret gone", |a| source_of(a) == Some(SecretSource::Missing));
    assert_eq!(stored(&app), None);
    assert_eq!(grant(&mut app), ("token".to_string(), false), "removed: the implicit grant again");
    drop(app);
    drop(runtime);
    let _ = std::fs::remove_dir_all(dir);
}

/// Where the window says the join.me client secret comes from.
fn source_of(app: &launcher_ui::App) -> Option<launcher_engine::backend::SecretSource> {
    use launcher_engine::auth::keychain::SecretName;
    app.state.app_secrets.iter().find(|(n, _)| *n == SecretName::JoinmeClientSecret).map(|s| s.1)
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A meeting's details, opened from its title: when in the reader's zone, the link, who is invited and what they
/// answered, what it is about; Copy invitation puts title, time (zone said) and link on the clipboard; Close.
#[test]
fn a_meetings_details_show_answers_and_description_and_copy_an_invitation() {
    let mut app = start();
    app.harness.state().send(Command::SignInWithPassword {
        provider: Provider::Meetingbooster,
        username: launcher_test_support::services::MB_USER.into(),
        password: launcher_core::secret::Secret::new("sandbox-password"),
    });
    app.wait_until("MeetingBooster's agenda", |a| a.state.agenda.iter().any(|i| i.title == "Vendor selection: CRM"));
    app.harness.state_mut().state.banners.clear();
    app.harness.run();
    let title = "Vendor selection: CRM";
    let close = format!("Close the details of “{title}”");
    assert!(app.harness.query_by_label(&close).is_none(), "no details open yet");
    app.harness.get_by_label(&format!("Show the details of “{title}”, Wednesday 25 November 13:00")).click();
    app.harness.run();
    app.harness.get_by_label(&close);
    app.harness.get_by_label("Wednesday 25 November 2026, 13:00–13:45 (UTC)");
    app.harness.get_by_label("One participant");
    app.harness.get_by_label_contains(": maybe");
    app.harness.get_by_label_contains("Shortlist two vendors");
    let link = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_vendor-crm%40thread.v2/0";
    app.harness.get_by_label(&format!("Join “{title}” from its details"));
    app.harness.snapshot("details");
    app.harness.get_by_label(&format!("Copy the invitation to “{title}”")).click();
    // The frame that handles the click is the one that copies.
    app.harness.step();
    let copied = super::help::copied(&mut app);
    let expected = format!("{title}\nWednesday 25 November 2026, 13:00–13:45 (UTC)\nJoin: {link}");
    assert!(copied.contains(&expected), "copied {copied:?}");
    app.harness.get_by_label(&close).click();
    app.harness.run();
    assert!(app.harness.query_by_label(&close).is_none(), "closed");
}

/// The MeetingBooster address is checked as it is typed: what cannot be an address is said at once (nothing is
/// asked); once typing pauses, the server is asked, and says whether MeetingBooster answers there, or why not.
#[test]
fn the_meetingbooster_address_is_checked_as_it_is_typed() {
    use egui::{Key, Modifiers};
    use launcher_engine::settings::{Paths, Settings};
    let root = std::env::temp_dir().join(format!("ml-mb-check-{}", rand::random::<u64>()));
    let paths = Paths::under(root.join("home"));
    let mut app = super::harness::start_with_policies(root.clone());
    app.harness
        .state_mut()
        .apply(launcher_engine::backend::Event::Settings { paths: Some(paths), settings: Settings::default() });
    go(&mut app, Screen::Settings);
    let type_address = |app: &mut super::harness::TestApp, address: &str| {
        app.harness.get_by_label("Server address").click();
        app.harness.run();
        app.harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        app.harness.get_by_label("Server address").type_text(address);
        app.harness.run();
    };
    let checks = |app: &super::harness::TestApp| {
        app.sandbox.control().requests().iter().filter(|r| r.path.ends_with("/api/v1/mymeetings/sync")).count()
    };
    type_address(&mut app, "meetings");
    app.harness.get_by_label_contains("“meetings” is not a web address");
    type_address(&mut app, "http://meetings.example.com");
    app.harness.get_by_label_contains("This address is not https");
    assert_eq!(checks(&app), 0, "neither was asked about");

    // The sandbox's MeetingBooster answers (401 without a token: no credentials are sent).
    let server = app.sandbox.config().meetingbooster.server.clone();
    type_address(&mut app, &server);
    app.wait_until("the answer", |a| a.settings_checked().is_some());
    let host = url::Url::parse(&server).unwrap().host_str().unwrap().to_string();
    app.harness.get_by_label(&format!("A MeetingBooster server answers at {host}."));
    assert_eq!(checks(&app), 1, "asked once, when typing paused");

    // The sandbox's root: something answers, but no MeetingBooster API.
    let base = app.sandbox.config().sandbox.base.clone();
    type_address(&mut app, &format!("{base}/elsewhere"));
    app.wait_until("the answer", |a| a.settings_checked().is_some_and(|(asked, _)| asked.ends_with("/elsewhere")));
    app.harness
        .get_by_label_contains("No MeetingBooster server answers there. MeetingBooster has no API at this address");

    // A port nothing listens on: said so, with the reason.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    type_address(&mut app, &format!("http://127.0.0.1:{closed}/mb"));
    app.wait_until("the answer", |a| a.settings_checked().is_some_and(|(asked, _)| asked.ends_with("/mb")));
    app.harness.get_by_label_contains("No MeetingBooster server answers there. Cannot reach MeetingBooster");
    let _ = std::fs::remove_dir_all(root);
}
