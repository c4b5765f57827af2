//! `cargo xtask bench`: the app measured against references taken in the same run, as ratios, never as times
//! that depend on the machine:
//!
//! - the window: launch to a visible window, resident memory 3 s after, and the release binary's size, against a
//!   bare eframe window of the same eframe version, features and renderer (`bench/bare-window`), the two launched
//!   in turn under the display found (Xvfb when there is none);
//! - the command line: `start` handed to the running app, and `start` with no app running, against one plain
//!   HTTP request to the same sandbox (`curl`);
//! - the frame costs of the long lists (`crates/ui/benches/ui_lists.rs`), against their budget.
//!
//! Medians of several runs. The table goes to stdout and `target/bench/results.md`; the command fails when a goal
//! is missed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::session::{Helpers, Scratch};

/// The hidden subcommand that measures, inside `dbus-run-session`.
pub const INNER: &str = "__bench-in-session";

/// Runs of each measurement; the median is kept. The command line's are short and noisier: more of them.
const RUNS: usize = 5;
const START_RUNS: usize = 11;

/// What a figure is held to: the app's value over the reference's at most `max`.
struct Figure {
    name: &'static str,
    app: f64,
    reference: f64,
    unit: &'static str,
    max: f64,
}

impl Figure {
    fn ratio(&self) -> f64 {
        self.app / self.reference
    }

    fn met(&self) -> bool {
        self.ratio() <= self.max
    }
}

pub fn run() -> Result<(), String> {
    crate::apt::ensure(&[crate::apt::RUN, crate::apt::TEST])?;
    crate::status(crate::cargo().args(["build", "--release", "-p", "meeting-launcher", "-p", "bench-bare-window"]))?;
    // The frame costs, in the same run: their own bench prints one line per list.
    let frames = crate::cargo()
        .args(["bench", "-p", "launcher-ui", "--bench", "ui_lists"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the frame benchmark: {e}"))?;
    let frames = String::from_utf8_lossy(&frames.stdout).into_owned();
    let scratch = Scratch::new("bench")?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new("dbus-run-session");
    scratch
        .apply(command.arg("--").arg(me).arg(INNER))
        .env("CARGO_HOME", crate::session::cargo_home())
        .env("RUSTUP_HOME", crate::session::rustup_home())
        .env("ML_BENCH_FRAMES", frames)
        .env("ML_BENCH_ROOT", std::env::current_dir().map_err(|e| e.to_string())?)
        .env_remove("WAYLAND_DISPLAY");
    crate::status(&mut command)
}

pub fn inner() -> Result<(), String> {
    let root = PathBuf::from(std::env::var("ML_BENCH_ROOT").map_err(|_| "run `cargo xtask bench`")?);
    let release = root.join("target/release");
    let (app, bare) = (release.join("meeting-launcher"), release.join("bench-bare-window"));
    let mut helpers = Helpers(Vec::new());
    crate::session::start_keyring(&mut helpers)?;
    let display = match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => d,
        _ => crate::session::start_xvfb(&mut helpers)?,
    };
    eprintln!("xtask: measuring on {display}, {RUNS} runs of each, the app and its reference in turn");

    // The window: a new home each launch, so the app starts as a new user's (demo mode). The driver's shader
    // cache is the machine's, not the app's: one for both, warmed by a launch of each that is not counted.
    // (In each home's own cache, whichever binary started first compiled the shaders both use: the same ~100 ms
    // charged to one of them.)
    let shaders = Scratch::new("bench-shader-cache")?;
    for binary in [&app, &bare] {
        launch_and_rss(binary, &display, &Scratch::new("bench-warm-up")?, &shaders.0)?;
    }
    let mut launches = (Vec::new(), Vec::new());
    let mut memory = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let home = Scratch::new(&format!("bench-home-{run}"))?;
        for (binary, times, rss) in [(&app, &mut launches.0, &mut memory.0), (&bare, &mut launches.1, &mut memory.1)] {
            let (launch, resident) = launch_and_rss(binary, &display, &home, &shaders.0)?;
            times.push(launch.as_secs_f64());
            rss.push(resident as f64 / 1_048_576.0);
        }
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1_048_576.0).map_err(|e| e.to_string());

    // The command line against one HTTP request to the same sandbox.
    let starts = start_paths(&app, &display)?;

    let mut figures = vec![
        Figure {
            name: "launch to a visible window (demo)",
            app: median(launches.0),
            reference: median(launches.1),
            unit: "s",
            max: 1.15,
        },
        Figure {
            name: "resident memory 3 s after",
            app: median(memory.0),
            reference: median(memory.1),
            unit: "MB",
            max: 1.3,
        },
        Figure { name: "release binary", app: size(&app)?, reference: size(&bare)?, unit: "MB", max: 1.3 },
    ];
    let request = median(starts.requests);
    figures.push(Figure {
        name: "`start` handed to the running app",
        app: median(starts.handed),
        reference: request,
        unit: "ms",
        max: 1.5,
    });
    figures.push(Figure {
        name: "`start` with no app running",
        app: median(starts.alone),
        reference: request,
        unit: "ms",
        max: 3.0,
    });
    let frames = std::env::var("ML_BENCH_FRAMES").unwrap_or_default();
    let table = report(&figures, &frames);
    println!("{table}");
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("results.md"), &table).map_err(|e| e.to_string())?;
    eprintln!("xtask: written to {}", out.join("results.md").display());
    let missed: Vec<&str> = figures.iter().filter(|f| !f.met()).map(|f| f.name).collect();
    let frames_missed = frames.contains("over budget") || !frames.contains("median frame");
    match (missed.is_empty(), frames_missed) {
        (true, false) => Ok(()),
        _ => Err(format!("goals missed: {}{}", missed.join("; "), if frames_missed { "; frame costs" } else { "" })),
    }
}

/// Launches `binary` in `home` and times it until its window is visible; then its resident memory 3 s after.
/// Mesa keeps its compiled shaders in `shaders`.
fn launch_and_rss(binary: &Path, display: &str, home: &Scratch, shaders: &Path) -> Result<(Duration, u64), String> {
    let mut command = Command::new(binary);
    home.apply(&mut command).env("DISPLAY", display).env("XDG_STATE_HOME", home.0.join("state"));
    command.env("MESA_SHADER_CACHE_DIR", shaders);
    crate::session::software_rendering(&mut command);
    let log = home.0.join(format!("{}.log", binary.file_name().and_then(|n| n.to_str()).unwrap_or("app")));
    let stderr = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let began = Instant::now();
    let child = command.stdout(Stdio::null()).stderr(stderr).spawn().map_err(|e| e.to_string())?;
    let mut child = Killed(child);
    let pid = child.0.id();
    let deadline = began + Duration::from_secs(30);
    loop {
        let found = Command::new("xdotool")
            .env("DISPLAY", display)
            .args(["search", "--onlyvisible", "--pid", &pid.to_string()])
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success() && !o.stdout.is_empty());
        if found {
            break;
        }
        if Instant::now() > deadline || child.0.try_wait().ok().flatten().is_some() {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{} showed no window within 30 s: {said}", binary.display()));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let launch = began.elapsed();
    std::thread::sleep(Duration::from_secs(3));
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
    let rss_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or("no VmRSS")?;
    drop(child);
    Ok((launch, rss_kb.saturating_mul(1024)))
}

/// Samples in milliseconds: `start` handed over, `start` alone, and the plain requests.
struct StartSamples {
    handed: Vec<f64>,
    alone: Vec<f64>,
    requests: Vec<f64>,
}

/// `start --no-browser` handed to a running app, and with none running, against `curl` to the same sandbox.
fn start_paths(app: &Path, display: &str) -> Result<StartSamples, String> {
    let home = Scratch::new("bench-start")?;
    let mut sandbox = Command::new(app);
    let sandbox = Killed(
        home.apply(sandbox.args(["sandbox", "--auto-approve"]))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?,
    );
    let base = sandbox_base(sandbox)?;
    let (sandbox, base) = base;
    let cli = |args: &[&str]| {
        let mut c = Command::new(app);
        home.apply(&mut c).env("DISPLAY", display).args(["--sandbox", &base]).args(args);
        crate::session::software_rendering(&mut c);
        c
    };
    sign_in_joinme(cli(&["sign-in", "joinme", "--no-browser"]))?;
    let time = |mut command: Command| -> Result<f64, String> {
        let began = Instant::now();
        let out = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).output();
        let out = out.map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(began.elapsed().as_secs_f64() * 1000.0)
    };
    let curl = || {
        let mut c = Command::new("curl");
        c.args(["-sf", "-o", "/dev/null", &format!("{base}/_sandbox/config")]);
        c
    };
    let (mut alone, mut requests) = (Vec::new(), Vec::new());
    for _ in 0..START_RUNS {
        requests.push(time(curl())?);
        alone.push(time(cli(&["start", "--no-browser"]))?);
    }
    // The app running (the window), then `start` handed to it.
    let window = Killed(cli(&[]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| e.to_string())?);
    let pid = window.0.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--onlyvisible", "--pid", &pid])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
    {
        if Instant::now() > deadline {
            return Err("the app showed no window within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Its sign-in restored and its agenda loaded.
    std::thread::sleep(Duration::from_secs(3));
    let mut handed = Vec::new();
    for _ in 0..START_RUNS {
        requests.push(time(curl())?);
        handed.push(time(cli(&["start", "--no-browser"]))?);
    }
    drop(window);
    drop(sandbox);
    Ok(StartSamples { handed, alone, requests })
}

/// The sandbox's base URL from the JSON line it prints first.
fn sandbox_base(mut sandbox: Killed) -> Result<(Killed, String), String> {
    use std::io::BufRead as _;
    let stdout = sandbox.0.stdout.take().ok_or("the sandbox printed nothing")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    let key = "\"base\":\"";
    let start = line.find(key).ok_or_else(|| format!("no base in {line}"))? + key.len();
    let end = line[start..].find('"').ok_or("no base")? + start;
    Ok((sandbox, line[start..end].to_string()))
}

/// `sign-in joinme --no-browser`, with the "browser" played by curl: the sandbox approves at once and redirects
/// to the app's loopback callback.
fn sign_in_joinme(mut command: Command) -> Result<(), String> {
    use std::io::BufRead as _;
    let mut child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(|e| e.to_string())?;
    // The authorization URL is its first line.
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut url).map_err(|e| e.to_string())?;
    let url = url.trim().to_string();
    let redirect = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{redirect_url}", &url])
        .output()
        .map_err(|e| e.to_string())?;
    let callback = String::from_utf8_lossy(&redirect.stdout).to_string();
    let _ = Command::new("curl").args(["-s", "-o", "/dev/null", &callback]).status();
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err("the bench's join.me sign-in failed".into()) }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The table, with the machine it came from.
fn report(figures: &[Figure], frames: &str) -> String {
    let machine = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut out = format!(
        "Measured by `cargo xtask bench` on {machine}, {cores} cores, release build, medians of {RUNS} runs ({START_RUNS} for the command line).\n\n\
         | figure | the app | reference | ratio | goal | |\n|---|---|---|---|---|---|\n"
    );
    for f in figures {
        let reference = if f.unit == "ms" { "one HTTP request (curl)" } else { "bare eframe window" };
        out.push_str(&format!(
            "| {} | {:.2} {} | {:.2} {} ({reference}) | {:.2}× | ≤ {:.2}× | {} |\n",
            f.name,
            f.app,
            f.unit,
            f.reference,
            f.unit,
            f.ratio(),
            f.max,
            if f.met() { "met" } else { "**missed**" }
        ));
    }
    out.push_str("\nFrame costs (UI pass, no GPU):\n\n");
    for line in frames.lines().filter(|l| l.contains("median frame")) {
        out.push_str(&format!("- {}\n", line.trim()));
    }
    out
}

/// A child killed (and reaped) when dropped, however the bench ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
