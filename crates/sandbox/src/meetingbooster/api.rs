//! `{server}/api/v1/…`: meetings (client-chosen guid ids, PascalCase JSMeeting), the MyMeetings sync pair, users,
//! and empty MyTasks sync. Authorization by bearer header or the session cookie the `/oauth` answer sets.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::data::{Data, Invitation, Meeting, SYNC_PROPERTIES, User, guid};
use super::oauth::SESSION_COOKIE;
use crate::Shared;
use crate::http::{bearer, iso, json_object, media_type, or_respond, parse_datetime, query_map};

const INVITATION_STATES: &[&str] = &["PENDING", "ACCEPTED", "DECLINED", "TENTATIVE"];
const SYNC_STATES: &[&str] = &["NEW", "MODIFIED", "DELETED"];

fn api_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "Message": message }))).into_response()
}

fn unauthorized() -> Response {
    api_error(StatusCode::UNAUTHORIZED, "Authorization has been denied for this request.")
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    raw.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE).then(|| value.to_string())
    })
}

/// The caller's user id, from the bearer header or else the session cookie.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<String, Response> {
    let now = shared.clock.now();
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    let token = bearer(headers).or_else(|| session_cookie(headers)).ok_or_else(unauthorized)?;
    let access = data.access.get(&token).filter(|a| a.expires_at > now).ok_or_else(unauthorized)?;
    let enabled = data.user_by_id(&access.user_id).is_some_and(|u| u.enabled);
    if !enabled {
        return Err(unauthorized());
    }
    Ok(access.user_id.clone())
}

macro_rules! caller {
    ($shared:expr, $headers:expr) => {
        or_respond!(authenticate(&$shared, &$headers))
    };
}

/// A JSON object body. ASP.NET Web API reads JSON only with a JSON content type.
fn body_object(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Response> {
    match media_type(headers).as_deref() {
        Some("application/json") | Some("text/json") => {}
        _ => {
            return Err(api_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "The request entity's media type is not supported for this resource.",
            ));
        }
    }
    json_object(body)
        .map_err(|e| api_error(StatusCode::BAD_REQUEST, &format!("The request is invalid. {}", e.message())))
}

/// Json.NET matches property names case-insensitively; so does this.
fn get<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).filter(|v| !v.is_null())
}

fn get_str(map: &Map<String, Value>, name: &str) -> Option<String> {
    match get(map, name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn user_ui(user: Option<&User>, id: &str) -> Value {
    match user {
        Some(u) => json!({ "Id": u.id, "Name": u.name, "Email": u.email }),
        None => json!({ "Id": id, "Name": "", "Email": "" }),
    }
}

fn user_json(u: &User) -> Value {
    json!({ "Id": u.id, "Name": u.name, "Email": u.email, "Title": u.title, "Enabled": u.enabled, "Guest": u.guest })
}

fn opt_date(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| json!(iso(t)))
}

pub fn meeting_json(data: &Data, m: &Meeting) -> Value {
    let id = if m.legacy_integer_id { json!(m.id.parse::<i64>().unwrap_or_default()) } else { json!(m.id) };
    let invitations: Vec<Value> = m
        .invitations
        .iter()
        .map(|i| {
            json!({
                "User": user_ui(data.user_by_id(&i.user_id), &i.user_id),
                "Status": i.status,
                "Required": i.required,
                "IsCoHost": i.is_co_host,
            })
        })
        .collect();
    json!({
        "Id": id,
        "Title": m.title,
        "Start": iso(m.start),
        "End": iso(m.end),
        "Location": m.location,
        "Purpose": m.purpose,
        "Host": user_ui(data.user_by_id(&m.host_id), &m.host_id),
        "Invitations": invitations,
        "InvitationSendTime": opt_date(m.invitation_send_time),
        "SendInvitations": m.send_invitations,
        "ActualStart": opt_date(m.actual_start),
        "ActualEnd": opt_date(m.actual_end),
        "CreateTeamsMeeting": m.create_teams_meeting,
        "AllDayEvent": m.all_day_event,
        "ModifiedTime": iso(m.modified),
    })
}

fn enum_value(value: &Value, names: &[&str]) -> Option<String> {
    match value {
        Value::String(s) => names.iter().find(|n| n.eq_ignore_ascii_case(s)).map(|n| n.to_string()),
        Value::Number(n) => n.as_u64().and_then(|i| names.get(i as usize)).map(|n| n.to_string()),
        _ => None,
    }
}

fn bad(message: &str) -> Response {
    api_error(StatusCode::BAD_REQUEST, message)
}

/// Reads invitations, adding unknown invitees as guest users; sorted by e-mail as the docs say.
fn parse_invitations(data: &mut Data, value: &Value) -> Result<Vec<Invitation>, Response> {
    let Value::Array(items) = value else {
        return Err(bad("Invitations must be a list."));
    };
    let mut out: Vec<(String, Invitation)> = Vec::new();
    for item in items {
        let Value::Object(item) = item else {
            return Err(bad("Each invitation must be an object."));
        };
        let Some(Value::Object(user)) = get(item, "User") else {
            return Err(bad("Each invitation needs a User."));
        };
        let by_id = get_str(user, "Id").and_then(|id| data.user_by_id(&id).cloned());
        let by_email = get_str(user, "Email").and_then(|e| data.user_by_email(&e).cloned());
        let found = match (by_id, by_email) {
            (Some(u), _) | (None, Some(u)) => u,
            (None, None) => {
                let email = get_str(user, "Email").unwrap_or_default().trim().to_ascii_lowercase();
                if !crate::joinme::api::valid_email(&email) {
                    return Err(bad("An invitation's User needs a known Id or a valid Email."));
                }
                let guest = User {
                    id: guid(),
                    name: get_str(user, "Name").unwrap_or_else(|| email.clone()),
                    email: email.clone(),
                    title: String::new(),
                    password: String::new(),
                    enabled: true,
                    guest: true,
                };
                data.users.push(guest.clone());
                guest
            }
        };
        let status = match get(item, "Status") {
            Some(v) => enum_value(v, INVITATION_STATES).ok_or_else(|| bad("Unknown invitation Status."))?,
            None => "PENDING".into(),
        };
        if out.iter().any(|(_, i)| i.user_id == found.id) {
            continue;
        }
        let flag = |name: &str| get(item, name).and_then(Value::as_bool).unwrap_or(false);
        let required = get(item, "Required").and_then(Value::as_bool).unwrap_or(true);
        out.push((
            found.email.to_ascii_lowercase(),
            Invitation { user_id: found.id, status, required, is_co_host: flag("IsCoHost") },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|(_, i)| i).collect())
}

/// Applies JSMeeting fields to `m`, recording which sync properties changed at `seq`.
fn apply(
    data: &mut Data,
    m: &mut Meeting,
    body: &Map<String, Value>,
    seq: u64,
    now: DateTime<Utc>,
) -> Result<(), Response> {
    let before = m.clone();
    if let Some(v) = get(body, "Title") {
        m.title = v.as_str().map(|s| s.trim().to_string()).ok_or_else(|| bad("Title must be text."))?;
    }
    for (name, slot) in [("Start", &mut m.start), ("End", &mut m.end)] {
        if let Some(v) = get(body, name) {
            *slot = v
                .as_str()
                .and_then(parse_datetime)
                .ok_or_else(|| bad(&format!("{name} must be an ISO-8601 date-time.")))?;
        }
    }
    for (name, slot) in [("Location", &mut m.location), ("Purpose", &mut m.purpose)] {
        if let Some(v) = get(body, name) {
            *slot = v.as_str().unwrap_or_default().to_string();
        }
    }
    for (name, slot) in [
        ("SendInvitations", &mut m.send_invitations),
        ("CreateTeamsMeeting", &mut m.create_teams_meeting),
        ("AllDayEvent", &mut m.all_day_event),
    ] {
        if let Some(v) = get(body, name) {
            *slot = v.as_bool().ok_or_else(|| bad(&format!("{name} must be true or false.")))?;
        }
    }
    if m.title.is_empty() {
        return Err(bad("Title is required."));
    }
    if m.end <= m.start {
        return Err(bad("End must be after Start."));
    }
    // Last, because it may add guest users: a refused meeting adds none.
    if let Some(v) = get(body, "Invitations") {
        m.invitations = parse_invitations(data, v)?;
    }
    if m.send_invitations && (m.invitation_send_time.is_none() || before.invitations != m.invitations) {
        m.invitation_send_time = Some(now);
    }
    let changes = [
        ("Title", before.title != m.title),
        ("Start", before.start != m.start),
        ("End", before.end != m.end),
        ("Invitations", before.invitations != m.invitations),
        ("SendInvitations", before.send_invitations != m.send_invitations),
    ];
    for (property, changed) in changes {
        if changed {
            m.changed.insert(property, seq);
        }
    }
    m.modified = now;
    Ok(())
}

fn new_meeting(id: String, client_sync_id: String, host: &str, seq: u64, now: DateTime<Utc>) -> Meeting {
    Meeting {
        id,
        legacy_integer_id: false,
        client_sync_id,
        title: String::new(),
        start: now,
        end: now,
        location: String::new(),
        purpose: String::new(),
        host_id: host.to_string(),
        invitations: Vec::new(),
        invitation_send_time: None,
        send_invitations: false,
        actual_start: None,
        actual_end: None,
        create_teams_meeting: false,
        all_day_event: false,
        modified: now,
        created_seq: seq,
        changed: SYNC_PROPERTIES.iter().map(|p| (*p, seq)).collect(),
        deleted: false,
        deleted_seq: 0,
    }
}

fn valid_id(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok() || (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
}

/// Creates a meeting from a JSMeeting body for `caller`.
fn create(
    shared: &Shared,
    data: &mut Data,
    caller: &str,
    body: &Map<String, Value>,
    client_sync_id: Option<String>,
) -> Result<String, Response> {
    let Some(id) = get_str(body, "Id").map(|s| s.trim().to_string()) else {
        return Err(bad("Id is required: the client chooses a new guid for a new meeting."));
    };
    if !valid_id(&id) {
        return Err(bad("Id must be a guid."));
    }
    if data.meetings.get(&id.to_ascii_lowercase()).is_some_and(|m| !m.deleted) {
        return Err(api_error(StatusCode::CONFLICT, &format!("A meeting with Id {id} already exists.")));
    }
    let now = shared.clock.now();
    let seq = data.next_seq();
    let mut meeting = new_meeting(id.clone(), client_sync_id.unwrap_or_else(|| id.clone()), caller, seq, now);
    for required in ["Title", "Start", "End"] {
        if get(body, required).is_none() {
            return Err(bad(&format!("{required} is required.")));
        }
    }
    apply(data, &mut meeting, body, seq, now)?;
    data.meetings.insert(id.to_ascii_lowercase(), meeting);
    shared.recorder.count("meetingbooster.meetings.create");
    Ok(id.to_ascii_lowercase())
}

fn update(
    shared: &Shared,
    data: &mut Data,
    caller: &str,
    key: &str,
    body: &Map<String, Value>,
) -> Result<(), Response> {
    let mut meeting = match data.meetings.get(key) {
        Some(m) if !m.deleted => m.clone(),
        _ => return Err(api_error(StatusCode::NOT_FOUND, "The meeting does not exist.")),
    };
    if !meeting.can_edit(caller) {
        return Err(api_error(StatusCode::FORBIDDEN, "Only the host or a co-host can change this meeting."));
    }
    let now = shared.clock.now();
    let seq = data.next_seq();
    apply(data, &mut meeting, body, seq, now)?;
    data.meetings.insert(key.to_string(), meeting);
    shared.recorder.count("meetingbooster.meetings.update");
    Ok(())
}

fn delete(shared: &Shared, data: &mut Data, caller: &str, key: &str) -> Result<(), Response> {
    let seq = data.seq + 1;
    match data.meetings.get_mut(key) {
        Some(m) if !m.deleted => {
            if !m.can_edit(caller) {
                return Err(api_error(StatusCode::FORBIDDEN, "Only the host or a co-host can delete this meeting."));
            }
            m.deleted = true;
            m.deleted_seq = seq;
        }
        _ => return Err(api_error(StatusCode::NOT_FOUND, "The meeting does not exist.")),
    }
    data.seq = seq;
    shared.recorder.count("meetingbooster.meetings.delete");
    Ok(())
}

pub async fn create_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = caller!(shared, headers);
    let body = or_respond!(body_object(&headers, &body));
    let mut data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    match create(&shared, &mut data, &caller, &body, None) {
        // Success is 200, also for a create.
        Ok(key) => axum::Json(meeting_json(&data, &data.meetings[&key])).into_response(),
        Err(r) => r,
    }
}

pub async fn get_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = caller!(shared, headers);
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    match data.meetings.get(&id.to_ascii_lowercase()) {
        Some(m) if !m.deleted && m.involves(&caller) => axum::Json(meeting_json(&data, m)).into_response(),
        Some(m) if !m.deleted => api_error(StatusCode::FORBIDDEN, "You are not invited to this meeting."),
        _ => api_error(StatusCode::NOT_FOUND, "The meeting does not exist."),
    }
}

pub async fn put_meeting(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let caller = caller!(shared, headers);
    let body = or_respond!(body_object(&headers, &body));
    let key = id.to_ascii_lowercase();
    let mut data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    match update(&shared, &mut data, &caller, &key, &body) {
        Ok(()) => axum::Json(meeting_json(&data, &data.meetings[&key])).into_response(),
        Err(r) => r,
    }
}

pub async fn delete_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = caller!(shared, headers);
    let mut data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    match delete(&shared, &mut data, &caller, &id.to_ascii_lowercase()) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => r,
    }
}

fn sync_token(data: &Data) -> String {
    format!("{}{:x}", data.sync_prefix, data.seq)
}

fn since(data: &Data, token: Option<&String>) -> Option<u64> {
    let rest = token?.strip_prefix(&data.sync_prefix)?;
    u64::from_str_radix(rest, 16).ok().filter(|s| *s <= data.seq)
}

fn sync_entry(data: &Data, m: &Meeting, state: &str) -> Value {
    json!({ "ClientSyncId": m.client_sync_id, "LastModified": iso(m.modified), "State": state, "Meeting": meeting_json(data, m) })
}

fn synchronization(data: &Data, meetings: Vec<Value>) -> Value {
    json!({
        "CalendarEntries": [],
        "CalendarRecurrences": [],
        "Meetings": meetings,
        "MeetingRecurrences": [],
        "SyncToken": sync_token(data),
    })
}

pub async fn sync(State(shared): State<Arc<Shared>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let caller = caller!(shared, headers);
    shared.recorder.count("meetingbooster.sync");
    let params = query_map(q.as_deref());
    let properties: Vec<&str> = match params.get("properties").filter(|p| !p.trim().is_empty()) {
        Some(list) => {
            let mut chosen = Vec::new();
            for name in list.split(',').map(str::trim) {
                match SYNC_PROPERTIES.iter().find(|p| p.eq_ignore_ascii_case(name)) {
                    Some(p) => chosen.push(*p),
                    None => return bad(&format!("Unknown property {name}.")),
                }
            }
            chosen
        }
        None => SYNC_PROPERTIES.to_vec(),
    };
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    let since = since(&data, params.get("synctoken"));
    let mut entries = Vec::new();
    for m in data.meetings.values().filter(|m| m.involves(&caller)) {
        let state = match since {
            None if !m.deleted => Some("NEW"),
            None => None,
            Some(t) if m.deleted => (m.deleted_seq > t && m.created_seq <= t).then_some("DELETED"),
            Some(t) if m.created_seq > t => Some("NEW"),
            Some(t) => properties.iter().any(|p| m.changed.get(p).is_some_and(|s| *s > t)).then_some("MODIFIED"),
        };
        if let Some(state) = state {
            entries.push(sync_entry(&data, m, state));
        }
    }
    axum::Json(synchronization(&data, entries)).into_response()
}

/// SyncCommit: applies the client's NEW, MODIFIED and DELETED meetings all or nothing.
pub async fn sync_commit(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = caller!(shared, headers);
    let body = or_respond!(body_object(&headers, &body));
    shared.recorder.count("meetingbooster.synccommit");
    let mut guard = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    // Work on a copy so that a refused entry leaves the server as it was.
    let mut data = Data {
        users: guard.users.clone(),
        logins: Default::default(),
        access: Default::default(),
        refresh: Default::default(),
        meetings: guard.meetings.clone(),
        seq: guard.seq,
        sync_prefix: guard.sync_prefix.clone(),
    };
    let entries = match get(&body, "Meetings") {
        Some(Value::Array(items)) => items.clone(),
        None => Vec::new(),
        Some(_) => return bad("Meetings must be a list."),
    };
    let mut touched: BTreeMap<String, &'static str> = BTreeMap::new();
    for entry in &entries {
        let Value::Object(entry) = entry else {
            return bad("Each sync meeting must be an object.");
        };
        let state = match get(entry, "State").and_then(|s| enum_value(s, SYNC_STATES)) {
            Some(s) => s,
            None => return bad("Each sync meeting needs a State of NEW, MODIFIED or DELETED."),
        };
        let meeting = match get(entry, "Meeting") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let client_sync_id = get_str(entry, "ClientSyncId");
        let by_id = get_str(&meeting, "Id").map(|id| id.to_ascii_lowercase()).filter(|k| data.meetings.contains_key(k));
        let by_sync_id = client_sync_id.as_ref().and_then(|c| {
            data.meetings
                .iter()
                .find(|(_, m)| !m.deleted && m.client_sync_id.eq_ignore_ascii_case(c))
                .map(|(k, _)| k.clone())
        });
        let existing = by_id.or(by_sync_id).filter(|k| !data.meetings[k].deleted);
        let result = match (state.as_str(), existing) {
            // A NEW that the server already has (a retried commit) is an update, not a duplicate.
            ("NEW", Some(key)) | ("MODIFIED", Some(key)) => {
                update(&shared, &mut data, &caller, &key, &meeting).map(|()| (key, "MODIFIED"))
            }
            ("NEW", None) => {
                let mut meeting = meeting;
                if get(&meeting, "Id").is_none() {
                    meeting.insert("Id".into(), json!(guid()));
                }
                create(&shared, &mut data, &caller, &meeting, client_sync_id.clone()).map(|k| (k, "NEW"))
            }
            ("DELETED", Some(key)) => delete(&shared, &mut data, &caller, &key).map(|()| (key, "DELETED")),
            // Deleting what is already gone is done.
            ("DELETED", None) => continue,
            _ => Err(api_error(StatusCode::NOT_FOUND, "A MODIFIED meeting does not exist on the server.")),
        };
        match result {
            Ok((key, state)) => {
                touched.insert(key, state);
            }
            Err(r) => return r,
        }
    }
    guard.users = data.users.clone();
    guard.meetings = data.meetings.clone();
    guard.seq = data.seq;
    let stored: Vec<Value> = touched.iter().map(|(k, state)| sync_entry(&guard, &guard.meetings[k], state)).collect();
    axum::Json(synchronization(&guard, stored)).into_response()
}

pub async fn task_sync(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let _caller = caller!(shared, headers);
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    axum::Json(json!({ "Tasks": [], "SyncToken": sync_token(&data) })).into_response()
}

pub async fn list_users(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let _caller = caller!(shared, headers);
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    axum::Json(data.users.iter().map(user_json).collect::<Vec<_>>()).into_response()
}

pub async fn get_user(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = caller!(shared, headers);
    let data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());
    let id = if id.eq_ignore_ascii_case("me") { caller } else { id };
    match data.user_by_id(&id) {
        Some(u) => axum::Json(user_json(u)).into_response(),
        None => api_error(StatusCode::NOT_FOUND, "The user does not exist."),
    }
}
