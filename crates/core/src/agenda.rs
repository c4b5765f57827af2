//! The one agenda across accounts, as every layer sees it: what the backend loads, the window lists, the tray
//! counts down to and reminders announce.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::provider::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// A scheduled meeting (join.me, MeetingBooster).
    Meeting,
    /// A joind.in event the user attends or hosts.
    Event,
    /// A calendar's all-day entry (a holiday, someone's day off): listed, never "the meeting to join".
    AllDay,
}

/// Why a calendar's meeting stays in the list but is never next and never reminded of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skipped {
    /// The organizer cancelled it (`STATUS:CANCELLED`).
    Cancelled,
    /// The user declined it (`PARTSTAT=DECLINED` for their address).
    Declined,
}

impl Skipped {
    pub fn describe(self) -> &'static str {
        match self {
            Skipped::Cancelled => "cancelled",
            Skipped::Declined => "declined",
        }
    }
}

/// A participant's answer to an invitation, where the service says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accepted,
    Tentative,
    Declined,
    /// Invited, not answered yet.
    Pending,
}

/// One entry of the agenda. Times are UTC; the UI shows them in local time. Serializable for the agenda cache
/// kept through outages (it holds no secret: links are the ones a service shows every participant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub provider: Provider,
    /// The account (its key) the item belongs to.
    pub account: String,
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub participants: Vec<String>,
    pub location: String,
    /// Where to join or read more (a viewer link, an event page).
    pub link: Option<String>,
    pub can_edit: bool,
    pub can_start: bool,
    /// joind.in: whether the user is attending.
    pub attending: Option<bool>,
    /// A calendar meeting that is cancelled or declined: shown, never next, never reminded of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
    /// What the meeting is about, as its service or calendar writes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Participants' answers (by the entry in `participants`), where the service says them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub answers: std::collections::BTreeMap<String, Answer>,
}

impl AgendaItem {
    /// An item with nothing but what every item has: no participants, place or link, and nothing the user can
    /// edit, start or attend (set those fields after).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        provider: Provider,
        account: &str,
        id: impl Into<String>,
        kind: ItemKind,
        title: impl Into<String>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        Self {
            provider,
            account: account.to_string(),
            id: id.into(),
            kind,
            title: title.into(),
            start,
            end,
            participants: Vec::new(),
            location: String::new(),
            link: None,
            can_edit: false,
            can_start: false,
            attending: None,
            skipped: None,
            description: String::new(),
            answers: std::collections::BTreeMap::new(),
        }
    }

    /// A meeting to join: what the tray counts down to, reminders announce and `join-next` opens. Not an event
    /// that lasts days, an all-day entry, or a meeting cancelled or declined.
    pub fn is_joinable_meeting(&self) -> bool {
        self.kind == ItemKind::Meeting && self.skipped.is_none()
    }
}

/// How near a later meeting's start must be before it takes over from the meeting in progress.
pub const HANDOVER: chrono::Duration = chrono::Duration::minutes(5);

/// The meeting in progress (the one that started last, if several overlap) and the next one to start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NowAndNext<'a> {
    pub running: Option<&'a AgendaItem>,
    pub upcoming: Option<&'a AgendaItem>,
}

/// Only meetings to join count (see [`AgendaItem::is_joinable_meeting`]).
pub fn now_and_next(agenda: &[AgendaItem], now: DateTime<Utc>) -> NowAndNext<'_> {
    let meetings = || agenda.iter().filter(|i| i.is_joinable_meeting());
    NowAndNext {
        running: meetings()
            .filter(|i| i.start <= now && now < i.end)
            .max_by_key(|i| (i.start, std::cmp::Reverse(i.end))),
        upcoming: meetings().filter(|i| i.start > now).min_by_key(|i| i.start),
    }
}

/// The meeting the tray, reminders' "join next" and `join-next` offer. The one rule (README, "The next
/// meeting"): a meeting in progress stays the one to join until a later meeting is within [`HANDOVER`] of its
/// start, or the running one has ended; with none in progress, the next to start.
pub fn next_meeting(agenda: &[AgendaItem], now: DateTime<Utc>) -> Option<&AgendaItem> {
    let NowAndNext { running, upcoming } = now_and_next(agenda, now);
    match (running, upcoming) {
        (Some(_), Some(next)) if next.start.signed_duration_since(now) <= HANDOVER => Some(next),
        (Some(running), _) => Some(running),
        (None, next) => next,
    }
}

/// How fresh an account's part of the agenda is: when it last loaded, and why the latest try failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    /// The last successful load; `None` before the first one (and with nothing cached).
    pub updated: Option<DateTime<Utc>>,
    /// Why the latest load failed, in words; `None` when it succeeded.
    pub problem: Option<String>,
}

impl Freshness {
    /// The items shown are older than the latest try (it failed).
    pub fn is_stale(&self) -> bool {
        self.problem.is_some()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn meeting(id: &str, start: DateTime<Utc>, minutes: i64) -> AgendaItem {
        AgendaItem::new(
            Provider::Meetingbooster,
            "mb",
            id,
            ItemKind::Meeting,
            id,
            start,
            start + Duration::minutes(minutes),
        )
    }

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, s).unwrap()
    }

    #[test]
    fn back_to_back_the_running_meeting_stays_until_five_minutes_before_the_next() {
        // 10:00–10:30 design review, then a 1:1 at 10:30.
        let agenda = vec![meeting("design", at(10, 0, 0), 30), meeting("one-on-one", at(10, 30, 0), 30)];
        let pick = |h, m, s| next_meeting(&agenda, at(h, m, s)).map(|i| i.id.as_str());
        assert_eq!(pick(9, 50, 0), Some("design"), "before both: the first to start");
        assert_eq!(pick(10, 10, 0), Some("design"));
        assert_eq!(pick(10, 24, 59), Some("design"), "one second before the line");
        assert_eq!(pick(10, 25, 0), Some("one-on-one"), "on the line: the next takes over");
        assert_eq!(pick(10, 29, 0), Some("one-on-one"), "not the meeting already running");
        assert_eq!(pick(10, 45, 0), Some("one-on-one"), "in progress");
        assert_eq!(pick(11, 0, 0), None, "all over");
    }

    #[test]
    fn a_long_meeting_stays_while_the_next_is_far_and_events_never_count() {
        let mut event = meeting("conference", at(9, 0, 0), 600);
        event.kind = ItemKind::Event;
        let agenda = vec![event, meeting("workshop", at(9, 0, 0), 180), meeting("lunch", at(12, 0, 0), 60)];
        let both = now_and_next(&agenda, at(11, 0, 0));
        assert_eq!(both.running.map(|i| i.id.as_str()), Some("workshop"));
        assert_eq!(both.upcoming.map(|i| i.id.as_str()), Some("lunch"));
        assert_eq!(next_meeting(&agenda, at(11, 0, 0)).map(|i| i.id.as_str()), Some("workshop"));
        assert_eq!(next_meeting(&agenda, at(11, 56, 0)).map(|i| i.id.as_str()), Some("lunch"));
    }

    #[test]
    fn of_two_running_meetings_the_later_started_is_the_one() {
        let agenda = vec![meeting("all-day workshop", at(8, 0, 0), 480), meeting("stand-up", at(10, 0, 0), 15)];
        assert_eq!(next_meeting(&agenda, at(10, 5, 0)).map(|i| i.id.as_str()), Some("stand-up"));
        assert_eq!(next_meeting(&agenda, at(10, 20, 0)).map(|i| i.id.as_str()), Some("all-day workshop"));
    }

    #[test]
    fn all_day_cancelled_and_declined_entries_are_never_next() {
        let mut holiday = meeting("holiday", at(0, 0, 0), 24 * 60);
        holiday.kind = ItemKind::AllDay;
        let mut cancelled = meeting("cancelled", at(9, 0, 0), 30);
        cancelled.skipped = Some(Skipped::Cancelled);
        let mut declined = meeting("declined", at(9, 30, 0), 30);
        declined.skipped = Some(Skipped::Declined);
        let agenda = vec![holiday, cancelled, declined, meeting("review", at(11, 0, 0), 30)];
        assert_eq!(next_meeting(&agenda, at(8, 0, 0)).map(|i| i.id.as_str()), Some("review"));
        // Control: the same meeting, not declined, is next.
        let mut accepted = agenda.clone();
        accepted[2].skipped = None;
        assert_eq!(next_meeting(&accepted, at(8, 0, 0)).map(|i| i.id.as_str()), Some("declined"));
    }
}
