//! What a feed's events are once read: dates in their zones, texts, people. Shared by the reader
//! ([`super::read`]) and the expansion ([`super::Feed::occurrences`]).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::super::zones::Zone;

/// A date or a wall-clock time in a zone, as the feed wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum When {
    Date(NaiveDate),
    Time(NaiveDateTime, Zone),
}

impl When {
    pub(super) fn wall(&self) -> NaiveDateTime {
        match self {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::Time(t, _) => *t,
        }
    }

    /// Its instant: a date is the user's local midnight.
    pub(super) fn instant(&self, local: chrono_tz::Tz) -> Option<DateTime<Utc>> {
        match self {
            When::Date(d) => Zone::Floating.instant(d.and_time(NaiveTime::MIN), local),
            When::Time(t, zone) => zone.instant(*t, local),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) sequence: i64,
    pub(super) start: When,
    pub(super) end: Option<When>,
    pub(super) duration: Option<Duration>,
    pub(super) rrule: Option<String>,
    pub(super) rdates: Vec<When>,
    pub(super) exdates: Vec<When>,
    pub(super) recurrence_id: Option<When>,
    pub(super) title: Option<String>,
    pub(super) location: Option<String>,
    pub(super) description: Option<String>,
    pub(super) url: Option<String>,
    pub(super) conference: Vec<String>,
    pub(super) attendees: Vec<Attendee>,
    /// `STATUS`, when given: whether it is `CANCELLED`.
    pub(super) cancelled: Option<bool>,
}

#[derive(Debug, Clone)]
pub(super) struct Attendee {
    /// `CN`, else the address.
    pub(super) shown: String,
    /// Lower case, without `mailto:`.
    pub(super) address: String,
    pub(super) declined: bool,
}
