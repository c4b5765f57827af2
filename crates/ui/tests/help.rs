//! The Help page: the version, the doctor's checks with their fixes, the log folder, and "Copy diagnostics" (no
//! secret in it, though the log holds stand-ins for some). The checks and the file manager are the test's own;
//! the log folder is real files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui_kittest::kittest::Queryable as _;
use launcher_core::diagnostics::{Check, Level, VERSION};
use launcher_engine::backend::DiagnosticsConfig;
use launcher_engine::ports::{Doctor, FolderOpener};
use launcher_ui::Screen;

use super::harness::start;

/// Stand-ins for secrets a log line could quote: the page must not copy them.
const PLANTED: [&str; 2] = ["plantedcode-0123456789", "plantedtoken0123456789abcdefABCDEF"];

struct FixedDoctor;

impl Doctor for FixedDoctor {
    fn run(&self) -> Vec<Check> {
        vec![
            Check::new(Level::Ok, "display", "X11 (:99)", None),
            Check::new(
                Level::Warn,
                "tray",
                "no tray host",
                Some("Add your panel's status-notifier (system tray) applet."),
            ),
        ]
    }
}

/// The folders the test file manager was asked to open, all tests together (each has its own folder).
static OPENED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

struct RecordingFolders;

impl FolderOpener for RecordingFolders {
    fn open_folder(&self, path: &Path) -> Result<(), String> {
        OPENED.lock().unwrap().push(path.to_path_buf());
        Ok(())
    }
}

/// The harness's diagnostics: the fixed checks, and a log folder under `data_dir` with a log file in it.
pub fn config(data_dir: &Path) -> DiagnosticsConfig {
    let log_dir = data_dir.join("logs");
    let _ = std::fs::create_dir_all(&log_dir);
    let lines: String = (0..250).map(|i| format!("INFO launcher_engine: line {i}\n")).collect();
    let secrets = format!("DEBUG callback code={} token {}\n", PLANTED[0], PLANTED[1]);
    let _ = std::fs::write(log_dir.join("meeting-launcher.2026-11-23.log"), lines + &secrets + "INFO last line\n");
    DiagnosticsConfig {
        log_dir: Some(log_dir),
        doctor: Some(Arc::new(FixedDoctor)),
        folders: Some(Arc::new(RecordingFolders)),
    }
}

/// What the last frame put on the clipboard.
pub(super) fn copied(app: &mut super::harness::TestApp) -> Vec<String> {
    let output = app.harness.output();
    output
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn help_shows_the_version_the_checks_and_copies_diagnostics_without_secrets() {
    let mut app = start();
    app.harness.get_by_label(&Screen::Help.title()).click();
    app.harness.step();
    app.harness.get_by_label_contains(&format!("Meeting Launcher {VERSION}"));
    app.wait_until("the checks", |a| a.state.diagnostics.is_some());
    app.harness.run();
    app.harness.get_by_label("display: X11 (:99)");
    app.harness.get_by_label("tray: no tray host");
    app.harness.get_by_label("Fix: Add your panel's status-notifier (system tray) applet.");
    let log_dir = app.harness.state().state.diagnostics.as_ref().unwrap().log_dir.clone().unwrap();
    app.harness.get_by_label_contains(&log_dir.display().to_string());

    app.harness.get_by_label("Copy diagnostics").click();
    app.harness.step();
    let copied = copied(&mut app);
    let text = copied.iter().find(|t| t.contains("doctor:")).expect("the diagnostics were copied");
    assert!(text.contains(&format!("Meeting Launcher {VERSION}")), "{text}");
    assert!(text.contains(&format!("OS: {} {}", std::env::consts::OS, std::env::consts::ARCH)), "{text}");
    assert!(text.contains("Desktop: "), "{text}");
    assert!(text.contains("ok   display: X11 (:99)") && text.contains("warn tray: no tray host"), "{text}");
    assert!(text.contains("     fix: Add your panel's"), "{text}");
    // The last 200 lines of the log: its last line, not its first.
    assert!(text.contains("Last 200 log lines:") && text.contains("INFO last line"), "{text}");
    assert!(text.contains("line 249") && !text.contains("line 0\n"), "{text}");
    // The control: the planted values are in the log file, and not in what was copied.
    let log = std::fs::read_to_string(log_dir.join("meeting-launcher.2026-11-23.log")).unwrap();
    for planted in PLANTED {
        assert!(log.contains(planted));
        assert!(!text.contains(planted), "a secret was copied: {text}");
    }

    app.harness.get_by_label("Open log folder").click();
    app.harness.step();
    app.wait_until("the folder opened", |_| OPENED.lock().unwrap().contains(&log_dir));
}

#[test]
fn each_visit_to_help_checks_again() {
    let mut app = start();
    app.harness.get_by_label(&Screen::Help.title()).click();
    app.wait_until("the checks", |a| a.state.diagnostics.is_some());
    app.harness.state_mut().state.diagnostics = None;
    app.harness.get_by_label(&Screen::Agenda.title()).click();
    app.harness.step();
    app.harness.get_by_label(&Screen::Help.title()).click();
    app.harness.step();
    app.harness.get_by_label("Checking…");
    app.wait_until("the checks again", |a| a.state.diagnostics.is_some());
}
