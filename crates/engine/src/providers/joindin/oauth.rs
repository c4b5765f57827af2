//! joind.in's sign-in: the website's `oauth_allow` page and the API's password grant (providers.md §2.3). The way
//! to tell a token is still good (`meta.user_uri`) is in `api`.

use reqwest::{Client, StatusCode};
use url::Url;

use super::model::{PasswordGrant, TokenAnswer};
use crate::providers::errors::{ErrorBody, server_trouble};
use crate::providers::http::send;
use crate::providers::{JoindinEndpoint, Provider, ProviderError, join};
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
    let body = PasswordGrant {
        grant_type: "password",
        username,
        password: password.expose(),
        client_id: &ep.api_key,
        client_secret: secret.expose(),
    };
    // `.json()` sends exactly `application/json`: joind.in ignores bodies with any other content type.
    let answer =
        send(P, http.post(join(&ep.api_base, "/v2.1/token")).json(&body).header("Accept", "application/json")).await?;
    if answer.status.is_success() {
        let token = answer.parse::<TokenAnswer>().ok().and_then(|t| Some((t.access_token?, t.user_uri)));
        return token
            .map(|(t, user_uri)| (Secret::new(t), user_uri))
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
