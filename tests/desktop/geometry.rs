//! The window remembers its size and position: eframe saves them when the app quits and puts the window back on
//! the next start. Xvfb runs no window manager, so xdotool's requests apply as asked and nothing else places the
//! window.

use std::process::Command;
use std::time::Duration;

use super::desktop_lock;
use super::home::{Home, geometry, windows};

fn xdotool(args: &[&str]) {
    let out = Command::new("xdotool").args(args).output().unwrap();
    assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_window_comes_back_with_the_size_and_position_it_was_left_with() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    let mut app = home.start_app(&[]);
    let pid = app.pid();
    app.wait("the window", Duration::from_secs(60), || windows(pid).len() == 1);
    let window = windows(pid).remove(0);
    // x, y, width, height: within the 1280×800 screen, above the window's minimum size.
    let (x, y, width, height) = (137, 91, 820, 560);
    let first = geometry(&window);
    assert!(first.0 != x && first.2 != width, "a fresh start is elsewhere, so a restore is told apart: {first:?}");

    xdotool(&["windowsize", &window, &width.to_string(), &height.to_string()]);
    xdotool(&["windowmove", &window, &x.to_string(), &y.to_string()]);
    app.wait("the window to be moved and resized", Duration::from_secs(10), || {
        geometry(&window) == (x, y, width, height)
    });
    // A clean quit, so eframe saves the window's state.
    let out = home.run(&["quit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(app.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", app.log());

    let mut again = home.start_app(&[]);
    let pid = again.pid();
    again.wait("the window again", Duration::from_secs(60), || windows(pid).len() == 1);
    let window = windows(pid).remove(0);
    assert_eq!(geometry(&window), (x, y, width, height), "the size and position it was left with");
    let out = home.run(&["quit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(again.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", again.log());
}
