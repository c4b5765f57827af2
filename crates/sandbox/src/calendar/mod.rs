//! Calendar feeds (iCalendar over HTTP, as Google, Outlook and Fastmail publish a calendar's private address):
//! `GET /_sandbox/ics/{name}.ics`. The feeds sit below `/_sandbox/` but are a service, not controls: faults
//! and the request log apply to them. Operators change them through `Controls` and `/_sandbox/calendar/…`.

pub mod data;
mod feed;
mod ics;
mod seed;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use super::Shared;

pub use feed::http_date;

/// The feed route, relative to `/_sandbox` (nested with the controls).
pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/ics/{file}", get(feed::serve))
}
