//! joind.in's sign-in: the website's `oauth_allow` page and the API's password grant, and the one way to tell a
//! token is still good (`meta.user_uri`).

use reqwest::{Client, StatusCode};
use serde_json::json;
use url::Url;

use super::errors::{ErrorBody, server_trouble};
use super::http::send;
use super::{JoindinEndpoint, Provider, ProviderError, join, lenient};
use launcher_core::secret::Secret;

const P: Provider = Provider::Joindin;

pub fn allow_url(ep: &JoindinEndpoint, callback: &str, state: &str) -> Url {
    let mut url = join(&ep.web_base, "/user/oauth_allow");
    url.query_pairs_mut()
        .append_pair("api_key", &ep.api_key)
        .append_pair("callback", callback)
        .append_pair("state", state);
    url
}

/// The password grant. The token may arrive as a JSON number (joind.in coerces numeric-looking strings).
pub async fn password(
    http: &Client,
    ep: &JoindinEndpoint,
    username: &str,
    password: &Secret,
) -> Result<(Secret, String), ProviderError> {
    let secret = ep
        .client_secret
        .as_ref()
        .ok_or(ProviderError::NotConfigured { provider: P, what: "consumer secret for the password grant".into() })?;
    let body = json!({
        "grant_type": "password",
        "username": username,
        "password": password.expose(),
        "client_id": ep.api_key,
        "client_secret": secret.expose(),
    });
    // `.json()` sends exactly `application/json`: joind.in ignores bodies with any other content type.
    let answer =
        send(P, http.post(join(&ep.api_base, "/v2.1/token")).json(&body).header("Accept", "application/json")).await?;
    if answer.status.is_success() {
        let value = answer.json().unwrap_or_default();
        let token = value.get("access_token").and_then(lenient::text).filter(|t| !t.is_empty());
        let user_uri = value.get("user_uri").and_then(lenient::text).unwrap_or_default();
        return token
            .map(|t| (Secret::new(t), user_uri))
            .ok_or(ProviderError::Unexpected { provider: P, detail: "the token answer had no access_token".into() });
    }
    let message = ErrorBody::parse(&answer.body).message.unwrap_or_default();
    Err(match (answer.status, message.as_str()) {
        (_, "Signin failed") => ProviderError::WrongCredentials { provider: P, retry_after: 0 },
        (_, "Not verified") => ProviderError::NotPermitted {
            provider: P,
            detail: "the account's e-mail address is not verified yet".into(),
        },
        (StatusCode::FORBIDDEN, _) => {
            ProviderError::ConfigRejected { provider: P, detail: "this API key may not use the password grant".into() }
        }
        (s, _) if s.is_server_error() => server_trouble(P, s, &answer.headers, &ErrorBody::default()),
        (s, m) => ProviderError::Unexpected { provider: P, detail: format!("HTTP {} ({m})", s.as_u16()) },
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub uri: String,
    pub username: String,
    pub full_name: String,
}

/// The user the token belongs to, as the address of their profile. joind.in treats an unknown token as
/// anonymous, so a missing `meta.user_uri` is how a dead token shows.
async fn user_uri(http: &Client, ep: &JoindinEndpoint, token: &Secret) -> Result<String, ProviderError> {
    let mut url = join(&ep.api_base, "/v2.1/events");
    url.query_pairs_mut().append_pair("resultsperpage", "1");
    let answer = send(P, http.get(url).bearer_auth(token.expose()).header("Accept", "application/json")).await?;
    if answer.status.is_server_error() {
        return Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::default()));
    }
    answer
        .json()
        .and_then(|v| v.pointer("/meta/user_uri").and_then(lenient::text))
        .ok_or(ProviderError::SignInAgain { provider: P, reason: "joind.in no longer recognises the token".into() })
}

/// Who the token belongs to: the profile behind [`user_uri`].
pub async fn whoami(http: &Client, ep: &JoindinEndpoint, token: &Secret) -> Result<User, ProviderError> {
    let uri = user_uri(http, ep, token).await?;
    let profile = Url::parse(&uri)
        .map_err(|_| ProviderError::Unexpected { provider: P, detail: "the user_uri is not a URL".into() })?;
    let answer = send(P, http.get(profile).bearer_auth(token.expose()).header("Accept", "application/json")).await?;
    let value = answer.json().unwrap_or_default();
    let user = value.pointer("/users/0").cloned().unwrap_or_default();
    let text = |k: &str| user.get(k).and_then(lenient::text).unwrap_or_default();
    Ok(User { username: text("username"), full_name: text("full_name"), uri })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// joind.in events carry no id: it is the last segment of `uri`.
    pub id: String,
    pub name: String,
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    pub location: String,
    pub url: String,
    pub attending: bool,
}

impl Event {
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        let text = |k: &str| v.get(k).and_then(lenient::text).unwrap_or_default();
        let uri = text("uri");
        Some(Self {
            id: uri.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty())?.to_string(),
            name: text("name"),
            start: v.get("start_date").and_then(lenient::datetime)?,
            end: v.get("end_date").and_then(lenient::datetime)?,
            location: text("location"),
            url: text("website_uri"),
            attending: v.get("attending").and_then(lenient::boolean).unwrap_or(false),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Talk {
    pub id: String,
    pub title: String,
    pub start: chrono::DateTime<chrono::Utc>,
    pub minutes: i64,
    pub speakers: Vec<String>,
}

async fn get_json(http: &Client, url: Url, token: Option<&Secret>) -> Result<serde_json::Value, ProviderError> {
    let mut request = http.get(url).header("Accept", "application/json");
    if let Some(t) = token {
        request = request.bearer_auth(t.expose());
    }
    let answer = send(P, request).await?;
    if answer.status.is_server_error() {
        return Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::default()));
    }
    if !answer.status.is_success() {
        let message =
            ErrorBody::parse(&answer.body).message.unwrap_or_else(|| format!("HTTP {}", answer.status.as_u16()));
        return Err(if answer.status == StatusCode::NOT_FOUND {
            ProviderError::NotFound { provider: P, what: message }
        } else {
            ProviderError::Invalid { provider: P, message }
        });
    }
    answer.json().ok_or(ProviderError::Unexpected { provider: P, detail: "the answer could not be read".into() })
}

/// Events the signed-in user attends and hosts (the token is checked on the way: a dead one has no user).
pub async fn my_events(
    http: &Client,
    ep: &JoindinEndpoint,
    token: &Secret,
) -> Result<(Vec<Event>, Vec<Event>), ProviderError> {
    // Only the user's address is needed here, not their profile.
    let me = user_uri(http, ep, token).await?;
    let list = |sub: &str| {
        let Ok(mut url) = Url::parse(&format!("{}/{sub}", me.trim_end_matches('/'))) else {
            return Err(ProviderError::Unexpected { provider: P, detail: "the user_uri is not a URL".into() });
        };
        url.query_pairs_mut().append_pair("resultsperpage", "0");
        Ok(url)
    };
    let collect = |v: serde_json::Value| {
        v.get("events")
            .and_then(|e| e.as_array())
            .map(|a| a.iter().filter_map(Event::from_json).collect())
            .unwrap_or_default()
    };
    let attending = collect(get_json(http, list("attended")?, Some(token)).await?);
    let hosting = collect(get_json(http, list("hosted")?, Some(token)).await?);
    Ok((attending, hosting))
}

pub async fn talks(http: &Client, ep: &JoindinEndpoint, event_id: &str) -> Result<Vec<Talk>, ProviderError> {
    let mut url = join(&ep.api_base, &format!("/v2.1/events/{event_id}/talks"));
    url.query_pairs_mut().append_pair("resultsperpage", "0");
    let value = get_json(http, url, None).await?;
    let talks = value.get("talks").and_then(|t| t.as_array()).cloned().unwrap_or_default();
    Ok(talks
        .iter()
        .filter_map(|t| {
            Some(Talk {
                id: t.get("id").and_then(lenient::text)?,
                title: t.get("talk_title").and_then(lenient::text).unwrap_or_default(),
                start: t.get("start_date").and_then(lenient::datetime)?,
                minutes: t.get("duration").and_then(lenient::seconds).unwrap_or(0),
                speakers: t
                    .get("speakers")
                    .and_then(|s| s.as_array())
                    .map(|s| s.iter().filter_map(|x| x.get("speaker_name").and_then(lenient::text)).collect())
                    .unwrap_or_default(),
            })
        })
        .collect())
}

/// Attends (or stops attending) an event: 201 and 200 with empty bodies, as the server answers.
pub async fn set_attending(
    http: &Client,
    ep: &JoindinEndpoint,
    token: &Secret,
    event_id: &str,
    attend: bool,
) -> Result<(), ProviderError> {
    let url = join(&ep.api_base, &format!("/v2.1/events/{event_id}/attending"));
    let request = if attend { http.post(url) } else { http.delete(url) };
    let answer = send(P, request.bearer_auth(token.expose()).header("Accept", "application/json")).await?;
    match answer.status {
        s if s.is_success() => Ok(()),
        StatusCode::UNAUTHORIZED => {
            Err(ProviderError::SignInAgain { provider: P, reason: "joind.in no longer recognises the token".into() })
        }
        s if s.is_server_error() => Err(server_trouble(P, s, &answer.headers, &ErrorBody::default())),
        _ => Err(ProviderError::Invalid {
            provider: P,
            message: ErrorBody::parse(&answer.body).message.unwrap_or_default(),
        }),
    }
}
