//! joind.in: the website's `oauth_allow` page and the v2.1 API.

pub mod api;
pub mod coerce;
pub mod data;
pub mod views;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{any, get};

use super::Shared;
use super::http::{Flavor, limit_body};

pub fn routes() -> Router<Arc<Shared>> {
    let web = Router::new().route("/user/oauth_allow", get(web::oauth_allow).post(web::oauth_decide));
    let api = Router::new()
        .route("/", any(api::dispatch))
        .route("/{*path}", any(api::dispatch))
        .layer(middleware::from_fn_with_state(Flavor::JoindinApi, limit_body));
    Router::new().nest("/web", web).nest("/api", api)
}
