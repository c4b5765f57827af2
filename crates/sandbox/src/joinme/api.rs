//! api.join.me `/v1/…`: the user, scheduled meetings, starting meetings and Business presenters, behind an
//! emulated Mashery gateway that answers token problems exactly as the FAQ shows.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::data::{Data, Meeting, Plan, Presenter, PresenterLink, StartedMeeting, User};
use crate::Shared;
use crate::http::{
    bearer, bool_field, fields, iso, joinme_api_error, joinme_internal_error, media_type, or_respond, parse_datetime,
    query_map, random_token, text_field,
};

/// The gateway's answer to a missing, malformed or unknown bearer token, or an inactive API key (FAQ: 403).
pub fn mashery_forbidden() -> Response {
    let mut response = (StatusCode::FORBIDDEN, "<h1>Developer Inactive</h1>").into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    headers.insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"api.join.me\", error=\"invalid_token\""),
    );
    headers.insert("X-Error-Detail-Header", HeaderValue::from_static("Account Inactive"));
    headers.insert("X-Mashery-Error-Code", HeaderValue::from_static("ERR_403_DEVELOPER_INACTIVE"));
    response
}

fn invalid_request(message: &str) -> Response {
    joinme_api_error(StatusCode::BAD_REQUEST, "invalid_request", message)
}

fn not_found(what: &str) -> Response {
    joinme_api_error(StatusCode::NOT_FOUND, "not_found", &format!("{what} not found"))
}

/// Who is calling.
struct Caller {
    user: String,
}

enum Need {
    Scope(&'static str),
    BusinessKey,
}

/// The gateway's checks, in the order providers.md §1.4 gives.
fn authenticate(shared: &Shared, headers: &HeaderMap, need: Need) -> Result<Caller, Response> {
    let now = shared.clock.now();
    let window = Duration::seconds(shared.switches().joinme_revocation_window_secs);
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let token = bearer(headers).and_then(|t| data.tokens.get(&t).cloned()).ok_or_else(mashery_forbidden)?;
    let client = data.client(&token.client_id).cloned().ok_or_else(mashery_forbidden)?;
    if !client.active {
        return Err(mashery_forbidden());
    }
    if let Some(revoked_at) = token.revoked_at {
        return Err(if now < revoked_at + window {
            joinme_internal_error()
        } else {
            joinme_api_error(StatusCode::UNAUTHORIZED, "forbidden", "Not authorized")
        });
    }
    if token.is_stale(now) {
        return Err(joinme_api_error(StatusCode::UNAUTHORIZED, "stale_token", "Access token expired"));
    }
    match need {
        Need::Scope(scope) if !token.scopes.iter().any(|s| s == scope) => {
            let mut response = joinme_api_error(StatusCode::FORBIDDEN, "forbidden", "Insufficient scope");
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"api.join.me\", error=\"insufficient_scope\""),
            );
            Err(response)
        }
        Need::BusinessKey if !client.business => {
            Err(joinme_api_error(StatusCode::FORBIDDEN, "forbidden", "Business API key required"))
        }
        _ => Ok(Caller { user: token.user }),
    }
}

/// A JSON body for POST and PATCH; `Content-Type: application/json` is required whenever there is a body.
fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Response> {
    if !body.iter().all(u8::is_ascii_whitespace) && media_type(headers).as_deref() != Some("application/json") {
        return Err(joinme_api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "Content-Type must be application/json.",
        ));
    }
    fields(headers, body).map_err(|e| invalid_request(&e.message()))
}

fn conference(user: &User) -> Value {
    json!({
        "conferenceId": user.conference_id,
        "conferenceCallNumbersUrl":
            format!("https://secure.join.me/api/public/intphone.aspx?conferenceId={}", user.conference_id),
        "organizerCode": user.organizer_code,
    })
}

fn user_json(user: &User) -> Value {
    let mut body = json!({
        "email": user.email,
        "fullName": user.full_name,
        "language": user.language,
        "numberOfMeetingsHosted": user.meetings_hosted,
        // The docs' example has no zone on this one date.
        "registrationDate": user.registration.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "subscriptionType": user.plan.name(),
    });
    if user.plan != Plan::Free {
        if let Some(url) = &user.personal_url {
            body["personalUrl"] = json!(url);
        }
        body["conferenceSettings"] = conference(user);
    }
    body
}

fn caller_user(shared: &Shared, caller: &Caller) -> User {
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    data.user(&caller.user).cloned().expect("tokens belong to seeded users")
}

pub async fn user(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("user_info")));
    axum::Json(user_json(&caller_user(&shared, &caller))).into_response()
}

pub async fn conference_settings(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("user_info")));
    let user = caller_user(&shared, &caller);
    if user.plan == Plan::Free {
        return not_found("Conference settings");
    }
    axum::Json(conference(&user)).into_response()
}

fn summary_json(m: &Meeting) -> Value {
    json!({
        "meetingId": m.id,
        "meetingName": m.name,
        "meetingStart": iso(m.start),
        "meetingEnd": iso(m.end),
        "startWithPersonalUrl": m.start_with_personal_url,
    })
}

fn meeting_json(m: &Meeting) -> Value {
    let mut body = summary_json(m);
    body["participants"] = json!(m.participants);
    body["conferenceId"] = json!(m.conference_id);
    if let Some(link) = &m.viewer_link {
        body["viewerLink"] = json!(link);
    }
    body
}

pub async fn list_meetings(State(shared): State<Arc<Shared>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("scheduler")));
    let params = query_map(q.as_deref());
    let end_date = match params.get("endDate").filter(|v| !v.is_empty()) {
        Some(raw) => match parse_datetime(raw) {
            Some(t) => Some(t),
            None => return invalid_request("endDate must be an ISO-8601 date-time."),
        },
        None => None,
    };
    let now = shared.clock.now();
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let mut meetings: Vec<&Meeting> = data
        .meetings
        .values()
        .filter(|m| m.owner == caller.user && m.end > now && end_date.is_none_or(|d| m.start <= d))
        .collect();
    meetings.sort_by_key(|m| (m.start, m.id));
    axum::Json(json!({ "meetings": meetings.into_iter().map(summary_json).collect::<Vec<_>>() })).into_response()
}

/// Applies create or patch fields to a meeting, checking what join.me would refuse.
fn apply_meeting_fields(meeting: &mut Meeting, body: &Map<String, Value>, creating: bool) -> Result<(), Response> {
    let required = |name: &str| creating.then(|| invalid_request(&format!("{name} is required.")));
    match body.get("meetingName") {
        Some(Value::String(name)) if !name.trim().is_empty() => meeting.name = name.trim().to_string(),
        Some(_) => return Err(invalid_request("meetingName must be a non-empty string.")),
        None => {
            if let Some(e) = required("meetingName") {
                return Err(e);
            }
        }
    }
    for (name, slot) in [("meetingStart", &mut meeting.start), ("meetingEnd", &mut meeting.end)] {
        match body.get(name) {
            Some(Value::String(raw)) => match parse_datetime(raw) {
                Some(t) => *slot = t,
                None => return Err(invalid_request(&format!("{name} must be an ISO-8601 date-time."))),
            },
            Some(_) => return Err(invalid_request(&format!("{name} must be an ISO-8601 date-time."))),
            None => {
                if let Some(e) = required(name) {
                    return Err(e);
                }
            }
        }
    }
    if meeting.end <= meeting.start {
        return Err(invalid_request("meetingEnd must be after meetingStart."));
    }
    match bool_field(body, "startWithPersonalUrl") {
        Some(Ok(b)) => meeting.start_with_personal_url = b,
        Some(Err(())) => return Err(invalid_request("startWithPersonalUrl must be a boolean.")),
        None => {}
    }
    match body.get("participants") {
        Some(Value::Array(items)) => {
            let mut emails = Vec::new();
            for item in items {
                match item.as_str().map(str::trim) {
                    Some(e) if valid_email(e) => emails.push(e.to_string()),
                    _ => return Err(invalid_request("participants must be a list of e-mail addresses.")),
                }
            }
            meeting.participants = emails;
        }
        Some(Value::Null) | None => {}
        Some(_) => return Err(invalid_request("participants must be a list of e-mail addresses.")),
    }
    Ok(())
}

pub use launcher_core::email::is_valid as valid_email;

pub async fn create_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("scheduler")));
    let body = or_respond!(json_body(&headers, &body));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let id = data.next_meeting_id;
    let now = shared.clock.now();
    let mut meeting = Meeting {
        id,
        owner: caller.user,
        name: String::new(),
        start: now,
        end: now,
        start_with_personal_url: false,
        participants: Vec::new(),
        conference_id: format!("{}", 600_000_000 + id % 1_000_000),
        viewer_link: None,
    };
    if let Err(r) = apply_meeting_fields(&mut meeting, &body, true) {
        return r;
    }
    shared.recorder.count("joinme.meetings.create");
    data.next_meeting_id += 1;
    let json = meeting_json(&meeting);
    data.meetings.insert(id, meeting);
    (StatusCode::CREATED, axum::Json(json)).into_response()
}

fn owned_meeting<'a>(data: &'a mut Data, user: &str, id: &str) -> Option<&'a mut Meeting> {
    let id: u64 = id.parse().ok()?;
    data.meetings.get_mut(&id).filter(|m| m.owner == user)
}

pub async fn get_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("scheduler")));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    match owned_meeting(&mut data, &caller.user, &id) {
        Some(m) => axum::Json(meeting_json(m)).into_response(),
        None => not_found("Meeting"),
    }
}

pub async fn patch_meeting(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("scheduler")));
    let body = or_respond!(json_body(&headers, &body));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let Some(meeting) = owned_meeting(&mut data, &caller.user, &id) else {
        return not_found("Meeting");
    };
    // Validate on a copy so a refused patch changes nothing.
    let mut updated = meeting.clone();
    if let Err(r) = apply_meeting_fields(&mut updated, &body, false) {
        return r;
    }
    *meeting = updated;
    shared.recorder.count("joinme.meetings.update");
    axum::Json(meeting_json(meeting)).into_response()
}

pub async fn delete_meeting(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("scheduler")));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let Some(id) = owned_meeting(&mut data, &caller.user, &id).map(|m| m.id) else {
        return not_found("Meeting");
    };
    data.meetings.remove(&id);
    shared.recorder.count("joinme.meetings.delete");
    StatusCode::NO_CONTENT.into_response()
}

/// Checks `webhooks` and says per event whether it was registered, as `webhooksStatus` does.
fn register_webhooks(body: &Map<String, Value>) -> (Option<Value>, std::collections::HashMap<String, (String, Value)>) {
    let mut hooks = std::collections::HashMap::new();
    let Some(Value::Object(requested)) = body.get("webhooks") else {
        return (None, hooks);
    };
    let mut status = Map::new();
    for (event, hook) in requested {
        let url = hook.get("callbackUrl").and_then(Value::as_str).unwrap_or("");
        let result = if !matches!(event.as_str(), "meeting.start" | "meeting.end") {
            json!({ "success": false, "message": format!("Unknown event {event}") })
        } else if !(url.starts_with("http://") || url.starts_with("https://")) || url::Url::parse(url).is_err() {
            json!({ "success": false, "message": "callbackUrl must be an absolute http or https URL" })
        } else {
            let custom = hook.get("customCallbackData").cloned().unwrap_or(Value::Null);
            hooks.insert(event.clone(), (url.to_string(), custom));
            json!({ "success": true })
        };
        status.insert(event.clone(), result);
    }
    (Some(Value::Object(status)), hooks)
}

/// Records a start and answers with the StartResult.
fn start(
    shared: &Shared,
    data: &mut Data,
    user: &User,
    meeting_id: Option<u64>,
    personal: bool,
    body: &Map<String, Value>,
) -> Response {
    let now = shared.clock.now();
    let web = format!("{}/joinme/web", shared.config.sandbox.base);
    let code = match (personal, &user.personal_url) {
        (true, Some(url)) => url.clone(),
        _ => format!("{:09}", rand::random_range(100_000_000u32..999_999_999)),
    };
    let viewer_link = format!("{web}/{code}");
    let token = random_token(32);
    let presenter_link = format!("{web}/API/Public/StartMeeting.aspx?token={token}");
    let (webhooks_status, webhooks) = register_webhooks(body);
    data.started.push(StartedMeeting {
        user: user.email.clone(),
        meeting_id,
        viewer_link: viewer_link.clone(),
        at: now,
        launched: false,
        ended: false,
        webhooks,
    });
    data.presenter_links.insert(
        token,
        PresenterLink { started: data.started.len() - 1, expires_at: now + Duration::minutes(10), used: false },
    );
    if let Some(m) = meeting_id.and_then(|id| data.meetings.get_mut(&id)) {
        m.viewer_link = Some(viewer_link.clone());
    }
    shared.recorder.count("joinme.meetings.start");
    let mut result = json!({ "presenterLink": presenter_link, "viewerLink": viewer_link });
    if user.plan != Plan::Free {
        result["audioConference"] = conference(user);
    }
    if let Some(status) = webhooks_status {
        result["webhooksStatus"] = status;
    }
    (StatusCode::CREATED, axum::Json(result)).into_response()
}

pub async fn start_adhoc(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("start_meeting")));
    let body = or_respond!(json_body(&headers, &body));
    let personal = match bool_field(&body, "startWithPersonalUrl") {
        Some(Ok(b)) => b,
        Some(Err(())) => return invalid_request("startWithPersonalUrl must be a boolean."),
        None => return invalid_request("startWithPersonalUrl is required."),
    };
    if let Some(mode) = body.get("viewerMode")
        && !matches!(mode.as_str(), None | Some("default") | Some("headless"))
        && !mode.is_null()
    {
        return invalid_request("viewerMode must be null, \"default\" or \"headless\".");
    }
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let user = data.user(&caller.user).cloned().expect("tokens belong to seeded users");
    if personal && (user.personal_url.is_none() || user.plan == Plan::Free) {
        return invalid_request("This account has no personal URL; set startWithPersonalUrl to false.");
    }
    start(&shared, &mut data, &user, None, personal, &body)
}

pub async fn start_scheduled(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::Scope("start_meeting")));
    let body = or_respond!(json_body(&headers, &body));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let Some(meeting) = owned_meeting(&mut data, &caller.user, &id).map(|m| (m.id, m.start_with_personal_url)) else {
        return not_found("Meeting");
    };
    let user = data.user(&caller.user).cloned().expect("tokens belong to seeded users");
    let personal = meeting.1 && user.personal_url.is_some() && user.plan != Plan::Free;
    start(&shared, &mut data, &user, Some(meeting.0), personal, &body)
}

fn presenter_json(p: &Presenter) -> Value {
    json!({
        "id": p.id,
        "email": p.email,
        "isInvitationAccepted": p.invitation_accepted,
        "isSeatAssigned": p.seat_assigned,
    })
}

pub async fn list_presenters(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::BusinessKey));
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let list: Vec<Value> = data.presenters.values().filter(|p| p.account == caller.user).map(presenter_json).collect();
    axum::Json(json!({ "presenters": list })).into_response()
}

pub async fn get_presenter(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::BusinessKey));
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let found = id.parse::<u64>().ok().and_then(|id| data.presenters.get(&id)).filter(|p| p.account == caller.user);
    match found {
        Some(p) => axum::Json(presenter_json(p)).into_response(),
        None => not_found("Presenter"),
    }
}

pub async fn add_presenter(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::BusinessKey));
    let body = or_respond!(json_body(&headers, &body));
    let email = text_field(&body, "email").unwrap_or_default().trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return invalid_request("email must be a valid e-mail address.");
    }
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    if data.presenters.values().any(|p| p.account == caller.user && p.email == email) {
        return invalid_request("A presenter with this e-mail already exists.");
    }
    let id = data.next_presenter_id;
    data.next_presenter_id += 1;
    let presenter = Presenter { id, account: caller.user, email, invitation_accepted: false, seat_assigned: true };
    let json = presenter_json(&presenter);
    data.presenters.insert(id, presenter);
    shared.recorder.count("joinme.presenters.create");
    (StatusCode::CREATED, axum::Json(json)).into_response()
}

pub async fn delete_presenter(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let caller = or_respond!(authenticate(&shared, &headers, Need::BusinessKey));
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let found = id.parse::<u64>().ok().filter(|id| data.presenters.get(id).is_some_and(|p| p.account == caller.user));
    match found {
        Some(id) => {
            data.presenters.remove(&id);
            shared.recorder.count("joinme.presenters.delete");
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found("Presenter"),
    }
}

/// Whether a started meeting's presenter link is still good, for the web page.
pub fn take_presenter_link(data: &mut Data, token: &str, now: DateTime<Utc>) -> Option<usize> {
    let link = data.presenter_links.get_mut(token)?;
    if link.used || now >= link.expires_at {
        return None;
    }
    link.used = true;
    Some(link.started)
}
