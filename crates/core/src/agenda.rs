//! The one agenda across accounts, as every layer sees it: what the backend loads, the window lists, the tray
//! counts down to and reminders announce.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::provider::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// A scheduled meeting (join.me, MeetingBooster).
    Meeting,
    /// A joind.in event the user attends or hosts.
    Event,
}

/// One entry of the agenda. Times are UTC; the UI shows them in local time.
#[derive(Debug, Clone, PartialEq)]
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
}

/// The meeting the tray and `join-next` offer: the one in progress or the next to start.
pub fn next_meeting(agenda: &[AgendaItem], now: DateTime<Utc>) -> Option<&AgendaItem> {
    agenda.iter().filter(|i| i.kind == ItemKind::Meeting && i.end > now).min_by_key(|i| i.start)
}
