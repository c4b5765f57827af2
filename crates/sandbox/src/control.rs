//! Operator controls: the virtual clock, grants and API keys, fault injection, quirk switches, calendar feeds,
//! and what the sandbox received. The same operations as a Rust API ([`Controls`]) and over HTTP under `/_sandbox/`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::calendar::http_date;
use super::http::{CALENDAR_PREFIX, Flavor};
use super::joinme::data::StartedMeeting;
use super::{CalendarError, CalendarEvent, Fault, RecordedRequest, SandboxConfig, Shared, Switches};

/// The operator controls of one running sandbox.
pub struct Controls<'a> {
    shared: &'a Arc<Shared>,
}

impl<'a> Controls<'a> {
    pub(super) fn new(shared: &'a Arc<Shared>) -> Self {
        Self { shared }
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// Seed data, default switches, no faults, empty log.
    pub fn reset(&self) {
        self.shared.reset();
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Moves the virtual clock forward: tokens expire and lockouts end at once.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    pub fn switches(&self) -> Switches {
        self.shared.switches()
    }

    pub fn update_switches(&self, change: impl FnOnce(&mut Switches)) {
        change(&mut self.shared.switches.lock().unwrap_or_else(|e| e.into_inner()));
    }

    pub fn add_fault(&self, fault: Fault) {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()).push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn faults(&self) -> Vec<Fault> {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A named counter, e.g. `joinme.token.refresh_token` or `meetingbooster.oauth.password`.
    pub fn counter(&self, name: &str) -> u64 {
        self.shared.recorder.counter(name)
    }

    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.shared.recorder.counters()
    }

    /// The requests received, oldest first, secrets redacted.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.requests()
    }

    /// The user revokes an application's permission (all applications when `client_id` is `None`): its
    /// refresh tokens die at once; its access tokens answer 500 for the propagation window, then 401.
    /// Returns how many tokens were affected.
    pub fn revoke_joinme_grant(&self, user: &str, client_id: Option<&str>) -> usize {
        let now = self.shared.clock.now();
        let mut data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        let matches = |u: &str, c: &str| u.eq_ignore_ascii_case(user) && client_id.is_none_or(|id| id == c);
        let before = data.refresh.len();
        data.refresh.retain(|_, g| !matches(&g.user, &g.client_id));
        let mut count = before - data.refresh.len();
        for token in data.tokens.values_mut() {
            if matches(&token.user, &token.client_id) && token.revoked_at.is_none() {
                token.revoked_at = Some(now);
                count += 1;
            }
        }
        count
    }

    /// Deactivates (or reactivates) a join.me API key: the gateway then answers 403 "Developer Inactive".
    pub fn set_joinme_api_key_active(&self, key: &str, active: bool) -> bool {
        let mut data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        match data.clients.iter_mut().find(|c| c.id == key) {
            Some(client) => {
                client.active = active;
                true
            }
            None => false,
        }
    }

    /// A presenter accepts the invitation.
    pub fn accept_presenter_invitation(&self, id: u64) -> bool {
        let mut data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        match data.presenters.get_mut(&id) {
            Some(p) => {
                p.invitation_accepted = true;
                true
            }
            None => false,
        }
    }

    /// Every start call join.me received, oldest first.
    pub fn started_meetings(&self) -> Vec<StartedMeeting> {
        self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner()).started.clone()
    }

    /// Everyone leaves a started meeting: it ends and `meeting.end` fires.
    pub fn end_joinme_meeting(&self, index: usize) -> bool {
        let ended = {
            let mut data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
            match data.started.get_mut(index) {
                Some(s) if !s.ended => {
                    s.ended = true;
                    true
                }
                _ => false,
            }
        };
        if ended {
            super::joinme::web::fire_webhook(self.shared, index, "meeting.end");
        }
        ended
    }

    /// The number of MeetingBooster meetings whose title is `title` (what tests check for duplicates).
    pub fn meetingbooster_meetings_titled(&self, title: &str) -> usize {
        let data = self.shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
        data.meetings.values().filter(|m| !m.deleted && m.title == title).count()
    }

    /// Adds an event (UTC times) to a feed (`work` or `work.ics`), replacing any with its UID, and returns the
    /// UID (made up when `event.uid` is empty). The feed gets a new ETag and Last-Modified.
    pub fn add_calendar_event(&self, feed: &str, event: CalendarEvent) -> Result<String, CalendarError> {
        let now = self.shared.clock.now();
        self.shared.calendar.lock().unwrap_or_else(|e| e.into_inner()).add(feed, event, now)
    }

    /// Removes the event with `uid` (a series with its overrides) from a feed; false when there was none.
    pub fn remove_calendar_event(&self, feed: &str, uid: &str) -> bool {
        let now = self.shared.clock.now();
        self.shared.calendar.lock().unwrap_or_else(|e| e.into_inner()).remove(feed, uid, now)
    }

    /// Serves `body` as the feed, byte for byte (creating the feed if there is none): for odd feeds. The feed
    /// then takes no event changes.
    pub fn replace_calendar_feed(&self, feed: &str, body: &str) -> Result<(), CalendarError> {
        let now = self.shared.clock.now();
        self.shared.calendar.lock().unwrap_or_else(|e| e.into_inner()).replace(feed, body, now)
    }

    /// A feed's current ETag (quoted), if the feed exists.
    pub fn calendar_feed_etag(&self, feed: &str) -> Option<String> {
        self.shared.calendar.lock().unwrap_or_else(|e| e.into_inner()).get(feed).map(|f| f.etag().to_string())
    }

    /// Schedules a join.me meeting for the default user, as if they had scheduled it themselves; its id.
    pub fn add_joinme_meeting(&self, name: &str, start: DateTime<Utc>, minutes: i64, participants: &[&str]) -> u64 {
        let mut data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        let id = data.next_meeting_id;
        data.next_meeting_id += 1;
        let owner = super::joinme::data::DEFAULT_USER;
        data.meetings
            .insert(id, super::joinme::data::Meeting::scheduled(id, owner, name, start, minutes, participants));
        id
    }

    /// The number of join.me meetings whose name is `name`.
    pub fn joinme_meetings_named(&self, name: &str) -> usize {
        let data = self.shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        data.meetings.values().filter(|m| m.name == name).count()
    }
}

type Shr = State<Arc<Shared>>;

fn bad(message: impl AsRef<str>) -> Response {
    Flavor::Control.error(StatusCode::BAD_REQUEST, message.as_ref())
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/config", get(|State(s): Shr| async move { Json(s.config.clone()) }))
        .route(
            "/reset",
            post(|State(s): Shr| async move {
                s.reset();
                Json(json!({ "reset": true }))
            }),
        )
        .route("/clock", get(|State(s): Shr| async move { Json(clock_json(&s)) }))
        .route("/clock/advance", post(advance))
        .route("/switches", get(|State(s): Shr| async move { Json(s.switches()) }).patch(patch_switches))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/counters", get(|State(s): Shr| async move { Json(s.recorder.counters()) }))
        .route("/requests", get(|State(s): Shr| async move { Json(s.recorder.requests()) }))
        .route("/joinme/revoke", post(revoke))
        .route("/joinme/api-keys/{key}/{action}", post(api_key))
        .route("/joinme/presenters/{id}/accept", post(accept_presenter))
        .route("/joinme/started", get(|State(s): Shr| async move { Json(Controls::new(&s).started_meetings()) }))
        .route("/joinme/started/{index}/end", post(end_meeting))
        .route("/calendar/feeds", get(list_feeds))
        .route("/calendar/feeds/{feed}", axum::routing::put(replace_feed))
        .route("/calendar/feeds/{feed}/events", post(add_event))
        .route("/calendar/feeds/{feed}/events/{uid}", axum::routing::delete(remove_event))
        .fallback(|| async { Flavor::Control.error(StatusCode::NOT_FOUND, "Unknown sandbox control") })
}

fn clock_json(s: &Shared) -> Value {
    json!({ "now": super::http::iso(s.clock.now()), "time_scale": s.clock.scale() })
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance(State(s): Shr, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Advance>(&body) {
        Ok(a) if a.seconds >= 0 => {
            s.clock.advance(Duration::seconds(a.seconds));
            Json(clock_json(&s)).into_response()
        }
        Ok(_) => bad("seconds must not be negative: the clock never runs backwards"),
        Err(e) => bad(format!("expected {{\"seconds\": N}}: {e}")),
    }
}

async fn patch_switches(State(s): Shr, body: axum::body::Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("malformed JSON: {e}")),
    };
    let mut switches = s.switches.lock().unwrap_or_else(|e| e.into_inner());
    match switches.merged(&patch) {
        Ok(updated) => {
            *switches = updated.clone();
            Json(updated).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn list_faults(State(s): Shr) -> Response {
    Json(Controls::new(&s).faults()).into_response()
}

async fn add_fault(State(s): Shr, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(fault) if fault.path.starts_with('/') => {
            Controls::new(&s).add_fault(fault.clone());
            (StatusCode::CREATED, Json(fault)).into_response()
        }
        Ok(_) => bad("path must start with /"),
        Err(e) => bad(format!("not a fault: {e}")),
    }
}

async fn clear_faults(State(s): Shr) -> Response {
    Controls::new(&s).clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct Revoke {
    user: String,
    #[serde(default)]
    client_id: Option<String>,
}

async fn revoke(State(s): Shr, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Revoke>(&body) {
        Ok(r) => {
            let count = Controls::new(&s).revoke_joinme_grant(&r.user, r.client_id.as_deref());
            Json(json!({ "revoked_tokens": count })).into_response()
        }
        Err(e) => bad(format!("expected {{\"user\": …, \"client_id\": …}}: {e}")),
    }
}

async fn api_key(State(s): Shr, Path((key, action)): Path<(String, String)>) -> Response {
    let active = match action.as_str() {
        "activate" => true,
        "deactivate" => false,
        _ => return bad("action must be activate or deactivate"),
    };
    if Controls::new(&s).set_joinme_api_key_active(&key, active) {
        Json(json!({ "api_key": key, "active": active })).into_response()
    } else {
        Flavor::Control.error(StatusCode::NOT_FOUND, "unknown API key")
    }
}

async fn accept_presenter(State(s): Shr, Path(id): Path<u64>) -> Response {
    if Controls::new(&s).accept_presenter_invitation(id) {
        Json(json!({ "accepted": id })).into_response()
    } else {
        Flavor::Control.error(StatusCode::NOT_FOUND, "unknown presenter")
    }
}

async fn end_meeting(State(s): Shr, Path(index): Path<usize>) -> Response {
    if Controls::new(&s).end_joinme_meeting(index) {
        Json(json!({ "ended": index })).into_response()
    } else {
        Flavor::Control.error(StatusCode::NOT_FOUND, "no running meeting with that index")
    }
}

fn calendar_error(error: CalendarError) -> Response {
    let status = match error {
        CalendarError::UnknownFeed(_) => StatusCode::NOT_FOUND,
        CalendarError::Replaced(_) => StatusCode::CONFLICT,
        CalendarError::BadName(_) | CalendarError::Invalid(_) => StatusCode::BAD_REQUEST,
    };
    Flavor::Control.error(status, &error.to_string())
}

async fn list_feeds(State(s): Shr) -> Response {
    let feeds = s.calendar.lock().unwrap_or_else(|e| e.into_inner());
    let list: Vec<Value> = feeds
        .iter()
        .map(|(name, feed)| {
            json!({
                "name": name,
                "url": format!("{}{CALENDAR_PREFIX}{name}.ics", s.config.sandbox.base),
                "etag": feed.etag(),
                "last_modified": http_date(feed.modified()),
                "components": feed.components(),
            })
        })
        .collect();
    Json(list).into_response()
}

async fn add_event(State(s): Shr, Path(feed): Path<String>, body: axum::body::Bytes) -> Response {
    let event = match serde_json::from_slice::<CalendarEvent>(&body) {
        Ok(event) => event,
        Err(e) => {
            return bad(format!(
                "expected {{\"uid\"?, \"summary\", \"start\", \"end\" (RFC 3339), \"description\"?, \"location\"?}}: {e}"
            ));
        }
    };
    let controls = Controls::new(&s);
    match controls.add_calendar_event(&feed, event) {
        Ok(uid) => (StatusCode::CREATED, Json(json!({ "uid": uid, "etag": controls.calendar_feed_etag(&feed) })))
            .into_response(),
        Err(e) => calendar_error(e),
    }
}

async fn remove_event(State(s): Shr, Path((feed, uid)): Path<(String, String)>) -> Response {
    let controls = Controls::new(&s);
    if controls.remove_calendar_event(&feed, &uid) {
        Json(json!({ "removed": uid, "etag": controls.calendar_feed_etag(&feed) })).into_response()
    } else {
        Flavor::Control.error(StatusCode::NOT_FOUND, "no such feed, or no event with that UID in it")
    }
}

async fn replace_feed(State(s): Shr, Path(feed): Path<String>, body: axum::body::Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return bad("the feed body must be UTF-8 text");
    };
    let controls = Controls::new(&s);
    match controls.replace_calendar_feed(&feed, text) {
        Ok(()) => Json(json!({ "feed": feed, "etag": controls.calendar_feed_etag(&feed) })).into_response(),
        Err(e) => calendar_error(e),
    }
}
