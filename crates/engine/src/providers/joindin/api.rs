//! joind.in's API as the launcher uses it: who a token belongs to (the one way to tell it is still good is
//! `meta.user_uri`), the user's events, an event's talks, and attending (providers.md §2.4–2.7).

use reqwest::{Client, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::model::{Collection, Event, Events, Talk, Talks, User, Users};
use crate::providers::errors::{ErrorBody, server_trouble};
use crate::providers::http::send;
use crate::providers::{JoindinEndpoint, Provider, ProviderError, join};
use launcher_core::secret::Secret;

const P: Provider = Provider::Joindin;

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
        .parse::<Collection>()
        .ok()
        .and_then(|c| c.meta.user_uri)
        .ok_or(ProviderError::SignInAgain { provider: P, reason: "joind.in no longer recognises the token".into() })
}

/// Who the token belongs to: the profile behind [`user_uri`]. A profile that cannot be read leaves the names
/// empty.
pub async fn whoami(http: &Client, ep: &JoindinEndpoint, token: &Secret) -> Result<User, ProviderError> {
    let uri = user_uri(http, ep, token).await?;
    let profile = Url::parse(&uri)
        .map_err(|_| ProviderError::Unexpected { provider: P, detail: "the user_uri is not a URL".into() })?;
    let answer = send(P, http.get(profile).bearer_auth(token.expose()).header("Accept", "application/json")).await?;
    let profile = answer.parse::<Users>().unwrap_or_default().users.into_iter().next().unwrap_or_default();
    Ok(User { username: profile.username, full_name: profile.full_name, uri })
}

/// A GET whose answer is read as a `T`; failures classified as joind.in words them (an array of one string).
async fn get<T: DeserializeOwned>(
    http: &Client,
    url: Url,
    token: Option<&Secret>,
    what: &str,
) -> Result<T, ProviderError> {
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
    answer.read(P, what)
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
    let attending: Events = get(http, list("attended")?, Some(token), "attended events").await?;
    let hosting: Events = get(http, list("hosted")?, Some(token), "hosted events").await?;
    Ok((attending.events, hosting.events))
}

pub async fn talks(http: &Client, ep: &JoindinEndpoint, event_id: &str) -> Result<Vec<Talk>, ProviderError> {
    let mut url = join(&ep.api_base, &format!("/v2.1/events/{event_id}/talks"));
    url.query_pairs_mut().append_pair("resultsperpage", "0");
    Ok(get::<Talks>(http, url, None, "talks").await?.talks)
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
