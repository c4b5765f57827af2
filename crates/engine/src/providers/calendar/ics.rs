//! Reading an iCalendar feed (RFC 5545) and expanding it over a window of time.
//! (Being written: see the module's tests for what it must do.)

use chrono::{DateTime, Utc};

/// A feed that could not be read at all (one bad event is skipped, not this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the calendar could not be read: {0}")]
pub struct IcsError(pub String);

/// A parsed feed, kept between fetches: a 304 re-expands it over the window of the moment.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// `X-WR-CALNAME`: Google names a person's main calendar by their address.
    pub name: Option<String>,
}

/// One occurrence of an event in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// Stable across fetches: the UID, plus the occurrence's original start for a recurring event.
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// A date, not a time (`VALUE=DATE`): from the user's local midnight to the next.
    pub all_day: bool,
    /// `STATUS:CANCELLED` (the event, or this occurrence's override).
    pub cancelled: bool,
    /// The user's own `ATTENDEE` answered `PARTSTAT=DECLINED`.
    pub declined: bool,
    pub location: String,
    /// Plain text: escapes undone, HTML turned to text with its links kept.
    pub description: String,
    /// `URL`.
    pub url: Option<String>,
    /// Join addresses from the conference properties, in order of preference: `CONFERENCE` (RFC 7986),
    /// `X-GOOGLE-CONFERENCE`, `X-MICROSOFT-SKYPETEAMSMEETINGURL`, `X-MICROSOFT-ONLINEMEETINGCONFLINK`.
    pub conference: Vec<String>,
    /// Attendees' names (`CN`) or addresses.
    pub attendees: Vec<String>,
}

pub fn parse(text: &str) -> Result<Feed, IcsError> {
    let _ = text;
    Err(IcsError("not written yet".into()))
}

impl Feed {
    /// How many events (not occurrences) the feed holds.
    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The occurrences that overlap `from..to`, sorted by start. `me`: the user's address(es), for declines;
    /// `local`: the user's zone, for floating times and all-day dates.
    pub fn occurrences(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        me: &[String],
        local: chrono_tz::Tz,
    ) -> Vec<Occurrence> {
        let _ = (from, to, me, local);
        Vec::new()
    }
}
