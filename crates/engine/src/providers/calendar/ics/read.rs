//! One `VEVENT` read into an [`Event`]: its dates in their zones (the feed's `TZID`s resolved once), its texts
//! unescaped (HTML descriptions as text) and bounded, its people and its join addresses.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use sha2::Digest as _;

use super::html;
use super::lines::{Comp, Prop, unescape};
use super::model::{Attendee, Event, When};
use crate::providers::calendar::zones::{self, Zone};

/// `RDATE`/`EXDATE` values read per event.
const MAX_DATES: usize = 1_000;
/// `VTIMEZONE`s worked out per feed (each is up to a few thousand steps).
const MAX_RULE_ZONES: usize = 32;
/// Each occurrence copies its event's texts, so they are bounded: a title, a place, an address to a few KB; a
/// description to its start and end (where Outlook puts the Teams link).
const MAX_SHORT_TEXT: usize = 2_048;
/// Attendees kept per event (every one is searched for the user's decline), and how much of each: an
/// occurrence copies them, so a crafted invitation must not multiply into gigabytes.
const MAX_ATTENDEES: usize = 1_000;
const MAX_NAME: usize = 256;
const MAX_DESCRIPTION: usize = 64 * 1024;
const MAX_CONFERENCE: usize = 4;
/// Outlook's UIDs, the longest, are a few hundred characters.
const MAX_UID: usize = 1_024;

/// The zones the feed's `TZID`s name, each worked out once.
pub(super) struct ZoneBook<'a> {
    /// The feed's `VTIMEZONE`s by `TZID`, as written and in lower case.
    defined: HashMap<String, &'a Comp>,
    known: HashMap<String, Zone>,
    rules: usize,
}

impl<'a> ZoneBook<'a> {
    pub(super) fn new(vtimezones: &'a [Comp]) -> Self {
        let mut defined = HashMap::new();
        for zone in vtimezones {
            if let Some(tzid) = zone.prop("TZID") {
                let tzid = tzid.value.trim().trim_matches('"');
                defined.entry(tzid.to_string()).or_insert(zone);
                defined.entry(tzid.to_lowercase()).or_insert(zone);
            }
        }
        ZoneBook { defined, known: HashMap::new(), rules: 0 }
    }

    /// An IANA or Windows name; else the feed's `VTIMEZONE` of that name (its `X-LIC-LOCATION` if that names
    /// a zone, else its rules); else the user's zone.
    fn zone(&mut self, tzid: &str) -> Zone {
        if let Some(zone) = self.known.get(tzid) {
            return zone.clone();
        }
        let wanted = tzid.trim().trim_matches('"');
        let zone = zones::named(wanted).map(Zone::Iana).unwrap_or_else(|| {
            let defined = self.defined.get(wanted).or_else(|| self.defined.get(&wanted.to_lowercase()));
            let Some(defined) = defined.copied() else { return Zone::Floating };
            if let Some(tz) = defined.prop("X-LIC-LOCATION").and_then(|p| zones::named(&p.value)) {
                return Zone::Iana(tz);
            }
            if self.rules >= MAX_RULE_ZONES {
                return Zone::Floating;
            }
            self.rules = self.rules.saturating_add(1);
            rules(defined).map_or(Zone::Floating, |r| Zone::Rules(Arc::new(r)))
        });
        if self.known.len() < 10_000 {
            self.known.insert(tzid.to_string(), zone.clone());
        }
        zone
    }
}

/// A `VTIMEZONE`'s `STANDARD` and `DAYLIGHT` parts as transitions.
fn rules(vtimezone: &Comp) -> Option<zones::Rules> {
    // Onsets are local times in any year a zone may name (Outlook writes 1601).
    let local = |value: &str| {
        let value = value.trim().trim_end_matches(['Z', 'z']);
        let t = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
            .ok()
            .or_else(|| NaiveDate::parse_from_str(value, "%Y%m%d").ok().map(|d| d.and_time(NaiveTime::MIN)))?;
        (1583..=9999).contains(&t.year()).then_some(t)
    };
    let observances: Vec<zones::Observance> = vtimezone
        .children
        .iter()
        .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
        .filter_map(|c| {
            let to = zones::offset(&c.prop("TZOFFSETTO")?.value)?;
            Some(zones::Observance {
                start: local(&c.prop("DTSTART")?.value)?,
                from: c.prop("TZOFFSETFROM").and_then(|p| zones::offset(&p.value)).unwrap_or(to),
                to,
                rrule: c.prop("RRULE").map(|p| p.value.as_str()),
                rdates: c.props("RDATE").flat_map(|p| p.value.split(',')).filter_map(local).take(MAX_DATES).collect(),
            })
        })
        .collect();
    zones::Rules::new(&observances)
}

/// One `VEVENT`, with its UID: `None` if it has no start that can be read.
pub(super) fn event(comp: &Comp, zones: &mut ZoneBook) -> Option<(String, Event)> {
    let dtstart = comp.prop("DTSTART")?;
    // Exchange writes some all-day events as midnight to midnight in a zone, flagged as all-day: read as dates,
    // so they are listed as all-day and never become the meeting to join at midnight.
    let all_day_flag =
        comp.prop("X-MICROSOFT-CDO-ALLDAYEVENT").is_some_and(|p| p.value.trim().eq_ignore_ascii_case("TRUE"));
    let as_date = |when: When| match when {
        When::Time(t, _) if all_day_flag && t.time() == NaiveTime::MIN => When::Date(t.date()),
        when => when,
    };
    let start = as_date(whens(dtstart, zones).into_iter().next()?);
    let text = |name: &str| comp.prop(name).map(|p| clip_middle(unescape(&p.value).trim(), MAX_SHORT_TEXT));
    let title = text("SUMMARY");
    let digest =
        |text: &str| -> String { sha2::Sha256::digest(text).iter().take(8).map(|b| format!("{b:02x}")).collect() };
    let uid = match comp.prop("UID").map(|p| p.value.trim()).filter(|u| !u.is_empty()) {
        Some(uid) if uid.len() <= MAX_UID => uid.to_string(),
        // Every occurrence's id holds the UID: an absurdly long one is replaced by its digest.
        Some(uid) => format!("uid-{}", digest(uid)),
        // No UID: one derived from what identifies the event, the same on every fetch.
        None => format!("no-uid-{}", digest(&format!("{}\n{}", title.as_deref().unwrap_or(""), dtstart.value.trim()))),
    };
    // A time without a zone beside a start with one (an `EXDATE` written without `TZID`…) means the start's zone:
    // what the writer meant, where the RFC would say the user's.
    let start_zone = match &start {
        When::Time(_, zone) if *zone != Zone::Floating => Some(zone.clone()),
        _ => None,
    };
    let in_start_zone = |when: When| match (when, &start_zone) {
        (When::Time(t, Zone::Floating), Some(zone)) => When::Time(t, zone.clone()),
        (when, _) => when,
    };
    let first = |name: &str, zones: &mut ZoneBook| {
        comp.prop(name).and_then(|p| whens(p, zones).into_iter().next()).map(in_start_zone).map(as_date)
    };
    let dates = |name: &str, zones: &mut ZoneBook| {
        let mut all = Vec::new();
        for p in comp.props(name) {
            all.extend(whens(p, zones).into_iter().map(in_start_zone).map(as_date));
            if all.len() >= MAX_DATES {
                break;
            }
        }
        all
    };
    let rdates = dates("RDATE", zones);
    let exdates = dates("EXDATE", zones);
    let description = comp.prop("DESCRIPTION").map(|p| unescape(&p.value).trim().to_string()).filter(|d| !d.is_empty());
    let description = description.map(|d| if html::looks_like_html(&d) { html::to_text(&d) } else { d });
    let description = description.or_else(|| {
        let alt = comp
            .props("X-ALT-DESC")
            .find(|p| p.param("FMTTYPE").is_some_and(|f| f.eq_ignore_ascii_case("text/html")))?;
        Some(html::to_text(&unescape(&alt.value))).filter(|d| !d.is_empty())
    });
    let mut conference: Vec<String> = Vec::new();
    for name in
        ["CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGCONFLINK"]
    {
        for p in comp.props(name) {
            let value = p.value.trim();
            if !value.is_empty()
                && value.len() <= MAX_SHORT_TEXT
                && conference.len() < MAX_CONFERENCE
                && !conference.iter().any(|c| c == value)
            {
                conference.push(value.to_string());
            }
        }
    }
    let event = Event {
        sequence: comp.prop("SEQUENCE").and_then(|p| p.value.trim().parse().ok()).unwrap_or(0),
        end: first("DTEND", zones),
        duration: comp.prop("DURATION").and_then(|p| duration(&p.value)),
        rrule: comp.prop("RRULE").map(|p| p.value.trim().to_string()).filter(|r| !r.is_empty()),
        recurrence_id: first("RECURRENCE-ID", zones),
        start,
        rdates,
        exdates,
        title,
        location: text("LOCATION"),
        description: description.map(|d| clip_middle(&d, MAX_DESCRIPTION)),
        url: comp
            .prop("URL")
            .map(|p| p.value.trim().to_string())
            .filter(|u| !u.is_empty() && u.len() <= MAX_SHORT_TEXT),
        conference,
        attendees: comp.props("ATTENDEE").filter_map(attendee).take(MAX_ATTENDEES).collect(),
        cancelled: comp.prop("STATUS").map(|p| p.value.trim().eq_ignore_ascii_case("CANCELLED")),
    };
    Some((uid, event))
}

/// `text` if it has at most `max` bytes, else its start and end around an ellipsis.
pub(super) fn clip_middle(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let half = max.div_euclid(2);
    // Cut at character boundaries: at most three bytes from the halves.
    let mut head = half;
    while !text.is_char_boundary(head) {
        head = head.saturating_sub(1);
    }
    let mut tail = text.len().saturating_sub(half);
    while !text.is_char_boundary(tail) {
        tail = tail.saturating_add(1);
    }
    format!("{}\n…\n{}", text.get(..head).unwrap_or_default(), text.get(tail..).unwrap_or_default())
}

/// At most `max` bytes of `text`, cut at a character's edge.
fn shorten(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    text.get(..end).unwrap_or_default()
}

fn attendee(p: &Prop) -> Option<Attendee> {
    let value = p.value.trim();
    let address = match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => value.get(7..).unwrap_or_default(),
        _ => value,
    }
    .trim();
    let address = shorten(address, MAX_NAME).to_lowercase();
    let name = p.param("CN").map(|cn| shorten(cn.trim(), MAX_NAME).to_string()).filter(|cn| !cn.is_empty());
    let shown = name.or_else(|| Some(address.clone()).filter(|a| !a.is_empty()))?;
    let declined = p.param("PARTSTAT").is_some_and(|s| s.trim().eq_ignore_ascii_case("DECLINED"));
    Some(Attendee { shown, address, declined })
}

/// The dates or date-times of a property (`DTSTART`, `RDATE`, `EXDATE`, …): a comma-separated list, each a date
/// (`VALUE=DATE` or eight digits), a UTC time (`…Z`), a time in `TZID`, or a floating time; a `PERIOD`'s start.
/// Values that cannot be read, or outside 1900–9999, are left out (a birthday recurs from before 1970; only
/// occurrences from 1970 are ever expanded).
fn whens(p: &Prop, zones: &mut ZoneBook) -> Vec<When> {
    let date_only = p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let zone = p.param("TZID").filter(|t| !t.trim().is_empty()).map(|tzid| zones.zone(tzid)).unwrap_or(Zone::Floating);
    // Some writers leave out the seconds.
    let time = |v: &str| {
        NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").or_else(|_| NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M"))
    };
    let mut out = Vec::new();
    for value in p.value.split(',').take(MAX_DATES) {
        let value: String = value.split('/').next().unwrap_or_default().trim().replace(['-', ':'], "");
        let when = if date_only || value.len() == 8 {
            NaiveDate::parse_from_str(value.get(..8).unwrap_or(&value), "%Y%m%d").ok().map(When::Date)
        } else if let Some(utc) = value.strip_suffix(['Z', 'z']) {
            time(utc).ok().map(|t| When::Time(t, Zone::Utc))
        } else {
            time(&value).ok().map(|t| When::Time(t, zone.clone()))
        };
        out.extend(when.filter(|w| (1900..=9999).contains(&w.wall().year())));
    }
    out
}

/// A `DURATION` (`P1W`, `P1DT2H`, `PT30M`, `-PT5M`…); a negative one is none.
fn duration(value: &str) -> Option<Duration> {
    let value = value.trim().to_ascii_uppercase();
    let rest = value.strip_prefix('+').unwrap_or(&value).strip_prefix('P')?;
    let (mut seconds, mut number): (i64, Option<i64>) = (0, None);
    for c in rest.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(i64::from(digit))?);
            continue;
        }
        let unit: i64 = match c {
            'W' => 604_800,
            'D' => 86_400,
            'H' => 3_600,
            'M' => 60,
            'S' => 1,
            'T' => continue,
            _ => return None,
        };
        seconds = seconds.checked_add(number.take()?.checked_mul(unit)?)?;
    }
    // Past a century is garbage, not a meeting.
    (number.is_none() && seconds <= 3_155_760_000).then(|| Duration::try_seconds(seconds)).flatten()
}
