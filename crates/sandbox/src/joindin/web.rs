//! The joind.in website's `/user/oauth_allow` page: sign in, approve, and back to the callback with the token
//! and `state` in the query string.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::Shared;
use crate::http::{fields, query_map, redirect, redirect_matches, text_field, with_params};
use crate::pages::{self, Consent};

struct AllowRequest {
    api_key: String,
    app_name: String,
    callback: String,
    state: Option<String>,
}

fn validate(p: &Map<String, Value>, shared: &Shared) -> Result<AllowRequest, String> {
    let api_key = text_field(p, "api_key").ok_or("The api_key parameter is required.")?;
    let callback = text_field(p, "callback").ok_or("The callback parameter is required.")?;
    let data = shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
    let consumer = data.consumer(&api_key).ok_or("This API key is not known.")?;
    if !redirect_matches(&consumer.callback, &callback, shared.switches().joindin_loopback_any_port) {
        return Err("The callback does not match the one registered for this API key.".into());
    }
    Ok(AllowRequest { api_key, app_name: consumer.name.clone(), callback, state: text_field(p, "state") })
}

impl AllowRequest {
    fn back(&self, pairs: Vec<(&str, String)>) -> Response {
        let mut pairs = pairs;
        if let Some(state) = &self.state {
            pairs.push(("state", state.clone()));
        }
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        redirect(&with_params(&self.callback, &borrowed, false))
    }

    fn page(&self, error: Option<&str>) -> Response {
        let mut hidden = vec![("api_key", self.api_key.clone()), ("callback", self.callback.clone())];
        if let Some(state) = &self.state {
            hidden.push(("state", state.clone()));
        }
        pages::consent(&Consent {
            title: "Joind.in: allow access",
            action: "oauth_allow",
            app_name: &self.app_name,
            asks: vec!["act on joind.in as you: attend events, comment and star talks".into()],
            hidden,
            login_label: "Username",
            login_hint: super::data::DEFAULT_USER,
            error,
        })
    }
}

fn error_page(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, pages::page("Joind.in: cannot authorize", &format!("<p>{}</p>", pages::escape(reason))))
        .into_response()
}

fn grant(shared: &Shared, request: &AllowRequest, user_id: u64) -> Response {
    shared.recorder.count("joindin.oauth_allow.granted");
    let token = super::api::issue_token(shared, user_id);
    request.back(vec![("access_token", token)])
}

pub async fn oauth_allow(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p: Map<String, Value> = query_map(q.as_deref()).into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    match validate(&p, &shared) {
        Err(reason) => error_page(&reason),
        Ok(request) if shared.auto_approve => {
            let id = {
                let data = shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
                data.users.iter().find(|u| u.username == super::data::DEFAULT_USER).map(|u| u.id).unwrap_or_default()
            };
            grant(&shared, &request, id)
        }
        Ok(request) => request.page(None),
    }
}

pub async fn oauth_decide(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(form) = fields(&headers, &body) else {
        return error_page("The form could not be read.");
    };
    let request = match validate(&form, &shared) {
        Ok(r) => r,
        Err(reason) => return error_page(&reason),
    };
    if text_field(&form, "decision").as_deref() != Some("approve") {
        shared.recorder.count("joindin.oauth_allow.denied");
        return request.back(vec![("error", "access_denied".into())]);
    }
    let login = text_field(&form, "login").unwrap_or_default();
    let password = text_field(&form, "password").unwrap_or_default();
    let user = {
        let data = shared.joindin.lock().unwrap_or_else(|e| e.into_inner());
        data.users.iter().find(|u| u.username == login.trim() && u.password == password).map(|u| (u.id, u.verified))
    };
    match user {
        Some((id, true)) => grant(&shared, &request, id),
        Some((_, false)) => request.page(Some("Please verify your e-mail address before signing in.")),
        None => request.page(Some("The username or password is wrong.")),
    }
}
