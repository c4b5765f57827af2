//! The tray menu's model: what the menu says, built from the app's state at a given time (the desktop layer
//! only shows it). Tested without a desktop.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

use chrono::{DateTime, Utc};
use launcher_core::Provider;
use launcher_core::agenda::{NowAndNext, next_meeting, now_and_next};
use launcher_core::app::TITLE;
use launcher_core::t;
use launcher_core::timefmt::{local_time, minutes_until, until_start};
use launcher_core::tray::{Entry, TrayAction, TrayModel, badge_for};

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
        vec![Entry::Action { action: TrayAction::StartNow, label: t!("tray-start-now"), enabled: joinme }];
    let NowAndNext { running, upcoming } = now_and_next(&state.agenda, now);
    // Both lines when both matter: the meeting you are in, and the one after it.
    if let Some(item) = running {
        entries.push(Entry::Info(t!("tray-now", title = short(&item.title), end = local_time(item.end))));
    }
    if let Some(item) = upcoming {
        entries.push(Entry::Info(t!("tray-next", title = short(&item.title), when = until_start(item.start, now))));
    }
    let (tooltip, title, badge) = match next_meeting(&state.agenda, now) {
        Some(item) => {
            let label = if item.can_start {
                t!("tray-start-named", title = short(&item.title))
            } else {
                t!("tray-join-named", title = short(&item.title))
            };
            let enabled = item.can_start || item.link.is_some();
            entries.push(Entry::Action { action: TrayAction::StartNext, label, enabled });
            let minutes = minutes_until(item.start, now);
            let title = if item.start <= now {
                t!("tray-title-running", title = short(&item.title), end = local_time(item.end))
            } else {
                format!("{} {}", short(&item.title), until_start(item.start, now))
            };
            let tooltip = match (running, upcoming) {
                (Some(r), Some(u)) => {
                    let (end, when) = (local_time(r.end), until_start(u.start, now));
                    t!("tray-tooltip-both", app = TITLE, now = &r.title, end = end, next = &u.title, when = when)
                }
                _ => format!("{TITLE}: {title}"),
            };
            (tooltip, title, Some(badge_for(minutes)))
        }
        None => {
            entries.push(Entry::Info(t!("tray-no-upcoming")));
            (t!("tray-tooltip-no-upcoming", app = TITLE), String::new(), None)
        }
    };
    // Meetings kept through an outage say how old they are, and why.
    for (account, freshness) in state.stale() {
        let since = freshness.updated.map(local_time).unwrap_or_else(|| t!("tray-never"));
        let why = freshness.problem.as_deref().map(first_sentence).unwrap_or_default();
        let provider = account.record.provider.to_string();
        entries.push(Entry::Info(t!("tray-stale", provider = provider, since = since, why = why)));
    }
    entries.push(Entry::Action {
        action: TrayAction::CopyViewerLink,
        label: t!("tray-copy-viewer-link"),
        enabled: state.started.is_some(),
    });
    entries.push(Entry::Separator);
    entries.push(Entry::Action { action: TrayAction::Open, label: t!("tray-open"), enabled: true });
    entries.push(Entry::Separator);
    for account in &state.accounts {
        let line = match &account.problem {
            None => format!("{}: {}", account.record.provider, account.record.user),
            Some(_) => {
                let provider = account.record.provider.to_string();
                t!("tray-account-sign-in-again", provider = provider, user = &account.record.user)
            }
        };
        entries.push(Entry::Info(line));
    }
    if state.accounts.is_empty() {
        entries.push(Entry::Info(t!("tray-not-signed-in")));
    }
    entries.push(Entry::Action { action: TrayAction::SignIn, label: t!("tray-sign-in"), enabled: true });
    entries.push(Entry::Separator);
    entries.push(Entry::Action { action: TrayAction::Quit, label: t!("tray-quit"), enabled: true });
    TrayModel { tooltip, title, badge, entries }
}

/// A menu line is narrow: the first sentence of an error says enough.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i.saturating_add(1)).unwrap_or(text.len());
    short(&text[..end])
}

/// When the text changes next by itself (a countdown's minute, a meeting's start or end, the hand-over to the
/// next meeting), if anything is ahead: the tray is redrawn then and not before.
pub fn next_change(state: &AppState, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let NowAndNext { running, upcoming } = now_and_next(&state.agenda, now);
    let minute = |start: DateTime<Utc>| {
        launcher_core::timefmt::earlier(start, chrono::Duration::minutes(minutes_until(start, now).saturating_sub(1)))
    };
    [
        running.map(|r| r.end),
        upcoming.map(|u| minute(u.start)),
        upcoming
            .map(|u| launcher_core::timefmt::earlier(u.start, launcher_core::agenda::HANDOVER))
            .filter(|t| *t > now),
    ]
    .into_iter()
    .flatten()
    .filter(|t| *t > now)
    .min()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use launcher_core::{AgendaItem, ItemKind};

    use super::*;

    /// A MeetingBooster meeting of `minutes` with a link to join.
    fn meeting(title: &str, start: DateTime<Utc>, minutes: i64, link: Option<&str>) -> AgendaItem {
        let end = start.checked_add_signed(Duration::minutes(minutes)).unwrap();
        AgendaItem {
            link: link.map(String::from),
            can_edit: true,
            ..AgendaItem::new(Provider::Meetingbooster, "mb", title, ItemKind::Meeting, title, start, end)
        }
    }

    #[test]
    fn the_menu_puts_start_first_and_names_the_next_meeting() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut state = AppState::default();
        let item = |id: &str, start| meeting(&format!("Meeting {id}"), start, 60, Some("https://example.com/m"));
        state.agenda = vec![item("past", now - Duration::hours(2)), item("b", now + Duration::minutes(20))];
        let model = build(&state, now);
        assert!(matches!(&model.entries[0], Entry::Action { action: TrayAction::StartNow, enabled: false, .. }));
        assert_eq!(model.entries[1], Entry::Info("Next: Meeting b · in 20 min".into()));
        assert!(
            matches!(&model.entries[2], Entry::Action { action: TrayAction::StartNext, label, enabled: true } if label == "Join “Meeting b”")
        );
        assert_eq!(model.tooltip, "Meeting Launcher: Meeting b in 20 min");
        assert_eq!(model.title, "Meeting b in 20 min");
        assert_eq!(model.badge.as_deref(), Some("20"));
        assert_eq!(next_change(&state, now), Some(now + Duration::seconds(60)));
    }

    #[test]
    fn back_to_back_the_menu_names_both_and_joins_the_right_one() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 26, 0).unwrap();
        let mut state = AppState::default();
        let item = |title: &str, start| meeting(title, start, 30, Some("https://zoom.us/j/1"));
        let review = item("Design review", now - Duration::minutes(26));
        let one_on_one = item("1:1", now + Duration::minutes(4));
        state.agenda = vec![review.clone(), one_on_one];
        let model = build(&state, now);
        let ends = local_time(review.end);
        assert!(model.entries.contains(&Entry::Info(format!("Now: Design review · ends {ends}"))));
        assert!(model.entries.contains(&Entry::Info("Next: 1:1 · in 4 min".into())));
        assert!(
            model.entries.iter().any(
                |e| matches!(e, Entry::Action { action: TrayAction::StartNext, label, .. } if label == "Join “1:1”")
            )
        );
        assert_eq!(model.badge.as_deref(), Some("4"));
        // Six minutes earlier the running meeting was still the one to join, and the tray changes at the line.
        let earlier = now - Duration::minutes(2);
        assert!(build(&state, earlier).entries.iter().any(|e| matches!(e,
            Entry::Action { action: TrayAction::StartNext, label, .. } if label == "Join “Design review”")));
        assert_eq!(next_change(&state, earlier), Some(now - Duration::minutes(1)));
        // No stale line while every load succeeds (the stale line itself: the UI tests).
        assert!(!model.entries.iter().any(|e| matches!(e, Entry::Info(t) if t.contains("last updated"))));
    }

    #[test]
    fn a_meeting_in_year_9999_draws_a_menu_without_overflow() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let far = Utc.with_ymd_and_hms(9999, 12, 31, 23, 40, 0).unwrap();
        let state = AppState { agenda: vec![meeting("The last meeting", far, 19, None)], ..AppState::default() };
        for at in [now, far - Duration::minutes(3), far + Duration::minutes(10)] {
            let model = build(&state, at);
            assert!(!model.entries.is_empty());
            let _ = next_change(&state, at);
        }
        assert_eq!(build(&state, far - Duration::minutes(3)).badge.as_deref(), Some("3"));
    }
}
