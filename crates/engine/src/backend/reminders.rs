//! Which meetings get a reminder, and when. A reminder is due from `lead` before the start until the meeting
//! is ten minutes in (an app started late still says so). Each one fires once: the ones already given are
//! saved, so a restart does not repeat them, and a meeting moved to another time gets a new one. A deleted
//! meeting is no longer in the agenda, so it gets none.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};

use super::model::AgendaItem;
pub use crate::settings::ReminderSettings;

/// Reminders stop being due this long after the start.
const LATE: Duration = Duration::minutes(10);
/// Given reminders are remembered this long after their meeting started.
const REMEMBER: Duration = Duration::days(2);

/// How long "Snooze" puts a reminder off.
pub const SNOOZE_MINUTES: u32 = 5;

pub struct Reminders {
    /// Reminder key → the meeting's start.
    given: BTreeMap<String, DateTime<Utc>>,
    /// Reminder key → when it is given again (memory only: a restart while snoozed loses the repeat, never
    /// doubles it).
    snoozed: BTreeMap<String, DateTime<Utc>>,
    /// `None`: remembered in memory only (the demo).
    path: Option<PathBuf>,
}

pub fn key(item: &AgendaItem) -> String {
    format!("{}|{}|{}", item.account, item.id, item.start.timestamp())
}

fn remind_at(item: &AgendaItem, settings: ReminderSettings) -> DateTime<Utc> {
    launcher_core::timefmt::earlier(item.start, Duration::minutes(i64::from(settings.lead_minutes)))
}

fn wanted(item: &AgendaItem) -> bool {
    // joind.in events last days: their page is in the agenda, a pop-up at the keynote is not wanted. Nor for a
    // holiday, or a meeting cancelled or declined.
    item.is_joinable_meeting()
}

impl Reminders {
    pub fn load(path: Option<PathBuf>) -> Self {
        let given = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Self { given, snoozed: BTreeMap::new(), path }
    }

    /// Gives `item`'s reminder again at `until` (while the meeting has not long started).
    pub fn snooze(&mut self, item: &AgendaItem, until: DateTime<Utc>) {
        self.snoozed.insert(key(item), until);
    }

    /// The meetings whose reminder is due now and was not given yet; they count as given from here on.
    pub fn take_due(
        &mut self,
        agenda: &[AgendaItem],
        now: DateTime<Utc>,
        settings: ReminderSettings,
    ) -> Vec<AgendaItem> {
        if !settings.enabled {
            return Vec::new();
        }
        let open = |i: &AgendaItem| wanted(i) && now < launcher_core::timefmt::later(i.start, LATE) && now < i.end;
        let snoozed_due = |i: &AgendaItem| self.snoozed.get(&key(i)).is_some_and(|until| *until <= now);
        let due: Vec<AgendaItem> = agenda
            .iter()
            .filter(|i| open(i))
            .filter(|i| (remind_at(i, settings) <= now && !self.given.contains_key(&key(i))) || snoozed_due(i))
            .cloned()
            .collect();
        for item in &due {
            self.snoozed.remove(&key(item));
        }
        let before = self.given.len();
        self.given.retain(|_, start| launcher_core::timefmt::later(*start, REMEMBER) > now);
        for item in &due {
            self.given.insert(key(item), item.start);
        }
        if !due.is_empty() || self.given.len() != before {
            self.save();
        }
        due
    }

    /// When the next reminder falls due, if any.
    pub fn next_due(
        &self,
        agenda: &[AgendaItem],
        now: DateTime<Utc>,
        settings: ReminderSettings,
    ) -> Option<DateTime<Utc>> {
        if !settings.enabled {
            return None;
        }
        let first = agenda
            .iter()
            .filter(|i| {
                wanted(i) && !self.given.contains_key(&key(i)) && now < launcher_core::timefmt::later(i.start, LATE)
            })
            .map(|i| remind_at(i, settings));
        first.chain(self.snoozed.values().copied()).min()
    }

    fn save(&self) {
        let Some(path) = &self.path else { return };
        let text = serde_json::to_vec_pretty(&self.given).expect("reminders serialize");
        if let Err(e) = launcher_core::fsutil::write_private_atomic(path, &text) {
            tracing::warn!(path = %path.display(), error = %e, "cannot save which reminders were given");
        }
    }
}

/// What a reminder's Start or Join does: start a join.me meeting, open another service's link; nothing without
/// either. The notification's button and the window's (when the notification has none) do the same.
pub fn way_in(item: &AgendaItem) -> Option<super::Command> {
    match (&item.can_start, &item.link) {
        (true, _) => Some(super::Command::StartMeeting {
            account: item.account.clone(),
            meeting_id: Some(item.id.clone()),
            personal_url: false,
        }),
        (false, Some(url)) => Some(super::Command::OpenLink { url: url.clone() }),
        (false, None) => None,
    }
}

/// The notification's words for `item`.
pub fn reminder_for(item: &AgendaItem, now: DateTime<Utc>) -> crate::ports::Reminder {
    let when = launcher_core::timefmt::until_start(item.start, now);
    let local = launcher_core::timefmt::local_time(item.start);
    let action = if item.can_start {
        Some(launcher_core::t!("tray-reminder-start"))
    } else {
        item.link.as_ref().map(|_| launcher_core::t!("tray-reminder-join"))
    };
    // Snoozing never goes past the start: with less than five minutes left it means "remind me at the start".
    let left = launcher_core::timefmt::minutes_until(item.start, now);
    let snooze = (left >= 1).then(|| SNOOZE_MINUTES.min(left as u32));
    crate::ports::Reminder {
        summary: item.title.clone(),
        body: launcher_core::t!("tray-reminder-body", provider = item.provider.to_string(), time = local, when = when),
        action,
        snooze_minutes: snooze,
    }
}
