//! A MeetingBooster server's `/api/v1`: the signed-in user, the sync of my meetings, and the meeting CRUD the
//! sandbox offers in the ASP.NET Web API style (providers.md §3.3–3.5).

use reqwest::{Client, Method, StatusCode};
use serde::Serialize;

use super::model::{Meeting, MeetingBody, Sync, SyncJson, User};
use crate::providers::errors::{ErrorBody, server_trouble};
use crate::providers::http::{Answer, require_secure, send};
use crate::providers::{MeetingBoosterEndpoint, Provider, ProviderError, join};
use launcher_core::secret::Secret;

const P: Provider = Provider::Meetingbooster;

/// For the calls that send no body.
const NO_BODY: Option<&()> = None;

/// The signed-in user. `users/me` is not documented: a server without it leaves the name unknown. An answer that
/// cannot be read is a user with empty fields.
pub async fn me(http: &Client, ep: &MeetingBoosterEndpoint, access: &Secret) -> Result<Option<User>, ProviderError> {
    let answer = send(P, http.get(join(&ep.server, "/api/v1/users/me")).bearer_auth(access.expose())).await?;
    match answer.status {
        s if s.is_success() => Ok(Some(answer.parse().unwrap_or_default())),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Ok(None),
        StatusCode::UNAUTHORIZED => {
            Err(ProviderError::SignInAgain { provider: P, reason: "the access token was refused".into() })
        }
        s => Err(server_trouble(P, s, &answer.headers, &ErrorBody::parse(&answer.body))),
    }
}

/// Whether a MeetingBooster server answers at `ep`: its API refuses a call without a token (401), as the docs say
/// it does. Settings' check as an address is typed: no credentials are sent, and no failed sign-in is counted.
pub async fn probe(http: &Client, ep: &MeetingBoosterEndpoint) -> Result<(), ProviderError> {
    let url = join(&ep.server, "/api/v1/mymeetings/sync");
    require_secure(P, &url, ep.allow_http)?;
    let answer = send(P, http.get(url).header("Accept", "application/json")).await?;
    match answer.status {
        StatusCode::UNAUTHORIZED => Ok(()),
        // A page for any path (a web site's), or a proxy's refusal: something answers, not MeetingBooster's API.
        s if s.is_success() || s == StatusCode::FORBIDDEN => Err(ProviderError::Unexpected {
            provider: P,
            detail: format!("HTTP {} where its API refuses a call without a sign-in (401)", s.as_u16()),
        }),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Err(ProviderError::NotFound {
            provider: P,
            what: "API at this address (nothing answers at /api/v1: check the address and its path)".into(),
        }),
        s => Err(server_trouble(P, s, &answer.headers, &ErrorBody::parse(&answer.body))),
    }
}

/// A MeetingBooster API failure, classified (JSApiError bodies carry `Message`).
fn api_error(answer: &Answer) -> ProviderError {
    let body = ErrorBody::parse(&answer.body);
    let message = body.summary().unwrap_or_else(|| format!("HTTP {}", answer.status.as_u16()));
    match answer.status {
        StatusCode::UNAUTHORIZED => {
            ProviderError::SignInAgain { provider: P, reason: "the server refused the access token".into() }
        }
        StatusCode::FORBIDDEN => ProviderError::NotPermitted { provider: P, detail: message },
        StatusCode::NOT_FOUND => ProviderError::NotFound { provider: P, what: "such meeting".into() },
        StatusCode::METHOD_NOT_ALLOWED => {
            ProviderError::NotPermitted { provider: P, detail: "this server does not support that".into() }
        }
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => server_trouble(P, s, &answer.headers, &body),
        _ => ProviderError::Invalid { provider: P, message },
    }
}

async fn api<B: Serialize + ?Sized>(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<Answer, ProviderError> {
    let url = join(&ep.server, &format!("/api/v1{path}"));
    require_secure(P, &url, ep.allow_http)?;
    let mut request = http.request(method, url).bearer_auth(token.expose()).header("Accept", "application/json");
    if let Some(body) = body {
        request = request.json(body);
    }
    let answer = send(P, request).await?;
    // Success is 200; the tolerance rule takes any 2xx.
    if answer.status.is_success() { Ok(answer) } else { Err(api_error(&answer)) }
}

/// My meetings since `sync_token` (all of them without one).
pub async fn sync(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    sync_token: Option<&str>,
) -> Result<Sync, ProviderError> {
    let path = match sync_token {
        Some(t) => format!(
            "/mymeetings/sync?synctoken={}",
            url::form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>()
        ),
        None => "/mymeetings/sync".into(),
    };
    let answer = api(http, ep, token, Method::GET, &path, NO_BODY).await?;
    // An unknown token also gets everything back, as NEW: applying by id makes that harmless.
    Ok(answer.read::<SyncJson>(P, "sync answer")?.into_sync(sync_token.is_none()))
}

/// Creates a meeting under the id the client chose: a retry of the same create cannot make a second one.
pub async fn create(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    meeting: &Meeting,
) -> Result<Meeting, ProviderError> {
    let body = MeetingBody::from(meeting);
    api(http, ep, token, Method::POST, "/meetings", Some(&body)).await?.read(P, "new meeting")
}

/// The meeting with this id, or `None` if the server has none (or sends one that cannot be read).
pub async fn get(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    id: &str,
) -> Result<Option<Meeting>, ProviderError> {
    match api(http, ep, token, Method::GET, &format!("/meetings/{id}"), NO_BODY).await {
        Ok(answer) => Ok(answer.parse().ok()),
        Err(ProviderError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn update(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    meeting: &Meeting,
) -> Result<Meeting, ProviderError> {
    let (path, body) = (format!("/meetings/{}", meeting.id), MeetingBody::from(meeting));
    api(http, ep, token, Method::PUT, &path, Some(&body)).await?.read(P, "changed meeting")
}

pub async fn delete(http: &Client, ep: &MeetingBoosterEndpoint, token: &Secret, id: &str) -> Result<(), ProviderError> {
    match api(http, ep, token, Method::DELETE, &format!("/meetings/{id}"), NO_BODY).await {
        Ok(_) | Err(ProviderError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
