//! A MeetingBooster server's `/oauth` endpoint: password, refresh and sign-out grants, JSOAuthError read as the
//! docs describe it (providers.md §3.2).

use reqwest::{Client, StatusCode};
use url::Url;

use crate::providers::errors::{ErrorBody, server_trouble};
use crate::providers::http::{Answer, require_secure, send};
use crate::providers::{MeetingBoosterEndpoint, Provider, ProviderError, TokenSet, join};
use launcher_core::secret::Secret;

const P: Provider = Provider::Meetingbooster;

/// Beyond this, a wait is a lockout rather than the throttle after one wrong password.
const LOCKOUT_THRESHOLD_SECS: u64 = 60;

fn oauth_url(ep: &MeetingBoosterEndpoint) -> Result<Url, ProviderError> {
    let url = join(&ep.server, "/oauth");
    require_secure(P, &url, ep.allow_http)?;
    Ok(url)
}

fn oauth_error(answer: &Answer) -> ProviderError {
    let body = ErrorBody::parse(&answer.body);
    let retry = crate::providers::errors::clamp_wait(body.retry_in_seconds.unwrap_or(0));
    match (body.error.as_deref(), body.error_state.as_deref()) {
        (_, Some(state)) if state.eq_ignore_ascii_case("FAILEDLOGIN") => {
            if retry > LOCKOUT_THRESHOLD_SECS {
                ProviderError::LockedOut { provider: P, seconds: retry }
            } else {
                ProviderError::WrongCredentials { provider: P, retry_after: retry }
            }
        }
        (Some("invalid_grant"), _) => {
            ProviderError::SignInAgain { provider: P, reason: "the server no longer accepts the saved sign-in".into() }
        }
        (Some("unauthorized_client"), _) => {
            ProviderError::ConfigRejected { provider: P, detail: "the server refused the app (app_id)".into() }
        }
        _ if answer.status.is_server_error() || answer.status == StatusCode::TOO_MANY_REQUESTS => {
            server_trouble(P, answer.status, &answer.headers, &body)
        }
        _ if answer.status == StatusCode::NOT_FOUND => ProviderError::NotConfigured {
            provider: P,
            what: "MeetingBooster server at this address (no /oauth endpoint)".into(),
        },
        _ => ProviderError::Unexpected { provider: P, detail: format!("HTTP {} from /oauth", answer.status.as_u16()) },
    }
}

async fn grant(http: &Client, ep: &MeetingBoosterEndpoint, form: &[(&str, &str)]) -> Result<TokenSet, ProviderError> {
    let answer = send(P, http.post(oauth_url(ep)?).form(form)).await?;
    if !answer.status.is_success() {
        return Err(oauth_error(&answer));
    }
    TokenSet::from_body(&answer.body)
        .ok_or(ProviderError::Unexpected { provider: P, detail: "the /oauth answer had no access_token".into() })
}

pub async fn password(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    username: &str,
    password: &Secret,
) -> Result<TokenSet, ProviderError> {
    let form = [("grant_type", "password"), ("app_id", "Api"), ("username", username), ("password", password.expose())];
    grant(http, ep, &form).await
}

pub async fn refresh(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    refresh_token: &Secret,
) -> Result<TokenSet, ProviderError> {
    let form = [("grant_type", "refresh_token"), ("app_id", "Api"), ("refresh_token", refresh_token.expose())];
    grant(http, ep, &form).await
}

/// Disposes of the tokens on the server. Best effort: the caller deletes its copies whatever happens.
pub async fn sign_out(http: &Client, ep: &MeetingBoosterEndpoint, refresh_token: &Secret) -> Result<(), ProviderError> {
    let form = [("grant_type", "signout"), ("app_id", "Api"), ("refresh_token", refresh_token.expose())];
    let answer = send(P, http.post(oauth_url(ep)?).form(&form)).await?;
    if answer.status.is_success() { Ok(()) } else { Err(oauth_error(&answer)) }
}
