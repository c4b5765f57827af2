//! What the sandbox received: a bounded request log with secrets redacted, and named counters (for example
//! how many refresh grants a client sent) that tests read back.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::http::{CALENDAR_PREFIX, Flavor, is_control_path};
use crate::clock::Clock;

const LOG_CAPACITY: usize = 10_000;

/// Query parameters whose values are never stored.
const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "refresh_token",
    "code",
    "code_verifier",
    "client_secret",
    "password",
    "token",
    "state",
    "synctoken",
];

#[derive(Debug, Clone, Serialize)]
pub struct RecordedRequest {
    pub at: DateTime<Utc>,
    pub service: &'static str,
    pub method: String,
    pub path: String,
    /// The query string with secret values replaced by `REDACTED`.
    pub query: String,
    pub status: u16,
}

#[derive(Debug, Default)]
pub struct Recorder {
    inner: Mutex<RecorderInner>,
}

#[derive(Debug, Default)]
struct RecorderInner {
    log: VecDeque<RecordedRequest>,
    counters: BTreeMap<String, u64>,
}

impl Recorder {
    pub fn count(&self, name: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner.counters.entry(name.to_string()).or_default() += 1;
    }

    /// Adds `amount` to a counter (for sizes, such as the bytes a feed served).
    pub fn add(&self, name: &str, amount: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner.counters.entry(name.to_string()).or_default() += amount;
    }

    pub fn counter(&self, name: &str) -> u64 {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).counters.get(name).copied().unwrap_or(0)
    }

    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).counters.clone()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).log.iter().cloned().collect()
    }

    pub fn clear(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = RecorderInner::default();
    }

    fn push(&self, request: RecordedRequest) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.log.len() == LOG_CAPACITY {
            inner.log.pop_front();
        }
        inner.log.push_back(request);
    }
}

pub fn redact_query(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
            let value = if secret { "REDACTED".into() } else { v.into_owned() };
            format!("{k}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn record(recorder: &Recorder, clock: &Clock, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = redact_query(request.uri().query().unwrap_or(""));
    let at = clock.now();
    let response = next.run(request).await;
    if !is_control_path(&path) {
        // A feed's name stands for a calendar's private address: the log does not show it (the request list,
        // which the tests read, does).
        let shown = if path.starts_with(CALENDAR_PREFIX) { "/_sandbox/ics/…" } else { path.as_str() };
        tracing::debug!(%method, path = shown, status = response.status().as_u16(), "sandbox request");
        let service = Flavor::of_path(&path).service();
        recorder.push(RecordedRequest { at, service, method, path, query, status: response.status().as_u16() });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_queries_are_redacted() {
        let q = redact_query("access_token=abc&scope=user_info&code=xyz&state=s1");
        assert_eq!(q, "access_token=REDACTED&scope=user_info&code=REDACTED&state=REDACTED");
    }
}
