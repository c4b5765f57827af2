//! A faithful local emulator of join.me, MeetingBooster and joind.in, quirks and failures included
//! (`../shared/guides/providers.md`). Tests start it in-process on port 0; demo mode runs the app on it; the
//! `sandbox` subcommand serves it for scripts. Every path below a configured base is the real service's path,
//! so a client differs between sandbox and production only by its base URLs. It also serves calendar feeds
//! (iCalendar) under `/_sandbox/ics/`.

// Handlers return `Result<_, Response>` so that a check can answer early in the service's own format; the
// large error variant sits on a cold path of a test server.
#![allow(clippy::result_large_err)]

mod calendar;
mod clock;

mod control;
mod faults;
mod http;
mod joindin;
mod joinme;
mod meetingbooster;
mod pages;
mod recorder;
mod shared;
mod switches;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use calendar::data::{CalendarError, CalendarEvent};
pub use clock::Clock;
pub use faults::{Fault, FaultKind};
pub use joinme::data::StartedMeeting;
pub use launcher_core::sandbox_config::{
    JoindinConfig, JoinmeConfig, MeetingBoosterConfig, SandboxConfig, SandboxInfo,
};
pub use recorder::RecordedRequest;
pub use switches::{ExpiresInFormat, Switches};

pub(crate) use shared::Shared;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// 0 lets the OS choose.
    pub port: u16,
    /// Authorization pages approve at once as the default test user, with no page.
    pub auto_approve: bool,
    /// How many times faster than real time the virtual clock runs.
    pub time_scale: f64,
    /// Where the virtual clock starts; now by default.
    pub start_time: Option<DateTime<Utc>>,
    pub switches: Switches,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self { port: 0, auto_approve: false, time_scale: 1.0, start_time: None, switches: Switches::default() }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1 (never another interface) and starts serving on the current tokio runtime.
    pub async fn start(options: SandboxOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let now = options.start_time.unwrap_or_else(Utc::now);
        let clock = Clock::new(now, options.time_scale);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(5))
            .build()
            .map_err(std::io::Error::other)?;
        let shared = Arc::new(Shared {
            config: sandbox_config(&base, options.auto_approve),
            clock,
            auto_approve: options.auto_approve,
            switches: Mutex::new(options.switches),
            faults: Mutex::new(Vec::new()),
            recorder: recorder::Recorder::default(),
            joinme: Mutex::new(joinme::data::Data::seed(now)),
            meetingbooster: Mutex::new(meetingbooster::data::Data::seed(now)),
            joindin: Mutex::new(joindin::data::Data::seed(now)),
            calendar: Mutex::new(calendar::data::Feeds::seed(now)),
            http,
        });
        let app = router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "sandbox server stopped");
            }
        });
        tracing::info!(%base, "sandbox listening");
        Ok(Self { shared, addr, shutdown: Some(tx), task: Some(task) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The root URL, e.g. `http://127.0.0.1:8421`.
    pub fn base_url(&self) -> &str {
        &self.shared.config.sandbox.base
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// The operator controls, as a Rust API (the same as the HTTP ones under `/_sandbox/`).
    pub fn control(&self) -> control::Controls<'_> {
        control::Controls::new(&self.shared)
    }

    /// Stops accepting connections and waits for open ones to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub use control::Controls;

fn sandbox_config(base: &str, auto_approve: bool) -> SandboxConfig {
    use joindin::data as jd;
    use joinme::data as jm;
    use meetingbooster::data as mb;
    SandboxConfig {
        sandbox: SandboxInfo { base: base.into(), control: format!("{base}/_sandbox"), auto_approve },
        joinme: JoinmeConfig {
            auth_base: format!("{base}/joinme/auth"),
            api_base: format!("{base}/joinme/api/v1"),
            client_id: jm::CLIENT_ID.into(),
            client_secret: jm::CLIENT_SECRET.into(),
            redirect_uri: jm::CALLBACK.into(),
            implicit_client_id: jm::IMPLICIT_CLIENT_ID.into(),
            basic_client_id: jm::BASIC_CLIENT_ID.into(),
            basic_client_secret: jm::BASIC_CLIENT_SECRET.into(),
            username: jm::DEFAULT_USER.into(),
            password: jm::PASSWORD.into(),
        },
        meetingbooster: MeetingBoosterConfig {
            server: format!("{base}/meetingbooster"),
            username: mb::DEFAULT_USER.into(),
            password: mb::PASSWORD.into(),
        },
        joindin: JoindinConfig {
            web_base: format!("{base}/joindin/web"),
            api_base: format!("{base}/joindin/api"),
            api_key: jd::CONSUMER_KEY.into(),
            callback: jd::CALLBACK.into(),
            client_id: jd::CONSUMER_KEY.into(),
            client_secret: jd::CONSUMER_SECRET.into(),
            username: jd::DEFAULT_USER.into(),
            password: jd::PASSWORD.into(),
        },
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let services = joindin::mount(meetingbooster::mount(joinme::mount(Router::new())));
    services
        .nest("/_sandbox", control::routes().merge(calendar::routes()))
        .fallback(|| async {
            http::Flavor::Control.error(
                StatusCode::NOT_FOUND,
                "Not a sandbox path: services live under /joinme, /meetingbooster and /joindin; see /_sandbox/config.",
            )
        })
        .layer(middleware::from_fn_with_state(shared.clone(), shared::inject_faults))
        .layer(middleware::from_fn_with_state(shared.clone(), shared::record))
        .with_state(shared)
}
