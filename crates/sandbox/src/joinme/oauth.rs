//! secure.join.me `/api/public/v1/auth/…`: authorize (code and implicit), token, tokenInfo, expireaccess and
//! renewauthorization, as the vendor documents them and as providers.md settles what it leaves open.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Duration;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::data::{AccessToken, AuthCode, Data, RefreshGrant, SCOPES};
use crate::Shared;
use crate::http::{fields, oauth_error, query_map, random_token, redirect, redirect_matches, text_field, with_params};
use crate::pages::{self, Consent};

/// A validated authorization request.
#[derive(Debug, Clone)]
struct AuthorizeRequest {
    implicit: bool,
    client_id: String,
    client_name: String,
    scopes: Vec<String>,
    redirect_uri: String,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

impl AuthorizeRequest {
    /// Checks the parameters before anyone signs in, as join.me does; `Err` is the error page's reason.
    fn validate(p: &Map<String, Value>, data: &Data, shared: &Shared) -> Result<Self, String> {
        let switches = shared.switches();
        let implicit = match text_field(p, "response_type").as_deref() {
            Some("code") => false,
            Some("token") => true,
            Some(other) => return Err(format!("Unsupported response_type \"{other}\": use code or token.")),
            None => return Err("The response_type parameter is required.".into()),
        };
        let client_id = text_field(p, "client_id").ok_or("The client_id parameter is required.")?;
        let client = data.client(&client_id).ok_or("Unknown client_id: this API key is not registered.")?;
        if !client.active {
            return Err("This API key is inactive.".into());
        }
        if !implicit && client.secret.is_none() {
            return Err("This API key has no secret and can only use the implicit grant.".into());
        }
        let scope = text_field(p, "scope").unwrap_or_default();
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
        if scopes.is_empty() {
            return Err("The scope parameter is required.".into());
        }
        if let Some(bad) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
            return Err(format!("Unknown scope \"{bad}\"."));
        }
        let redirect_uri = text_field(p, "redirect_uri").ok_or("The redirect_uri parameter is required.")?;
        let registered = match switches.joinme_registered_port {
            Some(port) => registered_on(&client.callback, port),
            None => client.callback.clone(),
        };
        if !redirect_matches(&registered, &redirect_uri, switches.joinme_loopback_any_port) {
            return Err("The redirect_uri does not match the application's registered Callback URL.".into());
        }
        let code_challenge = text_field(p, "code_challenge").filter(|c| !c.is_empty());
        let code_challenge_method = text_field(p, "code_challenge_method");
        if switches.joinme_enforce_pkce && !implicit {
            let valid = code_challenge.as_ref().is_some_and(|c| c.len() == 43)
                && code_challenge_method.as_deref() == Some("S256");
            if !valid {
                return Err("A code_challenge with code_challenge_method S256 is required.".into());
            }
        }
        Ok(Self {
            implicit,
            client_id,
            client_name: client.name.clone(),
            scopes,
            redirect_uri,
            state: text_field(p, "state"),
            code_challenge,
            code_challenge_method,
        })
    }

    fn hidden_fields(&self) -> Vec<(&'static str, String)> {
        let mut hidden = vec![
            ("response_type", if self.implicit { "token" } else { "code" }.to_string()),
            ("client_id", self.client_id.clone()),
            ("scope", self.scopes.join(" ")),
            ("redirect_uri", self.redirect_uri.clone()),
        ];
        let optional = [
            ("state", &self.state),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                hidden.push((name, value.clone()));
            }
        }
        hidden
    }

    /// Where the browser goes after a decision: codes and errors of the code flow in the query, implicit tokens
    /// and errors in the fragment.
    fn redirect_with(&self, pairs: Vec<(&str, String)>) -> Response {
        let mut pairs = pairs;
        if let Some(state) = &self.state {
            pairs.push(("state", state.clone()));
        }
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        redirect(&with_params(&self.redirect_uri, &borrowed, self.implicit))
    }
}

fn error_page(reason: &str) -> Response {
    let body = format!("<p class=\"error\">The authorization request is invalid.</p><p>{}</p>", pages::escape(reason));
    (StatusCode::BAD_REQUEST, pages::page("join.me: request error", &body)).into_response()
}

fn consent_page(request: &AuthorizeRequest, error: Option<&str>) -> Response {
    let asks = request
        .scopes
        .iter()
        .map(|s| match s.as_str() {
            "user_info" => "see your join.me profile".to_string(),
            "scheduler" => "schedule, change and delete your meetings".to_string(),
            "start_meeting" => "start meetings for you".to_string(),
            other => other.to_string(),
        })
        .collect();
    let hidden = request.hidden_fields();
    pages::consent(&Consent {
        title: "Sign in to join.me",
        action: "oauth2",
        app_name: &request.client_name,
        asks,
        hidden,
        login_label: "E-mail",
        login_hint: super::data::DEFAULT_USER,
        error,
    })
}

/// Grants the request for `user` and redirects back to the app.
fn approve(shared: &Shared, request: &AuthorizeRequest, user: &str) -> Response {
    let now = shared.clock.now();
    let switches = shared.switches();
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    if request.implicit {
        shared.recorder.count("joinme.authorize.token");
        let lifetime = Duration::seconds(switches.joinme_access_token_secs);
        let token =
            issue_access_token(&mut data, request.client_id.clone(), user, request.scopes.clone(), now + lifetime);
        return request.redirect_with(vec![
            ("access_token", token),
            ("token_type", "bearer".into()),
            // The docs' example: 1440 for a 24 h token, so minutes.
            ("expires_in", (lifetime.num_minutes()).to_string()),
        ]);
    }
    shared.recorder.count("joinme.authorize.code");
    let code = random_token(24).to_ascii_lowercase();
    data.codes.insert(
        code.clone(),
        AuthCode {
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            user: user.to_string(),
            scopes: request.scopes.clone(),
            expires_at: now + Duration::seconds(switches.joinme_code_secs),
            code_challenge: request.code_challenge.clone(),
            used: false,
        },
    );
    request.redirect_with(vec![("code", code)])
}

pub fn issue_access_token(
    data: &mut Data,
    client_id: String,
    user: &str,
    scopes: Vec<String>,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> String {
    let token = random_token(32);
    data.tokens.insert(
        token.clone(),
        AccessToken { client_id, user: user.to_string(), scopes, expires_at, expired_from: None, revoked_at: None },
    );
    token
}

/// GET `/oauth2`: validate, then sign in and consent (or approve at once with `--auto-approve`).
pub async fn authorize(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params: Map<String, Value> =
        query_map(query.as_deref()).into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    let request = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        AuthorizeRequest::validate(&params, &data, &shared)
    };
    match request {
        Err(reason) => error_page(&reason),
        Ok(request) if shared.auto_approve => approve(&shared, &request, super::data::DEFAULT_USER),
        Ok(request) => consent_page(&request, None),
    }
}

/// POST `/oauth2`: the sign-in and consent form.
pub async fn decide(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(form) = fields(&headers, &body) else {
        return error_page("The form could not be read.");
    };
    let request = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        AuthorizeRequest::validate(&form, &data, &shared)
    };
    let request = match request {
        Ok(request) => request,
        Err(reason) => return error_page(&reason),
    };
    if text_field(&form, "decision").as_deref() != Some("approve") {
        shared.recorder.count("joinme.authorize.denied");
        return request.redirect_with(vec![
            ("error", "access_denied".into()),
            ("error_description", "The user denied the request.".into()),
        ]);
    }
    let login = text_field(&form, "login").unwrap_or_default();
    let password = text_field(&form, "password").unwrap_or_default();
    let user = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        data.user(&login).filter(|u| u.password == password).map(|u| u.email.clone())
    };
    match user {
        Some(user) => approve(&shared, &request, &user),
        None => consent_page(&request, Some("The e-mail or password is wrong.")),
    }
}

fn token_response(shared: &Shared, access: &str, refresh: &str) -> Response {
    let switches = shared.switches();
    let mut body = json!({ "access_token": access, "refresh_token": refresh, "token_type": "bearer" });
    if switches.joinme_token_expires_in {
        body["expires_in"] = json!(switches.joinme_access_token_secs);
    }
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let digest = Sha256::digest(verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) == challenge
}

/// POST `/token`: `authorization_code` and `refresh_token`, form or JSON.
pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = match fields(&headers, &body) {
        Ok(form) => form,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e.message()),
    };
    let now = shared.clock.now();
    let switches = shared.switches();
    let grant_type = text_field(&form, "grant_type").unwrap_or_default();
    let client_id = text_field(&form, "client_id").unwrap_or_default();
    let client_secret = text_field(&form, "client_secret").unwrap_or_default();
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());

    if !matches!(grant_type.as_str(), "authorization_code" | "refresh_token") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token.",
        );
    }
    shared.recorder.count(&format!("joinme.token.{grant_type}"));
    let client_ok = data
        .client(&client_id)
        .is_some_and(|c| c.active && c.secret.as_deref().is_some_and(|s| !s.is_empty() && s == client_secret));
    if !client_ok {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "The client_id or client_secret is wrong.");
    }
    let lifetime = Duration::seconds(switches.joinme_access_token_secs);

    if grant_type == "authorization_code" {
        let code = text_field(&form, "code").unwrap_or_default();
        let redirect_uri = text_field(&form, "redirect_uri").unwrap_or_default();
        let verifier = text_field(&form, "code_verifier");
        let invalid = || {
            oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_authorization_code",
                "The authorization code is invalid or expired.",
            )
        };
        let Some(grant) = data.codes.get_mut(&code) else {
            return invalid();
        };
        if grant.used || now >= grant.expires_at || grant.client_id != client_id || grant.redirect_uri != redirect_uri {
            grant.used = true;
            return invalid();
        }
        if switches.joinme_enforce_pkce {
            let ok = match (&grant.code_challenge, &verifier) {
                (Some(challenge), Some(verifier)) => pkce_matches(challenge, verifier),
                _ => false,
            };
            if !ok {
                grant.used = true;
                return invalid();
            }
        }
        grant.used = true;
        let (user, scopes) = (grant.user.clone(), grant.scopes.clone());
        let access = issue_access_token(&mut data, client_id.clone(), &user, scopes.clone(), now + lifetime);
        let refresh = random_token(40);
        data.refresh.insert(refresh.clone(), RefreshGrant { client_id, user, scopes });
        return token_response(&shared, &access, &refresh);
    }

    let presented = text_field(&form, "refresh_token").unwrap_or_default();
    let valid = data.refresh.get(&presented).is_some_and(|g| g.client_id == client_id);
    if !valid {
        // The FAQ's exact answer, empty description included.
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "error": "invalid_refresh_token", "error_description": "" })),
        )
            .into_response();
    }
    // Rotation: the presented refresh token stops working once this refresh succeeds.
    let grant = data.refresh.remove(&presented).expect("checked above");
    let access = issue_access_token(&mut data, client_id, &grant.user, grant.scopes.clone(), now + lifetime);
    let refresh = random_token(40);
    data.refresh.insert(refresh.clone(), grant);
    token_response(&shared, &access, &refresh)
}

/// GET `/tokenInfo?access_token=`.
pub async fn token_info(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    shared.recorder.count("joinme.tokeninfo");
    let params = query_map(query.as_deref());
    let now = shared.clock.now();
    let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    let token = params.get("access_token").and_then(|t| data.tokens.get(t));
    match token {
        Some(t) if !t.is_stale(now) && t.revoked_at.is_none() => axum::Json(json!({
            "client_id": t.client_id,
            "scope": t.scopes.join(" "),
            "expires_at": crate::http::iso(t.expired_from.map_or(t.expires_at, |e| e.min(t.expires_at))),
        }))
        .into_response(),
        _ => oauth_error(StatusCode::BAD_REQUEST, "invalid_token", "The access token is unknown, expired or revoked."),
    }
}

/// POST `/expireaccess`: JSON or form; the token stops working after the configured propagation delay.
pub async fn expire_access(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.recorder.count("joinme.expireaccess");
    let failed = || {
        (StatusCode::BAD_REQUEST, axum::Json(json!({ "success": false, "message": "Expire Access Failed" })))
            .into_response()
    };
    let Ok(form) = fields(&headers, &body) else {
        return failed();
    };
    let access_token = text_field(&form, "access_token").unwrap_or_default();
    let client_id = text_field(&form, "client_id").unwrap_or_default();
    let client_secret = text_field(&form, "client_secret").unwrap_or_default();
    let now = shared.clock.now();
    let delay = Duration::seconds(shared.switches().joinme_expireaccess_delay_secs);
    let mut data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
    // A key without a secret (implicit grant) proves itself by the key alone.
    let client_ok = data.client(&client_id).is_some_and(|c| c.secret.as_deref().unwrap_or("") == client_secret);
    match data.tokens.get_mut(&access_token) {
        Some(token) if client_ok && token.client_id == client_id => {
            token.expired_from = Some(now + delay);
            axum::Json(json!({ "success": true, "message": "Access Token Expired" })).into_response()
        }
        _ => failed(),
    }
}

/// GET `/renewauthorization?client_id=&access_token=`: a new implicit authorization for the old token's scopes,
/// back to the application's registered callback (or a matching `redirect_uri`, a sandbox extension).
pub async fn renew_authorization(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = query_map(query.as_deref());
    let request = {
        let data = shared.joinme.lock().unwrap_or_else(|e| e.into_inner());
        let client_id = params.get("client_id").cloned().unwrap_or_default();
        let Some(client) = data.client(&client_id) else {
            return error_page("Unknown client_id: this API key is not registered.");
        };
        let old = params.get("access_token").and_then(|t| data.tokens.get(t)).filter(|t| t.client_id == client_id);
        let Some(old) = old else {
            return error_page("The access_token is unknown or belongs to another application.");
        };
        let mut p = Map::new();
        p.insert("response_type".into(), json!("token"));
        p.insert("client_id".into(), json!(client_id));
        p.insert("scope".into(), json!(old.scopes.join(" ")));
        p.insert("redirect_uri".into(), json!(params.get("redirect_uri").unwrap_or(&client.callback)));
        if let Some(state) = params.get("state") {
            p.insert("state".into(), json!(state));
        }
        AuthorizeRequest::validate(&p, &data, &shared)
    };
    match request {
        Err(reason) => error_page(&reason),
        Ok(request) if shared.auto_approve => approve(&shared, &request, super::data::DEFAULT_USER),
        Ok(request) => consent_page(&request, None),
    }
}

/// `callback` with its port replaced.
fn registered_on(callback: &str, port: u16) -> String {
    match url::Url::parse(callback) {
        Ok(mut url) => {
            let _ = url.set_port(Some(port));
            url.to_string()
        }
        Err(_) => callback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_7636_appendix_b_vector() {
        assert!(pkce_matches(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!pkce_matches("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "wrong"));
    }
}
