//! The real window under Xvfb (which `cargo xtask test` provides): it appears with its class, idles at zero
//! CPU, and its screenshot goes into the README.

use std::process::{Command, Stdio};

use super::process::Running;
use std::time::{Duration, Instant};

/// The process's user and system CPU time in clock ticks. A stat that cannot be read or parsed fails the test:
/// counting it as 0 would pass the idle check without measuring anything.
fn cpu_ticks(pid: u32) -> u64 {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    // Fields after the command name (which may hold spaces and parentheses): utime and stime are the 12th and
    // 13th of those.
    let (_, after) = stat.rsplit_once(')').unwrap_or_else(|| panic!("no command name in {path}: {stat:?}"));
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize, name: &str| -> u64 {
        fields
            .get(i)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} (field {}) in {path}: {stat:?}", i + 3))
    };
    field(11, "utime") + field(12, "stime")
}

#[test]
fn with_nothing_configured_the_demo_window_appears_and_idles() {
    // Other tests' windows share the display (and the instance tests count the windows on it).
    let _one_at_a_time = super::desktop::desktop_lock();
    let display = std::env::var("DISPLAY").expect("run with `cargo xtask test`, which starts Xvfb");
    let root = std::env::temp_dir().join(format!("ml-window-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&root).unwrap();
    let log = root.join("app.log");
    let child = Command::new(env!("CARGO_BIN_EXE_meeting-launcher"))
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("MEETING_LAUNCHER_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut running = Running(child);

    // The window appears, titled, with the class the .desktop file names.
    let deadline = Instant::now() + Duration::from_secs(60);
    let window = loop {
        let out = Command::new("xdotool")
            .args(["search", "--pid", &pid.to_string(), "--name", "^Meeting Launcher$"])
            .output()
            .unwrap();
        let id = String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_string);
        if let Some(id) = id {
            break id;
        }
        if let Ok(Some(status)) = running.0.try_wait() {
            panic!("the app exited ({status}): {}", std::fs::read_to_string(&log).unwrap_or_default());
        }
        assert!(Instant::now() < deadline, "no window appeared");
        std::thread::sleep(Duration::from_millis(200));
    };
    let class = Command::new("xprop").args(["-id", &window, "WM_CLASS"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&class.stdout).contains("\"org.meetinglauncher.MeetingLauncher\""),
        "{}",
        String::from_utf8_lossy(&class.stdout)
    );

    // Let the demo load (its sign-ins, agenda and first frames), then measure: an idle window burns no CPU (no
    // repaint loop). Loaded means two seconds in a row with next to no CPU; a repaint loop never gets there.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet = 0;
    while quiet < 2 {
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(1));
        quiet = if cpu_ticks(pid) - before <= 2 { quiet + 1 } else { 0 };
        assert!(Instant::now() < deadline, "the window never went idle: a repaint loop");
    }
    let screenshot = root.join("window.png");
    let _ = Command::new("import").args(["-window", &window]).arg(&screenshot).status();
    if let Ok(path) = std::env::var("MEETING_LAUNCHER_SCREENSHOT") {
        let _ = std::fs::copy(&screenshot, path);
    }
    // Then it stays idle. A repaint loop makes every second busy; the app's own timers (the countdown's minute,
    // the agenda's reload every two minutes or once the window gains focus) may wake it for one second, two if
    // they straddle a boundary, at any moment, so a single total would fail at random (it did in CI, 14 ticks).
    // 100 ticks a second: busy is more than 0.02 s of CPU in a second (a repaint loop burns a whole core).
    let each_second = |n: usize| -> Vec<u64> {
        (0..n)
            .map(|_| {
                let before = cpu_ticks(pid);
                std::thread::sleep(Duration::from_secs(1));
                cpu_ticks(pid) - before
            })
            .collect()
    };
    let busy = |seconds: &[u64]| seconds.iter().filter(|&&ticks| ticks > 2).count();
    let idle = each_second(6);
    assert!(busy(&idle) <= 2, "the idle window was busy in {} of 6 seconds (ticks each second: {idle:?})", busy(&idle));
    // Control: a window that keeps repainting (here for a pointer moving over it) is seen as busy.
    let moving = std::thread::spawn({
        let window = window.clone();
        move || {
            let until = Instant::now() + Duration::from_secs(3);
            let mut x = 0;
            while Instant::now() < until {
                x = (x + 37) % 400;
                let _ =
                    Command::new("xdotool").args(["mousemove", "--window", &window, &x.to_string(), "200"]).status();
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
    let repainting = each_second(3);
    moving.join().unwrap();
    eprintln!("CPU ticks each second: idle {idle:?}, repainting {repainting:?}");
    assert!(busy(&repainting) >= 2, "a repainting window was seen busy in too few seconds: {repainting:?}");
    assert!(running.0.try_wait().unwrap().is_none(), "still running, still responsive");
    // The backend (with the demo's sandbox) waited for the first frame, and the window let it go then.
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("backend starting: released"), "{said}");
    let _ = std::fs::remove_dir_all(root);
}
