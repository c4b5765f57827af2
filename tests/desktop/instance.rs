//! One running instance: a second launch hands its request to the first and exits; without one, `start` works
//! on its own. No tray host and no notification server run here: the app works without both.

use std::process::Stdio;
use std::time::Duration;

use super::bus::TrayHost;
use super::desktop_lock;
use super::home::{Home, all_windows, created_windows, output_within, windows};
use super::tray::start_hidden_and_start_a_meeting;

#[test]
fn a_second_launch_forwards_start_open_and_quit_to_the_running_app() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    home.sign_in_joinme();
    let mut app = home.start_app(&[]);
    let pid = app.pid();
    app.wait("the window", Duration::from_secs(60), || windows(pid).len() == 1);

    // `start` in a second process: the running app starts the meeting, the caller prints its links.
    let out = home.run(&["start", "--no-browser"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}\n{}", app.log());
    assert!(stdout.trim().starts_with(&format!("{}/joinme/web/", home.base)), "{stdout}");
    assert!(stderr.contains("started by the running Meeting Launcher"), "{stderr}");
    assert!(stderr.contains("presenter link"), "the caller opens the presenter link itself: {stderr}");
    let started = home.started_meetings();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0]["viewer_link"], stdout.trim());
    assert_eq!(all_windows(), windows(pid), "no second window");

    // `join-next` too: the running app starts the next scheduled meeting.
    let out = home.run(&["join-next", "--no-browser"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}\n{}", app.log());
    assert!(stderr.contains("Joining \""), "{stderr}");
    let started = home.started_meetings();
    assert_eq!(started.len(), 2);
    assert_eq!(started[1]["viewer_link"], stdout.trim());

    // A second launch with no command brings the window forward and exits.
    let mut second = home.command().stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the second launch did not hand over and exit");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success());
    assert_eq!(all_windows(), windows(pid), "still one window");

    // `doctor` sees it without disturbing it.
    let out = home.run(&["doctor"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok   running app: one is running"));
    assert_eq!(all_windows(), windows(pid));

    // `quit` ends the running app.
    let out = home.run(&["quit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let status = app.wait_exit(Duration::from_secs(20)).expect("quit ends the app");
    assert!(status.success(), "{}", app.log());

    // With nothing running, `start` does the work itself.
    let out = home.run(&["start", "--no-browser"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("running Meeting Launcher"), "{stderr}");
    assert_eq!(home.started_meetings().len(), 3);
    let out = home.run(&["join-next", "--no-browser"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(home.started_meetings().len(), 4, "join-next works without the app too");
    let out = home.run(&["quit"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not running"));
}

/// This process's effective user id: the owner of its /proc entry.
fn euid() -> u32 {
    std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap())
}

#[test]
fn the_running_app_refuses_another_users_requests_and_answers_its_own() {
    let _one_at_a_time = desktop_lock();
    if euid() != 0 {
        eprintln!("skipped: running a second launch as another user (setpriv --reuid) needs root");
        return;
    }
    let home = Home::new();
    home.sign_in_joinme();
    let mut app = home.start_app(&[]);
    let pid = app.pid();
    app.wait("the window", Duration::from_secs(60), || windows(pid).len() == 1);

    // `quit` and `start` as the user nobody, with the same environment. The channel is a socket file in this
    // user's private runtime folder, which nobody cannot enter: each runs on its own, as if no app were running.
    let nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    let out = output_within(home.command_via(&nobody).arg("quit"), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Meeting Launcher is not running."), "another user's quit reached no app: {stderr}");
    let out = output_within(home.command_via(&nobody).args(["start", "--no-browser"]), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("running Meeting Launcher"), "the app did not answer another user: {stderr}");
    assert!(home.started_meetings().is_empty(), "nothing was started for another user");

    // Unaffected: still running with its window, and it answers its own user (`doctor` pings it).
    assert!(app.running.0.try_wait().unwrap().is_none(), "the other user's quit did not end the app");
    assert_eq!(windows(pid).len(), 1, "still one window");
    let out = home.run(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok   running app: one is running"), "{stdout}");
    let out = output_within(home.command().args(["start", "--no-browser"]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("started by the running Meeting Launcher"), "its own user's start: {stderr}");

    // The control: the same request from the same user is honoured.
    let out = output_within(home.command().arg("quit"), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Meeting Launcher is quitting."), "{stderr}");
    let status = app.wait_exit(Duration::from_secs(20)).expect("its own user's quit ends the app");
    assert!(status.success(), "{}", app.log());
}

#[test]
fn open_from_a_second_process_brings_the_hidden_window_forward() {
    let _one_at_a_time = desktop_lock();
    let home = Home::new();
    let host = TrayHost::start();
    // Hidden in the tray (checked there), long enough for eframe's first show to be over.
    let (mut app, _item) = start_hidden_and_start_a_meeting(&home, &host);
    let pid = app.pid();

    let out = output_within(home.command().arg("open"), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}\n{}", app.log());
    assert!(stderr.contains("The Meeting Launcher window was brought forward."), "{stderr}");
    app.wait("the window to be shown", Duration::from_secs(20), || windows(pid).len() == 1);
    assert_eq!(created_windows(pid), windows(pid), "the same window, shown; no second one");
    assert_eq!(all_windows(), windows(pid), "no other process opened a window");

    let out = home.run(&["quit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(app.wait_exit(Duration::from_secs(20)).is_some_and(|s| s.success()), "{}", app.log());
}

/// Another user who got to the fallback folder first (`meeting-launcher-<uid>` in the temporary folder, used when
/// there is no private runtime folder) and listens there: the window still opens, and `start` runs on its own
/// rather than being answered by the other user.
#[test]
fn another_user_holding_the_channels_folder_neither_blocks_the_window_nor_answers_start() {
    let _one_at_a_time = desktop_lock();
    if euid() != 0 {
        eprintln!("skipped: acting as another user (setpriv --reuid) needs root");
        return;
    }
    let home = Home::new();
    home.sign_in_joinme();
    // A temporary folder of the test's own, writable by all like /tmp, with no runtime folder set.
    // (Outside the home: the app keeps that folder to its user.)
    let tmp = std::env::temp_dir().join(format!("ml-squat-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o1777)).unwrap();
    let squatted = tmp.join(format!("meeting-launcher-{}", euid()));
    // nobody makes the folder the app would use and listens on every name in it it can think of.
    let squat = "import os, socket, sys, time\n\
                 d = sys.argv[1]; os.mkdir(d, 0o777); os.chmod(d, 0o777)\n\
                 s = socket.socket(socket.AF_UNIX); s.bind(os.path.join(d, 'squat.sock')); s.listen()\n\
                 print('ready', flush=True); time.sleep(120)\n";
    let mut squatter = std::process::Command::new("setpriv")
        // The system's python (apt's python3): a user's own (pyenv) is not another user's to run.
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/usr/bin/python3", "-c", squat])
        .arg(&squatted)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(squatter.stdout.take().unwrap()), &mut ready).unwrap();
    assert_eq!(ready.trim(), "ready");
    let _squatter = super::process::Running(squatter);
    let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&squatted).unwrap());
    assert_eq!(owner, 65534, "control: the folder is the other user's");

    let with_tmp = |mut c: std::process::Command| {
        c.env("TMPDIR", &tmp).env_remove("XDG_RUNTIME_DIR");
        c
    };
    let mut app = {
        let log = home.root.join("app-squat.log");
        let child = with_tmp(home.command())
            .env("MEETING_LAUNCHER_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        super::home::App { running: super::process::Running(child), log }
    };
    let pid = app.pid();
    app.wait("the window, despite the squatter", Duration::from_secs(60), || windows(pid).len() == 1);
    let out = output_within(with_tmp(home.command()).args(["start", "--no-browser"]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("running Meeting Launcher"), "no one answered for the app: {stderr}");
    assert_eq!(home.started_meetings().len(), 1, "the start ran on its own");
    assert!(app.log().contains("is not this user's private folder"), "the app said why: {}", app.log());
    drop(app);
    let _ = std::fs::remove_dir_all(&tmp);
}
