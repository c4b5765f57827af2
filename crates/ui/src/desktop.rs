//! The window's life on the desktop: what the tray, other launches and the close button ask of it. Requests
//! arrive on an [`Inbox`] from other threads (which wakes the window, even hidden) and are handled in
//! `logic`, so a hidden window still starts meetings and comes back.

use launcher_core::t;
use launcher_core::tray::{TrayAction, TrayHost, TrayModel};
use launcher_engine::backend::{Command, Event, Trigger};

use crate::model::AppState;
use crate::model::Screen;
use crate::model::tray as tray_model;

/// What other threads ask of the window.
#[derive(Debug, Clone, PartialEq)]
pub enum AppCommand {
    Tray(TrayAction),
    /// Bring the window forward (a second launch).
    Show,
    Quit,
    /// What the start-up check found.
    TrayHost(TrayHost),
    /// The desktop's light or dark preference, at start and as it changes.
    ColorScheme(launcher_core::appearance::ColorScheme),
}

/// Sends [`AppCommand`]s to the window from any thread and wakes it.
#[derive(Clone)]
pub struct Inbox {
    tx: std::sync::mpsc::Sender<AppCommand>,
    ctx: egui::Context,
}

impl Inbox {
    pub fn send(&self, command: AppCommand) {
        if self.tx.send(command).is_ok() {
            self.ctx.request_repaint();
        }
    }
}

/// Shows the tray menu; the real one is the desktop layer's `SystemTray`, wired in by the binary.
pub trait TrayView {
    fn show(&mut self, model: &TrayModel);
}

pub struct Desktop {
    inbox: Inbox,
    rx: std::sync::mpsc::Receiver<AppCommand>,
    tray: Option<Box<dyn TrayView>>,
    tray_host: Option<TrayHost>,
    told_no_tray: bool,
    quitting: bool,
    /// Whether the window had the focus last pass: gaining it asks for a fresh agenda.
    was_focused: bool,
    /// Wayland cannot hide a window (winit #2388): it is minimized instead.
    wayland: bool,
}

impl Desktop {
    pub fn new(ctx: &egui::Context) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty());
        Self {
            inbox: Inbox { tx, ctx: ctx.clone() },
            rx,
            tray: None,
            tray_host: None,
            told_no_tray: false,
            quitting: false,
            wayland,
            was_focused: false,
        }
    }

    pub fn inbox(&self) -> Inbox {
        self.inbox.clone()
    }

    pub fn set_tray(&mut self, tray: Box<dyn TrayView>) {
        self.tray = Some(tray);
    }

    /// Closing hides to the tray only when a tray icon is there and something shows it: otherwise the user
    /// could not get the window back.
    pub fn tray_confirmed(&self) -> bool {
        self.tray.is_some() && self.tray_host == Some(TrayHost::Present)
    }

    /// Handles what arrived, keeps the tray current, and turns a close into a hide when there is a tray.
    pub fn logic(
        &mut self,
        ctx: &egui::Context,
        state: &mut AppState,
        screen: &mut Screen,
        send: &mut dyn FnMut(Command),
    ) {
        while let Ok(command) = self.rx.try_recv() {
            match command {
                AppCommand::Show => {
                    show(ctx);
                    send(Command::Refresh(Trigger::WindowShown));
                }
                AppCommand::Quit => self.quit(ctx),
                AppCommand::TrayHost(host) => self.tray_host_found(host, state),
                AppCommand::ColorScheme(scheme) => state.desktop_scheme = Some(scheme),
                AppCommand::Tray(action) => self.tray_action(action, ctx, state, screen, send),
            }
        }
        // Shown or focused: the agenda is reloaded as soon as the request budget allows.
        let focused = ctx.input(|i| i.viewport().focused.unwrap_or(false));
        if focused && !self.was_focused {
            send(Command::Refresh(Trigger::WindowShown));
        }
        self.was_focused = focused;
        let now = state.now;
        if let Some(tray) = &mut self.tray {
            tray.show(&tray_model::build(state, now));
            // The countdown moves once a minute; nothing else wakes the app while it is idle.
            if let Some(at) = tray_model::next_change(state, now) {
                ctx.request_repaint_after((at - now).to_std().unwrap_or_default());
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting && self.tray_confirmed() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.wayland {
                ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(true));
            } else {
                ctx.send_viewport_cmd(egui::ViewportCommand::Visible(false));
            }
        }
    }

    fn quit(&mut self, ctx: &egui::Context) {
        self.quitting = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn tray_host_found(&mut self, host: TrayHost, state: &mut AppState) {
        let missing = host != TrayHost::Present;
        self.tray_host = Some(host);
        if missing && !self.told_no_tray {
            self.told_no_tray = true;
            state.apply(Event::Notice(t!("window-no-tray")));
        }
    }

    fn tray_action(
        &mut self,
        action: TrayAction,
        ctx: &egui::Context,
        state: &AppState,
        screen: &mut Screen,
        send: &mut dyn FnMut(Command),
    ) {
        match action {
            TrayAction::StartNow => send(Command::QuickStart { personal_url: false, open_browser: true, reply: None }),
            TrayAction::StartNext => send(Command::JoinNext { open_browser: true, reply: None }),
            TrayAction::CopyViewerLink => {
                if let Some(started) = &state.started {
                    ctx.copy_text(started.viewer_link.clone());
                }
            }
            TrayAction::Open => {
                show(ctx);
                send(Command::Refresh(Trigger::WindowShown));
            }
            TrayAction::SignIn => {
                *screen = Screen::Accounts;
                show(ctx);
            }
            TrayAction::Quit => self.quit(ctx),
        }
    }
}

fn show(ctx: &egui::Context) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
}
