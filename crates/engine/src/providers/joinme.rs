//! join.me's OAuth endpoints and the parts of its API the sign-in needs, with the FAQ's errors classified.

use reqwest::{Client, StatusCode};
use serde_json::json;
use url::Url;

use super::errors::{ErrorBody, bearer_error, server_trouble};
use super::http::{Answer, send};
use super::{JoinmeEndpoint, Provider, ProviderError, TokenSet, join, lenient};
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
    answer
        .json()
        .as_ref()
        .and_then(TokenSet::from_json)
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
        return Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::parse(&answer.body)));
    }
    if !answer.status.is_success() {
        return Err(ProviderError::SignInAgain { provider: P, reason: "join.me does not recognise the token".into() });
    }
    let value = answer.json().unwrap_or_default();
    let client_id = value
        .get("client_id")
        .and_then(lenient::text)
        .ok_or(ProviderError::Unexpected { provider: P, detail: "tokenInfo named no client".into() })?;
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
    let success = answer.json().and_then(|v| v.get("success").and_then(lenient::boolean)).unwrap_or(false);
    if answer.status.is_success() && success {
        Ok(())
    } else if answer.status.is_server_error() {
        Err(server_trouble(P, answer.status, &answer.headers, &ErrorBody::parse(&answer.body)))
    } else {
        Err(ProviderError::Unexpected { provider: P, detail: "join.me did not expire the access token".into() })
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub email: String,
    pub full_name: String,
    /// `Free`, `Pro`, `Business`, … as the service names it.
    pub plan: String,
    /// Only when set, and never on the free plan.
    pub personal_url: Option<String>,
}

/// `GET /v1/user`. The docs say 201, the sandbox 200: any 2xx is success.
pub async fn user(http: &Client, ep: &JoinmeEndpoint, access: &Secret) -> Result<User, ProviderError> {
    let answer = api(http, ep, access, reqwest::Method::GET, "/user", None).await?;
    let value = answer.json().unwrap_or_default();
    let text = |k: &str| value.get(k).and_then(lenient::text).unwrap_or_default();
    let email = text("email");
    if email.is_empty() {
        return Err(ProviderError::Unexpected { provider: P, detail: "the user had no e-mail".into() });
    }
    Ok(User {
        full_name: text("fullName"),
        plan: text("subscriptionType"),
        personal_url: value.get("personalUrl").and_then(lenient::text).filter(|u| !u.is_empty()),
        email,
    })
}

/// The audio conference of an account: the number page, the conference id and the organizer code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conference {
    pub conference_id: String,
    pub call_numbers_url: String,
    pub organizer_code: String,
}

/// `GET /v1/user/conferencesettings`; `None` for an account without one (the free plan).
pub async fn conference_settings(
    http: &Client,
    ep: &JoinmeEndpoint,
    access: &Secret,
) -> Result<Option<Conference>, ProviderError> {
    match api(http, ep, access, reqwest::Method::GET, "/user/conferencesettings", None).await {
        Ok(answer) => {
            let value = answer.json().unwrap_or_default();
            let text = |k: &str| value.get(k).and_then(lenient::text).unwrap_or_default();
            Ok(Some(Conference {
                conference_id: text("conferenceId"),
                call_numbers_url: text("conferenceCallNumbersUrl"),
                organizer_code: text("organizerCode"),
            }))
        }
        Err(ProviderError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One authenticated API call; a non-2xx answer becomes a classified error.
async fn api(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<Answer, ProviderError> {
    // The FAQ asks for both headers on every API call.
    let mut request = http
        .request(method, join(&ep.api_base, path))
        .bearer_auth(token.expose())
        .header("Content-Type", "application/json");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = send(P, request).await?;
    if answer.status.is_success() { Ok(answer) } else { Err(api_error(&answer)) }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: u64,
    pub name: String,
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    pub start_with_personal_url: bool,
    /// Absent from list items; present on a single meeting.
    pub participants: Option<Vec<String>>,
    pub viewer_link: Option<String>,
}

impl Meeting {
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        Some(Self {
            id: v.get("meetingId").and_then(lenient::text)?.parse().ok()?,
            name: v.get("meetingName").and_then(lenient::text).unwrap_or_default(),
            start: v.get("meetingStart").and_then(lenient::datetime)?,
            end: v.get("meetingEnd").and_then(lenient::datetime)?,
            start_with_personal_url: v.get("startWithPersonalUrl").and_then(lenient::boolean).unwrap_or(false),
            participants: v
                .get("participants")
                .and_then(|p| p.as_array())
                .map(|a| a.iter().filter_map(lenient::text).collect()),
            viewer_link: v.get("viewerLink").and_then(lenient::text),
        })
    }
}

/// A list that may come as `{"<name>": [...]}`, under another known name, or bare.
fn list_of(value: &serde_json::Value, names: &[&str]) -> Vec<serde_json::Value> {
    if let Some(items) = value.as_array() {
        return items.clone();
    }
    names.iter().find_map(|n| value.get(n).and_then(|v| v.as_array()).cloned()).unwrap_or_default()
}

fn unexpected(what: &str) -> ProviderError {
    ProviderError::Unexpected { provider: P, detail: format!("the {what} could not be read") }
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
    let answer = api(http, ep, token, reqwest::Method::GET, &path, None).await?;
    let value = answer.json().ok_or_else(|| unexpected("meeting list"))?;
    Ok(list_of(&value, &["meetings"]).iter().filter_map(Meeting::from_json).collect())
}

pub async fn get_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<Meeting, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::GET, &format!("/meetings/{id}"), None).await?;
    answer.json().as_ref().and_then(Meeting::from_json).ok_or_else(|| unexpected("meeting"))
}

/// What a create or an edit sends.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingInput {
    pub name: String,
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    pub participants: Vec<String>,
    pub start_with_personal_url: bool,
}

impl MeetingInput {
    fn json(&self) -> serde_json::Value {
        json!({
            "meetingName": self.name,
            "meetingStart": launcher_core::timefmt::iso(self.start),
            "meetingEnd": launcher_core::timefmt::iso(self.end),
            "participants": self.participants,
            "startWithPersonalUrl": self.start_with_personal_url,
        })
    }
}

pub async fn create_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    input: &MeetingInput,
) -> Result<Meeting, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::POST, "/meetings", Some(input.json())).await?;
    answer.json().as_ref().and_then(Meeting::from_json).ok_or_else(|| unexpected("new meeting"))
}

pub async fn update_meeting(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
    input: &MeetingInput,
) -> Result<Meeting, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::PATCH, &format!("/meetings/{id}"), Some(input.json())).await?;
    answer.json().as_ref().and_then(Meeting::from_json).ok_or_else(|| unexpected("changed meeting"))
}

pub async fn delete_meeting(http: &Client, ep: &JoinmeEndpoint, token: &Secret, id: u64) -> Result<(), ProviderError> {
    api(http, ep, token, reqwest::Method::DELETE, &format!("/meetings/{id}"), None).await.map(|_| ())
}

/// A started meeting: the presenter link (one use, ten minutes) and the link viewers join with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub presenter_link: String,
    pub viewer_link: String,
}

fn started(answer: &Answer) -> Result<Started, ProviderError> {
    let value = answer.json().ok_or_else(|| unexpected("started meeting"))?;
    let link = |k: &str| value.get(k).and_then(lenient::text).filter(|l| l.starts_with("http"));
    match (link("presenterLink"), link("viewerLink")) {
        (Some(presenter_link), Some(viewer_link)) => Ok(Started { presenter_link, viewer_link }),
        _ => Err(unexpected("meeting links")),
    }
}

pub async fn start_adhoc(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    personal_url: bool,
) -> Result<Started, ProviderError> {
    let body = json!({ "startWithPersonalUrl": personal_url, "viewerAppDetection": true });
    started(&api(http, ep, token, reqwest::Method::POST, "/meetings/start", Some(body)).await?)
}

pub async fn start_scheduled(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<Started, ProviderError> {
    started(&api(http, ep, token, reqwest::Method::POST, &format!("/meetings/{id}/start"), None).await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presenter {
    pub id: u64,
    pub email: String,
    pub invitation_accepted: bool,
    pub seat_assigned: bool,
}

impl Presenter {
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        Some(Self {
            id: v.get("id").and_then(lenient::text)?.parse().ok()?,
            email: v.get("email").and_then(lenient::text)?,
            invitation_accepted: v.get("isInvitationAccepted").and_then(lenient::boolean).unwrap_or(false),
            seat_assigned: v.get("isSeatAssigned").and_then(lenient::boolean).unwrap_or(false),
        })
    }
}

/// Whether an error means "this account's plan has no presenters" rather than a fault.
pub fn needs_business_plan(error: &ProviderError) -> bool {
    matches!(error, ProviderError::NotPermitted { detail, .. } if detail.contains("Business"))
}

pub async fn presenters(http: &Client, ep: &JoinmeEndpoint, token: &Secret) -> Result<Vec<Presenter>, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::GET, "/presenters", None).await?;
    let value = answer.json().ok_or_else(|| unexpected("presenter list"))?;
    // The docs never showed the wrapper: accept `presenters`, `meetings` (their example's copy) or a bare list.
    Ok(list_of(&value, &["presenters", "meetings"]).iter().filter_map(Presenter::from_json).collect())
}

pub async fn invite_presenter(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    email: &str,
) -> Result<Presenter, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::POST, "/presenters", Some(json!({ "email": email }))).await?;
    answer.json().as_ref().and_then(Presenter::from_json).ok_or_else(|| unexpected("new presenter"))
}

/// Removing is a sandbox extension the real API may lack: 404 or 405 then means "not supported".
pub async fn remove_presenter(
    http: &Client,
    ep: &JoinmeEndpoint,
    token: &Secret,
    id: u64,
) -> Result<(), ProviderError> {
    match api(http, ep, token, reqwest::Method::DELETE, &format!("/presenters/{id}"), None).await {
        Ok(_) => Ok(()),
        Err(ProviderError::Unexpected { detail, .. }) if detail.contains("405") => Err(ProviderError::NotPermitted {
            provider: P,
            detail: "join.me does not support removing presenters through its API".into(),
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_under_any_wrapper_the_docs_allow() {
        let item =
            json!({ "id": 7, "email": "p@example.com", "isInvitationAccepted": "true", "isSeatAssigned": false });
        for body in [json!({ "presenters": [item] }), json!({ "meetings": [item] }), json!([item])] {
            let list: Vec<Presenter> =
                list_of(&body, &["presenters", "meetings"]).iter().filter_map(Presenter::from_json).collect();
            assert_eq!(
                list,
                [Presenter { id: 7, email: "p@example.com".into(), invitation_accepted: true, seat_assigned: false }]
            );
        }
    }

    #[test]
    fn meetings_read_ids_as_strings_or_numbers_and_dates_without_a_zone() {
        let m = Meeting::from_json(&json!({
            "meetingId": "81200001", "meetingName": "Stand-up", "meetingStart": "2015-06-02T09:00:00",
            "meetingEnd": "2015-06-02T09:15:00Z", "startWithPersonalUrl": "false", "extra": 1,
        }))
        .unwrap();
        assert_eq!(m.id, 81200001);
        assert_eq!((m.end - m.start).num_minutes(), 15);
        assert_eq!(m.participants, None);
    }
}
