//! The tray: a StatusNotifierItem whose menu, driven over D-Bus as a panel drives it, starts a meeting.

use std::time::Duration;

use super::bus::TrayHost;
use super::desktop_lock;
use super::home::Home;

#[test]
fn the_tray_menu_starts_a_meeting_names_the_next_one_and_quits() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    home.sign_in_joinme();
    let host = TrayHost::start();
    let mut app = home.start_app(&[]);
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    let labels = |host: &TrayHost| host.menu(&item).into_iter().map(|(_, l, e)| (l, e)).collect::<Vec<_>>();
    app.wait("Start meeting now to be offered", Duration::from_secs(60), || {
        labels(&host).contains(&("Start meeting now".to_string(), true))
    });
    app.wait("the next meeting in the menu", Duration::from_secs(30), || {
        labels(&host).iter().any(|(l, _)| l.starts_with("Next: "))
    });
    let menu = labels(&host);
    let names: Vec<&str> = menu.iter().map(|(l, _)| l.as_str()).filter(|l| !l.is_empty()).collect();
    assert_eq!(names[0], "Start meeting now", "the primary action comes first: {names:?}");
    for wanted in ["Copy viewer link", "Open Meeting Launcher", "Sign in…", "Quit"] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    assert!(names.iter().any(|l| l.starts_with("Start “")), "Start the next meeting: {names:?}");
    assert!(names.contains(&"join.me: alex.morgan@example.com"), "{names:?}");
    assert!(menu.contains(&("Copy viewer link".to_string(), false)), "nothing to copy yet");
    assert!(host.registered().len() == 1, "one icon: {:?}", host.registered());
    type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);
    let tooltip: ToolTip = host.item_property(&item, "ToolTip").expect("the item has a tooltip");
    assert!(tooltip.3.contains("next is "), "the tooltip names the next meeting: {tooltip:?}");

    host.click(&item, "Start meeting now");
    app.wait("the sandbox to record a started meeting", Duration::from_secs(30), || home.started_meetings().len() == 1);
    app.wait("Copy viewer link to be offered", Duration::from_secs(10), || {
        labels(&host).contains(&("Copy viewer link".to_string(), true))
    });

    // A second process's `start` is handed to this app: no second icon registers.
    let out = home.run(&["start", "--no-browser"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(home.started_meetings().len(), 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(host.registered().len(), 1, "one tray icon: {:?}", host.registered());

    host.click(&item, "Quit");
    let status = app.wait_exit(Duration::from_secs(20)).expect("Quit in the tray ends the app");
    assert!(status.success(), "{status}: {}", app.log());
}

#[test]
fn started_minimized_with_a_tray_the_window_stays_hidden_until_open() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    let host = TrayHost::start();
    let mut app = home.start_app(&["--minimized"]);
    let pid = app.pid();
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    std::thread::sleep(Duration::from_secs(2));
    assert!(super::home::windows(pid).is_empty(), "started hidden in the tray");
    host.click(&item, "Open Meeting Launcher");
    app.wait("the window", Duration::from_secs(20), || super::home::windows(pid).len() == 1);
    host.click(&item, "Quit");
    assert!(app.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", app.log());
}
