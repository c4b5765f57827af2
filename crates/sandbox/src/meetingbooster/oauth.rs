//! `POST {server}/oauth`: the password, refresh_token and signout grants, with JSOAuthResponse and
//! JSOAuthError as the MeetingBooster docs show them, login throttling included.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::{Value, json};

use super::data::{Access, Data, Refresh, guid};
use crate::http::{media_type, random_token, text_field};
use crate::{ExpiresInFormat, Shared};

pub const SESSION_COOKIE: &str = "MBSession";

fn oauth_error(status: StatusCode, error: &str, description: &str, retry: i64, state: Option<&str>) -> Response {
    (
        status,
        axum::Json(json!({
            "error": error,
            "error_description": description,
            "retry_in_seconds": retry,
            "error_state": state,
        })),
    )
        .into_response()
}

fn failed_login(retry: i64) -> Response {
    oauth_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized_client",
        "Authorization has been denied for this request",
        retry,
        Some("FAILEDLOGIN"),
    )
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description, 0, None)
}

fn issue(shared: &Shared, data: &mut Data, user_id: String) -> Response {
    let switches = shared.switches();
    let timeout = switches.meetingbooster_oauth_timeout_secs;
    let access = random_token(48);
    let refresh = guid().to_ascii_lowercase();
    data.access.insert(
        access.clone(),
        Access { user_id: user_id.clone(), expires_at: shared.clock.now() + Duration::seconds(timeout) },
    );
    data.refresh.insert(refresh.clone(), Refresh { user_id, access: access.clone() });
    let expires_in = match switches.meetingbooster_expires_in {
        ExpiresInFormat::String => Value::String(timeout.to_string()),
        ExpiresInFormat::Number => json!(timeout),
        ExpiresInFormat::DocsLiteral => json!("60"),
    };
    let mut response =
        axum::Json(json!({ "expires_in": expires_in, "refresh_token": refresh, "access_token": access }))
            .into_response();
    let cookie = format!("{SESSION_COOKIE}={access}; Path=/; HttpOnly");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn oauth(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if media_type(&headers).as_deref() != Some("application/x-www-form-urlencoded") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be application/x-www-form-urlencoded.",
            0,
            None,
        );
    }
    let form: serde_json::Map<String, Value> =
        url::form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect();
    let grant_type = text_field(&form, "grant_type").unwrap_or_default();
    let switches = shared.switches();
    let now = shared.clock.now();
    let mut data = shared.meetingbooster.lock().unwrap_or_else(|e| e.into_inner());

    if grant_type == "signout" {
        // The docs' example sends no app_id here. Idempotent: an unknown token is already signed out.
        shared.recorder.count("meetingbooster.oauth.signout");
        let token = text_field(&form, "refresh_token").unwrap_or_default();
        if let Some(grant) = data.refresh.remove(&token) {
            data.access.remove(&grant.access);
        }
        return StatusCode::OK.into_response();
    }
    let app_id_ok = text_field(&form, "app_id").as_deref() == Some("Api")
        || (switches.meetingbooster_app_id_optional && !form.contains_key("app_id"));
    if !app_id_ok {
        return oauth_error(StatusCode::UNAUTHORIZED, "unauthorized_client", "Unknown app_id", 0, None);
    }
    match grant_type.as_str() {
        "password" => {
            shared.recorder.count("meetingbooster.oauth.password");
            let username = text_field(&form, "username").unwrap_or_default().trim().to_ascii_lowercase();
            let password = text_field(&form, "password").unwrap_or_default();
            let login = data.logins.entry(username.clone()).or_default();
            if let Some(until) = login.locked_until.filter(|t| *t > now) {
                // Inside the retry window the password is not even checked.
                let remaining = ((until - now).num_milliseconds() + 999) / 1000;
                return failed_login(remaining.max(1));
            }
            let user = data
                .user_by_email(&username)
                .filter(|u| u.enabled && !u.guest && !password.is_empty() && u.password == password)
                .map(|u| u.id.clone());
            match user {
                Some(user_id) => {
                    data.logins.remove(&username);
                    issue(&shared, &mut data, user_id)
                }
                None => {
                    shared.recorder.count("meetingbooster.oauth.failed_login");
                    let login = data.logins.entry(username).or_default();
                    login.failures += 1;
                    let wait = if login.failures >= switches.meetingbooster_lockout_after {
                        switches.meetingbooster_lockout_secs
                    } else {
                        switches.meetingbooster_retry_secs
                    };
                    login.locked_until = Some(now + Duration::seconds(wait));
                    failed_login(wait)
                }
            }
        }
        "refresh_token" => {
            shared.recorder.count("meetingbooster.oauth.refresh_token");
            let token = text_field(&form, "refresh_token").unwrap_or_default();
            let Some(grant) = data.refresh.remove(&token) else {
                return invalid_grant("The refresh token is invalid, expired or signed out.");
            };
            let enabled = data.user_by_id(&grant.user_id).is_some_and(|u| u.enabled);
            data.access.remove(&grant.access);
            if !enabled {
                return invalid_grant("The user is disabled.");
            }
            issue(&shared, &mut data, grant.user_id)
        }
        "" => invalid_grant("grant_type is required."),
        _ => invalid_grant("Unsupported grant_type."),
    }
}
