//! join.me's OAuth endpoints and the parts of its API the sign-in needs, with the FAQ's errors classified.

use reqwest::{Client, StatusCode};
use serde_json::json;
use url::Url;

use super::errors::{ErrorBody, bearer_error, server_trouble};
use super::http::{Answer, send};
use super::{JoinmeEndpoint, Provider, ProviderError, TokenSet, join, lenient};
use crate::secret::Secret;

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
        (_, "invalid_refresh_token") => ProviderError::SignInAgain {
            provider: P,
            reason: "join.me no longer accepts the saved sign-in".into(),
        },
        (_, "invalid_authorization_code" | "invalid_grant") => ProviderError::SignInAgain {
            provider: P,
            reason: "the authorization code was refused or had expired".into(),
        },
        (_, "invalid_client" | "unauthorized_client") | (StatusCode::UNAUTHORIZED, _) => {
            ProviderError::ConfigRejected {
                provider: P,
                detail: "the API key or secret was refused".into(),
            }
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
    answer
        .json()
        .as_ref()
        .and_then(TokenSet::from_json)
        .ok_or(ProviderError::Unexpected {
            provider: P,
            detail: "the token answer had no access_token".into(),
        })
}

fn secret_of(ep: &JoinmeEndpoint) -> Result<&str, ProviderError> {
    ep.client_secret
        .as_ref()
        .map(Secret::expose)
        .ok_or(ProviderError::NotConfigured {
            provider: P,
            what: "client secret".into(),
        })
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

#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What join.me knows of a token. Implicit tokens must be checked here: one granted to another app would make
/// us its confused deputy.
pub async fn token_info(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<TokenInfo, ProviderError> {
    let mut url = join(&ep.auth_base, "/tokenInfo");
    url.query_pairs_mut().append_pair("access_token", access.expose());
    let answer = send(P, http.get(url)).await?;
    if answer.status.is_server_error() {
        return Err(server_trouble(
            P,
            answer.status,
            &answer.headers,
            &ErrorBody::parse(&answer.body),
        ));
    }
    if !answer.status.is_success() {
        return Err(ProviderError::SignInAgain {
            provider: P,
            reason: "join.me does not recognise the token".into(),
        });
    }
    let value = answer.json().unwrap_or_default();
    let client_id = value
        .get("client_id")
        .and_then(lenient::text)
        .ok_or(ProviderError::Unexpected {
            provider: P,
            detail: "tokenInfo named no client".into(),
        })?;
    let scopes = value.get("scope").and_then(lenient::text).unwrap_or_default();
    Ok(TokenInfo {
        client_id,
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        expires_at: value.get("expires_at").and_then(lenient::datetime),
    })
}

/// Forces the access token to expire (join.me's testing aid); the refresh path then takes over.
pub async fn expire_access(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<(), ProviderError> {
    let body = json!({
        "access_token": access.expose(),
        "client_id": ep.client_id,
        "client_secret": ep.client_secret.as_ref().map(Secret::expose).unwrap_or(""),
    });
    let answer = send(P, http.post(join(&ep.auth_base, "/expireaccess")).json(&body)).await?;
    let success = answer
        .json()
        .and_then(|v| v.get("success").and_then(lenient::boolean))
        .unwrap_or(false);
    if answer.status.is_success() && success {
        Ok(())
    } else if answer.status.is_server_error() {
        Err(server_trouble(
            P,
            answer.status,
            &answer.headers,
            &ErrorBody::parse(&answer.body),
        ))
    } else {
        Err(ProviderError::Unexpected {
            provider: P,
            detail: "join.me did not expire the access token".into(),
        })
    }
}

/// Classifies a failed api.join.me call as the FAQ describes it.
pub fn api_error(answer: &Answer) -> ProviderError {
    let body = ErrorBody::parse(&answer.body);
    let code = body.error_code.clone().unwrap_or_default();
    let challenge = bearer_error(&answer.headers).unwrap_or_default();
    match answer.status {
        StatusCode::FORBIDDEN
            if answer.headers.contains_key("x-mashery-error-code") || challenge == "invalid_token" =>
        {
            ProviderError::AuthorizationRejected {
                provider: P,
                detail: "the token is not valid, or the API key is inactive".into(),
            }
        }
        StatusCode::FORBIDDEN if challenge == "insufficient_scope" => ProviderError::NotPermitted {
            provider: P,
            detail: "the sign-in did not grant this; sign in again to allow it".into(),
        },
        StatusCode::FORBIDDEN => ProviderError::NotPermitted {
            provider: P,
            detail: body
                .summary()
                .unwrap_or_else(|| "the account or API key lacks this permission".into()),
        },
        StatusCode::UNAUTHORIZED if code == "stale_token" => ProviderError::SignInAgain {
            provider: P,
            reason: "the access token expired".into(),
        },
        StatusCode::UNAUTHORIZED => ProviderError::SignInAgain {
            provider: P,
            reason: "the permission given to the app was revoked".into(),
        },
        StatusCode::NOT_FOUND => ProviderError::NotFound {
            provider: P,
            what: "such item".into(),
        },
        StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE => ProviderError::Invalid {
            provider: P,
            message: body.summary().unwrap_or_else(|| "invalid request".into()),
        },
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => server_trouble(P, s, &answer.headers, &body),
        s => ProviderError::Unexpected {
            provider: P,
            detail: format!("HTTP {}", s.as_u16()),
        },
    }
}

/// Whether a failed call means the access token is at fault (worth one refresh and one retry).
pub fn is_token_problem(error: &ProviderError) -> bool {
    matches!(
        error,
        ProviderError::AuthorizationRejected { .. } | ProviderError::SignInAgain { .. }
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub email: String,
    pub full_name: String,
    pub plan: String,
}

/// `GET /v1/user`. The docs say 201, the sandbox 200: any 2xx is success.
pub async fn user(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<User, ProviderError> {
    let request = http
        .get(join(&ep.api_base, "/user"))
        .bearer_auth(access.expose())
        .header("Content-Type", "application/json");
    let answer = send(P, request).await?;
    if !answer.status.is_success() {
        return Err(api_error(&answer));
    }
    let value = answer.json().unwrap_or_default();
    let text = |k: &str| value.get(k).and_then(lenient::text).unwrap_or_default();
    let email = text("email");
    if email.is_empty() {
        return Err(ProviderError::Unexpected {
            provider: P,
            detail: "the user had no e-mail".into(),
        });
    }
    Ok(User {
        full_name: text("fullName"),
        plan: text("subscriptionType"),
        email,
    })
}
