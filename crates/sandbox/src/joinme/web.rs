//! The join.me website's meeting links: the one-time presenter link that launches a meeting, the viewer link,
//! and the webhooks a launch and an end fire.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Shared;
use crate::http::{iso, query_map};
use crate::pages::{escape, page};

/// GET `/API/Public/StartMeeting.aspx?token=`: one use, ten minutes.
pub async fn presenter_link(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let token = query_map(q.as_deref()).remove("token").unwrap_or_default();
    let now = shared.clock.now();
    let started = {
        let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        super::api::take_presenter_link(&mut data, &token, now).map(|i| {
            data.started[i].launched = true;
            (i, data.started[i].viewer_link.clone())
        })
    };
    let Some((index, viewer)) = started else {
        let body = "<p>This presenter link has already been used or has expired. Start the meeting again from \
                    your app.</p>";
        return (StatusCode::GONE, page("join.me: link expired", body)).into_response();
    };
    shared.recorder.count("joinme.meetings.launched");
    fire_webhook(&shared, index, "meeting.start");
    let body = format!("<p>Your meeting is running. Viewers join at <a href=\"{0}\">{0}</a>.</p>", escape(&viewer));
    page("join.me: meeting started", &body)
}

/// GET `/{code}`: what a viewer sees.
pub async fn viewer(State(shared): State<Arc<Shared>>, Path(code): Path<String>) -> Response {
    let link = format!("{}/joinme/web/{code}", shared.config.sandbox.base);
    let running = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        data.started.iter().any(|s| s.viewer_link == link && !s.ended)
    };
    if running {
        page("join.me", &format!("<p>You are viewing meeting <strong>{}</strong>.</p>", escape(&code)))
    } else {
        (StatusCode::NOT_FOUND, page("join.me", "<p>This meeting has not started or has ended.</p>")).into_response()
    }
}

/// Posts a webhook the start call registered. Only loopback callbacks are delivered: the sandbox never sends
/// traffic off this machine.
pub fn fire_webhook(shared: &Arc<Shared>, started: usize, event: &str) {
    let (hook, viewer, meeting_id) = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        let Some(s) = data.started.get(started) else { return };
        (s.webhooks.get(event).cloned(), s.viewer_link.clone(), s.meeting_id)
    };
    let Some((url, custom)) = hook else { return };
    let loopback = url::Url::parse(&url).ok().is_some_and(|u| match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    });
    if !loopback {
        return;
    }
    let mut body = json!({
        "event": event,
        "timestamp": iso(shared.clock.now()),
        "viewerLink": viewer,
        "meetingId": meeting_id,
    });
    match custom {
        Value::Object(extra) => {
            for (k, v) in extra {
                body[k] = v;
            }
        }
        Value::Null => {}
        other => body["customCallbackData"] = other,
    }
    shared.recorder.count(&format!("joinme.webhook.{event}"));
    let client = shared.http.clone();
    tokio::spawn(async move {
        let _ = client.post(url).json(&body).send().await;
    });
}
