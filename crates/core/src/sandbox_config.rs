//! The sandbox's self-description: printed as one JSON line at start and served at `/_sandbox/config`. A client
//! pointed at a sandbox reads everything it needs from here; every path below a base is the real service's.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxConfig {
    pub sandbox: SandboxInfo,
    pub joinme: JoinmeConfig,
    pub meetingbooster: MeetingBoosterConfig,
    pub joindin: JoindinConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxInfo {
    /// The root every other URL is under.
    pub base: String,
    /// The operator controls.
    pub control: String,
    pub auto_approve: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinmeConfig {
    /// Stands for `https://secure.join.me/api/public/v1/auth`.
    pub auth_base: String,
    /// Stands for `https://api.join.me/v1`.
    pub api_base: String,
    /// The launcher's API key (a Business key).
    pub client_id: String,
    pub client_secret: String,
    /// The launcher's registered callback URL.
    pub redirect_uri: String,
    /// An API key registered without a secret, for the implicit grant.
    pub implicit_client_id: String,
    /// A Basic (non-Business) API key with a secret, for the "needs a Business plan" path.
    pub basic_client_id: String,
    pub basic_client_secret: String,
    /// The user the authorization page signs in as with `--auto-approve`.
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingBoosterConfig {
    /// The server root: `/oauth` and `/api/v1/…` are below it.
    pub server: String,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoindinConfig {
    /// Stands for `https://joind.in`.
    pub web_base: String,
    /// Stands for `https://api.joind.in`.
    pub api_base: String,
    /// The launcher's consumer key, for `oauth_allow`.
    pub api_key: String,
    /// The callback registered for that key.
    pub callback: String,
    /// The same consumer's key and secret, for the password grant.
    pub client_id: String,
    pub client_secret: String,
    pub username: String,
    pub password: String,
}
