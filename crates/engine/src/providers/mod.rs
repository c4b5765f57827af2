//! The three meeting services as the client sees them: where they are, how their token endpoints answer, and
//! how their errors read. One folder per service (`oauth`, `api`, and the `model` of the objects they exchange);
//! `http` builds the one kind of client they all use, `lenient` reads what the services send.

// Dates and waits here come from servers: no arithmetic that can overflow or panic (checked or saturating).
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

pub mod calendar;
pub mod errors;
pub mod http;
pub mod joindin;
pub mod joinme;
pub mod lenient;
pub mod meetingbooster;
mod tls;

use serde::Deserialize;
use url::Url;

use crate::settings::Settings;
use launcher_core::sandbox_config::SandboxConfig;
use launcher_core::secret::Secret;

pub use errors::{ProviderError, UserAction};

pub use launcher_core::Provider;

/// join.me as configured: both hosts, the API key, and the secret when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinmeEndpoint {
    pub auth_base: Url,
    pub api_base: Url,
    pub client_id: String,
    /// With a secret: the authorization code grant. Without: the implicit grant.
    pub client_secret: Option<Secret>,
    /// 0: any port (servers that follow RFC 8252 §7.3); otherwise the registered one.
    pub callback_port: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingBoosterEndpoint {
    pub server: Url,
    pub allow_http: bool,
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JoindinEndpoint {
    pub web_base: Url,
    pub api_base: Url,
    pub api_key: String,
    /// The consumer secret, for the password grant.
    pub client_secret: Option<Secret>,
    pub callback_port: u16,
}

/// Every configured service. A service that is not configured is `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Endpoints {
    pub joinme: Option<JoinmeEndpoint>,
    pub meetingbooster: Option<MeetingBoosterEndpoint>,
    pub joindin: Option<JoindinEndpoint>,
    /// Set when these point at a sandbox (demo mode or `--sandbox`).
    pub sandbox: Option<String>,
}

/// The real services' fixed addresses.
pub const JOINME_AUTH_BASE: &str = "https://secure.join.me/api/public/v1/auth";
pub const JOINME_API_BASE: &str = "https://api.join.me/v1";
pub const JOINDIN_WEB_BASE: &str = "https://joind.in";
pub const JOINDIN_API_BASE: &str = "https://api.joind.in";

/// Secrets that belong to the app's configuration (not to an account), kept in the keychain.
#[derive(Debug, Clone, Default)]
pub struct ConfigSecrets {
    pub joinme_client_secret: Option<Secret>,
    pub joindin_client_secret: Option<Secret>,
}

fn parse(url: &str) -> Option<Url> {
    Url::parse(url.trim_end_matches('/')).ok()
}

impl Endpoints {
    /// The real services, as the settings configure them.
    pub fn from_settings(settings: &Settings, secrets: &ConfigSecrets) -> Self {
        let joinme = settings.joinme.api_key.as_ref().filter(|k| !k.trim().is_empty()).map(|key| JoinmeEndpoint {
            auth_base: parse(JOINME_AUTH_BASE).expect("valid"),
            api_base: parse(JOINME_API_BASE).expect("valid"),
            client_id: key.trim().to_string(),
            client_secret: secrets.joinme_client_secret.clone(),
            callback_port: settings.joinme.callback_port,
        });
        let meetingbooster =
            settings.meetingbooster.server.as_deref().and_then(parse).map(|server| MeetingBoosterEndpoint {
                server,
                allow_http: settings.meetingbooster.allow_http,
                username: settings.meetingbooster.username.clone(),
            });
        let joindin = settings.joindin.api_key.as_ref().filter(|k| !k.trim().is_empty()).map(|key| JoindinEndpoint {
            web_base: parse(JOINDIN_WEB_BASE).expect("valid"),
            api_base: parse(JOINDIN_API_BASE).expect("valid"),
            api_key: key.trim().to_string(),
            client_secret: secrets.joindin_client_secret.clone(),
            callback_port: settings.joindin.callback_port,
        });
        Self { joinme, meetingbooster, joindin, sandbox: None }
    }

    /// The services the settings name, as the organization's policies allow them (a managed client secret
    /// stands in for the keychain's).
    pub fn from_policy(settings: &Settings, secrets: ConfigSecrets, policies: &crate::settings::Policies) -> Self {
        let mut secrets = secrets;
        if let Some(secret) = policies.joinme_client_secret() {
            secrets.joinme_client_secret = Some(secret);
        }
        let mut endpoints = Self::from_settings(settings, &secrets);
        endpoints.restrict(&policies.allowed_providers());
        endpoints
    }

    /// Drops the services not in `allowed`.
    pub fn restrict(&mut self, allowed: &[Provider]) {
        if !allowed.contains(&Provider::Joinme) {
            self.joinme = None;
        }
        if !allowed.contains(&Provider::Meetingbooster) {
            self.meetingbooster = None;
        }
        if !allowed.contains(&Provider::Joindin) {
            self.joindin = None;
        }
    }

    /// Every service pointed at a sandbox, with the launcher's keys from its self-description. join.me's
    /// callback port is free (the sandbox matches loopback callbacks port-free, as RFC 8252 asks); joind.in's
    /// is the registered one, which it matches exactly.
    pub fn from_sandbox(config: &SandboxConfig) -> Self {
        let registered_port = |uri: &str| Url::parse(uri).ok().and_then(|u| u.port()).unwrap_or(0);
        Self {
            joinme: Some(JoinmeEndpoint {
                auth_base: parse(&config.joinme.auth_base).expect("the sandbox's URLs are valid"),
                api_base: parse(&config.joinme.api_base).expect("valid"),
                client_id: config.joinme.client_id.clone(),
                client_secret: Some(Secret::new(config.joinme.client_secret.clone())),
                callback_port: 0,
            }),
            meetingbooster: Some(MeetingBoosterEndpoint {
                server: parse(&config.meetingbooster.server).expect("valid"),
                allow_http: true,
                username: Some(config.meetingbooster.username.clone()),
            }),
            joindin: Some(JoindinEndpoint {
                web_base: parse(&config.joindin.web_base).expect("valid"),
                api_base: parse(&config.joindin.api_base).expect("valid"),
                api_key: config.joindin.api_key.clone(),
                client_secret: Some(Secret::new(config.joindin.client_secret.clone())),
                callback_port: registered_port(&config.joindin.callback),
            }),
            sandbox: Some(config.sandbox.base.clone()),
        }
    }

    /// join.me's endpoint, or the error that says it is not set up.
    pub fn joinme(&self) -> Result<&JoinmeEndpoint, ProviderError> {
        self.joinme.as_ref().ok_or(ProviderError::NotConfigured { provider: Provider::Joinme, what: "API key".into() })
    }

    pub fn meetingbooster(&self) -> Result<&MeetingBoosterEndpoint, ProviderError> {
        self.meetingbooster
            .as_ref()
            .ok_or(ProviderError::NotConfigured { provider: Provider::Meetingbooster, what: "server address".into() })
    }

    pub fn joindin(&self) -> Result<&JoindinEndpoint, ProviderError> {
        self.joindin
            .as_ref()
            .ok_or(ProviderError::NotConfigured { provider: Provider::Joindin, what: "API key".into() })
    }

    pub fn is_configured(&self, provider: Provider) -> bool {
        match provider {
            Provider::Joinme => self.joinme.is_some(),
            Provider::Meetingbooster => self.meetingbooster.is_some(),
            Provider::Joindin => self.joindin.is_some(),
            // Each feed carries its own address.
            Provider::Calendar => true,
        }
    }

    /// What identifies the service an account belongs to: accounts of other servers are not this run's.
    pub fn realm(&self, provider: Provider) -> Option<String> {
        let host = |u: &Url| {
            format!("{}{}", u.host_str().unwrap_or(""), u.port().map(|p| format!(":{p}")).unwrap_or_default())
        };
        match provider {
            Provider::Joinme => self.joinme.as_ref().map(|e| host(&e.auth_base)),
            Provider::Meetingbooster => {
                self.meetingbooster.as_ref().map(|e| format!("{}{}", host(&e.server), e.server.path()))
            }
            Provider::Joindin => self.joindin.as_ref().map(|e| host(&e.api_base)),
            // Each feed is its own realm (its host), whatever services this run talks to.
            Provider::Calendar => None,
        }
    }
}

/// `base` joined with `path` (which starts with `/` and may carry a query), keeping the base's own path.
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    url.set_path(&format!("{}{}", base.path().trim_end_matches('/'), path));
    url.set_query(query);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_the_base_path_and_the_query() {
        let base = Url::parse("http://127.0.0.1:8421/meetingbooster").unwrap();
        assert_eq!(join(&base, "/api/v1/users").as_str(), "http://127.0.0.1:8421/meetingbooster/api/v1/users");
        assert_eq!(join(&base, "/a?x=1&y=2").as_str(), "http://127.0.0.1:8421/meetingbooster/a?x=1&y=2");
    }

    #[test]
    fn token_answers_with_lifetimes_as_strings_or_numbers_or_none() {
        let mb =
            TokenSet::from_body(br#"{"expires_in": "1200", "refresh_token": "r-1", "access_token": "a-1"}"#).unwrap();
        assert_eq!(
            (mb.access.expose(), mb.refresh.as_ref().map(Secret::expose), mb.expires_in),
            ("a-1", Some("r-1"), Some(1200))
        );
        let joinme =
            TokenSet::from_body(br#"{"access_token": "a-2", "refresh_token": "", "token_type": "bearer"}"#).unwrap();
        assert_eq!((joinme.refresh.is_none(), joinme.expires_in), (true, None), "an empty refresh token is none");
        assert_eq!(
            TokenSet::from_body(br#"{"access_token": 1234, "expires_in": 60}"#).unwrap().access.expose(),
            "1234"
        );
        assert_eq!(TokenSet::from_body(br#"{"access_token": "a", "expires_in": "soon"}"#).unwrap().expires_in, None);
        for body in [&br#"{"access_token": ""}"#[..], br#"{"refresh_token": "r"}"#, b"[]", b"<html>"] {
            assert!(TokenSet::from_body(body).is_none(), "{}", String::from_utf8_lossy(body));
        }
    }
}

/// What a token endpoint gave: an access token, maybe a refresh token, maybe a lifetime in seconds.
#[derive(Debug, Clone)]
pub struct TokenSet {
    pub access: Secret,
    pub refresh: Option<Secret>,
    pub expires_in: Option<i64>,
}

/// A token answer as join.me's `/token` and MeetingBooster's JSOAuthResponse write it (RFC 6749 §5.1 names),
/// values as strings or numbers.
#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    access_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_opt_nonempty_text")]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::de_opt_seconds")]
    expires_in: Option<i64>,
}

impl TokenSet {
    /// Reads a token answer; `None` when it holds no `access_token`.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        let answer: TokenAnswer = lenient::parse(body).ok()?;
        Some(Self {
            access: Secret::new(answer.access_token?),
            refresh: answer.refresh_token.map(Secret::new),
            expires_in: answer.expires_in,
        })
    }
}
