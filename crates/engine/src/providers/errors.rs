//! One error for everything a service can answer or fail with, classified per the join.me FAQ and the other
//! services' documents, each with the action a user can take. Messages never quote a response body: bodies can
//! echo tokens.

use reqwest::StatusCode;
use serde::Deserialize;

use super::Provider;
use super::lenient::{self, Lossy};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("Your {provider} sign-in is no longer valid ({reason}). Sign in again.")]
    SignInAgain { provider: Provider, reason: String },
    #[error("{provider} refused the app's credentials ({detail}). Check the API key (and secret) in Settings.")]
    ConfigRejected { provider: Provider, detail: String },
    #[error(
        "{provider} refused the request's authorization ({detail}). Check the API key, and that the Authorization \
         header is `Bearer <token>`."
    )]
    AuthorizationRejected { provider: Provider, detail: String },
    #[error("{provider} does not allow this: {detail}.")]
    NotPermitted { provider: Provider, detail: String },
    #[error("The user name or password is wrong.{}", wait_text(*.retry_after))]
    WrongCredentials { provider: Provider, retry_after: u64 },
    #[error("Too many failed sign-ins: {provider} locked the account. Wait {seconds} seconds, then try again.")]
    LockedOut { provider: Provider, seconds: u64 },
    #[error("{provider} had a problem (HTTP {status}{}). Try again later.", reference_text(.reference))]
    ServerTrouble { provider: Provider, status: u16, reference: Option<String>, retry_after: Option<u64> },
    #[error("Cannot reach {provider} at {host}: {detail}. Check the network connection, or the proxy in Settings.")]
    Unreachable { provider: Provider, host: String, detail: String },
    #[error("{provider} answered something unexpected: {detail}.")]
    Unexpected { provider: Provider, detail: String },
    #[error("{provider} rejected the request: {message}")]
    Invalid { provider: Provider, message: String },
    #[error("{provider} has no {what}.")]
    NotFound { provider: Provider, what: String },
    #[error("{provider} is not set up: {what}. Add it in Settings.")]
    NotConfigured { provider: Provider, what: String },
    #[error(
        "{url} is not a secure (https) address, so {provider} sign-in would cross the network in the clear. Use \
         https, or allow http explicitly in Settings."
    )]
    Insecure { provider: Provider, url: String },
    #[error("You are not signed in to {provider}.")]
    NotSignedIn { provider: Provider },
    #[error("There is no account “{key}”: `meeting-launcher status` lists the accounts.")]
    UnknownAccount { key: String },
    #[error("The token the browser brought back was issued to another application; it was refused. Sign in again.")]
    ForeignToken { provider: Provider },
    #[error("The network settings are not usable: {detail}.")]
    Network { detail: String },
    #[error(
        "The calendar at {host} no longer answers its private address (HTTP {status}). If the address was reset, \
         remove the calendar and add it again with the new one."
    )]
    FeedRefused { host: String, status: u16 },
    #[error("That calendar cannot be added: {reason}.")]
    FeedAddress { reason: String },
}

fn wait_text(seconds: u64) -> String {
    if seconds > 0 { format!(" You can try again in {seconds} seconds.") } else { String::new() }
}

fn reference_text(reference: &Option<String>) -> String {
    reference.as_ref().map(|r| format!(", reference {r}")).unwrap_or_default()
}

/// What a user can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    SignInAgain,
    CheckSettings,
    CheckPassword,
    Wait { seconds: u64 },
    RetryLater,
    CheckNetwork,
    Reconsent,
    FixInput,
    None,
}

impl ProviderError {
    pub fn action(&self) -> UserAction {
        use ProviderError::*;
        match self {
            SignInAgain { .. } | ForeignToken { .. } | NotSignedIn { .. } => UserAction::SignInAgain,
            ConfigRejected { .. } | AuthorizationRejected { .. } | NotConfigured { .. } | Insecure { .. } => {
                UserAction::CheckSettings
            }
            Network { .. } | FeedRefused { .. } => UserAction::CheckSettings,
            NotPermitted { .. } => UserAction::Reconsent,
            WrongCredentials { retry_after: 0, .. } => UserAction::CheckPassword,
            WrongCredentials { retry_after: seconds, .. } | LockedOut { seconds, .. } => {
                UserAction::Wait { seconds: *seconds }
            }
            ServerTrouble { retry_after: Some(seconds), .. } => UserAction::Wait { seconds: *seconds },
            ServerTrouble { .. } | Unexpected { .. } => UserAction::RetryLater,
            Unreachable { .. } => UserAction::CheckNetwork,
            Invalid { .. } | NotFound { .. } | UnknownAccount { .. } | FeedAddress { .. } => UserAction::FixInput,
        }
    }

    /// Worth retrying by itself, with backoff: the server or the network may recover.
    pub fn is_transient(&self) -> bool {
        matches!(self, ProviderError::ServerTrouble { .. } | ProviderError::Unreachable { .. })
    }

    pub fn from_transport(provider: Provider, url: &url::Url, error: &reqwest::Error) -> Self {
        let host = url.host_str().unwrap_or("?").to_string();
        let detail = if error.is_timeout() {
            "the request timed out".to_string()
        } else if error.is_connect() {
            "the connection failed".to_string()
        } else if error.is_redirect() {
            "it redirected where the app does not follow".to_string()
        } else if error.is_body() || error.is_decode() {
            "the answer broke off".to_string()
        } else {
            "the request failed".to_string()
        };
        ProviderError::Unreachable { provider, host, detail }
    }
}

/// The fields services put in error bodies, read leniently (any casing; JSON, an array of one string, or
/// anything else, which is ignored).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    /// OAuth's (join.me's auth host, MeetingBooster's JSOAuthError).
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub error: Option<String>,
    #[serde(rename = "error_description", default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub description: Option<String>,
    /// join.me's API and MeetingBooster's JSApiError write `Message`; joind.in's array of one string lands here.
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub message: Option<String>,
    #[serde(rename = "ErrorCode", default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub error_code: Option<String>,
    /// join.me's FAQ: the reference of a 500.
    #[serde(rename = "ReferenceNumber", default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_opt_u64")]
    pub retry_in_seconds: Option<u64>,
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    pub error_state: Option<String>,
}

impl ErrorBody {
    pub fn parse(body: &[u8]) -> Self {
        // joind.in's `["<message>"]`.
        if let Ok(messages) = lenient::parse::<Vec<Lossy<String>>>(body) {
            return Self { message: messages.into_iter().next().and_then(|Lossy(m)| m), ..Self::default() };
        }
        lenient::parse(body).unwrap_or_default()
    }

    /// Short text fit to show: the message or description, cut to a sentence's length.
    pub fn summary(&self) -> Option<String> {
        let text = self.message.as_ref().or(self.description.as_ref()).or(self.error.as_ref())?;
        Some(text.chars().take(160).collect())
    }
}

/// The longest wait a server may ask for: a day. A larger number is no sane answer, and would overflow the
/// date arithmetic that turns it into "try again at".
pub const MAX_WAIT: u64 = 86_400;

/// A server-given wait, at most [`MAX_WAIT`].
pub fn clamp_wait(seconds: u64) -> u64 {
    seconds.min(MAX_WAIT)
}

/// `Retry-After` in seconds, when the server sent one (at most [`MAX_WAIT`]).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    // Digits beyond u64 are still "very long".
    let seconds = text.parse::<u64>().ok().or_else(|| text.bytes().all(|b| b.is_ascii_digit()).then_some(u64::MAX))?;
    Some(clamp_wait(seconds))
}

/// The parts of a `WWW-Authenticate: Bearer …` challenge, parsed tolerantly (joind.in forgets a quote).
pub fn bearer_error(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let raw = headers.get(reqwest::header::WWW_AUTHENTICATE)?.to_str().ok()?;
    let start = raw.find("error=")?.saturating_add("error=".len());
    let rest = raw[start..].trim_start_matches('"');
    let end = rest.find(['"', ',']).unwrap_or(rest.len());
    Some(rest[..end].trim().to_string()).filter(|e| !e.is_empty())
}

/// A server-side failure: 5xx, or 429.
pub fn server_trouble(
    provider: Provider,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &ErrorBody,
) -> ProviderError {
    ProviderError::ServerTrouble {
        provider,
        status: status.as_u16(),
        reference: body.reference.clone(),
        retry_after: retry_after(headers).or(body.retry_in_seconds.filter(|s| *s > 0).map(clamp_wait)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn error_bodies_in_every_shape() {
        let faq = ErrorBody::parse(br#"{"StatusCode":500,"ExitPointId":7,"Message":"Unknown internal server error.","ReferenceNumber":"d123"}"#);
        assert_eq!(faq.reference.as_deref(), Some("d123"));
        let oauth = ErrorBody::parse(br#"{"error":"invalid_refresh_token","error_description":""}"#);
        assert_eq!((oauth.error.as_deref(), oauth.description), (Some("invalid_refresh_token"), None));
        let mb =
            ErrorBody::parse(br#"{"error":"unauthorized_client","retry_in_seconds":10,"error_state":"FAILEDLOGIN"}"#);
        assert_eq!((mb.retry_in_seconds, mb.error_state.as_deref()), (Some(10), Some("FAILEDLOGIN")));
        assert_eq!(ErrorBody::parse(br#"["Signin failed"]"#).message.as_deref(), Some("Signin failed"));
        assert_eq!(ErrorBody::parse(b"<h1>Developer Inactive</h1>"), ErrorBody::default());
        assert_eq!(ErrorBody::parse(b""), ErrorBody::default());
    }

    #[test]
    fn error_bodies_in_any_casing_with_numbers_as_strings() {
        let body =
            ErrorBody::parse(br#"{"message": "Not authorized", "errorCode": "forbidden", "Retry_In_Seconds": "30"}"#);
        assert_eq!(body.message.as_deref(), Some("Not authorized"));
        assert_eq!((body.error_code.as_deref(), body.retry_in_seconds), (Some("forbidden"), Some(30)));
        let odd =
            ErrorBody::parse(br#"{"error": 42, "retry_in_seconds": "soon", "error_state": null, "Message": ["x"]}"#);
        assert_eq!(odd, ErrorBody { error: Some("42".into()), ..ErrorBody::default() });
        assert_eq!(ErrorBody::parse(br#"[7]"#), ErrorBody::default(), "only a string is a message");
    }

    #[test]
    fn bearer_challenges_parse_even_when_sloppy() {
        let mut h = HeaderMap::new();
        h.insert("www-authenticate", HeaderValue::from_static("Bearer realm=\"api.join.me\", error=\"invalid_token\""));
        assert_eq!(bearer_error(&h).as_deref(), Some("invalid_token"));
        h.insert("www-authenticate", HeaderValue::from_static("Bearer realm=\"api.joind.in"));
        assert_eq!(bearer_error(&h), None);
        h.insert("www-authenticate", HeaderValue::from_static("Bearer error=insufficient_scope"));
        assert_eq!(bearer_error(&h).as_deref(), Some("insufficient_scope"));
    }

    #[test]
    fn each_error_says_what_to_do() {
        let p = Provider::Joinme;
        assert_eq!(ProviderError::SignInAgain { provider: p, reason: "x".into() }.action(), UserAction::SignInAgain);
        assert_eq!(ProviderError::LockedOut { provider: p, seconds: 300 }.action(), UserAction::Wait { seconds: 300 });
        let trouble =
            ProviderError::ServerTrouble { provider: p, status: 500, reference: Some("d42".into()), retry_after: None };
        assert!(trouble.to_string().contains("d42") && trouble.is_transient());
    }
}
