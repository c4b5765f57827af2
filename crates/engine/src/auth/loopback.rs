//! The loopback listener that receives the browser's answer (RFC 8252 §7.3): bound to 127.0.0.1 only, on the
//! exact callback path (404 for anything else, so favicons and pre-connects cannot end the flow), holding the
//! browser's request open until the flow decides what page to show, and closed when the flow ends.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::pages::Page;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::error::AuthError;
use crate::providers::Provider;

/// How long the browser's request is held while the flow finishes (e.g. exchanges the code).
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);
const MAX_FORM_BYTES: usize = 16 * 1024;

/// What the browser brought back.
pub struct Callback {
    /// Query parameters, or the URL fragment relayed by the page (implicit grant).
    pub params: HashMap<String, String>,
    pub from_fragment: bool,
    reply: oneshot::Sender<Page>,
}

/// The parameters hold a code or a token: their names print, their values never do.
impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.params.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Callback").field("params", &names).field("from_fragment", &self.from_fragment).finish()
    }
}

impl Callback {
    /// Answers the browser; the page should tell the truth about the outcome.
    pub fn respond(self, page: Page) {
        let _ = self.reply.send(page);
    }
}

pub struct Listener {
    /// The exact redirect URI to send (and to repeat at the token endpoint).
    pub redirect_uri: String,
    rx: mpsc::Receiver<Callback>,
    paste: PasteHandle,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

struct Shared {
    tx: mpsc::Sender<Callback>,
    path: String,
    lock: Mutex<()>,
}

/// Binds `127.0.0.1:port` (0: the system chooses) and serves `path`.
pub async fn bind(provider: Provider, port: u16, path: &str) -> Result<Listener, AuthError> {
    let listener = match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(AuthError::PortBusy { provider, port }),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(AuthError::Listener {
                provider,
                detail: format!(
                    "port {port} is reserved by the system (on Windows, Hyper-V and WSL reserve port ranges); \
                     register another port"
                ),
            });
        }
        Err(e) => {
            return Err(AuthError::Listener { provider, detail: e.to_string() });
        }
    };
    let port = listener.local_addr().map_err(|e| AuthError::Listener { provider, detail: e.to_string() })?.port();
    let (tx, rx) = mpsc::channel(8);
    let paste = PasteHandle { tx: tx.clone(), path: path.to_string() };
    let shared = Arc::new(Shared { tx, path: path.to_string(), lock: Mutex::new(()) });
    let app = Router::new()
        .route(path, get(on_get).post(on_post))
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not found") })
        .with_state(shared);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(Listener {
        redirect_uri: format!("http://127.0.0.1:{port}{path}"),
        rx,
        paste,
        shutdown: Some(stop),
        task: Some(task),
    })
}

/// Hands the flow an answer that the user copied from a browser which could not reach this machine (SSH,
/// another computer): the address the browser ended on. It goes through the same checks as a real callback.
#[derive(Clone)]
pub struct PasteHandle {
    tx: mpsc::Sender<Callback>,
    path: String,
}

impl PasteHandle {
    pub async fn submit(&self, address: &str) -> Result<(), String> {
        let url = url::Url::parse(address.trim()).map_err(|_| "that is not an address".to_string())?;
        if url.path() != self.path {
            return Err(format!("that is not the sign-in's answer (its path should be {})", self.path));
        }
        let (params, from_fragment) = match url.fragment().filter(|f| !f.is_empty()) {
            Some(fragment) => (url::form_urlencoded::parse(fragment.as_bytes()).into_owned().collect(), true),
            None => (url.query_pairs().into_owned().collect(), false),
        };
        // Nobody waits for a page: the reply goes nowhere.
        let (reply, _) = oneshot::channel();
        self.tx.send(Callback { params, from_fragment, reply }).await.map_err(|_| "the sign-in is over".to_string())
    }
}

impl Listener {
    pub fn paste_handle(&self) -> PasteHandle {
        self.paste.clone()
    }

    /// The next callback, or `None` if the server stopped.
    pub async fn next(&mut self) -> Option<Callback> {
        self.rx.recv().await
    }

    /// Stops listening, after the last page has been sent; the port is free when this returns.
    pub async fn close(mut self) {
        self.stop().await;
    }

    async fn stop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            // Graceful shutdown waits for a browser's keep-alive connection; don't wait for long.
            if tokio::time::timeout(Duration::from_secs(3), &mut task).await.is_err() {
                task.abort();
                let _ = task.await;
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn forward(shared: &Shared, params: HashMap<String, String>, from_fragment: bool) -> Response {
    // One callback at a time, in order: a second tab cannot race the first.
    let _guard = shared.lock.lock().await;
    let (reply, page) = oneshot::channel();
    if shared.tx.send(Callback { params, from_fragment, reply }).await.is_err() {
        return render(super::pages::no_longer_waiting());
    }
    match tokio::time::timeout(REPLY_TIMEOUT, page).await {
        Ok(Ok(page)) => render(page),
        _ => render(super::pages::no_longer_waiting()),
    }
}

/// The parameters of a callback's query string (`?code=…&state=…`), however malformed.
pub(crate) fn query_params(query: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(query).into_owned().collect()
}

/// The parameters the relay page posts: the URL fragment (`#access_token=…`) as a form field.
pub(crate) fn relayed_params(body: &[u8]) -> HashMap<String, String> {
    let form = query_params(body);
    query_params(form.get("fragment").map(String::as_bytes).unwrap_or_default())
}

async fn on_get(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = query_params(query.unwrap_or_default().as_bytes());
    if params.is_empty() {
        // The implicit grant's answer is in the fragment, which browsers never send: this page relays it.
        return render(super::pages::fragment_relay(&shared.path));
    }
    forward(&shared, params, false).await
}

async fn on_post(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    if body.len() > MAX_FORM_BYTES {
        return render(Page { status: StatusCode::PAYLOAD_TOO_LARGE, html: String::new() });
    }
    forward(&shared, relayed_params(&body), true).await
}

fn render(page: Page) -> Response {
    let relay = page.html.contains("<script>");
    let mut response = (page.status, Html(page.html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let csp = if relay {
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; form-action 'self'"
    } else {
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'"
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    response
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn a_callback_prints_its_parameter_names_not_the_code() {
        let (reply, _) = oneshot::channel();
        let params = HashMap::from([("code".to_string(), "c0de-77a1".to_string()), ("state".into(), "s7".into())]);
        let shown = format!("{:?}", Callback { params, from_fragment: false, reply });
        assert!(shown.contains("\"code\"") && shown.contains("\"state\""), "{shown}");
        assert!(!shown.contains("c0de-77a1") && !shown.contains("s7\""), "{shown}");
    }
}
