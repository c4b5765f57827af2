//! A MeetingBooster server's `/oauth` endpoint: password, refresh and sign-out grants, JSOAuthError read as the
//! docs describe it.

use reqwest::{Client, StatusCode};
use url::Url;

use super::errors::{ErrorBody, server_trouble};
use super::http::{Answer, require_secure, send};
use super::{MeetingBoosterEndpoint, Provider, ProviderError, TokenSet, join, lenient};
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
    let retry = body.retry_in_seconds.unwrap_or(0);
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
    answer
        .json()
        .as_ref()
        .and_then(TokenSet::from_json)
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub email: String,
}

/// The signed-in user. `users/me` is not documented: a server without it leaves the name unknown.
pub async fn me(http: &Client, ep: &MeetingBoosterEndpoint, access: &Secret) -> Result<Option<User>, ProviderError> {
    let answer = send(P, http.get(join(&ep.server, "/api/v1/users/me")).bearer_auth(access.expose())).await?;
    match answer.status {
        s if s.is_success() => {
            let value = answer.json().unwrap_or_default();
            let field = |k: &str| value.get(k).and_then(lenient::text).unwrap_or_default();
            Ok(Some(User { name: field("Name"), email: field("Email") }))
        }
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Ok(None),
        StatusCode::UNAUTHORIZED => {
            Err(ProviderError::SignInAgain { provider: P, reason: "the access token was refused".into() })
        }
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

async fn api(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<Answer, ProviderError> {
    let url = join(&ep.server, &format!("/api/v1{path}"));
    require_secure(P, &url, ep.allow_http)?;
    let mut request = http.request(method, url).bearer_auth(token.expose()).header("Accept", "application/json");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = send(P, request).await?;
    // Success is 200; the tolerance rule takes any 2xx.
    if answer.status.is_success() { Ok(answer) } else { Err(api_error(&answer)) }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    /// As the server says it (`PENDING`, `ACCEPTED`, …); unknown values are kept as text.
    pub status: String,
    pub co_host: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// A guid (or a legacy integer), as text.
    pub id: String,
    pub title: String,
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    pub location: String,
    pub host_email: String,
    pub invitations: Vec<Invitation>,
}

/// Case-insensitive property lookup: the server's Json.NET is, so other servers' casing may vary.
fn prop<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).filter(|v| !v.is_null())
}

const INVITATION_STATES: &[&str] = &["PENDING", "ACCEPTED", "DECLINED", "TENTATIVE"];

impl Meeting {
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        let text = |k: &str| prop(v, k).and_then(lenient::text).unwrap_or_default();
        let invitations = prop(v, "Invitations")
            .and_then(|i| i.as_array())
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        let user = prop(i, "User");
                        let user_text =
                            |k: &str| user.and_then(|u| prop(u, k)).and_then(lenient::text).unwrap_or_default();
                        // Enums come as strings or as integers in declared order.
                        let status = match prop(i, "Status") {
                            Some(serde_json::Value::Number(n)) => n
                                .as_u64()
                                .and_then(|n| INVITATION_STATES.get(n as usize))
                                .map(|s| s.to_string())
                                .unwrap_or_else(|| n.to_string()),
                            Some(other) => lenient::text(other).unwrap_or_default().to_ascii_uppercase(),
                            None => "PENDING".into(),
                        };
                        Invitation {
                            email: user_text("Email"),
                            name: user_text("Name"),
                            status,
                            co_host: prop(i, "IsCoHost").and_then(lenient::boolean).unwrap_or(false),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            id: prop(v, "Id").and_then(lenient::text)?,
            title: text("Title"),
            start: prop(v, "Start").and_then(lenient::datetime)?,
            end: prop(v, "End").and_then(lenient::datetime)?,
            location: text("Location"),
            host_email: prop(v, "Host").and_then(|h| prop(h, "Email")).and_then(lenient::text).unwrap_or_default(),
            invitations,
        })
    }

    fn json(&self) -> serde_json::Value {
        let invitations: Vec<serde_json::Value> = self
            .invitations
            .iter()
            .map(|i| serde_json::json!({ "User": { "Email": i.email, "Name": i.name }, "Required": true, "IsCoHost": i.co_host }))
            .collect();
        serde_json::json!({
            "Id": self.id,
            "Title": self.title,
            "Start": launcher_core::timefmt::iso(self.start),
            "End": launcher_core::timefmt::iso(self.end),
            "Location": self.location,
            "Invitations": invitations,
            "SendInvitations": !self.invitations.is_empty(),
        })
    }
}

/// One change the sync endpoint reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Upsert(Meeting),
    Deleted { id: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sync {
    pub changes: Vec<Change>,
    pub sync_token: Option<String>,
    /// No token was sent: the changes are the whole list.
    pub full: bool,
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
    let answer = api(http, ep, token, reqwest::Method::GET, &path, None).await?;
    let value = answer
        .json()
        .ok_or(ProviderError::Unexpected { provider: P, detail: "the sync answer could not be read".into() })?;
    let entries = prop(&value, "Meetings").and_then(|m| m.as_array()).cloned().unwrap_or_default();
    let mut changes = Vec::new();
    for entry in entries {
        let state = prop(&entry, "State").and_then(lenient::text).unwrap_or_default().to_ascii_uppercase();
        let meeting = prop(&entry, "Meeting").cloned().unwrap_or_default();
        if state == "DELETED" || state == "2" {
            let id = prop(&meeting, "Id")
                .and_then(lenient::text)
                .or_else(|| prop(&entry, "ClientSyncId").and_then(lenient::text));
            if let Some(id) = id {
                changes.push(Change::Deleted { id });
            }
        } else if let Some(m) = Meeting::from_json(&meeting) {
            changes.push(Change::Upsert(m));
        }
    }
    Ok(Sync {
        // An unknown token also gets everything back, as NEW: applying by id makes that harmless.
        full: sync_token.is_none(),
        changes,
        sync_token: prop(&value, "SyncToken").and_then(lenient::text),
    })
}

/// Creates a meeting under the id the client chose: a retry of the same create cannot make a second one.
pub async fn create(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    meeting: &Meeting,
) -> Result<Meeting, ProviderError> {
    let answer = api(http, ep, token, reqwest::Method::POST, "/meetings", Some(meeting.json())).await?;
    Meeting::from_json(&answer.json().unwrap_or_default())
        .ok_or(ProviderError::Unexpected { provider: P, detail: "the new meeting could not be read".into() })
}

/// The meeting with this id, or `None` if the server has none.
pub async fn get(
    http: &Client,
    ep: &MeetingBoosterEndpoint,
    token: &Secret,
    id: &str,
) -> Result<Option<Meeting>, ProviderError> {
    match api(http, ep, token, reqwest::Method::GET, &format!("/meetings/{id}"), None).await {
        Ok(answer) => Ok(Meeting::from_json(&answer.json().unwrap_or_default())),
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
    let answer =
        api(http, ep, token, reqwest::Method::PUT, &format!("/meetings/{}", meeting.id), Some(meeting.json())).await?;
    Meeting::from_json(&answer.json().unwrap_or_default())
        .ok_or(ProviderError::Unexpected { provider: P, detail: "the changed meeting could not be read".into() })
}

pub async fn delete(http: &Client, ep: &MeetingBoosterEndpoint, token: &Secret, id: &str) -> Result<(), ProviderError> {
    match api(http, ep, token, reqwest::Method::DELETE, &format!("/meetings/{id}"), None).await {
        Ok(_) | Err(ProviderError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn meetings_are_read_in_any_casing_with_enums_as_text_or_numbers() {
        let m = Meeting::from_json(&json!({
            "id": 1042, "title": "Budget", "START": "2017-05-17T08:21:10Z", "End": "2017-05-17T09:21:10Z",
            "Host": { "Email": "a@x.com" },
            "Invitations": [
                { "User": { "Email": "b@x.com" }, "Status": 1, "IsCoHost": true },
                { "User": { "Email": "c@x.com" }, "Status": "maybe-later" },
            ],
        }))
        .unwrap();
        assert_eq!(m.id, "1042", "a legacy integer id, kept as text");
        assert_eq!(m.invitations[0].status, "ACCEPTED");
        assert!(m.invitations[0].co_host);
        assert_eq!(m.invitations[1].status, "MAYBE-LATER", "unknown values are kept");
    }
}
