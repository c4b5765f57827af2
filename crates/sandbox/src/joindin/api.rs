//! api.joind.in: one dispatcher, because the real server routes by hand too, and its answers for unknown
//! versions, endpoints, sub-requests and methods are part of the contract.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::coerce::coerce;
use super::data::{Comment, Event};
use super::views::{self, Urls};
use crate::Shared;
use crate::http::{joindin_error, joindin_json, json_object, or_respond, parse_datetime, query_all, query_map};

type Params = HashMap<String, String>;

/// A request as the handlers see it.
struct Call<'a> {
    shared: &'a Shared,
    method: Method,
    params: Params,
    query: Option<String>,
    /// The signed-in user, if a known token came with the request.
    user: Option<u64>,
    verbose: bool,
}

fn err(status: StatusCode, message: &str) -> Response {
    joindin_error(status, message)
}

/// Issues a token that PHP's `is_numeric` does not accept (a coerced token could not be recovered), unless the
/// switch asks for a numeric-looking one.
pub fn issue_token(shared: &Shared, user_id: u64) -> String {
    let numeric = shared.switches().joindin_numeric_tokens;
    let token = loop {
        let candidate: String = (0..16).map(|_| format!("{:x}", rand::random_range(0..16u8))).collect();
        let looks_numeric = super::coerce::is_numeric(&candidate);
        if numeric {
            // Below 2^53, so it survives coercion as a JSON integer that a tolerant client can read back.
            break format!("{}", rand::random_range(1_000_000_000_000_000u64..9_000_000_000_000_000));
        }
        if !looks_numeric {
            break candidate;
        }
    };
    let now = shared.clock.now();
    let mut data = shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    data.tokens.insert(token.clone(), super::data::Token { user_id, last_used: now });
    token
}

/// The user behind the Authorization header. An unknown token is anonymous, as on the real server.
fn identify(shared: &Shared, headers: &HeaderMap) -> Result<Option<u64>, Response> {
    let Some(raw) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let raw = raw.to_str().unwrap_or("");
    let parts: Vec<&str> = raw.split(' ').collect();
    if parts.len() != 2 {
        return Err(err(StatusCode::BAD_REQUEST, "Invalid Authorization Header"));
    }
    if !parts[0].eq_ignore_ascii_case("bearer") && !parts[0].eq_ignore_ascii_case("oauth") {
        return Err(err(StatusCode::BAD_REQUEST, "Unknown Authorization Header Received"));
    }
    let now = shared.clock.now();
    let idle = shared.switches().joindin_token_idle_secs;
    let mut data = shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let Some(token) = data.tokens.get_mut(parts[1]) else {
        return Ok(None);
    };
    if idle.is_some_and(|secs| now - token.last_used > Duration::seconds(secs)) {
        data.tokens.remove(parts[1]);
        return Ok(None);
    }
    token.last_used = now;
    Ok(Some(token.user_id))
}

/// The JSON answer, coerced as the real server's output is.
fn respond(shared: &Shared, status: StatusCode, body: Value) -> Response {
    let body = if shared.switches().joindin_numeric_coercion { coerce(body) } else { body };
    joindin_json(status, &body)
}

/// `{name: [page of items], meta: {...}}` with the server's paging.
fn collection(call: &Call, urls: &Urls, path: &str, name: &str, items: Vec<Value>) -> Response {
    let total = items.len();
    let start: usize = call.params.get("start").and_then(|s| s.parse().ok()).unwrap_or(0);
    let per_page: usize = call.params.get("resultsperpage").and_then(|s| s.parse().ok()).unwrap_or(20);
    let page: Vec<Value> = if per_page == 0 {
        items.into_iter().skip(start).collect()
    } else {
        items.into_iter().skip(start).take(per_page).collect()
    };
    let page_url = |start: usize| {
        let mut pairs: Vec<(String, String)> = call
            .params
            .iter()
            .filter(|(k, _)| *k != "start" && *k != "resultsperpage")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        pairs.sort();
        pairs.push(("start".into(), start.to_string()));
        pairs.push(("resultsperpage".into(), per_page.to_string()));
        let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        format!("{}{path}?{q}", urls.api)
    };
    let mut meta = json!({ "count": page.len(), "total": total, "this_page": page_url(start) });
    if per_page > 0 && start + per_page < total {
        meta["next_page"] = json!(page_url(start + per_page));
    }
    if start > 0 {
        meta["prev_page"] = json!(page_url(start.saturating_sub(per_page.max(1))));
    }
    if let Some(id) = call.user {
        meta["user_uri"] = json!(format!("{}/users/{id}", urls.api));
    }
    let mut body = Map::new();
    body.insert(name.into(), Value::Array(page));
    body.insert("meta".into(), meta);
    respond(call.shared, StatusCode::OK, Value::Object(body))
}

fn created(location: String, status: StatusCode) -> Response {
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// Request body fields: parsed only when `Content-Type` is exactly `application/json`; otherwise ignored.
fn body_fields(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Response> {
    let exact = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) == Some("application/json");
    if !exact || body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    json_object(body).map_err(|_| err(StatusCode::BAD_REQUEST, "Invalid JSON in request body"))
}

pub async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_end_matches('/').to_string();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let api_root = format!("{}/v2.1", shared.config.joindin.api_base);
    let web = shared.config.joindin.web_base.clone();
    let urls = Urls { api: &api_root, web: &web };
    match segments.first() {
        None => return link_map(&shared, &urls),
        Some(&"v2.1") => {}
        Some(&"v2") => {
            return err(StatusCode::BAD_REQUEST, "This API version is no longer supported. Please use v2.1");
        }
        Some(_) => return err(StatusCode::NOT_FOUND, "API version must be specified"),
    }
    let user = or_respond!(identify(&shared, &headers));
    let mut params = query_map(uri.query());
    let fields = or_respond!(body_fields(&headers, &body));
    for (k, v) in fields {
        let text = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        params.insert(k, text);
    }
    let verbose = params.get("verbose").is_some_and(|v| v == "yes");
    let call = Call { shared: &shared, method, params, query: uri.query().map(str::to_string), user, verbose };
    let rest = &segments[1..];
    match rest.first().copied() {
        None => link_map(&shared, &urls),
        Some("token") => token(&call),
        Some("events") => events(&call, &urls, &rest[1..]),
        Some("talks") => talks(&call, &urls, &rest[1..]),
        Some("users") => users(&call, &urls, &rest[1..]),
        _ => err(StatusCode::NOT_FOUND, "Endpoint not found"),
    }
}

fn link_map(shared: &Shared, urls: &Urls) -> Response {
    let e = format!("{}/events", urls.api);
    respond(
        shared,
        StatusCode::OK,
        json!({
            "events": e,
            "hot-events": format!("{e}?filter=hot"),
            "upcoming-events": format!("{e}?filter=upcoming"),
            "past-events": format!("{e}?filter=past"),
            "open-cfps": format!("{e}?filter=cfp"),
            "docs": "http://joindin.github.io/joindin-api/",
        }),
    )
}

fn method_not_supported() -> Response {
    err(StatusCode::METHOD_NOT_ALLOWED, "Method not supported")
}

/// POST `/v2.1/token`: the password grant, with the server's checks in the server's order.
fn token(call: &Call) -> Response {
    if call.method == Method::GET {
        return err(StatusCode::FORBIDDEN, "You can not access the token list with this client");
    }
    if call.method != Method::POST {
        return method_not_supported();
    }
    let p = &call.params;
    call.shared.recorder.count("joindin.token.password");
    let Some(grant_type) = p.get("grant_type") else {
        return err(StatusCode::BAD_REQUEST, "The field \"grant_type\" is required");
    };
    let (Some(username), Some(password)) = (p.get("username"), p.get("password")) else {
        return err(StatusCode::BAD_REQUEST, "The fields \"username\" and \"password\" are both required");
    };
    if grant_type != "password" {
        return err(StatusCode::BAD_REQUEST, "Grant type not recognised");
    }
    let client_id = p.get("client_id").cloned().unwrap_or_default();
    let found = {
        let data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
        let consumer_ok = data
            .consumer(&client_id)
            .is_some_and(|c| c.password_grant && p.get("client_secret").is_some_and(|s| *s == c.secret));
        if !consumer_ok {
            return err(StatusCode::FORBIDDEN, "This client cannot authenticate using the password grant type");
        }
        data.users.iter().find(|u| u.username == *username && u.password == *password).map(|u| (u.id, u.verified))
    };
    match found {
        Some((_, false)) => err(StatusCode::UNAUTHORIZED, "Not verified"),
        Some((id, true)) => {
            let token = issue_token(call.shared, id);
            let api_root = format!("{}/v2.1", call.shared.config.joindin.api_base);
            respond(
                call.shared,
                StatusCode::OK,
                json!({ "access_token": token, "user_uri": format!("{api_root}/users/{id}") }),
            )
        }
        None => err(StatusCode::FORBIDDEN, "Signin failed"),
    }
}

fn parse_id(segment: Option<&&str>) -> Option<u64> {
    segment.and_then(|s| s.parse().ok())
}

fn events(call: &Call, urls: &Urls, rest: &[&str]) -> Response {
    let now = call.shared.clock.now();
    let Some(id) = parse_id(rest.first()) else {
        if !rest.is_empty() {
            return err(StatusCode::NOT_FOUND, "Event not found");
        }
        return match call.method {
            Method::GET => list_events(call, urls, now),
            Method::POST if call.user.is_none() => {
                err(StatusCode::UNAUTHORIZED, "You must be logged in to create data")
            }
            _ => method_not_supported(),
        };
    };
    let mut data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let Some(event) = data.event(id).cloned() else {
        return err(StatusCode::NOT_FOUND, "Event not found");
    };
    let path = format!("/events/{id}");
    match (rest.get(1).copied(), &call.method) {
        (None, &Method::GET) => {
            let item = views::event(urls, &data, &event, call.user, call.verbose);
            drop(data);
            collection(call, urls, &path, "events", vec![item])
        }
        (Some("talks"), &Method::GET) => {
            let items = data
                .talks
                .iter()
                .filter(|t| t.event_id == id)
                .map(|t| views::talk(urls, t, &event, call.user, call.verbose))
                .collect();
            drop(data);
            collection(call, urls, &format!("{path}/talks"), "talks", items)
        }
        (Some("comments"), &Method::GET) => {
            drop(data);
            collection(call, urls, &format!("{path}/comments"), "comments", Vec::new())
        }
        (Some("talk_comments"), &Method::GET) => {
            let items = data
                .talks
                .iter()
                .filter(|t| t.event_id == id)
                .flat_map(|t| (0..t.comments.len()).map(move |i| (t, i)))
                .map(|(t, i)| views::comment(urls, &data, t, i))
                .collect();
            drop(data);
            collection(call, urls, &format!("{path}/talk_comments"), "comments", items)
        }
        (Some("attendees"), &Method::GET) => {
            let items = event
                .attendees
                .iter()
                .filter_map(|u| data.user(*u))
                .map(|u| views::user(urls, u, call.user, call.verbose))
                .collect();
            drop(data);
            collection(call, urls, &format!("{path}/attendees"), "users", items)
        }
        (Some("hosts"), &Method::GET) => {
            let items = event.hosts.iter().filter_map(|u| data.user(*u)).map(|u| views::host(urls, u)).collect();
            drop(data);
            collection(call, urls, &format!("{path}/hosts"), "hosts", items)
        }
        (Some("tracks"), &Method::GET) => {
            let mut names: Vec<&str> =
                data.talks.iter().filter(|t| t.event_id == id).filter_map(|t| t.track.as_deref()).collect();
            names.sort();
            names.dedup();
            let items = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let track_id = id * 10 + 1 + i as u64;
                    json!({
                        "track_name": name,
                        "track_description": format!("The {name} track"),
                        "talks_count": data.talks.iter().filter(|t| t.event_id == id && t.track.as_deref() == Some(name)).count(),
                        "uri": format!("{}/tracks/{track_id}", urls.api),
                        "verbose_uri": format!("{}/tracks/{track_id}?verbose=yes", urls.api),
                        "event_uri": format!("{}/events/{id}", urls.api),
                    })
                })
                .collect();
            drop(data);
            collection(call, urls, &format!("{path}/tracks"), "tracks", items)
        }
        (Some("attending"), &Method::GET) => {
            let attending = call.user.is_some_and(|u| event.attendees.contains(&u));
            drop(data);
            respond(call.shared, StatusCode::OK, json!({ "is_attending": attending }))
        }
        (Some("attending"), &Method::POST) => {
            let Some(user) = call.user else {
                return err(StatusCode::UNAUTHORIZED, "You must be logged in to create data");
            };
            if let Some(e) = data.events.iter_mut().find(|e| e.id == id) {
                e.attendees.insert(user);
            }
            call.shared.recorder.count("joindin.attending.post");
            created(format!("{}/events/{id}/attendees", urls.api), StatusCode::CREATED)
        }
        (Some("attending"), &Method::DELETE) => {
            let Some(user) = call.user else {
                return err(StatusCode::UNAUTHORIZED, "You must be logged in to delete data");
            };
            if let Some(e) = data.events.iter_mut().find(|e| e.id == id) {
                e.attendees.remove(&user);
            }
            call.shared.recorder.count("joindin.attending.delete");
            created(format!("{}/events/{id}/attendees", urls.api), StatusCode::OK)
        }
        (None, &Method::POST) | (Some(_), &Method::POST) if call.user.is_none() => {
            err(StatusCode::UNAUTHORIZED, "You must be logged in to create data")
        }
        (None, &Method::DELETE) if call.user.is_none() => {
            err(StatusCode::UNAUTHORIZED, "You must be logged in to delete data")
        }
        (Some("talks" | "comments" | "talk_comments" | "attendees" | "hosts" | "tracks" | "attending"), _)
        | (None, _) => method_not_supported(),
        (Some(_), _) => err(StatusCode::NOT_FOUND, "Endpoint not found"),
    }
}

fn list_events(call: &Call, urls: &Urls, now: DateTime<Utc>) -> Response {
    let filter = call.params.get("filter").map(String::as_str).unwrap_or("all");
    let data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let mut events: Vec<&Event> = match filter {
        "pending" => {
            return match call.user {
                None => err(StatusCode::BAD_REQUEST, "You must be logged in to view pending events"),
                Some(u) if data.user(u).is_some_and(|u| u.admin) => {
                    let items: Vec<Value> = data
                        .events
                        .iter()
                        .filter(|e| !e.approved)
                        .map(|e| views::event(urls, &data, e, call.user, call.verbose))
                        .collect();
                    drop(data);
                    collection(call, urls, "/events", "events", items)
                }
                Some(_) => err(StatusCode::FORBIDDEN, "You don't have permission to view pending events"),
            };
        }
        "upcoming" | "hot" => data.events.iter().filter(|e| e.approved && e.end >= now).collect(),
        "past" => data.events.iter().filter(|e| e.approved && e.end < now).collect(),
        "cfp" => {
            data.events.iter().filter(|e| e.approved && e.cfp.is_some_and(|(s, end)| s <= now && now <= end)).collect()
        }
        _ => data.events.iter().filter(|e| e.approved).collect(),
    };
    match filter {
        "upcoming" | "cfp" => events.sort_by_key(|e| e.start),
        "hot" => events.sort_by_key(|e| std::cmp::Reverse(e.attendees.len())),
        _ => events.sort_by_key(|e| std::cmp::Reverse(e.start)),
    }
    if let Some(title) = call.params.get("title").map(|t| t.to_lowercase()) {
        events.retain(|e| e.name.to_lowercase().contains(&title));
    }
    if let Some(stub) = call.params.get("stub") {
        events.retain(|e| e.stub == *stub);
    }
    let tags = query_all(call.query.as_deref(), "tags[]");
    if !tags.is_empty() {
        events.retain(|e| tags.iter().any(|t| e.tags.contains(t)));
    }
    if let Some(start) = call.params.get("startdate").and_then(|s| parse_datetime(s)) {
        events.retain(|e| e.start >= start);
    }
    if let Some(end) = call.params.get("enddate").and_then(|s| parse_datetime(s)) {
        events.retain(|e| e.start <= end);
    }
    let items = events.into_iter().map(|e| views::event(urls, &data, e, call.user, call.verbose)).collect();
    drop(data);
    collection(call, urls, "/events", "events", items)
}

fn talks(call: &Call, urls: &Urls, rest: &[&str]) -> Response {
    let Some(id) = parse_id(rest.first()) else {
        if call.method != Method::GET {
            return method_not_supported();
        }
        let Some(title) = call.params.get("title").map(|t| t.to_lowercase()) else {
            return err(StatusCode::METHOD_NOT_ALLOWED, "Generic talks listing not supported");
        };
        let data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
        let items = data
            .talks
            .iter()
            .filter(|t| t.title.to_lowercase().contains(&title))
            .filter_map(|t| data.event(t.event_id).map(|e| views::talk(urls, t, e, call.user, call.verbose)))
            .collect();
        drop(data);
        return collection(call, urls, "/talks", "talks", items);
    };
    let mut data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let Some(index) = data.talks.iter().position(|t| t.id == id && data.event(t.event_id).is_some()) else {
        return err(StatusCode::NOT_FOUND, "Talk not found");
    };
    let talk = data.talks[index].clone();
    let event = data.event(talk.event_id).cloned().expect("checked above");
    let path = format!("/talks/{id}");
    match (rest.get(1).copied(), &call.method) {
        (None, &Method::GET) => {
            let item = views::talk(urls, &talk, &event, call.user, call.verbose);
            drop(data);
            collection(call, urls, &path, "talks", vec![item])
        }
        (Some("comments"), &Method::GET) => {
            let items = (0..talk.comments.len()).map(|i| views::comment(urls, &data, &talk, i)).collect();
            drop(data);
            collection(call, urls, &format!("{path}/comments"), "comments", items)
        }
        (Some("comments"), &Method::POST) => {
            let Some(user) = call.user else {
                return err(StatusCode::UNAUTHORIZED, "You must be logged in to create data");
            };
            let comment = call.params.get("comment").map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
            let rating = call.params.get("rating").and_then(|r| r.parse::<u8>().ok()).filter(|r| *r <= 5);
            let (Some(comment), Some(rating)) = (comment, rating) else {
                return err(
                    StatusCode::BAD_REQUEST,
                    "The field \"comment\" is required. The field \"rating\" is required",
                );
            };
            let now = call.shared.clock.now();
            data.talks[index].comments.push(Comment { user_id: user, rating, comment, created: now });
            let n = data.talks[index].comments.len() - 1;
            created(format!("{}/talk_comments/{}", urls.api, id * 100 + n as u64), StatusCode::CREATED)
        }
        (Some("starred"), &Method::GET) => {
            let starred = call.user.is_some_and(|u| talk.starred.contains(&u));
            drop(data);
            respond(call.shared, StatusCode::OK, json!({ "has_starred": starred }))
        }
        (Some("starred"), &Method::POST) => {
            let Some(user) = call.user else {
                return err(StatusCode::UNAUTHORIZED, "You must be logged in to create data");
            };
            data.talks[index].starred.insert(user);
            created(format!("{}/talks/{id}/starred", urls.api), StatusCode::CREATED)
        }
        (Some("starred"), &Method::DELETE) => {
            let Some(user) = call.user else {
                return err(StatusCode::UNAUTHORIZED, "You must be logged in to delete data");
            };
            data.talks[index].starred.remove(&user);
            StatusCode::RESET_CONTENT.into_response()
        }
        (Some("speakers"), &Method::GET) => {
            let items = talk
                .speakers
                .iter()
                .filter_map(|(_, id)| id.and_then(|id| data.user(id)))
                .map(|u| views::user(urls, u, call.user, call.verbose))
                .collect();
            drop(data);
            collection(call, urls, &format!("{path}/speakers"), "speakers", items)
        }
        (Some("comments" | "starred" | "speakers") | None, _) => method_not_supported(),
        (Some(_), _) => err(StatusCode::NOT_FOUND, "Unknown Subrequest"),
    }
}

fn users(call: &Call, urls: &Urls, rest: &[&str]) -> Response {
    if call.method != Method::GET {
        return method_not_supported();
    }
    let data = call.shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let Some(first) = rest.first() else {
        let mut users: Vec<&super::data::User> = data.users.iter().filter(|u| u.verified).collect();
        if let Some(username) = call.params.get("username") {
            users.retain(|u| u.username == *username);
            if users.is_empty() {
                return err(StatusCode::NOT_FOUND, "Username not found");
            }
        }
        if let Some(keyword) = call.params.get("keyword").map(|k| k.to_lowercase()) {
            users.retain(|u| {
                u.username.to_lowercase().contains(&keyword) || u.full_name.to_lowercase().contains(&keyword)
            });
        }
        let items = users.into_iter().map(|u| views::user(urls, u, call.user, call.verbose)).collect();
        drop(data);
        return collection(call, urls, "/users", "users", items);
    };
    // An unknown or malformed id is an empty collection, not a 404.
    let id: u64 = first.parse().unwrap_or(0);
    let path = format!("/users/{first}");
    let user = data.user(id);
    let items: Vec<Value> = match rest.get(1).copied() {
        None => user.map(|u| views::user(urls, u, call.user, call.verbose)).into_iter().collect(),
        Some("talks") => data
            .talks
            .iter()
            .filter(|t| t.speakers.iter().any(|(_, s)| *s == Some(id)))
            .filter_map(|t| data.event(t.event_id).map(|e| views::talk(urls, t, e, call.user, call.verbose)))
            .collect(),
        Some("attended") => data
            .events
            .iter()
            .filter(|e| e.approved && e.attendees.contains(&id))
            .map(|e| views::event(urls, &data, e, call.user, call.verbose))
            .collect(),
        Some("hosted") => data
            .events
            .iter()
            .filter(|e| e.approved && e.hosts.contains(&id))
            .map(|e| views::event(urls, &data, e, call.user, call.verbose))
            .collect(),
        Some("talk_comments") => data
            .talks
            .iter()
            .flat_map(|t| (0..t.comments.len()).map(move |i| (t, i)))
            .filter(|(t, i)| t.comments[*i].user_id == id)
            .map(|(t, i)| views::comment(urls, &data, t, i))
            .collect(),
        Some(_) => return err(StatusCode::NOT_FOUND, "Unknown Subrequest"),
    };
    let name = match rest.get(1).copied() {
        None => "users",
        Some("talks") => "talks",
        Some("talk_comments") => "comments",
        _ => "events",
    };
    let sub = rest.get(1).map(|s| format!("/{s}")).unwrap_or_default();
    drop(data);
    collection(call, urls, &format!("{path}{sub}"), name, items)
}
