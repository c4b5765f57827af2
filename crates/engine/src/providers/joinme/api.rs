//! api.join.me (`/v1/…`): the user and their conference, scheduled meetings, starting meetings and Business
//! presenters, with the FAQ's errors classified.

use reqwest::{Client, Method, StatusCode};
use serde::Serialize;

use super::model::{
    Conference, Meeting, MeetingInput, MeetingList, NewPresenter, Presenter, PresenterList, StartAdHoc, Started, User,
};
use crate::providers::errors::{ErrorBody, bearer_error, server_trouble};
use crate::providers::http::{Answer, send};
use crate::providers::{JoinmeEndpoint, Provider, ProviderError, join};
use launcher_core::secret::Secret;

const P: Provider = Provider::Joinme;

/// For the calls that send no body.
const NO_BODY: Option<&()> = None;

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
            detail: body.summary().unwrap_or_else(|| "the account or API key lacks this permission".into()),
        },
        StatusCode::UNAUTHORIZED if code == "stale_token" => {
            ProviderError::SignInAgain { provider: P, reason: "the access token expired".into() }
        }
        StatusCode::UNAUTHORIZED => {
            ProviderError::SignInAgain { provider: P, reason: "the permission given to the app was revoked".into() }
        }
        StatusCode::NOT_FOUND => ProviderError::NotFound { provider: P, what: "such item".into() },
        StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ProviderError::Invalid { provider: P, message: body.summary().unwrap_or_else(|| "invalid request".into()) }
        }
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => server_trouble(P, s, &answer.headers, &body),
        s => ProviderError::Unexpected { provider: P, detail: format!("HTTP {}", s.as_u16()) },
    }
}

/// `GET /v1/user`. The docs say 201, the sandbox 200: any 2xx is success.
pub async fn user(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<User, ProviderError> {
    let answer = api(http, ep, access, Method::GET, "/user", NO_BODY).await?;
    let user: User = answer.read(P, "user")?;
    if user.email.is_empty() {
        return Err(ProviderError::Unexpected { provider: P, detail: "the user had no e-mail (email)".into() });
    }
    Ok(user)
}

/// `GET /v1/user/conferencesettings`; `None` for an account without one (the free plan). An answer that cannot be
/// read is a conference with empty fields.
pub async fn conference_settings(
    http: &Client,
    ep: &JoinmeEndpoint,
    access: &Secret,
) -> Result<Option<Conference>, ProviderError> {
    match api(http, ep, access, Method::GET, "/user/conferencesettings", NO_BODY).await {
        Ok(answer) => Ok(Some(answer.parse().unwrap_or_default())),
        Err(ProviderError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One authenticated API call; a non-2xx answer becomes a classified error.
async fn api<B: Serialize + ?Sized>(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<Answer, ProviderError> {
    // The FAQ asks for both headers on every API call.
    let mut request = http
        .request(method, join(&ep.api_base, path))
        .bearer_auth(token.expose())
        .header("Content-Type", "application/json");
    if let Some(body) = body {
        request = request.json(body);
    }
    let answer = send(P, request).await?;
    if answer.status.is_success() { Ok(answer) } else { Err(api_error(&answer)) }
}

/// Upcoming scheduled meetings (those that have not ended), up to `end_date` if given.
pub async fn list_meetings(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    end_date: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<Meeting>, ProviderError> {
    let path = match end_date {
        Some(d) => format!("/meetings?endDate={}", launcher_core::timefmt::iso(d).replace(':', "%3A")),
        None => "/meetings".into(),
    };
    let answer = api(http, ep, token, Method::GET, &path, NO_BODY).await?;
    Ok(answer.read::<MeetingList>(P, "meeting list")?.into_vec())
}

pub async fn get_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<Meeting, ProviderError> {
    api(http, ep, token, Method::GET, &format!("/meetings/{id}"), NO_BODY).await?.read(P, "meeting")
}

pub async fn create_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    input: &MeetingInput,
) -> Result<Meeting, ProviderError> {
    api(http, ep, token, Method::POST, "/meetings", Some(input)).await?.read(P, "new meeting")
}

pub async fn update_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
    input: &MeetingInput,
) -> Result<Meeting, ProviderError> {
    api(http, ep, token, Method::PATCH, &format!("/meetings/{id}"), Some(input)).await?.read(P, "changed meeting")
}

pub async fn delete_meeting(http: &Client, ep: &JoinmeEndpoint, token: &Secret, id: u64) -> Result<(), ProviderError> {
    api(http, ep, token, Method::DELETE, &format!("/meetings/{id}"), NO_BODY).await.map(|_| ())
}

pub async fn start_adhoc(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    personal_url: bool,
) -> Result<Started, ProviderError> {
    let body = StartAdHoc { start_with_personal_url: personal_url, viewer_app_detection: true };
    api(http, ep, token, Method::POST, "/meetings/start", Some(&body)).await?.read(P, "started meeting")
}

pub async fn start_scheduled(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<Started, ProviderError> {
    api(http, ep, token, Method::POST, &format!("/meetings/{id}/start"), NO_BODY).await?.read(P, "started meeting")
}

/// Whether an error means "this account's plan has no presenters" rather than a fault.
pub fn needs_business_plan(error: &ProviderError) -> bool {
    matches!(error, ProviderError::NotPermitted { detail, .. } if detail.contains("Business"))
}

pub async fn presenters(http: &Client, ep: &JoinmeEndpoint, token: &Secret) -> Result<Vec<Presenter>, ProviderError> {
    let answer = api(http, ep, token, Method::GET, "/presenters", NO_BODY).await?;
    Ok(answer.read::<PresenterList>(P, "presenter list")?.into_vec())
}

pub async fn invite_presenter(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    email: &str,
) -> Result<Presenter, ProviderError> {
    api(http, ep, token, Method::POST, "/presenters", Some(&NewPresenter { email })).await?.read(P, "new presenter")
}

/// Removing is a sandbox extension the real API may lack: 404 or 405 then means "not supported".
pub async fn remove_presenter(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<(), ProviderError> {
    match api(http, ep, token, Method::DELETE, &format!("/presenters/{id}"), NO_BODY).await {
        Ok(_) => Ok(()),
        Err(ProviderError::Unexpected { detail, .. }) if detail.contains("405") => Err(ProviderError::NotPermitted {
            provider: P,
            detail: "join.me does not support removing presenters through its API".into(),
        }),
        Err(e) => Err(e),
    }
}
