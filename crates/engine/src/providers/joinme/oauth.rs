//! join.me's auth host (`secure.join.me/api/public/v1/auth`): the authorization request, the token endpoint's code
//! and refresh grants, `tokenInfo` and `expireaccess`, with the FAQ's token errors classified.

use reqwest::{Client, StatusCode};
use url::Url;

use super::model::{ExpireAccess, ExpireAccessAnswer, TokenInfo};
use crate::providers::errors::{ErrorBody, server_trouble};
use crate::providers::http::{Answer, send};
use crate::providers::{JoinmeEndpoint, Provider, ProviderError, TokenSet, join};
use launcher_core::secret::Secret;

const P: Provider = Provider::Joinme;

/// The scopes the launcher asks for.
pub const SCOPES: &str = "user_info scheduler start_meeting";

/// The authorization request. PKCE is sent even though join.me never documented it (servers ignore unknown
/// parameters), so the code cannot be redeemed by anyone who intercepts it.
pub fn authorize_url(
    ep: &JoinmeEndpoint,
    implicit: bool,
    redirect_uri: &str,
    state: &str,
    challenge: Option<&str>,
) -> Url {
    let mut url = join(&ep.auth_base, "/oauth2");
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", if implicit { "token" } else { "code" });
        q.append_pair("client_id", &ep.client_id);
        q.append_pair("scope", SCOPES);
        q.append_pair("redirect_uri", redirect_uri);
        q.append_pair("state", state);
        if let Some(challenge) = challenge {
            q.append_pair("code_challenge", challenge);
            q.append_pair("code_challenge_method", "S256");
        }
    }
    url
}

fn token_error(answer: &Answer) -> ProviderError {
    let body = ErrorBody::parse(&answer.body);
    let error = body.error.clone().unwrap_or_default();
    match (answer.status, error.as_str()) {
        (_, "invalid_refresh_token") => {
            ProviderError::SignInAgain { provider: P, reason: "join.me no longer accepts the saved sign-in".into() }
        }
        (_, "invalid_authorization_code" | "invalid_grant") => ProviderError::SignInAgain {
            provider: P,
            reason: "the authorization code was refused or had expired".into(),
        },
        (_, "invalid_client" | "unauthorized_client") | (StatusCode::UNAUTHORIZED, _) => {
            ProviderError::ConfigRejected { provider: P, detail: "the API key or secret was refused".into() }
        }
        (s, _) if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            server_trouble(P, s, &answer.headers, &body)
        }
        (s, _) => ProviderError::Unexpected {
            provider: P,
            detail: format!("HTTP {} from the token endpoint ({error})", s.as_u16()),
        },
    }
}

async fn token_request(http: &Client, ep: &JoinmeEndpoint, form: &[(&str, &str)]) -> Result<TokenSet, ProviderError> {
    let answer = send(P, http.post(join(&ep.auth_base, "/token")).form(form)).await?;
    if !answer.status.is_success() {
        return Err(token_error(&answer));
    }
    TokenSet::from_body(&answer.body)
        .ok_or(ProviderError::Unexpected { provider: P, detail: "the token answer had no access_token".into() })
}

fn secret_of(ep: &JoinmeEndpoint) -> Result<&str, ProviderError> {
    ep.client_secret
        .as_ref()
        .map(Secret::expose)
        .ok_or(ProviderError::NotConfigured { provider: P, what: "client secret".into() })
}

/// Redeems a code. `redirect_uri` must be the very string of the authorization request.
pub async fn exchange_code(
    http: &Client,
    ep: &JoinmeEndpoint,
    code: &Secret,
    redirect_uri: &str,
    verifier: &Secret,
) -> Result<TokenSet, ProviderError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.expose()),
        ("client_id", ep.client_id.as_str()),
        ("client_secret", secret_of(ep)?),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier.expose()),
    ];
    token_request(http, ep, &form).await
}

pub async fn refresh(http: &Client, ep: &JoinmeEndpoint, refresh_token: &Secret) -> Result<TokenSet, ProviderError> {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", ep.client_id.as_str()),
        ("client_secret", secret_of(ep)?),
    ];
    token_request(http, ep, &form).await
}

/// What join.me knows of a token. Implicit tokens must be checked here: one granted to another app would make
/// us its confused deputy.
pub async fn token_info(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<TokenInfo, ProviderError> {
    let mut url = join(&ep.auth_base, "/tokenInfo");
    url.query_pairs_mut().append_pair("access_token", access.expose());
    let answer = send(P, http.get(url)).await?;
    if answer.status.is_server_error() {
        return Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::parse(&answer.body)));
    }
    if !answer.status.is_success() {
        return Err(ProviderError::SignInAgain { provider: P, reason: "join.me does not recognise the token".into() });
    }
    answer.read(P, "tokenInfo answer")
}

/// Forces the access token to expire (join.me's testing aid); the refresh path then takes over.
pub async fn expire_access(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<(), ProviderError> {
    let body = ExpireAccess {
        access_token: access.expose(),
        client_id: &ep.client_id,
        client_secret: ep.client_secret.as_ref().map(Secret::expose).unwrap_or(""),
    };
    let answer = send(P, http.post(join(&ep.auth_base, "/expireaccess")).json(&body)).await?;
    let success = answer.parse::<ExpireAccessAnswer>().is_ok_and(|a| a.success);
    if answer.status.is_success() && success {
        Ok(())
    } else if answer.status.is_server_error() {
        Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::parse(&answer.body)))
    } else {
        Err(ProviderError::Unexpected { provider: P, detail: "join.me did not expire the access token".into() })
    }
}
