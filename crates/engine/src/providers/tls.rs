//! Certificate checks against the system's trust store, read when the first https connection needs it. The store
//! is read from disk certificate by certificate (tens of milliseconds): a command that talks only plain http to a
//! sandbox, or ends before its first https call, never pays for it, and the window's first frame does not wait
//! for it. The checks themselves are rustls-platform-verifier's, as reqwest would set them up.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// A TLS set-up for reqwest: TLS 1.2 and 1.3, the system's roots plus `extra` (a company's CA). HTTP/1.1 only: a
/// few small requests a minute gain nothing from HTTP/2, which would add its own stack to the binary.
pub fn client_config(extra: Vec<CertificateDer<'static>>) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(LazyVerifier { extra, provider: provider.clone(), inner: OnceLock::new() });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

struct LazyVerifier {
    extra: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
    /// The platform verifier over the loaded store, made once; an unusable store fails every https connection
    /// with the reason, as it would have failed the client's set-up.
    inner: OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl std::fmt::Debug for LazyVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyVerifier").field("extra_roots", &self.extra.len()).finish_non_exhaustive()
    }
}

impl LazyVerifier {
    fn inner(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        let made = self.inner.get_or_init(|| {
            tracing::debug!("reading the system's trust store");
            rustls_platform_verifier::Verifier::new_with_extra_roots(self.extra.iter().cloned(), self.provider.clone())
        });
        made.as_ref().map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    // Signatures need no roots: the provider's algorithms, as the platform verifier uses them.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn post_quantum_key_exchange_is_offered_first_and_only_http_1_1_is_asked_for() {
        let config = super::client_config(Vec::new()).unwrap();
        let groups: Vec<_> = config.crypto_provider().kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(groups.first(), Some(&rustls::NamedGroup::X25519MLKEM768), "{groups:?}");
        assert!(groups.contains(&rustls::NamedGroup::X25519), "classical groups stay for servers without it");
        assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
    }
}
