//! The state every route shares, and the two layers that wrap every route with it (fault injection, the
//! request log). Kept apart from `lib.rs` so the services' modules import it without importing the server.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use launcher_core::sandbox_config::SandboxConfig;

use crate::calendar::data as calendar_data;
use crate::clock::Clock;
use crate::faults::{self, Fault};
use crate::joindin::data as joindin_data;
use crate::joinme::data as joinme_data;
use crate::meetingbooster::data as meetingbooster_data;
use crate::recorder;
use crate::switches::Switches;

/// State shared by every route.
pub struct Shared {
    pub config: SandboxConfig,
    pub clock: Clock,
    pub auto_approve: bool,
    pub switches: Mutex<Switches>,
    pub faults: Mutex<Vec<Fault>>,
    pub recorder: recorder::Recorder,
    pub joinme: Mutex<joinme_data::Data>,
    pub meetingbooster: Mutex<meetingbooster_data::Data>,
    pub joindin: Mutex<joindin_data::Data>,
    /// The calendar feeds, re-anchored to the current day on reset.
    pub calendar: Mutex<calendar_data::Feeds>,
    /// For join.me webhooks (delivered to loopback addresses only).
    pub http: reqwest::Client,
}

impl Shared {
    pub fn switches(&self) -> Switches {
        self.switches.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts every service back to its seed data, with default switches and no faults.
    pub fn reset(&self) {
        let now = self.clock.now();
        *self.joinme.lock().unwrap_or_else(|e| e.into_inner()) = joinme_data::Data::seed(now);
        *self.meetingbooster.lock().unwrap_or_else(|e| e.into_inner()) = meetingbooster_data::Data::seed(now);
        *self.joindin.lock().unwrap_or_else(|e| e.into_inner()) = joindin_data::Data::seed(now);
        *self.calendar.lock().unwrap_or_else(|e| e.into_inner()) = calendar_data::Feeds::seed(now);
        *self.switches.lock().unwrap_or_else(|e| e.into_inner()) = Switches::default();
        self.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.recorder.clear();
    }
}

/// Answers a request with the fault an operator set for its route, if any.
pub async fn inject_faults(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    faults::inject(&shared.faults, request, next).await
}

/// Logs the request (secrets redacted) after it is answered.
pub async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    recorder::record(&shared.recorder, &shared.clock, request, next).await
}
