//! joind.in: the website's `oauth_allow` page and the v2.1 API.

pub mod api;
pub mod coerce;
pub mod data;
pub mod views;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{any, get};

use super::Shared;
use super::http::{Flavor, limit_body};

/// Adds the joind.in website and API below `/joindin`.
pub fn mount(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    let web = Router::new()
        .route("/user/oauth_allow", get(web::oauth_allow).post(web::oauth_decide))
        .fallback(|| async { Flavor::JoindinWeb.error(StatusCode::NOT_FOUND, "This page does not exist.") });
    let api = Router::new()
        .route("/", any(api::dispatch))
        .route("/{*path}", any(api::dispatch))
        .layer(middleware::from_fn_with_state(Flavor::JoindinApi, limit_body));
    router.nest("/joindin/web", web).nest("/joindin/api", api)
}
