//! Reminders through the real notification path (org.freedesktop.Notifications on the session bus): the
//! notification's words and its Start button, a click that reaches the app, a server without buttons, and
//! no server at all.

use std::sync::mpsc;
use std::time::Duration;

use launcher_desktop::notifications::{DesktopNotifier, Reminder, ReminderChoice, Shown, SystemNotifier, capabilities};

use super::bus::NotificationServer;
use super::desktop_lock;

fn reminder() -> Reminder {
    Reminder {
        summary: "Launch review".into(),
        body: "join.me · starts at 10:00 (in 5 min)".into(),
        action: Some("Start".into()),
        snooze_minutes: Some(5),
    }
}

#[test]
fn a_reminder_shows_a_start_button_whose_click_reaches_the_app() {
    let _one_at_a_time = desktop_lock();
    let server = NotificationServer::start(true);
    assert!(capabilities().unwrap().actions);
    let (clicked, click) = mpsc::channel();
    let how = SystemNotifier.show(&reminder(), Box::new(move |choice| clicked.send(choice).unwrap())).unwrap();
    // The buttons are in the notification: the window offers none of its own.
    assert_eq!(how, Shown::WithButtons);
    let shown = server.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].app_name, "Meeting Launcher");
    assert_eq!(shown[0].summary, "Launch review");
    assert!(shown[0].body.contains("in 5 min"));
    assert!(shown[0].actions.chunks(2).any(|a| a == ["start", "Start"]), "{:?}", shown[0].actions);
    assert!(shown[0].actions.chunks(2).any(|a| a == ["snooze", "Snooze 5 min"]), "{:?}", shown[0].actions);
    assert!(click.recv_timeout(Duration::from_millis(300)).is_err(), "not before the click");
    // The signal may race the handler's subscription: click until it is heard.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        server.invoke(shown[0].id, "start");
        if let Ok(choice) = click.recv_timeout(Duration::from_millis(200)) {
            assert_eq!(choice, ReminderChoice::Start);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the click never reached the app");
    }

    // A second reminder, snoozed.
    let (picked, pick) = mpsc::channel();
    SystemNotifier.show(&reminder(), Box::new(move |choice| picked.send(choice).unwrap())).unwrap();
    let id = server.shown().last().unwrap().id;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        server.invoke(id, "snooze");
        if let Ok(choice) = pick.recv_timeout(Duration::from_millis(200)) {
            assert_eq!(choice, ReminderChoice::Snooze);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the snooze never reached the app");
    }
}

#[test]
fn without_buttons_the_reminder_still_shows_and_without_a_server_it_says_so() {
    let _one_at_a_time = desktop_lock();
    {
        let server = NotificationServer::start(false);
        assert!(!capabilities().unwrap().actions);
        // Said so, for the window to offer Start and Snooze instead.
        assert_eq!(SystemNotifier.show(&reminder(), Box::new(|_| {})).unwrap(), Shown::WithoutButtons);
        let shown = server.shown();
        assert_eq!(shown.len(), 1);
        assert!(shown[0].actions.is_empty(), "no buttons offered to a server without them: {:?}", shown[0].actions);
    }
    // The server is gone: an error the window shows, not a hang or a panic.
    std::thread::sleep(Duration::from_millis(200));
    let error = SystemNotifier.show(&reminder(), Box::new(|_| {})).unwrap_err();
    assert!(!error.is_empty());
}
