//! joind.in's sign-in: the website's `oauth_allow` page and the API's password grant, and the one way to tell a
//! token is still good (`meta.user_uri`).

use reqwest::{Client, StatusCode};
use serde_json::json;
use url::Url;

use super::errors::{ErrorBody, server_trouble};
use super::http::send;
use super::{JoindinEndpoint, Provider, ProviderError, join, lenient};
use crate::secret::Secret;

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
    let secret = ep.client_secret.as_ref().ok_or(ProviderError::NotConfigured {
        provider: P,
        what: "consumer secret for the password grant".into(),
    })?;
    let body = json!({
        "grant_type": "password",
        "username": username,
        "password": password.expose(),
        "client_id": ep.api_key,
        "client_secret": secret.expose(),
    });
    // `.json()` sends exactly `application/json`: joind.in ignores bodies with any other content type.
    let answer = send(
        P,
        http.post(join(&ep.api_base, "/v2.1/token"))
            .json(&body)
            .header("Accept", "application/json"),
    )
    .await?;
    if answer.status.is_success() {
        let value = answer.json().unwrap_or_default();
        let token = value
            .get("access_token")
            .and_then(lenient::text)
            .filter(|t| !t.is_empty());
        let user_uri = value.get("user_uri").and_then(lenient::text).unwrap_or_default();
        return token
            .map(|t| (Secret::new(t), user_uri))
            .ok_or(ProviderError::Unexpected {
                provider: P,
                detail: "the token answer had no access_token".into(),
            });
    }
    let message = ErrorBody::parse(&answer.body).message.unwrap_or_default();
    Err(match (answer.status, message.as_str()) {
        (_, "Signin failed") => ProviderError::WrongCredentials {
            provider: P,
            retry_after: 0,
        },
        (_, "Not verified") => ProviderError::NotPermitted {
            provider: P,
            detail: "the account's e-mail address is not verified yet".into(),
        },
        (StatusCode::FORBIDDEN, _) => ProviderError::ConfigRejected {
            provider: P,
            detail: "this API key may not use the password grant".into(),
        },
        (s, _) if s.is_server_error() => server_trouble(P, s, &answer.headers, &ErrorBody::default()),
        (s, m) => ProviderError::Unexpected {
            provider: P,
            detail: format!("HTTP {} ({m})", s.as_u16()),
        },
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub uri: String,
    pub username: String,
    pub full_name: String,
}

/// Who the token belongs to. joind.in treats an unknown token as anonymous, so a missing `meta.user_uri` is how
/// a dead token shows.
pub async fn whoami(http: &Client, ep: &JoindinEndpoint, token: &Secret) -> Result<User, ProviderError> {
    let mut url = join(&ep.api_base, "/v2.1/events");
    url.query_pairs_mut().append_pair("resultsperpage", "1");
    let answer = send(
        P,
        http.get(url)
            .bearer_auth(token.expose())
            .header("Accept", "application/json"),
    )
    .await?;
    if answer.status.is_server_error() {
        return Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::default()));
    }
    let uri = answer
        .json()
        .and_then(|v| v.pointer("/meta/user_uri").and_then(lenient::text))
        .ok_or(ProviderError::SignInAgain {
            provider: P,
            reason: "joind.in no longer recognises the token".into(),
        })?;
    let profile = Url::parse(&uri).map_err(|_| ProviderError::Unexpected {
        provider: P,
        detail: "the user_uri is not a URL".into(),
    })?;
    let answer = send(
        P,
        http.get(profile)
            .bearer_auth(token.expose())
            .header("Accept", "application/json"),
    )
    .await?;
    let value = answer.json().unwrap_or_default();
    let user = value.pointer("/users/0").cloned().unwrap_or_default();
    let text = |k: &str| user.get(k).and_then(lenient::text).unwrap_or_default();
    Ok(User {
        username: text("username"),
        full_name: text("full_name"),
        uri,
    })
}
