//! A self-hosted MeetingBooster server: `/oauth` and `/api/v1/…` below the server root.

pub mod api;
pub mod data;
pub mod oauth;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};

use super::Shared;
use super::http::{Flavor, limit_body};

/// Adds the server below `/meetingbooster`.
pub fn mount(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    let server = Router::new()
        .route("/oauth", post(oauth::oauth))
        .route("/api/v1/meetings", post(api::create_meeting))
        .route("/api/v1/meetings/{id}", get(api::get_meeting).put(api::put_meeting).delete(api::delete_meeting))
        .route("/api/v1/mymeetings/sync", get(api::sync))
        .route("/api/v1/mymeetings/synccommit", post(api::sync_commit))
        .route("/api/v1/mytasks/sync", get(api::task_sync))
        .route("/api/v1/mytasks/synccommit", post(api::task_sync))
        .route("/api/v1/users", get(api::list_users))
        .route("/api/v1/users/{id}", get(api::get_user))
        .fallback(|| async {
            Flavor::MeetingBooster
                .error(StatusCode::NOT_FOUND, "No HTTP resource was found that matches the request URI.")
        })
        .method_not_allowed_fallback(|| async {
            Flavor::MeetingBooster
                .error(StatusCode::METHOD_NOT_ALLOWED, "The requested resource does not support this http method.")
        })
        .layer(middleware::from_fn_with_state(Flavor::MeetingBooster, limit_body));
    router.nest("/meetingbooster", server)
}
