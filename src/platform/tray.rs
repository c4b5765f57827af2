//! The tray icon and its menu. What the menu says is a plain [`TrayModel`] built from the app's state (so it is
//! tested without a desktop); [`SystemTray`] shows it with tray-icon (a StatusNotifierItem over D-Bus on Linux,
//! no GTK). Menu clicks arrive on tray-icon's thread and are only forwarded.

use chrono::{DateTime, Utc};

use crate::backend::{AgendaItem, ItemKind};
use crate::providers::Provider;
use crate::timefmt::{local_time, minutes_until};
use crate::ui::AppState;

/// What a menu entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    StartNow,
    /// Start (join.me) or join (a link) the next meeting.
    StartNext,
    CopyViewerLink,
    Open,
    SignIn,
    Quit,
}

impl TrayAction {
    const ALL: [TrayAction; 6] = [
        TrayAction::StartNow,
        TrayAction::StartNext,
        TrayAction::CopyViewerLink,
        TrayAction::Open,
        TrayAction::SignIn,
        TrayAction::Quit,
    ];

    pub fn id(self) -> &'static str {
        match self {
            TrayAction::StartNow => "start-now",
            TrayAction::StartNext => "start-next",
            TrayAction::CopyViewerLink => "copy-viewer-link",
            TrayAction::Open => "open",
            TrayAction::SignIn => "sign-in",
            TrayAction::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Action {
        action: TrayAction,
        label: String,
        enabled: bool,
    },
    /// A line of information (the next meeting, an account).
    Info(String),
    Separator,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrayModel {
    pub tooltip: String,
    pub entries: Vec<Entry>,
}

/// The meeting the tray offers: the one in progress or the next to start.
pub fn next_meeting(agenda: &[AgendaItem], now: DateTime<Utc>) -> Option<&AgendaItem> {
    agenda.iter().filter(|i| i.kind == ItemKind::Meeting && i.end > now).min_by_key(|i| i.start)
}

/// "in 12 min", "now", "in 3 h 5 min", "tomorrow 09:00"…
pub fn countdown(start: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match minutes_until(start, now) {
        m if m <= 0 => "now".to_string(),
        m if m < 60 => format!("in {m} min"),
        m if m < 12 * 60 => format!("in {} h {} min", m / 60, m % 60),
        _ => {
            let local = start.with_timezone(&chrono::Local);
            let days = (local.date_naive() - now.with_timezone(&chrono::Local).date_naive()).num_days();
            match days {
                0 => format!("today {}", local_time(start)),
                1 => format!("tomorrow {}", local_time(start)),
                _ => local.format("%a %d %b %H:%M").to_string(),
            }
        }
    }
}

fn short(title: &str) -> String {
    // Tray menus are narrow; long titles are cut, never wrapped.
    let mut chars = title.chars();
    let cut: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() { format!("{cut}…") } else { cut }
}

impl TrayModel {
    pub fn build(state: &AppState, now: DateTime<Utc>) -> Self {
        let joinme = state.first_account(Provider::Joinme).is_some();
        let mut entries =
            vec![Entry::Action { action: TrayAction::StartNow, label: "Start meeting now".into(), enabled: joinme }];
        let next = next_meeting(&state.agenda, now);
        let tooltip = match next {
            Some(item) => {
                let when = countdown(item.start, now);
                entries.push(Entry::Info(format!("Next: {} · {when}", short(&item.title))));
                let verb = if item.can_start { "Start" } else { "Join" };
                let enabled = item.can_start || item.link.is_some();
                entries.push(Entry::Action {
                    action: TrayAction::StartNext,
                    label: format!("{verb} “{}”", short(&item.title)),
                    enabled,
                });
                format!("{}: next is {} ({when})", crate::ui::TITLE, item.title)
            }
            None => {
                entries.push(Entry::Info("No upcoming meetings".into()));
                format!("{}: no upcoming meetings", crate::ui::TITLE)
            }
        };
        entries.push(Entry::Action {
            action: TrayAction::CopyViewerLink,
            label: "Copy viewer link".into(),
            enabled: state.started.is_some(),
        });
        entries.push(Entry::Separator);
        entries.push(Entry::Action { action: TrayAction::Open, label: "Open Meeting Launcher".into(), enabled: true });
        entries.push(Entry::Separator);
        for account in &state.accounts {
            let line = match &account.problem {
                None => format!("{}: {}", account.record.provider, account.record.user),
                Some(_) => format!("{}: {} — sign in again", account.record.provider, account.record.user),
            };
            entries.push(Entry::Info(line));
        }
        if state.accounts.is_empty() {
            entries.push(Entry::Info("Not signed in".into()));
        }
        entries.push(Entry::Action { action: TrayAction::SignIn, label: "Sign in…".into(), enabled: true });
        entries.push(Entry::Separator);
        entries.push(Entry::Action { action: TrayAction::Quit, label: "Quit".into(), enabled: true });
        Self { tooltip, entries }
    }

    /// When the text changes next by itself (the countdown), if it shows one.
    pub fn next_change(state: &AppState, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let item = next_meeting(&state.agenda, now)?;
        if item.start <= now {
            return Some(item.end);
        }
        // The countdown counts whole minutes: it changes when the next one is left.
        Some(item.start - chrono::Duration::minutes(minutes_until(item.start, now) - 1))
    }
}

/// The tray icon on the desktop. Dropping it removes the icon.
pub struct SystemTray {
    icon: tray_icon::TrayIcon,
    shown: Option<TrayModel>,
}

impl SystemTray {
    /// Shows the icon; `forward` gets each menu click (on tray-icon's thread: it must only pass it on).
    pub fn create(forward: impl Fn(TrayAction) + Send + Sync + 'static) -> Result<Self, String> {
        let forward = std::sync::Arc::new(forward);
        let on_menu = forward.clone();
        tray_icon::menu::MenuEvent::set_event_handler(Some(move |event: tray_icon::menu::MenuEvent| {
            if let Some(action) = TrayAction::from_id(&event.id.0) {
                on_menu(action);
            }
        }));
        tray_icon::TrayIconEvent::set_event_handler(Some(move |event: tray_icon::TrayIconEvent| {
            // A left click (where the host sends one) opens the window; the menu has everything else.
            if let tray_icon::TrayIconEvent::Click { button: tray_icon::MouseButton::Left, .. } = event {
                forward(TrayAction::Open);
            }
        }));
        let image = crate::ui::icon().ok_or("the icon does not decode")?;
        let icon = tray_icon::Icon::from_rgba(image.rgba, image.width, image.height).map_err(|e| e.to_string())?;
        let icon = tray_icon::TrayIconBuilder::new()
            .with_id(crate::ui::APP_ID)
            .with_icon(icon)
            .with_title(crate::ui::TITLE)
            .with_tooltip(crate::ui::TITLE)
            .with_menu(Box::new(menu(&TrayModel { tooltip: String::new(), entries: Vec::new() })))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { icon, shown: None })
    }

    /// Shows `model` unless it is what the tray shows already.
    pub fn show(&mut self, model: &TrayModel) {
        if self.shown.as_ref() == Some(model) {
            return;
        }
        self.icon.set_menu(Some(Box::new(menu(model))));
        let _ = self.icon.set_tooltip(Some(&model.tooltip));
        self.shown = Some(model.clone());
    }
}

fn menu(model: &TrayModel) -> tray_icon::menu::Menu {
    use tray_icon::menu::{MenuItem, PredefinedMenuItem};
    let menu = tray_icon::menu::Menu::new();
    for entry in &model.entries {
        let added = match entry {
            Entry::Action { action, label, enabled } => {
                menu.append(&MenuItem::with_id(action.id(), label, *enabled, None))
            }
            Entry::Info(text) => menu.append(&MenuItem::new(text, false, None)),
            Entry::Separator => menu.append(&PredefinedMenuItem::separator()),
        };
        if let Err(e) = added {
            tracing::info!(error = %e, "a tray menu entry was left out");
        }
    }
    menu
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn the_countdown_rounds_up_to_the_minute_and_says_now_once_started() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert_eq!(countdown(now + Duration::seconds(30), now), "in 1 min");
        assert_eq!(countdown(now + Duration::minutes(12), now), "in 12 min");
        assert_eq!(countdown(now + Duration::minutes(125), now), "in 2 h 5 min");
        assert_eq!(countdown(now - Duration::minutes(3), now), "now");
    }

    #[test]
    fn the_menu_puts_start_first_and_names_the_next_meeting() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut state = AppState::default();
        let item = |id: &str, start: DateTime<Utc>| AgendaItem {
            provider: Provider::Meetingbooster,
            account: "mb".into(),
            id: id.into(),
            kind: ItemKind::Meeting,
            title: format!("Meeting {id}"),
            start,
            end: start + Duration::hours(1),
            participants: Vec::new(),
            location: String::new(),
            link: Some("https://example.com/m".into()),
            can_edit: true,
            can_start: false,
            attending: None,
        };
        state.agenda = vec![item("past", now - Duration::hours(2)), item("b", now + Duration::minutes(20))];
        let model = TrayModel::build(&state, now);
        assert!(matches!(&model.entries[0], Entry::Action { action: TrayAction::StartNow, enabled: false, .. }));
        assert_eq!(model.entries[1], Entry::Info("Next: Meeting b · in 20 min".into()));
        assert!(
            matches!(&model.entries[2], Entry::Action { action: TrayAction::StartNext, label, enabled: true } if label == "Join “Meeting b”")
        );
        assert_eq!(model.tooltip, "Meeting Launcher: next is Meeting b (in 20 min)");
        assert_eq!(TrayModel::next_change(&state, now), Some(now + Duration::seconds(60)));
        assert!(TrayAction::ALL.iter().all(|a| TrayAction::from_id(a.id()) == Some(*a)));
    }
}
