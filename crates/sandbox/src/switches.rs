//! Switches for the quirks that providers.md leaves open. Defaults are the documented behaviour (or the
//! issue's choice where the two differ); tests flip them to reach the other plausible answers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Switches {
    /// join.me: a loopback `redirect_uri` matches the registered one whatever its port (RFC 8252 §7.3).
    /// Off: exact string match, as the real join.me documents.
    pub joinme_loopback_any_port: bool,
    /// join.me: the port of the launcher's registered loopback Callback URL, as if the app had been registered
    /// with another one (so a test can match exactly on a port the OS handed out). `None`: the seeded 53682.
    pub joinme_registered_port: Option<u16>,
    /// join.me: refuse an authorization without an S256 `code_challenge`, and a token request whose
    /// `code_verifier` does not match it. Off: PKCE parameters are ignored, as an RFC 6749 server does.
    pub joinme_enforce_pkce: bool,
    /// join.me: put `expires_in` (seconds) in `/token` answers. Off by default: a public client noted that the
    /// real service sent none.
    pub joinme_token_expires_in: bool,
    /// join.me: access-token lifetime.
    pub joinme_access_token_secs: i64,
    /// join.me: authorization-code lifetime.
    pub joinme_code_secs: i64,
    /// join.me: how long a token keeps working after `/expireaccess` (the docs say up to 10 minutes).
    pub joinme_expireaccess_delay_secs: i64,
    /// join.me: how long calls answer 500 after the user revokes the app, before 401 starts (FAQ: ~15 min).
    pub joinme_revocation_window_secs: i64,
    /// MeetingBooster: the server's `OauthTimeout` (access-token lifetime).
    pub meetingbooster_oauth_timeout_secs: i64,
    /// MeetingBooster: how `expires_in` is written.
    pub meetingbooster_expires_in: ExpiresInFormat,
    /// MeetingBooster: accept a missing `app_id` on every grant, as the older docs' examples send it.
    pub meetingbooster_app_id_optional: bool,
    /// MeetingBooster: seconds a user must wait after a failed login.
    pub meetingbooster_retry_secs: i64,
    /// MeetingBooster: consecutive failures after which the account is locked for `lockout_secs`.
    pub meetingbooster_lockout_after: u32,
    pub meetingbooster_lockout_secs: i64,
    /// joind.in: the callback of `oauth_allow` may differ from the registered one in its loopback port.
    pub joindin_loopback_any_port: bool,
    /// joind.in: turn numeric-looking strings into JSON numbers, as the real server does.
    pub joindin_numeric_coercion: bool,
    /// joind.in: issue tokens that look numeric (and so arrive as JSON numbers).
    pub joindin_numeric_tokens: bool,
    /// joind.in: delete the launcher's tokens after this many idle seconds (the website's consumer behaviour).
    pub joindin_token_idle_secs: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiresInFormat {
    /// `"1200"`: seconds as a JSON string, like the docs' example.
    String,
    /// `1200`: seconds as a JSON number.
    Number,
    /// `"60"`: the docs' literal, whatever the real timeout.
    DocsLiteral,
}

impl Default for Switches {
    fn default() -> Self {
        Self {
            joinme_loopback_any_port: true,
            joinme_registered_port: None,
            joinme_enforce_pkce: false,
            joinme_token_expires_in: false,
            joinme_access_token_secs: 24 * 3600,
            joinme_code_secs: 600,
            joinme_expireaccess_delay_secs: 0,
            joinme_revocation_window_secs: 0,
            meetingbooster_oauth_timeout_secs: 20 * 60,
            meetingbooster_expires_in: ExpiresInFormat::String,
            meetingbooster_app_id_optional: false,
            meetingbooster_retry_secs: 10,
            meetingbooster_lockout_after: 5,
            meetingbooster_lockout_secs: 300,
            joindin_loopback_any_port: false,
            joindin_numeric_coercion: true,
            joindin_numeric_tokens: false,
            joindin_token_idle_secs: None,
        }
    }
}

impl Switches {
    /// Applies a partial JSON object on top of the current switches; unknown names are an error.
    pub fn merged(&self, patch: &serde_json::Value) -> Result<Self, String> {
        let Some(patch) = patch.as_object() else {
            return Err("switches must be a JSON object".into());
        };
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let target = current.as_object_mut().expect("switches serialize to an object");
        for (key, value) in patch {
            if !target.contains_key(key) {
                return Err(format!("unknown switch `{key}`"));
            }
            target.insert(key.clone(), value.clone());
        }
        serde_json::from_value(current).map_err(|e| e.to_string())
    }
}
