//! The HTTP client every service call uses: rustls with the operating system's trust store (read when first
//! needed, see `tls.rs`) plus an optional extra CA file, proxies from the environment or the settings, timeouts,
//! and no redirects (token endpoints must never follow one, and the APIs have no reason to).

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::{Provider, ProviderError, lenient};
use crate::settings::NetworkSettings;

pub const USER_AGENT: &str = concat!("meeting-launcher/", env!("CARGO_PKG_VERSION"));

pub fn client(network: &NetworkSettings) -> Result<Client, ProviderError> {
    let timeout = Duration::from_secs(network.timeout_secs.clamp(5, 300));
    let mut extra = Vec::new();
    if let Some(path) = &network.ca_file {
        use rustls::pki_types::pem::PemObject as _;
        let pem = std::fs::read(path).map_err(|e| ProviderError::Network {
            detail: format!("cannot read the CA file {}: {e}", path.display()),
        })?;
        extra =
            rustls::pki_types::CertificateDer::pem_slice_iter(&pem).collect::<Result<Vec<_>, _>>().map_err(|_| {
                ProviderError::Network { detail: format!("the CA file {} holds no PEM certificate", path.display()) }
            })?;
        if extra.is_empty() {
            return Err(ProviderError::Network {
                detail: format!("the CA file {} holds no certificate", path.display()),
            });
        }
    }
    let tls = super::tls::client_config(extra)
        .map_err(|e| ProviderError::Network { detail: format!("cannot set up HTTPS: {e}") })?;
    let mut builder = Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .https_only(false)
        .tls_backend_preconfigured(tls);
    if let Some(proxy) = network.proxy.as_deref().filter(|p| !p.trim().is_empty()) {
        let proxy = reqwest::Proxy::all(proxy.trim())
            .map_err(|_| ProviderError::Network { detail: format!("the proxy `{proxy}` is not a URL") })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| ProviderError::Network { detail: format!("cannot set up HTTPS: {e}") })
}

/// Whether a URL may carry credentials: https, or http to this machine (the sandbox), or http where the user
/// allowed it explicitly (a MeetingBooster server without TLS).
pub fn require_secure(provider: Provider, url: &Url, allow_http: bool) -> Result<(), ProviderError> {
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback || allow_http => Ok(()),
        _ => Err(ProviderError::Insecure { provider, url: url.to_string() }),
    }
}

/// A finished exchange: status, headers and the whole body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// Wiped when the answer is dropped: token endpoints' answers hold tokens.
    pub body: zeroize::Zeroizing<Vec<u8>>,
}

impl Answer {
    /// The body read as a `T` (see [`lenient::parse`]); the error names the field that did not fit.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, String> {
        lenient::parse(&self.body)
    }

    /// [`Answer::parse`], with a body that does not fit reported as `Unexpected`: "the {what} could not be read
    /// (…)", naming the field.
    pub fn read<T: DeserializeOwned>(&self, provider: Provider, what: &str) -> Result<T, ProviderError> {
        self.parse()
            .map_err(|e| ProviderError::Unexpected { provider, detail: format!("the {what} could not be read ({e})") })
    }
}

/// An answer of `bytes` with 200 OK: what the fuzz targets read.
#[cfg(test)]
pub(crate) fn ok_answer(bytes: &[u8]) -> Answer {
    Answer {
        status: reqwest::StatusCode::OK,
        headers: Default::default(),
        body: zeroize::Zeroizing::new(bytes.to_vec()),
    }
}

/// The largest answer read: the services' biggest (a year of meetings) is far below it; a broken proxy or a
/// hostile server cannot make the app hold more.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Sends a request and reads the answer, up to [`MAX_BODY`]; transport failures become
/// [`ProviderError::Unreachable`], a longer answer [`ProviderError::Unexpected`].
pub async fn send(provider: Provider, request: RequestBuilder) -> Result<Answer, ProviderError> {
    send_limited(provider, request, MAX_BODY).await
}

/// [`send`] with another limit (a calendar's feed may be larger than any service's answer).
pub async fn send_limited(provider: Provider, request: RequestBuilder, limit: usize) -> Result<Answer, ProviderError> {
    let max_body = limit;
    let (client, request) = request.build_split();
    let request =
        request.map_err(|_| ProviderError::Unexpected { provider, detail: "the request could not be built".into() })?;
    let url = request.url().clone();
    // A calendar's private address is a password in its path.
    let path = if provider == Provider::Calendar { "(private)" } else { url.path() };
    tracing::debug!(provider = provider.id(), method = %request.method(), path, "request");
    let response = client.execute(request).await.map_err(|e| ProviderError::from_transport(provider, &url, &e))?;
    let status = response.status();
    let headers = response.headers().clone();
    let too_long = || ProviderError::Unexpected {
        provider,
        detail: format!("an answer longer than {} MB, more than the app reads", max_body / (1024 * 1024)),
    };
    if response.content_length().is_some_and(|n| n > max_body as u64) {
        return Err(too_long());
    }
    // Read in chunks, so a body without a length (or with a false one) is cut off at the limit too.
    let mut response = response;
    // Sized up front where the length is known, so growing leaves no unwiped copies behind.
    let mut body = zeroize::Zeroizing::new(Vec::with_capacity(
        response.content_length().map_or(0, |n| usize::try_from(n).unwrap_or(0).min(max_body)),
    ));
    while let Some(chunk) = response.chunk().await.map_err(|e| ProviderError::from_transport(provider, &url, &e))? {
        if body.len().saturating_add(chunk.len()) > max_body {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    tracing::debug!(provider = provider.id(), path, status = status.as_u16(), "answer");
    Ok(Answer { status, headers, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_or_explicitly_allowed_http() {
        let p = Provider::Meetingbooster;
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(require_secure(p, &url("https://mb.example.com"), false).is_ok());
        assert!(require_secure(p, &url("http://127.0.0.1:8421/mb"), false).is_ok());
        assert!(require_secure(p, &url("http://[::1]:8421/mb"), false).is_ok());
        let refused = require_secure(p, &url("http://mb.example.com"), false).unwrap_err();
        assert!(refused.to_string().contains("allow http"));
        assert!(require_secure(p, &url("http://mb.example.com"), true).is_ok());
        assert!(require_secure(p, &url("ftp://mb.example.com"), true).is_err());
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_a_clear_error() {
        let settings = NetworkSettings { ca_file: Some("/nonexistent/ca.pem".into()), ..NetworkSettings::default() };
        assert!(client(&settings).unwrap_err().to_string().contains("/nonexistent/ca.pem"));
        let bad_proxy = NetworkSettings { proxy: Some("::not a url::".into()), ..NetworkSettings::default() };
        assert!(client(&bad_proxy).is_err());
    }
}
