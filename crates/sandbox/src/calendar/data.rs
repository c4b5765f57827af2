//! The calendar feeds' state: each feed's components, its rendered body with the ETag and Last-Modified that
//! identify it, and the operators' changes (add or replace an event, remove one, replace the whole body).
//!
//! The body is rendered once per change, not per request: the seeded events are anchored to the day the feed
//! was created (sandbox start or reset), so an unchanged feed keeps its exact bytes and so its ETag however
//! far the clock runs, and only a change gives it a new ETag and Last-Modified.

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ics::{self, Component, text, utc};
use super::seed;

/// The feed that exists from the start: `/_sandbox/ics/work.ics`.
pub const SEEDED_FEED: &str = "work";

/// An event an operator adds to a feed, written with UTC (`Z`) times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarEvent {
    /// Empty: the sandbox makes one up. An event with the UID of one in the feed replaces it (an update).
    #[serde(default)]
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
}

/// Why a feed could not be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// No feed of that name.
    UnknownFeed(String),
    /// A feed name must be 1 to 64 letters, digits, `-` or `_` (with an optional `.ics`).
    BadName(String),
    /// The feed's body was replaced with raw text, so it has no events to edit.
    Replaced(String),
    /// The event itself is wrong (for example, it ends before it starts).
    Invalid(String),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::UnknownFeed(name) => write!(f, "no calendar feed named `{name}`"),
            CalendarError::BadName(name) => {
                write!(f, "`{name}` is not a feed name (1 to 64 letters, digits, `-` or `_`)")
            }
            CalendarError::Replaced(name) => {
                write!(f, "the body of feed `{name}` was replaced with raw text: it has no events to edit")
            }
            CalendarError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CalendarError {}

/// A feed's name from a name or file name (`work` or `work.ics`), if it is a valid one.
pub fn feed_name(raw: &str) -> Option<&str> {
    let name = raw.strip_suffix(".ics").unwrap_or(raw);
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(name)
}

/// One feed and what identifies its current version.
#[derive(Debug, Clone)]
pub struct Feed {
    head: Vec<String>,
    components: Vec<Component>,
    /// Raw text an operator put in place of the rendered calendar.
    replaced: Option<Bytes>,
    body: Bytes,
    etag: String,
    modified: DateTime<Utc>,
}

impl Feed {
    fn new(head: Vec<String>, components: Vec<Component>, now: DateTime<Utc>) -> Self {
        let mut feed =
            Self { head, components, replaced: None, body: Bytes::new(), etag: String::new(), modified: now };
        feed.changed(now);
        feed
    }

    /// Renders the body again and stamps the change. Last-Modified has whole seconds, as HTTP-dates do.
    fn changed(&mut self, now: DateTime<Utc>) {
        self.body = match &self.replaced {
            Some(raw) => raw.clone(),
            None => Bytes::from(ics::render(&self.head, &self.components)),
        };
        self.etag = etag(&self.body);
        self.modified = now.trunc_subsecs(0);
    }

    pub fn body(&self) -> Bytes {
        self.body.clone()
    }

    /// A strong ETag, quoted: a hash of the exact body.
    pub fn etag(&self) -> &str {
        &self.etag
    }

    pub fn modified(&self) -> DateTime<Utc> {
        self.modified
    }

    /// How many components (events and overrides) the feed holds; none once its body was replaced.
    pub fn components(&self) -> usize {
        if self.replaced.is_some() { 0 } else { self.components.len() }
    }
}

fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Every feed, by name.
#[derive(Debug, Clone)]
pub struct Feeds {
    feeds: BTreeMap<String, Feed>,
}

impl Feeds {
    /// The seeded `work` feed, anchored to `now`'s day.
    pub fn seed(now: DateTime<Utc>) -> Self {
        let (head, components) = seed::work(now);
        let feeds = BTreeMap::from([(SEEDED_FEED.to_string(), Feed::new(head, components, now))]);
        Self { feeds }
    }

    pub fn get(&self, name: &str) -> Option<&Feed> {
        self.feeds.get(feed_name(name)?)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Feed)> {
        self.feeds.iter()
    }

    fn editable(&mut self, raw: &str) -> Result<&mut Feed, CalendarError> {
        let name = feed_name(raw).ok_or_else(|| CalendarError::BadName(raw.to_string()))?;
        let feed = self.feeds.get_mut(name).ok_or_else(|| CalendarError::UnknownFeed(name.to_string()))?;
        if feed.replaced.is_some() {
            return Err(CalendarError::Replaced(name.to_string()));
        }
        Ok(feed)
    }

    /// Adds `event` (replacing any component with its UID) and returns its UID.
    pub fn add(&mut self, feed: &str, mut event: CalendarEvent, now: DateTime<Utc>) -> Result<String, CalendarError> {
        if event.end < event.start {
            return Err(CalendarError::Invalid(format!(
                "the event ends ({}) before it starts ({})",
                event.end.to_rfc3339(),
                event.start.to_rfc3339()
            )));
        }
        let feed = self.editable(feed)?;
        if event.uid.trim().is_empty() {
            event.uid = format!("{}@sandbox.meetinglauncher.org", uuid::Uuid::new_v4());
        }
        let uid = text(&event.uid);
        feed.components.retain(|c| c.uid != uid);
        feed.components.push(Component { uid: uid.clone(), lines: event_lines(&event, &uid, now) });
        feed.changed(now);
        Ok(event.uid)
    }

    /// Removes every component with `uid` (a series with its overrides); false when none matched.
    pub fn remove(&mut self, feed: &str, uid: &str, now: DateTime<Utc>) -> bool {
        let Ok(feed) = self.editable(feed) else { return false };
        let uid = text(uid);
        let before = feed.components.len();
        feed.components.retain(|c| c.uid != uid);
        let removed = feed.components.len() != before;
        if removed {
            feed.changed(now);
        }
        removed
    }

    /// Puts `body` in place of the feed's calendar, as it is; creates the feed when there is none.
    pub fn replace(&mut self, feed: &str, body: &str, now: DateTime<Utc>) -> Result<(), CalendarError> {
        let name = feed_name(feed).ok_or_else(|| CalendarError::BadName(feed.to_string()))?;
        let raw = Bytes::copy_from_slice(body.as_bytes());
        match self.feeds.get_mut(name) {
            Some(existing) => {
                existing.replaced = Some(raw);
                existing.changed(now);
            }
            None => {
                let mut created = Feed::new(Vec::new(), Vec::new(), now);
                created.replaced = Some(raw);
                created.changed(now);
                self.feeds.insert(name.to_string(), created);
            }
        }
        Ok(())
    }
}

/// An operator's event as a VEVENT in UTC. `uid` is already escaped.
fn event_lines(event: &CalendarEvent, uid: &str, now: DateTime<Utc>) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("DTSTART:{}", utc(event.start)),
        format!("DTEND:{}", utc(event.end)),
        format!("DTSTAMP:{}", utc(now.trunc_subsecs(0))),
        format!("UID:{uid}"),
    ];
    if let Some(description) = &event.description {
        lines.push(format!("DESCRIPTION:{}", text(description)));
    }
    if let Some(location) = &event.location {
        lines.push(format!("LOCATION:{}", text(location)));
    }
    lines.extend([
        "SEQUENCE:0".to_string(),
        "STATUS:CONFIRMED".to_string(),
        format!("SUMMARY:{}", text(&event.summary)),
        "TRANSP:OPAQUE".to_string(),
        "END:VEVENT".to_string(),
    ]);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn the_etag_changes_with_the_body_only() {
        let now = at("2026-03-04T09:00:00Z");
        let mut feeds = Feeds::seed(now);
        let first = feeds.get("work.ics").unwrap().etag().to_string();
        assert_eq!(Feeds::seed(at("2026-03-04T09:00:00Z")).get("work").unwrap().etag(), first);
        let event = CalendarEvent {
            uid: "x@example.com".into(),
            summary: "Added".into(),
            start: at("2026-03-05T09:00:00Z"),
            end: at("2026-03-05T10:00:00Z"),
            description: None,
            location: None,
        };
        feeds.add("work", event.clone(), at("2026-03-04T09:05:00Z")).unwrap();
        let second = feeds.get("work").unwrap();
        assert_ne!(second.etag(), first);
        assert_eq!(second.modified(), at("2026-03-04T09:05:00Z"));
        assert!(feeds.remove("work", "x@example.com", now));
        assert!(!feeds.remove("work", "x@example.com", now));
        assert_eq!(feeds.get("work").unwrap().etag(), first, "the same body again");
        let backwards = CalendarEvent { end: at("2026-03-05T08:00:00Z"), ..event };
        assert!(matches!(feeds.add("work", backwards, now), Err(CalendarError::Invalid(_))));
    }

    #[test]
    fn replaced_feeds_serve_raw_text_and_refuse_event_edits() {
        let now = at("2026-03-04T09:00:00Z");
        let mut feeds = Feeds::seed(now);
        feeds.replace("odd.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", now).unwrap();
        assert_eq!(&feeds.get("odd").unwrap().body()[..], b"BEGIN:VCALENDAR\nEND:VCALENDAR\n");
        assert!(matches!(feeds.replace("../x", "", now), Err(CalendarError::BadName(_))));
        assert!(!feeds.remove("odd", "anything", now));
        assert!(feed_name("work.ics") == Some("work") && feed_name("a b").is_none() && feed_name(".ics").is_none());
    }
}
