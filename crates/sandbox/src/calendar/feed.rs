//! `GET /_sandbox/ics/{name}.ics`: a feed as calendar servers serve it, with conditional requests (RFC 9110
//! §13): an `If-None-Match` naming the current ETag (or `*`), or, without one, an `If-Modified-Since` at or
//! after Last-Modified, gets a bodiless 304.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::data::feed_name;
use crate::Shared;
use crate::http::Flavor;

pub async fn serve(
    State(s): State<Arc<Shared>>,
    method: Method,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let found = file.strip_suffix(".ics").and_then(feed_name).and_then(|name| {
        let feeds = s.calendar.lock().unwrap_or_else(|e| e.into_inner());
        feeds.get(name).map(|f| (f.body(), f.etag().to_string(), f.modified()))
    });
    let Some((body, etag, modified)) = found else {
        return Flavor::Calendar.error(StatusCode::NOT_FOUND, "Not Found");
    };
    let fresh = not_modified(&headers, &etag, modified);
    let mut response = if fresh {
        s.recorder.count("calendar.feed.not_modified");
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        s.recorder.count("calendar.feed.full");
        if method != Method::HEAD {
            s.recorder.add("calendar.feed.bytes", body.len() as u64);
        }
        let mut response = body.into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
        response
    };
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&http_date(modified)) {
        out.insert(header::LAST_MODIFIED, value);
    }
    // Clients must ask again each time, and may then get a 304.
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=0, must-revalidate"));
    response
}

/// Whether the client holds the current version. If-None-Match wins over If-Modified-Since when both are sent.
fn not_modified(headers: &HeaderMap, etag: &str, modified: DateTime<Utc>) -> bool {
    let mut tags = headers.get_all(header::IF_NONE_MATCH).iter().peekable();
    if tags.peek().is_some() {
        return tags.any(|value| value.to_str().is_ok_and(|list| etag_listed(list, etag)));
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        .is_some_and(|since| modified <= since)
}

/// Whether an If-None-Match list names `etag`, by weak comparison (`W/` ignored on both sides), or is `*`.
fn etag_listed(list: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().strip_prefix("W/").unwrap_or(tag.trim()).to_string();
    list.split(',').map(str::trim).any(|tag| tag == "*" || (!tag.is_empty() && opaque(tag) == opaque(etag)))
}

/// An IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// An HTTP-date in any of the three forms RFC 9110 §5.6.7 asks recipients to accept; `None` when invalid
/// (and an invalid If-Modified-Since is ignored).
fn parse_http_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    ["%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_star_and_weak_tags_match() {
        let etag = "\"abc\"";
        assert!(etag_listed("\"abc\"", etag));
        assert!(etag_listed("\"x\", W/\"abc\"", etag));
        assert!(etag_listed("*", etag));
        assert!(!etag_listed("\"abcd\", \"\"", etag));
        assert!(!etag_listed("", etag));
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let t = DateTime::parse_from_rfc3339("1994-11-06T08:49:37Z").unwrap().to_utc();
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let modified = DateTime::parse_from_rfc3339("2026-03-04T09:00:00Z").unwrap().to_utc();
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MODIFIED_SINCE, HeaderValue::from_static("Wed, 04 Mar 2026 09:00:00 GMT"));
        assert!(not_modified(&headers, "\"a\"", modified));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"old\""));
        assert!(!not_modified(&headers, "\"a\"", modified));
        headers.remove(header::IF_NONE_MATCH);
        headers.insert(header::IF_MODIFIED_SINCE, HeaderValue::from_static("Wed, 04 Mar 2026 08:59:59 GMT"));
        assert!(!not_modified(&headers, "\"a\"", modified));
    }
}
