//! Reading an iCalendar feed (RFC 5545) and expanding it over a window of time. [`parse`] reads the feed once
//! (leniently: an event that cannot be read is skipped, not the feed) into wall-clock times and their zones;
//! [`Feed::occurrences`] expands it over the window of the moment in the user's zone, within fixed bounds of work.

mod html;
mod lines;
mod model;
mod read;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use launcher_core::timefmt::{earlier, later};

use super::zones::{self, Zone};
use lines::unescape;
use model::{Event, When};

/// A feed that could not be read at all (one bad event is skipped, not this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the calendar could not be read: {0}")]
pub struct IcsError(pub String);

/// A parsed feed, kept between fetches: a 304 re-expands it over the window of the moment.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// `X-WR-CALNAME`: Google names a person's main calendar by their address.
    pub name: Option<String>,
    /// One per UID, in the feed's order.
    series: Vec<Series>,
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

/// The most occurrences one expansion returns (the earliest).
const MAX_OCCURRENCES: usize = 5_000;
/// Recurrence steps one expansion may take in all, and one event: a rule with no end cannot run away.
const MAX_STEPS: usize = 200_000;
const MAX_STEPS_PER_EVENT: usize = 20_000;
/// All the description text one expansion copies (each occurrence copies its event's): past it, descriptions
/// keep their start and end only.
const MAX_DESCRIPTIONS: usize = 32 * 1024 * 1024;
const MAX_ATTENDEES_SHOWN: usize = 50;

/// One UID: the series' master (if the feed has it) and the occurrences it overrides (`RECURRENCE-ID`).
#[derive(Debug, Clone)]
struct Series {
    uid: String,
    master: Option<Event>,
    overrides: Vec<Event>,
}

pub fn parse(text: &str) -> Result<Feed, IcsError> {
    let doc = lines::read(text);
    if !doc.calendar {
        let start = text.trim_start().get(..64).unwrap_or(text.trim_start()).to_ascii_lowercase();
        return Err(IcsError(if start.starts_with("<!doctype") || start.starts_with("<html") {
            "the address gave a web page, not a calendar".into()
        } else {
            "it is not an iCalendar feed (no BEGIN:VCALENDAR)".into()
        }));
    }
    let name = doc.properties.iter().find(|p| p.name == "X-WR-CALNAME").map(|p| unescape(&p.value).trim().to_string());
    let mut zones = read::ZoneBook::new(&doc.zones);
    let mut series: Vec<Series> = Vec::new();
    let mut by_uid: HashMap<String, usize> = HashMap::new();
    // Each series' overrides by what they override (a feed may hold thousands).
    let mut by_rid: HashMap<(usize, RidKey), usize> = HashMap::new();
    for comp in &doc.events {
        let Some((uid, event)) = read::event(comp, &mut zones) else { continue };
        let i = *by_uid.entry(uid.clone()).or_insert_with(|| {
            series.push(Series { uid, master: None, overrides: Vec::new() });
            series.len().saturating_sub(1)
        });
        let Some(s) = series.get_mut(i) else { continue };
        // A UID twice (or an occurrence overridden twice): the higher SEQUENCE, else the later, wins.
        match &event.recurrence_id {
            None if s.master.as_ref().is_some_and(|m| m.sequence > event.sequence) => {}
            None => s.master = Some(event),
            Some(rid) => match by_rid.get(&(i, rid_key(rid))).and_then(|o| s.overrides.get_mut(*o)) {
                Some(old) if old.sequence > event.sequence => {}
                Some(old) => *old = event,
                None => {
                    by_rid.insert((i, rid_key(rid)), s.overrides.len());
                    s.overrides.push(event);
                }
            },
        }
    }
    Ok(Feed { name: name.filter(|n| !n.is_empty()), series })
}

/// What a `RECURRENCE-ID` names, to find an override again: its wall-clock time and zone.
type RidKey = (NaiveDateTime, bool, String);

fn rid_key(rid: &When) -> RidKey {
    match rid {
        When::Date(d) => (d.and_time(NaiveTime::MIN), true, String::new()),
        When::Time(t, zone) => (
            *t,
            false,
            match zone {
                Zone::Utc => "Z".into(),
                Zone::Floating => String::new(),
                Zone::Iana(tz) => tz.name().into(),
                // The book gives one `Arc` per TZID.
                Zone::Rules(rules) => format!("{:p}", Arc::as_ptr(rules)),
            },
        ),
    }
}

impl Feed {
    /// How many events (not occurrences) the feed holds.
    pub fn len(&self) -> usize {
        self.series.len()
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
        let window = Window { from, to, local };
        let mut budget = MAX_STEPS;
        let mut found: Vec<Found> = Vec::new();
        for (i, series) in self.series.iter().enumerate() {
            window.series(i, series, &mut budget, &mut found);
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        found.truncate(MAX_OCCURRENCES);
        let mut text_left = MAX_DESCRIPTIONS;
        let mut occurrences = Vec::with_capacity(found.len());
        occurrences.extend(found.into_iter().filter_map(|f| self.occurrence(f, me, &mut text_left)));
        occurrences
    }

    /// What an occurrence shows: its override's properties, else its master's. Its description is cut to its
    /// start and end once the expansion's descriptions pass [`MAX_DESCRIPTIONS`] (`text_left`).
    fn occurrence(&self, found: Found, me: &[String], text_left: &mut usize) -> Option<Occurrence> {
        let series = self.series.get(found.series)?;
        let master = series.master.as_ref();
        let own = match found.replaced {
            Some(i) => series.overrides.get(i)?,
            None => master?,
        };
        let pick_ref = |field: fn(&Event) -> &Option<String>| {
            field(own).as_deref().or_else(|| master.and_then(|m| field(m).as_deref())).unwrap_or_default()
        };
        let pick = |field| pick_ref(field).to_string();
        let description = pick_ref(|e| &e.description);
        let description =
            read::clip_middle(description, if description.len() > *text_left { 4_096 } else { usize::MAX });
        *text_left = text_left.saturating_sub(description.len());
        let pick_list = |field: fn(&Event) -> bool| if field(own) { master.unwrap_or(own) } else { own };
        let attendees = &pick_list(|e| e.attendees.is_empty()).attendees;
        let title = pick(|e| &e.title);
        Some(Occurrence {
            id: found.id,
            title: if title.trim().is_empty() { "(no title)".into() } else { title },
            start: found.start,
            end: found.end,
            all_day: found.all_day,
            cancelled: own.cancelled.or_else(|| master.and_then(|m| m.cancelled)).unwrap_or(false),
            declined: attendees
                .iter()
                .any(|a| a.declined && me.iter().any(|m| m.trim().eq_ignore_ascii_case(&a.address))),
            location: pick(|e| &e.location),
            description,
            url: Some(pick(|e| &e.url)).filter(|u| !u.is_empty()),
            conference: pick_list(|e| e.conference.is_empty()).conference.clone(),
            attendees: attendees.iter().take(MAX_ATTENDEES_SHOWN).map(|a| a.shown.clone()).collect(),
        })
    }
}

/// An occurrence found in the window, before its properties are copied out (only the earliest are).
struct Found {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    all_day: bool,
    id: String,
    series: usize,
    /// Which override, if one replaces the master's occurrence.
    replaced: Option<usize>,
}

#[derive(Clone, Copy)]
struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    local: chrono_tz::Tz,
}

/// How long each occurrence lasts.
#[derive(Clone, Copy)]
enum Span {
    Days(u32),
    Exactly(Duration),
}

impl Window {
    /// Whether `start..end` overlaps the window (an instant, `start == end`, is in it from its start).
    fn holds(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        if end > start { start < self.to && end > self.from } else { start >= self.from && start < self.to }
    }

    /// The start and end of an occurrence that starts at `wall` on the event's clock.
    fn bounds(&self, event: &Event, wall: NaiveDateTime, span: Span) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match (span, &event.start) {
            (Span::Days(days), _) => {
                let next = wall.checked_add_signed(Duration::days(i64::from(days)))?;
                Some((Zone::Floating.instant(wall, self.local)?, Zone::Floating.instant(next, self.local)?))
            }
            (Span::Exactly(length), When::Time(_, zone)) => {
                let start = zone.instant(wall, self.local)?;
                Some((start, later(start, length)))
            }
            (Span::Exactly(_), When::Date(_)) => None,
        }
    }

    /// An occurrence's key in its id (`UID/<key>`): its original start, as a UTC time, or a date for all-day.
    fn key(&self, original: &When, all_day: bool) -> Option<String> {
        if all_day {
            return Some(original.wall().format("%Y%m%d").to_string());
        }
        Some(original.instant(self.local)?.format("%Y%m%dT%H%M%SZ").to_string())
    }

    /// How long the event lasts: `DTEND`, else `DURATION`, else (RFC 5545) a day for a date and nothing for a
    /// time; an override with neither lasts as long as its master.
    fn span(&self, event: &Event, master: Option<&Event>) -> Span {
        let start = &event.start;
        match (start, &event.end, event.duration) {
            (When::Date(d), Some(end), _) => Span::Days(days(end.wall().date().signed_duration_since(*d).num_days())),
            (When::Date(_), None, Some(length)) => {
                Span::Days(days(length.num_seconds().saturating_add(86_399).div_euclid(86_400)))
            }
            (When::Date(_), None, None) => Span::Days(1),
            (When::Time(..), Some(end), _) => {
                let length =
                    start.instant(self.local).zip(end.instant(self.local)).map(|(s, e)| e.signed_duration_since(s));
                Span::Exactly(length.unwrap_or_default().max(Duration::zero()))
            }
            (When::Time(..), None, Some(length)) => Span::Exactly(length),
            (When::Time(..), None, None) => match master.map(|m| self.span(m, None)) {
                Some(Span::Exactly(length)) => Span::Exactly(length),
                _ => Span::Exactly(Duration::zero()),
            },
        }
    }

    /// Every occurrence of one UID in the window: the master's (less those excluded or overridden), then the
    /// overrides (wherever their originals were: an override may move an occurrence into the window or out).
    fn series(&self, index: usize, series: &Series, budget: &mut usize, found: &mut Vec<Found>) {
        let all_day = match (&series.master, series.overrides.first().and_then(|o| o.recurrence_id.as_ref())) {
            (Some(master), _) => matches!(master.start, When::Date(_)),
            (None, rid) => matches!(rid, Some(When::Date(_))),
        };
        let overridden: BTreeSet<String> =
            series.overrides.iter().filter_map(|o| self.key(o.recurrence_id.as_ref()?, all_day)).collect();
        if let Some(master) = &series.master {
            let span = self.span(master, None);
            let (excluded_at, excluded_days) = self.exclusions(master);
            let recurring = master.rrule.is_some() || !master.rdates.is_empty();
            for wall in self.starts(master, span, budget) {
                let original = match &master.start {
                    When::Date(_) => When::Date(wall.date()),
                    When::Time(_, zone) => When::Time(wall, zone.clone()),
                };
                let Some(key) = self.key(&original, all_day) else { continue };
                if overridden.contains(&key) || excluded_days.contains(&wall.date()) {
                    continue;
                }
                let Some((start, end)) = self.bounds(master, wall, span) else { continue };
                if excluded_at.contains(&start) {
                    continue;
                }
                if self.holds(start, end) {
                    let id = if recurring { format!("{}/{key}", series.uid) } else { series.uid.clone() };
                    found.push(Found { start, end, all_day, id, series: index, replaced: None });
                }
            }
        }
        for (i, over) in series.overrides.iter().enumerate() {
            let Some(key) = over.recurrence_id.as_ref().and_then(|rid| self.key(rid, all_day)) else { continue };
            let span = self.span(over, series.master.as_ref());
            let Some((start, end)) = self.bounds(over, over.start.wall(), span) else { continue };
            if self.holds(start, end) {
                let all_day = matches!(over.start, When::Date(_));
                let id = format!("{}/{key}", series.uid);
                found.push(Found { start, end, all_day, id, series: index, replaced: Some(i) });
            }
        }
    }

    /// The event's starts on its own clock that may fall in the window: `DTSTART`, the rule's, the `RDATE`s.
    fn starts(&self, event: &Event, span: Span, budget: &mut usize) -> BTreeSet<NaiveDateTime> {
        let first = event.start.wall();
        let length = match span {
            Span::Days(days) => Duration::days(i64::from(days)),
            Span::Exactly(length) => length,
        };
        // Wall-clock bounds, widened by two days for any zone's offset; within the years a feed may name.
        let floor = NaiveDate::from_ymd_opt(1970, 1, 1).map(|d| d.and_time(NaiveTime::MIN));
        let ceiling = NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59));
        let (Some(floor), Some(ceiling)) = (floor, ceiling) else { return BTreeSet::new() };
        let lower = earlier(earlier(self.from, length), Duration::days(2)).naive_utc().max(floor);
        let upper = later(self.to, Duration::days(2)).naive_utc().min(ceiling);
        let mut starts = BTreeSet::new();
        if lower > upper {
            return starts;
        }
        if (lower..=upper).contains(&first) {
            starts.insert(first);
        }
        let zone = match &event.start {
            When::Date(_) => Zone::Floating,
            When::Time(_, zone) => zone.clone(),
        };
        if let Some(rule) = &event.rrule {
            let until = |u: &str| zones::until_wall(u, |utc| zone.wall(utc.and_utc(), self.local));
            let mut mine = (*budget).min(MAX_STEPS_PER_EVENT);
            let before = mine;
            starts.extend(super::rules::wall_clock(rule, first, &until, lower, upper, &mut mine));
            *budget = budget.saturating_sub(before.saturating_sub(mine));
        }
        for rdate in &event.rdates {
            let wall = match (rdate, &event.start) {
                (When::Date(d), When::Date(_)) => Some(d.and_time(NaiveTime::MIN)),
                (When::Time(..), When::Date(_)) => rdate
                    .instant(self.local)
                    .and_then(|i| Zone::Floating.wall(i, self.local))
                    .map(|w| w.date().and_time(NaiveTime::MIN)),
                (When::Date(d), When::Time(t, _)) => Some(d.and_time(t.time())),
                (When::Time(t, z), When::Time(..)) if *z == zone => Some(*t),
                (When::Time(..), When::Time(..)) => rdate.instant(self.local).and_then(|i| zone.wall(i, self.local)),
            };
            starts.extend(wall.filter(|w| (lower..=upper).contains(w)));
        }
        starts
    }

    /// The event's `EXDATE`s: instants, and days (a date removes that day's occurrence; in an all-day series
    /// a time removes its day too).
    fn exclusions(&self, event: &Event) -> (BTreeSet<DateTime<Utc>>, BTreeSet<NaiveDate>) {
        let all_day = matches!(event.start, When::Date(_));
        let mut instants = BTreeSet::new();
        let mut days = BTreeSet::new();
        for ex in &event.exdates {
            match ex {
                When::Time(t, _) if all_day => _ = days.insert(t.date()),
                When::Time(..) => instants.extend(ex.instant(self.local)),
                When::Date(d) => _ = days.insert(*d),
            }
        }
        (instants, days)
    }
}

/// Whole days, at least one (an all-day event that ends before it starts lasts its day), at most a century.
fn days(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0).clamp(1, 36_525)
}
