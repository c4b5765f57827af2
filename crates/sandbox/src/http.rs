//! Request and response plumbing shared by the emulated services: each service answers errors in its own
//! format (its "flavor"), parses bodies leniently where the real one does and strictly where it is strict.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// `?` for handlers whose errors are ready-made responses in the service's format.
macro_rules! or_respond {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(response) => return response,
        }
    };
}
pub(crate) use or_respond;

/// Bodies above this size are refused before any handler runs.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Which service, and so which error format, a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// secure.join.me `/api/public/v1/auth/…`: OAuth JSON `{"error", "error_description"}`.
    JoinmeAuth,
    /// api.join.me `/v1/…`: `{"Message", "ErrorCode"}` behind the Mashery gateway.
    JoinmeApi,
    /// The join.me website (presenter and viewer links): HTML.
    JoinmeWeb,
    /// A MeetingBooster server: `{"Message"}` (JSApiError), JSOAuthError on `/oauth`.
    MeetingBooster,
    /// api.joind.in: a JSON array holding one string.
    JoindinApi,
    /// The joind.in website: HTML.
    JoindinWeb,
    /// The sandbox's calendar feeds under `/_sandbox/ics/`: plain text, as feed servers answer errors.
    Calendar,
    /// The operator controls under `/_sandbox/`.
    Control,
}

/// Where the calendar feeds live: a service below the controls' prefix, so faults and the log apply to it.
pub const CALENDAR_PREFIX: &str = "/_sandbox/ics/";

/// An operator control path: exempt from fault injection and the request log (the feeds are not controls).
pub fn is_control_path(path: &str) -> bool {
    path.starts_with("/_sandbox") && !path.starts_with(CALENDAR_PREFIX)
}

impl Flavor {
    pub fn of_path(path: &str) -> Self {
        let prefixes = [
            ("/joinme/auth", Flavor::JoinmeAuth),
            ("/joinme/api", Flavor::JoinmeApi),
            ("/joinme/web", Flavor::JoinmeWeb),
            ("/meetingbooster/oauth", Flavor::MeetingBooster),
            ("/meetingbooster", Flavor::MeetingBooster),
            ("/joindin/api", Flavor::JoindinApi),
            ("/joindin/web", Flavor::JoindinWeb),
            (CALENDAR_PREFIX, Flavor::Calendar),
        ];
        prefixes.iter().find(|(p, _)| path.starts_with(p)).map(|(_, f)| *f).unwrap_or(Flavor::Control)
    }

    /// A short name used in the request log and in counter keys.
    pub fn service(self) -> &'static str {
        match self {
            Flavor::JoinmeAuth | Flavor::JoinmeApi | Flavor::JoinmeWeb => "joinme",
            Flavor::MeetingBooster => "meetingbooster",
            Flavor::JoindinApi | Flavor::JoindinWeb => "joindin",
            Flavor::Calendar => "calendar",
            Flavor::Control => "sandbox",
        }
    }

    /// An error in this service's own format.
    pub fn error(self, status: StatusCode, message: &str) -> Response {
        match self {
            Flavor::JoinmeAuth => oauth_error(status, error_code_for(status), message),
            Flavor::JoinmeApi => {
                if status == StatusCode::INTERNAL_SERVER_ERROR {
                    return joinme_internal_error();
                }
                joinme_api_error(status, error_code_for(status), message)
            }
            Flavor::MeetingBooster => (status, axum::Json(json!({ "Message": message }))).into_response(),
            Flavor::JoindinApi => joindin_error(status, message),
            Flavor::JoinmeWeb | Flavor::JoindinWeb => {
                (status, super::pages::page("Error", &format!("<p>{}</p>", super::pages::escape(message))))
                    .into_response()
            }
            Flavor::Calendar => {
                let mut response = (status, format!("{message}\n")).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
                response
            }
            Flavor::Control => (status, axum::Json(json!({ "error": message }))).into_response(),
        }
    }
}

fn error_code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 | 415 => "invalid_request",
        401 => "forbidden",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        _ => "server_error",
    }
}

/// RFC 6749 §5.2 style error, as join.me's auth host writes it (with an `error_ticket_id`).
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let ticket = uuid::Uuid::new_v4().simple().to_string();
    (status, axum::Json(json!({ "error": error, "error_description": description, "error_ticket_id": ticket })))
        .into_response()
}

pub fn joinme_api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "Message": message, "ErrorCode": code }))).into_response()
}

/// The FAQ's HTTP 500 body, with a fresh exit point and reference number.
pub fn joinme_internal_error() -> Response {
    let exit_point: u32 = rand::random_range(1000..99999);
    let reference: u64 = rand::random_range(100_000_000..999_999_999);
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(json!({
            "StatusCode": 500,
            "ExitPointId": exit_point,
            "Message": "Unknown internal server error.",
            "ReferenceNumber": format!("d{reference}"),
        })),
    )
        .into_response()
}

/// joind.in's error: a JSON array of one string, with the server's own content type.
pub fn joindin_error(status: StatusCode, message: &str) -> Response {
    let mut response = joindin_json(status, &json!([message]));
    if status == StatusCode::UNAUTHORIZED {
        // The real server forgets the closing quote; clients must parse this as it is.
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"api.joind.in"));
    }
    response
}

/// A joind.in JSON answer: `charset=utf8` (sic) and open CORS, as the real server sends them.
pub fn joindin_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf8"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// Middleware: reads the whole body up to [`MAX_BODY_BYTES`] and refuses larger ones in the service's format.
pub async fn limit_body(State(flavor): State<Flavor>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => flavor.error(StatusCode::PAYLOAD_TOO_LARGE, "The request body is too large."),
    }
}

/// Query string parameters; the first value of a repeated name wins, as in PHP and ASP.NET.
pub fn query_map(query: Option<&str>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    map
}

/// All values of a repeated query parameter (`tags[]=a&tags[]=b`).
pub fn query_all(query: Option<&str>, name: &str) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The media type of a request, lower-cased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    UnsupportedMediaType(String),
    MalformedJson(String),
    NotAnObject,
}

impl BodyError {
    pub fn message(&self) -> String {
        match self {
            BodyError::UnsupportedMediaType(t) => format!("Unsupported content type `{t}`."),
            BodyError::MalformedJson(e) => format!("The JSON body is malformed: {e}."),
            BodyError::NotAnObject => "The body must be a JSON object.".into(),
        }
    }
}

/// Parses a form or JSON body into one map of fields. An empty body is an empty map. Form values become
/// JSON strings; JSON values keep their types.
pub fn fields(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match media_type(headers).as_deref() {
        Some("application/x-www-form-urlencoded") => Ok(url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()),
        Some("application/json") | Some("text/json") => json_object(body),
        Some(other) => Err(BodyError::UnsupportedMediaType(other.to_string())),
        None => Err(BodyError::UnsupportedMediaType("none".into())),
    }
}

pub fn json_object(body: &Bytes) -> Result<Map<String, Value>, BodyError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(BodyError::NotAnObject),
        Err(e) => Err(BodyError::MalformedJson(e.to_string())),
    }
}

/// A field as text: strings as they are, numbers and booleans printed, anything else absent.
pub fn text_field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean that clients send as `true` or `"true"`.
pub fn bool_field(fields: &Map<String, Value>, name: &str) -> Option<Result<bool, ()>> {
    match fields.get(name)? {
        Value::Bool(b) => Some(Ok(*b)),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(Ok(true)),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(Ok(false)),
        Value::Null => None,
        _ => Some(Err(())),
    }
}

/// The token of an `Authorization: Bearer <token>` header; `None` when absent or not exactly that shape.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = raw.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' ')).then(|| token.to_string())
}

/// A random opaque token of `len` characters from the URL-safe alphabet.
pub fn random_token(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// A 302 to `location`.
pub fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `base` with `pairs` added to its query string (or, with `in_fragment`, as its fragment).
pub fn with_params(base: &str, pairs: &[(&str, &str)], in_fragment: bool) -> String {
    let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    if in_fragment {
        format!("{base}#{encoded}")
    } else if base.contains('?') {
        format!("{base}&{encoded}")
    } else {
        format!("{base}?{encoded}")
    }
}

/// Whether `candidate` is the registered redirect URI: exactly, or (with `any_loopback_port`) equal except for
/// the port of a loopback IP literal, as RFC 8252 §7.3 asks of servers.
pub fn redirect_matches(registered: &str, candidate: &str, any_loopback_port: bool) -> bool {
    if registered == candidate {
        return true;
    }
    if !any_loopback_port {
        return false;
    }
    let (Ok(a), Ok(b)) = (url::Url::parse(registered), url::Url::parse(candidate)) else {
        return false;
    };
    let loopback = |u: &url::Url| match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    loopback(&a)
        && loopback(&b)
        && a.scheme() == "http"
        && b.scheme() == "http"
        && a.host() == b.host()
        && a.path() == b.path()
        && a.query() == b.query()
}

pub use launcher_core::timefmt::{iso, parse_datetime};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_match_port_free_only_when_allowed() {
        let registered = "http://127.0.0.1:53682/cb/joinme";
        assert!(redirect_matches(registered, "http://127.0.0.1:40001/cb/joinme", true));
        assert!(!redirect_matches(registered, "http://127.0.0.1:40001/cb/joinme", false));
        assert!(!redirect_matches(registered, "http://127.0.0.1:40001/cb/other", true));
        assert!(!redirect_matches(registered, "http://localhost:40001/cb/joinme", true));
        assert!(!redirect_matches("https://example.com/cb", "https://example.com:444/cb", true));
    }

    #[test]
    fn bearer_needs_exactly_scheme_and_token() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&headers).as_deref(), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer  abc"));
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Token abc"));
        assert_eq!(bearer(&headers), None);
    }
}
