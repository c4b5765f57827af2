//! Fault injection: latency, dropped connections and 5xx answers on chosen routes, for a number of calls or
//! until cleared. Faults answer in the service's own format, so clients meet what the real ones send.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::http::{Flavor, is_control_path};

/// One rule: requests whose path starts with `path` (and whose method is `method`, when given) get `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// A path below the sandbox root, e.g. `/joinme/api/v1/meetings`; a prefix match.
    pub path: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many matching requests it affects; none means until cleared.
    #[serde(default)]
    pub count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long (real time) before handling the request.
    Latency { ms: u64 },
    /// Answer this status without handling the request, optionally with `Retry-After`.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Answer exactly this, without handling the request: a server answering what no sane server would.
    Answer {
        status: u16,
        #[serde(default)]
        headers: Vec<(String, String)>,
        #[serde(default)]
        body: String,
    },
    /// Answer 200 with this body, a few bytes at a time: a server (or proxy) that answers slowly byte by byte.
    Trickle { bytes_per_second: u32, body: String },
    /// Close the connection without handling the request.
    Drop,
    /// Handle the request, then close the connection instead of answering: the change is made, the
    /// answer is lost.
    DropResponse,
}

impl Fault {
    pub fn new(path: impl Into<String>, kind: FaultKind) -> Self {
        Self { path: path.into(), method: None, kind, count: None }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    pub fn times(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        path.starts_with(&self.path) && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// Takes the first matching fault, counting it down.
pub fn take_matching(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<FaultKind> {
    let index = faults.iter().position(|f| f.matches(method, path))?;
    let kind = faults[index].kind.clone();
    if let Some(count) = faults[index].count.as_mut() {
        *count = count.saturating_sub(1);
        if *count == 0 {
            faults.remove(index);
        }
    }
    Some(kind)
}

/// A response whose body fails at once: the server closes the connection without a complete answer.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "dropped"))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

pub async fn inject(faults: &Mutex<Vec<Fault>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if is_control_path(&path) {
        return next.run(request).await;
    }
    let fault = {
        let mut faults = faults.lock().unwrap_or_else(|e| e.into_inner());
        take_matching(&mut faults, request.method().as_str(), &path)
    };
    match fault {
        None => next.run(request).await,
        Some(FaultKind::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Some(FaultKind::Status { status, retry_after }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = status.canonical_reason().unwrap_or("Injected failure");
            let mut response = Flavor::of_path(&path).error(status, message);
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        Some(FaultKind::Answer { status, headers, body }) => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) =
                    (header::HeaderName::try_from(name.as_str()), HeaderValue::try_from(value.as_str()))
                {
                    response.headers_mut().append(name, value);
                }
            }
            response
        }
        Some(FaultKind::Trickle { bytes_per_second, body }) => {
            let pause = std::time::Duration::from_secs(1) / bytes_per_second.max(1);
            let bytes: Vec<u8> = body.into_bytes();
            let stream = futures_util::stream::unfold(0usize, move |at| {
                let next = bytes.get(at).copied();
                async move {
                    let byte = next?;
                    tokio::time::sleep(pause).await;
                    Some((Ok::<Bytes, std::io::Error>(Bytes::from(vec![byte])), at + 1))
                }
            });
            let mut response = Response::new(Body::from_stream(stream));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Some(FaultKind::Drop) => dropped_connection(),
        Some(FaultKind::DropResponse) => {
            // Run the handler to completion (and drain its body) so the change is made.
            let response = next.run(request).await;
            let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
            dropped_connection()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_run_out() {
        let mut faults = vec![Fault::new("/joinme/api", FaultKind::Drop).method("post").times(2)];
        assert_eq!(take_matching(&mut faults, "GET", "/joinme/api/v1/user"), None);
        assert_eq!(take_matching(&mut faults, "POST", "/joinme/api/v1/meetings"), Some(FaultKind::Drop));
        assert_eq!(take_matching(&mut faults, "POST", "/joinme/api/v1/meetings"), Some(FaultKind::Drop));
        assert_eq!(take_matching(&mut faults, "POST", "/joinme/api/v1/meetings"), None);
        assert!(faults.is_empty());
    }

    #[test]
    fn faults_deserialize_from_operator_json() {
        let fault: Fault =
            serde_json::from_str(r#"{"path":"/meetingbooster/oauth","kind":"status","status":503,"retry_after":2}"#)
                .unwrap();
        assert_eq!(fault.kind, FaultKind::Status { status: 503, retry_after: Some(2) });
        assert_eq!(fault.count, None);
    }
}
