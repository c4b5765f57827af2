//! The window's desktop side without a desktop: a fake tray gets the menu the real one would show, requests go
//! through the same inbox the tray and other launches use, and the close button hides to the tray only when a
//! tray host is confirmed.

use std::sync::{Arc, Mutex};

use egui::{ViewportCommand, ViewportId};
use launcher_core::tray::TrayHost;
use launcher_core::tray::{Entry, TrayAction, TrayModel};
use launcher_engine::backend::Command;
use launcher_engine::providers::Provider;
use launcher_ui::desktop::{AppCommand, TrayView};

use super::harness::{TestApp, start};

#[derive(Clone, Default)]
struct FakeTray(Arc<Mutex<Vec<TrayModel>>>);

impl TrayView for FakeTray {
    fn show(&mut self, model: &TrayModel) {
        self.0.lock().unwrap().push(model.clone());
    }
}

impl FakeTray {
    fn last(&self) -> TrayModel {
        self.0.lock().unwrap().last().cloned().expect("the tray was drawn")
    }

    fn enabled(&self, action: TrayAction) -> bool {
        self.last().entries.iter().any(|e| matches!(e, Entry::Action { action: a, enabled: true, .. } if *a == action))
    }
}

fn with_tray() -> (TestApp, FakeTray) {
    let mut app = start();
    let tray = FakeTray::default();
    app.harness.state_mut().set_tray(Box::new(tray.clone()));
    app.harness.run_steps(20);
    (app, tray)
}

fn close(app: &mut TestApp) -> Vec<ViewportCommand> {
    app.harness.input_mut().viewports.entry(ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    app.harness.step();
    app.harness.output().viewport_output.get(&ViewportId::ROOT).map(|v| v.commands.clone()).unwrap_or_default()
}

#[test]
fn the_tray_menu_follows_the_accounts_and_starts_a_meeting() {
    let (mut app, tray) = with_tray();
    assert!(!tray.enabled(TrayAction::StartNow), "no join.me account yet");
    assert!(tray.last().entries.contains(&Entry::Info("Not signed in".into())));

    app.harness.state().send(Command::StartBrowserSignIn { provider: Provider::Joinme });
    app.wait_until("the sign-in", |a| !a.state.accounts.is_empty());
    app.wait_until("the agenda", |a| !a.state.agenda.is_empty());
    app.harness.step();
    let model = tray.last();
    assert!(matches!(&model.entries[0], Entry::Action { action: TrayAction::StartNow, enabled: true, .. }));
    assert!(model.entries.contains(&Entry::Info("join.me: alex.morgan@example.com".into())));
    assert!(model.tooltip.contains("next is"), "{}", model.tooltip);

    app.harness.state().inbox().send(AppCommand::Tray(TrayAction::StartNow));
    let sandbox = app.sandbox.clone();
    app.wait_until("the meeting to start", |a| a.state.started.is_some());
    assert_eq!(sandbox.control().started_meetings().len(), 1);
    assert!(tray.enabled(TrayAction::CopyViewerLink));
}

#[test]
fn closing_hides_to_a_confirmed_tray_and_open_brings_the_window_back() {
    let (mut app, _tray) = with_tray();
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Present));
    app.harness.step();
    let commands = close(&mut app);
    assert!(commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
    assert!(commands.contains(&ViewportCommand::Visible(false)), "{commands:?}");

    app.harness.state().inbox().send(AppCommand::Show);
    app.harness.step();
    let commands =
        app.harness.output().viewport_output.get(&ViewportId::ROOT).map(|v| v.commands.clone()).unwrap_or_default();
    assert!(commands.contains(&ViewportCommand::Visible(true)), "{commands:?}");
    assert!(commands.contains(&ViewportCommand::Focus), "{commands:?}");

    // Quit from the tray closes for real.
    app.harness.state().inbox().send(AppCommand::Tray(TrayAction::Quit));
    app.harness.step();
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
}

#[test]
fn without_a_tray_host_closing_quits_and_the_app_says_why_once() {
    let (mut app, _tray) = with_tray();
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Missing));
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Missing));
    app.harness.step();
    let banners = &app.harness.state().state.banners;
    assert_eq!(banners.iter().filter(|b| b.text.starts_with("No system tray was found")).count(), 1, "{banners:?}");
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
    assert!(!commands.contains(&ViewportCommand::Visible(false)), "{commands:?}");
}

#[test]
fn with_no_tray_at_all_closing_quits_even_with_a_host() {
    let mut app = start();
    app.harness.run_steps(5);
    app.harness.state().inbox().send(AppCommand::TrayHost(TrayHost::Present));
    app.harness.step();
    let commands = close(&mut app);
    assert!(!commands.contains(&ViewportCommand::CancelClose), "{commands:?}");
}
