//! The window: a model ([`model`]: the state reduced from the backend's events, the tray menu) and views
//! (`views/`, one file per screen) that only draw it and push commands. It never waits on the network, the
//! keychain or the disk: everything goes through the engine's backend, whose events wake the window.

pub mod desktop;
pub mod model;
mod views;

use views::shortcuts::Shortcut;
use views::{
    banners, calendars, connect, events, help, presenters, scheduler, settings, sign_in, tokens, welcome, widgets,
};

use std::sync::Arc;

use launcher_engine::backend::{Backend, BackendConfig, Command, Event, Notifier};
use launcher_engine::providers::Provider;
use launcher_engine::settings::Settings;

use launcher_core::app::{APP_ID, ICON_PNG, TITLE};
use launcher_core::appearance::ColorScheme;
use launcher_core::i18n::{self, Locale};
use launcher_core::t;
use launcher_engine::ports::Clock;

pub use model::form::MeetingForm;
pub use model::{AppState, Screen};

pub struct App {
    backend: Option<Backend>,
    events: std::sync::mpsc::Receiver<Event>,
    pub state: AppState,
    pub screen: Screen,
    scheduler: scheduler::SchedulerView,
    sign_in: sign_in::SignInView,
    add_calendar: calendars::AddCalendarView,
    presenters: presenters::PresentersView,
    events_view: events::EventsView,
    settings: settings::SettingsView,
    help: help::HelpView,
    connect: connect::ConnectView,
    /// The welcome card was dismissed (remembered between runs).
    welcomed: bool,
    /// The locale the system asked for when the window was made: what "As the system" means in Settings.
    system_locale: Locale,
    /// The viewer link last put on the clipboard, so each started meeting's is copied once.
    copied_viewer_link: Option<String>,
    desktop: desktop::Desktop,
    clock: Arc<dyn Clock>,
    /// Set-up that can wait until the first frame is on screen (the tray and its icon).
    after_first_frame: Option<AfterFirstFrame>,
    /// The theme setting and the desktop's scheme last handed to egui, so egui is told once per change.
    applied_theme: Option<(launcher_engine::settings::Theme, Option<ColorScheme>)>,
    /// At the end of the last frame, a text field or a menu would have taken Esc (see `shortcuts::esc_is_taken`).
    esc_taken: bool,
}

/// See [`App::after_first_frame`].
type AfterFirstFrame = Box<dyn FnOnce(&mut App, &egui::Context)>;

const SCREEN_KEY: &str = "screen";
const WELCOMED_KEY: &str = "welcomed";

impl App {
    /// Starts the backend, whose every event wakes this window.
    pub fn new(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        backend: impl FnOnce(Notifier) -> BackendConfig,
    ) -> Self {
        let repaint = ctx.clone();
        let config = backend(Arc::new(move || repaint.request_repaint()));
        // The window's countdowns read the backend's clock.
        let clock = config.clock.clone();
        let (backend, events) = Backend::start(config);
        let screen = storage.and_then(|s| eframe::get_value(s, SCREEN_KEY)).unwrap_or(Screen::Agenda);
        let welcomed = storage.and_then(|s| eframe::get_value(s, WELCOMED_KEY)).unwrap_or(false);
        Self {
            backend: Some(backend),
            events,
            state: AppState::default(),
            screen,
            scheduler: Default::default(),
            sign_in: Default::default(),
            add_calendar: Default::default(),
            presenters: Default::default(),
            events_view: Default::default(),
            settings: settings::SettingsView::new(None, Settings::default()),
            help: Default::default(),
            connect: Default::default(),
            welcomed,
            system_locale: i18n::current(),
            copied_viewer_link: None,
            desktop: desktop::Desktop::new(ctx),
            clock,
            after_first_frame: None,
            applied_theme: None,
            esc_taken: false,
        }
    }

    /// Runs `setup` at the first frame after the first one is on screen: nothing but the window's own set-up
    /// stands between a launch and a visible window.
    pub fn after_first_frame(&mut self, setup: impl FnOnce(&mut App, &egui::Context) + 'static) {
        self.after_first_frame = Some(Box::new(setup));
    }

    /// Where the tray and other launches send what they ask for.
    pub fn inbox(&self) -> desktop::Inbox {
        self.desktop.inbox()
    }

    pub fn set_tray(&mut self, tray: Box<dyn desktop::TrayView>) {
        self.desktop.set_tray(tray);
    }

    /// A sender to the backend for other threads.
    pub fn backend_handle(&self) -> Option<launcher_engine::backend::BackendHandle> {
        self.backend.as_ref().map(Backend::handle)
    }

    /// What the settings screen said after the last save.
    pub fn settings_message(&self) -> Option<&str> {
        self.settings.message.as_deref()
    }

    /// The last answer about a MeetingBooster address typed in Settings: the address, and what came of it.
    pub fn settings_checked(&self) -> Option<(&str, &Result<(), String>)> {
        self.settings.mb_check.answer()
    }

    /// The meeting form, when it is open (tests set its times directly).
    pub fn form_mut(&mut self) -> Option<&mut MeetingForm> {
        self.scheduler.form.as_mut()
    }

    pub fn send(&self, command: Command) {
        if let Some(backend) = &self.backend {
            backend.send(command);
        }
    }

    /// Applies what the backend said since the last frame.
    pub fn drain_events(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.apply(event);
        }
    }

    /// Takes one event from the backend (tests hand some in directly).
    pub fn apply(&mut self, event: Event) {
        if let Event::Settings { settings, .. } = &event {
            self.apply_language(settings.general.language);
        }
        if let Event::Settings { paths, settings } = &event
            && (self.settings.loaded != *settings || self.settings.paths != *paths)
        {
            // Settings applied after a save come back: the form shows them, and still says it saved. The same
            // settings again (the services set up again after a secret's change) keep the form as it is.
            let message = self.settings.message.take();
            let secret_message = self.settings.secret_message.take();
            let last_save = self.settings.last_save.take();
            let mb_check = std::mem::take(&mut self.settings.mb_check);
            self.settings = settings::SettingsView::new(paths.clone(), settings.clone());
            self.settings.message = message;
            self.settings.last_save = last_save;
            self.settings.mb_check = mb_check;
            self.settings.secret_message = secret_message;
        }
        if let Event::Diagnostics(_) = &event {
            self.help.loaded();
        }
        if let Event::ServerChecked { id, result } = &event {
            self.settings.mb_check.answered(*id, result.clone());
        }
        if let Event::AppSecretSaved { name, result } = &event {
            self.settings.secret_saved(*name, result.clone());
        }
        if let Event::SettingsSaved(result) = &event {
            // The look and the language are the window's own: in force the moment the file has them, before the
            // backend reads it back (and the language before "Saved" is said in it).
            if result.is_ok() {
                self.state.theme = self.settings.settings.general.theme;
                self.apply_language(self.settings.settings.general.language);
            }
            self.settings.saved(result.clone());
        }
        let demo_ended = matches!(&event, Event::Demo { base: None }) && self.state.demo.is_some();
        self.state.apply(event);
        if demo_ended {
            // A meeting form or details for one of the demo's meetings would act on services that are gone.
            self.scheduler.form = None;
            self.scheduler.details = None;
        }
    }

    /// The language the settings choose, or the system's: every string drawn from the next frame on, the tray's
    /// and the notifications' too.
    fn apply_language(&mut self, language: Option<i18n::Language>) {
        let wanted = language.map_or(self.system_locale, |l| self.system_locale.with_language(l));
        if i18n::current() != wanted {
            i18n::set(wanted);
        }
    }

    /// The settings' theme, handed to egui when it or the desktop's scheme changes. "As the desktop" follows the
    /// scheme the desktop layer heard (the XDG portal on Linux, where winit reports none); a portal with no
    /// preference (GNOME's default style) means light, as GNOME's own apps draw it. Without a portal, egui's System
    /// preference, which follows what winit reports (Windows, macOS).
    fn apply_theme(&mut self, ctx: &egui::Context) {
        use launcher_engine::settings::Theme;
        let wanted = (self.state.theme, self.state.desktop_scheme);
        if self.applied_theme == Some(wanted) {
            return;
        }
        self.applied_theme = Some(wanted);
        ctx.set_theme(match wanted {
            (Theme::Light, _) | (Theme::System, Some(ColorScheme::Light | ColorScheme::NoPreference)) => {
                egui::ThemePreference::Light
            }
            (Theme::Dark, _) | (Theme::System, Some(ColorScheme::Dark)) => egui::ThemePreference::Dark,
            (Theme::System, _) => egui::ThemePreference::System,
        });
    }

    /// What the keyboard asked for this frame (the table is `views/shortcuts.rs`).
    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let form_open = self.screen == Screen::Agenda && self.scheduler.form.is_some();
        for shortcut in views::shortcuts::pressed(ctx, form_open, self.esc_taken) {
            match shortcut {
                Shortcut::NewMeeting => {
                    self.screen = Screen::Agenda;
                    self.scheduler.new_meeting(&self.state);
                }
                // The tray's "join next": the same meeting, the same way in.
                Shortcut::JoinNext => commands.push(Command::JoinNext { open_browser: true, reply: None }),
                Shortcut::Search => {
                    self.screen = Screen::Agenda;
                    self.scheduler.focus_search();
                }
                Shortcut::Reload => commands.push(Command::Reload),
                Shortcut::Settings => self.screen = Screen::Settings,
                Shortcut::CloseForm => self.scheduler.form = None,
            }
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.heading(TITLE);
            if self.state.demo.is_some() {
                let badge = egui::RichText::new(t!("top-demo"))
                    .strong()
                    .background_color(egui::Color32::from_rgb(250, 204, 21))
                    .color(egui::Color32::BLACK);
                ui.label(badge).on_hover_text(t!("top-demo-hint"));
                // The way out of the demo, on every screen.
                if self.screen != Screen::Connect && ui.button(t!("top-connect")).clicked() {
                    self.connect.open(None);
                    self.screen = Screen::Connect;
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let joinme = self.state.first_account(Provider::Joinme).map(|a| a.record.key.clone());
                let start = ui
                    .add_enabled(joinme.is_some(), egui::Button::new(t!("top-start-now")))
                    .on_disabled_hover_text(t!("top-start-needs-joinme"));
                if start.clicked()
                    && let Some(account) = joinme
                {
                    commands.push(Command::StartMeeting { account, meeting_id: None, personal_url: false });
                }
                if let Some(started) = &self.state.started {
                    let copy = t!("top-copy-viewer-link");
                    widgets::copy_button(ui, &copy, &copy, &started.viewer_link);
                    // Cut to the room left (with the whole on hover): a long link, or a longer language, must not run
                    // over the title and the demo's buttons.
                    ui.add(egui::Label::new(t!("top-viewers-join-at", link = &started.viewer_link)).truncate());
                }
            });
        });
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.after_first_frame.is_some() {
            if ctx.cumulative_frame_nr() == 0 {
                ctx.request_repaint();
            } else if let Some(setup) = self.after_first_frame.take() {
                setup(self, ctx);
            }
        }
        self.state.now = self.clock.now();
        self.drain_events();
        // The viewer link of a meeting just started goes to the clipboard at once, the window shown or not (a
        // hidden window runs only `logic`).
        if let Some(started) = &self.state.started
            && self.copied_viewer_link.as_ref() != Some(&started.viewer_link)
        {
            ctx.copy_text(started.viewer_link.clone());
            self.copied_viewer_link = Some(started.viewer_link.clone());
        }
        let backend = &self.backend;
        self.desktop.logic(ctx, &mut self.state, &mut self.screen, &mut |command| {
            if let Some(backend) = backend {
                backend.send(command);
            }
        });
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.state.now = self.clock.now();
        let mut commands = Vec::new();
        self.apply_theme(ui.ctx());
        self.shortcuts(ui.ctx(), &mut commands);
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui, &mut commands));
        egui::Panel::left("nav").resizable(false).default_size(150.0).show(ui, |ui| {
            ui.add_space(6.0);
            for screen in Screen::ALL {
                let mut entry = ui.selectable_label(self.screen == screen, screen.title());
                if screen == Screen::Settings {
                    entry = entry.on_hover_text(Shortcut::Settings.hint(ui.ctx()));
                }
                if entry.clicked() {
                    self.screen = screen;
                }
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            banners::ui(ui, &mut self.state, &mut commands, &mut self.screen);
            // The Help page checks again on each visit.
            if self.screen != Screen::Help {
                self.help.left();
            }
            match self.screen {
                Screen::Agenda => {
                    if self.state.demo.is_some() && !self.welcomed {
                        match welcome::ui(ui, &self.state) {
                            Some(welcome::Choice::Connect(provider)) => {
                                self.connect.open(Some(provider));
                                self.screen = Screen::Connect;
                            }
                            Some(welcome::Choice::Explore) => self.welcomed = true,
                            None => {}
                        }
                    }
                    self.scheduler.ui(ui, &mut self.state, &mut commands)
                }
                Screen::Connect => {
                    egui::ScrollArea::vertical().id_salt("connect").show(ui, |ui| {
                        match self.connect.ui(ui, &self.state, &mut self.settings, &mut commands) {
                            Some(connect::Next::SignIn(provider)) => {
                                self.welcomed = true;
                                self.sign_in.provider = Some(provider);
                                self.screen = Screen::Accounts;
                            }
                            Some(connect::Next::Agenda) => self.screen = Screen::Agenda,
                            None => {}
                        }
                    });
                }
                Screen::Accounts => {
                    egui::ScrollArea::vertical().id_salt("accounts").show(ui, |ui| {
                        tokens::ui(ui, &self.state, &mut commands);
                        ui.separator();
                        self.sign_in.ui(ui, &self.state, &mut commands);
                        ui.separator();
                        self.add_calendar.ui(ui, &self.state, &mut commands);
                    });
                }
                Screen::Presenters => self.presenters.ui(ui, &self.state, &mut commands),
                Screen::Events => self.events_view.ui(ui, &self.state, &mut commands),
                Screen::Settings => {
                    egui::ScrollArea::vertical().id_salt("settings").show(ui, |ui| {
                        let (demo, secrets) = (self.state.demo.is_some(), &self.state.app_secrets);
                        self.settings.ui(ui, demo, &self.state.policies, secrets, &mut commands)
                    });
                }
                Screen::Help => {
                    egui::ScrollArea::vertical().id_salt("help").show(ui, |ui| {
                        self.help.ui(ui, &self.state, &mut commands);
                    });
                }
            }
        });
        for command in commands {
            self.send(command);
        }
        self.esc_taken = views::shortcuts::esc_is_taken(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // Connect has no side-bar entry to leave it by: the next start opens on the Agenda instead.
        let screen = if self.screen == Screen::Connect { Screen::Agenda } else { self.screen };
        eframe::set_value(storage, SCREEN_KEY, &screen);
        eframe::set_value(storage, WELCOMED_KEY, &self.welcomed);
    }

    fn on_exit(&mut self) {
        if let Some(backend) = self.backend.take() {
            backend.shutdown();
        }
    }
}

/// The app's icon (`assets/icon.png`), for the window and the tray.
pub fn icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(ICON_PNG).ok()
}

/// The native window: app id and class [`APP_ID`], the icon from `assets/`, size and position remembered
/// between runs.
pub fn native_options() -> eframe::NativeOptions {
    let icon = icon();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(TITLE)
        .with_app_id(APP_ID)
        .with_inner_size([1000.0, 680.0])
        .with_min_inner_size([640.0, 420.0]);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(Arc::new(icon));
    }
    eframe::NativeOptions { viewport, persist_window: true, ..Default::default() }
}
