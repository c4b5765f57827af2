//! The tray: a StatusNotifierItem whose menu, driven over D-Bus as a panel drives it, starts a meeting.

use std::time::Duration;

use super::bus::TrayHost;
use super::desktop_lock;
use super::home::{App, Home, created_windows, windows};

/// The menu's entries as (label, enabled).
fn labels(host: &TrayHost, item: &str) -> Vec<(String, bool)> {
    host.menu(item).into_iter().map(|(_, l, e)| (l, e)).collect()
}

fn offered(host: &TrayHost, item: &str, label: &str) -> bool {
    labels(host, item).contains(&(label.to_string(), true))
}

#[test]
fn the_tray_menu_starts_a_meeting_names_the_next_one_and_quits() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    home.sign_in_joinme();
    let host = TrayHost::start();
    let mut app = home.start_app(&[]);
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    app.wait("Start meeting now to be offered", Duration::from_secs(60), || offered(&host, &item, "Start meeting now"));
    app.wait("the next meeting in the menu", Duration::from_secs(30), || {
        labels(&host, &item).iter().any(|(l, _)| l.starts_with("Next: "))
    });
    let menu = labels(&host, &item);
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
    let next = names.iter().find_map(|l| l.strip_prefix("Next: ")).and_then(|l| l.split(" ·").next()).unwrap();
    assert!(tooltip.3.starts_with("Meeting Launcher: ") && tooltip.3.contains(next), "the tooltip: {}", tooltip.3);
    // The countdown without opening the menu: the item's title, and a badge drawn into the icon.
    let title: String = host.item_property(&item, "Title").expect("the item has a title");
    assert!(title.starts_with(next), "the title names the next meeting: {title}");
    let pixmaps: Vec<(i32, i32, Vec<u8>)> = host.item_property(&item, "IconPixmap").expect("the item has an icon");
    let (w, h, argb) = &pixmaps[0];
    let badge_ink = |argb: &[u8]| argb.chunks(4).filter(|p| *p == [240, 32, 33, 36]).count();
    assert!(badge_ink(argb) > (*w * *h / 50) as usize, "the badge's band is drawn into the {w}×{h} icon");

    host.click(&item, "Start meeting now");
    app.wait("the sandbox to record a started meeting", Duration::from_secs(30), || home.started_meetings().len() == 1);
    app.wait("Copy viewer link to be offered", Duration::from_secs(10), || offered(&host, &item, "Copy viewer link"));

    // A second process's `start` is handed to this app, and registers no tray icon of its own.
    let out = home.run(&["start", "--no-browser"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("started by the running Meeting Launcher"), "{stderr}");
    assert_eq!(home.started_meetings().len(), 2);
    // Control: an app of another profile, started after that process exited, does register an icon. Anything
    // the `start` process registered reached the host before it exited, so before this one: once this one is
    // in, the host has heard all there was to hear, and the list holds these two only.
    let other = Home::new();
    let mut control = other.start_app(&[]);
    control.wait("the other profile's tray icon", Duration::from_secs(60), || host.registered().len() >= 2);
    let registered = host.registered();
    assert_eq!(registered.len(), 2, "this app's icon and the control's only: {registered:?}");
    assert_eq!(registered[0], item);
    let out = other.run(&["quit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(control.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", control.log());

    host.click(&item, "Quit");
    let status = app.wait_exit(Duration::from_secs(20)).expect("Quit in the tray ends the app");
    assert!(status.success(), "{status}: {}", app.log());
}

/// Signs in to join.me, starts the app with `--minimized` beside `host`, and starts a meeting from the tray
/// while the window is hidden. Returns once the menu offers that meeting's viewer link: the app has drawn
/// frames after the click, so well after its first frame (after which eframe shows the window and the app
/// hides it again at once), and the window is hidden for good if it ever will be. Checks that it is: created,
/// and not shown.
pub(super) fn start_hidden_and_start_a_meeting(home: &Home, host: &TrayHost) -> (App, String) {
    home.sign_in_joinme();
    let mut app = home.start_app(&["--minimized"]);
    let pid = app.pid();
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    app.wait("Start meeting now to be offered", Duration::from_secs(60), || offered(host, &item, "Start meeting now"));
    host.click(&item, "Start meeting now");
    app.wait("the sandbox to record a started meeting", Duration::from_secs(30), || home.started_meetings().len() == 1);
    app.wait("Copy viewer link to be offered", Duration::from_secs(10), || offered(host, &item, "Copy viewer link"));
    assert_eq!(created_windows(pid).len(), 1, "the window exists");
    assert!(windows(pid).is_empty(), "started hidden in the tray, and still hidden after starting a meeting");
    (app, item)
}

#[test]
fn started_minimized_with_a_tray_the_window_stays_hidden_until_open() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    let host = TrayHost::start();
    let (mut app, item) = start_hidden_and_start_a_meeting(&home, &host);
    let pid = app.pid();
    // The positive control: the same check sees the window once it is shown.
    host.click(&item, "Open Meeting Launcher");
    app.wait("the window", Duration::from_secs(20), || windows(pid).len() == 1);
    host.click(&item, "Quit");
    assert!(app.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", app.log());
}

/// `LANG=de_DE.UTF-8`: the real app speaks German, in the tray as in the window (one locale, read at start).
#[test]
fn with_a_german_locale_the_tray_menu_is_in_german() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    home.sign_in_joinme();
    let host = TrayHost::start();
    let mut app = home.start_app_with(&[], &[("LANG", "de_DE.UTF-8")]);
    app.wait("the tray icon", Duration::from_secs(60), || !host.registered().is_empty());
    let item = host.wait_for_item(Duration::from_secs(1));
    app.wait("Meeting jetzt starten to be offered", Duration::from_secs(60), || {
        offered(&host, &item, "Meeting jetzt starten")
    });
    let menu = labels(&host, &item);
    let names: Vec<&str> = menu.iter().map(|(l, _)| l.as_str()).filter(|l| !l.is_empty()).collect();
    for wanted in ["Meeting Launcher öffnen", "Beenden"] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    // The English menu (the test above) is not what this one shows.
    assert!(!names.contains(&"Start meeting now") && !names.contains(&"Quit"), "{names:?}");
    host.click(&item, "Beenden");
    let status = app.wait_exit(Duration::from_secs(20)).expect("Beenden in the tray ends the app");
    assert!(status.success(), "{status}: {}", app.log());
}
