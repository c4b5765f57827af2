//! join.me: the auth host, the API host (behind its Mashery gateway) and the website's meeting links.

pub mod api;
pub mod data;
pub mod oauth;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};

use super::Shared;
use super::http::{Flavor, limit_body};

/// Adds join.me's three hosts below `/joinme` (each nested once, so its own fallback answers its 404s).
pub fn mount(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    let auth = Router::new()
        .route("/oauth2", get(oauth::authorize).post(oauth::decide))
        .route("/token", post(oauth::token))
        .route("/tokenInfo", get(oauth::token_info))
        .route("/expireaccess", post(oauth::expire_access))
        .route("/renewauthorization", get(oauth::renew_authorization))
        .fallback(|| async { Flavor::JoinmeAuth.error(StatusCode::NOT_FOUND, "Not found") })
        .method_not_allowed_fallback(|| async {
            Flavor::JoinmeAuth.error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        })
        .layer(middleware::from_fn_with_state(Flavor::JoinmeAuth, limit_body));

    let api = Router::new()
        .route("/user", get(api::user))
        .route("/user/conferencesettings", get(api::conference_settings))
        .route("/meetings", get(api::list_meetings).post(api::create_meeting))
        .route("/meetings/", post(api::create_meeting))
        .route("/meetings/start", post(api::start_adhoc))
        .route("/meetings/{id}", get(api::get_meeting).patch(api::patch_meeting).delete(api::delete_meeting))
        .route("/meetings/{id}/start", post(api::start_scheduled))
        .route("/presenters", get(api::list_presenters).post(api::add_presenter))
        .route("/presenters/{id}", get(api::get_presenter).delete(api::delete_presenter))
        .fallback(|| async { Flavor::JoinmeApi.error(StatusCode::NOT_FOUND, "Resource not found") })
        .method_not_allowed_fallback(|| async {
            Flavor::JoinmeApi
                .error(StatusCode::METHOD_NOT_ALLOWED, "The requested resource does not support this method.")
        })
        .layer(middleware::from_fn_with_state(Flavor::JoinmeApi, limit_body))
        .layer(middleware::from_fn(mashery_header));

    let web = Router::new()
        .route("/API/Public/StartMeeting.aspx", get(web::presenter_link))
        .route("/{code}", get(web::viewer))
        .fallback(|| async { Flavor::JoinmeWeb.error(StatusCode::NOT_FOUND, "This page does not exist.") });

    router.nest("/joinme/auth", auth).nest("/joinme/api/v1", api).nest("/joinme/web", web)
}

/// Every api.join.me answer passes the Mashery gateway.
async fn mashery_header(request: axum::extract::Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(axum::http::header::SERVER, HeaderValue::from_static("Mashery Proxy"));
    response
}
