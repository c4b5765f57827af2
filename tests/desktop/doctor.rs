//! `meeting-launcher doctor`: each check, and a fix for each problem.

use super::bus::TrayHost;
use super::desktop_lock;
use super::home::Home;

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn doctor_checks_the_desktop_and_network_and_says_how_to_fix_what_is_missing() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();

    // The test session has a display, a keychain and the sandbox, but no tray host or notification server.
    let out = home.run(&["doctor"]);
    let shown = text(&out);
    assert!(out.status.success(), "only warnings: {shown}");
    for line in [
        "ok   display: X11",
        "warn tray: no tray host",
        "fix: On GNOME install and enable \"AppIndicator and KStatusNotifierItem Support\"",
        "warn notifications: no notification server",
        "fix: Install a notification daemon",
        "ok   keychain: the system keychain keeps sign-ins",
        "ok   network: join.me answers at 127.0.0.1",
        "ok   network: MeetingBooster answers",
        "ok   network: joind.in answers",
        "ok   running app: none",
    ] {
        assert!(shown.contains(line), "{line:?} missing from:\n{shown}");
    }

    // With a tray host on the bus, the tray is fine.
    let host = TrayHost::start();
    let shown = text(&home.run(&["doctor"]));
    assert!(shown.contains("ok   tray: a StatusNotifierItem host is running"), "{shown}");
    drop(host);

    // No display: a failure, with what to do instead.
    let out = home.command().arg("doctor").env_remove("DISPLAY").output().unwrap();
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("FAIL display: none"), "{shown}");
    assert!(shown.contains("fix: Run the app from a desktop session"), "{shown}");

    // A server that is down: named, with the fix.
    let config = home.root.join("down.toml");
    std::fs::create_dir_all(&home.root).unwrap();
    std::fs::write(&config, "[meetingbooster]\nserver = \"http://127.0.0.1:9\"\nallow_http = true\n").unwrap();
    let out = super::process::bin()
        .env("XDG_DATA_HOME", home.root.join("data"))
        .args(["--config", config.to_str().unwrap(), "doctor"])
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("FAIL network: Cannot reach MeetingBooster at 127.0.0.1"), "{shown}");
    assert!(shown.contains("fix: Check the connection"), "{shown}");
}
