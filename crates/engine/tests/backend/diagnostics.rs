//! The Help page's commands without a desktop (the command line's backend, most tests): a report with the
//! version and the OS only, and a folder that cannot open said so; the other commands still reach the task.

use launcher_core::diagnostics::VERSION;
use launcher_engine::backend::{Command, Event};

use super::ui::{Ui, sandbox};

#[tokio::test(flavor = "multi_thread")]
async fn diagnostics_without_a_desktop_report_the_version_and_pass_other_commands_on() {
    let mut ui = Ui::start(sandbox().await, None);
    ui.send(Command::RunDiagnostics);
    let Event::Diagnostics(report) = ui.wait_for("the report", |e| matches!(e, Event::Diagnostics(_))).await else {
        unreachable!()
    };
    assert_eq!(report.version, VERSION);
    assert!(report.os.starts_with(std::env::consts::OS), "{report:?}");
    assert!(report.checks.is_empty() && report.log_dir.is_none() && report.log_tail.is_empty(), "{report:?}");
    assert!(report.to_text().contains(&format!("Meeting Launcher {VERSION}")));

    let folder = std::env::temp_dir();
    ui.send(Command::OpenFolder(folder.clone()));
    ui.wait_for("the folder's notice", |e| {
        matches!(e, Event::Notice(text) if text.contains("did not open") && text.contains(&folder.display().to_string()))
    })
    .await;
    // Behind the front, the task still answers.
    ui.send(Command::Reload);
    ui.wait_for("the agenda", |e| matches!(e, Event::Agenda(_))).await;
}
