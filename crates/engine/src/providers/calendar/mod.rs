//! Calendar feeds: a calendar's private iCalendar address (Google, Outlook, Fastmail, any server that publishes
//! one), fetched politely (conditional requests, a size cap) and read by [`ics`]. The address is a password to
//! the calendar: it is kept in the keychain, and only its host is ever shown or logged.

pub mod ics;
mod rules;
mod zones;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use url::Url;

use super::http;
use super::{Provider, ProviderError};
use launcher_core::secret::Secret;

/// The largest feed read. A calendar of many years is a few MB; tens of MB is not a calendar anyone reads.
pub const MAX_FEED: usize = 16 * 1024 * 1024;

/// A feed address as the user gave it, checked: `https` (or `webcal`, which calendars publish and means https),
/// or `http` to this machine or where the user allowed it. Errors name only the host.
pub fn check_address(address: &str, allow_http: bool) -> Result<Url, ProviderError> {
    let insecure = |url: &Url| ProviderError::Insecure {
        provider: Provider::Calendar,
        url: format!("{}://{}", url.scheme(), url.host_str().unwrap_or("?")),
    };
    let mut url = Url::parse(address.trim()).map_err(|_| ProviderError::FeedAddress {
        reason: "that is not a web address (it should start with https:// or webcal://)".into(),
    })?;
    if url.scheme() == "webcal" || url.scheme() == "webcals" {
        url = Url::parse(&format!("https{}", &url.as_str()[url.scheme().len()..])).map_err(|_| insecure(&url))?;
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ProviderError::FeedAddress { reason: "the address names no host".into() });
    }
    http::require_secure(Provider::Calendar, &url, allow_http).map_err(|_| insecure(&url))?;
    Ok(url)
}

/// What may be shown of an address: its host (and port), never the path or query that make it private.
pub fn host_of(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or("?")),
        None => url.host_str().unwrap_or("?").to_string(),
    }
}

/// What the server said identifies the version we hold, sent back so an unchanged feed costs no body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A calendar just added, as its first fetch found it.
#[derive(Debug)]
pub struct Added {
    pub address: Secret,
    pub validators: Validators,
    pub feed: ics::Feed,
}

/// A fetch's outcome.
pub enum Fetched {
    /// 304: the version held is current.
    NotModified,
    /// A new version, with what identifies it.
    Changed { text: String, validators: Validators },
}

/// Redirects followed: published calendars are often served through one (a CDN, a renamed host).
const MAX_REDIRECTS: usize = 3;

/// Fetches the feed at `address`, conditionally when `held` names a version. Up to [`MAX_REDIRECTS`] redirects
/// are followed, to https or within the same origin only (never from https down to http); none is logged.
pub async fn fetch(client: &reqwest::Client, address: &Secret, held: &Validators) -> Result<Fetched, ProviderError> {
    let mut url = Url::parse(address.expose()).map_err(|_| ProviderError::FeedAddress {
        reason: "the saved address is not a web address; remove the calendar and add it again".into(),
    })?;
    let mut hops = 0;
    loop {
        let mut request = client.get(url.clone()).header(reqwest::header::ACCEPT, "text/calendar, */*;q=0.5");
        if let Some(etag) = &held.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(date) = &held.last_modified {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        // Past the cap: "Calendar answered something unexpected: an answer longer than 16 MB, more than the app
        // reads."
        let answer = http::send_limited(Provider::Calendar, request, MAX_FEED).await?;
        let header = |name| answer.headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
        return match answer.status {
            StatusCode::NOT_MODIFIED => Ok(Fetched::NotModified),
            status if status.is_success() => Ok(Fetched::Changed {
                // Feeds are UTF-8 by the standard; a stray byte is not worth losing the calendar over.
                text: String::from_utf8_lossy(&answer.body).into_owned(),
                validators: Validators {
                    etag: header(ETAG).map(str::to_owned),
                    last_modified: header(LAST_MODIFIED).map(str::to_owned),
                },
            }),
            status @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE) => {
                Err(ProviderError::FeedRefused { host: host_of(&url), status: status.as_u16() })
            }
            status if status.is_redirection() => {
                let next = header(reqwest::header::LOCATION).and_then(|l| url.join(l).ok());
                match next {
                    Some(next)
                        if hops < MAX_REDIRECTS && (next.scheme() == "https" || next.origin() == url.origin()) =>
                    {
                        url = next;
                        hops = hops.saturating_add(1);
                        continue;
                    }
                    _ => Err(ProviderError::Unexpected {
                        provider: Provider::Calendar,
                        detail: format!(
                            "it sent the app elsewhere (HTTP {}) too often or to an insecure address",
                            status.as_u16()
                        ),
                    }),
                }
            }
            status => Err(ProviderError::ServerTrouble {
                provider: Provider::Calendar,
                status: status.as_u16(),
                reference: None,
                retry_after: super::errors::retry_after(&answer.headers),
            }),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_https_webcal_or_allowed_http_and_errors_show_only_the_host() {
        let ok = |a: &str, allow| check_address(a, allow).map(|u| u.to_string());
        assert_eq!(
            ok("webcal://calendar.example.com/private-abc/basic.ics", false).unwrap(),
            "https://calendar.example.com/private-abc/basic.ics"
        );
        assert!(ok("https://calendar.google.com/calendar/ical/x/private-y/basic.ics", false).is_ok());
        assert!(ok("http://127.0.0.1:9/_sandbox/ics/work.ics", false).is_ok());
        let refused = check_address("http://cal.example.com/private-secret/basic.ics", false).unwrap_err();
        assert!(!refused.to_string().contains("private-secret"), "{refused}");
        assert!(refused.to_string().contains("cal.example.com"), "{refused}");
        assert!(ok("http://cal.example.com/private-secret/basic.ics", true).is_ok());
        assert!(check_address("calendar.google.com/basic.ics", false).is_err());
        assert!(check_address("file:///etc/passwd", true).is_err());
        let url = Url::parse("https://p01-caldav.icloud.com:443/published/2/SECRET").unwrap();
        assert_eq!(host_of(&url), "p01-caldav.icloud.com");
    }
}
