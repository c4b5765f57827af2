//! The tray menu's model: what the menu says, built from the app's state at a given time (the desktop layer
//! only shows it). Tested without a desktop.

use chrono::{DateTime, Utc};
use launcher_core::Provider;
use launcher_core::agenda::next_meeting;
use launcher_core::app::TITLE;
use launcher_core::timefmt::{minutes_until, until_start};
use launcher_core::tray::{Entry, TrayAction, TrayModel};

use super::AppState;

fn short(title: &str) -> String {
    // Tray menus are narrow; long titles are cut, never wrapped.
    let mut chars = title.chars();
    let cut: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() { format!("{cut}…") } else { cut }
}

/// The tray menu for `state` at `now`.
pub fn build(state: &AppState, now: DateTime<Utc>) -> TrayModel {
    let joinme = state.first_account(Provider::Joinme).is_some();
    let mut entries =
        vec![Entry::Action { action: TrayAction::StartNow, label: "Start meeting now".into(), enabled: joinme }];
    let next = next_meeting(&state.agenda, now);
    let tooltip = match next {
        Some(item) => {
            let when = until_start(item.start, now);
            entries.push(Entry::Info(format!("Next: {} · {when}", short(&item.title))));
            let verb = if item.can_start { "Start" } else { "Join" };
            let enabled = item.can_start || item.link.is_some();
            entries.push(Entry::Action {
                action: TrayAction::StartNext,
                label: format!("{verb} “{}”", short(&item.title)),
                enabled,
            });
            format!("{}: next is {} ({when})", TITLE, item.title)
        }
        None => {
            entries.push(Entry::Info("No upcoming meetings".into()));
            format!("{}: no upcoming meetings", TITLE)
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
    TrayModel { tooltip, entries }
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

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use launcher_core::{AgendaItem, ItemKind};

    use super::*;

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
        let model = build(&state, now);
        assert!(matches!(&model.entries[0], Entry::Action { action: TrayAction::StartNow, enabled: false, .. }));
        assert_eq!(model.entries[1], Entry::Info("Next: Meeting b · in 20 min".into()));
        assert!(
            matches!(&model.entries[2], Entry::Action { action: TrayAction::StartNext, label, enabled: true } if label == "Join “Meeting b”")
        );
        assert_eq!(model.tooltip, "Meeting Launcher: next is Meeting b (in 20 min)");
        assert_eq!(next_change(&state, now), Some(now + Duration::seconds(60)));
    }
}
